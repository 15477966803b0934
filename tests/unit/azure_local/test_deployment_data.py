"""deploymentData.json against the published deploymentSettings API spec and Microsoft's documentation.

The spec (swagger 2.0, API 2025-10-01) is read from ../shared/reference/schemas/azure
and turned into JSON Schema here (``#/definitions`` and ``./hciCommon.json``
references inlined, vendor keys dropped); a *strict* copy forbids keys the API
does not define, so wrong casing fails. Beyond the spec's types, the values
are checked against what Microsoft's documentation asks of them (sources in
docs/platforms/azure_local.md): an infrastructure pool of at least six
contiguous addresses in the nodes' subnet and outside their addresses, DNS
servers as IPv4 strings, namingPrefix of 1-8 letters/digits/hyphens, MAC pool
ends written 00-0D-3A-1B-C7-21, and the four-node switchless pattern (2411.1):
one VLAN on every storage network, automatic IPs off, a subnet per link.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import os
import re

import pytest

from ._helpers import AZURE_SCHEMA, build, build_example, clean_build, cluster, example_vars, has_example

jsonschema = pytest.importorskip("jsonschema")

pytestmark = pytest.mark.skipif(not os.path.exists(AZURE_SCHEMA),
                                reason=f"published API spec not found at {AZURE_SCHEMA} (../shared absent)")

_DROP = {"readOnly", "discriminator", "example", "externalDocs"}


def _load(name):
    with open(os.path.join(os.path.dirname(AZURE_SCHEMA), name), encoding="utf-8") as handle:
        return json.load(handle)


def _convert(node, files, current, strict, seen=()):
    if isinstance(node, list):
        return [_convert(n, files, current, strict, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        target, _sep, pointer = ref.partition("#/definitions/")
        name = os.path.basename(target) or current
        assert name in files, f"reference {ref} outside the two Azure files"
        key = (name, pointer)
        assert key not in seen, f"recursive definition {key}"
        return _convert(files[name]["definitions"][pointer], files, name, strict, seen + (key,))
    out = {}
    for key, value in node.items():
        if key.startswith("x-ms-") or key in _DROP:
            continue
        if key == "properties":
            out[key] = {k: _convert(v, files, current, strict, seen) for k, v in value.items()}
        else:
            out[key] = _convert(value, files, current, strict, seen)
    if strict and out.get("type") == "object" and "properties" in out:
        out["additionalProperties"] = False
    return out


def schema(strict: bool) -> dict:
    files = {"deploymentSettings.json": _load("deploymentSettings.json"), "hciCommon.json": _load("hciCommon.json")}
    assert files["deploymentSettings.json"]["swagger"] == "2.0"
    root = files["deploymentSettings.json"]["definitions"]["DeploymentData"]
    return _convert(root, files, "deploymentSettings.json", strict)


def errors(instance, strict=True):
    validator = jsonschema.Draft4Validator(schema(strict))
    return sorted(f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(instance))


def data(result, name):
    return json.loads(result["files"][f"azure_local/{name}/deploymentData.json"])


def sdn_and_proxy():
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["azure_local"] = {"sdn": {"enabled": True, "mac_pool_start": "02:00:5e:10:00:00", "mac_pool_stop": "02:00:5e:10:ff:ff"},
                        "proxy": {"server": "http://10.10.10.80:8080"}, "naming_prefix": "azls", "use_dhcp": True}
    return v


def four_node_switchless():
    """Microsoft's four-node switchless dual-link pattern on examples/small: SMB1-6 meshed, one VLAN."""
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["storage"] = {"switchless": True, "auto_ip": False}
    c["intents"][1].update(adapters=[f"SMB{i}" for i in range(1, 7)], storage_networks=["azl-storage1"])
    c["networks"].remove("azl-storage2")
    for i in (3, 4):
        c["nodes"].append({"name": f"azl-n{i}", "id": i,
                           "nics": {"pNIC01": f"leaf01a:swp{10 + i}", "pNIC02": f"leaf01b:swp{10 + i}"}})
    for node in c["nodes"]:
        node["nics"] = {k: n for k, n in node["nics"].items() if k in ("pNIC01", "pNIC02")}
    net = next(n for n in v["dcnet_networks"] if n["name"] == "azl-storage1")
    net["ipv4"] = "10.72.0.0/20"
    return v


