"""Our NX-OS configs against the command grammar of Cisco's NX-OS references, recorded per command family.

No NX-OS generator or parser runs here, so the independent side is each command family's syntax as the
vendor documents it, written down below as patterns with the source they were read from (Cisco Nexus 9000
NX-OS command references and configuration guides; Microsoft's Azure Local QoS reference for the DCB
family; the cisco.nxos resource-module parsers' fixtures for BGP, interfaces, vPC and VLANs). Every line
of a spine, a vPC leaf (examples/dc1 leaf09a: management plane, EVPN, vPC peering, RDMA storage) and the
small site's vPC leaf must match a pattern of the family its block belongs to: a line no family knows
fails, as does a line in the wrong block. Limits: the patterns hold the syntax, not the semantics, and
they are our transcription of the references (docs/platforms/nxos.md lists what is and is not verified).
"""

from __future__ import annotations

import re

import pytest

from . import models

IP4 = r"\d+\.\d+\.\d+\.\d+"
IP = r"[0-9a-fA-F:.]+"
PFX = IP + r"/\d+"
NAME = r"[A-Za-z0-9_.:-]+"
VL = r"[0-9,-]+"

# family -> (source, {parent pattern or None for top level: [child patterns]})
FAMILIES = {
    "features and globals": ("Nexus 9000 Fundamentals / System Management command references", {None: [
        r"hostname \S+", r"nv overlay evpn", r"feature (bgp|bfd|lacp|interface-vlan|hsrp|dhcp|vpc|nv overlay|"
        r"vn-segment-vlan-based|fabric forwarding|nxapi|tacacs\+|grpc|lldp)", r"system jumbomtu \d+",
        r"fabric forwarding anycast-gateway-mac [0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}", r"end"]}),
    "management plane": ("Nexus 9000 Fundamentals (mgmt0, VRF management), System Management (NTP, syslog, SNMP), "
                         "Security (AAA, TACACS+, users), Programmability (NX-API, gRPC) configuration guides", {
                             None: [r"vrf context management", r"interface mgmt0", rf"ip domain-name {NAME}",
                                    rf"ip name-server( {IP}){{1,3}} use-vrf management", rf"ntp server {IP} use-vrf management",
                                    r"ntp source-interface mgmt0", rf"logging server {IP} [0-7] use-vrf management",
                                    r"logging source-interface mgmt0", rf"username {NAME} password 5 \{{\{{ \w+ \}}\}} role network-(admin|operator)",
                                    rf"username {NAME} sshkey \{{\{{ \w+ \}}\}}", rf"tacacs-server host {IP} key 7 \{{\{{ \w+ \}}\}}",
                                    rf"aaa group server tacacs\+ {NAME}", rf"aaa authentication login default group {NAME}",
                                    rf"aaa authorization commands default group {NAME} local", rf"aaa accounting default group {NAME}",
                                    r"snmp-server community \{\{ \w+ \}\} group network-operator", r"snmp-server (location|contact) .+",
                                    r"nxapi https port 443", r"nxapi use-vrf management", r"grpc use-vrf management"],
                             r"vrf context management": [rf"ip route 0\.0\.0\.0/0 {IP4}", rf"ipv6 route ::/0 {IP}"],
                             r"interface mgmt0": [r"description .+", r"vrf member management", rf"ip address {PFX}", rf"ipv6 address {PFX}"],
                             r"aaa group server tacacs\+ \S+": [rf"server {IP}", r"use-vrf management", r"source-interface mgmt0"]}),
    "spanning tree": ("Nexus 9000 Layer 2 Switching configuration guide (MST, Rapid PVST+)", {None: [
        r"spanning-tree mode mst", r"spanning-tree mst 0 priority \d+", rf"spanning-tree vlan {VL} priority \d+"]}),
    "DCB (QoS)": ("Microsoft Azure Local ToR QoS policy (Reference-TOR-QOS-Policy-Configuration.md); "
                  "Nexus 9000 Quality of Service configuration guide", {
                      None: [r"class-map type qos match-all \S+", r"policy-map type (qos|network-qos|queuing) \S+", r"system qos"],
                      r"class-map type qos match-all \S+": [r"match cos [0-7]"],
                      r"policy-map type qos \S+": [r"class \S+"],
                      r"policy-map type qos \S+ > class \S+": [r"set qos-group [0-7]"],
                      r"policy-map type network-qos \S+": [r"class type network-qos c-8q-nq([0-7]|-default)"],
                      r"policy-map type network-qos \S+ > class type network-qos \S+": [r"mtu \d+", r"pause pfc-cos [0-7,]+"],
                      r"policy-map type queuing \S+": [r"class type queuing c-out-8q-q([0-7]|-default)"],
                      r"policy-map type queuing \S+ > class type queuing \S+": [
                          r"bandwidth (remaining )?percent \d+",
                          r"random-detect minimum-threshold \d+ kbytes maximum-threshold \d+ kbytes drop-probability \d+ weight \d+ ecn"],
                      r"system qos": [r"service-policy type queuing output \S+", r"service-policy type network-qos \S+"]}),
    "VLANs": ("Nexus 9000 Layer 2 Switching and VXLAN configuration guides; cisco.nxos vlans parser", {
        None: [r"vlan \d+"], r"vlan \d+": [rf"name {NAME}", r"vn-segment \d+"]}),
    "prefix lists and route maps": ("Nexus 9000 Unicast Routing configuration guide (route policy manager)", {
        None: [rf"(ip|ipv6) prefix-list {NAME} seq \d+ (permit|deny) {PFX}( ge \d+)?( le \d+)?",
               rf"route-map {NAME} (permit|deny) \d+",
               # Unicast Routing guide, route policy manager: "ip community-list standard <name> [seq <n>] permit <aa:nn>"
               rf"ip community-list standard {NAME} seq \d+ (permit|deny) \d+:\d+"],
        rf"route-map {NAME} (permit|deny) \d+": [rf"match (ip|ipv6) address prefix-list {NAME}", rf"match community {NAME}",
                                                 r"set community [0-9: ]+ additive", r"set ip next-hop unchanged"]}),
    "vPC": ("Nexus 9000 Interfaces configuration guide (vPC); cisco.nxos vpc module", {
        None: [r"vpc domain \d+"],
        r"vpc domain \d+": [r"role priority \d+", r"system-mac [0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}",
                            rf"peer-keepalive destination {IP4} source {IP4} vrf (management|default)",
                            r"delay restore \d+", r"delay restore interface-vlan \d+", r"peer-gateway", r"auto-recovery",
                            r"ip arp synchronize", r"ipv6 nd synchronize"]}),
    "interfaces": ("Nexus 9000 Interfaces configuration guide; cisco.nxos interfaces / l2_interfaces / l3_interfaces "
                   "/ lacp_interfaces parsers; Azure Local ToR QoS reference (storage ports)", {
                       None: [r"interface (loopback\d+|Vlan\d+|port-channel\d+|Ethernet1/\d+(\.\d+)?|nve1)"],
                       r"interface \S+": [r"description .+", r"switchport", r"switchport mode (trunk|access)",
                                          rf"switchport trunk allowed vlan {VL}", r"switchport trunk native vlan \d+",
                                          r"switchport access vlan \d+", r"spanning-tree port type (edge trunk|edge|network)",
                                          r"spanning-tree bpduguard enable", r"mtu \d+", r"no shutdown", r"no switchport",
                                          rf"ip address {PFX}", rf"ipv6 address {PFX}", r"no ip redirects",
                                          r"vpc( peer-link| \d+)", r"channel-group \d+ mode (active|on)", r"lacp rate (fast|normal)",
                                          r"priority-flow-control mode on send-tlv", r"service-policy type qos input \S+",
                                          r"fabric forwarding mode anycast-gateway", r"hsrp version 2", r"hsrp \d+( ipv6)?",
                                          rf"ip dhcp relay address {IP4}", rf"ipv6 dhcp relay address {IP}",
                                          r"host-reachability protocol bgp", r"source-interface loopback\d+", r"member vni \d+",
                                          # Interfaces guide (subinterfaces: encapsulation dot1q, vrf member); VXLAN guide
                                          # (L3 VNI SVI: ip forward, ipv6 address use-link-local-only; nve associate-vrf)
                                          r"encapsulation dot1q \d+", rf"vrf member {NAME}", r"ip forward",
                                          r"ipv6 address use-link-local-only", r"no ipv6 redirects", r"member vni \d+ associate-vrf"],
                       r"interface Vlan\d+ > hsrp \d+( ipv6)?": [r"mac-address [0-9a-f.]+", rf"ip {IP}"],
                       r"interface nve1 > member vni \d+": [r"ingress-replication protocol bgp"]}),
    "IPv6 ND (router advertisements)": (
        "Cisco pyATS/Genie NX-OS ND configuration (ra-interval, ra-lifetime, suppress-ra); Nexus 7000 NX-OS Unicast "
        "Routing configuration guide, Configuring IPv6 (no ipv6 nd suppress-ra on non-Ethernet interfaces); Cisco "
        "Network-as-Code NX-OS ND model (managed/other config flags per VLAN interface); docs/dns_dhcp.md", {
            r"interface Vlan\d+": [r"(no )?ipv6 nd suppress-ra", r"ipv6 nd (managed|other)-config-flag",
                                   r"ipv6 nd ra-interval \d+", r"ipv6 nd ra-lifetime \d+"]}),
    "VRFs": ("Nexus 9000 Unicast Routing configuration guide (VRF context) and VXLAN BGP EVPN configuration guide "
             "(VXLAN routing: vrf context vni, rd, route-target ... evpn per address family)", {
                 None: [rf"vrf context {NAME}"],
                 rf"vrf context {NAME}": [r"vni \d+", r"rd [0-9.]+:\d+", r"address-family (ipv4|ipv6) unicast"],
                 rf"vrf context {NAME} > address-family (ipv4|ipv6) unicast": [r"route-target (import|export) \d+:\d+( evpn)?"]}),
    "BFD": ("Nexus 9000 Unicast Routing configuration guide (BFD global timers)", {None: [
        r"bfd interval \d+ min_rx \d+ multiplier \d+"]}),
    "BGP": ("Nexus 9000 Unicast Routing configuration guide (BGP templates, address families); cisco.nxos "
            "bgp_global / bgp_neighbor_address_family / bgp_templates parsers", {
                None: [r"router bgp \d+"],
                r"router bgp \d+": [rf"router-id {IP4}", r"bestpath as-path multipath-relax",
                                    r"address-family (ipv4|ipv6) unicast", r"address-family l2vpn evpn",
                                    rf"template peer {NAME}", rf"neighbor {IP}", rf"vrf {NAME}"],
                # BGP per VRF (Unicast Routing guide, "Configuring BGP ... in a VRF"): the same neighbor and
                # address-family grammar one level down
                rf"router bgp \d+ > vrf {NAME}": [rf"router-id {IP4}", r"bestpath as-path multipath-relax",
                                                  r"address-family (ipv4|ipv6) unicast", rf"neighbor {IP}"],
                rf"router bgp \d+ > vrf {NAME} > address-family (ipv4|ipv6) unicast": [
                    rf"redistribute direct route-map {NAME}", r"maximum-paths \d+", rf"aggregate-address {PFX}"],
                rf"router bgp \d+ > vrf {NAME} > neighbor {IP}": [
                    rf"inherit peer {NAME}", r"remote-as \d+", r"description .+", r"ebgp-multihop \d+", r"update-source \S+",
                    r"address-family (ipv4|ipv6) unicast"],
                rf"router bgp \d+ > vrf {NAME} > neighbor {IP} > address-family .+": [
                    r"send-community( extended)?", rf"route-map {NAME} (in|out)"],
                r"router bgp \d+ > address-family (ipv4|ipv6) unicast": [rf"redistribute direct route-map {NAME}",
                                                                         r"maximum-paths \d+"],
                r"router bgp \d+ > address-family l2vpn evpn": [r"retain route-target all"],
                r"router bgp \d+ > template peer \S+": [r"remote-as \d+", r"description .+", r"bfd", r"timers \d+ \d+"],
                rf"router bgp \d+ > neighbor {IP}": [rf"inherit peer {NAME}", r"remote-as \d+", r"description .+",
                                                     r"ebgp-multihop \d+", r"update-source \S+",
                                                     r"address-family (ipv4|ipv6) unicast", r"address-family l2vpn evpn"],
                rf"router bgp \d+ > neighbor {IP} > address-family .+": [
                    r"send-community( extended)?", rf"route-map {NAME} (in|out)", r"allowas-in \d+", r"next-hop-self",
                    r"maximum-prefix \d+"]}),
    "EVPN": ("Nexus 9000 VXLAN BGP EVPN configuration guide", {
        None: [r"evpn"], r"evpn": [r"vni \d+ l2"],
        r"evpn > vni \d+ l2": [r"rd [0-9.]+:\d+", r"route-target (import|export) \d+:\d+"]}),
}


