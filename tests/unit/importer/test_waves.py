"""Migration waves: per-wave artifacts (NetworkMap against the MTV CRD, logical networks, handover) and the plan."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from tests.unit.ove.oracle_crd import CrdCatalog

from ._helpers import SCHEMAS, example


@pytest.fixture(scope="module")
def built():
    result = pipeline.build({f"dcnet_{k}": v for k, v in example("vmware").items()})
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    return result


def test_every_wave_renders_its_target_objects(built):
    assert sorted(p for p in built["files"] if p.startswith("migration/")) == [
        "migration/wave-01/networkmap.yml", "migration/wave-01/plan.md",
        "migration/wave-02/networkmap.yml", "migration/wave-02/plan.md",
        "migration/wave-03/logical-networks.yml", "migration/wave-03/plan.md",
        "migration/wave-04/handover.json", "migration/wave-04/handover.md", "migration/wave-04/plan.md"]


def _maps(files, wave) -> list:
    return [d for d in yaml.safe_load_all(files[f"migration/{wave}/networkmap.yml"]) if d]


def _nads(files, cluster) -> set:
    return {(d["metadata"]["namespace"], d["metadata"]["name"])
            for path, text in files.items() if path.startswith(f"ove/{cluster}/")
            for d in yaml.safe_load_all(text) if isinstance(d, dict) and d.get("kind") == "NetworkAttachmentDefinition"}


@pytest.mark.skipif(not os.path.isdir(os.path.join(SCHEMAS, "forklift")), reason="../shared/reference/schemas/forklift is absent")
def test_network_maps_validate_against_the_forklift_crd(built):
    catalog = CrdCatalog(os.path.join(SCHEMAS, "forklift"))
    for wave in ("wave-01", "wave-02"):
        for doc in _maps(built["files"], wave):
            assert catalog.knows(doc)
            assert catalog.validate(doc) == [], wave
    # the validator is not blind: a destination type MTV does not know is refused
    doc["spec"]["map"][0]["destination"]["type"] = "bridge"
    assert catalog.validate(doc)


def test_network_map_maps_every_port_group_to_the_nad_in_the_vms_namespace(built):
    """The VMs of application shop land in namespace shop: the map points at the NAD there, which the ove target
    renders (MTV refuses a Plan whose NetworkMap names a NAD outside its targetNamespace or default)."""
    [doc] = _maps(built["files"], "wave-01")
    assert doc["metadata"]["name"] == "wave-01-shop-networkmap"
    assert doc["metadata"]["labels"]["dcnet.fabric/target-namespace"] == "shop"
    assert doc["spec"]["map"] == [
        {"source": {"name": "DPG-SHOP-WEB-100", "id": "dvportgroup-1000"},
         "destination": {"type": "multus", "name": "dpg-shop-web-100", "namespace": "shop"}},
        {"source": {"name": "Legacy Web"},
         "destination": {"type": "multus", "name": "dpg-shop-web-100", "namespace": "shop"}}]
    assert ("shop", "dpg-shop-web-100") in _nads(built["files"], "ove-target")
    plan = built["files"]["migration/wave-01/plan.md"]
    assert "| shop | wave-01-shop-networkmap | shop-vm00001, shop-vm00004, shop-vm00007, shop-vm00010, cafe-web13 |" in plan


def test_a_wave_into_two_namespaces_gets_one_network_map_each():
    """VMs of one wave in two namespaces: one NetworkMap per namespace, each only to NADs of its namespace,
    each NAD rendered there; no map names a NAD of another namespace."""
    raw = example("vmware")
    for vm in raw["vms"]:
        if vm["name"] == "cafe-web13":
            vm["namespace"] = "cafe"
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()})
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    maps = {d["metadata"]["labels"]["dcnet.fabric/target-namespace"]: d for d in _maps(result["files"], "wave-01")}
    assert sorted(maps) == ["cafe", "shop"]
    nads = _nads(result["files"], "ove-target")
    for namespace, doc in maps.items():
        assert doc["spec"]["map"], namespace
        for entry in doc["spec"]["map"]:
            destination = entry["destination"]
            assert destination["namespace"] == namespace
            assert (namespace, destination["name"]) in nads
    # every port group of the source network maps in each namespace (MTV matches a VM NIC by its port group)
    for doc in maps.values():
        assert [e["source"]["name"] for e in doc["spec"]["map"]] == ["DPG-SHOP-WEB-100", "Legacy Web"]
    waves = result["design"]["waves"]["wave-01"]["network_maps"]
    assert {m["namespace"]: m["vms"] for m in waves} == {
        "cafe": ["cafe-web13"], "shop": ["shop-vm00001", "shop-vm00004", "shop-vm00007", "shop-vm00010"]}


def test_network_map_names_the_mtv_providers_of_the_target_cluster(built):
    doc = yaml.safe_load(built["files"]["migration/wave-01/networkmap.yml"])
    assert doc["metadata"]["namespace"] == "openshift-mtv"
    assert doc["spec"]["provider"] == {"source": {"name": "vmware", "namespace": "openshift-mtv"},
                                       "destination": {"name": "host", "namespace": "openshift-mtv"}}
    raw = example("vmware")
    raw["clusters"][0].setdefault("ove", {})["mtv"] = {"namespace": "mtv", "source_provider": "vc01-prod"}
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()})
    doc = yaml.safe_load(result["files"]["migration/wave-01/networkmap.yml"])
    assert doc["metadata"]["namespace"] == "mtv"
    assert doc["spec"]["provider"] == {"source": {"name": "vc01-prod", "namespace": "mtv"},
                                       "destination": {"name": "host", "namespace": "mtv"}}


def test_plan_lists_what_must_exist_first(built):
    wave = built["design"]["waves"]["wave-01"]
    assert wave["vms"] == ["shop-vm00001", "shop-vm00004", "shop-vm00007", "shop-vm00010", "cafe-web13"]
    assert wave["coexistence"]["vlans"] == [100] and wave["coexistence"]["leaves"] == ["leaf01a", "leaf01b"]
    [net] = wave["coexistence"]["networks"]
    assert (net["name"], net["stretched"], net["missing"]) == ("dpg-shop-web-100", True, [])
    assert (net["target_clusters"], net["target_leaves"]) == (["ove-target"], ["leaf01a", "leaf01b"])
    plan = built["files"]["migration/wave-01/plan.md"]
    assert "- networks on the target: dpg-shop-web-100" in plan and "VLANs stretched during coexistence: 100" in plan


def test_azure_local_and_provider_waves(built):
    lns = yaml.safe_load(built["files"]["migration/wave-03/logical-networks.yml"])
    assert lns["logical_networks"] == [{"name": "dpg-erp-web-102", "vlan": 102, "ipv4": "10.100.2.0/24",
                                        "ipv6": "2001:db8:66::/64"}]
    rows = json.loads(built["files"]["migration/wave-04/handover.json"])
    assert rows == [{"vm": "erp-vm00012", "nic": "Network adapter 1", "mac": "00:50:56:00:00:0c",
                     "network": "dpg-erp-web-102", "vlan": 102, "ipv4_prefix": "10.100.2.0/24",
                     "ipv6_prefix": "2001:db8:66::/64", "mtu": 9000, "ipv4": ["10.100.2.13"], "ipv6": ["2001:db8:66::d"]}]


def test_readdress_is_carried_into_the_artifacts():
    raw = example("vmware")
    raw["networks"].append({"name": "crm-new", "vlan": 201, "role": "vm", "ipv4": "10.201.0.0/24", "single_stack": True})
    raw["clusters"][0]["networks"].append("crm-new")
    wave = raw["waves"][1]
    wave["network_map"] = {"dpg-crm-web-101": "crm-new"}
    wave["readdress"] = {vm: {"Network adapter 1": {"ipv4": f"10.201.0.{i + 10}", "ipv6": None}}
                         for i, vm in enumerate(wave["vms"])}
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()})
    # IPv6 keeps its old prefix on a network without IPv6: that change is unannounced
    errors = sorted({(f["rule"], f["path"]) for f in result["findings"] if f["severity"] == "error"})
    assert errors == [("WAVE003", f"waves[wave-02].vms[{vm}].nics[Network adapter 1]") for vm in sorted(wave["vms"])
                      if vm != "crm-vm00014"]
    for vm in wave["vms"]:
        wave["readdress"][vm]["Network adapter 1"]["ipv6"] = None
    raw["networks"][-1].update(ipv6="2001:db8:201::/64", single_stack=False)
    for i, vm in enumerate(wave["vms"]):
        wave["readdress"][vm]["Network adapter 1"]["ipv6"] = f"2001:db8:201::{i + 10:x}"
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()})
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    [doc] = _maps(result["files"], "wave-02")
    assert doc["spec"]["map"][0]["destination"] == {"type": "multus", "name": "crm-new", "namespace": "crm"}
    assert ("crm", "crm-new") in _nads(result["files"], "ove-target")
