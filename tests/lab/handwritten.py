# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""A hand-written underlay frr.conf per switch, used by the lab ONLY when the site has no
rendered switch configs (``build/<site>/switches/<device>.cfg``) -- run_lab.py says so loudly.

It exists so the lab machinery can be exercised independently of the switch renderer, and as
an independent second opinion of what a working FRR 8.4 underlay for the structured config
looks like. Underlay only: no MetalLB peers, no EVPN.
"""

from __future__ import annotations


def underlay_config(cfg):
    bgp = cfg["bgp"]
    # FRR 8.4 with kernel nexthop groups loses an ECMP member in the kernel after a link flap
    # (the kernel drops the member from the group, zebra reuses the group id): inline nexthops.
    lines = ["frr defaults datacenter", f"hostname {cfg['hostname']}", "log syslog informational",
             "no zebra nexthop kernel enable", "!"]
    under = [n for n in bgp["neighbors"] if n["kind"] == "underlay"]
    groups = [g for g in bgp["peer_groups"] if g["kind"] == "underlay"]
    lines += [f"router bgp {bgp['asn']}", f" bgp router-id {bgp['router_id']}",
              " bgp bestpath as-path multipath-relax"]
    # 'frr defaults datacenter' already means: no ebgp-requires-policy, timers 3 9, BFD 300 ms x 3.
    for g in groups:
        lines += [f" neighbor {g['name']} peer-group", f" neighbor {g['name']} remote-as {g['remote_as']}"]
        if g.get("bfd"):
            lines.append(f" neighbor {g['name']} bfd")
    for n in under:
        lines.append(f" neighbor {n['ip']} peer-group {n['peer_group']}")
        group_as = str(next(g["remote_as"] for g in groups if g["name"] == n["peer_group"]))
        if group_as.isdigit() and str(n["remote_as"]) != group_as:
            lines.append(f" neighbor {n['ip']} remote-as {n['remote_as']}")
    for fam, ver in (("ipv4", 4), ("ipv6", 6)):
        lines += [" !", f" address-family {fam} unicast", "  redistribute connected",
                  f"  maximum-paths {bgp['maximum_paths']}"]
        for g in groups:
            if ver == 6:
                lines.append(f"  neighbor {g['name']} activate")
            if cfg["role"] == "leaf":
                lines.append(f"  neighbor {g['name']} allowas-in origin")
        if ver == 4:
            lines += [f"  no neighbor {n['ip']} activate" for n in under if n["family"] == 6]
        else:
            lines += [f"  no neighbor {n['ip']} activate" for n in under if n["family"] == 4]
        lines.append(" exit-address-family")
    lines += ["exit", "!"]
    return "\n".join(lines) + "\n"
