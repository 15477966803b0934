"""Provider handover: what a managed cloud or provider edge must configure on its side of the interconnect.

One record per external peer that is a provider (``kind: provider`` or a ``provider`` block), for the
provider's change request (Markdown) and its automation (JSON), both rendered by render/handover.py.

Nothing here is decided anew: the sessions are ``facts.edge`` (the records the border config is built
from), the timers come from the border leaf's BGP design, and what is announced and accepted is read
back from the designed route maps and prefix lists of each session -- the very objects the switch
templates print.  So the document states what the border will do, not what the model hoped for.
The L2 extension needs are the migration waves whose target is this provider (``waves[].target.provider``
= the peer's name): per wave, the networks its VMs keep or land on, with VLAN, prefixes and VM counts.
"""

from __future__ import annotations

from .. import platforms
from .dns import provider_dns_zones
from .north_south import DEFAULT4, DEFAULT6

# Bump when a key of the JSON document changes meaning or disappears (docs/handover.schema.json).
SCHEMA_VERSION = 1


def is_provider(peer) -> bool:
    """A peer that gets a handover document: a provider edge, or any peer with a provider block."""
    return peer["kind"] == "provider" or bool(peer["provider"])


def _route_map_prefixes(cfg, rm_name, community_values):
    """The prefixes a route map permits: [{prefix, ge, le, community, origin}] in sequence order.

    ``community`` is the one the route passes with: set by the entry, or required by its community-list
    match (VIPs carry the VIP community from the MetalLB session); ``origin`` its name in fabric.communities.
    """
    prefix_lists = {pl["name"]: pl for pl in cfg["prefix_lists"]}
    community_lists = {cl["name"]: cl["communities"] for cl in cfg["community_lists"]}
    route_map = next((rm for rm in cfg["route_maps"] if rm["name"] == rm_name), None)
    out = []
    for entry in route_map["entries"] if route_map else ():
        if entry["action"] != "permit" or not entry["match_prefix_list"]:
            continue
        matched = list(community_lists.get(entry["match_community"], ())) if entry["match_community"] else []
        tags = matched or list(entry["set_community"])
        for item in prefix_lists[entry["match_prefix_list"]]["entries"]:
            if item["action"] != "permit":
                continue
            out.append({"prefix": item["prefix"], "ge": item["ge"], "le": item["le"],
                        "community": tags[0] if tags else None, "origin": community_values.get(tags[0]) if tags else None})
    return out


def _neighbor(cfg, session):
    return next(n for n in cfg["bgp"]["neighbors"] if n["vrf"] == session["vrf"] and n["ip"] == session["peer_ip"])


def _session(model, session):
    plat = platforms.get(model.leaves[session["leaf"]]["platform"])
    return {
        "leaf": session["leaf"], "port": session["port"], "interface": session["interface"], "family": session["family"],
        "site_address": session["leaf_ip"], "provider_address": session["peer_ip"], "prefixlen": session["prefixlen"],
        "transfer_prefix": session["transfer"], "site_asn": session["asn"], "provider_asn": session["peer_asn"],
        "bfd": session["bfd"], "platform": plat.name, "path": session["path"], "link_path": session["link_path"],
    }


def _policy(cfg, session, community_values):
    """What one session announces and accepts, read from the leaf's designed route maps."""
    neighbor = _neighbor(cfg, session)
    announced = _route_map_prefixes(cfg, neighbor["route_map_out"], community_values)
    accepted = _route_map_prefixes(cfg, neighbor["route_map_in"], community_values)
    default = DEFAULT4 if session["family"] == 4 else DEFAULT6
    return {
        "announced": [{"prefix": a["prefix"], "ge": a["ge"], "le": a["le"], "origin": a["origin"], "community": a["community"]}
                      for a in announced],
        "accepts_default": any(a["prefix"] == default for a in accepted),
        "accepted": [{"prefix": a["prefix"], "ge": a["ge"], "le": a["le"]} for a in accepted if a["prefix"] != default],
        "tagged_on_entry": sorted({a["community"] for a in accepted if a["community"]}),
        "route_maps": {"in": neighbor["route_map_in"], "out": neighbor["route_map_out"]},
    }


def _vrf_records(model, facts, design, sessions, community_values):
    """Per VRF handed over: its VLAN, the sessions of both families and what goes each way per family."""
    out = {}
    for s in sessions:
        vrf = out.setdefault(s["vrf"], {"vrf": s["vrf"], "vlan": s["vlan"], "path": s["path"], "transfer": {},
                                        "sessions": [], "families": {}})
        vrf["transfer"][f"ipv{s['family']}"] = s["transfer"]
        vrf["sessions"].append(_session(model, s))
        policy = _policy(design["switches"][s["leaf"]], s, community_values)
        family = vrf["families"].setdefault(f"ipv{s['family']}", policy)
        if policy["announced"] != family["announced"] or policy["accepted"] != family["accepted"]:
            # one policy per VRF and family on every leaf of the pair; say so where it is not
            family.setdefault("differs_on", []).append(s["leaf"])
    records = []
    for name in sorted(out, key=lambda v: facts.edge["vrfs"][v]["id"]):
        vrf = out[name]
        vrf["transfer"] = {fam: vrf["transfer"].get(fam) for fam in ("ipv4", "ipv6")}
        vrf["families"] = {fam: vrf["families"][fam] for fam in ("ipv4", "ipv6") if fam in vrf["families"]}
        records.append(vrf)
    return records


