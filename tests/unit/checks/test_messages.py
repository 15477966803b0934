"""What the messages say: numbers a network engineer can check by hand."""

from __future__ import annotations

import copy
import datetime
import os


from ansible_collections.dcnet.fabric.plugins.module_utils.checks import all_rules, run_checks
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _small():
    raw = example_model("small")
    # MetalLB and the leaves share the session password (MLB003 wants both ends or neither)
    raw["fabric"].setdefault("bgp", {})["password_var"] = "dcnet_bgp_password"
    return raw


def _findings(raw, rule):
    model = load_model(copy.deepcopy(raw))
    facts = site_facts(model)
    return [f for f in run_checks(model, facts, design(model, facts), datetime.date(2026, 6, 1))[0] if f.rule == rule]


def test_layer2_spread_matches_the_formula():
    """layer2 hash = src MAC[5] ^ dst MAC[5] ^ 0x0800, modulo 2 members.

    VM k has MAC last byte k (k < 64), the gateway 0x01: (k ^ 1 ^ 0x800) & 1 alternates with k,
    so the links carry 50%/50% of 2 networks x 64 VMs x 8 flows = 1024 flows, and every VM keeps
    100% of its flows on one link. Pod-network flows leave with the node's MAC (last byte 0):
    0 ^ 1 ^ 0x800 is odd, so all 512 go to one link.
    """
    raw = _small()
    raw["bond_profiles"]["lacp"]["xmit_hash_policy"] = "layer2"
    (finding,) = _findings(raw, "BOND005")
    assert "each VM sends 100% of its VM->gateway flows on one link" in finding.message
    assert "links carry 50%/50% of 1024 flows" in finding.message
    assert "100% of 512 on one link" in finding.message
    assert "2 links of bond0" in finding.message


def test_failover_per_session_class():
    raw = _small()
    found = {f.path: f.message for f in _findings(raw, "BGP004")}
    # 2 spines x 2 leaves x 2 families; MetalLB: 2 nodes x 2 leaves x 2 families
    assert found["fabric.bfd"] == "underlay: 8 session(s), failover after 900 ms (BFD 300 ms x 3)"
    assert found["clusters[ove-small].metallb"].endswith("8 session(s), failover after 900 ms (BFD 300 ms x 3)")
    raw["fabric"]["bfd"]["enabled"] = False
    found = {f.path: f.message for f in _findings(raw, "BGP004")}
    assert found["fabric.bfd"] == "underlay: 8 session(s), failover after 9 s (hold time, no BFD)"


def test_path_bottleneck_is_named():
    raw = _small()
    raw["fabric"]["overlay"] = "evpn_vxlan"
    raw["fabric"]["leaf_pairs"].append({"rack": 2, "leaves": ["leaf02a", "leaf02b"]})
    raw["clusters"][0]["nodes"][1]["nics"] = {"ens1f0": "leaf02a:swp2", "ens1f1": "leaf02b:swp2"}
    raw["bond_profiles"]["lacp"]["mtu"] = 9216
    raw["networks"][1]["mtu"] = 9200
    (finding,) = _findings(raw, "MTU008")
    # the uplink is 9216 - 50 bytes of VXLAN = 9166, the first hop of the path with that MTU
    assert finding.message.startswith("network MTU 9200 > path MTU 9166: bottleneck leaf01a:swp49->spine1:swp1 (VXLAN)")
    assert "ove-w1:bond0 9216 -> leaf01a:swp1 9216 -> " in finding.message


def test_overlay_overhead_in_message():
    raw = _small()
    raw["networks"][0]["mtu"] = 9000
    raw["clusters"][1]["intents"][0]["jumbo_packet"] = 9014
    raw["clusters"][0]["ipsec"] = True
    raw["clusters"][0]["overlay_mtu"] = 8900
    (finding,) = _findings(raw, "MTU001")
    assert "8900 + 146 bytes of geneve + IPsec overhead = 9046 > network mgmt MTU 9000" in finding.message


def test_every_rule_registered_once_with_family():
    families = {r.family for r in (r for r in all_rules().values() if r.func is not None)}
    assert {"mtu", "vlan", "bond", "bgp", "dualstack", "dhcp"} <= families
