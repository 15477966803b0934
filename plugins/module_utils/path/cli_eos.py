"""How to check a switch hop on a platform whose row names this module (``verify_cli``): Arista EOS show commands.

Each function takes the hop's context and returns [{command, expect[, pattern]}]; path/verify.py dispatches.
"""

from __future__ import annotations

from .verify import _c, _ipcmd  # noqa: F401  pylint: disable=unused-import


def leaf_ingress(ctx):
    device, vlan, pc, mid = ctx["device"], ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id")
    out = [_c(f"show port-channel {ctx['channel_id']} detailed", f"{pc} active members {', '.join(ctx['members'])}")
           if pc else _c(f"show interfaces {ctx['port']} status", f"connected, trunk, VLAN {vlan} allowed")]
    if mid:
        out.append(_c(f"show mlag interfaces {mid}", "state active-full (both leaves have a member up)"))
    out.append(_c(f"show mac address-table vlan {vlan}", f"the source MAC on {pc or ctx['port']}"))
    return out


def gateway(ctx):
    vlan, iface, fam, gw, src = ctx["vlan"], ctx["interface"], ctx["fam"], ctx["gateway"], ctx.get("src")
    return [_c(f"show {_ipcmd(fam)} virtual-router", f"{iface} virtual address {gw} active"),
            _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbors'} {src or '<source>'}",
               f"the source's MAC on {iface}")]


def route(ctx):
    """A routing decision on a switch: the route to the destination and its next hops."""
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    how = ctx["expect"]
    return [_c(f"show {_ipcmd(fam)} route {prefix}" if vrf == "default" else
               f"show {_ipcmd(fam)} route vrf {vrf} {prefix}", how)]


def vxlan_encap(ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [_c("show vxlan vtep", f"remote VTEP {remote}"),
            _c(f"show vxlan address-table vlan {vlan}", f"the destination MAC behind VTEP {remote}"),
            _c(f"show bgp evpn route-type mac-ip {ctx.get('dst') or '<destination>'}",
               f"a MAC/IP route with next hop {remote}, VNI {vni}")]


def vxlan_decap(ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    return [_c("show interfaces Vxlan1", f"VLAN {vlan} to VNI {vni} mapping, source interface Loopback1")]


def leaf_egress(ctx):
    vlan, out = ctx["vlan"], ctx["out"]
    dst = ctx.get("dst") or "<destination>"
    fam = ctx["fam"]
    return [_c(f"show mac address-table vlan {vlan}", f"the destination MAC on {out}"),
            _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbors'} {dst}", f"on Vlan{vlan}, port {out}")
            if ctx.get("routed") else _c(f"show interfaces {out} counters", "output counters rise with the flow")]


def interface_counters(ctx):
    return _c(f"show interfaces {ctx['out']}", f"MTU {ctx['mtu']}; output counters rise with the flow")
