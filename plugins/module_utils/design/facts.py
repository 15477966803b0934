"""Site facts: everything decided once for the whole site.

``site_facts(model)`` allocates addresses and ASNs from pools by stable ids,
derives both ends of every cable, the spine-leaf links, the leaf host ports
(port-channel, allowed and native VLANs, MTU, DCB), the gateways and every
BGP session.  Per-device structured configs (switches.py, hosts.py,
clusters.py) only read these facts, so two devices can never disagree about
a shared value.
"""

from __future__ import annotations

from ..addressing import contains, loopback, nth_host, p2p_link, prefixlen
from ..errors import InputError
from ..checks import cabling
from ..checks import foundation as addr_rules
from ..findings import ModelError
from .. import platforms
from . import exhaustion, north_south

# Which networks each Network ATC traffic type needs on an adapter's switch port.
_ATC_TRAFFIC_ROLES = {"management": ("management",), "compute": ("vm", "live_migration", "cluster")}


class SiteFacts:
    """Plain containers filled by ``site_facts``; see the module docstring.

    Every field is declared here (``__slots__``): no stage may hang a cache of its
    own on the facts.
    """

    __slots__ = ("model", "switches", "links", "cables", "node_cables", "host_ports", "port_channels", "node_links",
                 "addresses", "svis", "leaf_vlans", "network_leaves", "stretched", "vnis", "sessions",
                 "sessions_by_device", "fabric_prefixes", "port_mtu", "findings", "pool_misses", "edge")

    def __init__(self, model):
        self.model = model
        self.switches = {}        # name -> switch facts
        self.links = []           # spine-leaf point-to-point links
        self.cables = []          # one per server NIC
        self.node_cables = {}     # (cluster, node) -> its cables
        self.host_ports = {}      # leaf -> {interface name -> port facts}
        self.port_channels = {}   # leaf -> {channel id -> port-channel facts}
        self.node_links = {}      # (cluster, node) -> host-side link facts
        self.addresses = {}       # (cluster, node, network) -> {"ipv4": "a/len", "ipv6": ...}
        self.svis = {}            # leaf -> {network -> {"ipv4", "ipv6", "gateway4", "gateway6"}}
        self.leaf_vlans = {}      # leaf -> sorted VLAN ids
        self.network_leaves = {}  # network -> sorted leaves carrying it
        self.stretched = {}       # network -> sorted racks, for networks on more than one pair
        self.vnis = {}            # network -> VNI (overlay only)
        self.sessions = []        # BGP sessions (both ends)
        self.sessions_by_device = {}  # device -> [(session, its end "a"|"b", the other end)], in session order
        self.fabric_prefixes = {}  # what the fabric carries per family: loopbacks, servers, VIPs (route filters)
        self.port_mtu = {}        # switch -> MTU of its ports
        self.findings = []        # allocation errors
        self.pool_misses = []     # failed allocations: one finding per pool (exhaustion.py)
        self.edge = {}            # VRFs, external sessions, handover ports (north_south.edge_facts)


def site_facts(model) -> SiteFacts:
    facts = SiteFacts(model)
    _switches(model, facts)
    _links(model, facts)
    _mlag_sessions(model, facts)
    _node_addresses(model, facts)
    _cables(model, facts)
    _gateways(model, facts)
    _metallb_sessions(model, facts)
    facts.edge = north_south.edge_facts(model, facts)
    _index_sessions(facts)
    _fabric_prefixes(model, facts)
    facts.findings += exhaustion.findings(model, facts.pool_misses)
    if facts.findings:
        raise ModelError(facts.findings, "design")
    return facts


def _alloc(facts, path, func, *args, hint="enlarge the pool or lower the id"):
    """Call an addressing function; turn its error into a located finding."""
    try:
        return func(*args)
    except InputError as exc:
        facts.pool_misses.append(exhaustion.Miss(path, func, args, str(exc), hint))
        return None


