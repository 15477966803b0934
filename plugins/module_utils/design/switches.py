"""Structured config of spines and leaves, from the site facts.

Each builder is ``f(model, facts, name) -> dict`` adding one section; the
ordered tuples ``SPINE_SECTIONS`` and ``LEAF_SECTIONS`` show what makes a
device.  Output is platform-neutral: interface names are already the
platform's, everything else is the same for FRR, EOS and NX-OS.
"""

from __future__ import annotations

import functools

from ..addressing import prefixlen
from ..vlans import ranges_text
from .. import platforms
from .dcb import dcb_config
from .dhcp import svi_services
from .management import management_config
from .mlag import mlag_config, pair_vlans
from .north_south import communities as edge_communities, edge_config, edge_routing


def _community_order(community):
    """FRR prints a route map's communities in numeric order (65000:3 before 65000:100): render them so,
    or a deploy never reaches changed=0."""
    high, low = community.split(":", 1) if ":" in community else (community, "")
    return (int(high), int(low)) if high.isdigit() and low.isdigit() else (1 << 32, community)


def _base(model, facts, name):
    sw = facts.switches[name]
    plat = sw["platform"]
    los = [{"name": platforms.get(plat).loopback_name(0), "purpose": "router-id",
            "ipv4": f"{sw['loopback4']}/32", "ipv6": sw["loopback6"] and f"{sw['loopback6']}/128"}]
    if sw.get("vtep4"):
        los.append({"name": platforms.get(plat).loopback_name(1), "purpose": "vtep", "ipv4": f"{sw['vtep4']}/32", "ipv6": None})
    stp = model.fabric["spanning_tree"]
    return {
        "hostname": name, "role": sw["role"], "platform": plat, "id": sw["id"], "rack": sw["rack"],
        "asn": sw["asn"], "router_id": sw["router_id"], "mtu": facts.port_mtu[name], "loopbacks": los,
        "model_path": sw["path"],
        # spines route every port: no spanning tree; leaves are the root bridge of their host ports
        "spanning_tree": {"mode": stp["mode"], "priority": stp["priority"]} if sw["role"] == "leaf"
        else {"mode": "none", "priority": None},
    }


def _fabric_links(model, facts, name):
    role = facts.switches[name]["role"]
    out = []
    for link in facts.links:
        if link[role] != name:
            continue
        me, peer = (("spine", "leaf") if role == "spine" else ("leaf", "spine"))
        out.append({
            "interface": link[f"{me}_port"], "peer": link[peer], "peer_interface": link[f"{peer}_port"],
            "description": f"{link[peer]}:{link[f'{peer}_port']}", "mtu": link["mtu"], "unnumbered": link["unnumbered"],
            "ipv4": link[f"{me}_ip4"] and f"{link[f'{me}_ip4']}/{link['prefixlen4']}",
            "ipv6": link[f"{me}_ip6"] and f"{link[f'{me}_ip6']}/{link['prefixlen6']}",
        })
    return {"fabric_links": sorted(out, key=lambda x: platforms_sort_key(x["interface"]))}


@functools.lru_cache(maxsize=65536)
def _length(prefix: str) -> int:
    """The length of a prefix that every switch meets again (fabric prefix lists, SVI networks)."""
    return prefixlen(prefix)


def platforms_sort_key(interface: str):
    digits = "".join(ch if ch.isdigit() else " " for ch in interface).split()
    return tuple(int(d) for d in digits) or (0,), interface


