"""Every rendered custom resource validates against its published CRD schema; mutated ones do not."""

import copy
import json

import pytest

from .oracle_crd import CrdCatalog, nad_config_findings

from .conftest import load

EXPECTED_KINDS = {"NodeNetworkConfigurationPolicy", "NetworkAttachmentDefinition", "IPAddressPool", "BGPPeer",
                  "BFDProfile", "BGPAdvertisement", "Community", "HyperConverged", "MetalLB"}
# Kinds whose CRD is not among the published schemas in ../shared/reference/schemas (the MetalLB
# operator's CRD is not there): validated against it when present, else by test_metallb_cr_shape.
OPTIONAL_SCHEMA = {"MetalLB"}


@pytest.fixture(scope="module")
def catalog(schemas):
    return CrdCatalog(schemas)


def _crs(files):
    for rel, text in sorted(files.items()):
        if rel.startswith("ove/") and rel.count("/") == 2:   # not install/, vms/ (test_vm_interfaces.py), segmentation/ (vm_side)
            yield rel, load(text)


def test_every_rendered_cr_is_valid(catalog, small, dc1):
    kinds = set()
    for files in (small, dc1):
        for rel, doc in _crs(files):
            if doc["kind"] == "Namespace":
                continue  # core API object, no CRD
            if doc["kind"] in OPTIONAL_SCHEMA and not catalog.knows(doc):
                kinds.add(doc["kind"])
                continue
            assert catalog.knows(doc), f"{rel}: {doc['apiVersion']} {doc['kind']} has no published schema"
            problems = catalog.validate(doc)
            if doc["kind"] == "NetworkAttachmentDefinition":
                problems += nad_config_findings(doc)
            assert problems == [], (rel, [str(p) for p in problems])
            kinds.add(doc["kind"])
    assert kinds == EXPECTED_KINDS


def test_bgppeer_uses_v1beta2_and_a_secret_reference(small):
    peers = [doc for rel, doc in _crs(small) if doc["kind"] == "BGPPeer"]
    assert len(peers) == 4                         # 2 leaves x 2 families in examples/small
    for doc in peers:
        assert doc["apiVersion"] == "metallb.io/v1beta2"
        assert "password" not in doc["spec"]
        assert doc["spec"]["passwordSecret"] == {"name": "metallb-bgp-md5", "namespace": "metallb-system"}


def _peer(small):
    return copy.deepcopy(load(small["ove/ove-small/43-metallb-bgppeer-leaf01a-ipv4.yaml"]))


MUTATIONS = [
    ("BGPPeer ASN as text", "spec.myASN", lambda d: d["spec"].update(myASN="65200")),
    ("BGPPeer ASN too large", "spec.peerASN", lambda d: d["spec"].update(peerASN=4294967296)),
    ("BGPPeer unknown field", "spec", lambda d: d["spec"].update(peerAdress="10.0.0.1")),
    ("BGPPeer holdTime as int", "spec.holdTime", lambda d: d["spec"].update(holdTime=9)),
    ("BGPPeer secret without name", "spec.passwordSecret", lambda d: d["spec"].update(passwordSecret={"x": 1})),
    ("BGPPeer bad name", "metadata.name", lambda d: d["metadata"].update(name="Leaf01A_ipv4")),
    ("BGPPeer without namespace", "metadata.namespace", lambda d: d["metadata"].pop("namespace")),
]


