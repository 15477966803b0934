"""OpenShift Virtualization (OVE) section of a cluster's structured config.

``ove_section(model, facts, cluster_name, nodes)`` decides everything the OVE
renderers lay out, so the NNCP, NetworkAttachmentDefinition, MetalLB and
install-config files never compute a value themselves:

* the host bridge carrying the VM VLANs (an OVS bridge for OVN-Kubernetes
  localnet, a Linux bridge for the bridge CNI) on the cluster bond, and the
  ``ovn.bridge-mappings`` that tie each localnet network to it;
* one NetworkAttachmentDefinition per VM network;
* the NNCP policies (one per node, or one for the whole cluster when no
  node-specific value differs) and their ``maxUnavailable``;
* the MetalLB objects, with every BGPPeer built from ``facts.sessions``
  kind ``metallb`` -- the very records the leaf BGP neighbours come from;
* the OVN-Kubernetes cluster MTU (host MTU - 100 for Geneve, - 146 with
  IPsec) and the install-config ``networking`` block.

Nothing here judges the model: the OVE rules (checks/ove.py) read the same
helpers and stop the run before render; for a model they reject, the
section is still built (sane, never rendered).
"""

from __future__ import annotations

from ..errors import InputError
from ..mtu import inner_mtu, overlay_overhead

NNCP_GROUP_SELECTOR = {"node-role.kubernetes.io/worker": ""}
# Network names OVN-Kubernetes reserves for itself (NetConf ``name``).
RESERVED_OVN_NETWORKS = ("default", "ovn-kubernetes")
# OVN-Kubernetes internal subnets no cluster network may overlap (TARGET_FORMATS 2.3).
OVN_INTERNAL = (("join", "100.64.0.0/16"), ("transit", "100.88.0.0/16"), ("masquerade", "169.254.0.0/17"),
                ("join6", "fd98::/64"), ("transit6", "fd97::/64"), ("masquerade6", "fd69::/112"))
GENEVE_PORT = 6081


def management_network(model, cluster):
    """The cluster's machine network: its first management network, or None."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)


def vm_networks(model, cluster) -> list:
    return [model.networks[n] for n in cluster["networks"] if model.networks[n]["role"] == "vm"]


def bond_mtu(model, cluster):
    return model.bond_profiles[cluster["bond"]["profile"]]["mtu"] if cluster["bond"] else None


def _host_bridge(model, cluster):
    """The bridge on the bond that carries every VM VLAN, or None without VM networks or bond."""
    ove = cluster["ove"]
    vm_nets = vm_networks(model, cluster)
    if not vm_nets or not cluster["bond"]:
        return None, vm_nets
    bridge = {
        "name": ove["ovs_bridge"],
        "type": "ovs-bridge" if ove["cni"] == "localnet" else "linux-bridge",
        "port": cluster["bond"]["name"],
        "trunk_vlans": sorted(n["vlan"] for n in vm_nets),
    }
    return bridge, vm_nets


def _nads(cluster, bridge, vm_nets):
    ove = cluster["ove"]
    nads, mappings = [], []
    for net in sorted(vm_nets, key=lambda n: n["name"]):
        nad = {"name": net["name"], "namespace": ove["vm_namespace"], "network": net["name"], "vlan": net["vlan"],
               "mtu": net["mtu"], "cni": ove["cni"], "bridge": bridge["name"],
               "net_attach_def_name": f"{ove['vm_namespace']}/{net['name']}",
               "localnet": net["name"] if ove["cni"] == "localnet" else None}
        nads.append(nad)
        if ove["cni"] == "localnet":
            mappings.append({"localnet": net["name"], "bridge": bridge["name"]})
    return nads, mappings


def _node_signature(node_cfg):
    """What a node's NMState depends on, minus its identity: equal signatures -> one policy."""
    bond = dict(node_cfg["bond"] or {})
    bond.pop("channel_id", None)
    return repr((
        [{k: v for k, v in nic.items() if k in ("name", "mtu", "bond")} for nic in node_cfg["nics"]],
        bond, node_cfg["vlan_interfaces"], node_cfg["routes"], node_cfg["dns"]))


def _nncp(cluster, nodes_designed):
    value = cluster["ove"]["nncp_max_unavailable"]
    max_unavailable = int(value) if value.isdigit() else value
    nodes = [n["name"] for n in cluster["nodes"]]
    signatures = {_node_signature(nodes_designed[n]) for n in nodes}
    if len(nodes) > 1 and len(signatures) == 1:
        policies = [{"name": f"{cluster['name']}-hosts", "nodes": nodes, "node_selector": dict(NNCP_GROUP_SELECTOR),
                     "node_state_from": nodes[0]}]
    else:
        policies = [{"name": f"{cluster['name']}-{n}", "nodes": [n], "node_selector": {"kubernetes.io/hostname": n},
                     "node_state_from": n} for n in sorted(nodes)]
    return {"max_unavailable": max_unavailable, "policies": policies}


def _ovn(model, cluster):
    mgmt = management_network(model, cluster)
    if not mgmt:
        return None
    # The Geneve tunnels leave through the machine-network interface: the bond itself when the
    # management network is native, else its VLAN interface.
    host_mtu = bond_mtu(model, cluster) if cluster["native_network"] == mgmt and cluster["bond"] \
        else model.networks[mgmt]["mtu"]
    ipsec = bool(cluster["ipsec"])
    try:
        derived = inner_mtu(host_mtu, "ovn-k", ipsec=ipsec)
    except InputError:   # an underlay too small for Geneve: the mtu rules report it; nothing is rendered
        derived = None
    # an explicit overlay_mtu wins (an mtu rule checks it fits the underlay)
    explicit = cluster.get("overlay_mtu")
    return {"host_network": mgmt, "host_mtu": host_mtu, "overhead": overlay_overhead("ovn-k", ipsec=ipsec),
            "mtu": explicit or derived, "derived_mtu": derived, "explicit": explicit is not None, "ipsec": ipsec,
            "geneve_port": GENEVE_PORT}


