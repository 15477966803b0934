"""North-south rules: tenants (VRFs), border leaves, external peers and the edge policy (docs/north_south.md).

The loader raises the reference rules (unknown VRF, a peer's cable) through the declared objects; the
checks read the edge facts (``facts.edge``, design/north_south.py) and the designed route filters, so a
rule judges the policy the switches will actually run, not a restatement of the model.
"""

from __future__ import annotations

from ..findings import Finding
from ..route_filters import RouteFilters, network
from .registry import check, declare

FAMILY = "edge"

UNKNOWN_VRF = declare(
    "EDGE100", "error", "Unknown VRF", FAMILY,
    "A network, an external peer's session or a route leak names a VRF that `vrfs` does not define (or a VRF "
    "leaks from itself).")
BAD_PEER_CABLE = declare(
    "EDGE101", "error", "External peer cable invalid", FAMILY,
    "An external peer's link names an unknown leaf, a port that is not a front-panel port of the leaf, a port "
    "reserved for uplinks or the MLAG peer link, a port already cabled to a server or another peer, or a second "
    "link to the same leaf. Both ends of the handover derive from the link, so it must be exact.")
L2_NETWORK_IN_VRF = declare(
    "EDGE102", "error", "VRF on a network without a fabric gateway", FAMILY,
    "A network whose gateway is not on the fabric (`gateway_on: none` or `external`) stays layer 2 on the fabric: "
    "it has no SVI that could sit in a VRF. Remove `vrf`, or set `gateway_on: fabric`.")
BAD_HANDOVER_ADDRESS = declare(
    "EDGE103", "error", "Handover addressing invalid", FAMILY,
    "A peer address outside the transfer prefix, a peer address on a sub-interface handover (each link takes its "
    "own /31 or /127 from the transfer prefix), or a transfer prefix too small for the links (sub-interfaces: a "
    "/31 or /127 per link; SVI: the peer and one address per border leaf).")


# ------------------------------------------------------------------------------------------------ checks
def _vrf_network_paths(model, vrf):
    return [f"networks[{n}].vrf" for n in sorted(model.networks) if model.networks[n]["vrf"] == vrf]


class _Policy:
    """A switch's route maps as the design wrote them, evaluated on one route (prefix + communities).

    Prefix lists are evaluated like the route filters of the bgp rules; an entry that matches a community
    list needs one of its communities on the route.  ``run`` returns (permitted, communities after the
    entry's `set community`).
    """

    def __init__(self, cfg):
        self.filters = RouteFilters(cfg)
        self.route_maps = self.filters.route_maps
        self.community_lists = {cl["name"]: set(cl["communities"]) for cl in cfg.get("community_lists") or []}

    def run(self, rm_name, prefix, communities=()):
        if rm_name not in self.route_maps:
            return None, set(communities)
        net = network(prefix)
        for entry in self.route_maps[rm_name]:
            pl = entry.get("match_prefix_list")
            if pl and (pl not in self.filters.prefix_lists or not self.filters.prefix_list_permits(pl, net)):
                continue
            cl = entry.get("match_community")
            if cl and not self.community_lists.get(cl, set()) & set(communities):
                continue
            out = set(communities) | set(entry.get("set_community") or ())
            return entry.get("action") == "permit", out
        return False, set(communities)


def _policies(design):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = _Policy(design["switches"][name])
        return cache[name]
    return get


def _neighbor(cfg, vrf, ip):
    return next((n for n in cfg["bgp"]["neighbors"] if n.get("vrf") == vrf and n.get("ip") == ip), None)


@check("EDGE001", "error", "External peer ASN collides with a fabric ASN", FAMILY)
def external_asn(model, facts, design):
    """An external peer runs the AS of the spines, of a leaf pair or of a MetalLB cluster.

    A peer in the border pair's own AS makes the session internal BGP (no AS path loop check, other
    next-hop rules); a peer in the spines' AS (or any other fabric AS) puts that AS into the path of
    every route it sends, so the spines, or the leaves of that pair, drop its default route as a loop:
    the border learns the way out and no other rack ever does.

    Give the peer its own AS (private ASNs are plenty), or renumber the fabric side.
    """
    owners = {model.fabric["asn"]["spine"]: "fabric.asn.spine"}
    for name in sorted(model.leaves):
        owners.setdefault(facts.switches[name]["asn"], f"fabric.leaf_pairs[{model.leaves[name]['rack']}]")
    for cname, cluster in sorted(model.clusters.items()):
        if cluster["metallb"]:
            owners.setdefault(cluster["metallb"]["asn"], f"clusters[{cname}].metallb.asn")
    for pname, peer in sorted(model.external_peers.items()):
        other = owners.get(peer["asn"])
        if other:
            yield Finding("EDGE001", f"external_peers[{pname}].asn", f"AS {peer['asn']} is also the AS of {other}",
                          "give the external peer an AS of its own", related=(other,))