def _vlans(model, facts, name):
    vlans = []
    vlan_interface_name = platforms.get(facts.switches[name]["platform"]).vlan_interface_name
    for vid in pair_vlans(facts, name):
        net = model.networks_by_vlan[vid]
        svi = facts.svis[name].get(net["name"])
        entry = {"id": vid, "name": net["name"], "vni": facts.vnis.get(net["name"]), "svi": None,
                 "stretched": net["name"] in facts.stretched,
                 # the racks as ranges ("1-8"): a site-wide VLAN would otherwise list every rack on every leaf
                 "racks": ranges_text(tuple(facts.stretched.get(net["name"], ())))}
        if svi:
            entry["svi"] = {"interface": vlan_interface_name(vid), "ipv4": svi["ipv4"], "ipv6": svi["ipv6"],
                            "gateway4": svi["gateway4"], "gateway6": svi["gateway6"], "mtu": net["mtu"],
                            # the gateways with the network's prefix length (anycast/virtual addresses)
                            "gateway4_cidr": svi["gateway4"] and net["ipv4"] and f"{svi['gateway4']}/{_length(net['ipv4'])}",
                            "gateway6_cidr": svi["gateway6"] and net["ipv6"] and f"{svi['gateway6']}/{_length(net['ipv6'])}",
                            # dhcp_relay (servers outside the network, each family served) and ipv6_ra (the RA policy)
                            "vrf": net["vrf"], **svi_services(net, model, facts)}
        vlans.append(entry)
    # one virtual MAC for every anycast gateway of the site (a fabric fact): leaves of all platforms
    # answer for the gateway with the same MAC, so a VM keeps its ARP entry when it moves racks
    return {"vlans": vlans, "anycast_gateway_mac": model.fabric["anycast_gateway_mac"] if any(v["svi"] for v in vlans) else None,
            "blackhole_vlan": _blackhole_vlan(facts, name),
            # families relayed into another VRF than the gateway's: the relay agent option (VRF/VPN) goes on
            "dhcp_relay_across_vrfs": sorted({6 if ":" in s else 4 for v in vlans if v["svi"] for s in v["svi"]["dhcp_relay_vrf"]})}


def _blackhole_vlan(facts, name):
    """{"id", "name"} of the black-hole native VLAN when a host trunk of this leaf uses it, else None.

    Created in the VLAN table so the switch shows what it is; no SVI, no VNI, allowed on no trunk.
    """
    used = sorted({p["blackhole_vlan"] for p in facts.host_ports.get(name, {}).values() if p["blackhole_vlan"]})
    return {"id": used[0], "name": "BLACKHOLE"} if used else None


def _host_ports(model, facts, name):
    ports, channels = [], []
    for port in facts.host_ports.get(name, {}).values():
        entry = {"name": port["name"], "description": port["description"], "channel": None, "mode": port["mode"],
                 "allowed_vlans": port["allowed_vlans"], "native_vlan": port["native_vlan"], "mtu": port["mtu"],
                 "edge": port["edge"], "dcb": port["dcb"], "model_path": port["path"],
                 "blackhole_vlan": port["blackhole_vlan"]}
        if port["channel"]:
            ch = facts.port_channels[name][port["channel"]["id"]]
            entry["channel"] = {"id": ch["id"], "name": ch["name"], "lacp": ch["lacp"], "lacp_rate": ch["lacp_rate"]}
        ports.append(entry)
    for ch in facts.port_channels.get(name, {}).values():
        channels.append({
            "id": ch["id"], "name": ch["name"], "description": ch["description"], "members": ch["members"],
            "lacp": ch["lacp"], "lacp_rate": ch["lacp_rate"], "mlag_id": ch["mlag_id"], "mode": ch["mode"],
            "allowed_vlans": ch["allowed_vlans"], "native_vlan": ch["native_vlan"], "mtu": ch["mtu"], "edge": True,
            "blackhole_vlan": ch["blackhole_vlan"],
            "model_path": ch["path"],
        })
    ports.sort(key=lambda p: platforms_sort_key(p["name"]))
    channels.sort(key=lambda c: c["id"])
    return {"ethernet_interfaces": ports, "port_channels": channels, "dcb": dcb_config(model, facts, ports, name)}


