"""Switch platforms as data: one row per platform, every fact that differs between them.

The model (its ``platform`` choices), the loader (port names, port counts),
the site facts (interface names, MTU), the design (loopbacks, MLAG kind, SVI
addressing), the checks (VLAN limits and reserved ranges, unnumbered support)
and the renderers (``render/switches.py`` looks up the row's ``renderer``)
read this table; nothing else in the engine tests a platform's name.  A new
platform is one ``register(Platform(...))`` plus a renderer module and its
templates (``tests/unit/switches/test_scratch_platform.py`` does exactly
that).

The module imports nothing of the engine, so every stage may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VLAN_IDS = 4094  # 802.1Q: 1..4094 usable on every platform
DEFAULT = "eos"  # fabric.platform when the model names none


@dataclass(frozen=True)
class Platform:
    """One switch platform.  Interface-name fields are ``str.format`` patterns of ``n``."""

    name: str
    title: str                      # for docs and messages: "Arista EOS"
    ethernet: str                   # front-panel port n: "Ethernet{n}"
    ethernet_re: str                # a front-panel port name -> its number (group 1)
    port_channel: str               # "Port-Channel{n}"
    loopback: str                   # "Loopback{n}"
    vlan_interface: str             # SVI of VLAN n: "Vlan{n}"
    management_interface: str       # out-of-band management port: "Management1"
    port_count: int                 # front-panel ports of the default leaf model (overridable per switch)
    max_mtu: int                    # largest interface MTU the platform accepts
    mlag_name: str                  # what the platform calls MLAG: mlag | vpc | clag
    renderer: object                # module name under render/ with device(config) -> {suffix: text}, or that function
    reserved_vlans: tuple = ()      # ((first, last), ...) the switch keeps for itself
    loopback_zero: str | None = None  # the name of loopback 0 when it is not loopback.format(n=0)
    # a unique `ip address` beside the anycast gateway on an SVI (EOS `ip address virtual`, FRR VRR);
    # False: the SVI address is the shared gateway itself (NX-OS `fabric forwarding mode anycast-gateway`)
    anycast_svi_unique_ip: bool = True
    bgp_unnumbered: bool = False    # BGP over interface neighbors (IPv6 link-local, RFC 5549) is rendered
    vtep_interface: str = "vxlan"   # the VXLAN tunnel interface as the switch shows it
    ecmp_hash: str = "the switch's ECMP hash"  # what its equal-cost multipath hash reads (path explainer)
    mlag_peer_vlan: int = 4094      # default MLAG/vPC peer VLAN (control and routed peering) when the model names none
    management_vrf: str = "MGMT"    # VRF of the management port when the model names none
    management_vrf_fixed: bool = False  # the management port's VRF cannot be chosen (NX-OS mgmt0: "management")
    # the prefix limit the switch applies to a BGP neighbor that sets none (EOS: 12000, then it shuts
    # the session); None: unlimited by default
    bgp_default_maximum_routes: int | None = None
    verify_cli: str = "cli_linux"   # module under path/ with the show commands that check a hop on it
    # drift: the ciscoconfparse2 syntax of its `show running-config` ("ios" for EOS's indented layout, "nxos"),
    # or None when its running config holds routing only (FRR: layer 2 is read from Open vSwitch); and the MTU of
    # a switched port that has no `mtu` line
    running_config: str | None = None
    default_port_mtu: int = 1500
    # deploy: where the BGP session password goes -- the regular expression of the rendered line that
    # declares peer group {name}, and the password line inserted after it ({value} is the secret)
    bgp_password: tuple = ()
    # deploy gate: the show command of one BGP session ({peer}, {family}) and the text it prints when the
    # session is up; () where the gate reads the state another way (FRR: the fabric_state module)
    bgp_session_show: tuple = ()
    # the IPv6 router-advertisement settings its gateway SVIs are rendered with (the rest keep the switch's
    # defaults; only commands confirmed in the vendor's references are rendered, docs/dns_dhcp.md)
    ra_settings: tuple = ("managed", "other", "autonomous", "interval", "router_lifetime")
    # the switch clamps the TCP MSS of transit SYNs on an interface (handover toward a smaller MTU); where it
    # cannot, the handover names the clamp as the peer's task
    tcp_mss_clamp: bool = False
    # its DHCP relay sends to a server in another VRF than the client's gateway (EOS `ip helper-address A vrf V`,
    # NX-OS `ip dhcp relay address A use-vrf V`); isc-dhcp-relay (FRR) runs one instance inside one VRF
    dhcp_relay_across_vrfs: bool = False
    # day-2 plans (plan/): the hier_config platform that computes a step's commands and rollback (its 2.x os
    # name, its 3.x Platform member), () where frr-reload.py does; and the gate after a step: "anta" (the
    # device's ANTA catalogue), "show" (bgp_session_show and show commands), "fabric_state" (the FRR state module)
    hier_config: tuple = ()
    plan_gate: str = "fabric_state"
    # post-deploy checks (design/verification.py): check id -> the show command that reads it on the switch, and
    # the module under render/ that writes the vendor's own test catalogue from them (EOS: "anta"), or None
    check_commands: dict = field(default_factory=dict, compare=False)
    test_catalogue: str | None = None
    notes: dict = field(default_factory=dict, compare=False)  # where each fact comes from (vendor docs)

    @property
    def max_vlans(self) -> int:
        """VLANs the platform can create: every 802.1Q id but its reserved ones."""
        return VLAN_IDS - sum(last - first + 1 for first, last in self.reserved_vlans)

    def port_number(self, port: str):
        """Number of a front-panel interface name, or None if the name is not one of this platform's."""
        match = _compiled(self.ethernet_re).match(port)
        return int(match.group(1)) if match else None

    def ethernet_name(self, n: int) -> str:
        return self.ethernet.format(n=n)

    def port_channel_name(self, n: int) -> str:
        return self.port_channel.format(n=n)

    def loopback_name(self, n: int) -> str:
        if n == 0 and self.loopback_zero:
            return self.loopback_zero
        return self.loopback.format(n=n)

    def vlan_interface_name(self, vid: int) -> str:
        return self.vlan_interface.format(n=vid)

    def reserves(self, vid: int) -> bool:
        return any(first <= vid <= last for first, last in self.reserved_vlans)


