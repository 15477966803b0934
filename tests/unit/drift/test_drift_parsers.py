"""Drift from files: EOS/NX-OS running configs, nmstatectl show, NNCE dumps -> the same rule ids as the model checks.

The in-sync running state is the rendered artifact itself (what deploy pushes); each test breaks
one thing by editing that text the way an engineer would on the CLI, then expects exactly the
finding the model check gives, with the model path of one end and the other end under related.
"""

from __future__ import annotations

import datetime
import glob
import os

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.drift import compare, host_state, nnce, switch_text
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

HERE = os.path.dirname(__file__)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
TODAY = datetime.date(2026, 6, 1)


def example(name):
    raw = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            raw.update({k[len("dcnet_"):]: v for k, v in yaml.safe_load(handle).items() if k.startswith("dcnet_")})
    return raw


PORTS = {"eos": "Ethernet", "nxos": "Ethernet1/"}


def _site(platform):
    raw = example("small")
    raw["fabric"]["platform"] = platform
    for cluster in raw["clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {k: v.replace("swp", PORTS.get(platform, "swp")) for k, v in node["nics"].items()}
    files = pipeline.build(raw, from_vars=False, today=TODAY)["files"]
    model = load_model(raw)
    facts = site_facts(model)
    return model, facts, design(model, facts), files


@pytest.fixture(scope="module", name="eos")
def _eos():
    return _site("eos")


@pytest.fixture(scope="module", name="nxos")
def _nxos():
    return _site("nxos")


def _drift(site, switches=None, hosts=None, enactments=None):
    model, facts, designed, _files = site
    running = {"switches": switches or {}, "hosts": hosts or {}, "enactments": enactments or []}
    return compare.drift(model, facts, designed, running, today=TODAY)


def _found(result):
    return sorted((f.rule, f.path) for f in result["findings"])


def _cfg(site, leaf, platform, *edits):
    text = site[3][f"switches/{leaf}.cfg"]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return switch_text.parse_running_config(text, platform)


W1 = "clusters[ove-small].nodes[ove-w1]"


def test_in_sync_configs_have_no_drift(eos, nxos):
    for site, platform in ((eos, "eos"), (nxos, "nxos")):
        switches = {leaf: _cfg(site, leaf, platform) for leaf in ("leaf01a", "leaf01b")}
        hosts = {n: host_state.parse_nmstate(site[3][f"hosts/{n}.nmstate.yml"]) for n in ("ove-w1", "ove-w2")}
        result = _drift(site, switches, hosts)
        assert result["findings"] == [] and result["notes"] == [], (platform, result)


def test_eos_trunk_missing_a_vlan_is_vlan003(eos):
    head = "interface Port-Channel1\n   description ove-w1:bond0\n   mtu 9214\n   switchport mode trunk\n"
    leaf = _cfg(eos, "leaf01a", "eos", (head + "   switchport trunk allowed vlan 10,20,30,100-101",
                                        head + "   switchport trunk allowed vlan 10,30,100-101"))
    result = _drift(eos, {"leaf01a": leaf})
    assert _found(result) == [("VLAN003", f"{W1}.nics[ens1f0]")]
    finding = result["findings"][0]
    assert "leaf01a Ethernet1 does not allow network(s) storage" in finding.message
    assert finding.related == ("fabric.leaf_pairs[1].leaves[0]",)


def test_eos_native_vlan_on_the_switch_only_is_vlan004(eos):
    allowed = "   switchport trunk allowed vlan 10,20,30,100-101\n"
    leaf = _cfg(eos, "leaf01a", "eos", (allowed + "   mlag 1", allowed + "   switchport trunk native vlan 10\n   mlag 1"))
    assert set(_found(_drift(eos, {"leaf01a": leaf}))) == {("VLAN004", f"{W1}.nics[ens1f0]")}


def test_eos_member_out_of_its_port_channel_is_bond001(eos):
    head = "   description ove-w1:ens1f0\n   mtu 9214\n"
    leaf = _cfg(eos, "leaf01a", "eos", (head + "   channel-group 1 mode active\n",
                                        head + "   switchport mode trunk\n   switchport trunk allowed vlan 10,20,30,100-101\n"))
    found = _found(_drift(eos, {"leaf01a": leaf}))
    assert ("BOND001", f"{W1}.nics[ens1f0]") in found, found


def test_eos_lacp_rate_and_mtu_drift(eos):
    leaf = _cfg(eos, "leaf01a", "eos",
                ("   description ove-w1:ens1f0\n   mtu 9214\n   channel-group 1 mode active\n   lacp timer fast",
                 "   description ove-w1:ens1f0\n   mtu 1500\n   channel-group 1 mode active\n   lacp timer normal"))
    found = {rule for rule, _path in _found(_drift(eos, {"leaf01a": leaf}))}
    assert "BOND004" in found and any(rule.startswith("MTU") for rule in found), found


def test_nxos_vlan_removed_from_trunk_and_undefined_vlan(nxos):
    head = "interface port-channel1\n  description ove-w1:bond0\n  switchport\n  switchport mode trunk\n"
    leaf = _cfg(nxos, "leaf01b", "nxos", (head + "  switchport trunk allowed vlan 10,20,30,100-101",
                                          head + "  switchport trunk allowed vlan 10,20,30,100"))
    result = _drift(nxos, {"leaf01b": leaf})
    assert _found(result) == [("VLAN003", f"{W1}.nics[ens1f1]")]
    assert "vm-db" in result["findings"][0].message
    # a VLAN allowed on a trunk but deleted from the switch carries nothing either
    leaf = _cfg(nxos, "leaf01b", "nxos", ("vlan 101\n", "vlan 999\n"))
    assert ("VLAN003", f"{W1}.nics[ens1f1]") in _found(_drift(nxos, {"leaf01b": leaf}))


def test_nxos_parser_reads_add_lines_and_defaults():
    text = ("interface port-channel7\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 10-11\n"
            "  switchport trunk allowed vlan add 20\n  switchport trunk native vlan 11\n"
            "interface Ethernet1/7\n  switchport\n  lacp rate fast\n  channel-group 7 mode active\n"
            "interface Ethernet1/8\n  switchport\n  switchport mode trunk\n")
    parsed = switch_text.parse_running_config(text, "nxos")
    chan = parsed["port_channels"][0]
    assert (chan["allowed_vlans"], chan["native_vlan"], chan["lacp"], chan["lacp_rate"], chan["members"]) == \
        ([10, 11, 20], 11, "active", "fast", ["Ethernet1/7"])
    plain = next(p for p in parsed["ethernet_interfaces"] if p["name"] == "Ethernet1/8")
    assert len(plain["allowed_vlans"]) == 4094 and plain["native_vlan"] == 1 and plain["mtu"] == 1500


def test_host_missing_a_vlan_interface_and_slow_lacp(eos):
    doc = yaml.safe_load(eos[3]["hosts/ove-w1.nmstate.yml"])
    doc["interfaces"] = [i for i in doc["interfaces"] if i["name"] != "bond0.20"]
    bond = next(i for i in doc["interfaces"] if i["name"] == "bond0")
    bond["link-aggregation"]["options"]["lacp_rate"] = "slow"
    result = _drift(eos, hosts={"ove-w1": host_state.parse_nmstate(yaml.safe_dump(doc))})
    found = _found(result)
    assert ("VLAN003", W1) in found and ("BOND004", W1) in found, found
    bond004 = next(f for f in result["findings"] if f.rule == "BOND004")
    assert "leaf01a" in bond004.message and bond004.related[0] == "fabric.leaf_pairs[1].leaves[0]"


def test_nnce_dump_not_available_is_drift001(eos):
    with open(os.path.join(HERE, "fixtures", "nnce.yaml"), encoding="utf-8") as handle:
        enactments = nnce.parse_nnce(handle.read())
    assert [(e["node"], e["applied"]) for e in enactments] == [("ove-w1", True), ("ove-w2", False)]
    result = _drift(eos, enactments=enactments)
    assert _found(result) == [("DRIFT001", "clusters[ove-small].nodes[ove-w2]")]
    assert "FailedToConfigure" in result["findings"][0].message


def test_frr_bgp_remote_as_changed_by_hand_is_a_session_disagreement():
    site = _site("frr")
    text = site[3]["switches/leaf01a.cfg"]
    from ansible_collections.dcnet.fabric.plugins.module_utils.drift import frr_bgp
    assert _drift(site, {"leaf01a": {"bgp": frr_bgp.parse_frr_bgp(text)}})["findings"] == []
    broken = text.replace(" neighbor SPINES remote-as 65000\n", " neighbor SPINES remote-as 65099\n", 1)
    assert broken != text
    result = _drift(site, {"leaf01a": {"bgp": frr_bgp.parse_frr_bgp(broken)}})
    rules = {f.rule for f in result["findings"]}
    assert rules == {"BGP002"}, result["findings"]
    assert any("leaf01a expects AS 65099" in f.message for f in result["findings"])
