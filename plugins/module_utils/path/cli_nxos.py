"""Cisco NX-OS: how to check a switch hop, and what the output shows.

Checked against the command strings and recorded device output of Cisco's
own parser library (CiscoTestAutomation/genieparser, nxos parsers and their
golden outputs: ``show port-channel summary``, ``show vpc``,
``show interface <if> switchport``, ``show mac address-table vlan <v>``,
``show ip arp``, ``show ipv6 neighbor``, ``show hsrp all``,
``show running-config interface <if>``, ``show ip route <prefix> vrf <vrf>``,
``show nve peers``, ``show nve vni <vni>``, ``show l2route evpn mac all``,
``show interface <if> counters``) and, for the ECMP hash, the Nexus 9000
Unicast Routing Configuration Guide's chapter "Managing the Unicast RIB and
FIB" (``show routing hash <src> <dst> [<sport> <dport>] [vrf <vrf>]``;
IPv4, the load-share parameters of software forwarding); see docs/path.md.
NX-OS prints MACs as ``0050.56aa.0001`` and abbreviates ports in tables
(``Po1``, ``Eth1/1``).
"""

from __future__ import annotations

from ..render.nxos import dotted_mac
from .cli_common import abbreviate, bgp_learned, entry, hash_flow, mac_text, neighbor, route_expect

SHORT = (("port-channel", "Po"), ("Ethernet", "Eth"))


def short(name) -> str:
    """port-channel15 -> Po15, Ethernet1/15 -> Eth1/15: how NX-OS tables name ports."""
    return abbreviate(name, SHORT)


def _neighbors(fam):
    return "show ip arp" if fam == 4 else "show ipv6 neighbor"


def leaf_ingress(ctx):
    vlan, pc, mid, port = ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id"), ctx["port"]
    if pc:
        members = " ".join(f"{short(m)}(P)" for m in ctx["members"])
        out = [entry("show port-channel summary", f"group {ctx['channel_id']}: {short(pc)}(SU), Eth, LACP, {members}")]
    else:
        out = [entry(f"show interface {port} switchport", f"Operational Mode: trunk; Trunking VLANs Allowed include {vlan}")]
    if mid:
        out.append(entry("show vpc", f"vPC status: id {mid}, port {short(pc)}, status up, consistency success"))
    out.append(entry(f"show mac address-table vlan {vlan}",
                     f"{mac_text(ctx, 'src_mac', 'source', dotted_mac)} on {short(pc or port)}"))
    return out


def gateway(ctx):
    fam, iface, gw, vlan = ctx["fam"], ctx["interface"], ctx["gateway"], ctx["vlan"]
    src = ctx.get("src") or "<source>"
    mac = ctx.get("anycast_mac")
    if ctx.get("vni"):       # a stretched network: distributed anycast gateway, the gateway is the SVI address
        first = entry(f"show running-config interface {iface}",
                      f"{'ip' if fam == 4 else 'ipv6'} address {gw}/{ctx.get('prefixlen') or '<len>'} and "
                      "fabric forwarding mode anycast-gateway")
    else:                    # one leaf pair: HSRP, group = VLAN id, the fabric's gateway MAC
        first = entry("show hsrp all", f"{iface} - Group {vlan} ({'IPv4' if fam == 4 else 'IPv6'}): Local state "
                      f"Active or Standby, Virtual IP address is {gw}"
                      + (f", Virtual mac address is {dotted_mac(mac)}" if mac else ""))
    return [first, neighbor(_neighbors(fam), ctx.get("src"), f"{mac_text(ctx, 'src_mac', 'source', dotted_mac)} on {iface}")]


def _afi(fam):
    return "ipv4" if fam == 4 else "ipv6"


