"""Paths out of a tenant VRF: through the border pair to an external peer, and between VRFs (docs/path.md).

The site is examples/small, which has tenants and a border (group_vars/all/north_south.yml: VRF infra =
the OVE machine network mgmt, VRF prod = vm-web and vm-db, rack 1 the border pair with wan1 on a sub-interface
per VRF), the EVPN overlay and a second rack whose node ove-w3 is the source of flows that must cross the
spines to reach the border.
"""

import copy
import functools

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain, markdown

from tests.unit.switches.models import small
from .conftest import build

VM3 = "10.100.0.21,fd00:100::21@ove-w3"      # a VM on vm-web (VRF prod) on rack 2
VM1 = "10.100.0.22,fd00:100::22@ove-w1"      # a VM on vm-web on the border pair's rack


def raw_site(platform="frr", overlay="evpn_vxlan", second_rack=True):
    variables = small(platform, overlay=overlay, second_rack=second_rack)
    return {k[len("dcnet_"):]: v for k, v in variables.items()}


@functools.lru_cache(maxsize=None)
def _site(platform="frr", overlay="evpn_vxlan"):
    return build(raw_site(platform, overlay))


def site(platform="frr", overlay="evpn_vxlan"):
    return _site(platform, overlay)


def changed(edit, platform="frr"):
    raw = copy.deepcopy(raw_site(platform))
    edit(raw)
    return build(raw)


def path_of(result, direction="forward", family=4):
    return next(p for p in result["paths"] if p["direction"] == direction and p["family"] == family)


def kinds(path):
    return [h["kind"] for h in path["hops"]]


def hop(path, kind, n=0):
    return [h for h in path["hops"] if h["kind"] == kind][n]


def commands(h):
    return [c["command"] for c in h["verify"]]


def wan1_prod(raw):
    peer = next(p for p in raw["external_peers"] if p["name"] == "wan1")
    return peer, next(v for v in peer["vrfs"] if v["vrf"] == "prod")


# ------------------------------------------------------------------------------------ to an external prefix
def test_to_an_external_prefix_over_the_l3_vni_to_the_border():
    result = explain(*site(), VM3, "203.0.113.10")
    fwd = path_of(result)
    assert fwd["status"] == "complete" and fwd["reason"] is None
    assert kinds(fwd) == ["vm-nic", "ovn-localnet", "host-bridge", "bond", "leaf-ingress", "gateway", "vrf",
                          "l3vni-encap", "spine", "l3vni-decap", "vrf", "handover", "external"]
    # the source leaf looks the default route up in VRF prod: learned by EVPN type-5 from both border leaves
    lookup = hop(fwd, "vrf")
    assert lookup["device"] in ("leaf02a", "leaf02b")
    assert "0.0.0.0/0 (default route of wan1) learned by EVPN type-5 from leaf01a, leaf01b" in lookup["what"]
    assert "vtysh -c 'show ip route vrf prod 203.0.113.10'" in commands(lookup)
    # symmetric IRB: the L3 VNI of prod (50002), toward the border pair's VTEP; both border leaves a choice
    encap = hop(fwd, "l3vni-encap")
    assert "VXLAN, VNI 50002" in [h["name"] for h in encap["headers"]]
    assert "IPv4 (outer) 10.253.0.2 -> 10.253.0.1" in [h["name"] for h in encap["headers"]]
    assert encap["choice"]["candidates"] == ["spine1", "spine2"] and not encap["decided"]
    assert encap["ip_packet_bytes"] == 1500 + 50 and encap["mtu_left"] == 9216 - 1550
    spine = hop(fwd, "spine")
    assert spine["choice"]["kind"] == "ecmp" and spine["choice"]["candidates"] == ["leaf01a", "leaf01b"]
    assert spine["choice"]["chosen"] is None
    decap = hop(fwd, "l3vni-decap")
    assert decap["device"] == "leaf01a" and "into VRF prod" in decap["what"]
    assert "vtysh -c 'show evpn vni 50002'" in commands(decap)
    # the border's own route: from wan1 on the prod sub-interface, checked in BGP
    border = hop(fwd, "vrf", 1)
    assert "learned by eBGP from wan1 10.199.2.1 (AS 65500) on swp47.3102" in border["what"]
    bgp = next(c for c in border["verify"] if c["command"] == "vtysh -c 'show bgp vrf prod ipv4 unicast 0.0.0.0/0'")
    assert bgp["expect"] == "0.0.0.0/0: best path from 10.199.2.1, AS path 65500"
    # the handover: sub-interface, its 802.1Q VLAN, the handover MTU; then the peer, beyond which the model stops
    handover = hop(fwd, "handover")
    assert handover["interface"] == "swp47.3102" and handover["mtu"] == 1500 and handover["routed"]
    assert "802.1Q tag, VLAN 3102" in [h["name"] for h in handover["headers"]]
    assert "no TCP MSS clamp" in handover["what"]
    assert handover["model_path"] == "external_peers[wan1].links[0]"
    assert "vtysh -c 'show bgp vrf prod neighbors 10.199.2.1'" in commands(handover)
    last = fwd["hops"][-1]
    assert last["device"] == "wan1" and not last["decided"] and "beyond wan1 the path is outside the model" in last["what"]
    assert fwd["mtu"]["path_mtu"] == 1500 and fwd["mtu"]["fits"]
    assert "VNI 50002" in markdown(result)


