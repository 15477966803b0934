"""OVE as OpenShift deploys it: install-time network vs post-install NNCPs, both VM layouts, releases,
namespaces, rollout, live migration and MetalLB -- read back from the rendered files."""

import copy
import ipaddress
import json

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

from .conftest import inventory_vars, load
from .oracle_nmstate import validate


def _files(files, cluster, prefix):
    return {k: load(v) for k, v in sorted(files.items()) if k.startswith(f"ove/{cluster}/{prefix}")}


def _nncps(files, cluster):
    return {k: d for k, d in _files(files, cluster, "1").items() if d["kind"] == "NodeNetworkConfigurationPolicy"}


def under_br_ex(network_config) -> set:
    """From an install-time networkConfig alone: the interface of the default route, its base and bond ports.

    That is what configure-ovs moves into br-ex (with br-ex itself)."""
    by_name = {i["name"]: i for i in network_config["interfaces"]}
    routes = network_config.get("routes", {}).get("config", [])
    iface = next(r["next-hop-interface"] for r in routes if r["destination"] in ("0.0.0.0/0", "::/0"))
    out, todo = {"br-ex"}, [iface]
    while todo:
        name = todo.pop()
        out.add(name)
        entry = by_name.get(name, {})
        if entry.get("type") == "vlan":
            todo.append(entry["vlan"]["base-iface"])
        todo += entry.get("link-aggregation", {}).get("port", [])
    return out


def declared(state) -> set:
    """Every interface a desiredState declares, as an interface or as a bond or bridge port."""
    out = set()
    for iface in state.get("interfaces", []):
        out.add(iface["name"])
        out.update(iface.get("link-aggregation", {}).get("port", []))
        out.update(p["name"] for p in iface.get("bridge", {}).get("port", []))
    return out


def _agent_hosts(files, cluster):
    return {h["hostname"]: h for h in load(files[f"ove/{cluster}/install/agent-config.yaml"])["hosts"]}


@pytest.mark.parametrize("example,cluster", [("small", "ove-small"), ("dc1", "ove-prod"), ("dc1", "ove-edge")])
def test_post_install_policies_never_touch_br_ex(request, example, cluster):
    files = request.getfixturevalue(example)
    hosts = _agent_hosts(files, cluster)
    nncps = _nncps(files, cluster)
    assert nncps
    for rel, nncp in nncps.items():
        state = nncp["spec"]["desiredState"]
        assert validate(state) == [], rel
        selector = nncp["spec"]["nodeSelector"]
        targets = list(hosts.values()) if "node-role.kubernetes.io/worker" in selector else \
            [hosts[selector["kubernetes.io/hostname"]]]
        for host in targets:
            assert not declared(state) & under_br_ex(host["networkConfig"]), (rel, host["hostname"])


def test_install_time_network_is_the_machine_network_only(small):
    for hostname, host in _agent_hosts(small, "ove-small").items():
        config = host["networkConfig"]
        assert validate(config) == []
        names = [i["name"] for i in config["interfaces"]]
        assert names == ["ens1f0", "ens1f1", "bond0"], hostname        # machine network untagged on bond0
        assert "ovn" not in config                                                   # gc would drop it anyway
        assert {i["name"] for i in host["interfaces"]} == {"ens1f0", "ens1f1"}
        assert all(i["macAddress"] for i in host["interfaces"])
    agent = load(small["ove/ove-small/install/agent-config.yaml"])
    assert agent["apiVersion"] == "v1beta1" and agent["kind"] == "AgentConfig" and agent["rendezvousIP"] == "10.10.10.11"


def test_host_file_equals_the_agent_config_network(small):
    hosts = _agent_hosts(small, "ove-small")
    for hostname, host in hosts.items():
        assert load(small[f"hosts/{hostname.split('.')[0]}.nmstate.yml"]) == host["networkConfig"]


