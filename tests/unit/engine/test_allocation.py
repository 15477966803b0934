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
    # one finding for the pool, naming it, with the size it needs and examples of what did not fit
    assert [(f.rule, f.path) for f in info.value.findings] == [("POOL001", "fabric.pools.p2p4")]
    finding = info.value.findings[0]
    assert "2 allocation(s) fall outside it; it needs at least /27 (32 addresses), has /30 (4 addresses)" in finding.message
    assert finding.related == ("fabric.leaf_pairs[1].leaves[1]",)


def test_exhausted_pools_give_one_finding_per_pool_with_counts(small):
    """88 allocations outside one pool used to be 88 findings, none naming the pool."""
    small["fabric"]["leaf_pairs"] += [{"rack": r, "leaves": [f"leaf{r:02d}a", f"leaf{r:02d}b"]} for r in range(2, 25)]
    small["fabric"]["pools"]["p2p4"] = "10.254.0.0/26"        # 32 addresses: 16 links of 8 * 48 needed
    small["networks"][0]["ipv4"] = "10.10.10.0/29"
    with pytest.raises(ModelError) as info:
        site_facts(load_model(small))
    by_path = {f.path: f for f in info.value.findings if f.rule == "POOL001"}
    assert sorted(by_path) == ["fabric.pools.p2p4", "networks[mgmt].ipv4"]
    p2p = by_path["fabric.pools.p2p4"].message
    assert "10.254.0.0/26 is exhausted: 88 allocation(s) fall outside it; it needs at least /22 " \
           "(1,024 addresses), has /26 (64 addresses); for fabric.leaf_pairs[10].leaves[0]" in p2p, p2p
    assert "and 41 more" in p2p   # 44 leaves miss the pool, 3 named
    assert "enlarge fabric.pools.p2p4 to /22" in by_path["fabric.pools.p2p4"].hint
