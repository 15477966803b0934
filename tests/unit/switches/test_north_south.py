"""Tenants (VRFs) and the border of examples/small on the three platforms: the design and the rendered lines.

small has two VRFs (infra: the OVE machine network and its VIPs; prod: the VM networks) and a border pair
(rack 1) with a WAN router on a sub-interface per VRF. Without an overlay each leaf routes its VRFs
locally; with `fabric.overlay: evpn_vxlan` every VRF gets its L3 VNI (symmetric IRB, EVPN type 5).
The edge policy is evaluated route by route with the same evaluator the edge rules use.
"""

from __future__ import annotations

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.checks.edge import _Policy

from . import models

PLATFORMS = ("frr", "eos", "nxos")
_BUILDS = {}


def _build(platform, overlay=None):
    key = (platform, overlay)
    if key not in _BUILDS:
        result = models.build(models.small(platform, overlay=overlay))
        assert not models.errors(result), models.errors(result)[:3]
        _BUILDS[key] = result
    return _BUILDS[key]


def _leaf(platform, overlay=None, name="leaf01a"):
    result = _build(platform, overlay)
    return result["design"]["switches"][name], models.switch_files(result)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_svis_sit_in_their_vrf_and_the_default_vrf_carries_only_the_underlay(platform):
    cfg, _files = _leaf(platform)
    vrf_of = {v["name"]: v["svi"]["vrf"] for v in cfg["vlans"] if v["svi"]}
    assert vrf_of == {"mgmt": "infra", "vm-web": "prod", "vm-db": "prod"}
    underlay = {pl["name"]: [e["prefix"] for e in pl["entries"]] for pl in cfg["prefix_lists"]}
    for name in ("PL-FABRIC-V4", "PL-CONNECTED-V4", "PL-FABRIC-V6", "PL-CONNECTED-V6"):
        assert all(p.startswith(("10.255.", "fd00:255:")) for p in underlay[name]), (name, underlay[name])
    assert [v["name"] for v in cfg["bgp"]["vrfs"]] == ["infra", "prod"]
    default_neighbors = {n["kind"] for n in cfg["bgp"]["neighbors"] if not n["vrf"]}
    assert default_neighbors <= {"underlay", "mlag"}


