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


@pytest.mark.skipif(not os.path.isdir(os.path.join(SCHEMAS, "forklift")), reason="../shared/reference/schemas/forklift is absent")
def test_network_maps_validate_against_the_forklift_crd(built):
    catalog = CrdCatalog(os.path.join(SCHEMAS, "forklift"))
    for wave in ("wave-01", "wave-02"):
        doc = yaml.safe_load(built["files"][f"migration/{wave}/networkmap.yml"])
        assert catalog.knows(doc)
        assert catalog.validate(doc) == [], wave
    # the validator is not blind: a destination type MTV does not know is refused
    doc["spec"]["map"][0]["destination"]["type"] = "bridge"
    assert catalog.validate(doc)


def test_network_map_maps_every_port_group_to_the_nad(built):
    doc = yaml.safe_load(built["files"]["migration/wave-01/networkmap.yml"])
    assert doc["spec"]["map"] == [
        {"source": {"name": "DPG-SHOP-WEB-100", "id": "dvportgroup-1000"},
         "destination": {"type": "multus", "name": "dpg-shop-web-100", "namespace": "vm-networks"}},
        {"source": {"name": "Legacy Web"},
         "destination": {"type": "multus", "name": "dpg-shop-web-100", "namespace": "vm-networks"}}]
    # the destination is a NAD the ove target renders
    nads = {(d["metadata"]["name"], d["metadata"]["namespace"])
            for path, text in built["files"].items() if path.startswith("ove/ove-target/")
            for d in yaml.safe_load_all(text) if isinstance(d, dict) and d.get("kind") == "NetworkAttachmentDefinition"}
    assert ("dpg-shop-web-100", "vm-networks") in nads, nads


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
    doc = yaml.safe_load(result["files"]["migration/wave-02/networkmap.yml"])
    assert doc["spec"]["map"][0]["destination"]["name"] == "crm-new"
