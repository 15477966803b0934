"""Each Network ATC rule: the example passes, one broken input fails with the rule's id and a model path."""

from __future__ import annotations

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import all_rules

from ._helpers import cluster, example_vars, findings


def small():
    return example_vars("small")


def azl(variables):
    return cluster(variables, "azl-small")


def _adapter_twice(v):
    azl(v)["intents"][1]["adapters"] = ["pNIC02", "pNIC04"]


def _two_storage_intents(v):
    c = azl(v)
    c["intents"][1]["adapters"] = ["pNIC03"]
    c["intents"][1]["storage_networks"] = ["azl-storage1"]
    c["intents"].append({"name": "storage2", "traffic": ["storage"], "adapters": ["pNIC04"],
                         "storage_networks": ["azl-storage2"], "jumbo_packet": 9014, "rdma": "roce_v2"})


def _two_management_intents(v):
    azl(v)["intents"][1]["traffic"] = ["management", "storage"]


def _storage_network_shared(v):
    ove = cluster(v, "ove-small")
    ove["networks"].append("azl-storage1")


def _storage_network_wrong_role(v):
    net = next(n for n in v["dcnet_networks"] if n["name"] == "azl-storage2")
    net["role"] = "vm"


def _jumbo(v):
    azl(v)["intents"][1]["jumbo_packet"] = 9000


def _rdma_mixed(v):
    azl(v)["intents"][1]["rdma_per_adapter"] = {"pNIC04": "iwarp"}


def _rdma_typo(v):
    azl(v)["intents"][1]["rdma_per_adapter"] = {"pNIC05": "roce_v2"}


def _storage_split_over_pairs(v):
    v["dcnet_fabric"]["leaf_pairs"].append({"rack": 2, "leaves": ["leaf02a", "leaf02b"]})
    node = azl(v)["nodes"][1]
    node["nics"] = {"pNIC01": "leaf02a:swp12", "pNIC02": "leaf02b:swp12", "pNIC03": "leaf02a:swp22",
                    "pNIC04": "leaf02b:swp22"}


def _networks_per_adapter(v):
    azl(v)["intents"][1]["storage_networks"] = ["azl-storage1"]


def _storage_networks_on_compute(v):
    azl(v)["intents"][0]["storage_networks"] = ["azl-storage1"]


def _switchless_five_nodes(v):
    c = azl(v)
    c["storage"] = {"switchless": True, "auto_ip": True}
    for i in (3, 4, 5):
        c["nodes"].append({"name": f"azl-n{i}", "id": i,
                           "nics": {"pNIC01": f"leaf01a:swp{10 + i}", "pNIC02": f"leaf01b:swp{10 + i}"}})


def _node_on_other_pair(v):
    _storage_split_over_pairs(v)


def _storage_vlan_with_vni(v):
    _storage_split_over_pairs(v)
    v["dcnet_fabric"]["overlay"] = "evpn_vxlan"


def _storage_adapter_on_other_tor(v):
    node = azl(v)["nodes"][1]
    node["nics"]["pNIC03"], node["nics"]["pNIC04"] = "leaf01b:swp22", "leaf01a:swp22"


def _storage_routed(v):
    net = next(n for n in v["dcnet_networks"] if n["name"] == "azl-storage2")
    net["gateway_on"] = "fabric"


def _no_management(v):
    c = azl(v)
    c["intents"][0]["traffic"] = ["compute"]


def _qos_without_override(v):
    azl(v)["intents"][1]["qos"] = {"priority_smb": 4}


