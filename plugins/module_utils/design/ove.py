"""OpenShift Virtualization (OVE) section of a cluster's structured config.

``ove_section(model, facts, cluster_name)`` decides everything the OVE
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

Problems are not raised here (the design stage has no checkpoint of its
own): they are listed under ``errors`` as finding dicts with model paths,
and the OVE and NMState renderers stop the render with them.
"""

from __future__ import annotations

from ..addressing import overlaps
from ..mtu import inner_mtu, overlay_overhead

NNCP_GROUP_SELECTOR = {"node-role.kubernetes.io/worker": ""}
# Network names OVN-Kubernetes reserves for itself (NetConf ``name``).
RESERVED_OVN_NETWORKS = ("default", "ovn-kubernetes")
# OVN-Kubernetes internal subnets no cluster network may overlap (TARGET_FORMATS 2.3).
OVN_INTERNAL = (("join", "100.64.0.0/16"), ("transit", "100.88.0.0/16"), ("masquerade", "169.254.0.0/17"),
                ("join6", "fd98::/64"), ("transit6", "fd97::/64"), ("masquerade6", "fd69::/112"))
GENEVE_PORT = 6081


def _err(errors, rule, path, message, hint=""):
    errors.append({"rule": rule, "path": path, "message": message, "hint": hint})


def _management_network(model, cluster):
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)


def _host_bridge(model, cluster, errors):
    """The bridge on the bond that carries every VM VLAN, or None without VM networks."""
    cpath = f"clusters[{cluster['name']}]"
    ove = cluster["ove"]
    vm_nets = [model.networks[n] for n in cluster["networks"] if model.networks[n]["role"] == "vm"]
    if not vm_nets:
        return None, vm_nets
    if not cluster["bond"]:
        _err(errors, "OVE001", f"{cpath}.bond", "VM networks need a host bond to carry their VLANs",
             "set clusters[].bond")
        return None, vm_nets
    if cluster["native_network"]:
        _err(errors, "OVE004", f"{cpath}.native_network",
             f"the bond {cluster['bond']['name']} is a port of bridge {ove['ovs_bridge']}, so it cannot also hold "
             f"the untagged addresses of '{cluster['native_network']}'",
             "carry the native network tagged (drop native_network) or move the VM networks to another cluster")
    bridge = {
        "name": ove["ovs_bridge"],
        "type": "ovs-bridge" if ove["cni"] == "localnet" else "linux-bridge",
        "port": cluster["bond"]["name"],
        "trunk_vlans": sorted(n["vlan"] for n in vm_nets),
    }
    return bridge, vm_nets


def _nads(model, cluster, bridge, vm_nets, bond_mtu, errors):
    ove = cluster["ove"]
    nads, mappings = [], []
    for net in sorted(vm_nets, key=lambda n: n["name"]):
        npath = f"networks[{net['name']}]"
        if ove["cni"] == "localnet" and net["name"] in RESERVED_OVN_NETWORKS:
            _err(errors, "OVE005", npath, f"'{net['name']}' is a network name OVN-Kubernetes reserves",
                 "rename the network")
        if bond_mtu is not None and net["mtu"] > bond_mtu:
            _err(errors, "OVE003", npath, f"VM network MTU {net['mtu']} exceeds the bond MTU {bond_mtu} of "
                 f"clusters[{cluster['name']}]", "lower the network mtu or raise the bond profile mtu")
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


def _nncp(model, facts, cluster):
    from .hosts import node_config

    value = cluster["ove"]["nncp_max_unavailable"]
    max_unavailable = int(value) if value.isdigit() else value
    nodes = [n["name"] for n in cluster["nodes"]]
    signatures = {_node_signature(node_config(model, facts, cluster["name"], n)) for n in nodes}
    if len(nodes) > 1 and len(signatures) == 1:
        policies = [{"name": f"{cluster['name']}-hosts", "nodes": nodes, "node_selector": dict(NNCP_GROUP_SELECTOR),
                     "node_state_from": nodes[0]}]
    else:
        policies = [{"name": f"{cluster['name']}-{n}", "nodes": [n], "node_selector": {"kubernetes.io/hostname": n},
                     "node_state_from": n} for n in sorted(nodes)]
    return {"max_unavailable": max_unavailable, "policies": policies}


def _ovn(model, cluster, bond_mtu, errors):
    cpath = f"clusters[{cluster['name']}]"
    mgmt = _management_network(model, cluster)
    if cluster["overlay"] != "geneve":
        _err(errors, "OVE002", f"{cpath}.overlay",
             f"OVN-Kubernetes always uses Geneve between nodes, not '{cluster['overlay']}'", "set overlay: geneve")
    if not mgmt:
        _err(errors, "OVE006", f"{cpath}.networks", "an OVE cluster needs a management network (the machine network)",
             "add a network with role management")
        return None
    # The Geneve tunnels leave through the machine-network interface: the bond itself when the
    # management network is native, else its VLAN interface.
    host_mtu = bond_mtu if cluster["native_network"] == mgmt and bond_mtu else model.networks[mgmt]["mtu"]
    ipsec = bool(cluster["ipsec"])
    derived = inner_mtu(host_mtu, "ovn-k", ipsec=ipsec)
    # an explicit overlay_mtu wins (rule MTU001 checks it fits the underlay)
    explicit = cluster.get("overlay_mtu")
    return {"host_network": mgmt, "host_mtu": host_mtu, "overhead": overlay_overhead("ovn-k", ipsec=ipsec),
            "mtu": explicit or derived, "derived_mtu": derived, "explicit": explicit is not None, "ipsec": ipsec,
            "geneve_port": GENEVE_PORT}