def _blocks(text):
    """(parent path, line) of every command; comments and '!' dropped."""
    stack = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        yield " > ".join(s[1] for s in stack), line
        stack.append((indent, line))


def unknown_lines(text):
    compiled = [(None if parent is None else re.compile(parent + "$"), [re.compile(c + "$") for c in children])
                for _source, table in FAMILIES.values() for parent, children in table.items()]
    bad = []
    for parent, line in _blocks(text):
        ok = any((pp is None and parent == "" or pp is not None and parent and pp.match(parent))
                 and any(c.match(line) for c in children) for pp, children in compiled)
        if not ok:
            bad.append(f"{parent + ' > ' if parent else ''}{line}")
    return bad


def _cases():
    dc1 = models.built_dc1()
    small = models.build(models.small("nxos", overlay="evpn_vxlan", second_rack=True), targets=("switches",))
    return {"dc1 vPC leaf (leaf09a)": models.switch_files(dc1)["leaf09a.cfg"],
            "small spine": models.switch_files(small)["spine1.cfg"],
            "small vPC leaf with RDMA": models.switch_files(small)["leaf01a.cfg"]}


@pytest.fixture(scope="module")
def cases():
    return _cases()


def test_every_nxos_line_matches_a_documented_command_family(cases):
    for name, text in cases.items():
        bad = unknown_lines(text)
        assert not bad, f"{name}: lines no documented NX-OS command family matches:\n" + "\n".join(bad[:20])
        assert len(list(_blocks(text))) > 50, name


def test_the_grammar_refuses_the_01_mistakes(cases):
    """A port-channel member with only channel-group is legal syntax, but these 0.1 lines are not NX-OS."""
    text = cases["small vPC leaf with RDMA"]
    assert unknown_lines(text.replace("peer-keepalive destination", "peer-keepalive dest")) != []
    assert unknown_lines(text + "router bfd\n   interval 300 min-rx 300 multiplier 3\n") != []
    assert unknown_lines(text + "dcbx application priority-flow-control\n") != []


def test_every_family_names_its_source():
    assert all(len(source) > 20 for source, _table in FAMILIES.values())
