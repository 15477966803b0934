"""OpenShift Virtualization (OVE) section of a cluster's structured config.

``ove_section(model, facts, cluster_name, nodes)`` decides everything the OVE
renderers lay out, split by who owns it on a real cluster:

* ``install``: the install-time network of every node (agent-based
  installer ``agent-config.yaml`` hosts' ``networkConfig``): NICs, the
  cluster bond, the machine-network interface with its addresses, default
  routes and DNS -- nothing else.  After installation configure-ovs moves
  the machine-network interface into ``br-ex``; ``br_ex`` lists that
  interface and every interface under it, which the post-install policies
  must never declare (an OVE rule checks them);
* ``policies``: the post-install NodeNetworkConfigurationPolicies, which add
  only what is new.  One policy for the node group carries the shared parts
  (the VM bond and bridge of the dedicated layout, the bridge mappings) with
  a ``maxUnavailable`` that limits its rollout; per-node policies carry only
  what holds node addresses (storage, live-migration, cluster VLANs);
* the VM networks in one of two layouts (``ove.vm_layout``): ``dedicated``
  (a second bond, port of the OVS bridge ``ovs_bridge`` with
  ``allow-extra-patch-ports``) or ``shared`` (only ``ovn.bridge-mappings``
  to ``br-ex``); bridge mappings by release (``ove.ocp_version``): one per
  VLAN up to 4.17, one shared physical network from 4.18;
* NetworkAttachmentDefinitions in every namespace that uses a network, with
  one spec per network;
* live migration over a dedicated network (NAD in openshift-cnv and the
  HyperConverged ``liveMigrationConfig.network``);
* MetalLB (the ``MetalLB`` CR and its BGP objects) and the OVN-Kubernetes
  MTU and install-config ``networking`` block.

Nothing here judges the model: the OVE rules (checks/ove.py) read the same
section and stop the run before render; for a model they reject, the
section is still built (sane, never rendered).
"""

from __future__ import annotations

import ipaddress
import math

from ..errors import InputError
from ..mtu import inner_mtu, overlay_overhead
from .vm_placement import vm_namespace_of, vm_networks_on_cluster

WORKER_SELECTOR = {"node-role.kubernetes.io/worker": ""}
BR_EX = "br-ex"
# Network names OVN-Kubernetes reserves for itself (NetConf ``name``).
RESERVED_OVN_NETWORKS = ("default", "ovn-kubernetes")
# OVN-Kubernetes internal subnets no cluster network may overlap (TARGET_FORMATS 2.3).
OVN_INTERNAL = (("join", "100.64.0.0/16"), ("transit", "100.88.0.0/16"), ("masquerade", "169.254.0.0/17"),
                ("join6", "fd98::/64"), ("transit6", "fd97::/64"), ("masquerade6", "fd69::/112"))
GENEVE_PORT = 6081
# First OpenShift release whose localnet NADs take physicalNetworkName (one bridge mapping for all VLANs).
SHARED_MAPPING_SINCE = (4, 18)
LIVE_MIGRATION_NAMESPACE = "openshift-cnv"
HYPERCONVERGED = ("kubevirt-hyperconverged", "openshift-cnv")


