"""Unit tables of the ASN, MTU and VLAN engines."""

from __future__ import annotations

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import asn as S
from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as M
from ansible_collections.dcnet.fabric.plugins.module_utils import vlans as V

from .test_addressing import fails


def test_validate_and_formats():
    assert S.validate_asn(65001) == 65001
    assert S.validate_asn("1.10") == 65546
    assert S.validate_asn(" 4200000000 ") == 4200000000
    for bad, reason in [(0, "RFC 7607"), (23456, "AS_TRANS"), (65535, "RFC 7300"), (4294967295, "RFC 7300"),
                        (4294967296, "out of range"), (-1, "out of range"), ("AS1", "not an AS number"),
                        (True, "must be an AS number"), (1.5, "must be an AS number"), ("1.70000", "asdot")]:
        fails(S.validate_asn, bad, arg="asn", value=bad, reason=reason)
    assert S.to_asdot(65546) == "1.10" and S.to_asdot(65001) == "65001" and S.to_asdot("4200000000") == "64086.59904"
    assert S.to_asplain("1.10") == 65546 and S.to_asplain("0.65001") == 65001 and S.to_asplain(7) == 7
    fails(S.to_asplain, "1.2.3", arg="value", value="1.2.3", reason="not an AS number")
    fails(S.to_asdot, 0, arg="asn", value=0, reason="reserved")


@pytest.mark.parametrize("asn,private", [(64511, False), (64512, True), (65534, True), (13335, False),
                                         (4199999999, False), (4200000000, True), (4294967294, True),
                                         ("64086.59904", True)])
def test_is_private(asn, private):
    assert S.is_private_asn(asn) is private


def test_asn_for():
    assert S.asn_for(65010, 0) == 65010
    assert S.asn_for(65010, 3) == 65013
    assert S.asn_for("65010", "3", "2") == 65016
    assert S.asn_for(4200000000, 2, 10) == 4200000020
    assert S.asn_for(65000, 534) == 65534
    fails(S.asn_for, 65000, 535, arg="id", value=535, reason="past the end of the private range 64512-65534")
    fails(S.asn_for, 4294967290, 5, arg="id", value=5, reason="private range")
    fails(S.asn_for, 23000, 456, arg="id", value=456, reason="AS_TRANS")
    fails(S.asn_for, 65000, -1, arg="id", value=-1, reason=">= 0")
    fails(S.asn_for, 65000, 1, 0, arg="step", value=0, reason=">= 1")
    fails(S.asn_for, 0, 1, arg="base", value=0, reason="reserved")


def test_overheads():
    assert (M.VXLAN_OVERHEAD, M.GENEVE_OVERHEAD, M.OVN_K_OVERHEAD, M.IPSEC_OVERHEAD) == (50, 50, 100, 46)
    assert M.overlay_overhead("none") == 0
    assert M.overlay_overhead("none", ipsec=True) == 46
    assert M.overlay_overhead("vxlan", 6) == 70
    assert M.overlay_overhead("geneve", 4, geneve_options=8) == 58
    assert M.overlay_overhead("geneve", 6, True, 4) == 120
    assert M.overlay_overhead("ovn-k", 6) == 100
    assert M.overlay_overhead("ovn-k", ipsec=True) == 146
    fails(M.overlay_overhead, "gre", arg="overlay", value="gre", reason="one of none, vxlan, geneve, ovn-k")
    fails(M.overlay_overhead, "vxlan", 5, arg="underlay_family", value=5, reason="4 or 6")
    fails(M.overlay_overhead, "vxlan", 4, "yes", arg="ipsec", value="yes", reason="true or false")
    fails(M.overlay_overhead, "geneve", 4, False, 6, arg="geneve_options", value=6, reason="multiple of 4")
    fails(M.overlay_overhead, "vxlan", 4, False, 8, arg="geneve_options", value=8, reason="only applies")
    fails(M.overlay_overhead, "geneve", 4, False, 256, arg="geneve_options", value=256, reason="<= 252")


