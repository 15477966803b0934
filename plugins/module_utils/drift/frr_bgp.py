"""FRR ``show running-config`` (vtysh) -> the ``bgp`` record of a switch's structured config.

What the BGP rules compare: the switch's own AS (``router bgp N``), its peer groups with
their ``remote-as``, and each neighbor (an address or, unnumbered, an interface) with its
peer group and its own ``remote-as`` when set. Neighbors of a ``router bgp N vrf V`` instance (tenant
VRFs: MetalLB, external peers) carry ``vrf``; the switch's AS is the default instance's.
"""

from __future__ import annotations

import ipaddress


def _as(word):
    return int(word) if word.isdigit() else word   # "external"/"internal" stay words, as in the design


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_frr_bgp(text: str) -> dict:
    """{"asn": N, "peer_groups": [{"name", "remote_as"}], "neighbors": [{"ip"|"interface", "peer_group", "remote_as",
    "vrf"}]} or {} when the config has no ``router bgp``."""
    asn, groups, neighbors, inside, vrf = None, {}, {}, False, None
    for raw in text.splitlines():
        line = raw.rstrip()
        words = line.split()
        if not words or words[0] in ("!", "exit-address-family"):
            continue
        if not raw[:1].isspace():
            inside = (words[:2] == ["router", "bgp"] and len(words) >= 3 and words[2].isdigit()
                      and (len(words) == 3 or (len(words) == 5 and words[3] == "vrf")))
            vrf = words[4] if inside and len(words) == 5 else None
            if inside and vrf is None:
                asn = int(words[2])
            continue
        if not inside or words[0] != "neighbor" or len(words) < 3:
            continue
        name, rest = words[1], words[2:]
        if rest == ["peer-group"]:
            groups.setdefault(name, {"name": name, "remote_as": None})
            continue
        if name in groups:
            if rest[0] == "remote-as" and len(rest) == 2:
                groups[name]["remote_as"] = _as(rest[1])
            continue
        entry = neighbors.setdefault((vrf or "", name), {"ip": name if _is_ip(name) else None,
                                                         "interface": None if _is_ip(name) else name,
                                                         "peer_group": None, "remote_as": None, "vrf": vrf})
        if rest[0] == "interface":
            rest = rest[1:]
        if rest[:1] == ["peer-group"] and len(rest) == 2:
            entry["peer_group"] = rest[1]
        elif rest[:1] == ["remote-as"] and len(rest) == 2:
            entry["remote_as"] = _as(rest[1])
    if asn is None:
        return {}
    return {"asn": asn, "peer_groups": sorted(groups.values(), key=lambda g: g["name"]),
            "neighbors": [neighbors[k] for k in sorted(neighbors)]}
