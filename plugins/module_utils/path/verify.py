"""How to check a hop on the device itself: commands per platform and what their output should show.

Commands follow the vendors' references (Arista EOS and Cisco NX-OS show
commands, FRR vtysh and iproute2 on a Linux NOS, OpenShift/OVN-Kubernetes and
Open vSwitch tools on OVE nodes, Hyper-V / Network ATC cmdlets on Azure Local);
docs/path.md lists the references.  ``<...>`` marks a value the model does not
know (a VM's MAC, a pod name).  ``pattern`` (a regular expression), where
given, is what the FRR lab matches in the real output.
"""

from __future__ import annotations

OC_DEBUG = "oc debug node/{node} -- chroot /host "


def _c(command, expect, pattern=None):
    entry = {"command": command, "expect": expect}
    if pattern:
        entry["pattern"] = pattern
    return entry


def _mac(ctx, key, whose):
    """'the source MAC 00:50:56:..' when the model knows it (inventory VMs), else 'the source MAC'."""
    return f"the {whose} MAC {ctx[key]}" if ctx.get(key) else f"the {whose} MAC"


def _ipcmd(fam):
    return "ip" if fam == 4 else "ipv6"


def _on_node(platform, node, command):
    return OC_DEBUG.format(node=node) + command if platform == "ove" else command


# ---------------------------------------------------------------------------------------------- hosts
def vm_nic(platform, ctx):
    vm, addr, net, vlan = ctx.get("vm") or "<vm>", ctx.get("src") or "<address>", ctx["network"], ctx["vlan"]
    if platform == "ove":
        return [_c(f"oc get vmi {vm} -n <namespace> -o jsonpath='{{.status.interfaces}}'",
                   f"an interface on NetworkAttachmentDefinition {ctx.get('nad') or net} with ipAddress {addr}")]
    if platform == "azure_local":
        return [_c(f"Get-VMNetworkAdapter -VMName {vm} | Format-List Name, SwitchName, MacAddress, IPAddresses, Status",
                   f"SwitchName {ctx.get('switch') or 'ConvergedSwitch(<intent>)'}, IPAddresses contains {addr}, Status Ok"),
                _c(f"Get-VMNetworkAdapterVlan -VMName {vm}", f"OperationMode Access, AccessVlanId {vlan}")]
    return [_c(f"ip -{ctx['fam']} addr show", f"{addr} on the VM's interface")]


def host_interface(platform, ctx):
    node, iface, dst, fam = ctx["node"], ctx["interface"], ctx.get("dst") or "<destination>", ctx["fam"]
    if platform == "azure_local":
        return [_c("Get-VMNetworkAdapter -ManagementOS | Format-List Name, SwitchName, IPAddresses",
                   f"the host vNIC of network {ctx['network']} on {ctx.get('switch') or 'the intent switch'}"),
                _c(f"Test-NetConnection -ComputerName {dst} -TraceRoute",
                   "PingSucceeded True; TraceRoute starts at the gateway when the destination is routed"),
                _c(f"Test-NetConnection -ComputerName {dst} -Port {ctx['dport']}" if ctx.get("dport") else
                   f"Test-NetConnection -ComputerName {dst}",
                   "TcpTestSucceeded True" if ctx.get("dport") else "PingSucceeded True")]
    return [_c(_on_node(platform, node, f"ip -d link show {iface}"),
               f"vlan protocol 802.1Q id {ctx['vlan']}, mtu {ctx['mtu']}" if "." in iface else f"mtu {ctx['mtu']}"),
            _c(_on_node(platform, node, f"ip -{fam} route get {dst}"),
               f"dev {iface}" + (f" via {ctx['gateway']}" if ctx.get("gateway") else " (on-link, no gateway)"))]


