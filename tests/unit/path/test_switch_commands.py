"""The switch verification commands of the path explainer, held to the vendors' command forms.

REFERENCE lists, per switch platform, every command form the explainer may emit and where it was
checked (docs/path.md, "Verification commands"): an emitted command that matches none of them fails,
so a new command cannot slip in unchecked.
"""

import re

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import platforms
from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain
from ansible_collections.dcnet.fabric.plugins.module_utils.path import cli_common

from tests.unit.switches.models import small

from .conftest import build, example_raw

IP = r"[0-9a-f.:]+"
PREFIX = r"[0-9a-f.:]+(/\d+)?"
ANTA = "aristanetworks/anta test commands"
EOS_LABS = "EOS output in public lab write-ups"
GENIE = "CiscoTestAutomation/genieparser nxos parsers and golden outputs"
N9K_GUIDE = "Nexus 9000 Unicast Routing Configuration Guide, Managing the Unicast RIB and FIB"
REFERENCE = {
    "eos": [
        (r"show port-channel \d+ detailed", EOS_LABS),
        (r"show interfaces Ethernet\d+ status", ANTA),
        (r"show mlag interfaces \d+", EOS_LABS),
        (r"show mac address-table vlan \d+", EOS_LABS),
        (r"show ip virtual-router", ANTA),
        (r"show ipv6 virtual-router", EOS_LABS),
        (rf"show ip arp( \| include {IP})?", EOS_LABS),
        (rf"show ipv6 neighbors( \| include {IP})?", EOS_LABS),
        (rf"show ip(v6)? route( vrf \S+)? {PREFIX}", ANTA),
        (r"show vxlan vtep", ANTA),
        (r"show vxlan address-table vlan \d+", EOS_LABS),
        (rf"show bgp evpn route-type mac-ip {IP} vni \d+", ANTA),
        (r"show interfaces Vxlan1", EOS_LABS),
        (r"show interfaces (Ethernet|Port-Channel)\d+( counters)?", ANTA),
        (r"show interfaces Ethernet\d+\.\d+", EOS_LABS),                       # "IP MTU <n> bytes"
        (r"show running-config interfaces Ethernet\d+\.\d+", EOS_LABS),
        (rf"show bgp neighbors {IP} vrf \S+", ANTA),
        (r"show ip(v6)? bgp vrf \S+", EOS_LABS),
        (rf"show bgp evpn route-type ip-prefix {PREFIX}", EOS_LABS),
    ],
    "nxos": [
        (r"show port-channel summary", GENIE),
        (r"show vpc", GENIE),
        (r"show interface Ethernet1/\d+ switchport", GENIE),
        (r"show mac address-table vlan \d+", GENIE),
        (r"show hsrp all", GENIE),
        (r"show running-config interface Vlan\d+", GENIE),
        (rf"show ip arp( \| include {IP})?", GENIE),
        (rf"show ipv6 neighbor( \| include {IP})?", GENIE),
        (rf"show ip(v6)? route {PREFIX}( vrf \S+)?", GENIE),
        (r"show nve peers", GENIE),
        (r"show nve vni \d+", GENIE),
        (r"show l2route evpn mac all", GENIE),
        (r"show interface (Ethernet1/|port-channel)\d+( counters)?", GENIE),
        (rf"show routing hash {IP} {IP}( \d+ \d+)?( vrf \S+)?", N9K_GUIDE),
        (r"show interface Ethernet1/\d+\.\d+", GENIE),                          # "Encapsulation 802.1Q Virtual LAN"
        (r"show running-config interface Ethernet1/\d+\.\d+", GENIE),
        (rf"show bgp vrf \S+ ipv(4|6) unicast {PREFIX}", GENIE),
        (rf"show bgp vrf \S+ ipv(4|6) unicast neighbors {IP}", GENIE),
    ],
}


def all_switch_commands(site, flows):
    seen = []
    for src, dst, flow in flows:
        for path in explain(*site, src, dst, flow=flow)["paths"]:
            for hop in path["hops"]:
                if hop["platform"] in REFERENCE:
                    seen += [(hop["platform"], hop["kind"], c) for c in hop["verify"]]
    return seen


DC1_FLOWS = [("10.64.0.11@w001", "10.64.100.12@w120", None),      # routed + VXLAN, EOS and NX-OS leaves
             ("w120", "azl-a-n01", "tcp/443"),                     # routed over the underlay from NX-OS
             ("w001", "azl-a-n01", "udp/40000/53"),                # routed over the underlay from EOS
             ("w001", "w002", None), ("w001", "w120", "icmp"),     # within a rack; bridged over VXLAN
             ("w120", "203.0.113.0/24", None)]                     # no exit: the drop