def _switches(model, facts):
    fab, pools = model.fabric, model.fabric["pools"]
    for spine in model.fabric["spines"]:
        path = f"fabric.spines[{spine['name']}]"
        plat = spine["platform"] or fab["platform"]
        lo4 = spine["loopback4"] or _alloc(facts, path, loopback, pools["loopback4"], spine["id"])
        lo6 = spine["loopback6"] or (pools["loopback6"] and _alloc(facts, path, loopback, pools["loopback6"], spine["id"]))
        facts.switches[spine["name"]] = {
            "name": spine["name"], "role": "spine", "id": spine["id"], "platform": plat, "asn": fab["asn"]["spine"],
            "loopback4": lo4, "loopback6": lo6, "router_id": lo4, "path": path, "rack": None, "peer": None,
            "management": _management_address(facts, model, path, spine["id"]),
        }
        facts.port_mtu[spine["name"]] = min(fab["mtu"], platforms.get(plat).max_mtu)
    for name, leaf in model.leaves.items():
        pair, path = leaf["pair"], leaf["path"]
        offset = pools["leaf_offset"]
        lo4 = _alloc(facts, path, loopback, pools["loopback4"], leaf["id"], offset)
        lo6 = pools["loopback6"] and _alloc(facts, path, loopback, pools["loopback6"], leaf["id"], offset)
        vtep = pools["vtep4"] and _alloc(facts, path, loopback, pools["vtep4"], pair["rack"])
        mlag = None
        if pair["mlag"] and len(pair["leaves"]) == 2 and pools["mlag4"]:
            link = _alloc(facts, f"fabric.leaf_pairs[{pair['rack']}]", p2p_link, pools["mlag4"], pair["rack"] - 1)
            if link:
                mine, theirs = (link["a"], link["b"]) if leaf["side"] == "a" else (link["b"], link["a"])
                mlag = {"local_ip": mine, "peer_ip": theirs, "prefixlen": link["prefixlen"]}
        facts.switches[name] = {
            "name": name, "role": "leaf", "id": leaf["id"], "platform": leaf["platform"],
            "asn": pair["asn"] or fab["asn"]["leaf_base"] + pair["rack"], "rack": pair["rack"], "side": leaf["side"],
            "peer": leaf["peer"] if pair["mlag"] else None, "loopback4": lo4, "loopback6": lo6, "router_id": lo4,
            "vtep4": vtep if fab["overlay"] == "evpn_vxlan" else None, "mlag": mlag, "path": path,
            # the pair's peer VLAN: MLAG control and the routed iBGP peering between the two leaves
            "mlag_vlan": (fab["mlag"]["vlan"] or platforms.get(leaf["platform"]).mlag_peer_vlan)
            if pair["mlag"] and len(pair["leaves"]) == 2 else None,
            "management": _management_address(facts, model, path, leaf["id"] + offset),
        }
        facts.port_mtu[name] = min(fab["mtu"], platforms.get(leaf["platform"]).max_mtu)
        facts.host_ports[name] = {}
        facts.port_channels[name] = {}
        facts.svis[name] = {}


def _management_address(facts, model, path, index):
    """{"ipv4": "a/len", "ipv6": ...} of a switch's management port, by its stable id; None without a pool."""
    mgmt = model.fabric["management"]
    if not mgmt:
        return None
    out = {}
    for fam in ("4", "6"):
        pool = mgmt[f"pool{fam}"]
        addr = pool and _alloc(facts, f"{path} (fabric.management.pool{fam})", nth_host, pool, mgmt["host_offset"] + index)
        out[f"ipv{fam}"] = addr and _with_len(addr, pool)
    return out


def _links(model, facts):
    fab, pools = model.fabric, model.fabric["pools"]
    unnumbered = fab["bgp"]["unnumbered"]
    for leaf_name, leaf in model.leaves.items():
        lf = facts.switches[leaf_name]
        for spine in model.fabric["spines"]:
            sp = facts.switches[spine["name"]]
            n = (leaf["id"] - 1) * pools["max_spines"] + (spine["id"] - 1)
            path = f"{leaf['path']}"
            link = {
                "spine": sp["name"], "leaf": leaf_name,
                "spine_port": platforms.get(sp["platform"]).ethernet_name(fab["uplinks"]["spine_first_port"] + leaf["id"] - 1),
                "leaf_port": platforms.get(lf["platform"]).ethernet_name(fab["uplinks"]["leaf_first_port"] + spine["id"] - 1),
                "mtu": min(facts.port_mtu[sp["name"]], facts.port_mtu[leaf_name]), "index": n,
                "spine_ip4": None, "leaf_ip4": None, "spine_ip6": None, "leaf_ip6": None, "prefixlen4": None, "prefixlen6": None,
                "unnumbered": unnumbered,
            }
            if not unnumbered:
                p4 = _alloc(facts, path, p2p_link, pools["p2p4"], n)
                if p4:
                    link.update(spine_ip4=p4["a"], leaf_ip4=p4["b"], prefixlen4=p4["prefixlen"], subnet4=p4["subnet"])
                if pools["p2p6"]:
                    p6 = _alloc(facts, path, p2p_link, pools["p2p6"], n)
                    if p6:
                        link.update(spine_ip6=p6["a"], leaf_ip6=p6["b"], prefixlen6=p6["prefixlen"], subnet6=p6["subnet"])
            facts.links.append(link)
            for fam in ("4", "6") if not unnumbered else ("4",):
                if not unnumbered and not link[f"spine_ip{fam}"]:
                    continue
                facts.sessions.append({
                    "kind": "underlay", "family": int(fam), "bfd": fab["bfd"]["enabled"],
                    "a": {"device": sp["name"], "ip": link[f"spine_ip{fam}"], "asn": sp["asn"], "interface": link["spine_port"]},
                    "b": {"device": leaf_name, "ip": link[f"leaf_ip{fam}"], "asn": lf["asn"], "interface": link["leaf_port"]},
                    "unnumbered": unnumbered, "evpn": fab["overlay"] == "evpn_vxlan",
                    "path": f"{leaf['path']} <-> fabric.spines[{sp['name']}]",
                })


