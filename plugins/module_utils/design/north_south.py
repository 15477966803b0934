"""North-south: tenants (VRFs), border leaves, external peers and the way out (docs/north_south.md).

Three stages, like the rest of the design:

* ``edge_facts(model, facts)`` -- once per site, stored as ``facts.edge``: every VRF (its L3 VNI, VLAN,
  route targets, the networks and VIP pools in it, what the border announces for it) and every external
  session with both ends (the leaf's and the peer's address on the transfer prefix, the interface, the
  policy asked for).  The switch configs, the checks and the provider handover all read these records,
  so the border config and the handover document cannot disagree.
* ``edge_config(model, facts, name)`` -- a leaf's VRFs, its handover ports, sub-interfaces and SVIs;
* ``edge_routing(model, facts, name, families)`` -- a leaf's per-VRF BGP instances, the external
  sessions and the edge policy: prefix lists, community lists and route maps.

The default VRF carries only the underlay: a network in a VRF has its SVI there, and its subnet, its
VIPs and its default route never enter the underlay filters (facts.py leaves them out of
``fabric_prefixes``).  Inter-VRF traffic has no path inside the fabric unless a VRF leaks from another
(``vrfs[].leak_from``, route targets): it leaves through an external peer, normally the firewall.
"""

from __future__ import annotations

import ipaddress

from ..addressing import merge, nth_host, p2p_link, prefixlen
from ..errors import InputError
from .. import platforms

DEFAULT4, DEFAULT6 = "0.0.0.0/0", "::/0"
_COMMUNITY_INDEX = {"fabric": 1, "external": 2, "vip": 3}


def communities(model) -> dict:
    """{"fabric", "external", "vip"} origin communities: the model's, else <spine ASN>:1/2/3."""
    asn = model.fabric["asn"]["spine"]
    given = model.fabric["communities"]
    return {key: given[key] or (f"{asn}:{n}" if asn <= 65535 else None) for key, n in _COMMUNITY_INDEX.items()}


def metallb_network(model, cluster):
    """The network a cluster's MetalLB speakers peer on (facts._metallb_sessions uses the same rule)."""
    mlb = cluster["metallb"]
    if not mlb:
        return None
    return mlb["peer_network"] or next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)


def pool_vrf(model, cluster):
    """The VRF of a cluster's VIPs: the VRF of its MetalLB peer network (None: the default VRF)."""
    net = metallb_network(model, cluster)
    return model.networks[net]["vrf"] if net and net in model.networks else None


def route_target(model, vni: int) -> str:
    """The route target of a VNI, the same on every leaf (per-pair ASNs would break auto-derived ones)."""
    return f"{vni}:{vni}" if vni <= 65535 else f"{model.fabric['asn']['spine']}:{vni}"


def _network_key(prefix):
    net = ipaddress.ip_network(prefix)
    return net.version, int(net.network_address), net.prefixlen


def _try(func, *args):
    try:
        return func(*args)
    except InputError:
        return None   # the loader's handover rule reports a transfer prefix that is too small