def ovn_localnet(platform, ctx):
    node, bridge, net, vlan = ctx["node"], ctx["bridge"], ctx["network"], ctx["vlan"]
    return [_c(_on_node(platform, node, "ovs-vsctl get Open_vSwitch . external_ids:ovn-bridge-mappings"),
               f"contains {net}:{bridge}"),
            _c(_on_node(platform, node, "ovs-ofctl dump-flows br-int"),
               f"a flow with mod_vlan_vid:{vlan} toward the patch port to {bridge} (OVN tags the localnet frames)"),
            _c("ovn-trace --ct new '<logical switch of the NAD>' 'inport == \"<VM port>\" && "
               f"eth.src == {ctx.get('mac') or '<VM MAC>'} && "
               f"ip{ctx['fam']}.src == {ctx.get('src') or '<VM address>'} && ip{ctx['fam']}.dst == "
               f"{ctx.get('dst') or '<destination>'}'",
               "the logical pipeline (port security, ACLs, MultiNetworkPolicy) ends in output to the localnet port")]


def host_bridge(platform, ctx):
    node, bridge, bond, vlan = ctx["node"], ctx["bridge"], ctx["bond"], ctx["vlan"]
    if ctx.get("cni") == "bridge":
        return [_c(_on_node(platform, node, f"bridge vlan show dev {bond}"), f"VLAN {vlan} on {bond}"),
                _c(_on_node(platform, node, f"bridge fdb show br {bridge}"), f"{_mac(ctx, 'mac', 'VM')} learned on the VM's port")]
    return [_c(_on_node(platform, node, f"ovs-vsctl list-ports {bridge}"), f"{bond} (and OVN's patch port)"),
            _c(_on_node(platform, node, f"ovs-appctl fdb/show {bridge}"),
               f"VLAN {vlan} entries: {_mac(ctx, 'mac', 'VM')} on the patch port, remote MACs on {bond}"),
            _c(_on_node(platform, node, f"ovs-ofctl dump-flows {bridge}"), "NORMAL: the bridge switches by MAC/VLAN")]


def vswitch(platform, ctx):
    switch, intent = ctx.get("switch") or "ConvergedSwitch(<intent>)", ctx.get("intent") or "<intent>"
    return [_c(f"Get-NetIntentStatus -Name {intent}", "ConfigurationStatus Success, ProvisioningStatus Completed on every node"),
            _c(f"Get-VMSwitchTeam -Name \"{switch}\" | Format-List NetAdapterInterfaceDescription, LoadBalancingAlgorithm",
               f"members {', '.join(ctx.get('members') or [])}; LoadBalancingAlgorithm {ctx.get('algorithm') or 'HyperVPort'}"),
            _c(f"Get-NetAdapterAdvancedProperty -Name {ctx.get('members', ['<adapter>'])[0]} -RegistryKeyword '*JumboPacket'",
               f"RegistryValue {ctx.get('jumbo') or 1514}")]


def bond(platform, ctx):
    node, name = ctx["node"], ctx["bond"]
    out = [_c(_on_node(platform, node, f"cat /proc/net/bonding/{name}"),
              f"Bonding Mode {ctx['mode_text']}; Transmit Hash Policy {ctx['policy']}; every member MII Status up"
              + (" with the same Aggregator ID" if ctx.get("lacp") else "")),
           _c(_on_node(platform, node, f"ip -s link show {ctx['member']}"),
              f"TX packets of {ctx['member']} rise with the flow (the member the hash picks)")]
    if platform == "ove":
        out.append(_c(_on_node(platform, node, "ovs-appctl bond/show"),
                      f"no entry for {name}: it is a kernel bond (NMState) attached to the OVS bridge as a plain "
                      "port; its state is the /proc/net/bonding file above"))
    return out


def geneve(platform, ctx):
    node, remote = ctx["node"], ctx.get("remote") or "<remote node address>"
    return [_c("ovnkube-trace -src-namespace <ns> -src <pod> -dst-namespace <ns> -dst <pod> -tcp -dst-port "
               f"{ctx.get('dport') or '<port>'}",
               "ovn-trace and ofproto/trace both end in output to the Geneve tunnel of the destination node"),
            _c(_on_node(platform, node, "ovs-vsctl show"), f"a geneve interface on br-int with remote_ip=\"{remote}\"")]