def _mlag_sessions(model, facts):
    """The routed iBGP peering of each MLAG pair over its peer VLAN (side a is end "a").

    A leaf that loses its uplinks still reaches the fabric through its pair-mate, and each leaf
    learns the other's prefixes directly instead of through the spines.
    """
    for name, sw in facts.switches.items():
        if sw["role"] != "leaf" or sw["side"] != "a" or not sw.get("mlag") or not sw.get("peer"):
            continue
        peer = facts.switches[sw["peer"]]
        if not peer.get("mlag"):
            continue
        vlan_if = platforms.get(sw["platform"]).vlan_interface_name(sw["mlag_vlan"])
        facts.sessions.append({
            "kind": "mlag", "family": 4, "bfd": model.fabric["bfd"]["enabled"], "vlan": sw["mlag_vlan"],
            "a": {"device": name, "ip": sw["mlag"]["local_ip"], "asn": sw["asn"], "interface": vlan_if},
            "b": {"device": peer["name"], "ip": peer["mlag"]["local_ip"], "asn": peer["asn"], "interface": vlan_if},
            "unnumbered": False, "evpn": False,
            "path": f"fabric.leaf_pairs[{sw['rack']}]",
        })


def _with_len(address, prefix, lengths=None):
    """``address/length`` of ``prefix``; ``lengths`` (prefix -> length) reads each prefix once when a loop
    addresses thousands of nodes or SVIs on a few networks."""
    if lengths is None:
        return f"{address}/{prefixlen(prefix)}"
    if prefix not in lengths:
        lengths[prefix] = prefixlen(prefix)
    return f"{address}/{lengths[prefix]}"


def _node_addresses(model, facts):
    """Node addresses on every non-VM network: explicit, else host_offset + address_offset + node id."""
    lengths = {}
    for cluster in model.clusters.values():
        auto_storage = set()
        if cluster["platform"] == "azure_local" and cluster["storage"]["auto_ip"]:
            for intent in cluster["intents"]:
                auto_storage.update(intent["storage_networks"])
        # the networks nodes are addressed on, once per cluster (VM networks are most of a cluster's)
        addressed = [n for n in cluster["networks"] if model.networks[n]["role"] != "vm" and n not in auto_storage]
        for node in cluster["nodes"]:
            npath = f"clusters[{cluster['name']}].nodes[{node['name']}]"
            for net_name in addressed:
                net = model.networks[net_name]
                explicit = node["addresses"].get(net_name, {})
                entry = {}
                for fam in ("4", "6"):
                    prefix = net[f"ipv{fam}"]
                    if not prefix:
                        if explicit.get(f"ipv{fam}"):
                            facts.findings.append(addr_rules.ADDRESS_OUTSIDE.at(
                                f"{npath}.addresses[{net_name}].ipv{fam}", f"network '{net_name}' has no ipv{fam} prefix",
                                "remove the address"))
                        continue
                    if explicit.get(f"ipv{fam}"):
                        addr = explicit[f"ipv{fam}"]
                        if not contains(prefix, addr):
                            facts.findings.append(addr_rules.ADDRESS_OUTSIDE.at(
                                f"{npath}.addresses[{net_name}].ipv{fam}", f"{addr} is outside {net_name} {prefix}",
                                "use an address inside the network"))
                            continue
                    else:
                        index = net["host_offset"] + cluster["address_offset"] + node["id"]
                        addr = _alloc(facts, f"{npath}.addresses[{net_name}]", nth_host, prefix, index)
                        if not addr:
                            continue
                    entry[f"ipv{fam}"] = _with_len(addr, prefix, lengths)
                facts.addresses[(cluster["name"], node["name"], net_name)] = entry


def _split_cable(model, cable):
    leaf, port = cable.split(":", 1)
    return leaf, port, platforms.get(model.leaves[leaf]["platform"]).port_number(port)