CASES = [
    ("ATC001", _adapter_twice, "clusters[azl-small].intents[storage].adapters[0]", "already in intent 'mgmt_compute'"),
    ("ATC002", _two_storage_intents, "clusters[azl-small].intents[storage2].traffic", "already on intent 'storage'"),
    ("ATC002", _two_management_intents, "clusters[azl-small].intents[storage].traffic", "management traffic"),
    ("ATC003", _storage_network_shared, "clusters[azl-small].intents[storage].storage_networks[0]", "ove-small"),
    ("ATC003", _storage_network_wrong_role, "clusters[azl-small].intents[storage].storage_networks[1]", "role 'vm'"),
    ("ATC004", _jumbo, "clusters[azl-small].intents[storage].jumbo_packet", "JumboPacket 9000"),
    ("ATC005", _rdma_mixed, "clusters[azl-small].intents[storage].rdma_per_adapter[pNIC04]", "uses iwarp"),
    ("ATC005", _rdma_typo, "clusters[azl-small].intents[storage].rdma_per_adapter[pNIC05]", "not an adapter"),
    ("ATC006", _storage_split_over_pairs, "clusters[azl-small].nodes[azl-n2].nics[pNIC03]", "no layer-2 path"),
    ("ATC008", _networks_per_adapter, "clusters[azl-small].intents[storage].storage_networks", "2 storage adapter(s)"),
    ("ATC008", _storage_networks_on_compute, "clusters[azl-small].intents[mgmt_compute].storage_networks",
     "no storage traffic"),
    ("ATC009", _switchless_five_nodes, "clusters[azl-small].storage.switchless", "5 nodes (at most 4)"),
    ("ATC010", _no_management, "clusters[azl-small].intents", "no intent carries management"),
    ("ATC011", _qos_without_override, "clusters[azl-small].intents[storage].qos", "priority_smb"),
    ("ATC012", _node_on_other_pair, "clusters[azl-small].nodes[azl-n2].nics[pNIC01]",
     "azl-n2 is cabled to leaf02a, leaf02b (rack 2)"),
    ("ATC013", _storage_vlan_with_vni, "clusters[azl-small].intents[storage].storage_networks[0]",
     "gets VNI 10711"),
    ("ATC015", _storage_adapter_on_other_tor, "clusters[azl-small].nodes[azl-n2].nics[pNIC03]",
     "leaf01b swp22 carries storage VLAN 711"),
    ("ATC016", _storage_routed, "networks[azl-storage2].gateway_on", "is routed (an anycast SVI"),
]


def test_example_is_clean():
    assert findings(small()) == []


@pytest.mark.parametrize("rule, mutate, path, text", CASES, ids=[f"{c[0]}-{c[1].__name__}" for c in CASES])
def test_rule_fails_on_broken_input(rule, mutate, path, text):
    v = small()
    mutate(v)
    found = [f for f in findings(v) if f.rule == rule]
    assert found, f"{rule} not raised; got {[str(f) for f in findings(v)]}"
    assert any(f.path == path and text in f.message for f in found), [str(f) for f in found]
    assert all(f.hint for f in found)