# ------------------------------------------------------------------------------------------ site facts
def edge_facts(model, facts) -> dict:
    """The north-south facts of the site (see the module docstring)."""
    overlay = model.fabric["overlay"] == "evpn_vxlan"
    vrfs = {}
    for vrf in sorted(model.vrfs.values(), key=lambda v: v["id"]):
        name = vrf["name"]
        l3vni = vrf["l3_vni"] or model.fabric["l3vni"]["vni_base"] + vrf["id"]
        networks = sorted(n for n, net in model.networks.items() if net["vrf"] == name and net["gateway_on"] == "fabric")
        carried = [n for n in networks if n in facts.network_leaves]
        subnets = {fam: sorted((model.networks[n][f"ipv{fam}"] for n in carried if model.networks[n][f"ipv{fam}"]),
                               key=_network_key) for fam in (4, 6)}
        if vrf["aggregates"]:
            aggregates = {fam: [p for p in vrf["aggregates"] if (":" in p) == (fam == 6)] for fam in (4, 6)}
        else:
            merged = merge(subnets[4] + subnets[6]) if subnets[4] or subnets[6] else []
            aggregates = {fam: [p for p in merged if (":" in p) == (fam == 6)] for fam in (4, 6)}
        pools = []
        for cluster in sorted(model.clusters.values(), key=lambda c: c["name"]):
            if cluster["platform"] != "ove" or not cluster["metallb"] or pool_vrf(model, cluster) != name:
                continue
            for pool in cluster["metallb"]["pools"]:
                pools.append({"cluster": cluster["name"], "name": pool["name"], "ipv4": pool["ipv4"], "ipv6": pool["ipv6"],
                              "export": pool["export"], "communities": list(pool["communities"]),
                              "path": f"clusters[{cluster['name']}].metallb.pools[{pool['name']}]"})
        vrfs[name] = {
            "name": name, "id": vrf["id"], "path": f"vrfs[{name}]", "l3vni": l3vni if overlay else None,
            "vlan": (vrf["vlan"] or model.fabric["l3vni"]["vlan_base"] + vrf["id"]) if overlay else None,
            "route_target": route_target(model, l3vni), "leak_from": list(vrf["leak_from"]),
            "networks": networks, "subnets": subnets, "aggregates": aggregates, "pools": pools,
            "leaves": sorted(lf for lf, svis in facts.svis.items() if any(model.networks[n]["vrf"] == name for n in svis)),
        }
    edge = {"vrfs": vrfs, "communities": communities(model), "sessions": [], "ports": {}, "vlans": {},
            "border_leaves": sorted(lf for lf, rec in model.leaves.items() if rec["pair"]["role"] == "border")}
    for peer in sorted(model.external_peers.values(), key=lambda p: p["name"]):
        _peer(model, facts, peer, edge)
    # MetalLB sessions live in the VRF of their peer network
    for s in facts.sessions:
        if s["kind"] == "metallb":
            s["vrf"] = model.networks[s["network"]]["vrf"]
    return edge


def _peer(model, facts, peer, edge):
    ppath = f"external_peers[{peer['name']}]"
    for idx, link in enumerate(peer["links"]):
        leaf = model.leaves.get(link["leaf"])
        if not leaf:
            continue
        plat = platforms.get(leaf["platform"])
        number = plat.port_number(link["port"])
        if number is None:
            continue
        port = plat.ethernet_name(number)
        side = 0 if leaf["side"] == "a" else 1
        entries = [e for e in peer["vrfs"] if e["vrf"] in model.vrfs]
        sub = peer["attach"] == "subinterface"
        edge["ports"].setdefault(leaf["name"], {})[port] = {
            "name": port, "peer": peer["name"], "attach": peer["attach"], "path": f"{ppath}.links[{idx}]",
            "description": f"{peer['name']} ({peer['kind']})",
            # a routed parent carries tagged sub-interfaces up to the port MTU; a trunk takes the handover MTU
            "mtu": facts.port_mtu[leaf["name"]] if sub else peer["mtu"],
            "vlans": sorted(e["vlan"] for e in entries),
        }
        for entry in entries:
            vpath = f"{ppath}.vrfs[{entry['vrf']}]"
            interface = f"{port}.{entry['vlan']}" if sub else plat.vlan_interface_name(entry["vlan"])
            if not sub:
                edge["vlans"].setdefault(leaf["name"], {})[entry["vlan"]] = {
                    "id": entry["vlan"], "vrf": entry["vrf"], "peer": peer["name"], "interface": interface, "path": vpath}
            for fam in (4, 6):
                prefix = entry[f"ipv{fam}"]
                if not prefix:
                    continue
                if sub:
                    p2p = _try(p2p_link, prefix, side)
                    if not p2p:
                        continue
                    mine, theirs, plen = p2p["a"], p2p["b"], p2p["prefixlen"]
                else:
                    theirs = entry[f"peer_ipv{fam}"] or _try(nth_host, prefix, 1)
                    mine, plen = _try(nth_host, prefix, 2 + side), prefixlen(prefix)
                    if not mine or not theirs:
                        continue
                edge["sessions"].append({
                    "kind": "external", "peer": peer["name"], "peer_kind": peer["kind"], "vrf": entry["vrf"],
                    "leaf": leaf["name"], "family": fam, "attach": peer["attach"], "vlan": entry["vlan"],
                    "interface": interface, "port": port, "leaf_ip": mine, "peer_ip": theirs, "prefixlen": plen,
                    "transfer": prefix, "asn": facts.switches[leaf["name"]]["asn"], "peer_asn": peer["asn"],
                    "bfd": peer["bfd"] and model.fabric["bfd"]["enabled"], "password_var": peer["password_var"] or None,
                    "mtu": peer["mtu"], "tcp_mss": peer["tcp_mss"], "accept_default": entry["accept_default"],
                    "accept": [p for p in entry["accept"] if (":" in p) == (fam == 6)],
                    "export_aggregates": entry["export_aggregates"], "export_vips": entry["export_vips"],
                    "path": vpath, "link_path": f"{ppath}.links[{idx}]", "leaf_path": leaf["path"],
                })


