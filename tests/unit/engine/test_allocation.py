"""Stable allocation: adding a node, a leaf pair or a spine renumbers nothing that exists."""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.design.facts import site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model


def snapshot(raw):
    facts = site_facts(load_model(raw))
    sw = {n: (s["asn"], s["loopback4"], s["loopback6"], s.get("vtep4")) for n, s in facts.switches.items()}
    links = {(l["spine"], l["leaf"]): (l["spine_ip4"], l["leaf_ip4"], l["spine_ip6"], l["leaf_ip6"]) for l in facts.links}
    return sw, links, dict(facts.addresses), {lf: dict(v) for lf, v in facts.svis.items()}


def assert_superset(before, after):
    for old, new in zip(before, after):
        for key, value in old.items():
            assert new[key] == value, key


def test_known_answers(small):
    facts = site_facts(load_model(small))
    assert facts.switches["spine2"]["loopback4"] == "10.255.0.2"
    assert facts.switches["leaf01b"]["loopback4"] == "10.255.0.66"      # leaf_offset 64 + leaf id 2
    assert facts.switches["leaf01a"]["asn"] == 65101                      # leaf_base + rack
    link = next(l for l in facts.links if l["spine"] == "spine2" and l["leaf"] == "leaf01b")
    # link index (leaf id 2 - 1) * max_spines 8 + (spine id 2 - 1) = 9 -> 10.254.0.18/31
    assert (link["spine_ip4"], link["leaf_ip4"]) == ("10.254.0.18", "10.254.0.19")
    assert facts.addresses[("ove-small", "ove-w2", "mgmt")]["ipv4"] == "10.10.10.12/24"
    assert facts.addresses[("azl-small", "azl-n1", "mgmt")]["ipv4"] == "10.10.10.111/24"  # address_offset 100
    assert facts.svis["leaf01a"]["mgmt"]["ipv4"] == "10.10.10.254/24"     # leaf id 1 -> last usable


def test_adding_a_node_renumbers_nothing(small):
    before = snapshot(small)
    # a new node with a lower id than existing ones, listed first
    small["clusters"][0]["nodes"].insert(0, {"name": "ove-w0", "id": 3, "nics": {"ens1f0": "leaf01a:swp3", "ens1f1": "leaf01b:swp3"}})
    after = snapshot(small)
    assert_superset(before, after)
    assert after[2][("ove-small", "ove-w0", "mgmt")]["ipv4"] == "10.10.10.13/24"


def test_adding_a_leaf_pair_and_a_spine_renumbers_nothing(small):
    before = snapshot(small)
    small["fabric"]["leaf_pairs"].insert(0, {"rack": 2, "leaves": ["leaf02a", "leaf02b"]})
    small["fabric"]["spines"].insert(0, {"name": "spine3", "id": 3})
    after = snapshot(small)
    assert_superset(before, after)
    assert after[0]["leaf02a"][1] == "10.255.0.67"


def test_explicit_values_win_and_are_validated(small):
    small["clusters"][0]["nodes"][0]["addresses"] = {"mgmt": {"ipv4": "10.10.10.200"}}
    facts = site_facts(load_model(small))
    assert facts.addresses[("ove-small", "ove-w1", "mgmt")]["ipv4"] == "10.10.10.200/24"
    small["clusters"][0]["nodes"][0]["addresses"] = {"mgmt": {"ipv4": "10.99.0.1"}}
    with pytest.raises(ModelError) as info:
        site_facts(load_model(small))
    assert [(f.rule, f.path) for f in info.value.findings] == [
        ("ADDR003", "clusters[ove-small].nodes[ove-w1].addresses[mgmt].ipv4")]


def test_pool_exhausted_is_located(small):
    small["fabric"]["pools"]["p2p4"] = "10.254.0.0/30"        # 2 links, 4 needed (ids up to index 9)
    with pytest.raises(ModelError) as info:
        site_facts(load_model(small))
    found = {(f.rule, f.path) for f in info.value.findings}
    assert ("POOL001", "fabric.leaf_pairs[1].leaves[1]") in found
    assert all(f.rule == "POOL001" for f in info.value.findings)
    assert "pool exhausted" in info.value.findings[0].message
