"""Micro-segmentation: an evaluator that reads only the rendered objects (MultiNetworkPolicies with the VM
patches' labels on OVE, NSG security rules on Azure Local) decides allow/deny for sampled VM pairs, and must
agree, in both families, with the policy model read independently from the example's YAML."""

import functools
import ipaddress
import json
import os
import random
import re

import pytest
import yaml

from example_models import example_vars
from ove.conftest import SCHEMAS, rendered
from ove.oracle_crd import CrdCatalog

PROBES = [("tcp", 443), ("tcp", 8080), ("tcp", 22), ("udp", 161)]


def _inventory():
    variables = example_vars("dc1")  # tests/example_models.py: parsed once per session, a fresh copy
    return {v["name"]: v for v in variables["dcnet_vms"]}, variables["dcnet_segmentation"]


def policy_model(vms, seg, src, dst, proto, port, fam):
    """The intent, from the model's words: same application -> allow; open group -> allow; a flow -> allow."""
    open_groups = {g["name"] for g in seg.get("groups", []) if g.get("default") == "allow"}
    a, b = vms[src]["application"], vms[dst]["application"]
    if a == b or b in open_groups:
        return True
    for flow in seg["flows"]:
        if flow["from"] == a and flow["to"] == b and flow.get("protocol", "tcp") in (proto, "any") \
                and fam in flow.get("families", [4, 6]):
            for spec in flow.get("ports") or ["0-65535"]:
                lo, _dash, hi = str(spec).partition("-")
                if int(lo) <= port <= int(hi or lo):
                    return True
    return False


def _address(vm, fam):
    return ipaddress.ip_address(vm["nics"][0][f"ipv{fam}"][0])


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the same data, faster


@functools.lru_cache(maxsize=None)
def _network(cidr):
    return ipaddress.ip_network(cidr)


class OveEvaluator:
    """Allow/deny from ove/<cluster>/segmentation/*.yaml and vms/*.yaml only."""

    def __init__(self, files):
        self.labels, self.policies = {}, {}
        for rel, text in files.items():
            if rel.startswith("ove/") and "/vms/" in rel:
                for doc in yaml.load_all(text, Loader=LOADER):  # nosec B506 - a safe loader
                    if doc:
                        meta = doc["spec"]["template"].get("metadata", {})
                        nets = [n["multus"]["networkName"] for n in doc["spec"]["template"]["spec"]["networks"]]
                        self.labels[doc["metadata"]["name"]] = (set(meta.get("labels", {})), nets)
            elif rel.startswith("ove/") and "/segmentation/" in rel:
                for doc in yaml.load_all(text, Loader=LOADER):  # nosec B506 - a safe loader
                    if doc and doc["kind"] == "MultiNetworkPolicy":
                        key = doc["metadata"]["annotations"]["k8s.v1.cni.cncf.io/policy-for"]
                        self.policies.setdefault(key, []).append(doc)

    def knows(self, vm):
        return vm in self.labels

    def allows(self, src_ip, dst, proto, port):
        labels, nets = self.labels[dst]
        selecting = [p for p in self.policies.get(nets[0], [])
                     if set(p["spec"]["podSelector"]["matchLabels"]) <= labels]
        if not selecting:
            return True
        for policy in selecting:
            for rule in policy["spec"]["ingress"]:
                if not any(src_ip in _network(peer["ipBlock"]["cidr"]) for peer in rule["from"]):
                    continue
                ports = rule.get("ports")
                if not ports or any(p["protocol"] == proto.upper() and p["port"] <= port <= p.get("endPort", p["port"])
                                    for p in ports):
                    return True
        return False