def _mss(model, peer, sessions):
    """The TCP MSS clamp of the handover and who applies it (a platform without a transit clamp leaves it to the provider)."""
    if not peer["tcp_mss"]:
        return None
    leaves = sorted({s["leaf"] for s in sessions})
    clamped = [lf for lf in leaves if platforms.get(model.leaves[lf]["platform"]).tcp_mss_clamp]
    return {"ipv4": peer["tcp_mss"], "ipv6": peer["tcp_mss"] - 20,
            "clamped_by_site_on": clamped, "provider_clamps_for": [lf for lf in leaves if lf not in clamped]}


def _extension(model, waves, peer_name):
    """The L2 extension needs of the waves toward the provider: per wave, the networks and how many VMs use each."""
    out = []
    for wave in sorted((w for w in waves.values() if w["target"]["provider"] == peer_name),
                       key=lambda w: (w["start"], w["name"])):
        coexist = {n["name"]: n for n in wave["coexistence"]["networks"]}
        networks = []
        for net in wave["networks"]:
            nics = [n for n in wave["nics"] if n["target_network"] == net["name"]]
            row = coexist.get(net["name"], {})
            networks.append({
                "name": net["name"], "vlan": net["vlan"], "ipv4": net["ipv4"], "ipv6": net["ipv6"], "mtu": net["mtu"],
                "gateway_on": model.networks[net["name"]]["gateway_on"],
                "vms": len({n["vm"] for n in nics}), "nics": len(nics),
                # a network the VMs keep lives on both sides while the wave runs: the VLAN is extended
                "stretched": bool(row.get("stretched")), "site_leaves": list(row.get("source_leaves", [])),
            })
        out.append({"wave": wave["name"], "start": wave["start"], "path": wave["path"], "vms": len(wave["vms"]),
                    "networks": networks})
    return out


def provider_handover(model, facts, design, peer) -> dict:
    """The handover record of one provider peer (key order is the JSON document's)."""
    comm = facts.edge["communities"]
    community_values = {value: key for key, value in comm.items() if value}
    sessions = [s for s in facts.edge["sessions"] if s["peer"] == peer["name"]]
    info = peer["provider"] or {}
    leaves = sorted({s["leaf"] for s in sessions})
    bgp = design["switches"][leaves[0]]["bgp"] if leaves else None
    waves = _extension(model, design.get("waves") or {}, peer["name"])
    return {
        "schema_version": SCHEMA_VERSION,
        "site": {"name": model.site["name"], "domain": model.site["domain"] or None},
        "provider": {"name": info.get("name") or peer["name"], "contact": info.get("contact") or None,
                     "reference": info.get("reference") or None},
        "peer": {"name": peer["name"], "kind": peer["kind"], "description": peer["description"] or None,
                 "asn": peer["asn"], "path": f"external_peers[{peer['name']}]"},
        "interconnect": {
            "attach": peer["attach"], "mtu": peer["mtu"], "tcp_mss": _mss(model, peer, sessions),
            "links": [{"leaf": link["leaf"], "port": link["port"], "path": f"external_peers[{peer['name']}].links[{i}]"}
                      for i, link in enumerate(peer["links"])],
        },
        "bgp": {
            "site_asns": sorted({s["asn"] for s in sessions}), "provider_asn": peer["asn"],
            "keepalive": bgp["keepalive"] if bgp else None, "hold": bgp["hold"] if bgp else None,
            "bfd": dict(bgp["bfd"], enabled=True) if bgp and bgp["bfd"] and peer["bfd"] else {"enabled": False},
            # the MD5 secret is agreed out of band: the document says only whether there is one
            "password": {"required": bool(peer["password_var"])},
        },
        "communities": {"fabric": comm["fabric"], "external": comm["external"], "vip": comm["vip"]},
        "vrfs": _vrf_records(model, facts, design, sessions, community_values),
        "l2_extension": {"vlans": sorted({n["vlan"] for w in waves for n in w["networks"] if n["stretched"]}),
                         "waves": waves},
        # the same claims the site DNS writes as forward zones (design/dns.py forwarders)
        "dns": {"forward_to_provider": [{"zone": c["zone"], "servers": c["servers"]} for c in provider_dns_zones(model)
                                        if c["peer"] == peer["name"]],
                "forward_to_site": [{"zone": model.site["domain"], "servers": list(model.site["dns_servers"])}]
                if model.site["domain"] and model.site["dns_servers"] else []},
    }


def handover_design(model, facts, design) -> dict:
    """{peer name: handover record} for every provider peer (after the switches and waves are designed)."""
    return {peer["name"]: provider_handover(model, facts, design, peer)
            for peer in sorted(model.external_peers.values(), key=lambda p: p["name"]) if is_provider(peer)}
