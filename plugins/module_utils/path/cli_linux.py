"""How to check a switch hop on a platform whose row names this module (``verify_cli``): FRR (vtysh) and iproute2 on a Linux NOS.

Each function takes the hop's context and returns [{command, expect[, pattern]}]; path/verify.py dispatches.
"""

from __future__ import annotations

from .verify import _c, _ipcmd  # noqa: F401  pylint: disable=unused-import


def leaf_ingress(ctx):
    device, vlan, pc, mid = ctx["device"], ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id")
    out = [_c(f"cat /proc/net/bonding/{pc}", "every member MII Status up, 802.3ad partner = the host")
           if pc else _c(f"bridge vlan show dev {ctx['port']}", f"VLAN {vlan}")]
    if mid:
        out.append(_c("clagctl", f"{pc} dual-connected (CLAG id {mid})"))
    out.append(_c(f"bridge fdb show vlan {vlan}", f"the source MAC on {pc or ctx['port']}"))
    return out


def gateway(ctx):
    vlan, iface, fam, gw, src = ctx["vlan"], ctx["interface"], ctx["fam"], ctx["gateway"], ctx.get("src")
    return [_c(f"ip -{fam} addr show {iface}-v0", f"{gw} on the VRR (address-virtual) interface of {iface}"),
            _c(f"ip -{fam} neigh show {src or '<source>'}", f"REACHABLE on {iface}")]


def route(ctx):
    """A routing decision on a switch: the route to the destination and its next hops."""
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    how = ctx["expect"]
    out = [_c(f"vtysh -c 'show {_ipcmd(fam)} route {prefix}'", how, ctx.get("pattern"))]
    if ctx.get("src") and ctx.get("dst"):
        out.append(_c(f"ip -{fam} route get {ctx['dst']} from {ctx['src']} iif {ctx.get('iif') or '<ingress>'} "
                      f"ipproto {ctx.get('proto_name', 'tcp')} sport {ctx.get('sport', 0)} dport {ctx.get('dport', 0)}",
                      "the one next hop the kernel's multipath hash picks for this 5-tuple"))
    return out


def vxlan_encap(ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [_c(f"vtysh -c 'show evpn vni {vni}'", f"remote VTEP {remote} listed"),
            _c(f"vtysh -c 'show evpn mac vni {vni}'", f"the destination MAC type remote, VTEP {remote}"),
            _c(f"bridge fdb show dev vni{vni}", f"the destination MAC with dst {remote}")]


def vxlan_decap(ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    return [_c(f"ip -d link show vni{vni}", f"vxlan id {vni}, master bridge, bridge-access {vlan}")]


def leaf_egress(ctx):
    vlan, out = ctx["vlan"], ctx["out"]
    dst = ctx.get("dst") or "<destination>"
    fam = ctx["fam"]
    return [_c(f"bridge fdb show vlan {vlan}", f"the destination MAC on {out}"),
            _c(f"ip -{fam} neigh show {dst}", f"on vlan{vlan}") if ctx.get("routed")
            else _c(f"ip -s link show {out}", "TX counters rise with the flow")]


def interface_counters(ctx):
    return _c(f"ip -s link show {ctx['out']}", f"MTU {ctx['mtu']}; output counters rise with the flow")
