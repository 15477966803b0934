"""VMware host rules (family ``vmware``): the ESXi hosts' teaming agrees with their leaf ports.

During the coexistence period the ESXi hosts are a cluster like any other
(platform ``vmware``): each vSwitch's uplinks are cabled to leaves, and its
teaming decides the leaf side (site facts): IP hash needs a static
port-channel, a LAG of a distributed switch an LACP one, every other policy
independent ports.  The loader enforces what vSphere itself refuses (an
uplink not cabled, LACP on a standard vSwitch, a vmnic on two switches); the
checks catch a leaf side that cannot, or does not, match the teaming.  VLANs
and MTU of the hosts are checked by the vlan and mtu rules like any node's.
"""

from __future__ import annotations

from ..findings import Finding
from . import context
from .registry import check, declare

FAMILY = "vmware"

UPLINK_NOT_CABLED = declare(
    "VMW001", "error", "vSwitch uplink not cabled", FAMILY,
    "Every uplink (vmnic) of every vSwitch is cabled on every host of the cluster (`nodes[].nics`): the leaf "
    "ports, their VLANs and port-channels derive from those cables, and a host whose uplink goes nowhere "
    "runs its vSwitch on fewer links than its teaming expects.")
NOT_IN_VSPHERE = declare(
    "VMW002", "error", "vSwitch setting vSphere does not allow", FAMILY,
    "A vSwitch setting vSphere refuses: LACP teaming on a standard vSwitch (only a distributed switch has "
    "link aggregation groups), or one vmnic as the uplink of two switches.")

CHANNEL_POLICIES = {"loadbalance_ip": "on", "lacp": "active"}
TEAMING_TEXT = {
    "loadbalance_srcid": "route based on originating virtual port", "loadbalance_srcmac": "source MAC hash",
    "loadbalance_loadbased": "route based on physical NIC load", "failover_explicit": "explicit failover order",
    "loadbalance_ip": "IP hash", "lacp": "LACP (LAG)",
}


def _vswitches(model, facts):
    """(cluster, node, vSwitch facts, its cables) of every vSwitch of every cabled ESXi host."""
    for cname, cluster in sorted(model.clusters.items()):
        for node in cluster["nodes"]:
            link = facts.node_links.get((cname, node["name"]))
            if not link or link["kind"] != "vswitches":
                continue
            cables = {c["nic"]: c for c in facts.node_cables.get((cname, node["name"]), ())}
            for vs in link["vswitches"]:
                yield cluster, node, vs, [cables[u] for u in vs["uplinks"] if u in cables]


def _leaf_side(facts, cable):
    """(port facts, port-channel facts or None) of the leaf port a cable ends on."""
    port = facts.host_ports.get(cable["leaf"], {}).get(cable["port"])
    channel = port and port.get("channel")
    return port, facts.port_channels.get(cable["leaf"], {}).get(channel["id"]) if channel else None


def _one_channel(facts, cables):
    """The port-channel all cables end in, or None (a plain port, or members spread over channels)."""
    channels = set()
    for cable in cables:
        port, ch = _leaf_side(facts, cable)
        if not port or ch is None:
            return None
        channels.add((ch["id"], ch["node"]))
    return channels.pop() if len(channels) == 1 else None


def _why_no_channel(model, facts, vs, cables):
    leaves = sorted({c["leaf"] for c in cables})
    racks = sorted({model.leaves[lf]["rack"] for lf in leaves})
    if len(leaves) > 2 or len(racks) > 1:
        return f"its uplinks end on {', '.join(leaves)} (racks {', '.join(map(str, racks))}), no port-channel spans them"
    if len(leaves) == 2:
        return f"its uplinks end on {leaves[0]} and {leaves[1]}, a pair without MLAG (mlag: false)"
    plain = [f"{c['leaf']} {c['port']}" for c in cables if _leaf_side(facts, c)[1] is None]
    if plain:
        return f"{', '.join(plain)} {'is a plain port' if len(plain) == 1 else 'are plain ports'}"
    return "its uplinks are in different port-channels"


def _node_path(cluster, node, cable=None):
    path = context.node_path(cluster["name"], node["name"])
    return f"{path}.nics[{cable['nic']}]" if cable else f"{path}.nics"


@check("VMW003", "error", "IP hash teaming without a static port-channel", FAMILY)
def ip_hash_needs_static_channel(model, facts, design):
    """A vSwitch that teams its uplinks by IP hash faces a static port-channel (mode on) on one switch or an MLAG pair.

    With IP hash the host sends each VM's flows on any uplink; a switch that sees the VM's MAC arrive on two
    independent ports moves it back and forth and delivers return traffic to one port only, so VMs lose
    packets. vSphere supports IP hash only toward a static EtherChannel (no LACP) on a single switch or
    stacked/MLAG switches; uplinks on unrelated leaves, a plain leaf port, or an LACP channel break it.

    Cable the uplinks to one leaf or the two leaves of an MLAG pair (the design then derives the static
    port-channel), or change the vSwitch teaming to route based on originating virtual port.
    """
    for cluster, node, vs, cables in _vswitches(model, facts):
        if vs["teaming"] != "loadbalance_ip" or not cables:
            continue
        one = _one_channel(facts, cables)
        if one is not None:
            for cable in cables:
                _port, ch = _leaf_side(facts, cable)
                if ch["lacp"] != "on":
                    yield Finding("VMW003", _node_path(cluster, node, cable),
                                  f"vSwitch {vs['name']} teams by IP hash but {cable['leaf']} {ch['name']} runs LACP "
                                  f"(mode {ch['lacp']}); ESXi IP hash sends no LACPDUs",
                                  "make the port-channel static (mode on)",
                                  related=(vs["path"], context.leaf_path(model, cable["leaf"])))
            continue
        yield Finding("VMW003", _node_path(cluster, node),
                      f"vSwitch {vs['name']} teams {', '.join(vs['uplinks'])} by IP hash, but "
                      f"{_why_no_channel(model, facts, vs, cables)}",
                      "cable the uplinks to one leaf or one MLAG pair, or use teaming loadbalance_srcid",
                      related=(vs["path"],) + tuple(context.leaf_path(model, lf) for lf in sorted({c["leaf"] for c in cables})))