def management_network(model, cluster):
    """The cluster's machine network: its first management network, or None."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)


def vm_networks(model, cluster) -> list:
    return [model.networks[n] for n in cluster["networks"] if model.networks[n]["role"] == "vm"]


def bond_mtu(model, cluster):
    return model.bond_profiles[cluster["bond"]["profile"]]["mtu"] if cluster["bond"] else None


def release(version: str) -> tuple:
    major, minor = version.split(".")
    return int(major), int(minor)


def shared_mapping(cluster) -> bool:
    """From 4.18 one bridge mapping serves every VLAN (NAD physicalNetworkName + vlanID)."""
    return release(cluster["ove"]["ocp_version"]) >= SHARED_MAPPING_SINCE


def vm_bridge_name(cluster) -> str:
    return BR_EX if cluster["ove"]["vm_layout"] == "shared" else cluster["ove"]["ovs_bridge"]


def physical_network(cluster) -> str:
    """The one OVN physical network name of the 4.18+ shared bridge mapping."""
    return f"physnet-{vm_bridge_name(cluster)}"


def node_label_value(model, cluster, node_name) -> str:
    """What ``ove.node_label`` holds for a node: its FQDN when the site has a domain (ove.node_names: fqdn)."""
    if cluster["ove"]["node_names"] == "fqdn" and model.site["domain"]:
        return f"{node_name}.{model.site['domain']}"
    return node_name


def machine_interface(model, cluster) -> str | None:
    """The interface configure-ovs moves into br-ex: the bond (machine network native) or its VLAN."""
    mgmt = management_network(model, cluster)
    if not mgmt or not cluster["bond"]:
        return None
    if cluster["native_network"] == mgmt:
        return cluster["bond"]["name"]
    return f"{cluster['bond']['name']}.{model.networks[mgmt]['vlan']}"


def under_br_ex(model, cluster, node_cfg) -> list:
    """br-ex and every interface under it on one node: the machine interface, the bond and its NICs."""
    names = {BR_EX}
    iface = machine_interface(model, cluster)
    if iface:
        names.add(iface)
    if node_cfg.get("bond"):
        names.add(node_cfg["bond"]["name"])
        names.update(node_cfg["bond"]["ports"])
    return sorted(names)


def network_namespaces(model, cluster) -> dict:
    """{VM network: sorted namespaces that need its NAD}: vm_namespace, ove.namespaces and the VMs' own.

    The VMs are those on the cluster and those a wave moves there, on their networks after the wave (their
    MTV NetworkMap points at these NADs).
    """
    ove = cluster["ove"]
    nets = {n["name"] for n in vm_networks(model, cluster)}
    out = {n: {ove["vm_namespace"]} for n in nets}
    for net, namespaces in ove["namespaces"].items():
        if net in out:
            out[net].update(namespaces)
    for vm, networks in vm_networks_on_cluster(model, cluster["name"]):
        for net in networks:
            if net in out:
                out[net].add(vm_namespace_of(model, cluster, vm))
    return {n: sorted(v) for n, v in sorted(out.items())}


def _vm_side(model, cluster, nodes_designed):
    """(bridge record or None, bridge mappings, NADs) of the VM networks."""
    ove = cluster["ove"]
    vm_nets = sorted(vm_networks(model, cluster), key=lambda n: n["name"])
    if not vm_nets:
        return None, [], []
    layout = ove["vm_layout"]
    bridge_name = vm_bridge_name(cluster)
    bridge = None
    if layout == "dedicated":
        vm_bond = next((n["vm_bond"] for n in nodes_designed.values() if n.get("vm_bond")), None)
        bridge = {"name": bridge_name, "type": "ovs-bridge" if ove["cni"] == "localnet" else "linux-bridge",
                  "port": vm_bond["name"] if vm_bond else None, "allow_extra_patch_ports": ove["cni"] == "localnet",
                  "trunk_vlans": sorted(n["vlan"] for n in vm_nets), "vm_bond": vm_bond}
    shared = shared_mapping(cluster)
    mappings, nads = [], []
    namespaces = network_namespaces(model, cluster)
    if ove["cni"] == "localnet":
        if shared:
            mappings.append({"localnet": physical_network(cluster), "bridge": bridge_name})
        else:
            mappings += [{"localnet": n["name"], "bridge": bridge_name} for n in vm_nets]
    for net in vm_nets:
        spec = {"network": net["name"], "vlan": net["vlan"], "mtu": net["mtu"], "cni": ove["cni"], "bridge": bridge_name,
                "physical_network": physical_network(cluster) if ove["cni"] == "localnet" and shared else None,
                "localnet": net["name"] if ove["cni"] == "localnet" else None}
        for ns in namespaces[net["name"]]:
            nads.append({"name": net["name"], "namespace": ns, "net_attach_def_name": f"{ns}/{net['name']}", **spec})
    return bridge, mappings, nads


def _rollout_limit(value, count) -> int:
    """How many nodes kubernetes-nmstate configures at once: percent rounded up, at least 1."""
    if isinstance(value, str) and value.endswith("%"):
        return max(1, math.ceil(count * int(value[:-1]) / 100))
    return max(1, int(value))


def _max_unavailable(cluster):
    value = cluster["ove"]["nncp_max_unavailable"]
    return int(value) if value.isdigit() else value


def _policies(model, cluster, nodes_designed, bridge, mappings):
    """The post-install NNCPs: one for the node group (shared parts), one per node with addresses."""
    ove, name = cluster["ove"], cluster["name"]
    policies = []
    nodes = [n["name"] for n in cluster["nodes"]]
    if bridge or mappings:
        vm_bond = bridge and bridge["vm_bond"]
        nics = []
        if vm_bond:
            nics = [nic for nic in next(iter(nodes_designed.values()))["nics"] if nic["bond"] == vm_bond["name"]]
        value = _max_unavailable(cluster)
        policies.append({
            "name": f"{name}-vm-networks", "kind": "group", "nodes": nodes, "node_selector": dict(WORKER_SELECTOR),
            "max_unavailable": value, "rollout_limit": _rollout_limit(value, len(nodes)),
            "nics": [{"name": n["name"], "mtu": n["mtu"]} for n in nics], "bond": vm_bond, "vlan_interfaces": [],
            "bridge": bridge, "mappings": mappings})
    mgmt = management_network(model, cluster)
    label = ove["node_label"]
    for node in sorted(nodes):
        cfg = nodes_designed[node]
        vifs = [v for v in cfg["vlan_interfaces"] if v["network"] != mgmt and v["base"]]
        if not vifs:
            continue
        policies.append({
            "name": f"{name}-{node}", "kind": "node", "nodes": [node],
            "node_selector": {label: node_label_value(model, cluster, node)}, "max_unavailable": 1, "rollout_limit": 1,
            "nics": [], "bond": None, "vlan_interfaces": vifs, "bridge": None, "mappings": []})
    return policies


def _install(model, cluster, nodes_designed):
    """Install-time network per node: the machine network only (agent-config hosts[].networkConfig)."""
    mgmt = management_network(model, cluster)
    hosts = []
    for node in cluster["nodes"]:
        cfg = nodes_designed[node["name"]]
        bond = cfg["bond"]
        nics = [n for n in cfg["nics"] if bond and n["bond"] == bond["name"]]
        interfaces = [{"name": n["name"], "mac": node["macs"].get(n["name"])} for n in nics]
        hosts.append({
            "node": node["name"], "hostname": node_label_value(model, cluster, node["name"]),
            # the installer matches a host by MAC: a node without them stays out of agent-config.yaml
            "in_agent_config": bool(interfaces) and all(i["mac"] for i in interfaces),
            "interfaces": interfaces,
            "state": {"hostname": cfg["hostname"], "platform": "ove-install", "nics": nics, "bond": bond,
                      "vm_bond": None, "vlan_interfaces": [v for v in cfg["vlan_interfaces"] if v["network"] == mgmt],
                      "routes": list(cfg["routes"]), "dns": cfg["dns"]}})
    rendezvous = None
    if hosts:
        first = hosts[0]["state"]
        addrs = (first["bond"] or {}).get("ipv4") or next((v["ipv4"] for v in first["vlan_interfaces"] if v["ipv4"]), [])
        rendezvous = addrs[0].split("/")[0] if addrs else None
    return {"hosts": hosts, "rendezvous_ip": rendezvous}


def _ip_int(text):
    return int(ipaddress.ip_address(text))


def live_migration_network(model, cluster):
    explicit = cluster["ove"]["live_migration"]["network"]
    if explicit:
        return explicit
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "live_migration"), None)


def used_addresses(model, facts, network) -> dict:
    """{family: sorted integer addresses} of every node, leaf SVI and gateway on a network."""
    used = {4: set(), 6: set()}
    for (_c, _n, net), addrs in facts.addresses.items():
        if net == network:
            for fam in (4, 6):
                if addrs.get(f"ipv{fam}"):
                    used[fam].add(_ip_int(addrs[f"ipv{fam}"].split("/")[0]))
    for svis in facts.svis.values():
        svi = svis.get(network)
        if svi:
            for fam in (4, 6):
                for key in (f"ipv{fam}", f"gateway{fam}"):
                    if svi.get(key):
                        used[fam].add(_ip_int(svi[key].split("/")[0]))
    net = model.networks[network]
    for fam in (4, 6):
        if net[f"gateway{fam}"]:
            used[fam].add(_ip_int(net[f"gateway{fam}"]))
    return {fam: sorted(v) for fam, v in used.items()}


def derived_range(prefix, used):
    """(first, last) as integers: the largest run of addresses no node, leaf SVI or gateway holds (the later one on a tie)."""
    net = ipaddress.ip_network(prefix)
    first_host = int(net.network_address) + 1
    last_host = int(net.broadcast_address) - (1 if net.version == 4 else 0)
    inside = sorted(u for u in used if first_host <= u <= last_host)
    best, low = (first_host, first_host - 1), first_host
    for u in inside + [last_host + 1]:
        if u - low >= best[1] - best[0] + 1:
            best = (low, u - 1)
        low = u + 1
    return best


def _range(model, facts, network, fam, explicit):
    """(prefix, first, last) as text of the migration pods' addresses in one family, or None."""
    prefix = model.networks[network][f"ipv{fam}"]
    if not prefix:
        return None
    version = 4 if fam == 4 else 6
    if explicit:
        first, _dash, last = explicit.partition("-")
        return {"prefix": prefix, "first": first.strip(), "last": last.strip(), "explicit": True}
    start, end = derived_range(prefix, used_addresses(model, facts, network)[fam])
    to_text = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return {"prefix": prefix, "first": str(to_text(start)), "last": str(to_text(end)), "explicit": False}


