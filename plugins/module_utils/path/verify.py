"""How to check a hop on the device itself: commands per platform and what their output should show.

Host hops are here (OpenShift/OVN-Kubernetes and Open vSwitch tools on OVE
nodes, Hyper-V / Network ATC cmdlets on Azure Local, iproute2 on Linux);
switch hops are in the module a switch platform's row names (``verify_cli``:
``cli_eos.py``, ``cli_nxos.py``, ``cli_linux.py``; dispatch in ``cli_common.py``).  docs/path.md lists the references.  ``<...>`` marks a value the
model does not know (a pod name).  ``pattern`` (a regular expression), where
given, is what the FRR lab matches in the real output.
"""

from __future__ import annotations

from . import cli_common
from .cli_common import entry as _c
from .cli_common import mac_text

OC_DEBUG = "oc debug node/{node} -- chroot /host "


def _on_node(platform, node, command):
    return OC_DEBUG.format(node=node) + command if platform == "ove" else command


# ---------------------------------------------------------------------------------------------- hosts
def vm_nic(platform, ctx):
    vm, addr, net, vlan = ctx.get("vm") or "<vm>", ctx.get("src") or "<address>", ctx["network"], ctx["vlan"]
    if platform == "ove":
        return [_c(f"oc get vmi {vm} -n <namespace> -o jsonpath='{{.status.interfaces}}'",
                   f"an interface on NetworkAttachmentDefinition {ctx.get('nad') or net} with ipAddress {addr}"
                   + (f" and mac {ctx['mac']}" if ctx.get("mac") else ""))]
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
    route = _c(_on_node(platform, node, f"ip -{fam} route get {dst}"),
               f"dev {iface}" + (f" via {ctx['gateway']}" if ctx.get("gateway") else " (on-link, no gateway)"))
    port = ctx.get("port")
    if port:      # OVE machine network: the address on br-ex, the bond or its VLAN interface a port of it
        return [_c(_on_node(platform, node, f"ovs-vsctl port-to-br {port}"), iface),
                _c(_on_node(platform, node, f"ip -d link show {port}"),
                   (f"vlan protocol 802.1Q id {ctx['vlan']}, " if "." in port else "")
                   + f"master ovs-system (a port of {iface}), mtu {ctx['mtu']}"),
                route]
    return [_c(_on_node(platform, node, f"ip -d link show {iface}"),
               f"vlan protocol 802.1Q id {ctx['vlan']}, mtu {ctx['mtu']}" if "." in iface else f"mtu {ctx['mtu']}"),
            route]


def ovn_localnet(platform, ctx):
    node, bridge, net, vlan = ctx["node"], ctx["bridge"], ctx["network"], ctx["vlan"]
    return [_c(_on_node(platform, node, "ovs-vsctl get Open_vSwitch . external_ids:ovn-bridge-mappings"),
               f"contains {ctx.get('localnet') or net}:{bridge}"),
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
                _c(_on_node(platform, node, f"bridge fdb show br {bridge}"), f"{mac_text(ctx, 'mac', 'VM')} learned on the VM's port")]
    return [_c(_on_node(platform, node, f"ovs-vsctl list-ports {bridge}"), f"{bond} (and OVN's patch port)"),
            _c(_on_node(platform, node, f"ovs-appctl fdb/show {bridge}"),
               f"VLAN {vlan} entries: {mac_text(ctx, 'mac', 'VM')} on the patch port, remote MACs on {bond}"),
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


def vip(platform, ctx):
    return [_c(f"oc get svc -A -o wide | grep {ctx['vip']}", "the LoadBalancer Service whose EXTERNAL-IP is the VIP"),
            _c("oc get bgpadvertisements,ipaddresspools -n metallb-system", f"pool {ctx['pool']} advertised")]


def external(_platform, ctx):
    """An external peer is not a platform of the model: what its operator checks, in the peer's own words."""
    return [_c(f"<{ctx['peer']}'s route lookup for {ctx.get('dst') or '<destination>'}>",
               f"a route covering it ({ctx['route']}) toward "
               + (f"its session in VRF {ctx['back_vrf']} (the fabric's border leaf)" if ctx.get("back_vrf")
                  else "its own next hop outside the site"))]


BY_KIND = {
    "vm-nic": vm_nic, "host-interface": host_interface, "ovn-localnet": ovn_localnet, "host-bridge": host_bridge,
    "vswitch": vswitch, "bond": bond, "geneve": geneve, "vip": vip, "external": external,
}


def commands(kind, platform, ctx) -> list:
    """[{command, expect[, pattern]}] that check a hop of ``kind`` on ``platform``."""
    switch = cli_common.commands(kind, platform, ctx)
    if switch is not None:
        return switch
    build = BY_KIND.get(kind)
    return build(platform, ctx) if build else []
