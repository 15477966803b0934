"""Arista EOS: how to check a switch hop, and what the output shows.

Checked against the command strings of Arista's own test framework ANTA
(aristanetworks/anta: ``show port-channel``, ``show ip virtual-router``,
``show vxlan vtep``, ``show bgp evpn route-type mac-ip <address> vni <vni>``,
``show ip route vrf <vrf> <prefix>``, ``show interfaces status``) and real
EOS output in public lab write-ups (``show port-channel N detailed``,
``show mlag interfaces N``, ``show vxlan address-table vlan V``,
``show interfaces Vxlan1``); see docs/path.md.  EOS prints MACs as
``0050.56aa.0001`` and abbreviates ports in tables (``Po1``, ``Et1``,
``Vx1``, ``Vl100``).  EOS has no platform-independent command that names
the ECMP member of a flow: the equal-cost set is shown by ``show ip route``.
"""

from __future__ import annotations

from ..render.nxos import dotted_mac
from .cli_common import abbreviate, bgp_learned, entry, mac_text, neighbor, route_expect

SHORT = (("Port-Channel", "Po"), ("Ethernet", "Et"), ("Vxlan", "Vx"), ("Vlan", "Vl"))


def short(name) -> str:
    """Port-Channel1 -> Po1, Ethernet1 -> Et1: how EOS tables name ports."""
    return abbreviate(name, SHORT)


def _ip(fam):
    return "ip" if fam == 4 else "ipv6"


def _neighbors(fam):
    return "show ip arp" if fam == 4 else "show ipv6 neighbors"


def leaf_ingress(ctx):
    vlan, pc, mid, port = ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id"), ctx["port"]
    if pc:
        out = [entry(f"show port-channel {ctx['channel_id']} detailed",
                     f"Port Channel {pc}: Active Ports lists {', '.join(ctx['members'])}"
                     + (" (and the MLAG peer's member as PeerEthernet...)" if mid else "") + ", protocol LACP")]
    else:
        out = [entry(f"show interfaces {port} status", f"{short(port)} connected, Vlan column trunk (VLAN {vlan} allowed)")]
    if mid:
        out.append(entry(f"show mlag interfaces {mid}",
                         f"mlag {mid}: state active-full, local {short(pc)} and remote {short(pc)}, status up/up"))
    out.append(entry(f"show mac address-table vlan {vlan}",
                     f"{mac_text(ctx, 'src_mac', 'source', dotted_mac)} on {short(pc or port)}"))
    return out


def gateway(ctx):
    fam, iface, gw = ctx["fam"], ctx["interface"], ctx["gateway"]
    mac = ctx.get("anycast_mac")
    return [entry(f"show {_ip(fam)} virtual-router",
                  f"{short(iface)} virtual IP {gw}, state active"
                  + (f"; virtual MAC {dotted_mac(mac)}" if mac else "")),
            neighbor(_neighbors(fam), ctx.get("src"), f"{mac_text(ctx, 'src_mac', 'source', dotted_mac)} on {iface}")]


def route(ctx):
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    cmd = f"show {_ip(fam)} route {prefix}" if vrf == "default" else f"show {_ip(fam)} route vrf {vrf} {prefix}"
    out = [entry(cmd, route_expect(ctx, f"C {prefix} is directly connected, {ctx.get('connected')}"))]
    learned = bgp_learned(ctx)
    if learned:
        out.append(entry(f"show {_ip(fam)} bgp vrf {vrf}", learned))
    return out


def l3vni_encap(ctx):
    vni, vrf, remote, prefix = ctx["vni"], ctx["vrf"], ctx.get("remote_vtep") or "<remote VTEP>", ctx["prefix"]
    if ctx.get("l2vni"):      # a host route: the MAC-IP route of the host, carrying the L3 VNI beside its L2 VNI
        lookup = entry(f"show bgp evpn route-type mac-ip {prefix.split('/')[0]} vni {ctx['l2vni']}",
                       f"a MAC-IP route with next hop {remote}, route target {ctx.get('route_target')} of VRF {vrf}")
    else:
        lookup = entry(f"show bgp evpn route-type ip-prefix {prefix}",
                       f"an ip-prefix route for {prefix} with next hop {remote}, route target {ctx.get('route_target')}")
    return [entry("show interfaces Vxlan1", f"Static VRF to VNI mapping is [{vrf}, {vni}]"),
            entry("show vxlan vtep", f"Remote VTEPS for Vxlan1 lists {remote}"), lookup]


def l3vni_decap(ctx):
    return [entry("show interfaces Vxlan1", f"Static VRF to VNI mapping is [{ctx['vrf']}, {ctx['vni']}]")]


def handover(ctx):
    iface, vrf, peer = ctx["interface"], ctx["vrf"], ctx["peer_ip"]
    config = [f"vrf {vrf}"] + ([f"encapsulation dot1q vlan {ctx['vlan']}"] if ctx.get("attach") == "subinterface" else [])
    if ctx.get("tcp_mss"):
        config.append(f"tcp mss ceiling ipv4 {ctx['tcp_mss']} ipv6 {ctx['tcp_mss'] - 20}")
    return [entry(f"show interfaces {iface}", f"line protocol is up; IP MTU {ctx['mtu']} bytes"),
            entry(f"show running-config interfaces {iface}", "; ".join(config)),
            entry(f"show bgp neighbors {peer} vrf {vrf}", "BGP state is Established")]


def vxlan_encap(ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    dst = ctx.get("dst") or "<destination>"
    return [entry("show vxlan vtep", f"Remote VTEPS for Vxlan1 lists {remote}"),
            entry(f"show vxlan address-table vlan {vlan}",
                  f"{mac_text(ctx, 'dst_mac', 'destination', dotted_mac)} on Vx1, VTEP {remote}"),
            entry(f"show bgp evpn route-type mac-ip {dst} vni {vni}",
                  f"a MAC-IP route for {dst} with next hop {remote}, VNI {vni}")]


def vxlan_decap(ctx):
    vlan, vni, source = ctx["vlan"], ctx["vni"], ctx.get("vtep_source") or "Loopback1"
    return [entry("show interfaces Vxlan1",
                  f"Source interface is {source}; Static VLAN to VNI mapping includes [{vlan}, {vni}]")]


def transit(ctx):
    return route(ctx) + [entry(f"show interfaces {ctx['out']}", f"MTU {ctx['mtu']} bytes; output counters rise with the flow")]


def leaf_egress(ctx):
    vlan, out, fam = ctx["vlan"], ctx["out"], ctx["fam"]
    mac = mac_text(ctx, "dst_mac", "destination", dotted_mac)
    second = (neighbor(_neighbors(fam), ctx.get("dst"), f"{mac} on Vlan{vlan}, {short(out)}")
              if ctx.get("routed") else entry(f"show interfaces {out} counters", "output counters rise with the flow"))
    return [entry(f"show mac address-table vlan {vlan}", f"{mac} on {short(out)}"), second]
