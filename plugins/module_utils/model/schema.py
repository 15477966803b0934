"""The shared inventory model: every key, its type, default and meaning.

Ansible users set these as inventory variables named ``dcnet_<top key>``
(``dcnet_site``, ``dcnet_fabric``, ``dcnet_networks``, ...).  docs/model.md is
generated from this file (``make docs``), so the two cannot disagree.
"""

from __future__ import annotations

import re

from .. import platforms
from ..checks import model as model_rules
from .spec import REQUIRED, Address, Bool, Date, Enum, Field as F, Int, List, Map, Obj, Prefix, Str, TableName

_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$")


def _name_check(value):
    if len(value) > 63:
        return "is longer than 63 characters"
    if not _NAME_RE.match(value) or ".." in value:
        return "is not a valid name (letters, digits, '-', '_', '.' inside; a letter or digit at both ends)"
    return None


_MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _mac_check(value):
    return None if _MAC_RE.match(value) else "is not a MAC address like 00:50:56:aa:bb:cc (lower case, colons)"


_OCP_VERSION_RE = re.compile(r"^4\.[0-9]{1,2}$")


def _ocp_version_check(value):
    return None if _OCP_VERSION_RE.match(value) else "is not an OpenShift 4 release like 4.18 (major.minor)"


def _rule(pattern: str, longest: int, what: str):
    """A pattern_check for Str: the target's own naming rule, worded as the target words it."""
    regex = re.compile(pattern)

    def check(value):
        if len(value) > longest:
            return f"is longer than {longest} characters, the limit of a {what}"
        if not regex.fullmatch(value):
            return f"is not a valid {what}"
        return None
    # the JSON Schema of the model (json_schema.py) states the same rule for editors
    check.regex, check.longest = pattern, longest
    return check


Name = Str(pattern_check=_name_check, kind="name (letters, digits, `-` `_` `.`; at most 63)")
# Names that reach other systems, each checked with that system's rule (docs/model.md, "Names"):
# a device or cluster name is a hostname, a file name under build/, a Kubernetes node name and label value;
_DNS_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
Hostname = Str(pattern_check=_rule(_DNS_LABEL, 63, "hostname (DNS-1123 label: a-z, 0-9, '-' inside)"),
               kind="hostname (DNS-1123 label: `a-z` `0-9`, `-` inside; at most 63)")
# a network name is a NetworkAttachmentDefinition name and a VLAN name on EOS and NX-OS (32 characters);
NetName = Str(pattern_check=_rule(_DNS_LABEL, 32, "network name (DNS-1123 label that fits a 32-character VLAN name)"),
              kind="network name (DNS-1123 label; at most 32, the VLAN name limit of EOS and NX-OS)")
# a namespace is a DNS-1123 label, most other Kubernetes object names DNS-1123 subdomains;
K8sNamespace = Str(pattern_check=_rule(_DNS_LABEL, 63, "Kubernetes namespace (DNS-1123 label)"),
                   kind="Kubernetes namespace (DNS-1123 label; at most 63)")