@pytest.mark.parametrize("label,path,mutate", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutated_bgppeer_is_rejected(catalog, small, label, path, mutate):
    doc = _peer(small)
    assert catalog.validate(doc) == []
    mutate(doc)
    assert path in [f.path for f in catalog.validate(doc)], label


def test_other_kinds_reject_mutations(catalog, small):
    bfd = load(small["ove/ove-small/40-metallb-bfdprofile-fabric-bfd.yaml"])
    bfd["spec"]["detectMultiplier"] = 1                       # CRD minimum 2
    assert "spec.detectMultiplier" in [f.path for f in catalog.validate(bfd)]
    adv = load(small["ove/ove-small/44-metallb-bgpadvertisement-vips.yaml"])
    adv["spec"]["aggregationLength"] = "32"
    assert "spec.aggregationLength" in [f.path for f in catalog.validate(adv)]
    nncp = load(small["ove/ove-small/10-nncp-ove-small-vm-networks.yaml"])
    nncp["metadata"]["namespace"] = "default"                 # cluster-scoped
    nncp["spec"]["nodeSelector"] = {"kubernetes.io/hostname": 1}
    paths = [f.path for f in catalog.validate(nncp)]
    assert "metadata.namespace" in paths and "spec.nodeSelector.kubernetes.io/hostname" in paths
    pool = load(small["ove/ove-small/41-metallb-ipaddresspool-vips.yaml"])
    pool["spec"]["autoAssign"] = "yes"
    assert "spec.autoAssign" in [f.path for f in catalog.validate(pool)]


NAD_MUTATIONS = [
    ("netAttachDefName", lambda c: c.update(netAttachDefName="vm-db")),
    ("topology", lambda c: c.pop("topology")),
    ("ipam", lambda c: c.update(ipam={"type": "static"})),
    ("role", lambda c: c.update(role="secondary")),
    ("vlanID", lambda c: c.update(vlanID=4095)),
    ("name", lambda c: c.update(name="default")),
]


@pytest.mark.parametrize("key,mutate", NAD_MUTATIONS, ids=[m[0] for m in NAD_MUTATIONS])
def test_mutated_localnet_nad_is_rejected(small, key, mutate):
    doc = load(small["ove/ove-small/30-nad-vm-networks-vm-db.yaml"])
    assert nad_config_findings(doc) == []
    config = json.loads(doc["spec"]["config"])
    mutate(config)
    doc["spec"]["config"] = json.dumps(config)
    assert f"spec.config.{key}" in [f.path for f in nad_config_findings(doc)]


def test_bridge_nad_rules():
    doc = {"metadata": {"name": "v", "namespace": "n"}, "spec": {"config": json.dumps(
        {"cniVersion": "0.3.1", "name": "v", "type": "bridge", "bridge": "br", "vlan": 100})}}
    assert nad_config_findings(doc) == []
    doc["spec"]["config"] = json.dumps({"cniVersion": "0.3.1", "name": "v", "type": "bridge", "bridge": "br",
                                        "vlan": 100, "vlanTrunk": [{"id": 5}]})
    assert [f.path for f in nad_config_findings(doc)] == ["spec.config.vlanTrunk"]
    doc["spec"]["config"] = "{not json"
    assert [f.rule for f in nad_config_findings(doc)] == ["NAD001"]


def test_hyperconverged_patch_is_checked_by_the_crd(catalog, small):
    patch = load(small["ove/ove-small/36-hyperconverged-live-migration.yaml"])
    assert catalog.validate(patch) == []
    patch["spec"]["liveMigrationConfig"]["network"] = 5
    assert "spec.liveMigrationConfig.network" in [f.path for f in catalog.validate(patch)]
    patch["spec"]["liveMigrationConfig"] = {"networkName": "live-migration"}
    assert "spec.liveMigrationConfig" in [f.path for f in catalog.validate(patch)]


def test_metallb_cr_shape(small):
    """The MetalLB operator's v1beta1 MetalLB: spec.nodeSelector is a map of label to value (metallb-operator
    api/v1beta1 MetalLBSpec, metallb.io_metallbs.yaml of its bundle)."""
    doc = load(small["ove/ove-small/39-metallb.yaml"])
    assert (doc["apiVersion"], doc["kind"]) == ("metallb.io/v1beta1", "MetalLB")
    assert set(doc["spec"]) <= {"nodeSelector", "speakerTolerations", "controllerNodeSelector", "logLevel"}
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in doc["spec"]["nodeSelector"].items())