def test_dedicated_layout_second_bond_and_bridge(dc1):
    group = load(dc1["ove/ove-prod/10-nncp-ove-prod-vm-networks.yaml"])
    state = group["spec"]["desiredState"]
    by_name = {i["name"]: i for i in state["interfaces"]}
    assert by_name["bond1"]["link-aggregation"]["port"] == ["ens2f0", "ens2f1"]
    bridge = by_name["br-vms"]
    assert bridge["type"] == "ovs-bridge" and bridge["bridge"]["allow-extra-patch-ports"] is True
    assert [p["name"] for p in bridge["bridge"]["port"]] == ["bond1"]
    assert state["ovn"]["bridge-mappings"] == [{"localnet": "physnet-br-vms", "bridge": "br-vms", "state": "present"}]
    # the leaf side of bond1 is derived like bond0's: its own port-channel carrying only the VM VLANs
    leaf = dc1["switches/leaf01a.cfg"]
    assert "interface Port-Channel17\n   description w001:bond1\n" in leaf
    block = leaf.split("interface Port-Channel17\n", 1)[1].split("!\n", 1)[0]
    assert "switchport trunk allowed vlan 100-299" in block
    block0 = leaf.split("interface Port-Channel1\n", 1)[1].split("!\n", 1)[0]
    assert "switchport trunk allowed vlan 10,20,30\n" in block0


def test_shared_layout_maps_to_br_ex_only(dc1):
    group = load(dc1["ove/ove-edge/10-nncp-ove-edge-vm-networks.yaml"])
    state = group["spec"]["desiredState"]
    assert "interfaces" not in state                                  # nothing but the mappings
    assert {m["bridge"] for m in state["ovn"]["bridge-mappings"]} == {"br-ex"}
    # machine network untagged on the bond: the bond is br-ex's port, OVN tags each VM VLAN once
    host = next(iter(_agent_hosts(dc1, "ove-edge").values()))
    assert under_br_ex(host["networkConfig"]) == {"br-ex", "bond0", "ens1f0", "ens1f1"}
    assert "bridge-pvid 14" in dc1["switches/leaf12a.interfaces"]


def test_release_417_one_mapping_per_vlan_418_one_shared(dc1):
    edge = load(dc1["ove/ove-edge/10-nncp-ove-edge-vm-networks.yaml"])["spec"]["desiredState"]["ovn"]["bridge-mappings"]
    assert [m["localnet"] for m in edge] == [f"vm-{v}" for v in range(290, 300)]           # 4.17
    nad = json.loads(load(dc1["ove/ove-edge/30-nad-vm-networks-vm-290.yaml"])["spec"]["config"])
    assert nad["name"] == "vm-290" and "physicalNetworkName" not in nad and nad["vlanID"] == 290
    nad = json.loads(load(dc1["ove/ove-prod/30-nad-vm-networks-vm-100.yaml"])["spec"]["config"])    # 4.18
    assert nad["physicalNetworkName"] == "physnet-br-vms" and nad["vlanID"] == 100 and nad["name"] == "vm-100"


def _with_new_vlan(version):
    base = copy.deepcopy(inventory_vars("small"))
    ove = next(c for c in base["dcnet_clusters"] if c["name"] == "ove-small")
    ove["ove"]["ocp_version"] = version
    before = pipeline.build(copy.deepcopy(base))["files"]
    base["dcnet_networks"].append({"name": "vm-app", "vlan": 102, "role": "vm", "ipv4": "10.102.0.0/24",
                                   "ipv6": "fd00:102::/64", "mtu": 1500, "vrf": "prod"})
    ove["networks"].append("vm-app")
    after = pipeline.build(base)["files"]
    return before, after


def test_adding_a_vlan_on_418_changes_no_nncp():
    before, after = _with_new_vlan("4.18")
    nncp = sorted(k for k in before if "/1" in k and "-nncp-" in k)
    assert nncp and nncp == sorted(k for k in after if "/1" in k and "-nncp-" in k)
    for rel in nncp:
        assert before[rel] == after[rel], rel
    assert "ove/ove-small/30-nad-vm-networks-vm-app.yaml" in after       # only a NAD is new on the cluster side


def test_adding_a_vlan_on_417_changes_the_mappings():
    before, after = _with_new_vlan("4.17")
    rel = "ove/ove-small/10-nncp-ove-small-vm-networks.yaml"
    assert before[rel] != after[rel] and "localnet: vm-app" in after[rel]


