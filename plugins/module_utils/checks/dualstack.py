"""Dual-stack rules: whatever exists for IPv4 exists for IPv6 on a dual-stack network."""

from __future__ import annotations

from ..findings import Finding
from . import context
from .registry import check


def _dual(net) -> bool:
    return bool(net["ipv4"] and net["ipv6"])


@check("DS001", "error", "IPv6 network without IPv6 gateway", "dualstack")
def ipv6_gateway(model, facts, design):
    """A network with IPv6 and a gateway has the IPv6 gateway too: on the leaf SVIs and on every host interface.

    Hosts with an IPv6 address but no IPv6 gateway (or no IPv6 default route) reach their own subnet
    only: DNS AAAA answers send clients into a black hole while IPv4 keeps working, so the fault hides
    until an IPv6-preferring client arrives. The model gives both families one `gateway_on`, so this
    catches design bugs and overrides; tests inject the fault into the structured configs.

    Set `gateway6` (or keep the derived first host) and `gateway_on: fabric|external` on the network.
    """
    for net_name, leaves in sorted(facts.network_leaves.items()):
        net = model.networks[net_name]
        if not net["ipv6"] or net["gateway_on"] != "fabric":
            continue
        for leaf in leaves:
            svi = facts.svis.get(leaf, {}).get(net_name)
            if svi is not None and not (svi.get("ipv6") and svi.get("gateway6")):
                yield Finding("DS001", f"networks[{net_name}]", f"{leaf} has no IPv6 SVI/gateway for {net['ipv6']}",
                              "give the SVI its IPv6 address and anycast gateway", related=(context.leaf_path(model, leaf),))
    bad = {}
    for (cname, nname), cfg in sorted(context.nodes(model, facts, design).items()):
        for iface in cfg.get("vlan_interfaces", []):
            net = model.networks.get(iface["network"])
            if net and net["gateway_on"] != "none" and iface.get("ipv6") and iface.get("gateway4") and not iface.get("gateway6"):
                bad.setdefault(iface["network"], []).append((cname, nname))
        has6 = any(i.get("ipv6") and model.networks.get(i["network"], {}).get("role") == "management"
                   for i in cfg.get("vlan_interfaces", []))
        dests = {r["destination"] for r in cfg.get("routes", [])}
        if has6 and "0.0.0.0/0" in dests and "::/0" not in dests:
            mgmt = next((i["network"] for i in cfg["vlan_interfaces"] if i.get("ipv6") and
                         model.networks.get(i["network"], {}).get("role") == "management"), None)
            if mgmt and model.networks[mgmt]["gateway_on"] != "none":
                bad.setdefault(mgmt, []).append((cname, nname))
    for net_name, who in sorted(bad.items()):
        who = sorted(set(who))
        yield Finding("DS001", f"networks[{net_name}]",
                      f"{len(who)} node(s) have an IPv6 address on {net_name} but no IPv6 gateway or default route "
                      f"({', '.join(node for _cluster, node in who[:5])})", "give hosts the IPv6 gateway of the network",
                      related=(context.node_path(*who[0]),))


@check("DS002", "error", "Route filter for one address family only", "dualstack")
def filters_both_families(model, facts, design):
    """Every BGP peer group has an inbound and an outbound route-map, with their prefix lists, for each family it carries.

    A session family without a filter is open: it accepts and re-advertises whatever the peer sends
    (the classic "IPv6 left open" after an IPv4-only filter review), so one wrong announcement from a
    rack or a MetalLB speaker attracts the datacenter's IPv6 traffic.

    Keep filters derived by the design for both families; never add a family to a peer group by hand.
    """
    for name, cfg in sorted(context.switches(design).items()):
        bgp = cfg.get("bgp")
        if not bgp:
            continue
        rms = {rm["name"]: rm for rm in cfg.get("route_maps", [])}
        pls = {pl["name"] for pl in cfg.get("prefix_lists", [])}
        path = context.leaf_path(model, name) if name in model.leaves else f"fabric.spines[{name}]"
        fams_used = {}
        own = []  # (neighbor, family): a neighbor of a tenant VRF carries its own filters (design/north_south.py)
        for n in bgp.get("neighbors", []):
            if "route_map_in" in n and n.get("vrf"):
                own.append((n, f"ipv{n.get('family')}"))
            else:
                fams_used.setdefault(n.get("peer_group"), set()).add(f"ipv{n.get('family')}")
        checks = [(f"peer group {g['name']}", g, fam) for g in bgp.get("peer_groups", [])
                  for fam in sorted(set(g.get("families", [])) | fams_used.get(g["name"], set()))]
        checks += [(f"VRF {n['vrf']} neighbor {n.get('ip')}", {direction: {fam: n.get(direction)} for direction in
                                                               ("route_map_in", "route_map_out")}, fam) for n, fam in own]
        for what, group, fam in checks:
            if fam in ("ipv4", "ipv6"):
                for direction in ("route_map_in", "route_map_out"):
                    rm = (group.get(direction) or {}).get(fam)
                    missing = None
                    if not rm:
                        missing = f"no {direction.rsplit('_', maxsplit=1)[-1]}bound route-map for {fam}"
                    elif rm not in rms:
                        missing = f"{direction.rsplit('_', maxsplit=1)[-1]}bound route-map {rm} ({fam}) does not exist"
                    else:
                        lists = [e.get("match_prefix_list") for e in rms[rm].get("entries", []) if e.get("match_prefix_list")]
                        gone = [pl for pl in lists if pl not in pls]
                        if gone:
                            missing = f"route-map {rm} ({fam}) matches missing prefix-list {', '.join(gone)}"
                    if missing:
                        yield Finding("DS002", path, f"{name} {what}: {missing}",
                                      "regenerate the filters for both families from the model")