@check("EDGE002", "error", "VRF with gateways and no exit", FAMILY)
def vrf_without_exit(model, facts, design):
    """A VRF has gateways on the fabric but no way out: no external session in it on a border leaf, or
    (without the EVPN overlay) gateways on leaves that are not border leaves with a session.

    Its hosts reach each other and nothing else: no default route, no firewall, no WAN; the VRF's
    subnets and VIPs are announced to nobody. Without `fabric.overlay: evpn_vxlan` a VRF does not cross
    the spines at all (the underlay carries only the default VRF), so only the border pair's own gateways
    reach the exit.

    Add the VRF to an external peer's `vrfs` (a firewall or WAN router cabled to a `role: border` leaf
    pair), or enable the EVPN overlay, or move the networks to a VRF that has an exit.
    """
    border = set(facts.edge["border_leaves"])
    evpn = model.fabric["overlay"] == "evpn_vxlan"
    for name, vrf in sorted(facts.edge["vrfs"].items()):
        if not vrf["leaves"]:
            continue
        exits = {s["leaf"] for s in facts.edge["sessions"] if s["vrf"] == name and s["leaf"] in border}
        networks = _vrf_network_paths(model, name)
        if not exits:
            yield Finding("EDGE002", vrf["path"], f"VRF {name} has gateways on {', '.join(vrf['leaves'][:4])}"
                          f"{' ...' if len(vrf['leaves']) > 4 else ''} but no external session on a border leaf",
                          "hand the VRF over to an external peer on a border pair (external_peers[].vrfs)",
                          related=tuple(networks[:1]))
        elif not evpn:
            stuck = [leaf for leaf in vrf["leaves"] if leaf not in exits]
            if stuck:
                yield Finding("EDGE002", vrf["path"], f"VRF {name} has gateways on {', '.join(stuck)}, which reach no "
                              "exit: without the EVPN overlay a VRF does not cross the spines",
                              "set fabric.overlay: evpn_vxlan, or keep the VRF's networks on the border pair",
                              related=tuple(networks[:1]) + tuple(model.leaves[leaf]["path"] for leaf in stuck[:1]))


@check("EDGE003", "error", "Default route accepted on a non-border leaf", FAMILY)
def default_on_non_border(model, facts, design):
    """A leaf without the border role accepts a default route from a peer outside the fabric (an external
    peer cabled to it, or a MetalLB speaker).

    The default route of a VRF must enter the fabric at the border pair only: a second entry point on a
    server leaf attracts the whole VRF's outbound traffic to whatever sits behind that leaf (a service
    appliance, a misconfigured speaker), past the firewall. The rule evaluates the inbound route map each
    such session runs on the leaf.

    Give the leaf pair `role: border`, or set `accept_default: false` on the session (keep only named prefixes).
    """
    border = set(facts.edge["border_leaves"])
    policy = _policies(design)
    accepted = {}   # (peer, VRF) -> {leaf: [defaults]}: one finding per handover, every leaf and family named
    for s in facts.edge["sessions"]:
        if s["leaf"] in border or s["leaf"] not in design["switches"]:
            continue
        cfg = design["switches"][s["leaf"]]
        n = _neighbor(cfg, s["vrf"], s["peer_ip"])
        default = "0.0.0.0/0" if s["family"] == 4 else "::/0"
        if n and policy(s["leaf"]).run(n["route_map_in"], default)[0]:
            accepted.setdefault((s["path"], s["peer"], s["vrf"]), {}).setdefault(s["leaf"], []).append(default)
    for (path, peer, vrf), leaves in sorted(accepted.items()):
        what = "; ".join(f"{leaf} accepts {' and '.join(d)}" for leaf, d in sorted(leaves.items()))
        first = sorted(leaves)[0]
        yield Finding("EDGE003", path, f"{what} from {peer} in VRF {vrf}, but the leaf pair is not a border pair",
                      "set accept_default: false, or role: border on the pair",
                      related=(model.leaves[first]["path"],))
    speakers = {}   # leaf -> {address: its first MetalLB neighbor}, indexed once per leaf
    for s in facts.sessions:
        leaf = s["a"]["device"]
        if s["kind"] != "metallb" or leaf in border or leaf not in design["switches"]:
            continue
        cfg = design["switches"][leaf]
        if leaf not in speakers:
            speakers[leaf] = {}
            for x in cfg["bgp"]["neighbors"]:
                if x.get("kind") == "metallb":
                    speakers[leaf].setdefault(x.get("ip"), x)
        n = speakers[leaf].get(s["b"]["ip"])
        group = next((g for g in cfg["bgp"]["peer_groups"] if n and g["name"] == n["peer_group"]), None)
        rm = (n or {}).get("route_map_in") or ((group or {}).get("route_map_in") or {}).get(f"ipv{s['family']}")
        default = "0.0.0.0/0" if s["family"] == 4 else "::/0"
        if rm and policy(leaf).run(rm, default)[0]:
            yield Finding("EDGE003", f"clusters[{s['cluster']}].metallb.pools", f"{leaf} accepts {default} from the "
                          f"MetalLB speaker {s['b']['device']}", "remove the default route from the VIP pools",
                          related=(model.leaves[leaf]["path"],))


