"""Foundation rules: addresses, subnets and ASNs across the whole site."""

from __future__ import annotations

from ..addressing import overlaps
from ..asn import is_private_asn
from ..findings import Finding
from .registry import check, declare

GATEWAY_OUTSIDE = declare(
    "NET001", "error", "Gateway outside its network", "addressing",
    "The gateway must be inside the network's prefix of its family.")
NO_PREFIX = declare(
    "NET002", "error", "Host network without prefix", "addressing",
    "A non-VM network carries host addresses and needs an IPv4 or IPv6 prefix.")
POOL_EXHAUSTED = declare(
    "POOL001", "error", "Pool exhausted", "addressing",
    "An allocation fell outside its pool: the pool is too small for the ids in use.", stage="allocate")
ADDRESS_OUTSIDE = declare(
    "ADDR003", "error", "Explicit address outside its network", "addressing",
    "A hard-set address must lie inside the network's prefix.", stage="allocate")
METALLB_NO_PEER_NETWORK = declare(
    "MLB001", "error", "MetalLB without peer network", "metallb",
    "MetalLB speakers peer from an address on a network; none was found.", stage="allocate")
METALLB_NO_FABRIC_GATEWAY = declare(
    "MLB002", "error", "MetalLB peer network without fabric gateway", "metallb",
    "Leaves peer with MetalLB from their SVI on the peer network, so that network needs gateway_on: fabric.",
    stage="allocate")


@check("ADDR001", "error", "Duplicate address", "addressing")
def duplicate_addresses(model, facts, design):
    """Every address the design hands out (loopbacks, links, SVIs, nodes, hard-set ones included) is unique."""
    owners = {}
    for name, sw in facts.switches.items():
        for key in ("loopback4", "loopback6"):
            if sw.get(key):
                owners.setdefault(sw[key], []).append(f"{sw['path']} ({name} {key})")
    for link in facts.links:
        for side in ("spine", "leaf"):
            for fam in ("4", "6"):
                ip = link.get(f"{side}_ip{fam}")
                if ip:
                    owners.setdefault(ip, []).append(f"{model.leaves[link['leaf']]['path']} ({link[side]} {link[f'{side}_port']})")
    for leaf, svis in facts.svis.items():
        for net, svi in svis.items():
            for fam in ("4", "6"):
                if svi.get(f"ipv{fam}"):
                    owners.setdefault(svi[f"ipv{fam}"].split("/")[0], []).append(f"networks[{net}] ({leaf} SVI)")
            for fam in ("4", "6"):
                gw = svi.get(f"gateway{fam}")
                if gw and leaf == facts.network_leaves[net][0]:
                    owners.setdefault(gw, []).append(f"networks[{net}] (gateway)")
    for (cluster, node, net), addrs in facts.addresses.items():
        for fam in ("4", "6"):
            if addrs.get(f"ipv{fam}"):
                owners.setdefault(addrs[f"ipv{fam}"].split("/")[0], []).append(
                    f"clusters[{cluster}].nodes[{node}].addresses[{net}]")
    # sort the few duplicated addresses, not every address of the site
    for ip, paths in sorted(item for item in owners.items() if len(item[1]) > 1):
        yield Finding("ADDR001", paths[1], f"address {ip} is also given to {paths[0]}",
                      "change the explicit address, the node id or the cluster's address_offset",
                      related=tuple(paths[:1] + paths[2:]))