@check("VMW004", "error", "LACP teaming toward ports without LACP", FAMILY)
def lag_needs_lacp_channel(model, facts, design):
    """The uplinks of a distributed switch's LAG (`teaming: lacp`) face one LACP port-channel on one switch or an MLAG pair.

    A LAG negotiates with LACPDUs: toward plain ports or a static channel no partner answers, the LAG
    ports stay out of the bundle (or fall back to one link) and every port group of the switch loses
    its uplinks; a LAG across two unrelated leaves gets two partners and splits.

    Cable the LAG's uplinks to one leaf or one MLAG pair (the design derives the LACP port-channel), or
    use a teaming without a LAG.
    """
    for cluster, node, vs, cables in _vswitches(model, facts):
        if vs["teaming"] != "lacp" or not cables:
            continue
        one = _one_channel(facts, cables)
        if one is None:
            yield Finding("VMW004", _node_path(cluster, node),
                          f"vSwitch {vs['name']} bundles {', '.join(vs['uplinks'])} in an LACP LAG, but "
                          f"{_why_no_channel(model, facts, vs, cables)}",
                          "cable the LAG's uplinks to one leaf or one MLAG pair",
                          related=(vs["path"],) + tuple(context.leaf_path(model, lf) for lf in sorted({c["leaf"] for c in cables})))
            continue
        for cable in cables:
            _port, ch = _leaf_side(facts, cable)
            if ch["lacp"] not in ("active", "passive") or (ch["lacp"] == "passive" and vs["lacp_mode"] == "passive"):
                what = "static (mode on)" if ch["lacp"] == "on" else f"LACP mode {ch['lacp']} like the LAG"
                yield Finding("VMW004", _node_path(cluster, node, cable),
                              f"vSwitch {vs['name']} runs an LACP LAG ({vs['lacp_mode']}) but {cable['leaf']} {ch['name']} "
                              f"is {what}: no LACP partner",
                              "make the port-channel LACP active", related=(vs["path"], context.leaf_path(model, cable["leaf"])))


@check("VMW005", "error", "Port-channel toward route-based teaming", FAMILY)
def independent_ports_for_route_based(model, facts, design):
    """A vSwitch teaming by originating port, source MAC, NIC load or failover order faces independent leaf ports.

    These policies pin each VM to one uplink and expect the switch to learn its MAC there. A port-channel
    instead hashes the traffic toward the host over any member, so frames for a VM arrive on uplinks the
    host does not expect; vSphere documents that link aggregation without IP hash disrupts networking.
    The design never derives a channel for these policies: this catches design bugs and running switch
    configurations (drift).

    Remove the port-channel (independent trunk ports), or change the teaming to IP hash (static channel)
    or a LAG (LACP channel).
    """
    for cluster, node, vs, cables in _vswitches(model, facts):
        if vs["teaming"] in CHANNEL_POLICIES:
            continue
        for cable in cables:
            _port, ch = _leaf_side(facts, cable)
            if ch is not None:
                yield Finding("VMW005", _node_path(cluster, node, cable),
                              f"vSwitch {vs['name']} teams by {TEAMING_TEXT[vs['teaming']]} but {cable['leaf']} "
                              f"{cable['port']} is in {ch['name']} (mode {ch['lacp']})",
                              "use independent trunk ports toward this vSwitch",
                              related=(vs["path"], context.leaf_path(model, cable["leaf"])))


@check("VMW006", "error", "LAG and port-channel LACP rates differ", FAMILY)
def lag_rate_agrees(model, facts, design):
    """A distributed switch's LAG and its leaf port-channel use the same LACP rate (timeout mode).

    With fast on one end and slow on the other, a failed member is noticed after 3 seconds on one side
    and 90 on the other: for over a minute one end keeps hashing traffic into a dead link. Both ends come
    from the model's `vswitches[].lacp.rate`; a mismatch is a design bug or a running switch that differs.

    Set `lacp.rate` on the vSwitch (its LAG timeout mode) and drop switch overrides.
    """
    for cluster, node, vs, cables in _vswitches(model, facts):
        if vs["teaming"] != "lacp":
            continue
        seen = set()
        for cable in cables:
            _port, ch = _leaf_side(facts, cable)
            if ch is None or ch["lacp"] == "on" or (cable["leaf"], ch["id"]) in seen:
                continue
            seen.add((cable["leaf"], ch["id"]))
            if ch["lacp_rate"] != vs["lacp_rate"]:
                yield Finding("VMW006", _node_path(cluster, node, cable),
                              f"vSwitch {vs['name']} LAG timeout {vs['lacp_rate']}, {cable['leaf']} {ch['name']} "
                              f"LACP rate {ch['lacp_rate']}", "set lacp.rate on the vSwitch and drop switch overrides",
                              related=(f"{vs['path']}.lacp.rate", context.leaf_path(model, cable["leaf"])))