class NsgEvaluator:
    """Allow/deny from azure_vms/<cluster>/network-interfaces.json and network-security-groups.json only: the
    destination address -> its network interface -> the NSG associated with it -> that NSG's rules by priority
    (first match wins; a NIC without an NSG, or an address on no NIC, accepts everything)."""

    def __init__(self, files):
        self.nsgs, self.nic_nsg = {}, {}
        for rel, text in sorted(files.items()):
            if rel.startswith("azure_vms/") and rel.endswith("network-security-groups.json"):
                for res in json.loads(text)["resources"]:
                    if res["type"].endswith("/securityRules"):
                        self.nsgs.setdefault(res["name"].split("/")[0], []).append(res["properties"])
            elif rel.startswith("azure_vms/") and rel.endswith("network-interfaces.json"):
                for res in json.loads(text)["resources"]:
                    ref = res["properties"].get("networkSecurityGroup", {}).get("id")
                    nsg = re.fullmatch(r"\[resourceId\('Microsoft.AzureStackHCI/networkSecurityGroups', '([^']+)'\)\]",
                                       ref).group(1) if ref else None
                    for config in res["properties"]["ipConfigurations"]:
                        self.nic_nsg[ipaddress.ip_address(config["properties"]["privateIPAddress"])] = nsg
        for name, rules in self.nsgs.items():
            # parsed once: (access, direction, protocol, source nets, destination nets, port ranges) by priority
            self.nsgs[name] = [(r["access"], r["direction"], r["protocol"], self._nets(r["sourceAddressPrefixes"]),
                                self._nets(r["destinationAddressPrefixes"]), self._ports(r["destinationPortRanges"]))
                               for r in sorted(rules, key=lambda r: r["priority"])]

    @staticmethod
    def _nets(prefixes):
        return None if "*" in prefixes else [ipaddress.ip_network(p) for p in prefixes]

    @staticmethod
    def _ports(ranges):
        return None if "*" in ranges else [(int(r.partition("-")[0]), int(r.partition("-")[2] or r)) for r in ranges]

    @staticmethod
    def _in(address, nets):
        return nets is None or any(address in net for net in nets)

    def allows(self, src_ip, dst_ip, proto, port):
        for access, direction, protocol, sources, destinations, ports in self.nsgs.get(self.nic_nsg.get(dst_ip), []):
            if direction != "Inbound" or not self._in(dst_ip, destinations) or not self._in(src_ip, sources):
                continue
            if protocol not in ("*", proto.capitalize()):
                continue
            if ports is not None and not any(lo <= port <= hi for lo, hi in ports):
                continue
            return access == "Allow"
        return True


def _pairs(vms, platform_of, wanted, count=300):
    rng = random.Random(23)
    names = sorted(v for v in vms if platform_of(vms[v]) == wanted)
    pairs = []
    while len(pairs) < count:
        src, dst = rng.choice(names), rng.choice(names)
        if src != dst:
            pairs.append((src, dst))
    # every flow's own pair is sampled too, so allowed flows are not left to chance
    by_app = {}
    for name in names:
        by_app.setdefault(vms[name]["application"], name)
    return pairs + [(by_app[a], by_app[b]) for a in by_app for b in by_app if a != b][:200]


def _platform(vm):
    return "ove" if vm["cluster"].startswith("ove") else "azure"


@pytest.mark.parametrize("fam", [4, 6])
def test_ove_multinetworkpolicies_agree_with_the_policy_model(fam):
    vms, seg = _inventory()
    files = rendered("dc1")
    evaluator = OveEvaluator(files)
    checked = allowed = 0
    for src, dst in _pairs(vms, _platform, "ove"):
        for proto, port in PROBES:
            want = policy_model(vms, seg, src, dst, proto, port, fam)
            got = evaluator.allows(_address(vms[src], fam), dst, proto, port)
            assert got == want, (src, dst, proto, port, fam)
            checked += 1
            allowed += want
    assert checked > 1000 and 0 < allowed < checked


@pytest.mark.parametrize("fam", [4, 6])
def test_azure_nsgs_agree_with_the_policy_model(fam):
    vms, seg = _inventory()
    evaluator = NsgEvaluator(rendered("dc1"))
    checked = allowed = 0
    for src, dst in _pairs(vms, _platform, "azure"):
        for proto, port in PROBES:
            want = policy_model(vms, seg, src, dst, proto, port, fam)
            got = evaluator.allows(_address(vms[src], fam), _address(vms[dst], fam), proto, port)
            assert got == want, (src, dst, proto, port, fam)
            checked += 1
            allowed += want
    assert checked > 500 and 0 < allowed < checked