@check("ADDR002", "error", "Overlapping subnets", "addressing")
def overlapping_subnets(model, facts, design):
    """Network prefixes, fabric pools and MetalLB pools must not overlap each other."""
    where = {}
    for net in model.networks.values():
        for fam in ("4", "6"):
            if net[f"ipv{fam}"]:
                where.setdefault(net[f"ipv{fam}"], []).append(f"networks[{net['name']}].ipv{fam}")
    for key, prefix in model.fabric["pools"].items():
        if isinstance(prefix, str):
            where.setdefault(prefix, []).append(f"fabric.pools.{key}")
    for cluster in model.clusters.values():
        if cluster["metallb"]:
            for pool in cluster["metallb"]["pools"]:
                for fam in ("4", "6"):
                    if pool[f"ipv{fam}"]:
                        where.setdefault(pool[f"ipv{fam}"], []).append(
                            f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].ipv{fam}")
    for prefix, paths in sorted(where.items()):
        for other in paths[1:]:
            yield Finding("ADDR002", other, f"{prefix} is also used by {paths[0]}", "give each network its own prefix",
                          related=(paths[0],))
    for a, b in overlaps(sorted(where)):
        if a == b:
            continue
        yield Finding("ADDR002", where[b][0], f"{b} overlaps {a} ({where[a][0]})", "make the prefixes disjoint",
                      related=(where[a][0],))


@check("ASN001", "error", "Public ASN where private is required", "bgp")
def private_asns(model, facts, design):
    """With fabric.asn.private_required, every ASN of the design is private (RFC 6996)."""
    if not model.fabric["asn"]["private_required"]:
        return
    for name, sw in sorted(facts.switches.items()):
        if not is_private_asn(sw["asn"]):
            yield Finding("ASN001", sw["path"], f"{name} ASN {sw['asn']} is not private (64512-65534, 4200000000-4294967294)",
                          "use a private ASN or set fabric.asn.private_required: false")
    for cluster in model.clusters.values():
        if cluster["metallb"] and not is_private_asn(cluster["metallb"]["asn"]):
            yield Finding("ASN001", f"clusters[{cluster['name']}].metallb.asn",
                          f"MetalLB ASN {cluster['metallb']['asn']} is not private", "use a private ASN")


@check("ASN002", "error", "ASN shared by unrelated devices", "bgp")
def duplicate_asns(model, facts, design):
    """Each leaf pair has its own ASN, distinct from the spines' and from MetalLB's (eBGP loop prevention)."""
    owners = {}
    for name, sw in sorted(facts.switches.items()):
        key = "spines" if sw["role"] == "spine" else f"rack{sw['rack']}"
        owners.setdefault(sw["asn"], {})[key] = sw["path"]
    for cluster in model.clusters.values():
        if cluster["metallb"]:
            owners.setdefault(cluster["metallb"]["asn"], {})[cluster["name"]] = f"clusters[{cluster['name']}].metallb.asn"
    for asn, groups in sorted(owners.items()):
        if len(groups) > 1:
            paths = sorted(groups.values())
            yield Finding("ASN002", paths[1], f"ASN {asn} is used by {', '.join(sorted(groups))}",
                          "give every leaf pair, the spines and each MetalLB its own ASN", related=(paths[0],))


@check("MLB003", "error", "MetalLB and leaves disagree on the BGP password", "metallb")
def metallb_password_both_sides(model, facts, design):
    """A MetalLB password Secret and the leaves' session password come as a pair.

    MetalLB sends TCP-MD5 when its BGPPeer references a password Secret; a leaf
    without a password (or with one MetalLB does not send) drops every segment,
    and the session never leaves Active.  Set both ``fabric.bgp.password_var``
    (the leaves) and ``metallb.password_secret`` (the speakers), or neither.
    """
    fabric_pw = bool(model.fabric["bgp"]["password_var"])
    for cluster in model.clusters.values():
        mlb = cluster["metallb"]
        if not mlb or cluster["platform"] != "ove":
            continue
        path = f"clusters[{cluster['name']}].metallb.password_secret"
        if bool(mlb["password_secret"]) != fabric_pw:
            if fabric_pw:
                message = "the leaves use a BGP password (fabric.bgp.password_var) but MetalLB has no password_secret"
            else:
                message = (f"MetalLB sends the password of Secret '{mlb['password_secret']}' but the leaves have none "
                           "(fabric.bgp.password_var is empty)")
            yield Finding("MLB003", path, message, "set both fabric.bgp.password_var and metallb.password_secret, or neither",
                          related=("fabric.bgp.password_var",))
