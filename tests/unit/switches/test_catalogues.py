"""Post-deploy test catalogues (issue #13): EOS an ANTA catalogue, every platform the neutral checks as data.

The ANTA catalogue is read by ANTA's own loader (``AntaCatalog.parse``: the test names must exist and every
input must pass the test's own pydantic model), and a wrong input is shown to fail that loader. The
expected values are compared with the rendered configuration text of the same device, read with plain
regular expressions (BGP neighbors and their address families, VNI bindings, reload delays, gateway MAC),
so a catalogue that drifts from the configuration it is meant to prove fails here.
"""

from __future__ import annotations

import re

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import platforms
from ansible_collections.dcnet.fabric.plugins.module_utils.design import verification

from . import models

anta_catalog = pytest.importorskip("anta.catalog", reason="anta (requirements-dev.txt) validates the EOS catalogue")


def _site(platform):
    variables = models.small(platform, overlay="evpn_vxlan", second_rack=True)
    result = models.build(variables, targets=("switches", "catalogues"))
    assert not models.errors(result), models.errors(result)
    return result["files"]


@pytest.fixture(scope="module")
def eos():
    return _site("eos")


@pytest.fixture(scope="module")
def nxos():
    return _site("nxos")


def _checks(files, device):
    data = yaml.safe_load(files[f"catalogues/{device}.checks.yml"])
    assert data["schema"] == verification.SCHEMA and data["device"] == device
    return {c["id"]: c for c in data["checks"]}


def _anta_tests(files, device, tmp_path):
    path = tmp_path / f"{device}.anta.yml"
    path.write_text(files[f"catalogues/{device}.anta.yml"], encoding="utf-8")
    catalog = anta_catalog.AntaCatalog.parse(path)
    return [(t.test.__name__, t.inputs) for t in catalog.tests]


# ------------------------------------------------------------------------------------------- EOS / ANTA
@pytest.mark.parametrize("device", ["leaf01a", "spine1"])
def test_anta_loader_accepts_the_eos_catalogue(eos, device, tmp_path):
    tests = _anta_tests(eos, device, tmp_path)
    names = {test[0] for test in tests}
    assert {"VerifyBGPSpecificPeers", "VerifyBFDSpecificPeers", "VerifyBFDPeersIntervals", "VerifyInterfacesStatus"} <= names
    if device.startswith("leaf"):
        assert {"VerifyMlagStatus", "VerifyMlagConfigSanity", "VerifyMlagInterfaces", "VerifyMlagReloadDelay",
                "VerifyVxlan1Interface", "VerifyVxlanConfigSanity", "VerifyVxlanVniBinding", "VerifyVxlanVtep",
                "VerifyIpVirtualRouterMac"} <= names
    else:
        assert not names & {"VerifyMlagStatus", "VerifyVxlanVniBinding"}
    # every ANTA result reads back to the neutral check it proves
    ids = set(_checks(eos, device))
    for _name, inputs in tests:
        assert inputs.result_overwrite.custom_field.split(":")[1] in ids


def test_anta_loader_refuses_a_wrong_input(eos, tmp_path):
    """The acceptance above means something: the same loader fails on a bad value or an unknown test."""
    data = yaml.safe_load(eos["catalogues/leaf01a.anta.yml"])
    bfd = next(t for t in data["anta.tests.bfd"] if "VerifyBFDPeersIntervals" in t)
    bfd["VerifyBFDPeersIntervals"]["bfd_peers"][0]["multiplier"] = 2          # ANTA: 3..50
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(Exception, match="multiplier"):
        anta_catalog.AntaCatalog.parse(bad)
    data = yaml.safe_load(eos["catalogues/leaf01a.anta.yml"])
    data["anta.tests.mlag"].append({"VerifyMlagIsFine": None})
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(Exception, match="VerifyMlagIsFine"):
        anta_catalog.AntaCatalog.parse(bad)


def _eos_neighbors(text):
    """{peer address: set of families} from EOS `router bgp`: neighbors by peer group, groups activated per family."""
    groups = dict(re.findall(r"^   neighbor (\S+) peer group (\S+)$", text, re.M))
    families = {}
    for block in re.finditer(r"^   address-family (ipv4|ipv6|evpn)\n((?:      .*\n)+)", text, re.M):
        active = set(re.findall(r"^      neighbor (\S+) activate$", block.group(2), re.M))
        families[block.group(1)] = active
    out = {addr: {fam for fam, active in families.items() if group in active or addr in active}
           for addr, group in groups.items()}
    # tenant VRFs (`   vrf <name>` inside router bgp): their neighbors are activated one by one per family
    for vrf in re.finditer(r"^   vrf \S+\n((?:      .*\n|      !\n)+)", text, re.M):
        body = vrf.group(1)
        for addr in re.findall(r"^      neighbor (\S+) peer group \S+$", body, re.M):
            out[addr] = {fam for fam, block in re.findall(r"^      address-family (ipv4|ipv6)\n((?:         .*\n)+)", body, re.M)
                         if f"         neighbor {addr} activate\n" in block}
    return out


@pytest.mark.parametrize("device", ["leaf01a", "leaf02b", "spine2"])
def test_anta_bgp_peers_are_the_configured_neighbors(eos, device, tmp_path):
    expected = {}
    for name, inputs in _anta_tests(eos, device, tmp_path):
        if name == "VerifyBGPSpecificPeers":
            for af in inputs.address_families:
                for peer in af.peers:
                    expected.setdefault(str(peer), set()).add(af.afi)
    configured = _eos_neighbors(eos[f"switches/{device}.cfg"])
    assert expected == configured
    if device.startswith("leaf"):
        assert any("evpn" in fams for fams in expected.values())