def test_schema_conversion_reaches_both_files():
    strict = schema(True)
    assert {"infrastructureNetwork", "physicalNodes", "hostNetwork", "sdnIntegration", "namingPrefix"} <= set(strict["properties"])
    assert strict["properties"]["namingPrefix"]["pattern"] == "^[a-zA-Z0-9-]{1,8}$"
    assert "localAvailabilityZoneName" in json.dumps(strict)      # inlined from hciCommon.json


def test_small_deployment_data_is_valid_and_complete():
    doc = data(clean_build(example_vars("small")), "azl-small")
    assert errors(doc, strict=False) == [] and errors(doc) == []
    infra = doc["infrastructureNetwork"][0]
    assert infra == {"subnetMask": "255.255.255.0", "gateway": "10.10.10.1",
                     "ipPools": [{"startingAddress": "10.10.10.105", "endingAddress": "10.10.10.110"}],
                     "dnsServers": ["10.10.10.53"], "useDhcp": False}
    assert doc["physicalNodes"] == [{"name": "azl-n1", "ipv4Address": "10.10.10.111"},
                                    {"name": "azl-n2", "ipv4Address": "10.10.10.112"}]
    assert (doc["namingPrefix"], doc["domainFqdn"], doc["adouPath"]) == (
        "azl-smal", "small.example.net", "OU=azl-small,DC=small,DC=example,DC=net")
    assert "sdnIntegration" not in doc
    assert doc["hostNetwork"] == json.loads(build(example_vars("small"))["files"]["azure_local/azl-small/hostNetwork.json"])


def _check_documented_values(doc):
    """What Microsoft's documentation requires beyond the spec's types."""
    assert re.fullmatch(r"[A-Za-z0-9-]{1,8}", doc["namingPrefix"])
    infra = doc["infrastructureNetwork"][0]
    subnet = ipaddress.IPv4Network(f"0.0.0.0/{infra['subnetMask']}").prefixlen
    nodes = {ipaddress.IPv4Address(n["ipv4Address"]) for n in doc["physicalNodes"]}
    for pool in infra["ipPools"]:
        lo, hi = ipaddress.IPv4Address(pool["startingAddress"]), ipaddress.IPv4Address(pool["endingAddress"])
        assert int(hi) - int(lo) + 1 >= 6, pool                       # six or more contiguous addresses
        net = ipaddress.IPv4Network(f"{lo}/{subnet}", strict=False)
        assert hi in net and all(n in net for n in nodes)               # the nodes' subnet
        assert not [n for n in nodes if lo <= n <= hi]                  # no node address inside
        if infra["gateway"]:
            assert ipaddress.IPv4Address(infra["gateway"]) in net and not lo <= ipaddress.IPv4Address(infra["gateway"]) <= hi
    assert all(ipaddress.ip_address(s).version == 4 for s in infra["dnsServers"])
    nc = doc.get("sdnIntegration", {}).get("networkController")
    if nc:
        for mac in (nc["macAddressPoolStart"], nc["macAddressPoolStop"]):
            assert re.fullmatch(r"[0-9A-F]{2}(-[0-9A-F]{2}){5}", mac), mac


def test_sdn_proxy_dhcp_variant():
    doc = data(clean_build(sdn_and_proxy()), "azl-small")
    assert errors(doc) == []
    _check_documented_values(doc)
    assert doc["sdnIntegration"] == {"networkController": {"macAddressPoolStart": "02-00-5E-10-00-00",
                                                           "macAddressPoolStop": "02-00-5E-10-FF-FF",
                                                           "networkVirtualizationEnabled": True}}
    assert doc["infrastructureNetwork"][0]["useDhcp"] is True and doc["namingPrefix"] == "azls"