def test_atc006_reports_a_port_without_its_storage_vlan():
    """A leaf port that lost its storage VLAN (e.g. pruned by hand in the design) is reported."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.checks.azure_local import storage_ports_carry_vlans

    from ._helpers import model_and_facts
    model, facts = model_and_facts(small())
    port = facts.host_ports["leaf01a"]["swp21"]
    assert 711 in port["allowed_vlans"]
    port["allowed_vlans"] = []
    found = list(storage_ports_carry_vlans(model, facts, None))
    assert [f.path for f in found] == ["clusters[azl-small].nodes[azl-n1].nics[pNIC03]"]
    assert "does not carry storage VLAN 711" in found[0].message


def test_placement_findings_carry_both_paths():
    """A placement error names the misplaced adapter and, as related, where the cluster (or VLAN) lives."""
    v = small()
    _node_on_other_pair(v)
    found = [f for f in findings(v) if f.rule == "ATC012"]
    assert [(f.path, f.related) for f in found] == [
        ("clusters[azl-small].nodes[azl-n2].nics[pNIC01]", ("clusters[azl-small].nodes[azl-n1].nics[pNIC01]",))]
    v = small()
    _storage_adapter_on_other_tor(v)
    found = sorted((f.path, f.related) for f in findings(v) if f.rule == "ATC015")
    assert found == [
        ("clusters[azl-small].nodes[azl-n2].nics[pNIC03]",
         ("clusters[azl-small].nodes[azl-n1].nics[pNIC03]", "clusters[azl-small].intents[storage].storage_networks[0]")),
        ("clusters[azl-small].nodes[azl-n2].nics[pNIC04]",
         ("clusters[azl-small].nodes[azl-n1].nics[pNIC04]", "clusters[azl-small].intents[storage].storage_networks[1]"))]


def test_evpn_is_not_one_layer2_domain_for_storage():
    """ATC006 reports storage split over two leaf pairs even when EVPN stretches the VLAN."""
    v = small()
    _storage_vlan_with_vni(v)
    assert any(f.rule == "ATC006" and "no layer-2 path" in f.message for f in findings(v))


def test_peer_link_leaves_storage_vlans_out_and_atc014_catches_one_put_back():
    """The design keeps storage VLANs off the MLAG peer link (and each storage VLAN on its own ToR);
    a peer link that carries one (edited design) is ATC014 with the leaf as related path."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.checks import run_checks
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design

    from ._helpers import model_and_facts
    model, facts = model_and_facts(small())
    built = design(model, facts)
    for leaf, own, other in (("leaf01a", 711, 712), ("leaf01b", 712, 711)):
        config = built["switches"][leaf]
        assert not {711, 712} & set(config["mlag"]["peer_link"]["allowed_vlans"])
        assert 10 in config["mlag"]["peer_link"]["allowed_vlans"]
        vlans = {v["id"] for v in config["vlans"]}
        assert own in vlans and other not in vlans, (leaf, sorted(vlans))
    built["switches"]["leaf01a"]["mlag"]["peer_link"]["allowed_vlans"].append(712)
    active, _waived = run_checks(model, facts, built)
    found = [f for f in active if f.rule == "ATC014"]
    assert [(f.path, f.related) for f in found] == [
        ("clusters[azl-small].intents[storage].storage_networks[1]", ("fabric.leaf_pairs[1].leaves[0]",))]
    assert "peer link" in found[0].message


def test_sdn_mac_pools_of_two_clusters_must_not_overlap():
    """dc1's azl-b has an SDN MAC pool; giving azl-a an overlapping one is ATC023 with azl-b as related."""
    from ._helpers import has_example
    if not has_example("dc1"):
        pytest.skip("examples/dc1 is not in this checkout")
    v = example_vars("dc1")
    assert [f for f in findings(v) if f.severity == "error"] == []
    cluster(v, "azl-a")["azure_local"]["sdn"] = {"enabled": True, "mac_pool_start": "02:00:5e:12:80:00",
                                                 "mac_pool_stop": "02:00:5e:13:00:00"}
    found = [f for f in findings(v) if f.rule == "ATC023"]
    assert [(f.path, f.related) for f in found] == [("clusters[azl-b].azure_local.sdn", ("clusters[azl-a].azure_local.sdn",))]
    assert "overlaps the pool of cluster 'azl-a'" in found[0].message


def test_infra_pool_clash_names_the_node():
    v = small()
    azl(v)["azure_local"] = {"infra_pool": {"start": "10.10.10.108", "end": "10.10.10.115"}}
    found = [f for f in findings(v) if f.rule == "ATC018"]
    assert len(found) == 1 and "10.10.10.111 (clusters[azl-small].nodes[azl-n1])" in found[0].message
    assert "clusters[azl-small].nodes[azl-n1]" in found[0].related


def test_every_rule_is_documented():
    rules = {rid: r for rid, r in all_rules().items() if rid.startswith("ATC")}
    assert set(rules) >= {f"ATC{n:03d}" for n in range(1, 24)}
    for rid, rule in rules.items():
        assert rule.family == "azure_local" and rule.doc, rid
        if rule.func is not None:
            assert "Why" in rule.doc and "Fix" in rule.doc, rid