def test_the_evaluator_sees_a_missing_rule():
    """Guard: drop the IPv6 twin of one flow rule from the rendered NSGs and the evaluator disagrees."""
    vms, seg = _inventory()
    files = dict(rendered("dc1"))
    rel = "azure_vms/azl-a/network-security-groups.json"
    template = json.loads(files[rel])
    flows = {f["name"]: f for f in seg["flows"]}
    victim = next(r for r in template["resources"]
                  if r["type"].endswith("/securityRules") and r["name"].split("/")[1][:-3] in flows
                  and r["name"].endswith("-v6"))
    flow = flows[victim["name"].split("/")[1][:-3]]
    template["resources"].remove(victim)
    files[rel] = json.dumps(template)
    src = next(n for n, v in sorted(vms.items()) if v["application"] == flow["from"])
    dst = next(n for n, v in sorted(vms.items()) if v["application"] == flow["to"] and v["cluster"] == "azl-a")
    assert policy_model(vms, seg, src, dst, "tcp", 443, 6)
    assert NsgEvaluator(rendered("dc1")).allows(_address(vms[src], 6), _address(vms[dst], 6), "tcp", 443)
    assert not NsgEvaluator(files).allows(_address(vms[src], 6), _address(vms[dst], 6), "tcp", 443)


def test_the_evaluator_sees_a_missing_association():
    """Guard: a NIC without its NSG accepts everything, so the evaluator disagrees with the policy model."""
    vms, seg = _inventory()
    files = dict(rendered("dc1"))
    rel = "azure_vms/azl-a/network-interfaces.json"
    template = json.loads(files[rel])
    victim = template["resources"][0]
    del victim["properties"]["networkSecurityGroup"]
    files[rel] = json.dumps(template)
    dst = victim["tags"]["dcnet.fabric/vm"]
    src = next(n for n, v in sorted(vms.items()) if v["application"] != vms[dst]["application"]
               and not policy_model(vms, seg, n, dst, "tcp", 22, 4))
    assert not NsgEvaluator(rendered("dc1")).allows(_address(vms[src], 4), _address(vms[dst], 4), "tcp", 22)
    assert NsgEvaluator(files).allows(_address(vms[src], 4), _address(vms[dst], 4), "tcp", 22)


def test_every_azure_vm_nic_carries_its_mac_addresses_and_group_nsg():
    """networkInterfaces (2026-02-01-preview): one per VM NIC on the cluster's logical networks, MAC from the
    import, one IP configuration per family on the VM's logical network, the NSG of the VM's group; a VM in two
    groups gets one NSG holding both groups' rules."""
    import copy
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ove.conftest import inventory_vars
    vms, seg = _inventory()
    open_groups = {g["name"] for g in seg.get("groups", []) if g.get("default") == "allow"}
    files = rendered("dc1")
    for cluster in ("azl-a", "azl-b"):
        nics = json.loads(files[f"azure_vms/{cluster}/network-interfaces.json"])["resources"]
        nsgs = {r["name"] for r in json.loads(files[f"azure_vms/{cluster}/network-security-groups.json"])["resources"]
                if r["type"] == "Microsoft.AzureStackHCI/networkSecurityGroups"}
        on_cluster = sorted(v for v in vms if vms[v]["cluster"] == cluster)
        assert sorted({r["tags"]["dcnet.fabric/vm"] for r in nics}) == on_cluster
        assert len(nics) == sum(len(vms[v]["nics"]) for v in on_cluster)
        for res in nics:
            assert (res["type"], res["apiVersion"]) == ("Microsoft.AzureStackHCI/networkInterfaces", "2026-02-01-preview")
            vm = vms[res["tags"]["dcnet.fabric/vm"]]
            nic = next(n for n in vm["nics"] if n["name"] == res["tags"]["dcnet.fabric/nic"])
            props = res["properties"]
            assert set(props) <= {"macAddress", "ipConfigurations", "networkSecurityGroup"}
            assert props["macAddress"] == nic["mac"]
            assert [c["properties"]["privateIPAddress"] for c in props["ipConfigurations"]] == nic["ipv4"] + nic["ipv6"]
            assert {c["properties"]["subnet"]["id"] for c in props["ipConfigurations"]} == {
                f"[resourceId('Microsoft.AzureStackHCI/logicalNetworks', '{nic['network']}')]"}
            if vm["application"] in open_groups:          # an open group: no NSG, like its missing MultiNetworkPolicy
                assert "networkSecurityGroup" not in props
                continue
            assert props["networkSecurityGroup"]["id"] == \
                f"[resourceId('Microsoft.AzureStackHCI/networkSecurityGroups', 'nsg-{vm['application']}')]"
            assert f"nsg-{vm['application']}" in nsgs
    # a VM listed in a second group: its NIC's NSG holds both groups' allow rules
    variables = copy.deepcopy(inventory_vars("dc1"))
    vm = next(v for v in variables["dcnet_vms"] if v["cluster"] == "azl-a" and v["application"] not in open_groups)
    other = next(v["application"] for v in variables["dcnet_vms"]
                 if v["application"] not in open_groups | {vm["application"]})
    variables["dcnet_segmentation"].setdefault("groups", []).append({"name": other, "vms": [vm["name"]]})
    result = pipeline.build(variables)
    both = "nsg-" + "-".join(sorted([vm["application"], other]))
    nic = next(r for r in json.loads(result["files"]["azure_vms/azl-a/network-interfaces.json"])["resources"]
               if r["tags"]["dcnet.fabric/vm"] == vm["name"])
    assert nic["properties"]["networkSecurityGroup"]["id"].endswith(f"'{both}')]")
    rules = [r for r in json.loads(result["files"]["azure_vms/azl-a/network-security-groups.json"])["resources"]
             if r["name"].startswith(f"{both}/")]
    names = {r["name"].split("/")[1] for r in rules}
    assert {f"{vm['application']}-intra-v4", f"{other}-intra-v4", f"{vm['application']}-intra-v6"} <= names
    assert len({r["properties"]["priority"] for r in rules}) == len(rules)