_RES: dict = {}


def _compiled(pattern):
    if pattern not in _RES:
        _RES[pattern] = re.compile(pattern)
    return _RES[pattern]


PLATFORMS: dict = {}


def register(platform: Platform) -> Platform:
    """Add a platform (a row of the table); its name becomes a valid ``platform`` of the model."""
    if platform.name in PLATFORMS:
        raise ValueError(f"platform {platform.name} registered twice")
    PLATFORMS[platform.name] = platform
    return platform


def unregister(name: str) -> None:
    """Remove a platform again (tests that register a scratch platform)."""
    PLATFORMS.pop(name, None)


def names() -> tuple:
    """The platform names the model accepts, in table order."""
    return tuple(PLATFORMS)


def get(name: str) -> Platform:
    return PLATFORMS[name]


register(Platform(
    name="frr", title="FRR on Linux (ifupdown2)",
    ethernet="swp{n}", ethernet_re=r"^swp(\d+)$", port_channel="bond{n}",
    loopback="lo{n}", loopback_zero="lo", vlan_interface="vlan{n}", management_interface="eth0",
    port_count=56, max_mtu=9216, mlag_name="clag", renderer="frr",
    # bgpd: "neighbor NAME password LINE" in the router bgp node
    bgp_password=(r"^ neighbor {name} peer-group$", " neighbor {name} password {value}"),
    anycast_svi_unique_ip=True, bgp_unnumbered=True, vtep_interface="vxlan", management_vrf="mgmt", tcp_mss_clamp=True,
    check_commands={
        "bgp-sessions": "vtysh -c 'show bgp vrf all neighbors json'", "bfd-peers": "vtysh -c 'show bfd peers json'",
        "mlag": "clagctl status", "mlag-reload-delay": "clagctl params",
        "interfaces-fabric": "ip -j link show", "interfaces-hosts": "ip -j link show",
        "vxlan-vnis": "ip -j -d link show type vxlan", "vxlan-vteps": "bridge -j fdb show",
        "gateway-mac": "ip -j -d link show type macvlan"},
    ecmp_hash="the Linux kernel multipath hash (fib_multipath_hash_policy: 0 = source and destination "
              "address, the default; 1 = the 5-tuple)",
    notes={"port_count": "SN2410 / AS7326-56X class: 48 x 25G + 8 x 100G",
           "management_interface": "eth0 (the out-of-band port of switch Linux distributions)",
           "tcp_mss_clamp": "iptables TCPMSS (--set-mss) on the handover interface, in the interfaces file"}))
