"""Both rendered sides agree: the leaf structured configs carry what the rendered intents need.

Reads only rendered artifacts: ``azure_local/<cluster>/hostNetwork.json`` (host
side: adapters, storage VLANs, jumbo packet, RDMA) and
``structured/<leaf>.yml`` (switch side: per-port allowed VLANs, MTU, DCB),
joined through the cabling of the model (node NIC -> leaf:port).  The rules
checked are Network ATC's, stated independently of the design code:

* a storage-only adapter n carries storage VLAN n and nothing else; a
  converged adapter carries every storage VLAN of its intent; a
  management/compute adapter carries no storage VLAN;
* with switchless storage no storage VLAN is on any leaf;
* the port passes the adapter's frames: port IP MTU >= JumboPacket - 14;
* RoCE/RoCEv2 needs PFC on the SMB priority (3 unless QoS is overridden) on
  the port and in the leaf's DCB section; iWARP and no RDMA need none.
"""

from __future__ import annotations

import pytest

from ._helpers import build, build_example, cluster, example_vars, has_example, host_network, structured

ETHERNET_HEADER = 14


def check_sides(variables, name, result=None):
    result = result or build(variables)
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    doc = host_network(result, name)
    model_cluster = cluster(variables, name)
    vlan_of = {n["name"]: int(n["vlanId"]) for n in doc["storageNetworks"]}
    storage_vlans = set(vlan_of.values())
    by_adapter = {n["networkAdapterName"]: int(n["vlanId"]) for n in doc["storageNetworks"]}
    leaves = {}
    checked = 0
    for node in model_cluster["nodes"]:
        for intent in doc["intents"]:
            for adapter in intent["adapter"]:
                cable = node["nics"].get(adapter)
                if cable is None:
                    continue
                leaf, port_name = cable.split(":")
                if leaf not in leaves:
                    leaves[leaf] = structured(result, leaf)
                ports = {p["name"]: p for p in leaves[leaf]["ethernet_interfaces"]}
                port = ports.get(port_name)
                storage = "Storage" in intent["trafficType"]
                if doc["storageConnectivitySwitchless"]:
                    assert port is None or not storage_vlans & set(port["allowed_vlans"]), (node["name"], adapter)
                    if port is None:
                        continue
                assert port is not None, f"{leaf} {port_name} ({node['name']} {adapter}) missing in the leaf config"
                carried = storage_vlans & set(port["allowed_vlans"])
                if not storage or doc["storageConnectivitySwitchless"]:
                    assert carried == set(), (node["name"], adapter, carried)
                elif len(intent["trafficType"]) > 1:
                    assert carried == storage_vlans, (node["name"], adapter)
                else:
                    assert set(port["allowed_vlans"]) == {by_adapter[adapter]}, (node["name"], adapter)
                jumbo = intent["adapterPropertyOverrides"]["jumboPacket"]
                if jumbo:
                    assert port["mtu"] >= int(jumbo) - ETHERNET_HEADER, (leaf, port_name, port["mtu"], jumbo)
                ap = intent["adapterPropertyOverrides"]
                roce = ap["networkDirect"] == "Enabled" and ap["networkDirectTechnology"] in ("RoCE", "RoCEv2")
                smb = int(intent["qosPolicyOverrides"]["priorityValue8021Action_SMB"]) if intent["overrideQosPolicy"] else 3
                if roce and carried:
                    assert port["dcb"] and port["dcb"]["pfc_priorities"] == [smb], (leaf, port_name)
                    dcb = leaves[leaf]["dcb"]
                    assert dcb["enabled"] and smb in dcb["pfc_priorities"] and port_name in dcb["interfaces"]
                else:
                    assert not port["dcb"], (leaf, port_name)
                checked += 1
    return checked, leaves


def test_small_leaves_carry_what_the_intents_need():
    checked, leaves = check_sides(example_vars("small"), "azl-small")
    assert checked == 8
    # storage adapter 1 of both nodes on leaf01a, adapter 2 on leaf01b: one storage VLAN per host port
    ports_a = {p["name"]: p for p in leaves["leaf01a"]["ethernet_interfaces"]}
    ports_b = {p["name"]: p for p in leaves["leaf01b"]["ethernet_interfaces"]}
    assert ports_a["swp21"]["allowed_vlans"] == [711] and ports_b["swp21"]["allowed_vlans"] == [712]


def test_converged_intent_carries_every_storage_vlan():
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["intents"] = [{"name": "converged", "traffic": ["management", "compute", "storage"],
                     "adapters": ["pNIC01", "pNIC02"], "storage_networks": ["azl-storage1", "azl-storage2"],
                     "jumbo_packet": 9014, "rdma": "roce_v2", "qos": {"priority_smb": 4, "override": True}}]
    for node in c["nodes"]:
        node["nics"] = {k: n for k, n in node["nics"].items() if k in ("pNIC01", "pNIC02")}
    checked = check_sides(v, "azl-small")[0]
    assert checked == 4