@check("EDGE004", "error", "VIP pool not exported", FAMILY)
def vip_pool_exported(model, facts, design):
    """A MetalLB VIP pool meant for clients outside the site (`export: true`, the default) is not announced to
    any external peer.

    The rule follows a VIP of the pool through the policies the switches run: the leaf's MetalLB inbound
    route map (which must tag it with the VIP community) and the outbound route map of every external
    session of the pool's VRF on a border leaf (which exports VIPs by that community, inside the pool). A
    pool in the default VRF is never exported: the default VRF carries only the underlay.

    Put the MetalLB peer network in a VRF with an exit, keep `export_vips: true` on its external sessions,
    or mark the pool `export: false` if it is internal on purpose.
    """
    if not model.external_peers:
        return
    policy = _policies(design)
    for cname, cluster in sorted(model.clusters.items()):
        if cluster["platform"] != "ove" or not cluster["metallb"]:
            continue
        vrf = _pool_vrf(model, cluster)
        for pool in cluster["metallb"]["pools"]:
            if not pool["export"]:
                continue
            ppath = f"clusters[{cname}].metallb.pools[{pool['name']}]"
            if not vrf:
                yield Finding("EDGE004", ppath, "the pool's MetalLB peer network is in the default VRF, which carries only "
                              "the underlay: its VIPs reach no external peer", "put the peer network in a VRF with an exit, "
                              "or set export: false", related=(f"clusters[{cname}].metallb.peer_network",))
                continue
            for fam in (4, 6):
                if not pool[f"ipv{fam}"]:
                    continue
                vip = _first_host(pool[f"ipv{fam}"])
                tagged = _tag_on_entry(model, facts, design, policy, cname, fam, vip)
                exits = [s for s in facts.edge["sessions"] if s["vrf"] == vrf and s["family"] == fam
                         and s["leaf"] in facts.edge["border_leaves"] and s["leaf"] in design["switches"]]
                sent = []
                for s in exits:
                    n = _neighbor(design["switches"][s["leaf"]], vrf, s["peer_ip"])
                    if n and policy(s["leaf"]).run(n["route_map_out"], vip, tagged)[0]:
                        sent.append(s)
                if not sent:
                    where = (f"by none of the {len(exits)} external session(s) of VRF {vrf}" if exits else
                             f"to nobody: VRF {vrf} has no IPv{fam} session on a border leaf")
                    yield Finding("EDGE004", f"{ppath}.ipv{fam}", f"VIP {vip} of the pool is announced {where}",
                                  "keep export_vips on the VRF's external sessions and the pool inside the VRF, or set "
                                  "export: false", related=(f"vrfs[{vrf}]",) + tuple(s["path"] for s in exits[:1]))


def _pool_vrf(model, cluster):
    mlb = cluster["metallb"]
    net = mlb["peer_network"] or next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)
    return model.networks[net]["vrf"] if net in model.networks else None


def _first_host(prefix):
    net = network(prefix)
    return f"{net.network_address + (1 if net.num_addresses > 1 else 0)}/{net.max_prefixlen}"


def _tag_on_entry(model, facts, design, policy, cname, fam, vip):
    """The communities a VIP carries after the MetalLB inbound route map of the first leaf peering with the cluster."""
    for s in facts.sessions:
        if s["kind"] == "metallb" and s["cluster"] == cname and s["family"] == fam and s["a"]["device"] in design["switches"]:
            cfg = design["switches"][s["a"]["device"]]
            n = next((x for x in cfg["bgp"]["neighbors"] if x.get("ip") == s["b"]["ip"] and x["kind"] == "metallb"), None)
            group = next((g for g in cfg["bgp"]["peer_groups"] if n and g["name"] == n["peer_group"]), None)
            rm = (n or {}).get("route_map_in") or ((group or {}).get("route_map_in") or {}).get(f"ipv{fam}")
            ok, tags = policy(s["a"]["device"]).run(rm, vip)
            return tags if ok else set()
    return set()