register(Platform(
    name="eos", title="Arista EOS",
    ethernet="Ethernet{n}", ethernet_re=r"^Ethernet(\d+)(?:/1)?$", port_channel="Port-Channel{n}",
    loopback="Loopback{n}", vlan_interface="Vlan{n}", management_interface="Management1",
    port_count=56, max_mtu=9214, mlag_name="mlag", renderer="eos", running_config="ios", default_port_mtu=9214,
    # router bgp: "neighbor NAME password 0 KEY" (0 = given in clear; EOS stores it encrypted)
    bgp_password=(r"^   neighbor {name} peer group$", "   neighbor {name} password 0 {value}"),
    bgp_session_show=("show ip bgp neighbors {peer}", "BGP state is Established"),
    anycast_svi_unique_ip=True, bgp_unnumbered=False, vtep_interface="Vxlan1", verify_cli="cli_eos",
    management_vrf="MGMT", bgp_default_maximum_routes=12000, tcp_mss_clamp=True, hier_config=("eos", "ARISTA_EOS"), plan_gate="anta",
    dhcp_relay_across_vrfs=True,
    check_commands={
        "bgp-sessions": "show bgp neighbors vrf all", "bfd-peers": "show bfd peers detail",
        "mlag": "show mlag", "mlag-reload-delay": "show mlag detail",
        "interfaces-fabric": "show interfaces description", "interfaces-hosts": "show interfaces description",
        "vxlan-vnis": "show vxlan vni", "vxlan-vteps": "show vxlan vtep", "gateway-mac": "show ip virtual-router"},
    test_catalogue="anta",
    ecmp_hash="the switch's load-balance profile over the 5-tuple, seeded per switch",
    ra_settings=("managed", "other", "autonomous", "interval"),
    notes={"port_count": "7050SX3-48YC8 / 7280SR3-48YC8: 48 x 25G + 8 x 100G",
           "ra_settings": "no router lifetime: its EOS command is not confirmed in Arista's references",
           "max_mtu": "EOS interface mtu range 68-9214",
           "bgp_default_maximum_routes": "EOS neighbor maximum-routes default 12000 (the session is shut past it)",
           "tcp_mss_clamp": "interface tcp mss ceiling ipv4 N ipv6 M",
           "management_interface": "Management1 (Management0 on modular chassis with a supervisor pair)"}))
register(Platform(
    name="nxos", title="Cisco NX-OS",
    ethernet="Ethernet1/{n}", ethernet_re=r"^Ethernet1/(\d+)$", port_channel="port-channel{n}",
    loopback="loopback{n}", vlan_interface="Vlan{n}", management_interface="mgmt0",
    port_count=60, max_mtu=9216, mlag_name="vpc", renderer="nxos", running_config="nxos",
    # "password 0 KEY" inside "template peer NAME" (0 = clear text)
    bgp_password=(r"^  template peer {name}$", "    password 0 {value}"),
    bgp_session_show=("show bgp ipv{family} unicast neighbors {peer}", "BGP state = Established"),
    reserved_vlans=((3968, 4094),),
    anycast_svi_unique_ip=False, bgp_unnumbered=False, vtep_interface="nve1", verify_cli="cli_nxos",
    management_vrf="management", management_vrf_fixed=True, mlag_peer_vlan=3967,
    hier_config=("nxos", "CISCO_NXOS"), plan_gate="show", dhcp_relay_across_vrfs=True,
    check_commands={
        "bgp-sessions": "show bgp vrf all all summary", "bfd-peers": "show bfd neighbors details",
        "mlag": "show vpc", "mlag-reload-delay": "show running-config vpc",
        "interfaces-fabric": "show interface status", "interfaces-hosts": "show interface status",
        "vxlan-vnis": "show nve vni", "vxlan-vteps": "show nve peers",
        "gateway-mac": "show running-config | include anycast-gateway-mac"},
    ecmp_hash="ip load-sharing over source/destination address and ports, seeded per switch",
    ra_settings=("managed", "other", "interval", "router_lifetime"),
    notes={"port_count": "Nexus 93240YC-FX2: 48 x 25G + 12 x 100G",
           "ra_settings": "no prefix flags (autonomous): `ipv6 nd prefix` options are not confirmed for NX-OS",
           "reserved_vlans": "internal VLANs 3968-4095 by default (system vlan <n> reserve moves them)",
           "max_mtu": "NX-OS interface mtu range 576-9216",
           "mlag_peer_vlan": "below the reserved range; mgmt0 sits in the fixed VRF management",
           "tcp_mss_clamp": "Nexus 9000 sets the MSS of the switch's own TCP sessions only (ip tcp mss), no transit clamp"}))
