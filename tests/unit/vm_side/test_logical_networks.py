"""Azure Local logical networks: the rendered ARM resources validate against the 2024-01-01 API spec
(../shared/reference/schemas), and the Bicep file and az commands say the same thing."""

import copy
import ipaddress
import json
import os
import re
import shlex

import pytest

from ove.conftest import SCHEMAS, rendered

SPEC = os.path.join(SCHEMAS, "azure-local-vm-networks-2024-01-01", "specification", "azurestackhci", "resource-manager",
                    "Microsoft.AzureStackHCI", "StackHCIVM", "stable", "2024-01-01", "logicalNetworks.json")


def _schema(name):
    """JSON Schema of one swagger definition: local $refs resolved, unknown keys refused, read-only keys refused."""
    with open(SPEC, encoding="utf-8") as handle:
        definitions = json.load(handle)["definitions"]

    def walk(node):
        """One schema node (never a map of property names)."""
        if "$ref" in node and node["$ref"].startswith("#/definitions/"):
            return walk(copy.deepcopy(definitions[node["$ref"].split("/")[-1]]))
        out = {k: v for k, v in node.items()
               if not k.startswith("x-ms-") and k not in ("description", "readOnly", "properties", "items", "allOf")}
        if "items" in node:
            out["items"] = walk(node["items"])
        if "properties" in node:
            out["properties"] = {key: ({"not": {}} if sub.get("readOnly") else walk(sub))   # read-only: never sent
                                 for key, sub in node["properties"].items()}
            out["additionalProperties"] = False
        return out
    return walk(definitions[name])


@pytest.fixture(scope="module")
def validator():
    if not os.path.exists(SPEC):
        pytest.skip(f"Azure Local VM API spec not found at {SPEC} (the ../shared/reference checkout is absent)")
    import jsonschema
    return jsonschema.Draft7Validator(_schema("LogicalNetworkProperties"))


def _templates(files):
    return {rel: json.loads(text) for rel, text in files.items() if rel.startswith("azure_vms/") and rel.endswith("/logical-networks.json")}


@pytest.mark.parametrize("example", ["small", "dc1"])
def test_every_logical_network_validates_against_the_api(validator, example):
    templates = _templates(rendered(example))
    assert templates
    count = 0
    for rel, template in templates.items():
        for res in template["resources"]:
            assert (res["type"], res["apiVersion"]) == ("Microsoft.AzureStackHCI/logicalNetworks", "2024-01-01")
            assert set(res) == {"type", "apiVersion", "name", "location", "extendedLocation", "properties"}
            assert res["extendedLocation"] == {"type": "CustomLocation", "name": "[parameters('customLocationId')]"}
            errors = sorted(validator.iter_errors(res["properties"]), key=str)
            assert not errors, (rel, res["name"], [e.message for e in errors])
            count += 1
    assert count == (1 if example == "small" else 100)      # dc1: vm-100..vm-199 on the two Azure Local clusters


def test_the_validator_refuses_mutations(validator):
    res = _templates(rendered("small"))["azure_vms/azl-small/logical-networks.json"]["resources"][0]
    good = res["properties"]
    for mutate in (lambda p: p["subnets"][0]["properties"].update(vlan="100"),
                   lambda p: p["subnets"][0]["properties"].update(ipAllocationMethod="static"),
                   lambda p: p["subnets"][0]["properties"].update(vlanId=100),
                   lambda p: p.update(provisioningState="Succeeded"),
                   lambda p: p["subnets"][0]["properties"]["ipPools"][0].update(ipPoolType="vms")):
        bad = copy.deepcopy(good)
        mutate(bad)
        assert list(validator.iter_errors(bad)), bad


