"""Fabric VLANs no cluster defines: a network placed on named leaves ahead of a wave, and the black-hole
native VLAN of host trunks (issue #13, "Fabric VLANs the model cannot express today").

Both are read back from the rendered text of all three platforms, the expected values taken from the
model: the placed network is a VLAN with its anycast gateway on the named leaves and their MLAG
pair-mates, a VNI where it spans leaf pairs, and on no host port; the black-hole VLAN is the native VLAN
of every trunk that sends no network untagged, allowed on no trunk (so the switch drops untagged frames),
and never stretched, routed or carried on the peer link. On the Linux leaf the same intent is a port
without PVID (ifupdown2 ``bridge-allow-untagged no``): without it every port's PVID is VLAN 1 and the
hosts of one leaf share their untagged frames.
"""

from __future__ import annotations

import re

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.drift.switch_text import parse_running_config
from ansible_collections.dcnet.fabric.plugins.module_utils.vlans import expand_vlans

from . import models

BLACKHOLE = 3900
PLACED = {"name": "vm-next", "vlan": 300, "role": "vm", "ipv4": "10.30.100.0/24", "ipv6": "fd00:300::/64",
          "leaves": ["leaf01a", "leaf02a"]}  # one leaf named per pair: the MLAG pair-mate follows


def _site(platform):
    variables = models.small(platform, overlay="evpn_vxlan", second_rack=True)
    variables["dcnet_fabric"]["blackhole_vlan"] = BLACKHOLE
    variables["dcnet_networks"].append(dict(PLACED))
    result = models.build(variables)
    assert not models.errors(result), models.errors(result)
    return variables, result, models.switch_files(result)


@pytest.fixture(scope="module", params=["eos", "nxos", "frr"])
def site(request):
    return (request.param,) + _site(request.param)


def _structured(result):
    return result["design"]["switches"]


def _stanzas(text, head_re):
    """{header: [child lines]} of the top-level stanzas whose header matches (indented children)."""
    out, current = {}, None
    for line in text.splitlines():
        if re.match(head_re, line):
            current = line.strip()
            out[current] = []
        elif current and line.startswith((" ", "\t")):
            out[current].append(line.strip())
        else:
            current = None
    return out


# ------------------------------------------------------------------------------------ placed network
def test_placed_network_is_on_the_named_leaves_and_their_pair_mates(site):
    platform, variables, result, files = site
    switches = _structured(result)
    for leaf in ("leaf01a", "leaf01b", "leaf02a", "leaf02b"):
        vlan = next((v for v in switches[leaf]["vlans"] if v["id"] == PLACED["vlan"]), None)
        assert vlan is not None, f"{leaf} does not carry {PLACED['name']}"
        assert vlan["svi"] and vlan["svi"]["gateway4"] == "10.30.100.1", vlan
        # two leaf pairs: a VNI, and both pairs' VTEPs carry it
        assert vlan["vni"] == 10000 + PLACED["vlan"] and vlan["stretched"]
        assert PLACED["vlan"] in [v["vlan"] for v in switches[leaf]["vxlan"]["vnis"]]
        # no cluster uses it yet: on no host port, but on the MLAG peer link
        assert all(PLACED["vlan"] not in p["allowed_vlans"] for p in switches[leaf]["ethernet_interfaces"])
        assert all(PLACED["vlan"] not in p["allowed_vlans"] for p in switches[leaf]["port_channels"])
        assert PLACED["vlan"] in switches[leaf]["mlag"]["peer_link"]["allowed_vlans"]


def test_placed_network_in_the_rendered_text(site):
    platform, variables, result, files = site
    text = files["leaf02b.cfg"]  # a pair-mate of a named leaf, on the second pair
    vid, vni = PLACED["vlan"], 10000 + PLACED["vlan"]
    if platform == "eos":
        assert f"vlan {vid}\n   name vm-next" in text
        assert re.search(rf"^interface Vlan{vid}\n(   .*\n)*?   ip virtual-router address 10\.30\.100\.1$", text, re.M)
        assert f"   vxlan vlan {vid} vni {vni}" in text
    elif platform == "nxos":
        assert f"vlan {vid}\n  name vm-next\n  vn-segment {vni}" in text
        assert re.search(rf"^interface Vlan{vid}\n(  .*\n)*?  fabric forwarding mode anycast-gateway$", text, re.M)
        assert f"  member vni {vni}" in text
    else:
        interfaces = files["leaf02b.interfaces"]
        assert re.search(rf"^iface vlan{vid}\n(    .*\n)*?    address-virtual \S+ 10\.30\.100\.1/24", interfaces, re.M)
        assert re.search(rf"^iface vni{vni}\n    vxlan-id {vni}\n(    .*\n)*?    bridge-access {vid}$", interfaces, re.M)
        bridge = _stanzas(interfaces, r"^iface bridge$")["iface bridge"]
        vids = next(line for line in bridge if line.startswith("bridge-vids "))
        assert vid in expand_vlans(vids.split(None, 1)[1].replace(" ", ","))


