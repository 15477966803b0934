"""Drift from files: EOS/NX-OS running configs, nmstatectl show, NNCE dumps -> the same rule ids as the model checks.

The in-sync running state is the rendered artifact itself (what deploy pushes) -- for an OVE node,
its install-time network as configure-ovs leaves it with its NodeNetworkConfigurationPolicies merged
in (installed.py), as ``nmstatectl show`` reports an installed node; each test breaks one thing by
editing that text the way an engineer would on the CLI, then expects exactly the finding the model
check gives, with the model path of one end and the other end under related.
"""

from __future__ import annotations

import datetime
import os

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.drift import compare, host_state, nnce, switch_text
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from conftest import example_model  # tests/conftest.py: the examples' group variables

from .installed import node_show, show_text

HERE = os.path.dirname(__file__)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
TODAY = datetime.date(2026, 6, 1)


example = example_model


PORTS = {"eos": "Ethernet", "nxos": "Ethernet1/"}


def _site(platform, mutate=None):
    raw = example("small")
    if mutate:
        mutate(raw["clusters"][0])
    raw["fabric"]["platform"] = platform
    for cluster in raw["clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {k: v.replace("swp", PORTS.get(platform, "swp")) for k, v in node["nics"].items()}
    for peer in raw.get("external_peers", []):
        for link in peer["links"]:
            link["port"] = link["port"].replace("swp", PORTS.get(platform, "swp"))
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
        hosts = {n: host_state.parse_nmstate(show_text(site[3], "ove-small", n), "bond0") for n in ("ove-w1", "ove-w2")}
        result = _drift(site, switches, hosts)
        assert result["findings"] == [] and result["notes"] == [], (platform, result)


def test_installed_ove_node_is_read_with_br_ex_and_its_policies(eos):
    """The shared layout as an installed node reports it: bond0 under br-ex, the VM networks through the
    bridge mapping to br-ex, storage and live migration on the VLAN interfaces the per-node policy adds."""
    record = host_state.parse_nmstate(show_text(eos[3], "ove-small", "ove-w1"), "bond0")
    assert [v["name"] for v in record["vlan_interfaces"]] == ["bond0.20", "bond0.30"]
    assert {"name": "br-ex", "type": "ovs-bridge", "ports": [{"name": "bond0", "vlans": None},
                                                             {"name": "br-ex", "vlans": None}]} in record["bridges"]
    assert record["bridge_mappings"] == [{"localnet": "physnet-br-ex", "bridge": "br-ex"}]
    ove = eos[2]["clusters"]["ove-small"]["ove"]
    assert compare.vm_vlans(eos[2]["nodes"]["ove-w1"], record, ove) == [100, 101]
    # the install-time file alone: no VLAN interfaces, no mapping -- every network but the machine network missing
    install = host_state.parse_nmstate(eos[3]["hosts/ove-w1.nmstate.yml"], "bond0")
    assert compare.vm_vlans(eos[2]["nodes"]["ove-w1"], install, ove) == []
    found = _found(_drift(eos, hosts={"ove-w1": install}))
    assert found == [("VLAN003", W1)], found


def test_mapping_removed_or_port_filtered_drops_the_vm_networks(eos):
    """The bridge mapping gone (nmstatectl show without it), or br-ex's port of bond0 filtered to VLAN 100:
    the VM networks that no longer reach the bond are missing on the node."""
    doc = node_show(eos[3], "ove-small", "ove-w1")
    doc.pop("ovn")
    result = _drift(eos, hosts={"ove-w1": host_state.parse_nmstate(yaml.safe_dump(doc), "bond0")})
    assert _found(result) == [("VLAN003", W1)] and "vm-db, vm-web" in result["findings"][0].message
    doc = node_show(eos[3], "ove-small", "ove-w1")
    br_ex = next(i for i in doc["interfaces"] if i["name"] == "br-ex" and i["type"] == "ovs-bridge")
    br_ex["bridge"]["port"][0]["vlan"] = {"mode": "trunk", "trunk-tags": [{"id": 100}]}
    result = _drift(eos, hosts={"ove-w1": host_state.parse_nmstate(yaml.safe_dump(doc), "bond0")})
    assert _found(result) == [("VLAN003", W1)] and "network(s) vm-db of" in result["findings"][0].message


def _dedicated(cluster, cni="localnet"):
    """ove-small on the dedicated layout before 4.18: VM networks on bond1 (ens2f0/ens2f1) and br-vms, one
    bridge mapping per VM network (localnet = network name)."""
    cluster["ove"].update(vm_layout="dedicated", ocp_version="4.17", cni=cni,
                          vm_bond={"name": "bond1", "profile": "lacp", "nics": ["ens2f0", "ens2f1"]})
    cluster.pop("native_network")
    for node, port in zip(cluster["nodes"], (5, 6)):
        node["nics"].update(ens2f0=f"leaf01a:swp{port}", ens2f1=f"leaf01b:swp{port}")


@pytest.fixture(scope="module", name="dedicated")
def _dedicated_site():
    return _site("eos", _dedicated)


def _host(site, node="ove-w1", edit=None):
    doc = node_show(site[3], "ove-small", node)
    if edit:
        edit(doc)
    return {node: host_state.parse_nmstate(yaml.safe_dump(doc), "bond0")}


def _iface(doc, name, kind=None):
    return next(i for i in doc["interfaces"] if i["name"] == name and kind in (None, i.get("type")))


def test_dedicated_layout_reads_the_vm_bond_and_the_mapping_per_network(dedicated):
    hosts = {**_host(dedicated, "ove-w1"), **_host(dedicated, "ove-w2")}
    switches = {leaf: _cfg(dedicated, leaf, "eos") for leaf in ("leaf01a", "leaf01b")}
    result = _drift(dedicated, switches, hosts)
    assert result["findings"] == [] and result["notes"] == [], result
    record = hosts["ove-w1"]
    assert sorted(record["bonds"]) == ["bond0", "bond1"] and record["bridge_mappings"] == [
        {"localnet": "vm-db", "bridge": "br-vms"}, {"localnet": "vm-web", "bridge": "br-vms"}]

    def no_vm_db(doc):
        doc["ovn"]["bridge-mappings"] = [m for m in doc["ovn"]["bridge-mappings"] if m["localnet"] != "vm-db"]
    result = _drift(dedicated, hosts=_host(dedicated, edit=no_vm_db))
    assert _found(result) == [("VLAN003", W1)] and "network(s) vm-db of" in result["findings"][0].message

    def bond1_on_br_ex(doc):   # the VM bond out of br-vms: no VM network reaches it
        _iface(doc, "br-vms")["bridge"]["port"] = []
    result = _drift(dedicated, hosts=_host(dedicated, edit=bond1_on_br_ex))
    assert _found(result) == [("VLAN003", W1)] and "vm-db, vm-web" in result["findings"][0].message

    def bond1_slow(doc):
        _iface(doc, "bond1")["link-aggregation"]["options"]["lacp_rate"] = "slow"
    result = _drift(dedicated, hosts=_host(dedicated, edit=bond1_slow))
    assert {f.rule for f in result["findings"]} == {"BOND004"}
    assert all("bond1" in f.message for f in result["findings"]), result["findings"]


def test_bridge_cni_reads_the_trunk_of_the_vm_bond():
    site = _site("eos", lambda c: _dedicated(c, cni="bridge"))
    assert _drift(site, hosts=_host(site))["findings"] == []

    def only_vm_web(doc):
        _iface(doc, "br-vms")["bridge"]["port"][0]["vlan"]["trunk-tags"] = [{"id": 100}]
    result = _drift(site, hosts=_host(site, edit=only_vm_web))
    assert _found(result) == [("VLAN003", W1)] and "network(s) vm-db of" in result["findings"][0].message


def test_eos_trunk_missing_a_vlan_is_vlan003(eos):
    head = "interface Port-Channel1\n   description ove-w1:bond0\n   mtu 9214\n   switchport\n   switchport mode trunk\n"
    leaf = _cfg(eos, "leaf01a", "eos", (head + "   switchport trunk allowed vlan 10,20,30,100-101",
                                        head + "   switchport trunk allowed vlan 10,30,100-101"))
    result = _drift(eos, {"leaf01a": leaf})
    assert _found(result) == [("VLAN003", f"{W1}.nics[ens1f0]")]
    finding = result["findings"][0]
    assert "leaf01a Ethernet1 does not allow network(s) storage" in finding.message
    assert finding.related == ("fabric.leaf_pairs[1].leaves[0]",)


def test_eos_native_vlan_on_the_switch_only_is_vlan004(eos):
    """ove-small sends its machine network (mgmt, VLAN 10) untagged and its ports say native VLAN 10: a native
    VLAN the host does not send untagged (20, set on the switch only), or none on the switch, is VLAN004."""
    native = "   switchport trunk native vlan 10\n   mlag 1"
    leaf = _cfg(eos, "leaf01a", "eos", (native, "   switchport trunk native vlan 20\n   mlag 1"))
    result = _drift(eos, {"leaf01a": leaf})
    assert set(_found(result)) == {("VLAN004", f"{W1}.nics[ens1f0]")}
    assert {f.message for f in result["findings"]} >= {"host sends native VLAN 10 but leaf01a Port-Channel1 has native VLAN 20"}
    leaf = _cfg(eos, "leaf01a", "eos", (native, "   mlag 1"))
    result = _drift(eos, {"leaf01a": leaf})
    assert set(_found(result)) == {("VLAN004", f"{W1}.nics[ens1f0]")}
    assert "has native VLAN none" in result["findings"][0].message


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
    head = "interface port-channel1\n  description ove-w1:bond0\n  switchport\n  switchport mode trunk\n" \
        "  switchport trunk native vlan 10\n"
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
    doc = node_show(eos[3], "ove-small", "ove-w1")
    doc["interfaces"] = [i for i in doc["interfaces"] if i["name"] != "bond0.20"]
    bond = next(i for i in doc["interfaces"] if i["name"] == "bond0")
    bond["link-aggregation"]["options"]["lacp_rate"] = "slow"
    result = _drift(eos, hosts={"ove-w1": host_state.parse_nmstate(yaml.safe_dump(doc))})
    found = _found(result)
    assert set(found) == {("BOND004", W1), ("VLAN003", W1)}, found   # BOND004 once per leaf
    vlan003 = next(f for f in result["findings"] if f.rule == "VLAN003")
    assert "network(s) storage of the cluster are not on bond0" in vlan003.message
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