K8sName = Str(pattern_check=_rule(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*", 253, "Kubernetes object name (DNS-1123 subdomain)"),
              kind="Kubernetes object name (DNS-1123 subdomain; at most 253)")
# a bond, bridge or NIC is a Linux interface name (15 characters, no '/', not '.' or '..').
IfName = Str(pattern_check=_rule(r"[A-Za-z0-9][A-Za-z0-9_.-]*", 15, "Linux interface name"),
             kind="Linux interface name (letters, digits, `-` `_` `.`; at most 15)")
DomainName = Str(pattern_check=_rule(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*", 253, "DNS domain name"),
                 kind="DNS domain name")
VarName = Str(pattern_check=_rule(r"[A-Za-z_][A-Za-z0-9_]*", 128, "Ansible variable name"), kind="Ansible variable name")


def _unicast_mac_check(value):
    if not re.match(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", value):
        return "is not a MAC address like 02:1c:73:00:00:01 (lower case, colons)"
    return "is a multicast MAC (lowest bit of the first octet set)" if int(value[:2], 16) & 1 else None


def _community_check(value):
    """A standard BGP community AA:NN (RFC 1997), both halves 16 bits."""
    match = re.fullmatch(r"([0-9]{1,5}):([0-9]{1,5})", value)
    if not match or int(match.group(1)) > 65535 or int(match.group(2)) > 65535:
        return "is not a BGP community AA:NN (two numbers 0-65535)"
    return None


# a VRF is a Linux VRF device on FRR (an interface name: 15 characters) and a VRF name on EOS and NX-OS
VrfName = Str(pattern_check=_rule(r"[A-Za-z][A-Za-z0-9_-]*", 15, "VRF name (a letter first; a Linux VRF device on FRR)"),
              kind="VRF name (letters, digits, `-` `_`, a letter first; at most 15)")

PLATFORM = TableName(platforms.names)  # switch platforms: the rows of plugins/module_utils/platforms
PORT_COUNT = Int(1, 1024)
ROLES = ("management", "storage", "live_migration", "vm", "cluster")
BOND_MODES = ("802.3ad", "active-backup", "balance-xor", "balance-tlb", "balance-alb", "balance-rr")
HASH_POLICIES = ("layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4", "vlan+srcmac")

SITE = Obj({
    "name": F(Hostname, doc="Site name; build/<name>/ holds the artifacts.", example="dc1"),
    "description": F(Str(), "", "Free text shown in reports."),
    "domain": F(DomainName, "", "DNS search domain written to hosts.", "dc1.example.net"),
    "dns_servers": F(List(Address(), unique=True), [], "DNS resolvers for hosts.", ["10.10.10.53"]),
    "dns": F(Obj({
        "ttl": F(Int(60, 604800), 3600, "TTL of every rendered record (s).", 3600),
        "nameservers": F(List(Obj({
            "name": F(Str(), doc="Host name in the site domain, or an FQDN ending in '.'.", example="ns1"),
            "ipv4": F(Address(4), None, "IPv4 address (glue when the name is in the site domain).", "10.13.0.53"),
            "ipv6": F(Address(6), None, "IPv6 address.", "fd00:13::53"),
        }), key="name"), [], "Authoritative servers (NS records); default: ns1, ns2, ... at site.dns_servers."),
        "hostmaster": F(Str(), "hostmaster", "SOA mailbox (a name in the site domain, or an FQDN ending in '.').", "hostmaster"),
        "refresh": F(Int(60, 2419200), 3600, "SOA refresh (s).", 3600),
        "retry": F(Int(60, 2419200), 900, "SOA retry (s).", 900),
        "expire": F(Int(3600, 31536000), 1209600, "SOA expire (s).", 1209600),
        "negative_ttl": F(Int(0, 86400), 300, "SOA minimum (negative caching TTL, s).", 300),
        "reverse_zones": F(List(Prefix(), unique=True), [],
                           "Reverse zones the site's DNS holds, as prefixes on an octet (IPv4) or nibble (IPv6) "
                           "boundary; default: one per addressed prefix, cut at the next boundary.", ["10.0.0.0/8", "fd00::/16"]),
    }), {}, "Zones rendered from the model (docs/dns_dhcp.md)."),
}, "site")

SPINE = Obj({
    "name": F(Hostname, doc="Hostname of the spine.", example="spine1"),
    "id": F(Int(1, 64), doc="Stable id: loopback index and uplink port on every leaf.", example=1),
    "platform": F(PLATFORM, None, "Overrides fabric.platform for this switch.", platforms.names()[-1]),
    "port_count": F(PORT_COUNT, None, "Front-panel ports of this switch; default: its platform's.", 64),
    "loopback4": F(Address(4), None, "Explicit IPv4 loopback; derived from pools.loopback4 when unset.", "10.255.0.201"),
    "loopback6": F(Address(6), None, "Explicit IPv6 loopback; derived from pools.loopback6 when unset.", "fd00:255::c9"),
}, "spine")

LEAF_PAIR = Obj({
    "rack": F(Int(1, 500), doc="Stable rack number: leaf ids, the pair's ASN and VTEP derive from it.", example=1),
    "leaves": F(List(Hostname, unique=True), doc="One or two leaf hostnames; with two, the first is side a (id 2*rack-1).",
                example=["leaf01a", "leaf01b"]),
    "mlag": F(Bool(), True, "Pair the two leaves with MLAG (EOS), vPC (NX-OS) or CLAG (FRR)."),
    "platform": F(PLATFORM, None, "Overrides fabric.platform for both leaves.", platforms.names()[0]),
    "port_count": F(PORT_COUNT, None, "Front-panel ports of both leaves; default: their platform's (a cable to a "
                    "higher port number is refused).", 54),
    "asn": F(Int(1, 4294967295), None, "Explicit ASN; default fabric.asn.leaf_base + rack.", 65150),
    "role": F(Enum("server", "border"), "server", "`border`: the pair hands the VRFs over to the external peers cabled to "
              "it (firewalls, WAN routers, provider edges) and brings the default route into the fabric "
              "(docs/north_south.md).", "border"),
}, "leaf pair")

FABRIC = Obj({
    "platform": F(PLATFORM, platforms.DEFAULT, "Default switch platform."),
    "mtu": F(Int(1500, 9216), 9216, "Switch port MTU; capped to the platform maximum (EOS 9214)."),
    "overlay": F(Enum("none", "evpn_vxlan"), "none",
                 "Overlay for VLANs stretched across leaf pairs; `none` makes such a stretch a check error."),
    "vni_base": F(Int(1, 16000000), 10000, "VNI of a stretched VLAN = vni_base + VLAN id."),
    "l3vni": F(Obj({
        "vni_base": F(Int(1, 16000000), 50000, "L3 VNI of a VRF = vni_base + vrfs[].id (symmetric IRB, EVPN type 5).", 50000),
        "vlan_base": F(Int(1, 4000), 3000, "VLAN bound to a VRF's L3 VNI = vlan_base + vrfs[].id (NX-OS and FRR carry the "
                       "L3 VNI on a VLAN interface; EOS needs none).", 3000),
    }), {}, "VRF transport over the EVPN overlay (fabric.overlay evpn_vxlan).", {"vni_base": 50000, "vlan_base": 3000}),
    "communities": F(Obj({
        "fabric": F(Str(pattern_check=_community_check), None, "Tags routes the fabric originates (its subnets, "
                    "aggregates); default <spine ASN>:1.", "65000:1"),
        "external": F(Str(pattern_check=_community_check), None, "Tags routes learned from external peers; default "
                      "<spine ASN>:2.", "65000:2"),
        "vip": F(Str(pattern_check=_community_check), None, "Tags MetalLB VIPs (the border exports VIPs by it); default "
                 "<spine ASN>:3.", "65000:3"),
    }), {}, "Origin communities of the edge policy (docs/north_south.md); the defaults need a 16-bit spine ASN.",
        {"fabric": "65000:1", "external": "65000:2", "vip": "65000:3"}),
    "asn": F(Obj({
        "spine": F(Int(1, 4294967295), 65000, "ASN shared by all spines."),
        "leaf_base": F(Int(1, 4294967295), 65100, "Leaf pair ASN = leaf_base + rack."),
        "private_required": F(Bool(), True, "Every ASN must be private (64512-65534, 4200000000-4294967294)."),
    }), {}, "ASN scheme."),
    "pools": F(Obj({
        "loopback4": F(Prefix(4), doc="Router-id loopbacks: spine id n -> host n; leaf id n -> host leaf_offset + n.",
                       example="10.255.0.0/24"),
        "loopback6": F(Prefix(6), None, "IPv6 loopbacks, same indexes.", "fd00:255::/64"),
        "p2p4": F(Prefix(4), doc="Spine-leaf /31s: link index (leaf id - 1) * max_spines + (spine id - 1).",
                  example="10.254.0.0/22"),
        "p2p6": F(Prefix(6), None, "Spine-leaf /127s, same index.", "fd00:254::/64"),
        "vtep4": F(Prefix(4), None, "VTEP loopbacks, one per leaf pair (host = rack).", "10.253.0.0/24"),
        "mlag4": F(Prefix(4), None, "MLAG peer-link /31s, one per pair (index = rack - 1).", "10.252.0.0/24"),
        "leaf_offset": F(Int(0, 65535), 64, "Loopback host index offset of leaves."),
        "max_spines": F(Int(1, 64), 8, "Reserved spines per leaf in the p2p pool (keeps indexes stable)."),
    }), REQUIRED, "Address pools; allocation is keyed by stable ids, never by list order."),
    "bfd": F(Obj({
        "enabled": F(Bool(), True, "BFD on every BGP session."),
        "interval_ms": F(Int(10, 60000), 300, "Transmit and receive interval."),
        "multiplier": F(Int(2, 255), 3, "Detect multiplier."),
    }), {}, "BFD timers shared by the fabric and MetalLB."),
    "bgp": F(Obj({
        "keepalive": F(Int(0, 3600), 3, "BGP keepalive (s)."),
        "hold": F(Int(0, 3600), 9, "BGP hold time (s); 0 or >= 3."),
        "maximum_paths": F(Int(1, 128), 64, "ECMP paths."),
        "password_var": F(VarName, "", "Name of an Ansible variable (vault) with the session MD5 password; never the password."),
        "unnumbered": F(Bool(), False, "FRR only: spine-leaf sessions over IPv6 link-local (no /31s).", True),
        "evpn_maximum_routes": F(Int(0, 4294967294), 0, "Prefix limit of every EVPN session (0: none). EOS shuts a "
                                 "session past its default of 12000, so it is always rendered; a check compares a "
                                 "non-zero limit with the expected EVPN route count.", 0),
    }), {}, "Underlay eBGP settings."),
    "anycast_gateway_mac": F(Str(pattern_check=_unicast_mac_check), "02:1c:73:00:00:01",
                             "Virtual MAC of every anycast gateway (all leaves, all platforms). The default is locally "
                             "administered, outside the VRRP (00:00:5e:00:01:xx) and HSRP ranges.", "02:1c:73:00:00:01"),
    "blackhole_vlan": F(Int(2, 4094), None, "Native VLAN of every host trunk that sends no network untagged: untagged "
                        "frames land in it and are dropped (the trunk does not allow it), so a host never reaches "
                        "another through VLAN 1. Never stretched, routed, given a VNI or carried on the peer link. "
                        "Default: none (the platform's VLAN 1 stays native).", 3900),
    "spanning_tree": F(Obj({
        "mode": F(Enum("mstp", "rapid-pvst", "none"), "mstp", "Spanning-tree protocol on leaves.", "mstp"),
        "priority": F(Int(0, 61440), 4096, "Bridge priority of leaves (a multiple of 4096): the leaf pair is the root "
                      "for its host ports, never a host bridge.", 4096),
    }), {}, "Spanning tree on leaves (host ports are edge ports with BPDU guard).", {"mode": "mstp", "priority": 4096}),
    "uplinks": F(Obj({
        "leaf_first_port": F(Int(1, 512), 49, "Leaf port number toward spine id s = leaf_first_port + s - 1."),
        "spine_first_port": F(Int(1, 512), 1, "Spine port number toward leaf id n = spine_first_port + n - 1."),
    }), {}, "Spine-leaf cabling, derived from ids."),
    "mlag": F(Obj({
        "peer_link_ports": F(List(Int(1, 512), unique=True), [55, 56], "Port numbers of the peer link on both leaves."),
        "vlan": F(Int(2, 4094), None, "Peer VLAN: MLAG control and the pair's routed iBGP peering. Default: the "
                  "platform's (4094; NX-OS 3967, below its reserved range).", 4094),
        "reload_delay": F(Obj({
            "mlag": F(Int(0, 86400), 300, "Seconds MLAG/vPC host ports stay down after a reload (EOS reload-delay mlag, "
                      "NX-OS delay restore, CLAG initDelay).", 300),
            "non_mlag": F(Int(0, 86400), 330, "Seconds other ports (SVIs, non-MLAG ports) stay down after a reload "
                          "(EOS reload-delay non-mlag, NX-OS delay restore interface-vlan).", 330),
        }), {}, "Keep host ports down after a reload until the fabric has converged.", {"mlag": 300, "non_mlag": 330}),
        "keepalive": F(Enum("management", "loopback"), "management",
                       "Peer keepalive path: the management ports (VRF of fabric.management; needs its pool) or the "
                       "loopbacks over the fabric.", "management"),
    }), {}, "MLAG/vPC peer link."),
    "management": F(Obj({
        "pool4": F(Prefix(4), doc="Management subnet: spine id n -> host host_offset + n; leaf id n -> host "
                   "host_offset + pools.leaf_offset + n.", example="192.168.0.0/24"),
        "host_offset": F(Int(0, 65535), 10, "Host index offset of switch management addresses (below it: gateways).", 10),
        "pool6": F(Prefix(6), None, "IPv6 management addresses, same indexes.", "fd00:168::/64"),
        "gateway4": F(Address(4), None, "Default gateway of the management VRF; default: first host of pool4.", "192.168.0.1"),
        "gateway6": F(Address(6), None, "IPv6 default gateway; default: first host of pool6.", "fd00:168::1"),
        "vrf": F(Name, None, "Management VRF; default: the platform's (EOS MGMT, NX-OS management, FRR mgmt).", "MGMT"),
        "ntp_servers": F(List(Address(), unique=True), [], "NTP servers (reached in the management VRF).", ["10.0.0.123"]),
        "dns_servers": F(List(Address(), unique=True), None, "DNS resolvers; default: site.dns_servers.", ["10.0.0.53"]),
        "syslog_servers": F(List(Address(), unique=True), [], "Syslog servers.", ["10.0.0.51"]),
        "users": F(List(Obj({
            "name": F(Name, doc="Local user name.", example="admin"),
            "role": F(Enum("network-admin", "network-operator"), "network-admin", "Role (privilege 15 or read-only).",
                      "network-admin"),
            "password_var": F(Str(), doc="Ansible variable (vault) holding the password hash (sha512-crypt); the "
                              "rendered config references it, never holds it.", example="dcnet_switch_admin_hash"),
            "ssh_key_var": F(Str(), None, "Ansible variable holding the user's SSH public key.", "dcnet_admin_ssh_key"),
        }, "user"), key="name"), [], "Local users (the fallback when TACACS+ is down)."),
        "tacacs": F(Obj({
            "servers": F(List(Address(), unique=True), doc="TACACS+ servers.", example=["10.0.0.49"]),
            "key_var": F(Str(), doc="Ansible variable (vault) holding the shared key.", example="dcnet_tacacs_key"),
        }), None, "TACACS+ AAA for logins and commands; local users stay the fallback."),
        "api": F(Bool(), True, "Enable the management API in the management VRF (EOS eAPI, NX-OS NX-API).", True),
        "gnmi": F(Bool(), False, "Enable gNMI (EOS management api gnmi, NX-OS feature grpc).", True),
        "snmp": F(Obj({
            "community_var": F(Str(), doc="Ansible variable holding the read-only community.", example="dcnet_snmp_ro"),
            "location": F(Str(), "", "sysLocation.", "dc1 hall 2"),
            "contact": F(Str(), "", "sysContact.", "noc@example.net"),
        }), None, "Optional read-only SNMP in the management VRF."),
    }), None, "Out-of-band management of every switch (Management1 / mgmt0 / eth0 in a management VRF)."),
    "spines": F(List(SPINE, key="name"), doc="Spine switches.", example=[{"name": "spine1", "id": 1}]),
    "leaf_pairs": F(List(LEAF_PAIR, key="rack"), doc="Leaf pairs, one per rack.",
                    example=[{"rack": 1, "leaves": ["leaf01a", "leaf01b"]}]),
}, "fabric")

NETWORK = Obj({
    "name": F(NetName, doc="Network name; clusters refer to it.", example="mgmt"),
    "vlan": F(Int(), doc="VLAN id, 1..4094 (a loader rule of the vlan family).", example=10),
    "role": F(Enum(*ROLES), doc="What the network carries.", example="management"),
    "ipv4": F(Prefix(4), None, "IPv4 prefix.", "10.10.10.0/24"),
    "ipv6": F(Prefix(6), None, "IPv6 prefix (a /64).", "fd00:10::/64"),
    "gateway_on": F(Enum("fabric", "external", "none"), "fabric",
                    "Where the default gateway lives: an anycast SVI on the leaves, a router elsewhere, or no gateway."),
    "gateway4": F(Address(4), None, "IPv4 gateway; default first host.", "10.10.0.254"),
    "gateway6": F(Address(6), None, "IPv6 gateway; default first host.", "fd00:10::fe"),
    "mtu": F(Int(68, 9216), 1500, "IP MTU of the network on hosts.", 9000),
    "host_offset": F(Int(1, 1000000), 10, "Host index of the first node address (node address = host_offset + cluster address_offset + node id).", 10),
    "dhcp": F(Obj({
        "enabled": F(Bool(), False, "Hosts/VMs use DHCP on this network."),
        "servers": F(List(Address(), unique=True), [], "DHCP servers; those outside the network need a relay on the gateway."),
        "range4": F(Str(), None, "Dynamic range 'first-last' (checked against static allocations).", "10.13.0.100-10.13.0.199"),
        "range6": F(Str(), None, "DHCPv6 dynamic range 'first-last' (ipv6_hosts.mode dhcpv6).", "fd00:13::1000-fd00:13::1fff"),
        "reserved": F(List(Str(), unique=True), [], "Addresses or ranges 'first-last' no pool hands out (carved out of the pools).",
                      ["10.13.0.150-10.13.0.159"]),
        "lease_time": F(Int(60, 31536000), 86400, "Lease valid lifetime (s).", 86400),
    }), {}, "DHCP service (IPv4 when enabled; IPv6 follows ipv6_hosts.mode)."),
    "ipv6_hosts": F(Obj({
        "mode": F(Enum("static", "slaac", "stateless", "dhcpv6"), "static",
                  "How hosts get IPv6 addresses: static (no RA), slaac (RA prefix with A flag), stateless (SLAAC plus "
                  "DHCPv6 options: O flag), dhcpv6 (stateful: M and O flags, prefix on-link only)."),
        "ra": F(Bool(), None, "Send router advertisements on the gateway; default: on unless mode is static.", False),
        "router_lifetime": F(Int(0, 9000), 1800, "RA router lifetime (s); 0 announces no default router.", 1800),
        "ra_interval": F(Int(4, 1800), 200, "Maximum RA interval (s).", 200),
    }), {}, "IPv6 host addressing policy, rendered on the gateway (RA flags) and the DHCPv6 server."),
    "leaves": F(List(Hostname, unique=True), [], "Leaves that carry the network although no cluster there uses it "
                "yet (a VLAN reserved for a coming wave): the VLAN, its gateway SVI and, across leaf pairs, its VNI; "
                "an MLAG pair-mate carries it too. No host port carries it until a cluster lists the network.",
                ["leaf01a", "leaf01b"]),
    "description": F(Str(), "", "Free text."),
    "vrf": F(VrfName, None, "VRF (tenant) of the network's fabric gateway (vrfs[].name); unset: the default VRF, which "
             "should carry only the underlay. Networks without a gateway on the fabric stay layer 2 and take no VRF.",
             "prod"),
    "single_stack": F(Bool(), False, "One address family on purpose on a dual-stack cluster (else a dualstack check "
                      "error).", True),
    "port_groups": F(List(Obj({
        "name": F(Str(), doc="Port group name as vCenter shows it.", example="VM-Web-100"),
        "switch": F(Str(), "", "vSwitch or distributed switch holding it.", "dvs-prod"),
        "id": F(Str(), None, "vCenter managed object id (MTV NetworkMap source id).", "dvportgroup-1043"),
    }, "port group")), [], "VMware port groups carrying this network today (written by the import; the sources "
        "of the migration's NetworkMaps).", [{"name": "VM-Web-100", "switch": "dvs-prod"}]),
}, "network")

BOND_PROFILE = Obj({
    "mode": F(Enum(*BOND_MODES), doc="Linux bonding mode (nmstate names).", example="802.3ad"),
    "xmit_hash_policy": F(Enum(*HASH_POLICIES), "layer3+4", "Transmit hash policy."),
    "lacp_rate": F(Enum("slow", "fast"), None, "LACP rate (802.3ad only); the leaf port-channel uses the same."),
    "miimon": F(Int(0, 100000), 100, "Link monitoring interval (ms)."),
    "mtu": F(Int(1280, 9216), 9000, "MTU of NICs and bond."),
}, "bond profile")

METALLB_POOL = Obj({
    "name": F(K8sName, doc="IPAddressPool name.", example="vips"),
    "ipv4": F(Prefix(4), None, "IPv4 VIP range.", "10.30.0.0/24"),
    "ipv6": F(Prefix(6), None, "IPv6 VIP range.", "fd00:30::/112"),
    "communities": F(List(Str(), unique=True), [], "BGP communities (AA:NN) tagged on these VIPs.", ["65000:100"]),
    "auto_assign": F(Bool(), True, "MetalLB autoAssign."),
    "export": F(Bool(), True, "The border leaves announce the pool's VIPs to the external peers of its VRF (the VRF of "
                "metallb.peer_network); false keeps them inside the site.", False),
    "vips": F(List(Obj({
        "name": F(Name, doc="Service name; DNS record <name>.<cluster>.<site domain>.", example="api"),
        "ipv4": F(Address(4), None, "IPv4 VIP inside the pool.", "10.30.0.10"),
        "ipv6": F(Address(6), None, "IPv6 VIP inside the pool.", "fd00:30::a"),
    }), key="name"), [], "Named VIPs of the pool (DNS records and IPAM)."),
})

METALLB = Obj({
    "asn": F(Int(1, 4294967295), doc="ASN of the MetalLB speakers.", example=65200),
    "namespace": F(K8sNamespace, "metallb-system", "Namespace of the MetalLB CRs.", "metallb-system"),
    "peer_network": F(Name, None, "Network whose addresses the speakers peer from (default: the cluster's management network).", "ove-mgmt"),
    "password_secret": F(K8sName, None, "Name of a kubernetes.io/basic-auth Secret holding the MD5 password."),
    "bfd_profile": F(K8sName, "fabric-bfd", "BFDProfile name.", "fabric-bfd"),
    "pools": F(List(METALLB_POOL, key="name"), [], "VIP pools."),
})

OVE = Obj({
    "vm_namespace": F(K8sNamespace, "vm-networks", "Namespace of the VM NetworkAttachmentDefinitions."),
    "cni": F(Enum("localnet", "bridge"), "localnet", "VM secondary network type: OVN-K localnet or bridge CNI with VLAN."),
    "ovs_bridge": F(IfName, "br-vms", "OVS bridge (localnet) or Linux bridge (bridge CNI) carrying VM VLANs."),
    "nncp_max_unavailable": F(Str(), "25%", "NNCP maxUnavailable (int or percent)."),
    "cluster_network4": F(Prefix(4), "10.128.0.0/14", "Pod network (IPv4).", "10.128.0.0/14"),
    "cluster_network6": F(Prefix(6), "fd01::/48", "Pod network (IPv6).", "fd01::/48"),
    "host_prefix4": F(Int(8, 30), 23, "Per-node IPv4 pod prefix.", 23),
    "service_network4": F(Prefix(4), "172.30.0.0/16", "Service network (IPv4).", "172.30.0.0/16"),
    "service_network6": F(Prefix(6), "fd02::/112", "Service network (IPv6).", "fd02::/112"),
    "ocp_version": F(Str(pattern_check=_ocp_version_check), "4.18", "OpenShift release (major.minor): up to 4.17 one "
                     "bridge mapping per VM VLAN, from 4.18 one shared mapping and a vlanID per NAD.", "4.17"),
    "vm_layout": F(Enum("dedicated", "shared"), "dedicated",
                   "VM networks on a second bond bridged by `ovs_bridge` (dedicated) or on br-ex through bridge "
                   "mappings only (shared; the machine network must be untagged on the bond).", "shared"),
    "vm_bond": F(Obj({
        "name": F(Name, "bond1", "Bond interface name."),
        "profile": F(Name, doc="Bond profile name.", example="lacp"),
        "nics": F(List(Name, unique=True), doc="NIC names of the VM bond (same on every node); the other NICs form "
                  "the cluster bond.", example=["ens2f0", "ens2f1"]),
    }, "VM bond"), None, "The second bond of the dedicated layout (port of the VM bridge)."),
    "namespaces": F(Map(List(Name, unique=True), "network name"), {},
                    "Namespaces that get a NetworkAttachmentDefinition of a VM network (besides `vm_namespace` and "
                    "the namespaces of the network's VMs in `vms`).", {"vm-web": ["shop", "billing"]}),
    "node_label": F(Str(), "kubernetes.io/hostname", "Node label the per-node NNCPs and BGPPeers select on.",
                    "kubernetes.io/hostname"),
    "node_names": F(Enum("fqdn", "short"), "fqdn", "Value of `node_label`: the node's FQDN (node.site domain, when "
                    "the site has a domain) or its short name.", "short"),
    "live_migration": F(Obj({
        "network": F(Name, None, "Network of the dedicated migration network (default: the cluster's network of role "
                     "live_migration).", "ove-livemig"),
        "nad_name": F(Name, "live-migration", "NetworkAttachmentDefinition name in openshift-cnv.", "migration-net"),
        "range4": F(Str(), None, "IPv4 range 'first-last' of the migration pods (default: after the last node "
                    "address to the end of the network).", "10.30.0.200-10.30.0.250"),
        "range6": F(Str(), None, "IPv6 range 'first-last' (default derived like range4).", "fd00:30::1000-fd00:30::1fff"),
    }), {}, "KubeVirt live migration over a dedicated network (HyperConverged liveMigrationConfig.network).",
        {"network": "ove-livemig"}),
    "mtv": F(Obj({
        "namespace": F(K8sNamespace, "openshift-mtv", "Namespace of the Migration Toolkit for Virtualization (its "
                       "Providers and the waves' NetworkMaps).", "openshift-mtv"),
        "source_provider": F(K8sName, "vmware", "Name of the MTV Provider CR of the vCenter the VMs come from.",
                             "vcenter-prod"),
        "destination_provider": F(K8sName, "host", "Name of the MTV Provider CR of this cluster (MTV creates `host` "
                                  "for the cluster it runs on).", "host"),
    }), {}, "Migration Toolkit for Virtualization on this cluster: the providers the waves' NetworkMaps name.",
        {"source_provider": "vcenter-prod"}),
}, "ove")

INTENT = Obj({
    "name": F(Name, doc="Intent name.", example="mgmt_compute"),
    "traffic": F(List(Enum("management", "compute", "storage"), unique=True), doc="Traffic types.",
                 example=["management", "compute"]),
    "adapters": F(List(Name, unique=True, min_items=1), doc="Physical NIC names (same on all nodes; Network ATC "
                  "needs at least one).", example=["pNIC01", "pNIC02"]),
    "storage_networks": F(List(Name, unique=True), [], "Storage intent: one storage network per adapter, in adapter order."),
    "jumbo_packet": F(Int(), None, "Adapter JumboPacket (1514, 4088 or 9014)."),
    "rdma": F(Enum("disabled", "iwarp", "roce", "roce_v2"), "disabled", "NetworkDirect technology."),
    "rdma_per_adapter": F(Map(Enum("disabled", "iwarp", "roce", "roce_v2"), key=Name), {},
                          "Per-adapter RDMA technology (must agree within an intent).",
                          {"pNIC03": "roce_v2", "pNIC04": "roce_v2"}),
    "qos": F(Obj({
        "priority_smb": F(Int(0, 7), 3, "802.1p priority of SMB Direct."),
        "priority_cluster": F(Int(0, 7), 7, "802.1p priority of cluster heartbeat."),
        "bandwidth_smb": F(Int(1, 99), 50, "Bandwidth % reserved for SMB."),
        "override": F(Bool(), False, "Override Network ATC's QoS defaults."),
    }), {}, "DCB QoS for storage intents."),
    "switch": F(Obj({
        "load_balancing": F(Enum("Dynamic", "HyperVPort"), None, "SET load balancing algorithm."),
        "enable_iov": F(Bool(), None, "SR-IOV on the vSwitch.", False),
    }), {}, "Virtual switch overrides (management/compute)."),
}, "intent")

NODE_ADDR = Obj({
    "ipv4": F(Address(4), None, "Explicit IPv4 address.", "10.10.0.200"),
    "ipv6": F(Address(6), None, "Explicit IPv6 address.", "fd00:10::c8"),
})

NODE = Obj({
    "name": F(Hostname, doc="Hostname.", example="w001"),
    "id": F(Int(1, 100000), doc="Stable node id: addresses derive from it.", example=1),
    "nics": F(Map(Str(), "NIC name", key=IfName), doc="Cable of each NIC: 'leaf:port'.",
              example={"ens1f0": "leaf01a:Ethernet1", "ens1f1": "leaf01b:Ethernet1"}),
    "addresses": F(Map(NODE_ADDR, "network name", key=Name), {}, "Explicit addresses per network (override derivation).",
                   {"ove-mgmt": {"ipv4": "10.10.0.200"}}),
    "macs": F(Map(Str(pattern_check=_mac_check), "NIC name"), {}, "MAC address of each NIC (OVE: the "
              "agent-based installer matches a host's networkConfig by MAC).", {"ens1f0": "b8:ce:f6:01:00:01"}),
}, "node")

_PREFIX_RE = re.compile(r"^[A-Za-z0-9-]{1,8}$")


def _naming_prefix_check(value):
    return None if _PREFIX_RE.match(value) else "is not 1-8 letters, digits or '-' (deploymentData.namingPrefix)"


_SDN_MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def _sdn_mac_check(value):
    return None if _SDN_MAC_RE.match(value) else "is not a MAC address like 02:00:5e:10:00:00 (lower case, colons)"


AZURE_LOCAL = Obj({
    "naming_prefix": F(Str(pattern_check=_naming_prefix_check), None,
                       "deploymentData.namingPrefix; default: the first 8 letters, digits or '-' of the cluster name.", "azla"),
    "domain_fqdn": F(Str(), None, "Active Directory domain (deploymentData.domainFqdn); default: site.domain.", "ad.example.net"),
    "adou_path": F(Str(), None, "OU prepared for the deployment (deploymentData.adouPath); default: OU=<cluster> in the domain.",
                   "OU=azl-a,DC=ad,DC=example,DC=net"),
    "infra_pool": F(Obj({
        "start": F(Address(4), None, "First address; default: derived (size addresses just below the first node address).",
                   "10.11.0.4"),
        "end": F(Address(4), None, "Last address (with start).", "10.11.0.9"),
        "size": F(Int(6, 4096), 6, "Addresses of the derived pool (Azure Local needs at least six).", 8),
    }), {}, "Infrastructure IP pool on the management network (cluster IP, Arc Resource Bridge, Network Controller)."),
    "use_dhcp": F(Bool(), False, "Nodes and the cluster IP take DHCP addresses (infrastructureNetwork.useDhcp); the pool stays "
                  "static.", True),
    "pxe": F(Bool(), False, "Nodes boot from the network: the management VLAN needs a DHCP relay on the leaves "
             "(the management network's dhcp.servers)."),
    "management_vlan_on": F(Enum("adapters", "vnic"), "adapters",
                            "Where the pre-registration step tags a tagged management VLAN: the physical adapters "
                            "(Set-NetAdapter -VlanID) or a management vNIC on a pre-created SET switch."),
    "proxy": F(Obj({
        "server": F(Str(), None, "Proxy URL http://host:port (WinInet, WinHTTP and HTTP(S)_PROXY).", "http://10.0.0.80:8080"),
        "bypass": F(List(Str(), unique=True), [], "Extra bypass entries (names, domains, addresses) after the derived ones.",
                    ["*.corp.example.net"]),
    }), {}, "Outbound proxy set on every node before Arc registration."),
    "sdn": F(Obj({
        "enabled": F(Bool(), False, "Microsoft SDN (Network Controller) at deployment (deploymentData.sdnIntegration)."),
        "mac_pool_start": F(Str(pattern_check=_sdn_mac_check), None, "First MAC of the Network Controller pool.",
                            "02:00:5e:10:00:00"),
        "mac_pool_stop": F(Str(pattern_check=_sdn_mac_check), None, "Last MAC of the pool.", "02:00:5e:10:ff:ff"),
        "network_virtualization": F(Bool(), True, "networkVirtualizationEnabled (SDN virtual networks).", False),
    }), {}, "Software-defined networking."),
}, "azure local")

# vSphere teaming of a switch's uplinks (its "load balancing" policy, as the API names it), and LACP on a
# distributed switch's link aggregation group (LAG).
TEAMING = ("loadbalance_srcid", "loadbalance_srcmac", "loadbalance_loadbased", "failover_explicit", "loadbalance_ip",
           "lacp")

VSWITCH = Obj({
    "name": F(Str(), doc="Switch name as vCenter shows it; `networks[].port_groups[].switch` refers to it.",
              example="dvs-prod"),
    "kind": F(Enum("distributed", "standard"), "distributed",
              "vSphere Distributed Switch, or a standard vSwitch (configured per host, same name on every host).",
              "standard"),
    "uplinks": F(List(IfName, unique=True), doc="Physical NICs of the switch (vmnics), the same on every host; each is "
                 "cabled under the node's `nics`.", example=["vmnic2", "vmnic3"]),
    "teaming": F(Enum(*TEAMING), "loadbalance_srcid",
                 "Load balancing of the uplinks: route based on originating virtual port (`loadbalance_srcid`), source "
                 "MAC hash, physical NIC load, explicit failover order (independent leaf ports); IP hash "
                 "(`loadbalance_ip`: a static port-channel); `lacp` (a LAG of a distributed switch: an LACP "
                 "port-channel).", "loadbalance_ip"),
    "lacp": F(Obj({
        "mode": F(Enum("active", "passive"), "active", "LAG mode (the leaf port-channel is always active).", "passive"),
        "rate": F(Enum("slow", "fast"), "slow", "LAG timeout mode (vSphere 7.0.2 and later; the leaf port-channel "
                  "uses the same LACP rate).", "fast"),
    }), {}, "The LAG of a `teaming: lacp` distributed switch.", {"mode": "active", "rate": "fast"}),
    "mtu": F(Int(1280, 9000), 1500, "MTU of the switch (a standard vSwitch's MTU, a distributed switch's maximum "
             "MTU): the largest IP packet its VMs and VMkernel adapters send.", 9000),
    "networks": F(List(Name, unique=True), [], "Networks on the switch's uplinks; default: the cluster's networks whose "
                  "`port_groups` sit on this switch, or every network of the cluster when it has one switch.",
                  ["esx-mgmt", "vmotion"]),
}, "vSwitch")

CLUSTER = Obj({
    "name": F(Hostname, doc="Cluster name.", example="ove-prod"),
    "platform": F(Enum("ove", "azure_local", "linux", "vmware"), doc="Host platform (`vmware`: the ESXi hosts an "
                  "estate migrates from, modelled for the coexistence period).", example="ove"),
    "description": F(Str(), "", "Free text."),
    "networks": F(List(Name, unique=True), doc="Networks the cluster uses (by name).", example=["mgmt", "storage"]),
    "native_network": F(Name, None, "Network sent untagged on host ports (both ends)."),
    "address_offset": F(Int(0, 1000000), 0, "Added to node ids when deriving addresses (clusters sharing a network)."),
    "bond": F(Obj({
        "name": F(IfName, "bond0", "Bond interface name (its VLAN interfaces are `<bond>.<vlan id>`, also at most 15)."),
        "profile": F(Name, doc="Bond profile name.", example="lacp"),
    }), None, "Host bond (ove, linux)."),
    "overlay": F(Enum("geneve", "vxlan", "none"), "geneve", "Host overlay (OVN-K uses Geneve)."),
    "ipsec": F(Bool(), False, "OVN-K IPsec (46 more bytes of overhead)."),
    "overlay_mtu": F(Int(68, 9216), None, "MTU of the overlay (pod) network; default: the underlay (management network and "
                     "bond) MTU minus the overlay overhead. The mtu rules check it fits the underlay.", 8900),
    "metallb": F(METALLB, None, "MetalLB BGP (ove)."),
    "ove": F(OVE, {}, "OpenShift Virtualization settings."),
    "intents": F(List(INTENT, key="name"), [], "Network ATC intents (azure_local)."),
    "storage": F(Obj({
        "switchless": F(Bool(), False, "Storage adapters cabled node to node (no storage VLAN on switches)."),
        "auto_ip": F(Bool(), True, "Network ATC automatic storage IPs."),
    }), {}, "Azure Local storage connectivity."),
    "azure_local": F(AZURE_LOCAL, {}, "Azure Local deployment settings (deploymentData, pre-registration step)."),
    "vswitches": F(List(VSWITCH, key="name"), [], "The ESXi hosts' standard and distributed switches (vmware): "
                   "uplinks, teaming, MTU; the leaf ports follow from them.",
                   [{"name": "dvs-prod", "uplinks": ["vmnic2", "vmnic3"], "teaming": "lacp", "mtu": 9000}]),
    "nodes": F(List(NODE, key="name"), doc="Cluster nodes."),
}, "cluster")

WAIVER = Obj({
    "rule": F(Str(), doc="Rule id waived.", example=model_rules.CLUSTER_WITHOUT_BOND.id),
    "path": F(Str(), doc="Model path (exact, or a prefix ending in '*').", example="clusters[lab].nodes[n1]*"),
    "reason": F(Str(), doc="Why this is accepted.", example="single-NIC lab host"),
    "expires": F(Str(), doc="Expiry date YYYY-MM-DD; an expired waiver is an error.", example="2027-06-30"),
}, "waiver")

VM_NIC = Obj({
    "name": F(Str(), doc="Adapter label as vCenter shows it.", example="Network adapter 1"),
    "network": F(Name, None, "Network the NIC is attached to (by name); unset: on no network.", "web"),
    "mac": F(Str(pattern_check=_mac_check), None, "MAC address (kept across the migration).", "00:50:56:01:02:03"),
    "ipv4": F(List(Address(4), unique=True), [], "IPv4 addresses seen on the NIC.", ["10.20.100.11"]),
    "ipv6": F(List(Address(6), unique=True), [], "IPv6 addresses seen on the NIC.", ["2001:db8:100::11"]),
}, "VM NIC")

VM = Obj({
    "name": F(Name, doc="VM name, unique site-wide.", example="shop-web01"),
    "cluster": F(Name, None, "Model cluster the VM runs on today (a `vmware` cluster, or its target once migrated).",
                 "vmw-prod"),
    "power_state": F(Enum("on", "off", "suspended"), "on", "Power state at import time.", "off"),
    "application": F(Str(), "", "Application group the VM belongs to (from a folder or tag); waves select by it.", "shop"),
    "namespace": F(Name, None, "OVE namespace of the VM once migrated (default: the application, lower-cased, else "
                   "the cluster's ove.vm_namespace).", "shop"),
    "folder": F(Str(), "", "vCenter VM folder.", "/Prod/Shop"),
    "tags": F(List(Str(), unique=True), [], "vCenter tags or custom attributes kept for grouping.", ["tier:web"]),
    "source": F(Obj({
        "vcenter": F(Str(), "", "vCenter server.", "vc01.example.net"),
        "datacenter": F(Str(), "", "vCenter datacenter.", "DC1"),
        "cluster": F(Str(), "", "vCenter cluster.", "Prod-Cluster-01"),
        "host": F(Str(), "", "ESXi host.", "esx01.example.net"),
        "id": F(Str(), "", "vCenter managed object id or VM UUID.", "vm-1042"),
    }), {}, "Where the VM was read from (provenance; not a model reference).", {"vcenter": "vc01.example.net"}),
    "nics": F(List(VM_NIC, key="name"), [], "Network adapters.",
              [{"name": "Network adapter 1", "network": "web", "mac": "00:50:56:01:02:03", "ipv4": ["10.20.100.11"]}]),
    "description": F(Str(), "", "Free text.", "imported from RVTools"),
}, "VM")

WAVE = Obj({
    "name": F(Name, doc="Wave name.", example="wave-01"),
    "start": F(Date(), doc="Cut-over date YYYY-MM-DD.", example="2027-03-06"),
    "target": F(Obj({
        "cluster": F(Name, None, "Target model cluster (ove or azure_local).", "ove-prod"),
        "provider": F(Name, None, "Target provider cloud (a name; the wave renders its handover list).", "cloud-a"),
    }), doc="Where the wave's VMs go: exactly one of cluster or provider.", example={"cluster": "ove-prod"}),
    "vms": F(List(Name, unique=True), [], "VMs that move, by name.", ["shop-web01"]),
    "applications": F(List(Str(), unique=True), [], "Application groups that move (every VM whose application matches).",
                      ["shop"]),
    "network_map": F(Map(Name, "source network"), {}, "Source network -> target network where they differ "
                     "(default: the same network, stretched).", {"web-old": "web"}),
    "readdress": F(Map(Map(NODE_ADDR, "NIC name"), "VM name"), {}, "New addresses of NICs whose address changes "
                   "in this wave (VM -> NIC -> ipv4/ipv6).", {"shop-web01": {"Network adapter 1": {"ipv4": "10.21.0.11"}}}),
    "description": F(Str(), "", "Free text.", "web tier of the shop"),
}, "wave")

SEG_FLOW = Obj({
    "name": F(Name, doc="Flow name (audit tables and rule names).", example="web-to-db"),
    "from": F(Name, doc="Source application group.", example="shop-web"),
    "to": F(Name, doc="Destination application group.", example="shop-db"),
    "protocol": F(Enum("tcp", "udp", "icmp", "any"), "tcp", "Protocol."),
    "ports": F(List(Str(), unique=True), [], "Destination ports or ranges 'first-last' (empty: all).", ["5432", "8000-8080"]),
    "families": F(List(Int(4, 6), unique=True), [4, 6], "Address families the flow is allowed in (4 and/or 6).", [4, 6]),
}, "flow")

SEGMENTATION = Obj({
    "group_by": F(Enum("application", "folder", "tag"), "application",
                  "Where a VM's application group comes from: `vms[].application`, the last part of its folder, or "
                  "its tags starting with `tag_prefix`."),
    "tag_prefix": F(Str(), "app:", "Tag prefix of group tags (group_by: tag).", "app:"),
    "groups": F(List(Obj({
        "name": F(Name, doc="Group name.", example="backup"),
        "vms": F(List(Name, unique=True), [], "VMs listed in the group (besides those grouped by group_by).",
                 ["backup01"]),
        "default": F(Enum("deny", "allow"), "deny", "Traffic from other groups to this group's VMs when no flow "
                     "allows it."),
    }, "group"), key="name"), [], "Groups listed in the model (add VMs, or open a group with default: allow)."),
    "flows": F(List(SEG_FLOW, key="name"), [], "Traffic allowed between groups; inside a group all traffic is allowed."),
    "rule_budget": F(Int(1, 1000000), 2000, "Rules one host may carry before the report flags it."),
}, "segmentation")

VRF = Obj({
    "name": F(VrfName, doc="VRF name: the switch VRF, its BGP instance, networks[].vrf refer to it.", example="prod"),
    "id": F(Int(1, 4000), doc="Stable id: L3 VNI = fabric.l3vni.vni_base + id, its VLAN = fabric.l3vni.vlan_base + id, "
            "route target <spine ASN>:<L3 VNI>.", example=1),
    "description": F(Str(), "", "Free text.", "production tenants"),
    "l3_vni": F(Int(1, 16000000), None, "Explicit L3 VNI (overrides the derived one).", 50001),
    "vlan": F(Int(2, 4094), None, "Explicit VLAN of the L3 VNI (overrides the derived one).", 3001),
    "aggregates": F(List(Prefix(), unique=True), [], "What the border leaves announce for the VRF, besides its VIPs; "
                    "default: the VRF's network prefixes, merged where adjacent (never wider than them).",
                    ["10.64.0.0/17", "fd00:64::/48"]),
    "leak_from": F(List(VrfName, unique=True), [], "VRFs whose routes this VRF imports (route leaking by route target). "
                   "Default none: traffic between VRFs goes through the external peers (the firewall).", ["shared"]),
}, "VRF")

EXTERNAL_VRF = Obj({
    "vrf": F(VrfName, doc="VRF handed over (vrfs[].name).", example="prod"),
    "vlan": F(Int(2, 4094), doc="802.1Q tag of the handover in this VRF (sub-interface tag or SVI VLAN).", example=3101),
    "ipv4": F(Prefix(4), None, "IPv4 transfer prefix. subinterface: a /31 per link (side a's leaf first; the leaf takes "
              "the even address); svi: the peer takes peer_ipv4 (default the first host), side a the second, side b the "
              "third.", "10.199.1.0/29"),
    "ipv6": F(Prefix(6), None, "IPv6 transfer prefix, allocated like ipv4 (/127 per link).", "fd00:199:1::/64"),
    "peer_ipv4": F(Address(4), None, "svi only: the peer's IPv4 address (a firewall cluster's floating address).",
                   "10.199.1.1"),
    "peer_ipv6": F(Address(6), None, "svi only: the peer's IPv6 address.", "fd00:199:1::1"),
    "accept_default": F(Bool(), True, "Accept a default route from the peer (each family the handover carries).", True),
    "accept": F(List(Prefix(), unique=True), [], "Further prefixes accepted from the peer (exactly these).",
                ["192.0.2.0/24"]),
    "export_aggregates": F(Bool(), True, "Announce the VRF's aggregates to the peer.", True),
    "export_vips": F(Bool(), True, "Announce the VRF's exported MetalLB VIPs (tagged with fabric.communities.vip, "
                     "inside their pools) to the peer.", True),
}, "external VRF")

EXTERNAL_PEER = Obj({
    "name": F(Hostname, doc="Name of the peer (BGP description, handover file name).", example="fw1"),
    "kind": F(Enum("firewall", "router", "provider"), doc="What the peer is: a firewall cluster, a WAN/core router, a "
              "provider edge (managed cloud).", example="firewall"),
    "description": F(Str(), "", "Free text.", "perimeter firewall cluster"),
    "asn": F(Int(1, 4294967295), doc="AS of the peer.", example=65400),
    "attach": F(Enum("subinterface", "svi"), "subinterface",
                "How the border leaves reach the peer: a routed sub-interface per VRF on each link (a /31 each), or a "
                "VLAN and SVI per VRF on the border pair with the links as trunk ports (one peer address).", "svi"),
    "links": F(List(Obj({
        "leaf": F(Hostname, doc="Border leaf.", example="border01a"),
        "port": F(Str(), doc="Front-panel port of the leaf.", example="Ethernet47"),
    }, "link")), doc="Cables from the peer to border leaves, at most one per leaf.",
        example=[{"leaf": "border01a", "port": "Ethernet47"}, {"leaf": "border01b", "port": "Ethernet47"}]),
    "mtu": F(Int(576, 9216), 1500, "IP MTU of the handover interfaces.", 1500),
    "tcp_mss": F(Int(536, 9176), None, "TCP MSS clamp on the handover interfaces (SYNs both ways); name it when mtu is "
                 "below the host MTU of a VRF handed over and path MTU discovery cannot be relied on.", 1360),
    "bfd": F(Bool(), True, "BFD on the sessions (fabric.bfd timers).", True),
    "password_var": F(VarName, "", "Name of an Ansible variable (vault) with the session MD5 password; never the password.",
                      "dcnet_wan_bgp_password"),
    "vrfs": F(List(EXTERNAL_VRF, key="vrf"), doc="One BGP session per VRF and link.",
              example=[{"vrf": "prod", "vlan": 3101, "ipv4": "10.199.1.0/29"}]),
    "provider": F(Obj({
        "name": F(Str(), doc="Provider and service (title of the handover document).",
                  example="Swisscom Enterprise Service Cloud"),
        "contact": F(Str(), "", "Who takes the change request.", "esc-noc@example.net"),
        "reference": F(Str(), "", "Contract, order or circuit id.", "ESC-12345"),
        "dns_zones": F(List(DomainName, unique=True), [], "Zones the provider serves; the site forwards them to dns_servers.",
                       ["esc.example.net"]),
        "dns_servers": F(List(Address(), unique=True), [], "The provider's resolvers for dns_zones.", ["198.51.100.53"]),
    }), None, "A managed cloud or provider edge: who takes the handover (its name, contact, reference, DNS forwarding).",
        {"name": "Swisscom Enterprise Service Cloud", "contact": "esc-noc@example.net", "reference": "ESC-12345"}),
}, "external peer")

MODEL = Obj({
    "site": F(SITE, doc="The site."),
    "fabric": F(FABRIC, doc="Spine-leaf fabric."),
    "networks": F(List(NETWORK, key="name"), doc="Every network, defined once."),
    "bond_profiles": F(Map(BOND_PROFILE, "profile name", key=Name), {}, "Reusable bond settings."),
    "clusters": F(List(CLUSTER, key="name"), [], "Server clusters."),
    "waivers": F(List(WAIVER), [], "Accepted check findings."),
    "vms": F(List(VM, key="name"), [], "Virtual machines: the migration's inventory (import_vmware writes a draft).",
             [{"name": "shop-web01", "cluster": "vmw-prod", "application": "shop"}]),
    "segmentation": F(SEGMENTATION, {}, "East-west micro-segmentation of the VMs: application groups, allowed "
                      "flows, default deny between groups.", {"flows": [{"name": "web-to-db", "from": "shop-web",
                                                                        "to": "shop-db", "ports": ["5432"]}]}),
    "vrfs": F(List(VRF, key="name"), [], "Tenants: VRFs with an L3 VNI each; networks join one by networks[].vrf "
              "(docs/north_south.md).", [{"name": "prod", "id": 1}]),
    "external_peers": F(List(EXTERNAL_PEER, key="name"), [], "The way out: firewalls, WAN routers and provider edges "
                        "cabled to border leaves, one BGP session per VRF and link.",
                        [{"name": "fw1", "kind": "firewall", "asn": 65400,
                          "links": [{"leaf": "border01a", "port": "Ethernet47"}],
                          "vrfs": [{"vrf": "prod", "vlan": 3101, "ipv4": "10.199.1.0/29"}]}]),
    "waves": F(List(WAVE, key="name"), [], "Migration waves: which VMs move, when, to which target.",
               [{"name": "wave-01", "start": "2027-03-06", "target": {"cluster": "ove-prod"}, "applications": ["shop"]}]),
}, "model")

TOP_KEYS = tuple(MODEL.fields)
VAR_PREFIX = "dcnet_"