def _install_config(model, cluster, errors):
    cpath = f"clusters[{cluster['name']}]"
    mgmt = _management_network(model, cluster)
    if not mgmt:
        return None
    ove, net = cluster["ove"], model.networks[mgmt]
    machine = [p for p in (net["ipv4"], net["ipv6"]) if p]
    dual = bool(net["ipv4"] and net["ipv6"])
    if not net["ipv4"]:
        _err(errors, "OVE007", f"networks[{mgmt}].ipv4", "the machine network has no IPv4 prefix; this collection "
             "renders IPv4 single-stack or IPv4-first dual-stack clusters", "give the management network an ipv4 prefix")
    cluster_net = [{"cidr": ove["cluster_network4"], "hostPrefix": ove["host_prefix4"]}]
    service = [ove["service_network4"]]
    if dual:
        cluster_net.append({"cidr": ove["cluster_network6"], "hostPrefix": 64})
        service.append(ove["service_network6"])
    named = [("machine network", p) for p in machine] + [("cluster network", c["cidr"]) for c in cluster_net] + \
        [("service network", s) for s in service] + [(f"OVN {k} subnet", p) for k, p in OVN_INTERNAL]
    by_prefix = {}
    for label, prefix in named:
        by_prefix.setdefault(prefix, []).append(label)
    user = {p for label, p in named if not label.startswith("OVN")}
    for outer, inner in overlaps([prefix for label, prefix in named]):
        if outer not in user and inner not in user:
            continue
        _err(errors, "OVE008", f"{cpath}.ove", f"{' / '.join(by_prefix[outer])} {outer} overlaps "
             f"{' / '.join(by_prefix[inner])} {inner}", "choose non-overlapping cluster_network/service_network prefixes")
    return {"dual_stack": dual, "networking": {
        "networkType": "OVNKubernetes",
        "machineNetwork": [{"cidr": p} for p in machine],
        "clusterNetwork": cluster_net,
        "serviceNetwork": service,
    }}


def _community_alias(value):
    return "c-" + value.replace(":", "-")


def _metallb(model, facts, cluster, errors):
    mlb = cluster["metallb"]
    if not mlb:
        return None
    cpath = f"clusters[{cluster['name']}].metallb"
    fab = model.fabric
    bfd = None
    if fab["bfd"]["enabled"]:
        bfd = {"name": mlb["bfd_profile"], "receive_interval": fab["bfd"]["interval_ms"],
               "transmit_interval": fab["bfd"]["interval_ms"], "detect_multiplier": fab["bfd"]["multiplier"]}
    # passwords on one side only are check MLB003 (checks/foundation.py)
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
        if (peer["peer_address"], peer["peer_asn"], peer["my_asn"]) != (leaf["ip"], leaf["asn"], node["asn"]):
            _err(errors, "OVE010", s["path"], f"{leaf['device']} answers MetalLB at more than one address or ASN")
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
        if not addresses:
            _err(errors, "OVE011", f"{cpath}.pools[{pool['name']}]", "the pool has no ipv4 or ipv6 range",
                 "set ipv4 and/or ipv6")
        pools.append({"name": pool["name"], "addresses": addresses, "auto_assign": pool["auto_assign"]})
        adverts.append({"name": pool["name"], "pools": [pool["name"]],
                        "aggregation_length": 32 if pool["ipv4"] else None,
                        "aggregation_length_v6": 128 if pool["ipv6"] else None,
                        "communities": [_community_alias(c) for c in pool["communities"]]})
    families = sorted({p["family"] for p in peer_list})
    for pool in mlb["pools"]:
        for fam in (4, 6):
            if pool[f"ipv{fam}"] and fam not in families:
                _err(errors, "OVE012", f"{cpath}.pools[{pool['name']}].ipv{fam}",
                     f"no IPv{fam} BGP session exists to advertise {pool[f'ipv{fam}']}",
                     f"give the peer network an IPv{fam} prefix or drop the pool's ipv{fam} range")
    return {"namespace": mlb["namespace"], "asn": mlb["asn"], "bfd": bfd, "peers": peer_list, "pools": pools,
            "advertisements": adverts, "communities_name": f"{cluster['name']}-communities",
            "communities": [{"name": _community_alias(c), "value": c} for c in communities]}


def ove_section(model, facts, cluster_name) -> dict:
    """The ``ove`` key of an OVE cluster's structured config (see the module docstring)."""
    cluster = model.clusters[cluster_name]
    errors = []
    bond_mtu = model.bond_profiles[cluster["bond"]["profile"]]["mtu"] if cluster["bond"] else None
    bridge, vm_nets = _host_bridge(model, cluster, errors)
    nads, mappings = _nads(model, cluster, bridge, vm_nets, bond_mtu, errors) if bridge else ([], [])
    section = {
        "vm_namespace": cluster["ove"]["vm_namespace"],
        "cni": cluster["ove"]["cni"],
        "host_bridge": bridge,
        "bridge_mappings": mappings,
        "nads": nads,
        "nncp": _nncp(model, facts, cluster),
        "ovn": _ovn(model, cluster, bond_mtu, errors),
        "install_config": _install_config(model, cluster, errors),
        "metallb": _metallb(model, facts, cluster, errors),
    }
    section["errors"] = sorted(errors, key=lambda e: (e["rule"], e["path"], e["message"]))
    return {"ove": section}