def test_four_node_switchless_follows_microsofts_pattern():
    """One VLAN on all six storage networks, automatic IPs off, one /24 per link, each link's two ends in it.

    Microsoft's four-node dual-link reference pairs the adapters as in its ARM template
    example: node 1 SMB1/SMB2 to node 2, SMB3/SMB4 to node 3, SMB5/SMB6 to node 4; node 2
    SMB1/SMB2 to node 1, SMB3/SMB4 to node 3, ...; twelve subnets.
    """
    doc = data(clean_build(four_node_switchless()), "azl-small")
    assert errors(doc) == []
    _check_documented_values(doc)
    host = doc["hostNetwork"]
    assert host["storageConnectivitySwitchless"] is True and host["enableStorageAutoIp"] is False
    nets = host["storageNetworks"]
    assert [n["networkAdapterName"] for n in nets] == [f"SMB{i}" for i in range(1, 7)]
    assert {n["vlanId"] for n in nets} == {"711"}
    ends = {}
    for net in nets:
        for info in net["storageAdapterIPInfo"]:
            assert info["subnetMask"] == "255.255.255.0"
            subnet = ipaddress.IPv4Network(f"{info['ipv4Address']}/24", strict=False)
            ends.setdefault(subnet, []).append((info["physicalNode"], net["networkAdapterName"]))
    assert len(ends) == 12 and all(len(e) == 2 for e in ends.values())
    # the pairing of Microsoft's example (node, adapter) <-> (node, adapter)
    expected = {frozenset({("azl-n1", "SMB1"), ("azl-n2", "SMB1")}), frozenset({("azl-n1", "SMB2"), ("azl-n2", "SMB2")}),
                frozenset({("azl-n1", "SMB3"), ("azl-n3", "SMB1")}), frozenset({("azl-n1", "SMB4"), ("azl-n3", "SMB2")}),
                frozenset({("azl-n1", "SMB5"), ("azl-n4", "SMB1")}), frozenset({("azl-n1", "SMB6"), ("azl-n4", "SMB2")}),
                frozenset({("azl-n2", "SMB3"), ("azl-n3", "SMB3")}), frozenset({("azl-n2", "SMB4"), ("azl-n3", "SMB4")}),
                frozenset({("azl-n2", "SMB5"), ("azl-n4", "SMB3")}), frozenset({("azl-n2", "SMB6"), ("azl-n4", "SMB4")}),
                frozenset({("azl-n3", "SMB5"), ("azl-n4", "SMB5")}), frozenset({("azl-n3", "SMB6"), ("azl-n4", "SMB6")})}
    assert {frozenset(e) for e in ends.values()} == expected
    assert all(s.subnet_of(ipaddress.IPv4Network("10.72.0.0/20")) for s in ends)
    script = clean_build(four_node_switchless())["files"]["azure_local/azl-small/Set-NetworkIntents.ps1"]
    assert "-Storage -Switchless -AdapterName @('SMB1', 'SMB2', 'SMB3', 'SMB4', 'SMB5', 'SMB6') " \
           "-StorageVlans @(711, 711, 711, 711, 711, 711)" in script


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_deployment_data_is_valid():
    result = build_example("dc1")
    for name in ("azl-a", "azl-b"):
        doc = data(result, name)
        assert errors(doc) == [], name
        _check_documented_values(doc)
        assert len(doc["physicalNodes"]) == 16


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.__setitem__("namingPrefix", "too-long-prefix"), "does not match"),
    (lambda d: d["infrastructureNetwork"][0].__setitem__("useDhcp", "false"), "is not of type 'boolean'"),
    (lambda d: d["infrastructureNetwork"][0]["ipPools"][0].__setitem__("startAddress", "10.0.0.1"),
     "Additional properties are not allowed"),
    (lambda d: d.__setitem__("physicalNodes", [{"name": "n1", "ipv4address": "10.0.0.1"}]),
     "Additional properties are not allowed"),
])
def test_schema_rejects_wrong_types_and_casing(mutate, expected):
    doc = copy.deepcopy(data(build(example_vars("small")), "azl-small"))
    mutate(doc)
    assert any(expected in e for e in errors(doc)), errors(doc)
