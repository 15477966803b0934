"""BGP rules: both ends of every session, BFD and timers, and the route filters."""

from __future__ import annotations

from .. import platforms
from ..findings import Finding
from ..route_filters import RouteFilters, network
from . import context
from .registry import check


def _kinds(facts):
    out = {}
    for s in facts.sessions:
        out.setdefault(s["kind"], []).append(s)
    return out


@check("BGP001", "warning", "BGP session without BFD", "bgp")
def sessions_without_bfd(model, facts, design):
    """Every BGP session (spine-leaf underlay, leaf-MetalLB) runs BFD.

    Without BFD a dead peer whose link stays up (a hung line card, a node stuck in the kernel, a
    failed optic on one fibre) is noticed only when the BGP hold time expires: traffic is black-holed
    for the whole hold time (9 s here, 90-180 s with vendor defaults).

    Keep `fabric.bfd.enabled: true`; the same timers are used for MetalLB's BFDProfile.
    """
    if not model.fabric["bfd"]["enabled"]:
        for kind, sessions in sorted(_kinds(facts).items()):
            yield Finding("BGP001", "fabric.bfd.enabled",
                          f"BFD is off: {len(sessions)} {kind} session(s) detect a dead peer only after the hold time "
                          f"({model.fabric['bgp']['hold']} s)", "set fabric.bfd.enabled: true")
        return
    for s in facts.sessions:
        if not s.get("bfd"):
            yield Finding("BGP001", s["path"], f"IPv{s['family']} {s['kind']} session {s['a']['device']} <-> "
                          f"{s['b']['device']} has no BFD", "enable BFD on the session")


def _group_as(cfg, neighbor):
    group = next((g for g in cfg["bgp"].get("peer_groups", []) if g["name"] == neighbor.get("peer_group")), None)
    return neighbor.get("remote_as") or (group or {}).get("remote_as")


def _iface_ips(cfg):
    ips = set()
    for loop in cfg.get("loopbacks", []):
        for fam in ("ipv4", "ipv6"):
            if loop.get(fam):
                ips.add(loop[fam].split("/")[0])
    for link in cfg.get("fabric_links", []):
        for fam in ("ipv4", "ipv6"):
            if link.get(fam):
                ips.add(link[fam].split("/")[0])
    if cfg.get("mlag") and cfg["mlag"].get("local_ip"):
        ips.add(cfg["mlag"]["local_ip"].split("/")[0])
    for vlan in cfg.get("vlans", []):
        svi = vlan.get("svi") or {}
        for fam in ("ipv4", "ipv6"):
            if svi.get(fam):
                ips.add(svi[fam].split("/")[0])
    return ips


def _node_ips(cfg):
    ips = set()
    for iface in cfg.get("vlan_interfaces", []):
        ips.update(a.split("/")[0] for a in iface.get("ipv4", []) + iface.get("ipv6", []))
    if cfg.get("bond"):
        ips.update(a.split("/")[0] for a in cfg["bond"].get("ipv4", []) + cfg["bond"].get("ipv6", []))
    return ips


