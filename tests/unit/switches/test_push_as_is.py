"""Issue #13 items 1-6 and 8: what a network engineer found refused or fabric-breaking in release 0.1.

Each test reads the rendered EOS / NX-OS / FRR text back (ciscoconfparse2 for the Cisco-like syntax) and
compares it with what the vendor's command reference requires, taking the expected values from the model
(never from our templates). Every one of them fails on the 0.1 output.
"""

from __future__ import annotations

import re

import pytest

from . import models

MGMT = {"pool4": "192.168.0.0/24", "ntp_servers": ["10.0.0.123"], "syslog_servers": ["10.0.0.51"],
        "users": [{"name": "admin", "password_var": "dcnet_switch_admin_hash"}]}


def _site(platform, management=True, **extra):
    variables = models.small(platform, overlay="evpn_vxlan", second_rack=True)
    if management:
        variables["dcnet_fabric"]["management"] = dict(MGMT)
    variables["dcnet_fabric"].update(extra)
    result = models.build(variables)
    assert not models.errors(result), models.errors(result)
    return variables, result, models.switch_files(result)


def _parse(text):
    ccp = pytest.importorskip("ciscoconfparse2")
    return ccp.CiscoConfParse(text.splitlines(), syntax="ios")


def _children(parse, parent_re):
    return [[c.text.strip() for c in obj.all_children] for obj in parse.find_objects(parent_re)]


# ---------------------------------------------------------------------------------------------- item 1
def test_eos_router_bfd_interval_has_the_trailing_default():
    """EOS: `interval I min-rx I multiplier M default` (without `default` the line is refused)."""
    _v, _r, files = _site("eos")
    for name in ("spine1.cfg", "leaf01a.cfg"):
        lines = _children(_parse(files[name]), r"^router bfd$")[0]
        assert lines == ["interval 300 min-rx 300 multiplier 3 default"], (name, lines)


# ---------------------------------------------------------------------------------------------- item 2
def test_eos_next_hop_unchanged_only_in_the_evpn_family():
    _v, _r, files = _site("eos")
    parse = _parse(files["spine1.cfg"])
    bgp = parse.find_objects(r"^router bgp ")[0]
    top = [c.text.strip() for c in bgp.children]
    assert not [line for line in top if "next-hop-unchanged" in line], "next-hop-unchanged at router-bgp level"
    evpn = [c for c in bgp.children if c.text.strip() == "address-family evpn"][0]
    assert "bgp next-hop-unchanged" in [c.text.strip() for c in evpn.children]
    ipv4 = [c for c in bgp.children if c.text.strip() == "address-family ipv4"][0]
    assert not [c for c in ipv4.children if "next-hop-unchanged" in c.text]


# ---------------------------------------------------------------------------------------------- item 3
@pytest.mark.parametrize("limit", [0, 250000])
def test_eos_evpn_sessions_carry_the_model_route_limit(limit):
    """EOS applies maximum-routes 12000 to a neighbor that sets none: every EVPN peer group sets the model's."""
    variables, result, files = _site("eos", bgp={**models.small("eos")["dcnet_fabric"]["bgp"], "evpn_maximum_routes": limit})
    for name, config in result["design"]["switches"].items():
        text = files[f"{name}.cfg"]
        for group in config["bgp"]["peer_groups"]:
            if "evpn" in group["families"]:
                assert f"   neighbor {group['name']} maximum-routes {limit}\n" in text, (name, group["name"])


# ---------------------------------------------------------------------------------------------- item 4
@pytest.mark.parametrize("platform", ["eos", "nxos", "frr"])
def test_mlag_pairs_peer_over_the_peer_vlan_with_ibgp(platform):
    """Each leaf of a pair has an iBGP neighbor (its own AS) at the pair-mate's peer-VLAN address."""
    _v, result, files = _site(platform)
    for leaf in ("leaf01a", "leaf01b", "leaf02a", "leaf02b"):
        config = result["design"]["switches"][leaf]
        mate = config["mlag"]["peer"]
        mate_ip = result["design"]["switches"][mate]["mlag"]["local_ip"].split("/")[0]
        text = files[f"{leaf}.cfg"]
        asn = config["asn"]
        if platform == "eos":
            group = re.search(rf"^   neighbor {re.escape(mate_ip)} peer group (\S+)$", text, re.M).group(1)
            assert f"   neighbor {group} remote-as {asn}\n" in text
            assert f"   neighbor {group} next-hop-self\n" in text
        elif platform == "nxos":
            block = re.search(rf"^  neighbor {re.escape(mate_ip)}\n((?:    .*\n)+)", text, re.M).group(1)
            group = re.search(r"inherit peer (\S+)", block).group(1)
            template = re.search(rf"^  template peer {group}\n((?:    .*\n)+)", text, re.M).group(1)
            assert f"    remote-as {asn}\n" in template and "      next-hop-self\n" in block
        else:
            group = re.search(rf"^ neighbor {re.escape(mate_ip)} peer-group (\S+)$", text, re.M).group(1)
            assert f" neighbor {group} remote-as {asn}\n" in text
            assert f"  neighbor {group} next-hop-self\n" in text
        # the address is on the peer VLAN interface of this leaf
        assert config["mlag"]["local_ip"] in (files[f"{leaf}.cfg"] + files.get(f"{leaf}.interfaces", ""))