def _vlans_of(model, names):
    return sorted(model.networks[n]["vlan"] for n in names)


def _cables(model, facts):
    memo = {}  # networks of a port -> (sorted names, VLAN ids): every port of a cluster carries the same
    for cluster in model.clusters.values():
        native = cluster["native_network"]
        native_vlan = model.networks[native]["vlan"] if native else None
        profile = model.bond_profiles.get(cluster["bond"]["profile"]) if cluster["bond"] else None
        for node in cluster["nodes"]:
            npath = f"clusters[{cluster['name']}].nodes[{node['name']}]"
            members = []
            for nic, cable in sorted(node["nics"].items()):
                leaf, port, number = _split_cable(model, cable)
                record = {"cluster": cluster["name"], "node": node["name"], "nic": nic, "leaf": leaf, "port": port,
                          "number": number, "path": f"{npath}.nics[{nic}]", "platform": cluster["platform"]}
                facts.cables.append(record)
                facts.node_cables.setdefault((cluster["name"], node["name"]), []).append(record)
                members.append(record)
            if cluster["platform"] == "azure_local":
                _azure_ports(model, facts, cluster, node, members, native, native_vlan, memo)
            elif cluster["vswitches"]:
                _vswitch_ports(model, facts, cluster, node, members, native, native_vlan, memo)
            else:
                _bond_ports(model, facts, cluster, node, members, profile, native_vlan, npath, memo)


def _port(facts, model, cable, networks, native_vlan, channel, dcb=None, memo=None):
    leaf = cable["leaf"]
    # every port of a cluster carries the same networks: sort them once, give each port its own copy
    key = tuple(networks)
    memo = {} if memo is None else memo
    if key not in memo:
        memo[key] = (sorted(networks), _vlans_of(model, networks))
    names, vlans = (list(v) for v in memo[key])
    port = {
        "name": cable["port"], "number": cable["number"], "description": f"{cable['node']}:{cable['nic']}",
        "cluster": cable["cluster"], "node": cable["node"], "nic": cable["nic"], "path": cable["path"],
        "networks": names, "allowed_vlans": vlans, "native_vlan": native_vlan if native_vlan in vlans else None,
        "mode": "access" if len(vlans) == 1 and native_vlan in vlans else "trunk",
        "mtu": facts.port_mtu[leaf], "edge": True, "channel": channel, "dcb": dcb,
    }
    port["blackhole_vlan"] = _blackhole(model, port)
    facts.host_ports[leaf][cable["port"]] = port
    return port


def one_switch_or_pair(model, leaves) -> bool:
    """Whether ports on these leaves can form one port-channel: one leaf, or the two leaves of an MLAG pair."""
    if len(leaves) <= 1:
        return True
    return (len(leaves) == 2 and model.leaves[leaves[0]]["rack"] == model.leaves[leaves[1]]["rack"]
            and model.leaves[leaves[0]]["pair"]["mlag"])


def _channel(model, facts, cluster_name, node_name, members, npath, lacp, lacp_rate):
    """The leaf port-channel of an aggregated link (LACP ``active`` or static ``on``); returns its id or None.

    None when the members cannot form one channel (two unrelated leaves: the
    bond and vSwitch rules say so); an id taken on a leaf is a located
    finding (the port-channel id collision rule).  The id is the lowest
    member port number, so both MLAG leaves agree.
    """
    leaves = sorted({m["leaf"] for m in members})
    if not leaves or not one_switch_or_pair(model, leaves):
        return None
    cid = min(m["number"] for m in members)
    for leaf in leaves:
        existing = facts.port_channels[leaf].get(cid)
        if existing:
            facts.findings.append(cabling.CHANNEL_COLLISION.at(
                npath, f"port-channel {cid} on {leaf} is already used by {existing['node']}",
                "the channel id is the lowest member port number: cable both members of a bond to the same "
                "port number on the two leaves", related=(existing["path"],)))
            continue
        facts.port_channels[leaf][cid] = {
            "id": cid, "name": platforms.get(model.leaves[leaf]["platform"]).port_channel_name(cid),
            "lacp": lacp, "lacp_rate": lacp_rate, "mlag_id": cid if len(leaves) == 2 else None,
            "node": node_name, "cluster": cluster_name, "path": npath,
            "members": sorted(m["port"] for m in members if m["leaf"] == leaf)}
    return cid