def test_inner_mtu_and_frames():
    assert M.inner_mtu(9000, "vxlan") == 8950
    assert M.inner_mtu(9000, "vxlan", 6) == 8930
    assert M.inner_mtu(1500, "ovn-k") == 1400
    assert M.inner_mtu(1500, "ovn-k", ipsec=True) == 1354
    assert M.inner_mtu("9000", "none") == 9000
    fails(M.inner_mtu, 100, "ovn-k", arg="mtu", value=100, reason="below the minimum MTU 68")
    fails(M.inner_mtu, 1200, "vxlan", 6, arg="mtu", value=1200, reason="IPv6 minimum MTU 1280")
    fails(M.inner_mtu, 70000, "vxlan", arg="mtu", value=70000, reason="<= 65535")
    assert M.frame_size(1500, 0) == 1514 and M.frame_size(1500) == 1518 and M.frame_size(1500, 2) == 1522
    assert M.frame_size(9000, 1, True) == 9022
    fails(M.frame_size, 1500, 3, arg="vlan_tags", value=3, reason="<= 2")


def test_path_mtu():
    hops = [{"name": "a", "mtu": 9000}, {"name": "b", "mtu": 1500, "role": "x"}, {"name": "c", "mtu": 1500}]
    assert M.path_mtu(hops) == {"mtu": 1500, "bottleneck": "b", "hops": 3}
    assert M.path_mtu([{"name": "only", "mtu": "9216"}]) == {"mtu": 9216, "bottleneck": "only", "hops": 1}
    fails(M.path_mtu, [], arg="hops", value=[], reason="is empty")
    fails(M.path_mtu, [{"name": "a"}], arg="hops[0].mtu", value=None, reason="missing on hop a")
    fails(M.path_mtu, [{"name": "a", "mtu": 9000}, {"mtu": 1}], arg="hops[1].name", value=None, reason="non-empty")
    fails(M.path_mtu, [{"name": "a", "mtu": 10}], arg="hops[0].mtu", value=10, reason=">= 68")
    fails(M.path_mtu, ["a"], arg="hops[0]", value="a", reason="mapping")


@pytest.mark.parametrize("spec,want", [
    ("10-12,20", [10, 11, 12, 20]), ("20, 10 - 12", [10, 11, 12, 20]), (7, [7]), ("", []),
    ([711, "100-101", 10, 10], [10, 100, 101, 711]), ("1-4094", list(range(1, 4095))), ("5-5", [5]),
])
def test_expand(spec, want):
    assert V.expand_vlans(spec) == want


def test_vlan_errors():
    fails(V.expand_vlans, "10-4095", arg="spec", value="10-4095", reason="outside the VLAN range 1..4094")
    fails(V.expand_vlans, "0", arg="spec", value="0", reason="outside")
    fails(V.expand_vlans, "12-10", arg="spec", value="12-10", reason="reversed range '12-10'")
    fails(V.expand_vlans, "10,,12", arg="spec", value="10,,12", reason="bad element ''")
    fails(V.expand_vlans, "10;12", arg="spec", value="10;12", reason="bad element")
    fails(V.expand_vlans, [10, None], arg="spec[1]", value=None, reason="not a VLAN id")
    fails(V.expand_vlans, {"a": 1}, arg="spec", value={"a": 1}, reason="must be a string")
    fails(V.expand_vlans, True, arg="spec", value=True, reason="not a VLAN")
    fails(V.compress_vlans, [0, 10], arg="ids[0]", value=0, reason="outside")
    fails(V.validate_vlan, 4095, arg="vid", value=4095, reason="outside")
    assert V.validate_vlan("4094") == 4094


@pytest.mark.parametrize("ids,want", [([20, 12, 10, 11], "10-12,20"), ([], ""), ([5], "5"), ([5, 6], "5-6"),
                                      ("1,3,2,4094", "1-3,4094")])
def test_compress(ids, want):
    assert V.compress_vlans(ids) == want