def vrf_leaves(facts, vrf: str) -> list:
    """Leaves that carry a VRF: its gateways, plus the border leaves with a session in it."""
    edge = facts.edge
    return sorted(set(edge["vrfs"][vrf]["leaves"]) | {s["leaf"] for s in edge["sessions"] if s["vrf"] == vrf})


def exits(facts, vrf: str) -> list:
    """The external sessions of a VRF: where its traffic leaves the fabric (the path explainer's last hops)."""
    return [s for s in facts.edge["sessions"] if s["vrf"] == vrf]


# ------------------------------------------------------------------------------------- leaf sections
def _leaf_vrfs(model, facts, name):
    edge = facts.edge
    mine = {s["vrf"] for s in edge["sessions"] if s["leaf"] == name}
    mine |= {model.networks[n]["vrf"] for n in facts.svis.get(name, {}) if model.networks[n]["vrf"]}
    return [edge["vrfs"][v] for v in sorted(mine, key=lambda v: edge["vrfs"][v]["id"]) if v in edge["vrfs"]]


def _tcp_mss(mss):
    # the model names the IPv4 MSS; IPv6 headers are 20 bytes longer
    return {"ipv4": mss, "ipv6": mss - 20} if mss else None


def edge_config(model, facts, name) -> dict:
    """A leaf's VRFs and handover interfaces (empty on spines and on leaves outside every VRF)."""
    sw = facts.switches[name]
    if sw["role"] != "leaf":
        return {"vrfs": [], "external_ports": [], "external_interfaces": [], "external_vlans": []}
    plat = platforms.get(sw["platform"])
    vrfs = []
    for v in _leaf_vrfs(model, facts, name):
        l3vni = v["l3vni"] if sw.get("vtep4") else None
        vrfs.append({
            "name": v["name"], "id": v["id"], "l3vni": l3vni, "vlan": v["vlan"] if l3vni else None,
            "vlan_interface": plat.vlan_interface_name(v["vlan"]) if l3vni else None,
            "rd": f"{sw['router_id']}:{v['vlan'] or model.fabric['l3vni']['vlan_base'] + v['id']}",
            "route_targets": {"import": [v["route_target"]] + [facts.edge["vrfs"][o]["route_target"]
                                                               for o in v["leak_from"] if o in facts.edge["vrfs"]],
                              "export": [v["route_target"]]},
            "border": name in facts.edge["border_leaves"], "model_path": v["path"],
        })
    sessions = [s for s in facts.edge["sessions"] if s["leaf"] == name]
    ports = sorted(facts.edge["ports"].get(name, {}).values(), key=lambda p: plat.port_number(p["name"]) or 0)
    interfaces, vlans = {}, {}
    for s in sessions:
        if s["attach"] == "subinterface":
            item = interfaces.setdefault(s["interface"], {
                "name": s["interface"], "parent": s["port"], "vlan": s["vlan"], "vrf": s["vrf"], "mtu": s["mtu"],
                "ipv4": None, "ipv6": None, "tcp_mss": _tcp_mss(s["tcp_mss"]) if plat.tcp_mss_clamp else None,
                "tcp_mss_elsewhere": s["tcp_mss"] if s["tcp_mss"] and not plat.tcp_mss_clamp else None,
                "description": f"{s['peer']} {s['vrf']}", "peer": s["peer"], "model_path": s["path"]})
        else:
            record = facts.edge["vlans"][name][s["vlan"]]
            item = vlans.setdefault(s["vlan"], {
                "id": s["vlan"], "name": f"{s['peer']}-{s['vrf']}"[:32], "vrf": s["vrf"], "peer": s["peer"],
                "model_path": record["path"],
                "svi": {"interface": s["interface"], "mtu": s["mtu"], "ipv4": None, "ipv6": None,
                        "tcp_mss": _tcp_mss(s["tcp_mss"]) if plat.tcp_mss_clamp else None,
                        "tcp_mss_elsewhere": s["tcp_mss"] if s["tcp_mss"] and not plat.tcp_mss_clamp else None,
                        "vrf": s["vrf"]}})
            item = item["svi"]
        item[f"ipv{s['family']}"] = f"{s['leaf_ip']}/{s['prefixlen']}"
    return {"vrfs": vrfs,
            "external_ports": [{"name": p["name"], "description": p["description"], "mtu": p["mtu"],
                                "mode": "routed" if p["attach"] == "subinterface" else "trunk",
                                "allowed_vlans": p["vlans"] if p["attach"] == "svi" else [],
                                "model_path": p["path"]} for p in ports],
            "external_interfaces": sorted(interfaces.values(), key=lambda i: (plat.port_number(i["parent"]) or 0, i["vlan"])),
            "external_vlans": [vlans[k] for k in sorted(vlans)]}


