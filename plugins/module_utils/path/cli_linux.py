"""FRR on a Linux NOS (ifupdown2), the module platform rows name by default: how to check a switch hop.

``vtysh`` show commands of FRR and iproute2 (``ip route get`` names the one
next hop the kernel's multipath hash picks for a 5-tuple); the FRR lab
(tests/lab/path_lab.py) runs the commands that carry a ``pattern`` on real
FRR and matches their output.
"""

from __future__ import annotations

from .cli_common import bgp_learned, entry, mac_text


def leaf_ingress(ctx):
    vlan, pc, mid, port = ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id"), ctx["port"]
    out = [entry(f"cat /proc/net/bonding/{pc}", "every member MII Status up, 802.3ad partner = the host")
           if pc else entry(f"bridge vlan show dev {port}", f"VLAN {vlan}")]
    if mid:
        out.append(entry("clagctl", f"{pc} dual-connected (CLAG id {mid})"))
    out.append(entry(f"bridge fdb show vlan {vlan}", f"{mac_text(ctx, 'src_mac', 'source')} on {pc or port}"))
    return out


def gateway(ctx):
    fam, iface, gw, src = ctx["fam"], ctx["interface"], ctx["gateway"], ctx.get("src") or "<source>"
    return [entry(f"ip -{fam} addr show {iface}-v0", f"{gw} on the VRR (address-virtual) interface of {iface}"),
            entry(f"ip -{fam} neigh show {src}", f"REACHABLE on {iface}")]


def _in_vrf(ctx):
    """' vrf <name>' for a tenant VRF, '' for the default VRF (how vtysh and iproute2 name it)."""
    vrf = ctx.get("vrf") or "default"
    return "" if vrf == "default" else f" vrf {vrf}"


def _afi(fam):
    return "ipv4" if fam == 4 else "ipv6"


def route(ctx):
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], _in_vrf(ctx)
    out = [entry(f"vtysh -c 'show {'ip' if fam == 4 else 'ipv6'} route{vrf} {prefix}'", ctx["expect"], ctx.get("pattern"))]
    if ctx.get("src") and ctx.get("dst"):
        out.append(entry(f"ip -{fam} route get {ctx['dst']} from {ctx['src']} iif {ctx.get('iif') or '<ingress>'}{vrf} "
                         f"ipproto {ctx.get('proto_name', 'tcp')} sport {ctx.get('sport', 0)} dport {ctx.get('dport', 0)}",
                         "the one next hop the kernel's multipath hash picks for this 5-tuple"))
    learned = bgp_learned(ctx)
    if learned:
        out.append(entry(f"vtysh -c 'show bgp{vrf} {_afi(fam)} unicast {ctx['route']}'", learned))
    return out


def l3vni_encap(ctx):
    vni, vrf, remote, prefix = ctx["vni"], ctx["vrf"], ctx.get("remote_vtep") or "<remote VTEP>", ctx["prefix"]
    host = bool(ctx.get("l2vni"))
    return [entry(f"vtysh -c 'show evpn vni {vni}'", f"Type: L3, Tenant VRF: {vrf}, State: Up"),
            entry(f"vtysh -c 'show evpn rmac vni {vni}'", f"the router MAC of VTEP {remote}"),
            entry(f"vtysh -c 'show bgp l2vpn evpn route type {'macip' if host else 'prefix'}'",
                  f"a type-{2 if host else 5} route for {prefix.split('/')[0] if host else prefix} with next hop {remote}"
                  f" and route target {ctx.get('route_target')}")]


def l3vni_decap(ctx):
    vni, vrf, vlan = ctx["vni"], ctx["vrf"], ctx["vlan"]
    return [entry(f"vtysh -c 'show evpn vni {vni}'", f"Type: L3, Tenant VRF: {vrf}, State: Up"),
            entry(f"ip -d link show vni{vni}", f"vxlan id {vni}, master bridge, bridge-access {vlan}"),
            entry(f"ip -d link show {ctx['vlan_interface']}", f"master {vrf} (the L3 VNI's VLAN interface is in the VRF)")]


def handover(ctx):
    fam, iface, vrf, peer = ctx["fam"], ctx["interface"], ctx["vrf"], ctx["peer_ip"]
    out = [entry(f"ip -d link show {iface}", f"mtu {ctx['mtu']}, vlan protocol 802.1Q id {ctx['vlan']}, master {vrf}"
                 if ctx.get("attach") == "subinterface" else f"mtu {ctx['mtu']}, master {vrf}"),
           entry(f"vtysh -c 'show bgp vrf {vrf} neighbors {peer}'", "BGP state = Established", r"BGP state = Established")]
    if ctx.get("tcp_mss"):
        mss = ctx["tcp_mss"] if fam == 4 else ctx["tcp_mss"] - 20
        out.append(entry(f"{'iptables' if fam == 4 else 'ip6tables'} -t mangle -S FORWARD",
                         f"-o {iface} and -i {iface} rules with -j TCPMSS --set-mss {mss}"))
    return out


def vxlan_encap(ctx):
    vni, remote = ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    return [entry(f"vtysh -c 'show evpn vni {vni}'", f"remote VTEP {remote} listed"),
            entry(f"vtysh -c 'show evpn mac vni {vni}'",
                  f"{mac_text(ctx, 'dst_mac', 'destination')} type remote, VTEP {remote}"),
            entry(f"bridge fdb show dev vni{vni}", f"{mac_text(ctx, 'dst_mac', 'destination')} with dst {remote}")]


def vxlan_decap(ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    return [entry(f"ip -d link show vni{vni}", f"vxlan id {vni}, master bridge, bridge-access {vlan}")]


def transit(ctx):
    return route(ctx) + [entry(f"ip -s link show {ctx['out']}", f"MTU {ctx['mtu']}; output counters rise with the flow")]


def leaf_egress(ctx):
    vlan, out, fam = ctx["vlan"], ctx["out"], ctx["fam"]
    dst = ctx.get("dst") or "<destination>"
    return [entry(f"bridge fdb show vlan {vlan}", f"{mac_text(ctx, 'dst_mac', 'destination')} on {out}"),
            entry(f"ip -{fam} neigh show {dst}", f"on vlan{vlan}") if ctx.get("routed")
            else entry(f"ip -s link show {out}", "TX counters rise with the flow")]