def _member_ports(model, facts, node, members, networks, native_vlan, cid, label, memo):
    """The leaf port of each member; a member of the node's own port-channel ``cid`` joins it."""
    ports = []
    for m in members:
        ch = facts.port_channels[m["leaf"]].get(cid) if cid else None
        if ch is not None and ch["node"] != node["name"]:
            ch = None
        port = _port(facts, model, m, networks, native_vlan, ch and {"id": ch["id"], "name": ch["name"]}, memo=memo)
        if ch:
            ch.setdefault("allowed_vlans", port["allowed_vlans"])
            ch.setdefault("native_vlan", port["native_vlan"])
            ch.setdefault("mode", port["mode"])
            ch.setdefault("blackhole_vlan", port["blackhole_vlan"])
            ch.setdefault("networks", port["networks"])
            ch["mtu"] = port["mtu"]
            ch["description"] = f"{node['name']}:{label}"
        ports.append(port)
    return ports


def _blackhole(model, port):
    """The black-hole native VLAN of a trunk that sends no network untagged (fabric.blackhole_vlan), else None.

    The trunk does not allow it, so untagged frames are dropped on ingress instead of landing in VLAN 1
    with every other host's; the port's ``native_vlan`` (what host and leaf agree is untagged) stays None.
    """
    if port["mode"] != "trunk" or port["native_vlan"] is not None:
        return None
    return model.fabric["blackhole_vlan"]


def _vm_bond(model, cluster):
    """The OVE dedicated layout's second bond (model record), or None: its NICs carry the VM networks."""
    ove = cluster.get("ove") or {}
    if cluster["platform"] != "ove" or ove.get("vm_layout") != "dedicated" or not ove.get("vm_bond"):
        return None
    return ove["vm_bond"]


def _bond_ports(model, facts, cluster, node, members, profile, native_vlan, npath, memo):
    """Host bond(s) of a node and their leaf ports; both ends of each bond come from the same cables.

    An OVE cluster with the dedicated VM layout has two bonds: the cluster bond (the NICs not listed in
    ``ove.vm_bond.nics``) carries every network but the VM ones, the VM bond carries only the VM
    networks; each gets its own port-channel, derived the same way.
    """
    vm_bond = _vm_bond(model, cluster)
    networks = list(cluster["networks"])
    if vm_bond:
        vm_nets = [n for n in networks if model.networks[n]["role"] == "vm"]
        host_nets = [n for n in networks if model.networks[n]["role"] != "vm"]
        vm_members = [m for m in members if m["nic"] in vm_bond["nics"]]
        members = [m for m in members if m["nic"] not in vm_bond["nics"]]
        vm_profile = model.bond_profiles.get(vm_bond["profile"])
    link = _one_bond(model, facts, cluster, node, members, cluster["bond"], profile,
                     host_nets if vm_bond else networks, native_vlan, npath, memo)
    link["nic_networks"] = {m["nic"]: link["networks"] for m in members}
    link["vm_bond"] = None
    if vm_bond and vm_profile:
        vm_link = _one_bond(model, facts, cluster, node, vm_members, vm_bond, vm_profile, vm_nets, None, npath, memo)
        link["vm_bond"] = vm_link
        link["nic_networks"].update({m["nic"]: vm_nets for m in vm_members})
    facts.node_links[(cluster["name"], node["name"])] = link


def _one_bond(model, facts, cluster, node, members, bond, profile, networks, native_vlan, npath, memo):
    mode = profile["mode"]
    link = {"cluster": cluster["name"], "node": node["name"], "kind": "bond", "name": bond["name"], "mode": mode,
            "profile": bond["profile"], "members": [m["nic"] for m in members],
            "leaves": sorted({m["leaf"] for m in members}), "networks": list(networks), "native_vlan": native_vlan,
            "mtu": profile["mtu"], "channel_id": None, "path": f"{npath}", "lacp": mode == "802.3ad"}
    if mode in ("802.3ad", "balance-xor", "balance-rr"):
        link["channel_id"] = _channel(model, facts, cluster["name"], node["name"], members, npath,
                                      "active" if mode == "802.3ad" else "on", profile["lacp_rate"] or "slow")
    _member_ports(model, facts, node, members, networks, native_vlan, link["channel_id"], bond["name"], memo)
    return link


# vSphere teaming -> the leaf side: IP hash needs a static port-channel, a LAG an LACP one; every other
# policy pins each VM to one uplink and wants independent ports (docs/migration.md, "The VMware hosts").
VSWITCH_CHANNEL = {"loadbalance_ip": "on", "lacp": "active"}


def vswitch_leaf_ports(teaming: str) -> str:
    """The leaf side of a vSwitch's uplinks in words, for plans and reports."""
    leaf_side = {"on": "static port-channel", "active": "LACP port-channel"}
    return leaf_side.get(VSWITCH_CHANNEL.get(teaming), "independent trunk ports")