def route(ctx):
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    cmd = f"show {'ip' if fam == 4 else 'ipv6'} route {prefix}" + ("" if vrf == "default" else f" vrf {vrf}")
    expect = route_expect(ctx, f"{prefix}: attached, via {ctx.get('connected')}, direct")
    if ctx.get("vni") and not ctx.get("connected"):
        expect += f" (the next hop is the remote VTEP: segid {ctx['vni']}, encap: VXLAN)"
    out = [entry(cmd, expect)]
    learned = bgp_learned(ctx)
    if learned:
        out.append(entry(f"show bgp vrf {vrf} {_afi(fam)} unicast {ctx['route']}",
                         f"Path type: external, is best path; AS-Path: {ctx['peer_asn']}; {ctx['peer_ip']} from "
                         f"{ctx['peer_ip']}"))
    return out


def l3vni_encap(ctx):
    vni, vrf, remote = ctx["vni"], ctx["vrf"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [entry(f"show nve vni {vni}", f"nve1 {vni}: State Up, Mode CP, Type L3 [{vrf}]"),
            entry("show nve peers", f"nve1 peer {remote} state Up, with its router MAC"),
            entry(f"show {'ip' if ctx['fam'] == 4 else 'ipv6'} route {ctx['prefix']} vrf {vrf}",
                  f"via {remote}%default, segid: {vni}, encap: VXLAN")]


def l3vni_decap(ctx):
    vni, vrf, vlan = ctx["vni"], ctx["vrf"], ctx["vlan"]
    return [entry(f"show nve vni {vni}", f"nve1 {vni}: State Up, Mode CP, Type L3 [{vrf}]"),
            entry(f"show running-config interface Vlan{vlan}", f"vrf member {vrf}; ip forward")]


def handover(ctx):
    fam, iface, vrf, peer = ctx["fam"], ctx["interface"], ctx["vrf"], ctx["peer_ip"]
    shown = f"MTU {ctx['mtu']} bytes" + (f"; Encapsulation 802.1Q Virtual LAN, Vlan ID {ctx['vlan']}"
                                         if ctx.get("attach") == "subinterface" else "")
    out = [entry(f"show interface {iface}", shown),
           entry(f"show bgp vrf {vrf} {_afi(fam)} unicast neighbors {peer}", "BGP state = Established")]
    if ctx.get("tcp_mss"):
        out.append(entry(f"show running-config interface {iface}",
                         f"the comment: TCP MSS {ctx['tcp_mss']} clamped by the peer (NX-OS does not clamp transit SYNs)"))
    return out


def vxlan_encap(ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [entry("show nve peers", f"nve1 peer {remote} state Up"),
            entry(f"show nve vni {vni}", f"nve1 {vni}: State Up, Mode CP, Type L2 [{vlan}]"),
            entry("show l2route evpn mac all",
                  f"topology {vlan}: {mac_text(ctx, 'dst_mac', 'destination', dotted_mac)}, Prod BGP, "
                  f"Next-Hops {remote}")]


def vxlan_decap(ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    return [entry(f"show nve vni {vni}", f"nve1 {vni}: State Up, Mode CP, Type L2 [{vlan}]")]


def transit(ctx):
    counters = entry(f"show interface {ctx['out']}", f"MTU {ctx['mtu']} bytes; output counters rise with the flow")
    out = route(ctx) + [counters]
    flow = hash_flow(ctx)
    if flow and ctx["fam"] == 4:
        src, dst, sport, dport = flow
        vrf = ctx.get("vrf") or "default"
        out.append(entry(f"show routing hash {src} {dst}" + (f" {sport} {dport}" if sport is not None else "")
                         + ("" if vrf == "default" else f" vrf {vrf}"),
                         f"'Hashing to path' names the next hop this switch picks for the flow, one of "
                         f"{', '.join(ctx.get('candidates') or []) or 'the equal-cost next hops'}"))
    return out


def leaf_egress(ctx):
    vlan, out, fam = ctx["vlan"], ctx["out"], ctx["fam"]
    mac = mac_text(ctx, "dst_mac", "destination", dotted_mac)
    second = (neighbor(_neighbors(fam), ctx.get("dst"), f"{mac} on Vlan{vlan}")
              if ctx.get("routed") else entry(f"show interface {out} counters", "output counters rise with the flow"))
    return [entry(f"show mac address-table vlan {vlan}", f"{mac} on {short(out)}"), second]