def test_pool_avoids_gateway_and_leaf_svis():
    files = rendered("small")
    res = json.loads(files["azure_vms/azl-small/logical-networks.json"])["resources"][0]
    subnet = res["properties"]["subnets"][0]["properties"]
    gateway = subnet["routeTable"]["properties"]["routes"][0]["properties"]["nextHopIpAddress"]
    pool = subnet["ipPools"][0]
    leaf = files["switches/leaf01a.interfaces"] + files["switches/leaf01b.interfaces"]
    svis = set(re.findall(r"address (10\.100\.0\.\d+)/24", leaf))
    assert gateway == "10.100.0.1" and svis

    def last(address):
        return int(address.rsplit(".", 1)[1])

    for used in svis | {gateway}:
        assert not last(pool["start"]) <= last(used) <= last(pool["end"])


def _options(cmd) -> dict:
    """{--option: [values]} of one az command line."""
    out, key = {}, None
    for token in cmd[5:]:
        if token.startswith("--"):
            key = token
            out[key] = []
        else:
            out[key].append(token)
    return out


def test_dual_stack_networks_carry_both_families():
    """The API's subnet takes addressPrefixes ("IPv4, IPv6"): a dual-stack network gets both prefixes, both default
    routes and the resolvers of both families; an IPv4-only network keeps addressPrefix alone."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ove.conftest import inventory_vars
    files = rendered("small")
    [res] = json.loads(files["azure_vms/azl-small/logical-networks.json"])["resources"]
    subnet = res["properties"]["subnets"][0]["properties"]
    assert "addressPrefix" not in subnet
    assert [ipaddress.ip_network(p).version for p in subnet["addressPrefixes"]] == [4, 6]
    routes = {r["properties"]["addressPrefix"]: r["properties"]["nextHopIpAddress"] for r in subnet["routeTable"]["properties"]["routes"]}
    assert set(routes) == {"0.0.0.0/0", "::/0"}
    assert ipaddress.ip_address(routes["::/0"]) in ipaddress.ip_network(subnet["addressPrefixes"][1])
    variables = copy.deepcopy(inventory_vars("small"))
    name = res["name"]
    for net in variables["dcnet_networks"]:
        if net["name"] == name:
            net.pop("ipv6", None)
            net.pop("gateway6", None)
            net["single_stack"] = True
    result = pipeline.build(variables)
    [res4] = json.loads(result["files"]["azure_vms/azl-small/logical-networks.json"])["resources"]
    subnet4 = res4["properties"]["subnets"][0]["properties"]
    assert "addressPrefixes" not in subnet4 and ipaddress.ip_network(subnet4["addressPrefix"]).version == 4
    assert [r["properties"]["addressPrefix"] for r in subnet4["routeTable"]["properties"]["routes"]] == ["0.0.0.0/0"]
    assert all(ipaddress.ip_address(d).version == 4 for d in res4["properties"]["dhcpOptions"]["dnsServers"])


def test_bicep_and_az_say_the_same(small):
    files = small
    template = json.loads(files["azure_vms/azl-small/logical-networks.json"])
    bicep = files["azure_vms/azl-small/logical-networks.bicep"]
    script = files["azure_vms/azl-small/lnet-create.sh"]
    commands = [shlex.split(line) for line in script.splitlines() if line.startswith("az ")]
    assert len(commands) == len(template["resources"])
    for res, cmd in zip(template["resources"], commands):
        subnet = res["properties"]["subnets"][0]["properties"]
        assert "resource lnet" in bicep and f"name: '{res['name']}'" in bicep
        prefixes = subnet.get("addressPrefixes") or [subnet["addressPrefix"]]
        assert f"vlan: {subnet['vlan']}" in bicep and all(f"'{p}'" in bicep for p in prefixes)
        args = _options(cmd)
        assert cmd[:5] == ["az", "stack-hci-vm", "network", "lnet", "create"]
        assert args["--name"] == [res["name"]] and args["--vlan"] == [str(subnet["vlan"])]
        assert args["--address-prefixes"] == prefixes
        assert args["--ip-allocation-method"] == [subnet["ipAllocationMethod"]]
        assert args["--ip-pool-start"] == [subnet["ipPools"][0]["start"]]
        assert args["--vm-switch-name"] == [res["properties"]["vmSwitchName"]]
        assert args["--dns-servers"] == res["properties"]["dhcpOptions"]["dnsServers"]