def test_from_the_external_peer_back_to_the_vm():
    """The reverse direction starts at the peer holding the VRF's aggregate and enters at the border."""
    rev = path_of(explain(*site(), VM3, "203.0.113.10"), "reverse")
    assert rev["status"] == "complete"
    assert kinds(rev) == ["external", "handover", "vrf", "l3vni-encap", "spine", "l3vni-decap", "vrf", "leaf-egress",
                          "bond", "host-bridge", "ovn-localnet", "vm-nic"]
    first = rev["hops"][0]
    assert first["device"] == "wan1" and "aggregate 10.100.0.0/24" in first["what"]
    assert first["choice"]["candidates"] == ["wan1 -> leaf01a", "wan1 -> leaf01b"]
    assert "receives from wan1 10.199.2.1 on sub-interface swp47.3102" in rev["hops"][1]["what"]
    # the border routes by the host route of the VM over the L3 VNI (symmetric IRB), not by its own SVI
    assert "10.100.0.21/32 is a host route learned by EVPN" in rev["hops"][2]["what"]
    assert hop(rev, "l3vni-decap")["device"] == "leaf02a"
    assert "10.100.0.0/24 is connected (vlan100)" in hop(rev, "vrf", 1)["what"]
    assert rev["hops"][-1]["device"] == "VM on ove-w3"
    assert rev["mtu"]["sender_mtu"] == 1500 and rev["mtu"]["bottleneck"] == "leaf01a swp47.3102"


def test_external_ipv6_both_directions():
    result = explain(*site(), VM3, "2001:db8:1::10")
    fwd, rev = path_of(result, family=6), path_of(result, "reverse", family=6)
    assert fwd["status"] == rev["status"] == "complete"
    assert "::/0 (default route) learned by eBGP from wan1 fd00:199:2::1" in hop(fwd, "vrf", 1)["what"]
    assert hop(fwd, "handover")["interface"] == "swp47.3102"
    assert "IPv6 fd00:100::21 -> 2001:db8:1::10" in [h["name"] for h in hop(fwd, "l3vni-encap")["headers"]]
    assert "fd00:100::21/128 is a host route" in rev["hops"][2]["what"]
    assert fwd["mtu"]["ping"] == "ping -6 -M do -s 1452 2001:db8:1::10"
    assert [s["family"] for s in result["skipped"]] == [4]


def test_on_the_border_pair_the_exit_is_local():
    fwd = path_of(explain(*site(), VM1, "203.0.113.10"))
    assert fwd["status"] == "complete"
    assert kinds(fwd)[-4:] == ["gateway", "vrf", "handover", "external"] and "spine" not in kinds(fwd)


def test_a_named_prefix_wins_and_an_unrouted_one_names_the_missing_exit():
    def edit(raw):
        _peer, prod = wan1_prod(raw)
        prod.update(accept_default=False, accept=["203.0.113.0/24", "2001:db8:1::/48"])
    changed_site = changed(edit)
    fwd = path_of(explain(*changed_site, VM3, "203.0.113.10"))
    assert fwd["status"] == "complete" and "203.0.113.0/24 (accepted prefix of wan1)" in hop(fwd, "vrf")["what"]
    other = path_of(explain(*changed_site, VM3, "198.51.100.7"))
    assert other["status"] == "no-exit" and other["hops"][-1]["kind"] == "drop"
    assert ("no external session of VRF prod brings a route to 198.51.100.7: external_peers[wan1].vrfs[prod] has "
            "accept_default false and no IPv4 accept prefix holding it") in other["reason"]