def vswitch_networks(model, cluster, vswitch) -> list:
    """Names of the networks a vSwitch carries, in the cluster's order (see the model's `vswitches[].networks`)."""
    if vswitch["networks"]:
        wanted = set(vswitch["networks"])
    elif len(cluster["vswitches"]) == 1:
        wanted = set(cluster["networks"])
    else:
        wanted = {n for n in cluster["networks"] if n in model.networks
                  and any(pg["switch"] == vswitch["name"] for pg in model.networks[n]["port_groups"])}
    return [n for n in cluster["networks"] if n in wanted and n in model.networks]


def _vswitch_ports(model, facts, cluster, node, members, native, native_vlan, memo):
    """ESXi hosts: each vSwitch's uplinks carry its networks; its teaming decides the leaf port-channel.

    The leaf ports of a vSwitch's uplinks are one static port-channel (IP hash), one LACP port-channel with
    the LAG's rate (a distributed switch's LAG), or independent trunk ports (originating port, source MAC,
    physical NIC load, explicit failover).  ``host_mtu`` on each port is the vSwitch MTU.
    """
    cpath = f"clusters[{cluster['name']}]"
    npath = f"{cpath}.nodes[{node['name']}]"
    by_nic = {m["nic"]: m for m in members}
    vswitches = []
    for vs in cluster["vswitches"]:
        nets = vswitch_networks(model, cluster, vs)
        cables = [by_nic[u] for u in vs["uplinks"] if u in by_nic]
        lacp = VSWITCH_CHANNEL.get(vs["teaming"])
        cid = _channel(model, facts, cluster["name"], node["name"], cables, npath, lacp,
                       vs["lacp"]["rate"] if vs["teaming"] == "lacp" else "slow") if lacp and cables else None
        for port in _member_ports(model, facts, node, cables, nets, native_vlan if native in nets else None, cid,
                                  vs["name"], memo):
            port["host_mtu"] = vs["mtu"]
            port["vswitch"] = vs["name"]
        vswitches.append({
            "name": vs["name"], "kind": vs["kind"], "teaming": vs["teaming"], "channel": lacp,
            "lacp_mode": vs["lacp"]["mode"] if vs["teaming"] == "lacp" else None,
            "lacp_rate": vs["lacp"]["rate"] if vs["teaming"] == "lacp" else None,
            "uplinks": [c["nic"] for c in cables], "networks": nets, "mtu": vs["mtu"], "channel_id": cid,
            "leaves": sorted({c["leaf"] for c in cables}), "path": f"{cpath}.vswitches[{vs['name']}]"})
    facts.node_links[(cluster["name"], node["name"])] = {
        "cluster": cluster["name"], "node": node["name"], "kind": "vswitches", "vswitches": vswitches,
        "leaves": sorted({lf for vs in vswitches for lf in vs["leaves"]}), "networks": list(cluster["networks"]),
        "native_vlan": native_vlan, "path": npath,
    }