def test_nads_in_every_namespace_with_one_spec():
    variables = copy.deepcopy(inventory_vars("small"))
    ove = next(c for c in variables["dcnet_clusters"] if c["name"] == "ove-small")
    ove["ove"]["namespaces"] = {"vm-web": ["web-team"]}
    variables["dcnet_vms"] = [
        {"name": "shop-web01", "cluster": "ove-small", "application": "Shop",
         "nics": [{"name": "nic1", "network": "vm-web", "mac": "00:50:56:01:02:03"}]},
        {"name": "db01", "cluster": "ove-small", "namespace": "databases",
         "nics": [{"name": "nic1", "network": "vm-db", "mac": "00:50:56:01:02:04"}]}]
    files = pipeline.build(variables)["files"]
    nads = {k: load(v) for k, v in files.items() if k.startswith("ove/ove-small/30-nad-")}
    web = {d["metadata"]["namespace"]: json.loads(d["spec"]["config"]) for d in nads.values()
           if d["metadata"]["name"] == "vm-web"}
    assert sorted(web) == ["shop", "vm-networks", "web-team"]
    specs = {json.dumps({k: v for k, v in c.items() if k != "netAttachDefName"}, sort_keys=True) for c in web.values()}
    assert len(specs) == 1
    assert all(c["netAttachDefName"] == f"{ns}/vm-web" for ns, c in web.items())
    assert sorted(d["metadata"]["namespace"] for d in nads.values() if d["metadata"]["name"] == "vm-db") == \
        ["databases", "vm-networks"]
    assert {"ove/ove-small/20-namespace-shop.yaml", "ove/ove-small/20-namespace-databases.yaml"} <= set(files)


def test_rollout_one_group_policy_and_per_node_addresses(dc1):
    nncps = _nncps(dc1, "ove-prod")
    groups = [d for d in nncps.values() if "node-role.kubernetes.io/worker" in d["spec"]["nodeSelector"]]
    assert len(groups) == 1 and groups[0]["spec"]["maxUnavailable"] == "10%"                # 12 of 120 at a time
    per_node = [d for d in nncps.values() if d not in groups]
    assert len(per_node) == 120
    for doc in per_node:
        assert doc["spec"]["nodeSelector"]["kubernetes.io/hostname"].endswith(".dc1.example.net")
        for iface in doc["spec"]["desiredState"]["interfaces"]:
            assert iface["type"] == "vlan" and iface["ipv4"]["address"]         # only what holds addresses


def test_short_node_names_when_asked():
    variables = copy.deepcopy(inventory_vars("small"))
    next(c for c in variables["dcnet_clusters"] if c["name"] == "ove-small")["ove"]["node_names"] = "short"
    files = pipeline.build(variables)["files"]
    nncp = load(files["ove/ove-small/11-nncp-ove-small-ove-w1.yaml"])
    assert nncp["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "ove-w1"}
    peer = load(files["ove/ove-small/43-metallb-bgppeer-leaf01a-ipv4.yaml"])
    assert peer["spec"]["nodeSelectors"][0]["matchExpressions"][0]["values"] == ["ove-w1", "ove-w2"]


def test_live_migration_network_avoids_host_addresses(dc1):
    nad = load(dc1["ove/ove-prod/35-nad-openshift-cnv-live-migration.yaml"])
    assert nad["metadata"]["namespace"] == "openshift-cnv"
    config = json.loads(nad["spec"]["config"])
    assert config["type"] == "macvlan" and config["master"] == "bond0.30" and config["ipam"]["type"] == "whereabouts"
    hosts = set()
    for rel, doc in _nncps(dc1, "ove-prod").items():
        for iface in doc["spec"]["desiredState"].get("interfaces", []):
            if iface["name"] == "bond0.30":
                for fam in ("ipv4", "ipv6"):
                    hosts.update(ipaddress.ip_address(a["ip"]) for a in iface[fam].get("address", []))
    assert len(hosts) == 240
    for rng in config["ipam"]["ipRanges"]:
        net = ipaddress.ip_network(rng["range"])
        first, last = ipaddress.ip_address(rng["range_start"]), ipaddress.ip_address(rng["range_end"])
        assert first in net and last in net and first < last
        assert not [h for h in hosts if h.version == first.version and first <= h <= last]
    patch = load(dc1["ove/ove-prod/36-hyperconverged-live-migration.yaml"])
    assert patch["spec"]["liveMigrationConfig"]["network"] == nad["metadata"]["name"]
    assert (patch["metadata"]["name"], patch["metadata"]["namespace"]) == ("kubevirt-hyperconverged", "openshift-cnv")


def test_metallb_cr_starts_the_speakers(small):
    doc = load(small["ove/ove-small/39-metallb.yaml"])
    assert (doc["apiVersion"], doc["kind"], doc["metadata"]) == \
        ("metallb.io/v1beta1", "MetalLB", {"name": "metallb", "namespace": "metallb-system"})
    assert doc["spec"] == {"nodeSelector": {"node-role.kubernetes.io/worker": ""}}