def test_svi_vrf_membership_on_every_platform():
    _c, frr = _leaf("frr")
    assert "iface vlan100\n    alias vm-web\n    vlan-raw-device bridge\n    vlan-id 100\n    mtu 1500\n    vrf prod\n" \
        in frr["leaf01a.interfaces"]
    assert "auto prod\niface prod\n    vrf-table auto" in frr["leaf01a.interfaces"]
    _c, eos = _leaf("eos")
    assert "interface Vlan100\n   description vm-web\n   vrf prod\n" in eos["leaf01a.cfg"]
    assert "vrf instance prod\n" in eos["leaf01a.cfg"] and "ip routing vrf prod\n" in eos["leaf01a.cfg"]
    _c, nxos = _leaf("nxos")
    assert "interface Vlan100\n  description vm-web\n  no shutdown\n  vrf member prod\n" in nxos["leaf01a.cfg"]
    assert "vrf context prod\n" in nxos["leaf01a.cfg"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_l3vni_per_vrf_with_the_overlay(platform):
    cfg, files = _leaf(platform, "evpn_vxlan")
    vrfs = {v["name"]: v for v in cfg["vrfs"]}
    assert {n: (v["l3vni"], v["vlan"]) for n, v in vrfs.items()} == {"infra": (50001, 3001), "prod": (50002, 3002)}
    assert vrfs["prod"]["route_targets"] == {"import": ["50002:50002"], "export": ["50002:50002"]}
    assert all(v["evpn"] for v in cfg["bgp"]["vrfs"])
    text = files["leaf01a.cfg"]
    if platform == "frr":
        assert "vrf prod\n vni 50002\nexit-vrf" in text
        assert "  advertise ipv4 unicast\n  advertise ipv6 unicast\n" in text
        assert "  route-target import 50002:50002\n" in text
        interfaces = files["leaf01a.interfaces"]
        assert "vxlan-id 50002" in interfaces and "bridge-access 3002" in interfaces
    elif platform == "eos":
        assert "   vxlan vrf prod vni 50002\n" in text
        assert "   vrf prod\n      rd 10.255.0.65:3002\n      route-target import evpn 50002:50002\n" in text
    else:
        assert "  member vni 50002 associate-vrf\n" in text
        assert "vrf context prod\n  vni 50002\n" in text and "    route-target import 50002:50002 evpn\n" in text
        assert "vlan 3002\n  name prod-l3vni\n  vn-segment 50002\n" in text


def test_without_the_overlay_a_vrf_has_no_l3vni():
    cfg, _files = _leaf("frr")
    assert all(v["l3vni"] is None for v in cfg["vrfs"])
    assert not any(v["evpn"] for v in cfg["bgp"]["vrfs"])


@pytest.mark.parametrize("platform", PLATFORMS)
def test_border_sessions_per_vrf_and_family_on_their_sub_interfaces(platform):
    cfg, _files = _leaf(platform)
    ext = sorted((n["vrf"], n["family"], n["ip"]) for n in cfg["bgp"]["neighbors"] if n["kind"] == "external")
    assert ext == [("infra", 4, "10.199.1.1"), ("infra", 6, "fd00:199:1::1"),
                   ("prod", 4, "10.199.2.1"), ("prod", 6, "fd00:199:2::1")]
    subs = {i["name"].rsplit(".", 1)[1]: (i["vrf"], i["ipv4"], i["ipv6"], i["mtu"]) for i in cfg["external_interfaces"]}
    assert subs == {"3101": ("infra", "10.199.1.0/31", "fd00:199:1::/127", 1500),
                    "3102": ("prod", "10.199.2.0/31", "fd00:199:2::/127", 1500)}
    other, _f = _leaf(platform, name="leaf01b")
    assert sorted(i["ipv4"] for i in other["external_interfaces"]) == ["10.199.1.2/31", "10.199.2.2/31"]
    group = next(g for g in cfg["bgp"]["peer_groups"] if g["name"] == "EXT-WAN1")
    assert (group["remote_as"], group["bfd"], group["password_var"]) == (65500, True, "dcnet_bgp_password")


def _neighbor(cfg, ip):
    return next(n for n in cfg["bgp"]["neighbors"] if n["ip"] == ip)


def test_edge_policy_route_by_route():
    """What goes out: aggregates and VIPs (by community); what comes in: the default route; nothing else."""
    cfg, _files = _leaf("frr")
    policy = _Policy(cfg)
    infra, prod = _neighbor(cfg, "10.199.1.1"), _neighbor(cfg, "10.199.2.1")
    comm = {"fabric": "65000:1", "external": "65000:2", "vip": "65000:3"}
    # in: the default route, tagged external; any other prefix refused
    assert policy.run(prod["route_map_in"], "0.0.0.0/0") == (True, {comm["external"]})
    assert not policy.run(prod["route_map_in"], "192.0.2.0/24")[0]
    assert not policy.run(prod["route_map_in"], "10.10.10.0/24")[0]
    # out: prod's subnets to prod's session only; infra's subnet never to prod; the default never back out
    assert policy.run(prod["route_map_out"], "10.100.0.0/24")[0]
    assert not policy.run(prod["route_map_out"], "10.10.10.0/24")[0]
    assert not policy.run(prod["route_map_out"], "0.0.0.0/0", {comm["external"]})[0]
    assert not policy.run(prod["route_map_out"], "10.100.0.0/25")[0]       # a more specific stays inside
    # a VIP leaves only with the VIP community the MetalLB inbound map sets, and only inside its pool
    metallb = _neighbor(cfg, "10.10.10.11")
    ok, tags = policy.run(metallb["route_map_in"], "10.40.0.10/32")
    assert ok and comm["vip"] in tags
    assert policy.run(infra["route_map_out"], "10.40.0.10/32", tags)[0]
    assert not policy.run(infra["route_map_out"], "10.40.0.10/32")[0]
    assert not policy.run(infra["route_map_out"], "10.41.0.10/32", tags)[0]
    assert not policy.run(prod["route_map_out"], "10.40.0.10/32", tags)[0]  # VIPs of infra never leave by prod


@pytest.mark.parametrize("platform", PLATFORMS)
def test_border_lines_on_every_platform(platform):
    _c, files = _leaf(platform)
    text = files["leaf01a.cfg"]
    if platform == "frr":
        interfaces = files["leaf01a.interfaces"]
        assert "auto swp47.3102\niface swp47.3102\n    alias wan1 prod\n    mtu 1500\n    vrf prod\n" in interfaces
        assert "router bgp 65101 vrf prod\n" in text and " neighbor 10.199.2.1 peer-group EXT-WAN1\n" in text
        assert "  neighbor 10.199.2.1 route-map RM-PROD-WAN1-IN-V4 in\n" in text
    elif platform == "eos":
        assert "interface Ethernet47.3102\n   description wan1 prod\n   mtu 1500\n   encapsulation dot1q vlan 3102\n" \
               "   vrf prod\n   ip address 10.199.2.0/31\n" in text
        assert "      neighbor 10.199.2.1 peer group EXT-WAN1\n" in text
        assert "ip community-list CL-VIP permit 65000:3\n" in text
    else:
        assert "interface Ethernet1/47.3102\n  description wan1 prod\n  encapsulation dot1q 3102\n  vrf member prod\n" in text
        assert "  vrf prod\n" in text and "      inherit peer EXT-WAN1\n" in text
        assert "ip community-list standard CL-VIP seq 10 permit 65000:3\n" in text