@pytest.mark.parametrize("edit, missing", [
    (lambda raw: wan1_prod(raw)[0]["vrfs"].remove(wan1_prod(raw)[1]),
     "VRF prod has no exit: no external peer has a session in it"),
    (lambda raw: wan1_prod(raw)[1].update(ipv6=None),
     "VRF prod has no IPv6 exit: its external sessions (external_peers[wan1].vrfs[prod]) have no IPv6 transfer prefix"),
])
def test_a_vrf_without_an_exit_says_which(edit, missing):
    result = explain(*changed(edit), VM3, "2001:db8:1::10")
    fwd = path_of(result, family=6)
    assert fwd["status"] == "no-exit" and missing in fwd["reason"]
    assert fwd["hops"][-1]["kind"] == "drop" and fwd["hops"][-1]["device"] in ("leaf02a", "leaf02b")


def test_without_the_overlay_a_vrf_does_not_cross_the_spines():
    fwd = path_of(explain(*site(overlay="none"), VM3, "203.0.113.10"))
    assert fwd["status"] == "no-route" and "without the EVPN overlay a VRF does not cross the spines" in fwd["reason"]


# ------------------------------------------------------------------------------------------- between VRFs
@pytest.mark.parametrize("family", [4, 6])
def test_between_vrfs_through_the_peer_both_directions(family):
    """prod (a VM) to infra (a node's machine-network address): out by wan1's prod session, back in by its infra one."""
    result = explain(*site(), VM3, "ove-w1")
    fwd, rev = path_of(result, family=family), path_of(result, "reverse", family=family)
    assert fwd["status"] == rev["status"] == "complete"
    assert kinds(fwd)[5:] == ["gateway", "vrf", "l3vni-encap", "spine", "l3vni-decap", "vrf", "handover", "external",
                              "handover", "vrf", "leaf-egress", "bond", "host-interface"]
    out, back = hop(fwd, "handover"), hop(fwd, "handover", 1)
    assert (out["interface"], back["interface"]) == ("swp47.3102", "swp47.3101")
    assert "into VRF infra" in back["what"]
    peer = hop(fwd, "external")
    aggregate = "10.10.10.0/24" if family == 4 else "fd00:10::/64"
    assert f"back into VRF infra by the aggregate {aggregate}" in peer["what"]
    assert peer["choice"]["candidates"] == ["leaf01a", "leaf01b"]
    assert "connected (vlan10)" in hop(fwd, "vrf", 2)["what"]
    assert any("between VRFs prod and infra the packet leaves the fabric" in n for n in fwd["notes"])
    # the reply: out of infra at the border itself, back into prod, then over prod's L3 VNI to rack 2
    assert kinds(rev)[3:9] == ["gateway", "vrf", "handover", "external", "handover", "vrf"]
    assert [h["interface"] for h in rev["hops"] if h["kind"] == "handover"] == ["swp47.3101", "swp47.3102"]
    assert hop(rev, "l3vni-encap")["device"] == "leaf01a" and hop(rev, "l3vni-decap")["device"] == "leaf02a"


def test_a_leak_is_shown_instead_of_the_detour():
    def edit(raw):
        next(v for v in raw["vrfs"] if v["name"] == "prod")["leak_from"] = ["infra"]
    fwd = path_of(explain(*changed(edit), VM3, "ove-w1"))
    assert fwd["status"] == "complete"
    assert "handover" not in kinds(fwd) and "external" not in kinds(fwd)
    leak = hop(fwd, "leak")
    assert "10.10.10.0/24 of VRF infra is leaked into VRF prod" in leak["what"] and "50001:50001" in leak["what"]
    assert leak["model_path"] == "vrfs[prod].leak_from"
    # then in infra: the host route of ove-w1 over infra's L3 VNI (50001) to the border pair
    assert "VXLAN, VNI 50001" in [h["name"] for h in hop(fwd, "l3vni-encap")["headers"]]


def test_the_other_vrf_exporting_nothing_is_named():
    def edit(raw):
        peer, _prod = wan1_prod(raw)
        next(v for v in peer["vrfs"] if v["vrf"] == "infra")["export_aggregates"] = False
    fwd = path_of(explain(*changed(edit), VM3, "ove-w1"))
    assert fwd["status"] == "no-exit" and fwd["hops"][-1]["kind"] == "external"
    assert "VRF infra announces no route holding 10.10.10.11" in fwd["reason"]