def _vxlan(model, facts, name):
    sw = facts.switches[name]
    if not sw.get("vtep4"):
        return {"vxlan": None}
    # explicit RD (router-id:VLAN, unique per leaf) and RT (the same on every leaf, so
    # per-pair ASNs do not break import as auto-derived ASN:VNI targets would)
    carried = set(pair_vlans(facts, name))
    vnis = [{"vlan": model.networks[n]["vlan"], "vni": vni, "network": n,
             "rd": f"{sw['router_id']}:{model.networks[n]['vlan']}",
             "route_target": f"{vni}:{vni}" if vni <= 65535 else f"{model.fabric['asn']['spine']}:{vni}"}
            for n, vni in sorted(facts.vnis.items(), key=lambda kv: kv[1])
            if model.networks[n]["vlan"] in carried]
    flood = sorted({facts.switches[lf]["vtep4"] for lf in model.leaves if facts.switches[lf].get("vtep4")} - {sw["vtep4"]})
    return {"vxlan": {"source_interface": platforms.get(sw["platform"]).loopback_name(1), "vtep": sw["vtep4"], "udp_port": 4789,
                      "vnis": vnis, "flood_vteps": flood}}


# ----------------------------------------------------------------------------------------- routing policy
def _pl(name, fam, items, start=10):
    entries = []
    for i, (prefix, ge, le) in enumerate(items):
        # "ge" equal to the prefix length is implied and rejected by FRR (len < ge <= le)
        ge = ge if ge is not None and ge > _length(prefix) else None
        entries.append({"seq": start + 10 * i, "action": "permit", "prefix": prefix, "ge": ge, "le": le})
    return {"name": name, "family": fam, "entries": entries}