@check("BGP002", "error", "BGP session ends disagree", "bgp")
def session_ends_agree(model, facts, design):
    """Both ends of every BGP session agree on the addresses and AS numbers (spine-leaf and leaf-MetalLB).

    Each side configures the other's address and AS; a mismatch (a leaf renumbered by hand, a MetalLB
    BGPPeer with the wrong ASN, a peer address that is not on the far device) leaves the session in
    Active/Idle: the rack loses its uplink or the VIPs are never announced. The design derives both
    ends from the model, so this catches design bugs and hand edits; tests inject them into the
    structured configs.

    Fix the ASN or address at its source (`fabric.asn`, `leaf_pairs[].asn`, `metallb.asn`) and
    re-render both ends.
    """
    switches = context.switches(design)
    nodes = {n: cfg for (c, n), cfg in context.nodes(model, facts, design).items()}
    clusters = context.clusters(design)
    # indexes built once: neighbors by address, addresses per device, MetalLB peers per (node, leaf, family)
    by_ip, unnumbered, iface_ips, node_ips = {}, {}, {}, {}
    for name, cfg in switches.items():
        for n in cfg.get("bgp", {}).get("neighbors", []):
            if n.get("ip"):
                by_ip.setdefault((name, n["ip"]), []).append(n)
            if n.get("interface"):
                unnumbered.setdefault(name, []).append(n)
    mlb_peers = {}
    for cname, ccfg in clusters.items():
        for p in ccfg.get("bgp_sessions", []):
            mlb_peers.setdefault((cname, p["node"], p["leaf"], p["family"]), []).append(p)
    for s in facts.sessions:
        problems = []
        for me, other in (("a", "b"), ("b", "a")):
            dev, peer = s[me], s[other]
            if dev["device"] in switches:
                cfg = switches[dev["device"]]
                if cfg.get("asn") != dev["asn"]:
                    problems.append(f"{dev['device']} runs AS {cfg.get('asn')} but its peer expects AS {dev['asn']}")
                if peer.get("ip"):
                    found = by_ip.get((dev["device"], peer["ip"]), [])
                else:
                    found = unnumbered.get(dev["device"], []) if peer.get("interface") else []
                if not found:
                    problems.append(f"{dev['device']} has no neighbor {peer.get('ip') or peer.get('interface')}")
                for n in found:
                    remote = _group_as(cfg, n)
                    if remote not in (peer["asn"], "external"):
                        problems.append(f"{dev['device']} expects AS {remote} from {peer['device']}, which runs AS {peer['asn']}")
                if dev["device"] not in iface_ips:
                    iface_ips[dev["device"]] = _iface_ips(cfg)
                if dev.get("ip") and dev["ip"] not in iface_ips[dev["device"]]:
                    problems.append(f"{dev['ip']} is not an address of {dev['device']}")
            elif dev["device"] in nodes:
                if dev["device"] not in node_ips:
                    node_ips[dev["device"]] = _node_ips(nodes[dev["device"]])
                if dev.get("ip") and dev["ip"] not in node_ips[dev["device"]]:
                    problems.append(f"{dev['ip']} is not an address of node {dev['device']}")
        if s["kind"] == "metallb":
            cluster = model.clusters[s["cluster"]]
            if s["b"]["asn"] != cluster["metallb"]["asn"]:
                problems.append(f"MetalLB runs AS {cluster['metallb']['asn']} but the leaf expects AS {s['b']['asn']}")
            peers = mlb_peers.get((s["cluster"], s["b"]["device"], s["a"]["device"], s["family"]), [])
            for p in peers:
                if p["leaf_ip"] != s["a"]["ip"] or p["leaf_asn"] != s["a"]["asn"]:
                    problems.append(f"MetalLB peers {p['leaf_ip']} AS {p['leaf_asn']}, the leaf is {s['a']['ip']} AS {s['a']['asn']}")
                if p["node_asn"] != s["b"]["asn"]:
                    problems.append(f"MetalLB speaks AS {p['node_asn']}, the leaf expects AS {s['b']['asn']}")
        for problem in sorted(set(problems)):
            yield Finding("BGP002", s["path"], f"IPv{s['family']} {s['kind']} session: {problem}",
                          "fix the ASN or address at its source in the model and re-render both ends",
                          related=(context.leaf_path(model, s["a"]["device"]),))


def _detect_ms(model):
    bfd = model.fabric["bfd"]
    return bfd["interval_ms"] * bfd["multiplier"] if bfd["enabled"] else None


@check("BGP003", "warning", "BGP timers defeat failure detection", "bgp")
def timers(model, facts, design):
    """BGP keepalive/hold and BFD timers are consistent: hold 0 or >= 3 s, keepalive <= hold / 3, BFD faster than hold.

    A hold time of 1-2 s is refused by RFC 4271 peers; a keepalive above a third of the hold time
    drops sessions on one lost keepalive; hold 0 without BFD never detects a dead peer; and a BFD
    detection time longer than the hold time makes BFD pointless.

    Use keepalive 3 / hold 9 with BFD 300 ms x 3 (the defaults).
    """
    bgp = model.fabric["bgp"]
    hold, keep = bgp["hold"], bgp["keepalive"]
    detect = _detect_ms(model)
    if hold in (1, 2):
        yield Finding("BGP003", "fabric.bgp.hold", f"hold time {hold} s is not allowed (0 or >= 3 s, RFC 4271)", "use hold: 9")
    elif hold and keep * 3 > hold:
        yield Finding("BGP003", "fabric.bgp.keepalive", f"keepalive {keep} s > hold {hold} s / 3: one lost keepalive drops "
                      "the session", f"use keepalive <= {hold // 3}", related=("fabric.bgp.hold",))
    if hold == 0 and detect is None:
        yield Finding("BGP003", "fabric.bgp.hold", "hold time 0 and no BFD: a dead peer is never detected",
                      "set hold: 9 or enable BFD", related=("fabric.bfd.enabled",))
    if detect is not None and hold and detect >= hold * 1000:
        yield Finding("BGP003", "fabric.bfd", f"BFD detection {detect} ms is not faster than the hold time {hold} s",
                      "lower interval_ms or multiplier", related=("fabric.bgp.hold",))


