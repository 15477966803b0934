"""ESXi hosts as a cluster (platform vmware): vSwitch teaming -> leaf ports, read back from rendered configs.

The model is examples/vmware (its VMware cluster prod-cluster-01: dvs-prod by originating port, vSwitch0 by
explicit failover, vSwitch1 by IP hash), on each switch platform; the expectations come from the model.
"""

from __future__ import annotations

import copy

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from ansible_collections.dcnet.fabric.plugins.module_utils.path.endpoints import PathError, resolve

from tests.unit.importer._helpers import example
from tests.unit.switches import parse
from tests.unit.switches.models import PORT_PREFIX

CLUSTER = "prod-cluster-01"
# vSphere teaming -> what the leaf ports of the uplinks must be (vSphere networking guide: IP hash only toward a
# static EtherChannel on one switch or a stack; a LAG toward LACP; every other policy toward independent ports)
LEAF_SIDE = {"loadbalance_srcid": None, "loadbalance_srcmac": None, "loadbalance_loadbased": None,
             "failover_explicit": None, "loadbalance_ip": "on", "lacp": "active"}


def _raw(platform="frr", teaming=None, rate=None):
    raw = example("vmware")
    raw["fabric"]["platform"] = platform
    for cluster in raw["clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {nic: cable.replace(":swp", ":" + PORT_PREFIX[platform]) for nic, cable in node["nics"].items()}
    esx = next(c for c in raw["clusters"] if c["name"] == CLUSTER)
    if teaming:
        dvs = next(v for v in esx["vswitches"] if v["name"] == "dvs-prod")
        dvs["teaming"] = teaming
        if rate:
            dvs["lacp"] = {"rate": rate}
    return raw


def _designed(raw):
    model = load_model(copy.deepcopy(raw))
    facts = site_facts(model)
    return model, facts, design(model, facts)


@pytest.mark.parametrize("teaming", sorted(LEAF_SIDE))
def test_teaming_decides_the_leaf_port_channel(teaming):
    model, facts, designed = _designed(_raw(teaming=teaming, rate="fast" if teaming == "lacp" else None))
    for node, first_port in (("esx001", 33), ("esx002", 34)):
        ports = [facts.host_ports[leaf][f"swp{first_port}"] for leaf in ("leaf01a", "leaf01b")]
        assert {p["vswitch"] for p in ports} == {"dvs-prod"} and {p["host_mtu"] for p in ports} == {9000}
        assert all(p["allowed_vlans"] == [100, 101, 102] for p in ports)
        if LEAF_SIDE[teaming] is None:
            assert all(p["channel"] is None for p in ports), (teaming, ports)
            continue
        for leaf in ("leaf01a", "leaf01b"):
            ch = facts.port_channels[leaf][first_port]
            assert (ch["lacp"], ch["members"], ch["mlag_id"], ch["allowed_vlans"]) == (
                LEAF_SIDE[teaming], [f"swp{first_port}"], first_port, [100, 101, 102])
            assert ch["description"] == f"{node}:dvs-prod"
            if teaming == "lacp":
                assert ch["lacp_rate"] == "fast"
    section = designed["clusters"][CLUSTER]["vmware"]["vswitches"][0]
    assert section["leaf_ports"] == {None: "independent trunk ports", "on": "static port-channel",
                                     "active": "LACP port-channel"}[LEAF_SIDE[teaming]]


def test_vswitch_networks_come_from_port_groups_or_the_list():
    model, facts, designed = _designed(_raw())
    node = designed["nodes"]["esx001"]
    assert {vs["name"]: vs["networks"] for vs in node["vswitches"]} == {
        "dvs-prod": ["dpg-shop-web-100", "dpg-crm-web-101", "dpg-erp-web-102"],   # DPG-* port groups on dvs-prod
        "vSwitch0": ["mgmt"],                                                       # Management Network
        "vSwitch1": ["dpg-shop-web-100"]}                                           # Legacy Web
    # the ESXi management address is a VMkernel adapter on mgmt, derived like any node address
    assert [(v["name"], v["ipv4"]) for v in node["vlan_interfaces"]] == [("vmk-mgmt", ["10.10.10.211/24"])]
    raw = _raw()
    esx = next(c for c in raw["clusters"] if c["name"] == CLUSTER)
    esx["vswitches"][1]["networks"] = ["mgmt", "dpg-erp-web-102"]
    model, facts, designed = _designed(raw)
    assert facts.host_ports["leaf01a"]["swp31"]["allowed_vlans"] == [10, 102]
    # one vSwitch carries every network of the cluster
    raw = _raw()
    esx = next(c for c in raw["clusters"] if c["name"] == CLUSTER)
    esx["vswitches"] = esx["vswitches"][:1]
    for node in esx["nodes"]:
        node["nics"] = {k: v for k, v in node["nics"].items() if k in ("vmnic2", "vmnic3")}
    model, facts, designed = _designed(raw)
    assert facts.host_ports["leaf01a"]["swp33"]["allowed_vlans"] == [10, 100, 101, 102]


@pytest.mark.parametrize("platform", sorted(PORT_PREFIX))
def test_rendered_leaf_ports_follow_the_teaming(platform):
    pytest.importorskip("ciscoconfparse2")
    raw = _raw(platform, teaming="lacp", rate="fast")
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()}, targets=("structured", "switches"))
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    files = {path.split("/", 1)[1]: text for path, text in result["files"].items() if path.startswith("switches/")}
    port = PORT_PREFIX[platform] + "{n}"
    for leaf in ("leaf01a", "leaf01b"):
        parsed = parse.read(platform, files, leaf)
        # vSwitch0, explicit failover: plain trunks carrying mgmt
        for n in (31, 32):
            assert parsed["ports"][port.format(n=n)]["channel"] is None
            assert parsed["ports"][port.format(n=n)]["vlans"] == {10}
        # dvs-prod, a LAG: an LACP channel per host; vSwitch1, IP hash: a static channel per host
        for n, mode, vlans in ((33, "active", {100, 101, 102}), (34, "active", {100, 101, 102}), (35, "on", {100}),
                               (36, "on", {100})):
            assert parsed["ports"][port.format(n=n)]["channel"] == n
            assert parsed["channels"][n]["vlans"] == vlans
            assert parsed["channels"][n]["mlag"] == n
            if platform == "frr":
                mode_line = parse.ifupdown(files[f"{leaf}.interfaces"])[f"bond{n}"]["bond-mode"]
                assert mode_line == ["802.3ad" if mode == "active" else "balance-xor"]
            else:
                assert parsed["ports"][port.format(n=n)]["lacp"] == mode
        text = files[f"{leaf}.cfg"] if platform != "frr" else files[f"{leaf}.interfaces"]
        fast = {"eos": "lacp timer fast", "nxos": "lacp rate fast", "frr": "bond-lacp-rate 1"}[platform]
        assert fast in text


def test_loader_refuses_what_vsphere_refuses():
    raw = _raw()
    esx = next(c for c in raw["clusters"] if c["name"] == CLUSTER)
    esx["vswitches"][2]["teaming"] = "lacp"                 # LACP on a standard vSwitch
    del esx["nodes"][1]["nics"]["vmnic5"]                   # an uplink not cabled on one host
    with pytest.raises(ModelError) as err:
        load_model(raw)
    assert sorted((f.rule, f.path) for f in err.value.findings) == [
        ("VMW001", f"clusters[{CLUSTER}].nodes[esx002].nics"),
        ("VMW002", f"clusters[{CLUSTER}].vswitches[vSwitch1].teaming")]


def test_path_explainer_says_esxi_hosts_are_not_endpoints():
    model, facts, designed = _designed(_raw())
    with pytest.raises(PathError, match="ESXi host of cluster prod-cluster-01"):
        resolve(model, facts, designed, "path_from", "esx001")
    with pytest.raises(PathError, match="not modelled"):
        resolve(model, facts, designed, "path_from", "dpg-shop-web-100@esx002")