PORT_NAMES = {"nxos": ":Ethernet1/", "eos": ":Ethernet"}


def small_on(platform):
    """examples/small on another switch platform: one leaf pair, no overlay (on NX-OS the gateway is HSRP), and
    Azure Local adapters on unbundled leaf ports."""
    raw = example_raw("small")
    raw["fabric"]["platform"] = platform
    for cluster in raw["clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {nic: cable.replace(":swp", PORT_NAMES[platform]) for nic, cable in node["nics"].items()}
    for peer in raw.get("external_peers", []):
        for link in peer["links"]:
            link["port"] = PORT_NAMES[platform][1:] + link["port"][len("swp"):]
    return build(raw)


def nxos_small():
    return small_on("nxos")


def north_south_on(platform):
    """small with tenants, a border pair and the overlay (tests/unit/switches/models.py), wan1 clamping the MSS."""
    variables = small(platform, overlay="evpn_vxlan", second_rack=True)
    raw = {k[len("dcnet_"):]: v for k, v in variables.items()}
    raw["external_peers"][0]["tcp_mss"] = 1360
    return build(raw)


# out of a VRF over the L3 VNI to the border and back (v4 and v6), between VRFs (host routes), local exit
NORTH_SOUTH_FLOWS = [("10.100.0.21,fd00:100::21@ove-w3", "203.0.113.10", None),
                     ("10.100.0.21,fd00:100::21@ove-w3", "2001:db8::10", None),
                     ("10.100.0.21,fd00:100::21@ove-w3", "ove-w1", None)]


def test_every_eos_and_nxos_command_is_a_checked_form(dc1_flat):
    small_flows = [("vm-web@ove-w1", "vm-db@ove-w2", None), ("ove-w1", "192.0.2.10", None), ("azl-n1", "ove-w1", None)]
    seen = (all_switch_commands(dc1_flat, DC1_FLOWS) + all_switch_commands(nxos_small(), small_flows)
            + all_switch_commands(small_on("eos"), small_flows)
            + all_switch_commands(north_south_on("eos"), NORTH_SOUTH_FLOWS)
            + all_switch_commands(north_south_on("nxos"), NORTH_SOUTH_FLOWS))
    assert {p for p, _k, _c in seen} == {"eos", "nxos"}
    unchecked = [(p, k, c["command"]) for p, k, c in seen
                 if not any(re.fullmatch(form, c["command"]) for form, _src in REFERENCE[p])]
    assert unchecked == []
    # and every form is used by some flow (no stale entries in the table)
    unused = [(p, form) for p, forms in REFERENCE.items() for form, _src in forms
              if not any(q == p and re.fullmatch(form, c["command"]) for q, _k, c in seen)]
    assert unused == []


def test_nxos_tables_name_ports_as_nxos_prints_them(dc1_flat):
    hops = [h for p in explain(*dc1_flat, "10.64.100.12@w120", "10.64.0.11@w001")["paths"] for h in p["hops"]
            if p["direction"] == "forward" and p["family"] == 4]
    ingress = next(h for h in hops if h["kind"] == "leaf-ingress")
    assert ingress["platform"] == "nxos"
    # w120's VM bond (dedicated layout: ens2f0/ens2f1) is vPC 31 on Ethernet1/31
    summary = next(c for c in ingress["verify"] if c["command"] == "show port-channel summary")
    assert "Po31(SU)" in summary["expect"] and "Eth1/31(P)" in summary["expect"]
    vpc = next(c for c in ingress["verify"] if c["command"] == "show vpc")
    assert "id 31, port Po31, status up, consistency success" in vpc["expect"]
    gateway = next(h for h in hops if h["kind"] == "gateway")
    assert gateway["verify"][0]["command"] == "show running-config interface Vlan200"
    assert "ip address 10.64.100.1/24 and fabric forwarding mode anycast-gateway" in gateway["verify"][0]["expect"]
    encap = next(h for h in hops if h["kind"] == "vxlan-encap")
    assert [c["command"] for c in encap["verify"]] == ["show nve peers", "show nve vni 10100", "show l2route evpn mac all"]
    assert "Type L2 [100]" in encap["verify"][1]["expect"]


def test_nxos_gateway_without_overlay_is_hsrp():
    site = nxos_small()
    hops = explain(*site, "vm-web@ove-w1", "vm-db@ove-w2")["paths"][0]["hops"]
    gateway = next(h for h in hops if h["kind"] == "gateway")
    assert gateway["verify"][0]["command"] == "show hsrp all"
    assert "Vlan100 - Group 100 (IPv4)" in gateway["verify"][0]["expect"]
    mac = site[0].fabric["anycast_gateway_mac"].replace(":", "")           # the fabric's, as NX-OS prints it
    assert f"Virtual mac address is {mac[0:4]}.{mac[4:8]}.{mac[8:12]}" in gateway["verify"][0]["expect"]


def test_nxos_routing_hash_only_where_the_hashed_header_is_known(dc1_flat):
    fwd = next(p for p in explain(*dc1_flat, "w120", "azl-a-n01", flow="tcp/443")["paths"]
               if p["direction"] == "forward" and p["family"] == 4)
    uplink = next(h for h in fwd["hops"] if h["kind"] == "uplink")
    assert uplink["platform"] == "nxos"
    hashed = [c for c in uplink["verify"] if c["command"].startswith("show routing hash")]
    src, dst = fwd["flow"]["src_ip"], fwd["flow"]["dst_ip"]
    assert [c["command"] for c in hashed] == [f"show routing hash {src} {dst} 49152 443"]
    assert all(c in hashed[0]["expect"] for c in uplink["choice"]["candidates"])
    # ICMP: no ports
    icmp = next(p for p in explain(*dc1_flat, "w120", "azl-a-n01", flow="icmp")["paths"] if p["family"] == 4)
    cmds = [c["command"] for h in icmp["hops"] if h["kind"] == "uplink" for c in h["verify"]]
    assert f"show routing hash {src} {dst}" in cmds
    # IPv6: the command's IPv6 form is not confirmed, so none is given
    v6 = next(p for p in explain(*dc1_flat, "w120", "azl-a-n01", flow="tcp/443")["paths"] if p["family"] == 6)
    assert not [c for h in v6["hops"] for c in h["verify"] if "routing hash" in c["command"]]
    # VXLAN: the outer UDP source port is the leaf's hash of the inner frame, unknown: none either
    vx = next(p for p in explain(*dc1_flat, "w120", "w001")["paths"] if p["family"] == 4)
    assert not [c for h in vx["hops"] for c in h["verify"] if "routing hash" in c["command"]]


def test_eos_prints_macs_dotted_and_names_the_vtep_source(raw_dc1):
    raw_dc1["vms"] = [
        {"name": "a", "cluster": "ove-prod", "nics": [{"name": "eth0", "network": "vm-100", "mac": "00:50:56:aa:00:01",
                                                       "ipv4": ["10.64.0.21"]}]},
        {"name": "b", "cluster": "ove-prod", "nics": [{"name": "eth0", "network": "vm-100", "mac": "00:50:56:aa:00:02",
                                                       "ipv4": ["10.64.0.31"]}]}]
    path = explain(*build(raw_dc1), "b@w120", "a@w001")["paths"][0]
    encap = next(h for h in path["hops"] if h["kind"] == "vxlan-encap")
    assert "0050.56aa.0001" in encap["verify"][2]["expect"]          # NX-OS l2route table, dotted
    decap = next(h for h in path["hops"] if h["kind"] == "vxlan-decap")
    assert decap["platform"] == "eos"
    assert decap["verify"][0]["command"] == "show interfaces Vxlan1"
    assert "Source interface is Loopback1" in decap["verify"][0]["expect"]
    assert "[100, 10100]" in decap["verify"][0]["expect"]
    egress = next(h for h in path["hops"] if h["kind"] == "leaf-egress")
    assert "the destination MAC 0050.56aa.0001 on Po1" in egress["verify"][0]["expect"]


def test_every_platform_row_names_a_commands_module_with_every_hop_kind():
    """A row's ``verify_cli`` names a module under path/ that checks every switch hop kind."""
    missing = [(name, function) for name in platforms.names() for function in sorted(set(cli_common.KINDS.values()))
               if not hasattr(cli_common.module(name), function)]
    assert missing == []


def test_a_platform_without_a_module_has_no_commands():
    assert cli_common.commands("leaf-ingress", "no-such-platform", {}) == []
    assert cli_common.commands("bond", "eos", {}) is None       # not a switch hop kind


@pytest.mark.parametrize("platform", sorted(REFERENCE))
def test_no_placeholder_where_the_model_knows_the_value(dc1, platform):
    """With addresses given, the switch commands carry them: no '<source>' / '<destination>' left."""
    seen = [c for p, _k, c in all_switch_commands(dc1, DC1_FLOWS[:2]) if p == platform]
    assert seen and not [c for c in seen if "<" in c["command"]]
