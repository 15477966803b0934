"""Every read of the model, the site facts and the design the path explainer makes, in one place.

The engine core (facts, design) changes shape from time to time; the
explainer reads it only through these small functions, so such a change is a
fix here and nowhere else.  The plug points of objects the model does not
have yet (tenant VRFs, border exits) live here too: each says what it returns
until that part of the model exists.
"""

from __future__ import annotations

import ipaddress

from .. import hopmtu, platforms
from ..design import north_south
from ..design import ove as ove_design

DEFAULT_VRF = "default"


# ---------------------------------------------------------------------------------------------- switches
def switch(facts, name) -> dict:
    """role, platform, asn, rack, peer, loopback4/6, vtep4, path of a spine or leaf."""
    return facts.switches[name]


def pair(facts, leaf) -> list:
    """The leaf and its MLAG peer (sorted), or the leaf alone."""
    peer = facts.switches[leaf].get("peer")
    return sorted([leaf, peer]) if peer else [leaf]


def uplinks(facts, leaf) -> list:
    """Leaf-spine links of a leaf, in spine order: spine, leaf_port, spine_port, mtu."""
    return sorted((lk for lk in facts.links if lk["leaf"] == leaf), key=lambda lk: lk["index"])


def downlink(facts, spine, leaf):
    return next((lk for lk in facts.links if lk["spine"] == spine and lk["leaf"] == leaf), None)


def spines(facts) -> list:
    return sorted(n for n, sw in facts.switches.items() if sw["role"] == "spine")


def port_mtu(facts, device) -> int:
    return facts.port_mtu[device]


def vlan_interface(facts, leaf, vlan) -> str:
    return platforms.get(facts.switches[leaf]["platform"]).vlan_interface_name(vlan)


def vtep_interface(facts, leaf) -> str:
    return platforms.get(facts.switches[leaf]["platform"]).vtep_interface


def vtep_source(design, leaf):
    """The interface a leaf's VXLAN tunnel is sourced from (its structured config), or None."""
    return (design["switches"].get(leaf, {}).get("vxlan") or {}).get("source_interface")


def mlag_peer_link(design, leaf):
    """The peer link of a leaf's MLAG pair (name, members) from its structured config, or None."""
    mlag = design["switches"].get(leaf, {}).get("mlag")
    return mlag["peer_link"] if mlag else None


# ----------------------------------------------------------------------------------------- hosts, cabling
def node_cluster(model, node):
    """Cluster name of a node (node names are unique site-wide), or None."""
    return next((c for (c, n) in model.nodes if n == node), None)


def node_names(model) -> list:
    return sorted(n for (_c, n) in model.nodes)


def cluster_nodes(model, cluster) -> list:
    """Node names of a cluster, in the model's order."""
    return [n["name"] for n in model.clusters[cluster]["nodes"]]


def node_link(facts, cluster, node):
    """Host side of a node's cabling: kind bond (members, leaves, mode) or adapters (Azure Local)."""
    return facts.node_links.get((cluster, node))


def node_cables(facts, cluster, node) -> list:
    """One record per cabled NIC: nic, leaf, port."""
    return list(facts.node_cables.get((cluster, node), ()))


def node_config(design, node) -> dict:
    return design["nodes"][node]


def cluster_config(design, cluster) -> dict:
    return design["clusters"][cluster]


def node_bond(model, design, node, network):
    """The bond (structured config: name, ports, profile, mtu) a node sends ``network`` by: on OVE's dedicated
    layout the VM bond for a VM network, else the node's bond; None for a node without a bond."""
    return hopmtu.host_bond(design["nodes"][node], model.networks[network]["role"] == "vm")


def host_interface(model, design, cluster, node, network):
    """Where a node's own address on ``network`` is: {"name", "mtu", "tagged", "port"}, or None.

    The VLAN interface, or the bond for the native network; on an installed OVE node the machine
    network's addresses are on br-ex's internal interface instead, and ``port`` is the interface
    configure-ovs made its port (the bond: untagged, or the bond's VLAN interface: tagged).
    """
    cfg = design["nodes"][node]
    iface = next((i for i in cfg["vlan_interfaces"] if i["network"] == network), None)
    if iface is not None:
        found = {"name": iface["name"], "mtu": iface["mtu"], "tagged": iface.get("vlan") is not None, "port": None}
    elif cfg.get("bond") and cfg["bond"].get("network") == network:
        found = {"name": cfg["bond"]["name"], "mtu": cfg["bond"]["mtu"], "tagged": False, "port": None}
    else:
        return None
    port = machine_port(design, cluster)
    if port and port == found["name"] and network == management_network(model, cluster):
        found.update(name=ove_design.BR_EX, port=port)
    return found