def _azure_ports(model, facts, cluster, node, members, native, native_vlan, memo):
    """Per-adapter trunks: each adapter's port carries exactly what its intent needs.

    - management / compute traffic: the cluster's networks of those roles;
    - a storage-only intent: adapter i carries storage_networks[i] (Network ATC
      tags storage VLAN i on physical adapter i), nothing else;
    - a converged intent (storage with management and/or compute): every
      adapter carries every storage network of the intent, because the storage
      vNICs sit on the SET switch and may fail over to any member;
    - switchless storage: no storage VLAN on any switch port, and a
      storage-only adapter gets no switch port at all.
    RoCE/RoCEv2 on an adapter carrying storage records the DCB it needs
    (PFC on the SMB priority, ETS shares); ``jumbo_packet`` and the IP MTU it
    implies (JumboPacket counts the 14-byte Ethernet header) are recorded on
    the adapter and on the port (``host_mtu``) for the MTU checks.
    """
    from ..mtu import ETHERNET_HEADER
    from .azure_local import ATC_QOS_DEFAULTS

    by_nic = {m["nic"]: m for m in members}
    roles = {n: model.networks[n]["role"] for n in cluster["networks"]}
    switchless = cluster["storage"]["switchless"]
    adapters = []
    for intent in cluster["intents"]:
        storage = "storage" in intent["traffic"]
        converged = storage and len(intent["traffic"]) > 1
        base = set()
        for traffic in intent["traffic"]:
            base.update(n for n, r in roles.items() if r in _ATC_TRAFFIC_ROLES.get(traffic, ()))
        qos = intent["qos"]
        if not qos["override"]:
            qos = ATC_QOS_DEFAULTS
        jumbo = intent["jumbo_packet"]
        for idx, adapter in enumerate(intent["adapters"]):
            nets = set(base)
            storage_net = None
            if storage and idx < len(intent["storage_networks"]):
                storage_net = intent["storage_networks"][idx]
            if storage and not switchless:
                nets.update(intent["storage_networks"] if converged else [storage_net] if storage_net else [])
            carried_storage = sorted(nets & set(intent["storage_networks"]))
            cable = by_nic.get(adapter)
            rdma = intent["rdma_per_adapter"].get(adapter, intent["rdma"])
            dcb = None
            if carried_storage and rdma in ("roce", "roce_v2"):
                dcb = {"pfc_priorities": [qos["priority_smb"]],
                       "cluster_priority": qos["priority_cluster"],
                       "smb_bandwidth": qos["bandwidth_smb"], "technology": rdma,
                       "storage_vlans": sorted(model.networks[n]["vlan"] for n in carried_storage),
                       "intent": intent["name"]}
            adapters.append({"name": adapter, "intent": intent["name"], "traffic": list(intent["traffic"]),
                             "networks": sorted(nets), "storage_network": storage_net, "rdma": rdma,
                             "jumbo_packet": jumbo, "mtu": jumbo - ETHERNET_HEADER if jumbo else None,
                             "leaf": cable["leaf"] if cable else None, "port": cable["port"] if cable else None})
            if cable and (nets or not (storage and switchless)):
                port = _port(facts, model, cable, sorted(nets), native_vlan if native in nets else None, None, dcb, memo)
                port["host_mtu"] = adapters[-1]["mtu"]
                port["intent"] = intent["name"]
    facts.node_links[(cluster["name"], node["name"])] = {
        "cluster": cluster["name"], "node": node["name"], "kind": "adapters", "adapters": adapters,
        "leaves": sorted({a["leaf"] for a in adapters if a["leaf"]}), "networks": list(cluster["networks"]),
        "native_vlan": native_vlan, "path": f"clusters[{cluster['name']}].nodes[{node['name']}]",
    }


def _gateways(model, facts):
    """VLANs per leaf, stretched networks and VNIs, and the leaf SVIs of fabric gateways."""
    lengths = {}
    net_leaves = {}
    placed = _placed(model)
    for leaf, ports in facts.host_ports.items():
        vlans, networks = set(), set(placed.get(leaf, ()))
        for port in ports.values():
            vlans.update(port["allowed_vlans"])
            networks.update(port["networks"])
        vlans.update(model.networks[n]["vlan"] for n in placed.get(leaf, ()))
        for net in networks:
            net_leaves.setdefault(net, set()).add(leaf)
        facts.leaf_vlans[leaf] = sorted(vlans)
    for net, leaves in net_leaves.items():
        # an MLAG peer carries the pair's VLANs too (peer link), so pair-mates agree
        facts.network_leaves[net] = sorted(leaves)
        racks = sorted({model.leaves[lf]["rack"] for lf in leaves})
        if len(racks) > 1:
            facts.stretched[net] = racks
            if model.fabric["overlay"] == "evpn_vxlan":
                facts.vnis[net] = model.fabric["vni_base"] + model.networks[net]["vlan"]
    for net_name, leaves in facts.network_leaves.items():
        net = model.networks[net_name]
        if net["gateway_on"] != "fabric":
            continue
        gw4 = net["gateway4"] or (net["ipv4"] and nth_host(net["ipv4"], 1))
        gw6 = net["gateway6"] or (net["ipv6"] and nth_host(net["ipv6"], 1))
        path = f"networks[{net_name}]"
        for leaf in leaves:
            lid = model.leaves[leaf]["id"]
            svi = {"gateway4": gw4, "gateway6": gw6, "ipv4": None, "ipv6": None, "vlan": net["vlan"]}
            if net["ipv4"]:
                addr = _alloc(facts, path, nth_host, net["ipv4"], -lid, hint="leaf SVI addresses are the last usable hosts "
                              "(leaf id n -> n-th from the end); enlarge the network")
                svi["ipv4"] = addr and _with_len(addr, net["ipv4"], lengths)
            if net["ipv6"]:
                addr = _alloc(facts, path, nth_host, net["ipv6"], -lid)
                svi["ipv6"] = addr and _with_len(addr, net["ipv6"], lengths)
            facts.svis[leaf][net_name] = svi


def _placed(model):
    """leaf -> networks placed on it by ``networks[].leaves`` (reserved before any cluster there uses them)."""
    out = {}
    for net in model.networks.values():
        for named in net["leaves"]:
            leaf = model.leaves[named]
            mate = leaf["peer"] if leaf["pair"]["mlag"] else None
            for name in (named, mate) if mate else (named,):
                if net["name"] not in out.setdefault(name, []):
                    out[name].append(net["name"])
    return out