@check("BGP004", "info", "Expected failover time per session class", "bgp")
def failover(model, facts, design):
    """The time to route around a dead peer, per session class (underlay, MetalLB of each cluster).

    With BFD it is the detection time (interval x multiplier); without BFD it is the BGP hold time.
    Reported so the numbers can be compared with the applications' timeouts (storage, cluster heartbeats).

    Nothing to fix; tune `fabric.bfd` and `fabric.bgp` if the failover is too slow.
    """
    detect = _detect_ms(model)
    hold = model.fabric["bgp"]["hold"]
    classes = {}
    for s in facts.sessions:
        if s["kind"] == "underlay":
            key = ("fabric.bfd", "underlay")
        elif s["kind"] == "mlag":
            key = ("fabric.mlag", "MLAG peering")
        else:
            key = (f"clusters[{s['cluster']}].metallb", f"MetalLB {s['cluster']}")
        classes.setdefault(key, []).append(s)
    for (path, label), sessions in sorted(classes.items()):
        with_bfd = [s for s in sessions if s.get("bfd")]
        if with_bfd and detect is not None:
            text = f"{detect} ms (BFD {model.fabric['bfd']['interval_ms']} ms x {model.fabric['bfd']['multiplier']})"
        else:
            text = f"{hold} s (hold time, no BFD)" if hold else "never (hold 0, no BFD)"
        yield Finding("BGP004", path, f"{label}: {len(sessions)} session(s), failover after {text}")


@check("BGP010", "error", "BGP unnumbered on a platform without it", "bgp")
def unnumbered_supported(model, facts, design):
    """A switch would peer over BGP unnumbered (interface neighbors) on a platform the collection renders it for not.

    Unnumbered sessions (IPv6 link-local next hops, RFC 5549) are rendered for the platforms whose table
    entry says so (plugins/module_utils/platforms, `bgp_unnumbered`); on another platform the switch would get no
    underlay session at all and the fabric would not come up.

    Set `fabric.bgp.unnumbered: false`, or a platform with unnumbered support (frr) for this switch.
    """
    for name, config in context.switches(design).items():
        if platforms.get(config["platform"]).bgp_unnumbered:
            continue
        neighbor = next((nb for nb in config["bgp"]["neighbors"] if nb["interface"]), None)
        if neighbor:
            yield Finding("BGP010", config["model_path"],
                          f"BGP unnumbered ({neighbor['interface']}) is rendered for FRR only, not {config['platform']}",
                          "set fabric.bgp.unnumbered: false, or platform: frr for this switch")


# ------------------------------------------------------------------------------------------ route filters
def _announced(model, facts, switches):
    """{(leaf, family, prefix, model path, how)} of every prefix a leaf puts into BGP."""
    out = set()
    subnets = {}  # (network, family) -> subnet; the SVI's address lies in its network's prefix
    for leaf in sorted(model.leaves):
        cfg = switches.get(leaf, {})
        for lo in cfg.get("loopbacks", []):
            for fam, key in ((4, "ipv4"), (6, "ipv6")):
                if lo.get(key):
                    pool = "vtep4" if lo.get("purpose") == "vtep" else f"loopback{fam}"
                    out.add((leaf, fam, lo[key], f"fabric.pools.{pool}", "connected"))
        for vlan in cfg.get("vlans", []):
            svi = vlan.get("svi")
            if not svi or svi.get("vrf"):   # a tenant VRF's subnets stay out of the underlay (edge rules)
                continue
            for fam, key in ((4, "ipv4"), (6, "ipv6")):
                address = svi.get(key)
                if address:
                    if (vlan["name"], fam) not in subnets:
                        subnets[(vlan["name"], fam)] = (str(network(address)), f"networks[{vlan['name']}].ipv{fam}")
                    subnet, path = subnets[(vlan["name"], fam)]
                    out.add((leaf, fam, subnet, path, "connected"))
    for s in facts.sessions:
        if s["kind"] != "metallb" or s.get("vrf"):
            continue
        cluster = model.clusters[s["cluster"]]
        for pool in cluster["metallb"]["pools"]:
            prefix = pool.get(f"ipv{s['family']}")
            if prefix:
                out.add((s["a"]["device"], s["family"], prefix,
                         f"clusters[{s['cluster']}].metallb.pools[{pool['name']}].ipv{s['family']}", f"metallb:{s['cluster']}"))
    return out


