"""Verification commands of switch hops: the dispatch to the module a platform row names, and their shared helpers.

A platform row's ``verify_cli`` names a module under path/ (``cli_eos``,
``cli_nxos``, ``cli_linux``) that defines, for the hop kinds a switch takes
part in, a function ``kind(ctx) -> [{command, expect[, pattern]}]``:
``leaf_ingress``, ``gateway``, ``route``, ``vxlan_encap``, ``vxlan_decap``,
``transit``, ``leaf_egress``, and for tenant VRFs and the border ``l3vni_encap``,
``l3vni_decap``, ``handover``.  The sources each module's commands were
checked against are in its docstring and in docs/path.md.
"""

from __future__ import annotations

import importlib

from .. import platforms

# hop kind -> function name in a platform module
KINDS = {"leaf-ingress": "leaf_ingress", "gateway": "gateway", "vrf": "route", "drop": "route", "leak": "route",
         "vxlan-encap": "vxlan_encap", "vxlan-decap": "vxlan_decap", "spine": "transit", "uplink": "transit",
         "leaf-egress": "leaf_egress", "l3vni-encap": "l3vni_encap", "l3vni-decap": "l3vni_decap",
         "handover": "handover"}


def module(platform):
    """The commands module a switch platform's row names, or None for a platform without a row (a host)."""
    row = platforms.PLATFORMS.get(platform)
    return importlib.import_module(f"{__package__}.{row.verify_cli}") if row else None


def commands(kind, platform, ctx):
    """[{command, expect[, pattern]}] of a switch hop; None when ``kind`` is not a switch hop kind."""
    name = KINDS.get(kind)
    if name is None:
        return None
    mod = module(platform)
    build = getattr(mod, name, None) if mod else None
    return build(ctx) if build else []


def entry(command, expect, pattern=None) -> dict:
    out = {"command": command, "expect": expect}
    if pattern:
        out["pattern"] = pattern
    return out


def abbreviate(name, table) -> str:
    """A port name as a platform's tables print it: ``table`` is ((long prefix, short prefix), ...)."""
    for long, abbr in table:
        if name and name.startswith(long):
            return abbr + name[len(long):]
    return name


def neighbor(table, address, expect):
    """The ARP / ND entry of ``address`` in ``table`` (the whole table when the model does not know the address)."""
    if address:
        return entry(f"{table} | include {address}", f"{address} with {expect}")
    return entry(table, f"the entry with {expect}")


def route_expect(ctx, connected):
    """What a route lookup shows: ``connected`` (the platform's wording) for a connected prefix, no entry for a
    prefix the fabric has no route to, else the explainer's own words."""
    if ctx.get("connected"):
        return connected
    if ctx.get("no_route"):
        return f"no entry for {ctx['prefix']}: no route and no default route"
    return ctx["expect"]


def mac_text(ctx, key, whose, notation=None):
    """'the source MAC 0050.56aa.0001' when the model knows it (inventory VMs), else 'the source MAC'."""
    mac = ctx.get(key)
    if not mac:
        return f"the {whose} MAC"
    return f"the {whose} MAC {notation(mac) if notation else mac}"


def hash_flow(ctx):
    """(src, dst, sport, dport) of the header an equal-cost hash reads, when all of it is known; else None."""
    flow = ctx.get("hash_flow") or {}
    src, dst, proto = flow.get("src_ip"), flow.get("dst_ip"), flow.get("proto")
    if not (src and dst) or ":" in str(src):
        return None
    if proto in (6, 17):
        if flow.get("src_port") is None or flow.get("dst_port") is None:
            return None
        return src, dst, flow["src_port"], flow["dst_port"]
    return src, dst, None, None


def bgp_learned(ctx):
    """What a BGP lookup of a route learned from an external peer shows, or None for another route."""
    if not ctx.get("peer_ip"):
        return None
    return f"{ctx['route']}: best path from {ctx['peer_ip']}, AS path {ctx['peer_asn']}"
