"""OVE design decisions against values worked out by hand from the reference, and located errors."""

import copy
import json

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from .oracle_nmstate import validate

from .conftest import inventory_vars, load


def _build(mutate):
    variables = copy.deepcopy(inventory_vars("small"))
    ove = next(c for c in variables["dcnet_clusters"] if c["platform"] == "ove")
    mutate(variables, ove)
    return pipeline.build(variables)


def _errors(result):
    return [(f["rule"], f["path"]) for f in result["findings"] if f["severity"] == "error"]


def test_ovn_mtu_is_host_mtu_minus_100(small):
    # mgmt (the machine network) is native on bond0 (MTU 9000) in examples/small: 9000 - 100 (TARGET_FORMATS 2.4)
    net = load(small["ove/ove-small/install/cluster-network-03-config.yml"])
    assert net["spec"]["defaultNetwork"]["ovnKubernetesConfig"]["mtu"] == 8900


def test_ovn_mtu_with_ipsec_is_minus_146():
    result = _build(lambda v, c: c.update(ipsec=True))
    net = load(result["files"]["ove/ove-small/install/cluster-network-03-config.yml"])
    config = net["spec"]["defaultNetwork"]["ovnKubernetesConfig"]
    assert config["mtu"] == 9000 - 146 and config["ipsecConfig"] == {"mode": "Full"}


def test_localnet_nad_matches_bridge_mapping_and_fits_the_bond(small):
    state = load(small["ove/ove-small/10-nncp-ove-small-vm-networks.yaml"])["spec"]["desiredState"]
    mappings = {m["localnet"]: m["bridge"] for m in state["ovn"]["bridge-mappings"]}
    assert mappings == {"physnet-br-ex": "br-ex"}                       # 4.18, shared layout
    bond_mtu = next(i["mtu"] for i in load(small["hosts/ove-w1.nmstate.yml"])["interfaces"] if i["name"] == "bond0")
    nads = [load(v) for k, v in small.items() if k.startswith("ove/ove-small/30-nad-")]
    assert len(nads) == 2                                     # vm-web, vm-db
    for nad in nads:
        config = json.loads(nad["spec"]["config"])
        assert mappings[config["physicalNetworkName"]] == "br-ex"
        assert config["netAttachDefName"] == f"{nad['metadata']['namespace']}/{nad['metadata']['name']}"
        assert 1 <= config["vlanID"] <= 4094 and config["mtu"] <= bond_mtu
        assert "ipam" not in config


def test_install_config_is_dual_stack_ipv4_first(small):
    net = load(small["ove/ove-small/install/install-config-networking.yaml"])["networking"]
    assert net["machineNetwork"] == [{"cidr": "10.10.10.0/24"}, {"cidr": "fd00:10::/64"}]
    assert [c["hostPrefix"] for c in net["clusterNetwork"]] == [23, 64]
    assert len(net["serviceNetwork"]) == 2 and ":" not in net["serviceNetwork"][0]


def _dedicated(v, c):
    c["ove"].update(vm_layout="dedicated", vm_bond={"profile": "lacp", "nics": ["ens2f0", "ens2f1"]})
    c.pop("native_network")
    for node, port in zip(c["nodes"], (5, 6)):
        node["nics"].update(ens2f0=f"leaf01a:swp{port}", ens2f1=f"leaf01b:swp{port}")


def test_bridge_cni_option_renders_linux_bridge_and_bridge_nads():
    def mutate(v, c):
        _dedicated(v, c)
        c["ove"]["cni"] = "bridge"
    result = _build(mutate)
    assert _errors(result) == []
    files = result["files"]
    state = load(files["ove/ove-small/10-nncp-ove-small-vm-networks.yaml"])["spec"]["desiredState"]
    bridge = next(i for i in state["interfaces"] if i["name"] == "br-vms")
    assert bridge["type"] == "linux-bridge" and "ovn" not in state and validate(state) == []
    assert bridge["bridge"]["port"] == [{"name": "bond1", "vlan": {"mode": "trunk", "trunk-tags": [
        {"id-range": {"min": 100, "max": 101}}]}}]
    config = json.loads(load(files["ove/ove-small/30-nad-vm-networks-vm-web.yaml"])["spec"]["config"])
    assert (config["type"], config["bridge"], config["vlan"]) == ("bridge", "br-vms", 100)


def test_nncp_max_unavailable_from_the_model():
    result = _build(lambda v, c: c["ove"].update(nncp_max_unavailable="1"))
    nncp = load(result["files"]["ove/ove-small/10-nncp-ove-small-vm-networks.yaml"])
    assert nncp["spec"]["maxUnavailable"] == 1
    assert nncp["spec"]["nodeSelector"] == {"node-role.kubernetes.io/worker": ""}
    node = load(result["files"]["ove/ove-small/11-nncp-ove-small-ove-w2.yaml"])
    assert node["spec"]["nodeSelector"] == {"kubernetes.io/hostname": "ove-w2.small.example.net"}


def test_shared_layout_with_tagged_machine_network_is_a_located_error():
    result = _build(lambda v, c: c.pop("native_network"))
    assert ("OVE004", "clusters[ove-small].native_network") in _errors(result)
    assert not any(k.startswith(("ove/", "hosts/")) for k in result["files"])


def test_overlapping_service_network_is_a_located_error():
    result = _build(lambda v, c: c.update(ove={"service_network4": "10.10.10.0/25"}))
    assert ("OVE008", "clusters[ove-small].ove") in _errors(result)


def test_vm_network_mtu_above_bond_is_a_located_error():
    def mutate(v, c):
        next(n for n in v["dcnet_networks"] if n["name"] == "vm-web")["mtu"] = 9100
    assert ("MTU002", "networks[vm-web].mtu") in _errors(_build(mutate))


def test_pool_family_without_sessions_is_a_located_error():
    def mutate(v, c):
        c["metallb"]["peer_network"] = "storage"          # no fabric gateway there: no sessions at all
        next(n for n in v["dcnet_networks"] if n["name"] == "storage")["gateway_on"] = "fabric"
        next(n for n in v["dcnet_networks"] if n["name"] == "storage").pop("ipv6")
    errors = _errors(_build(mutate))
    assert ("DS004", "clusters[ove-small].metallb.pools[vips].ipv6") in errors


def test_vm_networks_without_bond_are_a_check_not_a_design_error():
    """OVE001 (the loader's CLU001 normally stops such a model first): the rule sees it, the design stays sane."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.checks import ove as ove_rules
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars

    variables = copy.deepcopy(inventory_vars("small"))
    _dedicated(variables, next(c for c in variables["dcnet_clusters"] if c["platform"] == "ove"))
    model = load_model(*model_from_vars(variables))
    facts = site_facts(model)
    model.clusters["ove-small"]["bond"] = None
    found = [(f.rule, f.path) for f in ove_rules.vm_networks_need_bond(model, facts, None)]
    assert found == [("OVE001", "clusters[ove-small].bond")]
    section = design(model, facts)["clusters"]["ove-small"]["ove"]
    assert section["host_bridge"]["name"] == "br-vms" and section["br_ex"]["machine_interface"] is None