# ---------------------------------------------------------------------------------------------- switches
def leaf_ingress(platform, ctx):
    device, vlan, pc, mid = ctx["device"], ctx["vlan"], ctx.get("port_channel"), ctx.get("mlag_id")
    if platform == "eos":
        out = [_c(f"show port-channel {ctx['channel_id']} detailed", f"{pc} active members {', '.join(ctx['members'])}")
               if pc else _c(f"show interfaces {ctx['port']} status", f"connected, trunk, VLAN {vlan} allowed")]
        if mid:
            out.append(_c(f"show mlag interfaces {mid}", "state active-full (both leaves have a member up)"))
        out.append(_c(f"show mac address-table vlan {vlan}", f"{_mac(ctx, 'src_mac', 'source')} on {pc or ctx['port']}"))
        return out
    if platform == "nxos":
        out = [_c("show port-channel summary", f"{pc}(SU) with members {', '.join(ctx['members'])}(P)")
               if pc else _c(f"show interface {ctx['port']} switchport", f"trunking VLANs allowed include {vlan}")]
        if mid:
            out.append(_c("show vpc brief", f"vPC {mid} on {pc}: status up, consistency success"))
        out.append(_c(f"show mac address-table vlan {vlan}", f"{_mac(ctx, 'src_mac', 'source')} on {pc or ctx['port']}"))
        return out
    out = [_c(f"cat /proc/net/bonding/{pc}", "every member MII Status up, 802.3ad partner = the host")
           if pc else _c(f"bridge vlan show dev {ctx['port']}", f"VLAN {vlan}")]
    if mid:
        out.append(_c("clagctl", f"{pc} dual-connected (CLAG id {mid})"))
    out.append(_c(f"bridge fdb show vlan {vlan}", f"{_mac(ctx, 'src_mac', 'source')} on {pc or ctx['port']}"))
    return out


