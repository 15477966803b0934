"""hostNetwork.json against the published Azure Local API spec (deploymentSettings, swagger 2.0).

The spec is read from ../shared/reference/schemas/azure (never copied into the
repository).  Swagger 2.0 definitions are turned into JSON Schema here: local
``#/definitions`` references are inlined, ``x-ms-*`` vendor keys, ``readOnly``
and ``discriminator`` are dropped.  The spec does not forbid unknown keys, so
the tests also validate a *strict* copy where every object definition gets
``additionalProperties: false``: a key with the wrong casing (``vlanID``,
``enableStorageAutoIP``) is then an error, not an ignored extra.
"""

from __future__ import annotations

import copy
import json
import os

import pytest

from ._helpers import AZURE_SCHEMA, build, build_example, cluster, example_vars, has_example, host_network

jsonschema = pytest.importorskip("jsonschema")

pytestmark = pytest.mark.skipif(not os.path.exists(AZURE_SCHEMA),
                                reason=f"published API spec not found at {AZURE_SCHEMA} (../shared absent)")

_DROP = {"readOnly", "discriminator", "example", "externalDocs"}


def _convert(node, definitions, strict, seen=()):
    if isinstance(node, list):
        return [_convert(n, definitions, strict, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/definitions/"), f"non-local reference {ref} in the HostNetwork subtree"
        name = ref.rsplit("/", 1)[1]
        assert name not in seen, f"recursive definition {name}"
        return _convert(definitions[name], definitions, strict, seen + (name,))
    out = {}
    for key, value in node.items():
        if key.startswith("x-ms-") or key in _DROP:
            continue
        if key == "properties":
            out[key] = {k: _convert(v, definitions, strict, seen) for k, v in value.items()}
        else:
            out[key] = _convert(value, definitions, strict, seen)
    if strict and out.get("type") == "object" and "properties" in out:
        out["additionalProperties"] = False
    return out


def schema(strict: bool) -> dict:
    with open(AZURE_SCHEMA, encoding="utf-8") as handle:
        spec = json.load(handle)
    assert spec["swagger"] == "2.0"
    return _convert(spec["definitions"]["HostNetwork"], spec["definitions"], strict)


def errors(instance, strict=True):
    validator = jsonschema.Draft4Validator(schema(strict))
    return sorted(f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance))


@pytest.fixture(scope="module")
def small():
    return build(example_vars("small"))


def test_schema_conversion_keeps_the_api_shape():
    strict = schema(True)
    assert set(strict["properties"]) == {"intents", "storageNetworks", "storageConnectivitySwitchless", "enableStorageAutoIp"}
    assert strict["properties"]["storageNetworks"]["items"]["properties"]["vlanId"]["type"] == "string"
    assert "x-ms-identifiers" not in json.dumps(strict)


def test_small_host_network_is_valid(small):
    doc = host_network(small, "azl-small")
    assert errors(doc, strict=False) == []
    assert errors(doc, strict=True) == []


def test_values_are_strings_as_the_api_wants(small):
    doc = host_network(small, "azl-small")
    storage = next(i for i in doc["intents"] if i["name"] == "storage")
    assert storage["adapterPropertyOverrides"] == {"jumboPacket": "9014", "networkDirect": "Enabled",
                                                   "networkDirectTechnology": "RoCEv2"}
    assert [n["vlanId"] for n in doc["storageNetworks"]] == ["711", "712"]
    assert [n["networkAdapterName"] for n in doc["storageNetworks"]] == ["pNIC03", "pNIC04"]
    assert doc["storageConnectivitySwitchless"] is False and doc["enableStorageAutoIp"] is True
    assert storage["trafficType"] == ["Storage"]


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["storageNetworks"][0].__setitem__("vlanId", 711), "vlanId: 711 is not of type 'string'"),
    (lambda d: d.__setitem__("enableStorageAutoIP", True), "Additional properties are not allowed"),
    (lambda d: d["intents"][0]["adapterPropertyOverrides"].__setitem__("JumboPacket", "9014"),
     "Additional properties are not allowed"),
    (lambda d: d["intents"][0].__setitem__("overrideQosPolicy", "false"), "is not of type 'boolean'"),
])
def test_schema_rejects_wrong_types_and_casing(small, mutate, expected):
    doc = copy.deepcopy(host_network(small, "azl-small"))
    mutate(doc)
    assert any(expected in e for e in errors(doc)), errors(doc)