def _routing(model, facts, name):
    sw = facts.switches[name]
    fab = model.fabric
    pol = facts.fabric_prefixes
    families = [4] + ([6] if fab["pools"]["loopback6"] or fab["pools"]["p2p6"] else [])
    prefix_lists, route_maps = [], []
    for fam in families:
        sfx = f"V{fam}"
        local = list(pol["loopbacks"][fam])
        if sw["role"] == "leaf":
            local += pol["servers"][fam]
        prefix_lists.append(_pl(f"PL-CONNECTED-{sfx}", fam, local))
        fabric_all = pol["loopbacks"][fam] + pol["servers"][fam] + pol["vips"][fam]
        prefix_lists.append(_pl(f"PL-FABRIC-{sfx}", fam, fabric_all))
        route_maps.append({"name": f"RM-CONNECTED-{sfx}", "family": fam, "entries": [
            {"seq": 10, "action": "permit", "match_prefix_list": f"PL-CONNECTED-{sfx}", "set_community": []},
            {"seq": 20, "action": "deny", "match_prefix_list": None, "set_community": []}]})
        route_maps.append({"name": f"RM-FABRIC-IN-{sfx}", "family": fam, "entries": [
            {"seq": 10, "action": "permit", "match_prefix_list": f"PL-FABRIC-{sfx}", "set_community": []},
            {"seq": 20, "action": "deny", "match_prefix_list": None, "set_community": []}]})
        route_maps.append({"name": f"RM-FABRIC-OUT-{sfx}", "family": fam, "entries": [
            {"seq": 10, "action": "permit", "match_prefix_list": f"PL-FABRIC-{sfx}", "set_community": []},
            {"seq": 20, "action": "deny", "match_prefix_list": None, "set_community": []}]})

    peer_group = "LEAVES" if sw["role"] == "spine" else "SPINES"
    groups = [{
        "name": peer_group, "kind": "underlay", "remote_as": "external" if sw["role"] == "spine" else fab["asn"]["spine"],
        "bfd": fab["bfd"]["enabled"], "password_var": fab["bgp"]["password_var"] or None, "password_secret": None,
        "families": [f"ipv{f}" for f in families] + (["evpn"] if fab["overlay"] == "evpn_vxlan" else []),
        "route_map_in": {f"ipv{f}": f"RM-FABRIC-IN-V{f}" for f in families},
        "route_map_out": {f"ipv{f}": f"RM-FABRIC-OUT-V{f}" for f in families},
        "description": "fabric underlay",
        # both leaves of a pair share the pair's ASN: accept routes the other leaf originated through the
        # spines (the only path without MLAG, the backup path when the MLAG peer link is down)
        "allowas_in": 1 if sw["role"] == "leaf" and len(model.leaves[name]["pair"]["leaves"]) == 2 else None,
        "next_hop_self": False,
        # EVPN carries a route per MAC and per MAC/IP: the limit is a model fact, never a platform default
        "maximum_routes": fab["bgp"]["evpn_maximum_routes"] if fab["overlay"] == "evpn_vxlan" else None,
        "scope": "default",
    }]
    neighbors = []
    metallb_clusters = {}
    for s, me, other in facts.sessions_by_device.get(name, ()):
        if s["kind"] == "mlag":
            neighbors.append({"ip": s[other]["ip"], "interface": None, "remote_as": s[other]["asn"],
                              "peer_group": "MLAG-PEER", "family": 4, "address_families": ["ipv4"], "bfd": s["bfd"],
                              "description": f"{s[other]['device']}:{s[other]['interface']}", "kind": "mlag",
                              "ebgp_multihop": None, "update_source": None, "vrf": None})
            groups.append({
                "name": "MLAG-PEER", "kind": "mlag", "remote_as": sw["asn"], "bfd": s["bfd"],
                "password_var": fab["bgp"]["password_var"] or None, "password_secret": None, "families": ["ipv4"],
                "route_map_in": {"ipv4": "RM-FABRIC-IN-V4"}, "route_map_out": {"ipv4": "RM-FABRIC-OUT-V4"},
                "description": f"MLAG peer {s[other]['device']} (routed peering over VLAN {s['vlan']})",
                "allowas_in": None, "next_hop_self": True, "maximum_routes": None, "scope": "default",
            })
        elif s["kind"] == "underlay":
            # an unnumbered session carries every family (IPv4 over IPv6 link-local next hops);
            # a numbered one its own family; EVPN rides the IPv4 (or unnumbered) sessions
            afs = [f"ipv{f}" for f in families] if s["unnumbered"] else [f"ipv{s['family']}"]
            if s["evpn"] and (s["unnumbered"] or s["family"] == 4):
                afs.append("evpn")
            neighbors.append({"ip": s[other]["ip"], "interface": s[me].get("interface") if s["unnumbered"] else None,
                              "remote_as": s[other]["asn"], "peer_group": peer_group, "family": s["family"],
                              "address_families": afs, "bfd": s["bfd"],
                              "description": f"{s[other]['device']}:{s[other].get('interface')}", "kind": "underlay",
                              "ebgp_multihop": None, "update_source": None, "vrf": None})
        else:
            group = f"METALLB-{s['cluster'].upper()}"
            metallb_clusters[s["cluster"]] = (group, s)
            neighbors.append({"ip": s[other]["ip"], "interface": None, "remote_as": s[other]["asn"], "peer_group": group,
                              "family": s["family"], "address_families": [f"ipv{s['family']}"], "bfd": s["bfd"],
                              "description": f"{s[other]['device']} metallb", "kind": "metallb",
                              "network": s["network"], "source": s[me]["ip"],
                              "ebgp_multihop": 2 if s.get("multihop") else None,
                              "update_source": s[me].get("source_interface"), "vrf": s.get("vrf"),
                              # in a tenant VRF the filters sit on each neighbor (EOS has no VRF peer-group policy)
                              "route_map_in": s.get("vrf") and f"RM-{group}-IN-V{s['family']}",
                              "route_map_out": s.get("vrf") and f"RM-{group}-OUT-V{s['family']}"})
    vip_community = edge_communities(model)["vip"]
    for cluster_name, (group, s) in sorted(metallb_clusters.items()):
        cluster = model.clusters[cluster_name]
        fams = sorted({n["family"] for n in neighbors if n["peer_group"] == group})
        # VIPs in a tenant VRF carry the VIP community: the border exports them by it
        tag = [vip_community] if s.get("vrf") else []
        for fam in fams:
            pools = [p for p in cluster["metallb"]["pools"] if p[f"ipv{fam}"]]
            pl = f"PL-{group}-V{fam}"
            prefix_lists.append(_pl(pl, fam, [(p[f"ipv{fam}"], prefixlen(p[f"ipv{fam}"]), 32 if fam == 4 else 128) for p in pools]))
            entries = []
            for i, p in enumerate(pools):
                one = f"PL-{group}-{p['name'].upper()}-V{fam}"
                prefix_lists.append(_pl(one, fam, [(p[f"ipv{fam}"], prefixlen(p[f"ipv{fam}"]), 32 if fam == 4 else 128)]))
                entries.append({"seq": 10 + 10 * i, "action": "permit", "match_prefix_list": one,
                                "set_community": sorted(set(p["communities"]) | set(tag), key=_community_order)})
            entries.append({"seq": 10 + 10 * len(pools), "action": "deny", "match_prefix_list": None, "set_community": []})
            route_maps.append({"name": f"RM-{group}-IN-V{fam}", "family": fam, "entries": entries})
            route_maps.append({"name": f"RM-{group}-OUT-V{fam}", "family": fam, "entries": [
                {"seq": 10, "action": "deny", "match_prefix_list": None, "set_community": []}]})
        groups.append({
            "name": group, "kind": "metallb", "remote_as": cluster["metallb"]["asn"], "bfd": fab["bfd"]["enabled"],
            "password_var": fab["bgp"]["password_var"] or None, "password_secret": cluster["metallb"]["password_secret"],
            # a group of a tenant VRF has no default-VRF address family: its filters are on its neighbors
            "families": [] if s.get("vrf") else [f"ipv{f}" for f in fams],
            "route_map_in": {} if s.get("vrf") else {f"ipv{f}": f"RM-{group}-IN-V{f}" for f in fams},
            "route_map_out": {} if s.get("vrf") else {f"ipv{f}": f"RM-{group}-OUT-V{f}" for f in fams},
            "description": f"MetalLB speakers of {cluster_name}", "allowas_in": None,
            "next_hop_self": False, "maximum_routes": None, "scope": "vrf" if s.get("vrf") else "default",
        })
    edge = edge_routing(model, facts, name)
    prefix_lists += edge["prefix_lists"]
    route_maps += edge["route_maps"]
    groups += edge["peer_groups"]
    neighbors += edge["neighbors"]
    neighbors.sort(key=lambda n: (n["vrf"] or "", n["peer_group"], n["family"], platforms_sort_key(n["interface"] or n["ip"] or "")))
    group_as = {g["name"]: g["remote_as"] for g in groups}
    for n in neighbors:
        # remote-as belongs on the peer group; a neighbor repeats it only where the group cannot hold it
        # (spines: every leaf pair has its own AS)
        n["remote_as_on_neighbor"] = n["remote_as"] != group_as[n["peer_group"]]
    communities = sorted({c for p in pol["vip_communities"].values() for c in p})
    return {
        "bgp": {
            "asn": sw["asn"], "router_id": sw["router_id"], "keepalive": fab["bgp"]["keepalive"], "hold": fab["bgp"]["hold"],
            "maximum_paths": fab["bgp"]["maximum_paths"], "multipath_relax": True, "families": [f"ipv{f}" for f in families],
            "bfd": {"interval_ms": fab["bfd"]["interval_ms"], "multiplier": fab["bfd"]["multiplier"]} if fab["bfd"]["enabled"] else None,
            "peer_groups": groups, "neighbors": neighbors,
            "redistribute_connected": {f"ipv{f}": f"RM-CONNECTED-V{f}" for f in families},
            "evpn": {"enabled": fab["overlay"] == "evpn_vxlan", "advertise_all_vni": sw["role"] == "leaf",
                     # spines pass EVPN routes on with the leaf VTEP as next hop
                     "next_hop_unchanged": sw["role"] == "spine"},
            "communities": communities,
            "vrfs": edge["vrfs"],
        },
        "prefix_lists": prefix_lists, "route_maps": route_maps, "community_lists": edge["community_lists"],
    }


SPINE_SECTIONS = (_base, management_config, _fabric_links, _routing)
LEAF_SECTIONS = (_base, management_config, _fabric_links, mlag_config, _vlans, _host_ports, _vxlan, edge_config, _routing)


def switch_config(model, facts, name) -> dict:
    sections = SPINE_SECTIONS if facts.switches[name]["role"] == "spine" else LEAF_SECTIONS
    config = {}
    for build in sections:
        config.update(build(model, facts, name))
    return config