def node_bond_mtu(model, design, node, network):
    """MTU of the bond a node sends ``network`` by (hopmtu: the same number the MTU rules use)."""
    return hopmtu.bond_mtu(design["nodes"][node], model.networks[network]["role"] == "vm")


def vm_bridge(model, cluster) -> str:
    """The host bridge OVE's VM networks are switched by: the VM bridge (dedicated layout) or br-ex (shared)."""
    return ove_design.vm_bridge_name(model.clusters[cluster])


def vm_layout(model, cluster) -> str:
    return model.clusters[cluster]["ove"]["vm_layout"]


def machine_port(design, cluster):
    """The interface configure-ovs made a port of br-ex on an OVE cluster (the bond or its machine-network
    VLAN), or None: the machine network's addresses are on br-ex's internal interface, not on it."""
    ove = design["clusters"][cluster].get("ove")
    return ove["br_ex"]["machine_interface"] if ove else None


def localnet_name(design, cluster, network):
    """What OVN's bridge mapping names for a VM network: the shared physical network (4.18+) or the network's
    own localnet (up to 4.17); None without an OVN localnet NAD."""
    nad = next((n for n in (design["clusters"][cluster].get("ove") or {}).get("nads", ())
                if n["network"] == network and n["cni"] == "localnet"), None)
    return (nad["physical_network"] or nad["localnet"]) if nad else None


def vm_namespace(model, cluster, vm_name) -> str:
    """The namespace an OVE VM runs in (its NAD is there): the inventory VM's own, else the cluster's VM namespace."""
    entry = model.vms.get(vm_name) if vm_name else None
    if entry is None:
        return model.clusters[cluster]["ove"]["vm_namespace"]
    return ove_design.vm_namespace_of(model, model.clusters[cluster], entry)


def host_port(facts, leaf, port):
    return facts.host_ports.get(leaf, {}).get(port)


def port_channel(facts, leaf, channel_id):
    return facts.port_channels.get(leaf, {}).get(channel_id)


def node_address(facts, cluster, node, network) -> dict:
    """{"ipv4": "a/len", "ipv6": ...} of a node on a network, {} when it has none."""
    return facts.addresses.get((cluster, node, network)) or {}


def addressed_networks(model, facts, cluster, node) -> list:
    """Networks the node has an address on, in the cluster's order."""
    return [n for n in model.clusters[cluster]["networks"] if (cluster, node, n) in facts.addresses]


def node_of_address(facts, address):
    """(cluster, node, network) owning a node address, or None."""
    ip = ipaddress.ip_address(address)
    # IPv4 text is canonical (ipaddress refuses leading zeros), so a v4 address is found by its text; only
    # IPv6 values (with a ':') are parsed: their text has several spellings.  A site has ~100k node addresses.
    text = str(ip)
    for key, entry in sorted(facts.addresses.items()):
        for value in entry.values():
            if not value or (":" in value) != (ip.version == 6):
                continue
            if ip.version == 4:
                if value.partition("/")[0] == text:
                    return key
            elif ipaddress.ip_interface(value).ip == ip:
                return key
    return None


# ---------------------------------------------------------------------------------------------- VMs
def vm(model, name):
    """The inventory VM (``dcnet_vms``) of that name, or None."""
    return model.vms.get(name)


def vm_names(model) -> list:
    return sorted(model.vms)


def vm_of_address(model, address):
    """(VM name, NIC name) of the inventory VM NIC holding ``address``, or None."""
    ip = ipaddress.ip_address(address)
    for name in sorted(model.vms):
        for nic in model.vms[name]["nics"]:
            if any(ipaddress.ip_address(a) == ip for a in nic[f"ipv{ip.version}"]):
                return name, nic["name"]
    return None