# --------------------------------------------------------------------------------------- MSS clamp per platform
@pytest.mark.parametrize("platform, text, command", [
    ("frr", "TCP SYNs crossing it get their MSS clamped to 1360", "iptables -t mangle -S FORWARD"),
    ("eos", "TCP SYNs crossing it get their MSS clamped to 1360", "show running-config interfaces Ethernet47.3102"),
    ("nxos", "the MSS clamp to 1360 is wan1's task", "show running-config interface Ethernet1/47.3102"),
])
def test_the_handover_names_its_mss_clamp(platform, text, command):
    def edit(raw):
        wan1_prod(raw)[0]["tcp_mss"] = 1360
    fwd = path_of(explain(*changed(edit, platform), VM3, "203.0.113.10"))
    handover = hop(fwd, "handover")
    assert text in handover["what"]
    check = next(c for c in handover["verify"] if c["command"] == command)
    assert "1360" in check["expect"]


def test_an_svi_handover_on_a_trunk():
    def edit(raw):
        wan1_prod(raw)[0]["attach"] = "svi"
    fwd = path_of(explain(*changed(edit), VM3, "203.0.113.10"))
    handover = hop(fwd, "handover")
    assert handover["interface"] == "vlan3102" and "SVI vlan3102 (VLAN 3102, tagged on the trunk swp47)" in handover["what"]
    # the peer's address on the shared transfer prefix: its first host (10.199.2.0/29 -> .1), the leaves .2 and .3
    assert "learned by eBGP from wan1 10.199.2.1" in hop(fwd, "vrf", 1)["what"]
    assert "802.1Q tag, VLAN 3102" in [h["name"] for h in handover["headers"]]


def test_the_longest_route_of_all_peers_wins():
    """A firewall accepting 203.0.113.0/24 beside wan1's default route: VRF prod leaves by the firewall for it."""
    def edit(raw):
        raw["external_peers"].append({
            "name": "fw1", "kind": "firewall", "asn": 65510, "attach": "subinterface", "mtu": 1500,
            "links": [{"leaf": "leaf01a", "port": "swp48"}, {"leaf": "leaf01b", "port": "swp48"}],
            "vrfs": [{"vrf": "prod", "vlan": 3202, "ipv4": "10.198.2.0/29", "accept_default": False,
                      "accept": ["203.0.113.0/24"]}]})
    changed_site = changed(edit)
    fwd = path_of(explain(*changed_site, VM3, "203.0.113.10"))
    assert fwd["status"] == "complete" and fwd["hops"][-1]["device"] == "fw1"
    assert "203.0.113.0/24 (accepted prefix of fw1)" in hop(fwd, "vrf")["what"]
    assert hop(fwd, "handover")["interface"] == "swp48.3202"
    elsewhere = path_of(explain(*changed_site, VM3, "198.51.100.7"))
    assert elsewhere["hops"][-1]["device"] == "wan1" and "0.0.0.0/0 (default route of wan1)" in hop(elsewhere, "vrf")["what"]
    # the replies come from the peer behind their source: fw1 for 203.0.113.10, wan1 for the rest
    back = path_of(explain(*changed_site, VM3, "203.0.113.10"), "reverse")
    assert back["hops"][0]["device"] == "fw1" and back["hops"][1]["interface"] == "swp48.3202"
    assert path_of(explain(*changed_site, VM3, "198.51.100.7"), "reverse")["hops"][0]["device"] == "wan1"


def test_a_vip_of_another_vrf_through_the_peer():
    """The MetalLB VIPs are in VRF infra (their speakers peer on mgmt): from prod they are reached by wan1, which
    learned the exported pool from the border."""
    fwd = path_of(explain(*site(), VM3, "10.40.0.5"))
    assert fwd["status"] == "complete"
    assert kinds(fwd)[-5:] == ["handover", "external", "handover", "vrf", "vip"]
    assert "back into VRF infra by the VIP pool 10.40.0.0/26" in hop(fwd, "external")["what"]
    assert "learned from the MetalLB speakers of ove-small" in hop(fwd, "vrf", 2)["what"]


def test_a_handover_below_the_host_mtu_is_the_routed_bottleneck():
    """Handover MTU 1400 under 1500-byte VM networks: the path MTU is the handover's, a larger packet gets ICMP too big
    from the border leaf (a routed hop, not a silent drop), and TCP fits by the MSS clamp."""
    def edit(raw):
        wan1_prod(raw)[0].update(mtu=1400, tcp_mss=1360)
    fwd = path_of(explain(*changed(edit), VM3, "203.0.113.10"))
    mtu = fwd["mtu"]
    assert (mtu["path_mtu"], mtu["bottleneck"]) == (1400, "leaf01a swp47.3102")
    assert not mtu["fits"] and not mtu["silent_drop"]
    assert mtu["ping"] == "ping -M do -s 1372 203.0.113.10"
    assert hop(fwd, "handover")["mtu_left"] == -100
    assert any("TCP fits by the MSS clamp (1360)" in n for n in fwd["notes"])