def _metallb_sessions(model, facts):
    """Leaf <-> MetalLB speaker sessions: from the leaf SVI to the node address on the peer network."""
    for cluster in model.clusters.values():
        mlb = cluster["metallb"]
        if not mlb or cluster["platform"] != "ove":
            continue
        peer_net = mlb["peer_network"] or next(
            (n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)
        if not peer_net:
            facts.findings.append(addr_rules.METALLB_NO_PEER_NETWORK.at(
                f"clusters[{cluster['name']}].metallb.peer_network",
                "no peer network and the cluster has no management network", "set metallb.peer_network"))
            continue
        for node in cluster["nodes"]:
            link = facts.node_links.get((cluster["name"], node["name"]))
            addrs = facts.addresses.get((cluster["name"], node["name"], peer_net), {})
            for leaf in (link or {}).get("leaves", []):
                svi = facts.svis[leaf].get(peer_net)
                if not svi:
                    facts.findings.append(addr_rules.METALLB_NO_FABRIC_GATEWAY.at(
                        f"clusters[{cluster['name']}].metallb.peer_network",
                        f"network '{peer_net}' has no gateway on the fabric, so {leaf} cannot peer with MetalLB",
                        "set gateway_on: fabric on the peer network"))
                    break
                # On a stretched network whose anycast SVI has no address of its own (NX-OS), the
                # leaf answers from its loopback, multihop; elsewhere from its own SVI address.
                sw = facts.switches[leaf]
                multihop = peer_net in facts.vnis and not platforms.get(sw["platform"]).anycast_svi_unique_ip
                for fam in ("4", "6"):
                    leaf_ip = sw[f"loopback{fam}"] if multihop else (svi.get(f"ipv{fam}") or "").split("/")[0]
                    if addrs.get(f"ipv{fam}") and leaf_ip and svi.get(f"ipv{fam}"):
                        facts.sessions.append({
                            "kind": "metallb", "family": int(fam), "bfd": model.fabric["bfd"]["enabled"],
                            "cluster": cluster["name"], "network": peer_net, "multihop": multihop,
                            "a": {"device": leaf, "ip": leaf_ip, "asn": sw["asn"],
                                  "source_interface": platforms.get(sw["platform"]).loopback_name(0) if multihop else None},
                            "b": {"device": node["name"], "ip": addrs[f"ipv{fam}"].split("/")[0], "asn": mlb["asn"]},
                            "password_var": model.fabric["bgp"]["password_var"],
                            "password_secret": mlb["password_secret"], "unnumbered": False, "evpn": False,
                            "path": f"clusters[{cluster['name']}].nodes[{node['name']}] <-> {model.leaves[leaf]['path']}",
                        })


def _index_sessions(facts):
    for s in facts.sessions:
        for me, other in (("a", "b"), ("b", "a")):
            facts.sessions_by_device.setdefault(s[me]["device"], []).append((s, me, other))


def _fabric_prefixes(model, facts):
    """What the fabric may carry, per family: loopbacks, VTEPs, server subnets and VIPs.

    One site fact shared by every switch, so the spine's inbound filter and the
    leaf's outbound filter are the same list.
    """
    pools = model.fabric["pools"]
    loop = {4: [(pools["loopback4"], 32, 32)], 6: [(pools["loopback6"], 128, 128)] if pools["loopback6"] else []}
    if pools["vtep4"] and model.fabric["overlay"] == "evpn_vxlan":
        loop[4].append((pools["vtep4"], 32, 32))
    servers = {4: [], 6: []}
    for net_name in sorted(facts.network_leaves):
        net = model.networks[net_name]
        if net["gateway_on"] != "fabric" or net["vrf"]:   # the default VRF carries only what is not in a tenant VRF
            continue
        for fam in (4, 6):
            if net[f"ipv{fam}"]:
                servers[fam].append((net[f"ipv{fam}"], None, None))
    vips = {4: [], 6: []}
    vip_communities = {}
    for cluster in model.clusters.values():
        if cluster["metallb"] and cluster["platform"] == "ove" and not north_south.pool_vrf(model, cluster):
            for pool in cluster["metallb"]["pools"]:
                for fam in (4, 6):
                    if pool[f"ipv{fam}"]:
                        vips[fam].append((pool[f"ipv{fam}"], prefixlen(pool[f"ipv{fam}"]), 32 if fam == 4 else 128))
                        vip_communities[pool[f"ipv{fam}"]] = pool["communities"]
    facts.fabric_prefixes = {"loopbacks": loop, "servers": servers, "vips": vips, "vip_communities": vip_communities}