@check("DS003", "error", "MetalLB pool for one family on a dual-stack cluster", "dualstack")
def metallb_pool_families(model, facts, design):
    """On a cluster whose MetalLB peer network is dual-stack, every auto-assigned VIP pool has both families.

    A single-family pool gives dual-stack services (ipFamilyPolicy RequireDualStack) no address:
    they stay Pending; PreferDualStack services silently come up IPv4-only and IPv6 clients fail.

    Add the missing `ipv6` (or `ipv4`) range to the pool, or mark it `auto_assign: false` and keep it
    for single-stack services on purpose.
    """
    for cname, cluster in sorted(model.clusters.items()):
        mlb = cluster["metallb"]
        if not mlb or cluster["platform"] != "ove":
            continue
        peer = mlb["peer_network"] or context.cluster_underlay_network(model, cluster)
        if not peer or not _dual(model.networks[peer]):
            continue
        for pool in mlb["pools"]:
            if pool["auto_assign"] and bool(pool["ipv4"]) != bool(pool["ipv6"]):
                have = "ipv4" if pool["ipv4"] else "ipv6"
                yield Finding("DS003", f"clusters[{cname}].metallb.pools[{pool['name']}]",
                              f"pool has {have} only while peer network {peer} is dual-stack",
                              f"add {'ipv6' if have == 'ipv4' else 'ipv4'} to the pool or set auto_assign: false",
                              related=(f"networks[{peer}]",))


@check("DS004", "error", "Dual-stack network not routed for IPv6", "dualstack")
def ipv6_routed(model, facts, design):
    """A network with an IPv6 prefix and a fabric gateway is on leaves whose BGP carries IPv6, and a MetalLB
    IPv6 pool has IPv6 sessions to announce it.

    Without an IPv6 address family in the fabric (no `loopback6`/`p2p6` pool), the leaves answer as
    IPv6 gateway but never announce the subnet: IPv6 works inside the rack and nowhere else. An IPv6
    VIP pool on a cluster whose peer network has no IPv6 gets addresses that nobody announces.

    Add `fabric.pools.loopback6` and `p2p6` (or `bgp.unnumbered`), and give the MetalLB peer network
    an IPv6 prefix, or drop the IPv6 prefix/pool.
    """
    switches = context.switches(design)
    for net_name, leaves in sorted(facts.network_leaves.items()):
        net = model.networks[net_name]
        if not net["ipv6"] or net["gateway_on"] != "fabric":
            continue
        without = [lf for lf in leaves if "ipv6" not in switches.get(lf, {}).get("bgp", {}).get("families", [])]
        if without:
            yield Finding("DS004", f"networks[{net_name}].ipv6",
                          f"{net['ipv6']} has its gateway on {', '.join(without)}, whose BGP has no IPv6 family",
                          "add fabric.pools.loopback6 and p2p6", related=("fabric.pools",))
    sessions6 = {s["cluster"] for s in facts.sessions if s["kind"] == "metallb" and s["family"] == 6}
    for cname, cluster in sorted(model.clusters.items()):
        mlb = cluster["metallb"]
        if not mlb or cluster["platform"] != "ove" or cname in sessions6:
            continue
        for pool in mlb["pools"]:
            if pool["ipv6"]:
                yield Finding("DS004", f"clusters[{cname}].metallb.pools[{pool['name']}].ipv6",
                              f"IPv6 pool {pool['ipv6']} but no IPv6 BGP session to announce it",
                              "give the MetalLB peer network an IPv6 prefix (and the fabric IPv6 pools)",
                              related=(f"clusters[{cname}].metallb.peer_network",))


@check("DS005", "error", "One address family on a dual-stack cluster", "dualstack")
def single_family_networks(model, facts, design):
    """On a cluster whose management network is dual-stack, every network with addresses has both families,
    unless it is marked `single_stack: true`; a network so marked has one family only.

    A segment left without the other family is not closed to it: hosts still run IPv6 link-local and
    SLAAC, so one rogue router advertisement gives every host on an IPv4-only VLAN an IPv6 path that no
    gateway, filter or firewall of the design sees (and an IPv6-only segment leaks the same way with
    DHCPv4). Half-dual-stack also breaks services that resolve AAAA and A records alike.

    Add the missing `ipv4`/`ipv6` prefix, or set `single_stack: true` on the network to say the single
    family is intended (storage and live-migration VLANs often are).
    """
    flagged = set()
    for cname, cluster in sorted(model.clusters.items()):
        underlay = context.cluster_underlay_network(model, cluster)
        if not underlay or not _dual(model.networks[underlay]):
            continue
        for name in cluster["networks"]:
            net = model.networks[name]
            if name in flagged or not (net["ipv4"] or net["ipv6"]) or _dual(net) or net["single_stack"]:
                continue
            flagged.add(name)
            have = "ipv4" if net["ipv4"] else "ipv6"
            yield Finding("DS005", f"networks[{name}]",
                          f"{have} only, on cluster {cname} whose management network {underlay} is dual-stack",
                          f"add {'ipv6' if have == 'ipv4' else 'ipv4'} or set single_stack: true",
                          related=(f"clusters[{cname}].networks",))
    for name, net in sorted(model.networks.items()):
        if net["single_stack"] and _dual(net):
            yield Finding("DS005", f"networks[{name}].single_stack", "marked single_stack but has ipv4 and ipv6",
                          "remove single_stack or one of the prefixes")