@pytest.mark.parametrize("platform, lines", [
    ("eos", ["   reload-delay mlag 300\n", "   reload-delay non-mlag 330\n"]),
    ("nxos", ["  delay restore 300\n", "  delay restore interface-vlan 330\n"]),
    ("frr", ["    clagd-args --initDelay 300\n"]),
])
def test_mlag_reload_delay(platform, lines):
    _v, _r, files = _site(platform)
    text = files["leaf01a.cfg"] + files.get("leaf01a.interfaces", "")
    for line in lines:
        assert line in text, line


# ---------------------------------------------------------------------------------------------- item 5
def test_nxos_vpc_peer_vlan_is_outside_the_reserved_range_and_keepalive_uses_mgmt0():
    _v, result, files = _site("nxos")
    parse = _parse(files["leaf01a.cfg"])
    vlans = [int(o.text.split()[1]) for o in parse.find_objects(r"^vlan \d+$")]
    assert vlans and all(not 3968 <= v <= 4094 for v in vlans), vlans
    mine = result["design"]["switches"]["leaf01a"]["management"]["ipv4"].split("/")[0]
    theirs = result["design"]["switches"]["leaf01b"]["management"]["ipv4"].split("/")[0]
    assert f"  peer-keepalive destination {theirs} source {mine} vrf management\n" in files["leaf01a.cfg"]
    assert _children(parse, r"^interface mgmt0$")[0][1] == "vrf member management"


def test_nxos_keepalive_falls_back_to_loopbacks_without_a_management_pool():
    _v, result, files = _site("nxos", management=False)
    lo_a = result["design"]["switches"]["leaf01a"]["router_id"]
    lo_b = result["design"]["switches"]["leaf01b"]["router_id"]
    assert f"  peer-keepalive destination {lo_b} source {lo_a} vrf default\n" in files["leaf01a.cfg"]


# ---------------------------------------------------------------------------------------------- item 6
def test_nxos_port_channel_members_match_their_channel():
    """NX-OS suspends a member whose switchport mode, VLANs or MTU differ from its port-channel."""
    _v, _r, files = _site("nxos")
    parse = _parse(files["leaf01a.cfg"])
    keys = ("switchport mode", "switchport trunk allowed vlan", "switchport trunk native vlan",
            "switchport access vlan", "mtu")

    def settings(obj):
        return {line for line in (c.text.strip() for c in obj.children) if line.startswith(keys)}

    channels = {int(o.text.split("port-channel")[1]): settings(o) for o in parse.find_objects(r"^interface port-channel\d+$")}
    members = 0
    for obj in parse.find_objects(r"^interface Ethernet"):
        group = [c.text.split()[1] for c in obj.children if c.text.strip().startswith("channel-group ")]
        if group:
            members += 1
            assert settings(obj) == channels[int(group[0])], obj.text
    assert members >= 4


# ---------------------------------------------------------------------------------------------- item 8
@pytest.mark.parametrize("platform", ["eos", "nxos", "frr"])
def test_anycast_gateway_mac_is_the_fabric_fact(platform):
    _v, _r, files = _site(platform, anycast_gateway_mac="02:00:00:aa:bb:01")
    text = files["leaf01a.cfg"] + files.get("leaf01a.interfaces", "")
    assert "00:00:5e:00:01:01" not in text and "0000.5e00.0101" not in text
    assert {"eos": "ip virtual-router mac-address 02:00:00:aa:bb:01", "nxos": "anycast-gateway-mac 0200.00aa.bb01",
            "frr": "address-virtual 02:00:00:aa:bb:01"}[platform] in text


def test_the_default_anycast_mac_is_locally_administered_unicast():
    _v, result, _f = _site("eos")
    mac = result["design"]["switches"]["leaf01a"]["anycast_gateway_mac"]
    first = int(mac.split(":")[0], 16)
    assert first & 2 and not first & 1 and not mac.startswith("00:00:5e")


@pytest.mark.parametrize("platform, expected", [
    ("eos", ["spanning-tree mode mstp\n", "spanning-tree mst 0 priority 4096\n"]),
    ("nxos", ["spanning-tree mode mst\n", "spanning-tree mst 0 priority 4096\n"]),
    ("frr", ["    mstpctl-treeprio 4096\n"]),
])
def test_leaves_set_spanning_tree_mode_and_priority(platform, expected):
    _v, _r, files = _site(platform)
    text = files["leaf01a.cfg"] + files.get("leaf01a.interfaces", "")
    for line in expected:
        assert line in text, line
    if platform == "eos":
        assert "spanning-tree mode none\n" in files["spine1.cfg"]


@pytest.mark.parametrize("platform", ["eos", "nxos"])
def test_remote_as_on_the_peer_group_not_per_neighbor(platform):
    """A leaf's spine neighbors inherit the spine AS from their group; spines keep it per leaf (one AS per pair)."""
    _v, result, files = _site(platform)
    text = files["leaf01a.cfg"]
    spine_as = result["design"]["switches"]["spine1"]["asn"]
    per_neighbor = re.findall(r"^   neighbor \d\S+ remote-as (\d+)$", text, re.M) if platform == "eos" else \
        re.findall(r"^    remote-as (\d+)$", text, re.M)
    if platform == "eos":
        assert str(spine_as) not in per_neighbor
        assert f"   neighbor SPINES remote-as {spine_as}\n" in text
    else:
        template = re.search(r"^  template peer SPINES\n((?:    .*\n)+)", text, re.M).group(1)
        assert f"    remote-as {spine_as}\n" in template
        assert per_neighbor.count(str(spine_as)) == 1   # the template's line only
    spine = files["spine1.cfg"]
    for leaf in ("leaf01a", "leaf02a"):
        asn = result["design"]["switches"][leaf]["asn"]
        assert f"remote-as {asn}\n" in spine
