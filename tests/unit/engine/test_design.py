"""Both ends of every cable and session come from one fact."""

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model


def build(raw):
    model = load_model(raw)
    facts = site_facts(model)
    return model, facts, design(model, facts)


def test_each_cable_gives_host_member_and_leaf_member(small):
    model, facts, d = build(small)
    for node_name, node in d["nodes"].items():
        if not node["bond"]:
            continue
        for nic in node["nics"]:
            leaf = d["switches"][nic["leaf"]]
            port = next(p for p in leaf["ethernet_interfaces"] if p["name"] == nic["leaf_port"])
            assert port["channel"]["id"] == node["bond"]["channel_id"]
            channel = next(c for c in leaf["port_channels"] if c["id"] == port["channel"]["id"])
            assert nic["leaf_port"] in channel["members"]
            assert channel["lacp"] == "active" and channel["lacp_rate"] == node["bond"]["options"]["lacp_rate"]


def test_leaf_port_vlans_are_the_networks_of_the_bond(small):
    model, facts, d = build(small)
    for node in d["nodes"].values():
        cluster = model.clusters[node["cluster"]]
        if not node["bond"]:
            continue
        expected = sorted(model.networks[n]["vlan"] for n in cluster["networks"])
        for nic in node["nics"]:
            port = next(p for p in d["switches"][nic["leaf"]]["ethernet_interfaces"] if p["name"] == nic["leaf_port"])
            assert port["allowed_vlans"] == expected


def test_azure_storage_vlan_only_on_its_adapter(small):
    model, facts, d = build(small)
    ports = {p["description"]: p for p in d["switches"]["leaf01a"]["ethernet_interfaces"]}
    assert ports["azl-n1:pNIC01"]["allowed_vlans"] == [10, 100]       # mgmt + compute (vm-web)
    assert ports["azl-n1:pNIC03"]["allowed_vlans"] == [711]           # storage adapter 1 -> storage network 1
    assert ports["azl-n1:pNIC03"]["dcb"]["pfc_priorities"] == [3]
    ports_b = {p["description"]: p for p in d["switches"]["leaf01b"]["ethernet_interfaces"]}
    assert ports_b["azl-n1:pNIC04"]["allowed_vlans"] == [712]


def test_metallb_sessions_match_on_both_sides(small):
    model, facts, d = build(small)
    sessions = [s for s in facts.sessions if s["kind"] == "metallb"]
    assert len(sessions) == 2 * 2 * 2                                  # 2 nodes x 2 leaves x 2 families
    for s in sessions:
        leaf = d["switches"][s["a"]["device"]]
        neighbor = next(n for n in leaf["bgp"]["neighbors"] if n["ip"] == s["b"]["ip"])
        assert neighbor["remote_as"] == 65200
        node = d["nodes"][s["b"]["device"]]
        addresses = [a for v in node["vlan_interfaces"] + [node["bond"]] for a in v["ipv4"] + v["ipv6"]]
        assert any(s["b"]["ip"] + "/" in a for a in addresses)        # mgmt is native on bond0 in examples/small


def test_underlay_sessions_are_symmetric(small):
    model, facts, d = build(small)
    for s in facts.sessions:
        if s["kind"] != "underlay":
            continue
        a, b = d["switches"][s["a"]["device"]], d["switches"][s["b"]["device"]]
        na = next(n for n in a["bgp"]["neighbors"] if n["ip"] == s["b"]["ip"])
        nb = next(n for n in b["bgp"]["neighbors"] if n["ip"] == s["a"]["ip"])
        assert na["remote_as"] == b["asn"] and nb["remote_as"] == a["asn"]


def test_design_is_deterministic(small):
    assert build(small)[2] == build(small)[2]