def test_manual_storage_ips_and_switchless_are_valid():
    variables = example_vars("small")
    azl = cluster(variables, "azl-small")
    azl["storage"] = {"switchless": True, "auto_ip": False}
    result = build(variables)
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    doc = host_network(result, "azl-small")
    assert errors(doc) == []
    assert doc["storageConnectivitySwitchless"] is True and doc["enableStorageAutoIp"] is False
    info = doc["storageNetworks"][0]["storageAdapterIPInfo"]
    # node ids 1 and 2, host_offset 10, address_offset 100 -> .111 and .112 of 10.71.1.0/24
    assert info == [{"physicalNode": "azl-n1", "ipv4Address": "10.71.1.111", "subnetMask": "255.255.255.0"},
                    {"physicalNode": "azl-n2", "ipv4Address": "10.71.1.112", "subnetMask": "255.255.255.0"}]


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_clusters_render_script_and_valid_json():
    result = build_example("dc1")
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"][:5]
    clusters = sorted(c["name"] for c in example_vars("dc1")["dcnet_clusters"] if c["platform"] == "azure_local")
    assert len(clusters) == 2
    for name in clusters:
        assert f"azure_local/{name}/Set-NetworkIntents.ps1" in result["files"]
        doc = host_network(result, name)
        assert errors(doc) == []
        assert set(applied_groups(doc)) == {("mgmt_compute", "virtualSwitchConfigurationOverrides"),
                                            ("storage", "adapterPropertyOverrides"), ("storage", "qosPolicyOverrides")}


OVERRIDE_GROUPS = {"overrideAdapterProperty": "adapterPropertyOverrides", "overrideQosPolicy": "qosPolicyOverrides",
                   "overrideVirtualSwitchConfiguration": "virtualSwitchConfigurationOverrides"}


def applied_groups(doc) -> dict:
    """{(intent, group): values} of the override groups sent with their flag true; none may hold an empty value."""
    out = {}
    for intent in doc["intents"]:
        for flag, group in OVERRIDE_GROUPS.items():
            if intent[flag]:
                assert "" not in intent[group].values(), (intent["name"], group, intent[group])
                out[(intent["name"], group)] = intent[group]
    return out


def test_only_complete_override_groups_are_applied(small):
    """ARM applies a group as a whole: the flag is true only when the model states every value of it."""
    assert applied_groups(host_network(small, "azl-small")) == {
        ("storage", "adapterPropertyOverrides"): {"jumboPacket": "9014", "networkDirect": "Enabled",
                                                  "networkDirectTechnology": "RoCEv2"}}
    variables = example_vars("small")
    mgmt = cluster(variables, "azl-small")["intents"][0]
    mgmt["switch"] = {"load_balancing": "HyperVPort"}            # enableIov not stated -> not applied
    doc = host_network(build(variables), "azl-small")
    intent = next(i for i in doc["intents"] if i["name"] == "mgmt_compute")
    assert intent["overrideVirtualSwitchConfiguration"] is False
    assert intent["virtualSwitchConfigurationOverrides"] == {"enableIov": "", "loadBalancingAlgorithm": "HyperVPort"}
    mgmt["switch"] = {"load_balancing": "HyperVPort", "enable_iov": False}
    doc = host_network(build(variables), "azl-small")
    assert applied_groups(doc)[("mgmt_compute", "virtualSwitchConfigurationOverrides")] == {
        "enableIov": "False", "loadBalancingAlgorithm": "HyperVPort"}
    assert errors(doc) == []