def test_anta_leaf_values_match_the_eos_text(eos, tmp_path):
    text = eos["switches/leaf01a.cfg"]
    tests = dict(_anta_tests(eos, "leaf01a", tmp_path))
    bindings = {int(vni): int(vlan) for vlan, vni in re.findall(r"^   vxlan vlan (\d+) vni (\d+)$", text, re.M)}
    assert {int(k): v for k, v in tests["VerifyVxlanVniBinding"].bindings.items()} == bindings
    delay = tests["VerifyMlagReloadDelay"]
    assert f"   reload-delay mlag {delay.reload_delay}\n   reload-delay non-mlag {delay.reload_delay_non_mlag}" in text
    mac = re.search(r"^ip virtual-router mac-address (\S+)$", text, re.M).group(1)
    assert str(tests["VerifyIpVirtualRouterMac"].mac_address) == mac
    interfaces = {i.name for name, inputs in _anta_tests(eos, "leaf01a", tmp_path) if name == "VerifyInterfacesStatus"
                  for i in inputs.interfaces}
    peer_link = re.search(r"^   peer-link (\S+)$", text, re.M).group(1)
    assert {peer_link, "Loopback0", "Loopback1", "Vlan4094"} <= interfaces
    assert interfaces <= set(re.findall(r"^interface (\S+)$", text, re.M))
    # the other pair's VTEP (its Loopback1 address), never the pair's own shared one
    vtep = r"^interface Loopback1\n(?:   .*\n)*?   ip address (\S+)/32$"
    assert [str(v) for v in tests["VerifyVxlanVtep"].vteps] == [re.search(vtep, eos["switches/leaf02a.cfg"], re.M).group(1)]


# ------------------------------------------------------------------------------------------- NX-OS as data
def _nxos_neighbors(text):
    """{peer address: families} from NX-OS `router bgp`, the default VRF's neighbors and those of each `vrf <name>`."""
    out, current, indent = {}, None, ""
    names = {"ipv4 unicast": "ipv4", "ipv6 unicast": "ipv6", "l2vpn evpn": "evpn"}
    for line in text.splitlines():
        match = re.match(r"^(  |    )neighbor (\S+)$", line)
        if match:
            current, indent = out.setdefault(match.group(2), set()), match.group(1) + "  "
        elif current is not None and line.startswith(indent + "address-family "):
            current.add(names[line.split("address-family ", 1)[1]])
        elif not line.startswith(indent):
            current = None
    return out


@pytest.mark.parametrize("device", ["leaf01a", "spine1"])
def test_nxos_checks_match_the_nxos_text(nxos, device):
    checks = _checks(nxos, device)
    text = nxos[f"switches/{device}.cfg"]
    peers = {p["address"]: set(p["families"]) for p in checks["bgp-sessions"]["expect"]["peers"]}
    assert peers == _nxos_neighbors(text)
    commands = platforms.get("nxos").check_commands
    for check in checks.values():
        assert check["command"] == commands[check["id"]]
    if device == "spine1":
        assert "mlag" not in checks and "vxlan-vnis" not in checks
        return
    bindings = {b["vni"]: b["vlan"] for b in checks["vxlan-vnis"]["expect"]["bindings"]}
    # the VLAN-to-VNI bindings of the L2 VNIs, as on EOS (a tenant VRF's L3 VNI is `member vni N associate-vrf`)
    l3_vnis = {int(v) for v in re.findall(r"^  member vni (\d+) associate-vrf$", text, re.M)}
    assert bindings == {int(vni): int(vlan) for vlan, vni in re.findall(r"^vlan (\d+)\n  name \S+\n  vn-segment (\d+)$", text, re.M)
                        if int(vni) not in l3_vnis}
    assert set(bindings) == {int(v) for v in re.findall(r"^  member vni (\d+)$", text, re.M)}
    delay = checks["mlag-reload-delay"]["expect"]
    assert f"  delay restore {delay['reload_delay']}\n  delay restore interface-vlan {delay['reload_delay_non_mlag']}" in text
    assert checks["mlag"]["expect"]["kind"] == "vpc"
    vpc_ports = re.findall(r"^interface (port-channel\d+)\n(?:  .*\n)*?  vpc \d+$", text, re.M)
    assert vpc_ports and set(checks["mlag"]["expect"]["dual_homed_ports"]) == set(vpc_ports)


def test_every_platform_gets_the_neutral_checks_with_a_command_each():
    for platform in ("frr", "eos", "nxos"):
        files = _site(platform)
        assert set(_checks(files, "leaf01a")) == {c[0] for c in verification.CHECKS}
        for check in _checks(files, "leaf01a").values():
            assert check["command"], (platform, check["id"])
        has_anta = any(k.endswith(".anta.yml") for k in files)
        assert has_anta == (platforms.get(platform).test_catalogue == "anta")


def test_remote_vteps_are_the_leaves_sharing_a_vni():
    """A network placed on one pair only adds no VTEP; a pair never lists its own shared VTEP."""
    variables = models.small("eos", overlay="evpn_vxlan", second_rack=True)
    variables["dcnet_fabric"]["leaf_pairs"].append({"rack": 3, "leaves": ["leaf03a", "leaf03b"]})
    result = models.build(variables, targets=("catalogues",))
    assert not models.errors(result)
    vteps = {dev: next(c for c in yaml.safe_load(result["files"][f"catalogues/{dev}.checks.yml"])["checks"]
                       if c["id"] == "vxlan-vteps")["expect"] for dev in ("leaf01a", "leaf01b", "leaf02a", "leaf03a")}
    assert vteps["leaf01a"] == vteps["leaf01b"]                  # one VTEP per pair
    assert vteps["leaf01a"]["remote"] == [vteps["leaf02a"]["local"]]   # rack 3 shares no VNI with rack 1
    assert vteps["leaf03a"]["remote"] == []
