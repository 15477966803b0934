"""How to check a switch hop on a platform whose row names this module (``verify_cli``): Cisco NX-OS show commands.

Each function takes the hop's context and returns [{command, expect[, pattern]}]; path/verify.py dispatches.
"""

from __future__ import annotations

from .verify import _c, _ipcmd  # noqa: F401  pylint: disable=unused-import


def leaf_ingress(ctx):
    device, vlan, pc, mid = ctx["device"], ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id")
    out = [_c("show port-channel summary", f"{pc}(SU) with members {', '.join(ctx['members'])}(P)")
           if pc else _c(f"show interface {ctx['port']} switchport", f"trunking VLANs allowed include {vlan}")]
    if mid:
        out.append(_c("show vpc brief", f"vPC {mid} on {pc}: status up, consistency success"))
    out.append(_c(f"show mac address-table vlan {vlan}", f"the source MAC on {pc or ctx['port']}"))
    return out


def gateway(ctx):
    vlan, iface, fam, gw, src = ctx["vlan"], ctx["interface"], ctx["fam"], ctx["gateway"], ctx.get("src")
    return [_c(f"show running-config interface {iface}", f"fabric forwarding mode anycast-gateway, {gw}"),
            _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbor'} {src or '<source>'}", f"the source's MAC on {iface}")]


def route(ctx):
    """A routing decision on a switch: the route to the destination and its next hops."""
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    how = ctx["expect"]
    return [_c(f"show {_ipcmd(fam)} route {prefix}" + ("" if vrf == "default" else f" vrf {vrf}"), how)]


def vxlan_encap(ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [_c("show nve peers", f"peer {remote} state Up"),
            _c(f"show nve vni {vni}", "state Up, mode CP, type L2"),
            _c("show l2route evpn mac all", f"the destination MAC in topology {vlan} with next hop {remote}")]


def vxlan_decap(ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    return [_c(f"show nve vni {vni}", f"state Up, BD {vlan}")]


def leaf_egress(ctx):
    vlan, out = ctx["vlan"], ctx["out"]
    dst = ctx.get("dst") or "<destination>"
    fam = ctx["fam"]
    return [_c(f"show mac address-table vlan {vlan}", f"the destination MAC on {out}"),
            _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbor'} {dst}", f"on Vlan{vlan}, port {out}")
            if ctx.get("routed") else _c(f"show interface {out} counters", "output counters rise with the flow")]


def interface_counters(ctx):
    return _c(f"show interfaces {ctx['out']}", f"MTU {ctx['mtu']}; output counters rise with the flow")