def _live_migration(model, facts, cluster, nodes_designed):
    network = live_migration_network(model, cluster)
    if not network or network not in model.networks:
        return None
    settings = cluster["ove"]["live_migration"]
    first = next(iter(nodes_designed.values()), None)
    master = None
    if first:
        iface = next((v for v in first["vlan_interfaces"] if v["network"] == network), None)
        master = iface["name"] if iface else None
    ranges = [r for r in (_range(model, facts, network, 4, settings["range4"]),
                          _range(model, facts, network, 6, settings["range6"])) if r]
    return {"network": network, "nad_name": settings["nad_name"], "namespace": LIVE_MIGRATION_NAMESPACE,
            "master": master, "mtu": model.networks[network]["mtu"], "ranges": ranges,
            "hyperconverged": {"name": HYPERCONVERGED[0], "namespace": HYPERCONVERGED[1]}}


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
        peer["node_label"] = cluster["ove"]["node_label"]
        peer["node_label_values"] = [node_label_value(model, cluster, n) for n in peer["nodes"]]
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
            "communities": [{"name": _community_alias(c), "value": c} for c in communities],
            # the MetalLB CR starts the speakers on the nodes that peer with the leaves
            "speaker_node_selector": dict(WORKER_SELECTOR)}


def ove_section(model, facts, cluster_name, nodes) -> dict:
    """The ``ove`` key of an OVE cluster's structured config (see the module docstring)."""
    from .vm_interfaces import vm_interfaces  # pylint: disable=import-outside-toplevel  # it imports this module

    cluster = model.clusters[cluster_name]
    ove = cluster["ove"]
    bridge, mappings, nads = _vm_side(model, cluster, nodes)
    section = {
        "vm_namespace": ove["vm_namespace"],
        "cni": ove["cni"],
        "layout": ove["vm_layout"],
        "ocp_version": ove["ocp_version"],
        "shared_mapping": shared_mapping(cluster),
        "node_label": ove["node_label"],
        "br_ex": {"machine_interface": machine_interface(model, cluster),
                  "under": {n: under_br_ex(model, cluster, nodes[n]) for n in sorted(nodes)}},
        "install": _install(model, cluster, nodes),
        "host_bridge": bridge,
        "bridge_mappings": mappings,
        "nads": nads,
        "policies": _policies(model, cluster, nodes, bridge, mappings),
        "live_migration": _live_migration(model, facts, cluster, nodes),
        "ovn": _ovn(model, cluster),
        "install_config": _install_config(model, cluster),
        "metallb": _metallb(model, facts, cluster),
        "vms": vm_interfaces(model, cluster),
    }
    return {"ove": section}