# ------------------------------------------------------------------------------------- edge routing
def _pl(name, fam, entries):
    """A prefix list: entries (prefix, ge, le); the same shape as design/switches.py builds."""
    out = []
    for i, (prefix, ge, le) in enumerate(entries):
        ge = ge if ge is not None and ge > prefixlen(prefix) else None
        out.append({"seq": 10 + 10 * i, "action": "permit", "prefix": prefix, "ge": ge, "le": le})
    return {"name": name, "family": fam, "entries": out}


def _entry(seq, action, prefix_list=None, community=None, set_community=()):
    return {"seq": seq, "action": action, "match_prefix_list": prefix_list, "match_community": community,
            "set_community": list(set_community)}


def _tag(vrf):
    return vrf.upper()


def edge_routing(model, facts, name) -> dict:
    """Per-VRF BGP of a leaf, its external sessions and the edge policy (empty outside every VRF)."""
    sw = facts.switches[name]
    out = {"prefix_lists": [], "community_lists": [], "route_maps": [], "peer_groups": [], "neighbors": [], "vrfs": []}
    if sw["role"] != "leaf":
        return out
    leaf_vrfs = _leaf_vrfs(model, facts, name)
    if not leaf_vrfs:
        return out
    comm = communities(model)
    sessions = [s for s in facts.edge["sessions"] if s["leaf"] == name]
    border = name in facts.edge["border_leaves"]
    if any(s["export_vips"] for s in sessions):
        out["community_lists"].append({"name": "CL-VIP", "action": "permit", "communities": [comm["vip"]]})
    for v in leaf_vrfs:
        tag = _tag(v["name"])
        mine = [s for s in sessions if s["vrf"] == v["name"]]
        fams = [f for f in (4, 6) if v["subnets"][f] or any(s["family"] == f for s in mine)
                or any(p[f"ipv{f}"] for p in v["pools"])]
        for fam in fams:
            sfx = f"V{fam}"
            # the VRF's own subnets, tagged as fabric routes: what the leaf puts into the VRF's BGP table
            out["prefix_lists"].append(_pl(f"PL-{tag}-SUBNETS-{sfx}", fam, [(p, None, None) for p in v["subnets"][fam]]))
            out["route_maps"].append({"name": f"RM-{tag}-CONNECTED-{sfx}", "family": fam, "entries": [
                _entry(10, "permit", f"PL-{tag}-SUBNETS-{sfx}", set_community=[comm["fabric"]]),
                _entry(20, "deny")]})
        if mine:
            _session_policy(model, v, mine, fams, comm, out)
        out["vrfs"].append({
            "name": v["name"], "router_id": sw["router_id"],
            "families": [f"ipv{f}" for f in fams],
            "redistribute_connected": {f"ipv{f}": f"RM-{tag}-CONNECTED-V{f}" for f in fams},
            # the border announces the aggregates it exports (the route exists wherever a component does)
            # (an aggregate that is one of the subnets is announced as that subnet: no aggregate-address for it)
            "aggregates": {f"ipv{f}": [a for a in v["aggregates"][f] if a not in v["subnets"][f]]
                           for f in fams if border and mine},
            "maximum_paths": model.fabric["bgp"]["maximum_paths"],
            "evpn": bool(sw.get("vtep4") and v["l3vni"]),
        })
    groups = {}
    for s in sessions:
        group = f"EXT-{s['peer'].upper()}"
        groups.setdefault(group, s)
        tag = _tag(s["vrf"])
        sfx = f"V{s['family']}"
        out["neighbors"].append({
            "ip": s["peer_ip"], "interface": None, "remote_as": s["peer_asn"], "peer_group": group, "family": s["family"],
            "address_families": [f"ipv{s['family']}"], "bfd": s["bfd"], "kind": "external", "vrf": s["vrf"],
            "description": f"{s['peer']} {s['vrf']} ({s['interface']})", "ebgp_multihop": None, "update_source": None,
            "route_map_in": f"RM-{tag}-{s['peer'].upper()}-IN-{sfx}", "route_map_out": f"RM-{tag}-{s['peer'].upper()}-OUT-{sfx}",
        })
    for group, s in sorted(groups.items()):
        peer = model.external_peers[s["peer"]]
        out["peer_groups"].append({
            "name": group, "kind": "external", "scope": "vrf", "remote_as": peer["asn"], "bfd": s["bfd"],
            "password_var": s["password_var"], "password_secret": None, "families": [],
            "route_map_in": {}, "route_map_out": {}, "description": f"{peer['kind']} {peer['name']} (external)",
            "allowas_in": None, "next_hop_self": False, "maximum_routes": None,
        })
    return out