def vm_moves(design, name) -> list:
    """Waves that move the VM to a model cluster, by start date: wave, start, cluster, nics {nic: plan}
    (plan: target_network, addresses_after, as the wave design computes them)."""
    out = []
    for wave in (design.get("waves") or {}).values():
        if name in wave["vms"] and wave["target"]["cluster"]:
            out.append({"wave": wave["name"], "start": str(wave["start"]), "cluster": wave["target"]["cluster"],
                        "nics": {n["nic"]: n for n in wave["nics"] if n["vm"] == name}})
    return sorted(out, key=lambda m: (m["start"], m["wave"]))


# ---------------------------------------------------------------------------------------------- networks
def network(model, name) -> dict:
    return model.networks[name]


def network_of_address(model, address):
    """Name of the modelled network whose prefix holds ``address``, or None."""
    ip = ipaddress.ip_address(address)
    for name in sorted(model.networks):
        net = model.networks[name]
        prefix = net["ipv4"] if ip.version == 4 else net["ipv6"]
        if prefix and ip in ipaddress.ip_network(prefix):
            return name
    return None


def network_leaves(facts, network) -> list:
    return list(facts.network_leaves.get(network, ()))


def svi(facts, leaf, network):
    """The leaf's SVI on a network (ipv4, ipv6, gateway4, gateway6, vlan), or None."""
    return facts.svis.get(leaf, {}).get(network)


def gateway_leaves(facts, network) -> list:
    """Leaves with an SVI on the network, i.e. announcing its prefix into the fabric."""
    return sorted(lf for lf, svis in facts.svis.items() if network in svis)


def anycast_gateway_mac(design, facts, network):
    """The MAC of the network's anycast gateway (the same on every leaf with its SVI), or None."""
    for leaf in gateway_leaves(facts, network):
        mac = design["switches"].get(leaf, {}).get("anycast_gateway_mac")
        if mac:
            return mac
    return None


def vni(facts, network):
    return facts.vnis.get(network)


def stretched(facts, network) -> bool:
    return network in facts.stretched


def overlay(model) -> str:
    return model.fabric["overlay"]


def vrf(model, network) -> str:
    """VRF of a network: its tenant VRF (``networks[].vrf``), else the default VRF (the underlay)."""
    return model.networks[network].get("vrf") or DEFAULT_VRF


def vrf_record(facts, name):
    """A tenant VRF as the north-south design derives it (L3 VNI, VLAN, subnets, aggregates, leaks), or None."""
    return (facts.edge or {}).get("vrfs", {}).get(name)


def exits(facts, name) -> list:
    """External sessions of a VRF (leaf, interface, both addresses, peer, family, policy, model paths): where its
    traffic leaves the fabric; none for the default VRF, which carries only the underlay."""
    return north_south.exits(facts, name) if vrf_record(facts, name) else []


def vip_vrf(model, cluster) -> str:
    """The VRF a cluster's MetalLB VIPs are announced in: that of its speakers' peer network."""
    return north_south.pool_vrf(model, model.clusters[cluster]) or DEFAULT_VRF


def leaks_into(facts, into, source) -> bool:
    """VRF ``into`` imports the routes of VRF ``source`` (``vrfs[into].leak_from``)."""
    record = vrf_record(facts, into)
    return bool(record) and source in record["leak_from"]


def metallb_pool_of(model, address):
    """(cluster, pool) whose MetalLB range holds ``address``, or None."""
    ip = ipaddress.ip_address(address)
    for cname in sorted(model.clusters):
        mlb = model.clusters[cname]["metallb"]
        for pool in (mlb or {}).get("pools", []):
            prefix = pool["ipv4"] if ip.version == 4 else pool["ipv6"]
            if prefix and ip in ipaddress.ip_network(prefix):
                return cname, pool["name"]
    return None


def metallb_leaves(facts, cluster) -> list:
    """Leaves with a MetalLB BGP session to the cluster's speakers."""
    return sorted({s["a"]["device"] for s in facts.sessions if s["kind"] == "metallb" and s.get("cluster") == cluster})


def management_network(model, cluster):
    """The cluster's first management network: its default route and, on OVE, the Geneve underlay."""
    return next((n for n in model.clusters[cluster]["networks"] if model.networks[n]["role"] == "management"), None)


def ove_section(design, cluster):
    return design["clusters"][cluster].get("ove")


def azure_section(design, cluster):
    return design["clusters"][cluster].get("azure_local")


def bond_profile(model, name) -> dict:
    return model.bond_profiles[name]