def test_multinetworkpolicies_validate_against_the_crd():
    if not os.path.isdir(SCHEMAS):
        pytest.skip(f"published schemas not found at {SCHEMAS}")
    catalog = CrdCatalog(SCHEMAS)
    count = 0
    for rel, text in rendered("dc1").items():
        if "/segmentation/" in rel:
            for doc in yaml.load_all(text, Loader=LOADER):  # nosec B506 - a safe loader
                if doc and doc["kind"] == "MultiNetworkPolicy":
                    assert catalog.validate(doc) == [], rel
                    count += 1
    assert count > 40


def test_nsg_rules_have_the_preview_api_shape():
    path = os.path.join(SCHEMAS, "azure-local-vm-networks-2024-01-01", "preview-examples-2026-02-01-preview",
                        "SecurityRules_CreateOrUpdate.json")
    if not os.path.exists(path):
        pytest.skip(f"preview example not found at {path}")
    with open(path, encoding="utf-8") as handle:
        example = json.load(handle)["parameters"]["resource"]["properties"]
    for rel, text in rendered("dc1").items():
        if rel.endswith("network-security-groups.json"):
            for res in json.loads(text)["resources"]:
                assert res["apiVersion"] == "2026-02-01-preview"
                if res["type"].endswith("/securityRules"):
                    props = res["properties"]
                    assert set(props) == set(example), rel
                    assert props["access"] in ("Allow", "Deny") and props["direction"] in ("Inbound", "Outbound")
                    assert props["protocol"] in ("*", "Tcp", "Udp", "Icmp") and 100 <= props["priority"] <= 4096


def test_report_rules_per_host_and_vm_and_the_audit_table():
    text = rendered("dc1")["segmentation/report.md"]
    vms, seg = _inventory()
    assert "| ove-prod | 120 | 3000 | no |" in text                 # 60 apps on 4 clusters, 20 VMs x 2 families
    assert "| app00 | app01 | tcp/443,8000-8080 IPv4+6 | app00-to-app01 |" in text
    assert "| app00 | app30 | udp/161 IPv4+6 | monitoring |" in text
    assert "| app01 | app00 |" not in text                           # no flow back: denied, so no row
    assert sum(1 for line in text.splitlines() if line.startswith("| app") and "-vm" in line) == len(vms)


def test_report_flags_a_host_over_the_budget():
    import copy
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ove.conftest import inventory_vars
    variables = copy.deepcopy(inventory_vars("dc1"))
    variables["dcnet_segmentation"]["rule_budget"] = 2500
    result = pipeline.build(variables)
    assert "| azl-a | 16 | 3040 | **yes** |" in result["files"]["segmentation/report.md"]
    assert ("SEG003", "clusters[azl-a]") in [(f["rule"], f["path"]) for f in result["findings"]]