@check("EDGE005", "warning", "External MTU below the host MTU without TCP MSS adjustment", FAMILY)
def external_mtu(model, facts, design):
    """A handover's MTU is below the MTU of hosts in a VRF it serves, and no TCP MSS clamp is named (or the
    clamp is larger than the handover carries).

    Hosts negotiate TCP segments from their own MTU (9000 on a jumbo VM network); at the 1500-byte WAN or
    firewall handover those packets only pass if path MTU discovery works end to end, and ICMP "too big"
    is what firewalls and providers filter first: connections open, then hang on the first full segment.
    Clamping the MSS of SYNs at the handover makes both ends send segments that fit.

    Set `tcp_mss` on the external peer (IPv4 MSS = handover MTU - 40; IPv6 takes 20 less), or raise its `mtu`.
    """
    seen, clamps = set(), set()
    for s in facts.edge["sessions"]:
        key = (s["peer"], s["vrf"])
        if key in seen:
            continue
        seen.add(key)
        vrf = facts.edge["vrfs"].get(s["vrf"])
        if not vrf:
            continue
        hosts = [(model.networks[n]["mtu"], n) for n in vrf["networks"]]
        if not hosts:
            continue
        top, net = max(hosts)
        peer_path = f"external_peers[{s['peer']}]"
        if s["mtu"] < top and not s["tcp_mss"]:
            yield Finding("EDGE005", f"{peer_path}.mtu", f"handover MTU {s['mtu']} toward {s['peer']} is below the MTU "
                          f"{top} of network {net} in VRF {s['vrf']}, and no TCP MSS clamp is named",
                          f"set tcp_mss: {s['mtu'] - 40} on the peer, or raise its mtu", related=(f"networks[{net}].mtu",))
        elif s["tcp_mss"] and s["tcp_mss"] > s["mtu"] - 40 and s["peer"] not in clamps:
            clamps.add(s["peer"])
            yield Finding("EDGE005", f"{peer_path}.tcp_mss", f"TCP MSS {s['tcp_mss']} does not fit the handover MTU "
                          f"{s['mtu']} (at most {s['mtu'] - 40} over IPv4)", f"set tcp_mss: {s['mtu'] - 40}",
                          related=(f"{peer_path}.mtu",))


@check("EDGE006", "error", "IPv4 and IPv6 asymmetric at the edge", FAMILY)
def edge_dual_stack(model, facts, design):
    """A VRF carries a family that its way out does not: a handover without a transfer prefix of that family,
    or aggregates given for one family only while the VRF's networks have both.

    Inside the fabric the hosts have both families, so clients try IPv6 first (Happy Eyeballs) and wait for
    a timeout on every connection when the IPv6 path ends at the border; the failure looks like slowness,
    not like an outage.

    Give the handover both `ipv4` and `ipv6` transfer prefixes (and the aggregates both families), or keep
    the VRF's networks single-stack on purpose (`single_stack: true`).
    """
    for name, vrf in sorted(facts.edge["vrfs"].items()):
        fams = {f for f in (4, 6) if vrf["subnets"][f]}
        dual_nets = [n for n in vrf["networks"] if not model.networks[n]["single_stack"]]
        if len(fams) < 2 or not dual_nets:
            continue
        v6_net = next((n for n in vrf["networks"] if model.networks[n]["ipv6"]), vrf["networks"][0])
        for pname, peer in sorted(model.external_peers.items()):
            for entry in peer["vrfs"]:
                if entry["vrf"] != name:
                    continue
                missing = [f"IPv{f}" for f in (4, 6) if not entry[f"ipv{f}"]]
                if missing:
                    yield Finding("EDGE006", f"external_peers[{pname}].vrfs[{name}]",
                                  f"the handover of VRF {name} to {pname} has no {missing[0]} transfer prefix, while "
                                  f"the VRF's networks are dual-stack", f"add ipv{missing[0][-1]} to the handover",
                                  related=(f"networks[{v6_net}].ipv6",))
        given = model.vrfs[name]["aggregates"]
        if given:
            have = {6 if ":" in p else 4 for p in given}
            if have != {4, 6}:
                lack = 6 if 4 in have else 4
                yield Finding("EDGE006", f"vrfs[{name}].aggregates", f"aggregates are IPv{min(have)} only; the VRF's "
                              f"IPv{lack} subnets are never announced", f"add the IPv{lack} aggregates",
                              related=(f"networks[{v6_net}].ipv{lack}",))