def _route_map_filter(cfg, rm_name):
    """The device config reduced to this route-map and the prefix lists it matches: what its verdicts depend on.

    Most leaves (and all spines) carry identical filters; equal reductions share one evaluator and its
    verdicts, so a 5,000-device site evaluates each distinct filter once per prefix.
    """
    route_map = next((r for r in cfg.get("route_maps", []) if r["name"] == rm_name), None)
    entries = (route_map or {}).get("entries") or []
    names = {e.get("match_prefix_list") for e in entries if e.get("match_prefix_list")}
    lists = [pl for pl in cfg.get("prefix_lists", []) if pl["name"] in names]
    return {"route_maps": [route_map] if route_map else [], "prefix_lists": lists}


def _path_steps(bgp, fam, how):
    """The route-maps a leaf's announcement of family ``fam`` meets on the leaf: (redistribution or MetalLB in, out)."""
    steps = []
    if how == "connected":
        rm = bgp.get("redistribute_connected", {}).get(f"ipv{fam}")
    else:
        group = next((g for g in bgp.get("peer_groups", []) if g["kind"] == "metallb"
                      and g["name"] == f"METALLB-{how.split(':', 1)[1].upper()}"), None)
        rm = group and group.get("route_map_in", {}).get(f"ipv{fam}")
    if rm:
        steps.append(rm)
    up = next((g for g in bgp.get("peer_groups", []) if g["kind"] == "underlay"), None)
    rm = up and up.get("route_map_out", {}).get(f"ipv{fam}")
    if rm:
        steps.append(rm)
    return steps


@check("BGP005", "error", "Announced prefix rejected by a route filter", "bgp")
def prefixes_pass_filters(model, facts, design):
    """Every prefix the design announces passes every route filter on its way: leaf redistribution, the MetalLB inbound
    filter, the leaf's outbound and the spines' inbound filters.

    A loopback, server subnet or VIP pool that a filter drops is configured but unreachable from the
    rest of the fabric; it looks fine on the leaf and fails everywhere else, often for one address
    family only. Tests inject the fault by editing a prefix list in the structured configs.

    Regenerate the filters from the model (they are derived from the same pools and networks); a
    hand-added prefix list entry that shadows a permit is the usual cause.
    """
    switches = context.switches(design)
    evaluators, reductions, by_device = [], {}, {}  # one RouteFilters per distinct reduced filter

    def evaluator_id(cfg, rm_name):
        key = (id(cfg), rm_name)   # a leaf's route-map serves several families and announcements
        if key not in by_device:
            reduced = _route_map_filter(cfg, rm_name)
            known = reductions.setdefault(rm_name, [])   # [(reduction, evaluator)]: a few per route-map name
            found = next((ev for other, ev in known if other == reduced), None)
            if found is None:
                found = len(evaluators)
                evaluators.append(RouteFilters(reduced))
                known.append((reduced, found))
            by_device[key] = found
        return by_device[key]

    spine_steps = {}  # family -> [(spine, route-map, evaluator)]
    for spine in sorted(model.spines):
        scfg = switches.get(spine, {})
        group = next((g for g in scfg.get("bgp", {}).get("peer_groups", []) if g["kind"] == "underlay"), None)
        for fam in (4, 6):
            rm = group and group.get("route_map_in", {}).get(f"ipv{fam}")
            if rm:
                spine_steps.setdefault(fam, []).append((spine, rm, evaluator_id(scfg, rm)))
    paths, verdicts, rejected, seen = {}, {}, [], set()
    for leaf, fam, prefix, path, how in _announced(model, facts, switches):
        cfg = switches.get(leaf)
        if not cfg or "bgp" not in cfg:
            continue
        if (leaf, fam, how) not in paths:
            steps = [(leaf, rm, evaluator_id(cfg, rm)) for rm in _path_steps(cfg["bgp"], fam, how)]
            steps += spine_steps.get(fam, [])
            paths[(leaf, fam, how)] = (tuple(s[2] for s in steps), steps)
        signature, steps = paths[(leaf, fam, how)]
        key = (signature, prefix)
        if key not in verdicts:
            # the positions of the steps that reject the prefix; the same for every leaf with these filters
            verdicts[key] = [i for i, ev in enumerate(signature) if evaluators[ev].permits(steps[i][1], prefix) is False]
        if verdicts[key]:
            rejected.append((leaf, fam, prefix, path, how))
    # the few rejected announcements in a stable order (not the ~100k announced ones)
    for leaf, fam, prefix, path, how in sorted(rejected):
        signature, steps = paths[(leaf, fam, how)]
        for i in verdicts[(signature, prefix)]:
            device, rm = steps[i][0], steps[i][1]
            if (path, device, rm) not in seen:
                seen.add((path, device, rm))
                yield Finding("BGP005", path, f"{prefix} announced by {leaf} is rejected by {device} route-map {rm}",
                              "regenerate the route filters from the model; remove hand-added entries",
                              related=(context.leaf_path(model, device),))
