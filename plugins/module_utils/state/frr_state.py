# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Compare the live state of FRR switches with the design.

Three pure steps, each testable on captured JSON:

* :func:`expected_state` -- from the structured config of every switch (``build/<site>/structured/
  <device>.yml``), what each switch must show: its BGP sessions (both families, with the peer's AS),
  its BFD peers, and its routes: every leaf has every other leaf's loopbacks and server (SVI) prefixes
  with one next hop per spine, and each spine's loopback via the link to that spine; a prefix the leaf
  itself serves (an MLAG pair's shared SVI subnet) is expected as connected on the SVI instead. A spine
  has every leaf's loopbacks via its link(s) to that leaf. Routes are expected in FRR (``show ip route``)
  and in the kernel FIB (``ip route``), next hops compared by interface.
* :func:`snapshot` -- collect the JSON of one switch through an injected runner (``vtysh [-N NS]``,
  ``ip [-n NS]``) and keep only the fields the comparison reads.
* :func:`compare` -- one row per check: device, check, item, expected, observed, status
  (``pass``, ``fail``, or ``out_of_scope``); :func:`differences` lists the failing rows as sentences.

``scope`` says which expected sessions must be up: ``underlay`` (spine-leaf sessions and their BFD
peers) or ``all`` (also MetalLB speakers on the leaves). Sessions outside the scope are still reported,
with status ``out_of_scope`` and what FRR shows for them -- never silently dropped. A session FRR has
but the design does not is a failure (``unexpected``).
"""

from __future__ import annotations

import ipaddress
import json

__all__ = ["SCOPES", "CHECKS", "expected_state", "snapshot", "compare", "differences", "summarize",
           "render_table", "StateError"]

# the MLAG / CLAG pair's routed iBGP peering over the peer VLAN is part of the fabric underlay
SCOPES = {"underlay": ("underlay", "mlag"), "all": ("underlay", "mlag", "metallb")}
CHECKS = ("bgp_session", "bfd_peer", "route_frr", "route_kernel")

_BGP_FIELDS = ("remoteAs", "localAs", "bgpState", "peerGroup", "hostname", "lastResetDueTo", "lastNotificationReason",
               "lastErrorCodeSubcode", "bgpTimerUpString")
_BFD_FIELDS = ("peer", "local", "interface", "status", "diagnostic", "receive-interval", "transmit-interval",
               "detect-multiplier")


class StateError(Exception):
    """A command failed or returned something that is not the JSON FRR/iproute2 print."""


# --------------------------------------------------------------------------- design side

def _net(addr):
    return ipaddress.ip_interface(addr).network


def _host(addr):
    iface = ipaddress.ip_interface(addr)
    return ipaddress.ip_network(f"{iface.ip}/{iface.max_prefixlen}")


def _fam(net):
    return "ipv4" if net.version == 4 else "ipv6"


def _sessions(cfg, scope_kinds):
    bgp = cfg.get("bgp") or {}
    groups = {g["name"]: g for g in bgp.get("peer_groups") or []}
    sessions, bfd = [], []
    for n in bgp.get("neighbors") or []:
        peer = n.get("ip") or n.get("interface")
        group = groups.get(n.get("peer_group")) or {}
        family = "ipv6" if n.get("family") == 6 else "ipv4"
        item = {"peer": str(ipaddress.ip_address(peer)) if n.get("ip") else peer,
                "remote_as": n.get("remote_as"), "local_as": bgp.get("asn"), "family": family,
                "kind": n.get("kind"), "description": n.get("description") or "",
                "required": n.get("kind") in scope_kinds}
        sessions.append(item)
        if group.get("bfd"):
            bfd.append({k: item[k] for k in ("peer", "family", "kind", "description", "required")})
    return sessions, bfd


def _mlag_peering(switches, leaf, kinds):
    """(pair-mate, {"ipv4", ...}) when the leaf's iBGP peering over the peer VLAN is expected up, else (None, set())."""
    mlag = switches[leaf].get("mlag") or {}
    if "mlag" not in kinds or mlag.get("peer") not in switches:
        return None, set()
    families = {af for nb in (switches[leaf].get("bgp") or {}).get("neighbors") or [] if nb.get("kind") == "mlag"
                for af in nb.get("address_families") or []}
    return mlag["peer"], families & {"ipv4", "ipv6"}


def expected_state(switches, scope="underlay"):
    """{device: {"sessions": [...], "bfd": [...], "routes": [...]}} from {device: structured config}."""
    if scope not in SCOPES:
        raise StateError(f"scope must be one of {', '.join(sorted(SCOPES))}, not {scope!r}")
    kinds = SCOPES[scope]
    spines = sorted(d for d, c in switches.items() if c.get("role") == "spine")
    leaves = sorted(d for d, c in switches.items() if c.get("role") == "leaf")
    out = {}
    for device in sorted(switches):
        cfg = switches[device]
        sessions, bfd = _sessions(cfg, kinds)
        links = cfg.get("fabric_links") or []
        routes = []
        if cfg.get("role") == "leaf":
            uplinks = sorted({link["interface"] for link in links if link["peer"] in spines})
            local = {}
            for vlan in cfg.get("vlans") or []:
                svi = vlan.get("svi") or {}
                for key in ("ipv4", "ipv6"):
                    if svi.get(key):
                        local[_net(svi[key])] = svi["interface"]
            mate, over_peer_vlan = _mlag_peering(switches, device, kinds)
            for other in leaves:
                if other == device:
                    continue
                ocfg = switches[other]
                for lo in ocfg.get("loopbacks") or []:
                    for key in ("ipv4", "ipv6"):
                        if lo.get(key):
                            # the pair-mate's own loopbacks: the iBGP path over the peer VLAN (AS path empty)
                            via = [cfg["mlag"]["vlan_interface"]] if other == mate and key in over_peer_vlan else uplinks
                            routes.append(_route(_host(lo[key]), f"{other} loopback", "bgp", via))
                for vlan in ocfg.get("vlans") or []:
                    svi = vlan.get("svi") or {}
                    for key in ("ipv4", "ipv6"):
                        if not svi.get(key):
                            continue
                        net = _net(svi[key])
                        what = f"{other} {vlan.get('name')} subnet"
                        if net in local:
                            routes.append(_route(net, what + " (served here too)", "connected", [local[net]]))
                        elif other == mate and key in over_peer_vlan:
                            # a subnet only the mate serves: learned over the peer VLAN's iBGP (AS path empty)
                            routes.append(_route(net, what, "bgp", [cfg["mlag"]["vlan_interface"]]))
                        else:
                            routes.append(_route(net, what, "bgp", uplinks))
            for spine in spines:
                via = sorted(link["interface"] for link in links if link["peer"] == spine)
                for lo in switches[spine].get("loopbacks") or []:
                    for key in ("ipv4", "ipv6"):
                        if lo.get(key) and via:
                            routes.append(_route(_host(lo[key]), f"{spine} loopback", "bgp", via))
        elif cfg.get("role") == "spine":
            for leaf in leaves:
                via = sorted(link["interface"] for link in links if link["peer"] == leaf)
                mate, over_peer_vlan = _mlag_peering(switches, leaf, kinds)
                # the mate re-advertises what it learned over the peer VLAN with the same AS path: equal cost
                via_pair = sorted(set(via) | {link["interface"] for link in links if link["peer"] == mate})
                for lo in switches[leaf].get("loopbacks") or []:
                    for key in ("ipv4", "ipv6"):
                        if lo.get(key) and via:
                            routes.append(_route(_host(lo[key]), f"{leaf} loopback", "bgp",
                                                 via_pair if key in over_peer_vlan else via))
        optional = sorted(cfg.get("undeployed_interfaces") or [])   # set by deploy/rolling.gate_view
        for route in routes:
            extra = [i for i in optional if i not in route["interfaces"]]
            if extra:
                route["optional"] = extra
        routes = sorted({r["prefix"]: r for r in routes}.values(),
                        key=lambda r: (ipaddress.ip_network(r["prefix"]).version, ipaddress.ip_network(r["prefix"])))
        out[device] = {"sessions": sorted(sessions, key=_peer_key), "bfd": sorted(bfd, key=_peer_key), "routes": routes}
    return out


def _route(net, what, protocol, interfaces):
    return {"prefix": str(net), "family": _fam(net), "what": what, "protocol": protocol,
            "interfaces": sorted(interfaces)}


def _peer_key(item):
    try:
        addr = ipaddress.ip_address(item["peer"])
        return (0, addr.version, int(addr), "")
    except ValueError:
        return (1, 0, 0, item["peer"])


# --------------------------------------------------------------------------- live side

def _json(text, what):
    try:
        return json.loads(text or "null")
    except ValueError as exc:
        raise StateError(f"{what} did not print JSON ({exc}): {text[:200]!r}") from None


def snapshot(runner, namespace="", vtysh="/usr/bin/vtysh", ip="ip"):
    """Collect one switch's state. runner(argv) -> (rc, stdout, stderr)."""
    def vty(cmd):
        argv = [vtysh] + (["-N", namespace] if namespace else []) + ["-c", cmd]
        rc, out, err = runner(argv)
        if rc != 0:
            raise StateError(f"{' '.join(argv)} exited {rc}: {(err or out).strip()}")
        return _json(out, f"vtysh '{cmd}'")

    def kernel(family):
        argv = [ip] + (["-n", namespace] if namespace else []) + ["-j", f"-{family}", "route", "show"]
        rc, out, err = runner(argv)
        if rc != 0:
            raise StateError(f"{' '.join(argv)} exited {rc}: {(err or out).strip()}")
        return _json(out, "ip route") or []

    neighbors = vty("show bgp vrf default neighbors json") or {}
    snap = {
        "bgp_neighbors": {peer: {k: v[k] for k in _BGP_FIELDS if k in v}
                          for peer, v in neighbors.items() if isinstance(v, dict)},
        "bfd_peers": [{k: p[k] for k in _BFD_FIELDS if k in p} for p in vty("show bfd peers json") or []],
        "routes": {},
        "kernel": [],
    }
    for fam_cmd in ("show ip route json", "show ipv6 route json"):
        for prefix, entries in (vty(fam_cmd) or {}).items():
            snap["routes"][prefix] = [
                {"protocol": e.get("protocol"), "selected": e.get("selected", False),
                 "nexthops": [{"interfaceName": h.get("interfaceName"), "ip": h.get("ip"),
                               "active": h.get("active", False), "fib": h.get("fib", False)}
                              for h in e.get("nexthops") or []]}
                for e in entries]
    for family in ("4", "6"):
        for r in kernel(family):
            if r.get("type", "unicast") != "unicast" or r.get("dst") is None:
                continue
            hops = r.get("nexthops") or [r]
            snap["kernel"].append({"family": family, "dst": r["dst"], "protocol": r.get("protocol"),
                                   "devs": sorted(h.get("dev") for h in hops if h.get("dev"))})
    return snap


# --------------------------------------------------------------------------- comparison

def _norm_prefix(dst, family):
    if dst == "default":
        return "0.0.0.0/0" if family == "4" else "::/0"
    return str(ipaddress.ip_network(dst, strict=False))


def _row(device, check, item, expected, observed, ok, required=True):
    return {"device": device, "check": check, "item": item, "expected": expected, "observed": observed,
            "status": "pass" if ok else ("fail" if required else "out_of_scope")}


def _label(s):
    return f"{s['peer']} ({s['description']}, {s['family']})" if s.get("description") else f"{s['peer']} ({s['family']})"


def compare(expected, snapshots):
    """Rows for every expected item of every device in ``snapshots`` ({device: snapshot})."""
    rows = []
    for device in sorted(snapshots):
        if device not in expected:
            rows.append(_row(device, "bgp_session", "(device)", "a switch of the design", "not in the design", False))
            continue
        exp, snap = expected[device], snapshots[device]
        rows += _compare_sessions(device, exp["sessions"], snap.get("bgp_neighbors") or {})
        rows += _compare_bfd(device, exp["bfd"], snap.get("bfd_peers") or [])
        rows += _compare_routes(device, exp["routes"], snap.get("routes") or {}, snap.get("kernel") or [])
    return rows


def _compare_sessions(device, sessions, neighbors):
    rows, seen = [], set()
    observed = {}
    for peer, data in neighbors.items():
        try:
            observed[str(ipaddress.ip_address(peer))] = data
        except ValueError:
            observed[peer] = data
    for s in sessions:
        seen.add(s["peer"])
        want = f"Established, remote AS {s['remote_as']}, local AS {s['local_as']}"
        got = observed.get(s["peer"])
        if got is None:
            rows.append(_row(device, "bgp_session", _label(s), want, "not configured", False, s["required"]))
            continue
        state = got.get("bgpState", "?")
        text = f"{state}, remote AS {got.get('remoteAs')}, local AS {got.get('localAs')}"
        if state != "Established" and (got.get("lastNotificationReason") or got.get("lastResetDueTo")):
            text += f" (last reset: {got.get('lastNotificationReason') or got.get('lastResetDueTo')})"
        ok = (state == "Established" and str(got.get("remoteAs")) == str(s["remote_as"])
              and str(got.get("localAs")) == str(s["local_as"]))
        rows.append(_row(device, "bgp_session", _label(s), want, text, ok, s["required"]))
    for peer in sorted(set(observed) - seen, key=lambda p: _peer_key({"peer": p})):
        got = observed[peer]
        rows.append(_row(device, "bgp_session", f"{peer} (unexpected)", "no such session in the design",
                         f"{got.get('bgpState', '?')}, remote AS {got.get('remoteAs')}", False))
    return rows


def _compare_bfd(device, peers, observed_list):
    observed = {}
    for p in observed_list:
        try:
            observed[str(ipaddress.ip_address(p.get("peer", "")))] = p
        except ValueError:
            continue
    rows = []
    for b in peers:
        got = observed.get(b["peer"])
        if got is None:
            rows.append(_row(device, "bfd_peer", _label(b), "up", "no BFD session", False, b["required"]))
            continue
        text = got.get("status", "?")
        if got.get("status") != "up" and got.get("diagnostic") not in (None, "ok"):
            text += f" ({got['diagnostic']})"
        rows.append(_row(device, "bfd_peer", _label(b), "up", text, got.get("status") == "up", b["required"]))
    return rows


def _same_hops(hops, route) -> bool:
    """The expected next hops, plus at most the optional ones (links toward switches a gate does not check)."""
    want = set(route["interfaces"])
    return want <= set(hops) <= want | set(route.get("optional") or [])


def _compare_routes(device, routes, frr_routes, kernel):
    by_prefix = {}
    for prefix, entries in frr_routes.items():
        try:
            by_prefix[str(ipaddress.ip_network(prefix, strict=False))] = entries
        except ValueError:
            continue
    kern = {}
    for r in kernel:
        try:
            kern.setdefault(_norm_prefix(r["dst"], r["family"]), []).extend(r["devs"])
        except ValueError:
            continue
    rows = []
    for r in routes:
        item = f"{r['prefix']} ({r['what']})"
        want = f"{r['protocol']} via {', '.join(r['interfaces'])}"
        if r.get("optional"):
            want += f" (may also use {', '.join(r['optional'])}: toward switches not deployed yet)"
        entries = [e for e in by_prefix.get(r["prefix"], []) if e.get("selected")]
        if not entries:
            rows.append(_row(device, "route_frr", item, want, "no selected route", False))
        else:
            e = entries[0]
            hops = sorted(h["interfaceName"] for h in e.get("nexthops") or []
                          if h.get("active") and h.get("interfaceName"))
            text = f"{e.get('protocol')} via {', '.join(hops) or '(no active next hop)'}"
            rows.append(_row(device, "route_frr", item, want, text,
                             e.get("protocol") == r["protocol"] and _same_hops(hops, r)))
        devs = sorted(kern.get(r["prefix"], []))
        ktext = f"via {', '.join(devs)}" if devs else "not in the kernel FIB"
        rows.append(_row(device, "route_kernel", item, f"via {', '.join(r['interfaces'])}", ktext,
                         _same_hops(devs, r)))
    return rows


def differences(rows):
    """The failing rows as sentences, in table order."""
    return [f"{r['device']}: {r['check']} {r['item']}: expected {r['expected']}; observed {r['observed']}"
            for r in rows if r["status"] == "fail"]


def summarize(rows):
    out = {}
    for r in rows:
        per = out.setdefault(r["check"], {"pass": 0, "fail": 0, "out_of_scope": 0})
        per[r["status"]] += 1
    return {check: out[check] for check in CHECKS if check in out}


def render_table(rows):
    """A Markdown table of the rows (for reports and the lab's output)."""
    lines = ["| device | check | item | expected | observed | status |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['device']} | {r['check']} | {r['item']} | {r['expected']} | {r['observed']} | {r['status']} |"
              for r in rows]
    return "\n".join(lines) + "\n"