def _session_policy(model, v, sessions, fams, comm, out):
    """What goes out (aggregates, VIPs by community) and what comes in (default, named prefixes) per peer and family."""
    tag = _tag(v["name"])
    exported_pools = [p for p in v["pools"] if p["export"]]
    for fam in fams:
        sfx = f"V{fam}"
        if v["aggregates"][fam]:
            out["prefix_lists"].append(_pl(f"PL-{tag}-AGGREGATES-{sfx}", fam, [(p, None, None) for p in v["aggregates"][fam]]))
        vips = [p[f"ipv{fam}"] for p in exported_pools if p[f"ipv{fam}"]]
        if vips:
            out["prefix_lists"].append(_pl(f"PL-{tag}-VIPS-{sfx}", fam,
                                           [(p, prefixlen(p), 32 if fam == 4 else 128) for p in vips]))
    defaults = {f: any(s["family"] == f and s["accept_default"] for s in sessions) for f in (4, 6)}
    for fam in (4, 6):
        if defaults[fam] and not any(pl["name"] == f"PL-DEFAULT-V{fam}" for pl in out["prefix_lists"]):
            out["prefix_lists"].append(_pl(f"PL-DEFAULT-V{fam}", fam, [(DEFAULT4 if fam == 4 else DEFAULT6, None, None)]))
    done = set()
    for s in sessions:
        key = (s["peer"], s["family"])
        if key in done:
            continue
        done.add(key)
        fam, sfx, peer = s["family"], f"V{s['family']}", s["peer"].upper()
        names = {pl["name"] for pl in out["prefix_lists"]}
        entries, seq = [], 10
        if s["export_aggregates"] and f"PL-{tag}-AGGREGATES-{sfx}" in names:
            entries.append(_entry(seq, "permit", f"PL-{tag}-AGGREGATES-{sfx}", set_community=[comm["fabric"]]))
            seq += 10
        if s["export_vips"] and f"PL-{tag}-VIPS-{sfx}" in names:
            entries.append(_entry(seq, "permit", f"PL-{tag}-VIPS-{sfx}", community="CL-VIP"))
            seq += 10
        entries.append(_entry(seq, "deny"))
        out["route_maps"].append({"name": f"RM-{tag}-{peer}-OUT-{sfx}", "family": fam, "entries": entries})
        entries, seq = [], 10
        if s["accept_default"]:
            entries.append(_entry(seq, "permit", f"PL-DEFAULT-{sfx}", set_community=[comm["external"]]))
            seq += 10
        if s["accept"]:
            pl = f"PL-{tag}-{peer}-ACCEPT-{sfx}"
            out["prefix_lists"].append(_pl(pl, fam, [(p, None, None) for p in s["accept"]]))
            entries.append(_entry(seq, "permit", pl, set_community=[comm["external"]]))
            seq += 10
        entries.append(_entry(seq, "deny"))
        out["route_maps"].append({"name": f"RM-{tag}-{peer}-IN-{sfx}", "family": fam, "entries": entries})