def test_switchless_puts_no_storage_vlan_on_switches():
    v = example_vars("small")
    cluster(v, "azl-small")["storage"] = {"switchless": True, "auto_ip": True}
    checked, leaves = check_sides(v, "azl-small")
    assert checked == 4
    for leaf in leaves.values():
        assert not {vl["id"] for vl in leaf["vlans"]} & {711, 712}


def test_iwarp_needs_no_dcb():
    v = example_vars("small")
    cluster(v, "azl-small")["intents"][1]["rdma"] = "iwarp"
    check_sides(v, "azl-small")


def test_the_checker_catches_a_wrong_switch_side():
    """Independent of the design: a leaf port with both storage VLANs on a storage-only adapter is wrong."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import facts as facts_module

    original = facts_module._port

    def wider(facts, model, cable, networks, native_vlan, channel, dcb=None, memo=None):
        if cable["nic"] == "pNIC03":
            networks = sorted(set(networks) | {"azl-storage2"})
        return original(facts, model, cable, networks, native_vlan, channel, dcb, None)

    facts_module._port = wider
    try:
        with pytest.raises(AssertionError):
            check_sides(example_vars("small"), "azl-small")
    finally:
        facts_module._port = original


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_leaves_carry_what_the_intents_need():
    v = example_vars("dc1")
    for c in v["dcnet_clusters"]:
        if c["platform"] == "azure_local":
            checked = check_sides(v, c["name"], build_example("dc1"))[0]
            assert checked == 4 * len(c["nodes"])


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_placement_one_tor_pair_storage_on_its_tor():
    """dc1 as rendered: each Azure Local cluster on the leaves of one rack; storage VLAN A only on ToR-A,
    B only on ToR-B, on no peer link, without VNI or SVI (Microsoft's ToR reference), in the structured
    configs and in the rendered NX-OS / FRR text."""
    import re

    result = build_example("dc1")
    variables = example_vars("dc1")
    for name, rack, (vlan_a, vlan_b) in (("azl-a", 9, (711, 712)), ("azl-b", 11, (713, 714))):
        leaves = {c.split(":")[0] for n in cluster(variables, name)["nodes"] for c in n["nics"].values()}
        assert leaves == {f"leaf{rack:02d}a", f"leaf{rack:02d}b"}, (name, leaves)
        for leaf, own, other in ((f"leaf{rack:02d}a", vlan_a, vlan_b), (f"leaf{rack:02d}b", vlan_b, vlan_a)):
            config = structured(result, leaf)
            vlans = {v["id"]: v for v in config["vlans"]}
            assert own in vlans and other not in vlans, (leaf, sorted(vlans))
            assert vlans[own]["vni"] is None and vlans[own]["svi"] is None
            assert not {vlan_a, vlan_b} & set(config["mlag"]["peer_link"]["allowed_vlans"])
            text = result["files"][f"switches/{leaf}.cfg"] + result["files"].get(f"switches/{leaf}.interfaces", "")
            assert f"vlan {other}\n" not in text and f"interface Vlan{own}" not in text and f"vni {10000 + own}" not in text
            for vids in re.findall(r"(?:switchport trunk allowed vlan|bridge-vids) (.*)", text):
                assert not re.search(rf"(^|[ ,-]){other}($|[ ,-])", vids), (leaf, vids)
        other_leaves = [lf for lf in (structured(result, f"leaf{r:02d}{s}") for r in range(1, 13) for s in "ab")
                        if lf["rack"] != rack]
        assert not [lf["hostname"] for lf in other_leaves if {vlan_a, vlan_b} & {v["id"] for v in lf["vlans"]}]


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_pxe_relay_on_the_management_vlan():
    """azl-a asks for PXE: both rack-9 leaves relay DHCP on VLAN 11 to the infra host (NX-OS text)."""
    import yaml

    result = build_example("dc1")
    pxe = yaml.safe_load(result["files"]["structured/clusters/azl-a.yml"])["azure_local"]["deployment"]["pxe"]
    assert pxe["vlan"] == 11 and pxe["relay_to"] == ["10.13.0.11"]
    for leaf in ("leaf09a", "leaf09b"):
        svi = next(v for v in structured(result, leaf)["vlans"] if v["id"] == 11)["svi"]
        assert svi["dhcp_relay"] == ["10.13.0.11"]
        text = result["files"][f"switches/{leaf}.cfg"]
        block = text[text.index("interface Vlan11"):]
        assert "ip dhcp relay address 10.13.0.11" in block[:block.index("\n!")]