def gateway(platform, ctx):
    vlan, iface, fam, gw, src = ctx["vlan"], ctx["interface"], ctx["fam"], ctx["gateway"], ctx.get("src")
    if platform == "eos":
        return [_c(f"show {_ipcmd(fam)} virtual-router", f"{iface} virtual address {gw} active"),
                _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbors'} {src or '<source>'}",
                   f"{_mac(ctx, 'src_mac', 'source')} on {iface}")]
    if platform == "nxos":
        return [_c(f"show running-config interface {iface}", f"fabric forwarding mode anycast-gateway, {gw}"),
                _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbor'} {src or '<source>'}", f"{_mac(ctx, 'src_mac', 'source')} on {iface}")]
    return [_c(f"ip -{fam} addr show {iface}-v0", f"{gw} on the VRR (address-virtual) interface of {iface}"),
            _c(f"ip -{fam} neigh show {src or '<source>'}", f"REACHABLE on {iface}")]


def route(platform, ctx):
    """A routing decision on a switch: the route to the destination and its next hops."""
    fam, prefix, vrf = ctx["fam"], ctx["prefix"], ctx.get("vrf") or "default"
    how = ctx["expect"]
    if platform == "eos":
        return [_c(f"show {_ipcmd(fam)} route {prefix}" if vrf == "default" else
                   f"show {_ipcmd(fam)} route vrf {vrf} {prefix}", how)]
    if platform == "nxos":
        return [_c(f"show {_ipcmd(fam)} route {prefix}" + ("" if vrf == "default" else f" vrf {vrf}"), how)]
    out = [_c(f"vtysh -c 'show {_ipcmd(fam)} route {prefix}'", how, ctx.get("pattern"))]
    if ctx.get("src") and ctx.get("dst"):
        out.append(_c(f"ip -{fam} route get {ctx['dst']} from {ctx['src']} iif {ctx.get('iif') or '<ingress>'} "
                      f"ipproto {ctx.get('proto_name', 'tcp')} sport {ctx.get('sport', 0)} dport {ctx.get('dport', 0)}",
                      "the one next hop the kernel's multipath hash picks for this 5-tuple"))
    return out


def vxlan_encap(platform, ctx):
    vlan, vni, remote = ctx["vlan"], ctx["vni"], ctx.get("remote_vtep") or "<remote VTEP>"
    if platform == "eos":
        return [_c("show vxlan vtep", f"remote VTEP {remote}"),
                _c(f"show vxlan address-table vlan {vlan}", f"{_mac(ctx, 'dst_mac', 'destination')} behind VTEP {remote}"),
                _c(f"show bgp evpn route-type mac-ip {ctx.get('dst') or '<destination>'}",
                   f"a MAC/IP route with next hop {remote}, VNI {vni}")]
    if platform == "nxos":
        return [_c("show nve peers", f"peer {remote} state Up"),
                _c(f"show nve vni {vni}", "state Up, mode CP, type L2"),
                _c("show l2route evpn mac all", f"{_mac(ctx, 'dst_mac', 'destination')} in topology {vlan} with next hop {remote}")]
    return [_c(f"vtysh -c 'show evpn vni {vni}'", f"remote VTEP {remote} listed"),
            _c(f"vtysh -c 'show evpn mac vni {vni}'", f"{_mac(ctx, 'dst_mac', 'destination')} type remote, VTEP {remote}"),
            _c(f"bridge fdb show dev vni{vni}", f"{_mac(ctx, 'dst_mac', 'destination')} with dst {remote}")]


def vxlan_decap(platform, ctx):
    vlan, vni = ctx["vlan"], ctx["vni"]
    if platform == "eos":
        return [_c("show interfaces Vxlan1", f"VLAN {vlan} to VNI {vni} mapping, source interface Loopback1")]
    if platform == "nxos":
        return [_c(f"show nve vni {vni}", f"state Up, BD {vlan}")]
    return [_c(f"ip -d link show vni{vni}", f"vxlan id {vni}, master bridge, bridge-access {vlan}")]


def transit(platform, ctx):
    """A spine: routed transit between two leaves, by the route to the destination (or its VTEP)."""
    return route(platform, ctx) + [_c(f"show interfaces {ctx['out']}" if platform in ("eos", "nxos") else
                                      f"ip -s link show {ctx['out']}",
                                      f"MTU {ctx['mtu']}; output counters rise with the flow")]


def leaf_egress(platform, ctx):
    vlan, out = ctx["vlan"], ctx["out"]
    dst = ctx.get("dst") or "<destination>"
    fam = ctx["fam"]
    if platform == "eos":
        return [_c(f"show mac address-table vlan {vlan}", f"{_mac(ctx, 'dst_mac', 'destination')} on {out}"),
                _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbors'} {dst}", f"on Vlan{vlan}, port {out}")
                if ctx.get("routed") else _c(f"show interfaces {out} counters", "output counters rise with the flow")]
    if platform == "nxos":
        return [_c(f"show mac address-table vlan {vlan}", f"{_mac(ctx, 'dst_mac', 'destination')} on {out}"),
                _c(f"show {'ip arp' if fam == 4 else 'ipv6 neighbor'} {dst}", f"on Vlan{vlan}, port {out}")
                if ctx.get("routed") else _c(f"show interface {out} counters", "output counters rise with the flow")]
    return [_c(f"bridge fdb show vlan {vlan}", f"{_mac(ctx, 'dst_mac', 'destination')} on {out}"),
            _c(f"ip -{fam} neigh show {dst}", f"on vlan{vlan}") if ctx.get("routed")
            else _c(f"ip -s link show {out}", "TX counters rise with the flow")]


def vip(platform, ctx):
    return [_c(f"oc get svc -A -o wide | grep {ctx['vip']}", "the LoadBalancer Service whose EXTERNAL-IP is the VIP"),
            _c("oc get bgpadvertisements,ipaddresspools -n metallb-system", f"pool {ctx['pool']} advertised")]


def drop(platform, ctx):
    return route(platform, ctx)


BY_KIND = {
    "vm-nic": vm_nic, "host-interface": host_interface, "ovn-localnet": ovn_localnet, "host-bridge": host_bridge,
    "vswitch": vswitch, "bond": bond, "geneve": geneve, "leaf-ingress": leaf_ingress, "gateway": gateway,
    "vrf": route, "vxlan-encap": vxlan_encap, "spine": transit, "vxlan-decap": vxlan_decap,
    "leaf-egress": leaf_egress, "drop": drop, "vip": vip, "uplink": transit,
}


def commands(kind, platform, ctx) -> list:
    """[{command, expect[, pattern]}] that check a hop of ``kind`` on ``platform``."""
    build = BY_KIND.get(kind)
    return build(platform, ctx) if build else []