def test_a_placed_network_on_one_pair_gets_no_vni():
    variables = models.small("eos", overlay="evpn_vxlan", second_rack=True)
    variables["dcnet_networks"].append(dict(PLACED, leaves=["leaf02b"]))
    result = models.build(variables)
    assert not models.errors(result)
    switches = _structured(result)
    for leaf in ("leaf02a", "leaf02b"):
        vlan = next(v for v in switches[leaf]["vlans"] if v["id"] == PLACED["vlan"])
        assert vlan["vni"] is None and vlan["svi"]
    assert all(v["id"] != PLACED["vlan"] for v in switches["leaf01a"]["vlans"])


def test_a_placed_network_across_pairs_without_overlay_is_the_stretch_error():
    variables = models.small("eos", second_rack=False)
    variables["dcnet_fabric"]["leaf_pairs"].append({"rack": 2, "leaves": ["leaf02a", "leaf02b"]})
    variables["dcnet_networks"].append(dict(PLACED))
    result = models.build(variables, targets=("structured",))
    assert [(f["rule"], f["path"]) for f in models.errors(result)] == [("VLAN005", "networks[vm-next]")]


# ------------------------------------------------------------------------------------ black-hole VLAN
def _expected_blackholed(variables, result):
    """(leaf, port) -> True for every host trunk that sends no network untagged (from the facts' own ports)."""
    out = {}
    for leaf, cfg in _structured(result).items():
        for port in (cfg.get("ethernet_interfaces") or []) + (cfg.get("port_channels") or []):
            out[(leaf, port["name"])] = port["mode"] == "trunk" and port["native_vlan"] is None
    return out


def test_blackhole_is_the_native_vlan_of_every_trunk_without_a_native_network(site):
    platform, variables, result, files = site
    expected = _expected_blackholed(variables, result)
    assert any(expected.values()) and not all(expected.values())   # the OVE bonds keep their native network
    for leaf, cfg in _structured(result).items():
        for port in (cfg.get("ethernet_interfaces") or []) + (cfg.get("port_channels") or []):
            assert (port["blackhole_vlan"] == BLACKHOLE) == expected[(leaf, port["name"])], (leaf, port)
            assert BLACKHOLE not in port["allowed_vlans"]
        if cfg["role"] != "leaf":
            continue
        assert BLACKHOLE not in cfg["mlag"]["peer_link"]["allowed_vlans"]
        assert all(v["id"] != BLACKHOLE for v in cfg["vlans"])             # no SVI, no VNI: not a network
        assert all(v["vlan"] != BLACKHOLE for v in cfg["vxlan"]["vnis"])


@pytest.mark.parametrize("platform", ["eos", "nxos"])
def test_cisco_like_trunks_drop_untagged_frames(platform):
    """Read back as the drift parser reads a running config: native VLAN set but not allowed -> untagged dropped."""
    pytest.importorskip("ciscoconfparse2")
    variables, result, files = _site(platform)
    expected = _expected_blackholed(variables, result)
    for leaf in ("leaf01a", "leaf02b"):
        text = files[f"{leaf}.cfg"]
        used = any(b for (dev, _port), b in expected.items() if dev == leaf)
        assert bool(re.search(rf"^vlan {BLACKHOLE}\n +name BLACKHOLE$", text, re.M)) == used, leaf
        parsed = parse_running_config(text, platform)
        by_name = {p["name"]: p for p in parsed["ethernet_interfaces"] + parsed["port_channels"]}
        for (dev, name), blackholed in expected.items():
            if dev != leaf or name not in by_name:
                continue
            lines = _stanzas(text, rf"^interface {re.escape(name)}$")[f"interface {name}"]
            if blackholed:
                assert f"switchport trunk native vlan {BLACKHOLE}" in lines, (leaf, name, lines)
                assert by_name[name]["native_vlan"] is None, (leaf, name)   # dropped, never VLAN 1
            else:
                assert not any(line == f"switchport trunk native vlan {BLACKHOLE}" for line in lines)
        assert f"vlan {BLACKHOLE}" not in "\n".join(line for line in text.splitlines() if "vn-segment" in line)
        assert not re.search(rf"^interface Vlan{BLACKHOLE}$", text, re.M)


def test_linux_trunks_have_no_pvid():
    variables, result, files = _site("frr")
    expected = _expected_blackholed(variables, result)
    for leaf in ("leaf01a", "leaf02b"):
        interfaces = files[f"{leaf}.interfaces"]
        stanzas = _stanzas(interfaces, r"^iface \S+$")
        for (dev, name), blackholed in expected.items():
            if dev != leaf:
                continue
            lines = stanzas[f"iface {name}"]
            member = any(line.startswith("bond-slaves") for line in lines) is False and not any(
                line.startswith("bridge-") for line in lines)
            if member:
                continue   # a bond member: the bond is the bridge port
            assert ("bridge-allow-untagged no" in lines) == blackholed, (leaf, name, lines)
            if blackholed:
                assert not any(line.startswith("bridge-pvid") for line in lines)
        assert str(BLACKHOLE) not in interfaces.replace("fabric.blackhole_vlan", "")


def test_no_blackhole_without_the_model_fact():
    variables = models.small("eos", overlay="evpn_vxlan")
    result = models.build(variables)
    for cfg in _structured(result).values():
        assert cfg.get("blackhole_vlan") is None
        for port in (cfg.get("ethernet_interfaces") or []) + (cfg.get("port_channels") or []):
            assert port["blackhole_vlan"] is None