def _install_networks(model, cluster, mgmt):
    """(machine prefixes, clusterNetwork entries, serviceNetwork prefixes) of the install-config."""
    ove, net = cluster["ove"], model.networks[mgmt]
    machine = [p for p in (net["ipv4"], net["ipv6"]) if p]
    cluster_net = [{"cidr": ove["cluster_network4"], "hostPrefix": ove["host_prefix4"]}]
    service = [ove["service_network4"]]
    if net["ipv4"] and net["ipv6"]:
        cluster_net.append({"cidr": ove["cluster_network6"], "hostPrefix": 64})
        service.append(ove["service_network6"])
    return machine, cluster_net, service


def install_prefixes(model, cluster) -> list:
    """(label, prefix) of every range the cluster's install-config and OVN-Kubernetes use."""
    mgmt = management_network(model, cluster)
    if not mgmt:
        return []
    machine, cluster_net, service = _install_networks(model, cluster, mgmt)
    return [("machine network", p) for p in machine] + [("cluster network", c["cidr"]) for c in cluster_net] + \
        [("service network", s) for s in service] + [(f"OVN {k} subnet", p) for k, p in OVN_INTERNAL]


def _install_config(model, cluster):
    mgmt = management_network(model, cluster)
    if not mgmt:
        return None
    machine, cluster_net, service = _install_networks(model, cluster, mgmt)
    net = model.networks[mgmt]
    dual = bool(net["ipv4"] and net["ipv6"])
    return {"dual_stack": dual, "networking": {
        "networkType": "OVNKubernetes",
        "machineNetwork": [{"cidr": p} for p in machine],
        "clusterNetwork": cluster_net,
        "serviceNetwork": service,
    }}


def _community_alias(value):
    return "c-" + value.replace(":", "-")


def _metallb(model, facts, cluster):
    mlb = cluster["metallb"]
    if not mlb:
        return None
    fab = model.fabric
    bfd = None
    if fab["bfd"]["enabled"]:
        bfd = {"name": mlb["bfd_profile"], "receive_interval": fab["bfd"]["interval_ms"],
               "transmit_interval": fab["bfd"]["interval_ms"], "detect_multiplier": fab["bfd"]["multiplier"]}
    # passwords on one side only are a metallb rule (checks/foundation.py)
    # one BGPPeer per (leaf, address family): the leaf SVI address every cabled node peers with
    peers = {}
    for s in facts.sessions:
        if s["kind"] != "metallb" or s.get("cluster") != cluster["name"]:
            continue
        leaf, node = s["a"], s["b"]
        key = (leaf["device"], s["family"])
        peer = peers.setdefault(key, {
            "name": f"{leaf['device']}-ipv{s['family']}", "leaf": leaf["device"], "family": s["family"],
            "peer_address": leaf["ip"], "peer_asn": leaf["asn"], "my_asn": node["asn"], "nodes": [],
            "node_addresses": {}, "bfd_profile": bfd["name"] if bfd and s["bfd"] else None,
            "password_secret": s["password_secret"], "hold_time": f"{fab['bgp']['hold']}s",
            "keepalive_time": f"{fab['bgp']['keepalive']}s", "network": s["network"],
            "ebgp_multihop": bool(s.get("multihop"))})
        # a leaf answering at two addresses or ASNs is an OVE rule (checks/ove.py): the first session wins
        peer["nodes"].append(node["device"])
        peer["node_addresses"][node["device"]] = node["ip"]
    peer_list = []
    for key in sorted(peers):
        peer = peers[key]
        peer["nodes"] = sorted(set(peer["nodes"]))
        peer["node_addresses"] = dict(sorted(peer["node_addresses"].items()))
        peer_list.append(peer)
    communities = sorted({c for p in mlb["pools"] for c in p["communities"]})
    pools, adverts = [], []
    for pool in mlb["pools"]:
        addresses = [p for p in (pool["ipv4"], pool["ipv6"]) if p]
        pools.append({"name": pool["name"], "addresses": addresses, "auto_assign": pool["auto_assign"]})
        adverts.append({"name": pool["name"], "pools": [pool["name"]],
                        "aggregation_length": 32 if pool["ipv4"] else None,
                        "aggregation_length_v6": 128 if pool["ipv6"] else None,
                        "communities": [_community_alias(c) for c in pool["communities"]]})
    return {"namespace": mlb["namespace"], "asn": mlb["asn"], "bfd": bfd, "peers": peer_list, "pools": pools,
            "advertisements": adverts, "communities_name": f"{cluster['name']}-communities",
            "communities": [{"name": _community_alias(c), "value": c} for c in communities]}


def ove_section(model, facts, cluster_name, nodes) -> dict:
    """The ``ove`` key of an OVE cluster's structured config (see the module docstring)."""
    cluster = model.clusters[cluster_name]
    bridge, vm_nets = _host_bridge(model, cluster)
    nads, mappings = _nads(cluster, bridge, vm_nets) if bridge else ([], [])
    section = {
        "vm_namespace": cluster["ove"]["vm_namespace"],
        "cni": cluster["ove"]["cni"],
        "host_bridge": bridge,
        "bridge_mappings": mappings,
        "nads": nads,
        "nncp": _nncp(cluster, nodes),
        "ovn": _ovn(model, cluster),
        "install_config": _install_config(model, cluster),
        "metallb": _metallb(model, facts, cluster),
    }
    return {"ove": section}
