"""explain() on examples/dc1 and examples/small: the hops, the choices, the MTU budget, the stops."""

import copy
import json

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import hashing
from ansible_collections.dcnet.fabric.plugins.module_utils.checks import run_checks
from ansible_collections.dcnet.fabric.plugins.module_utils.path import PathError, explain, markdown

from .conftest import build


def path_of(result, direction="forward", family=4):
    return next(p for p in result["paths"] if p["direction"] == direction and p["family"] == family)


def kinds(path):
    return [h["kind"] for h in path["hops"]]


def test_vlan100_to_vlan200_across_racks(dc1_flat):
    """The docs/path.md question: VM-A on w001 (rack 1) in VLAN 100 to VM-B on w120 (rack 8) in VLAN 200."""
    result = explain(*dc1_flat, "10.64.0.11@w001", "10.64.100.12@w120")
    fwd = path_of(result)
    assert fwd["status"] == "complete"
    assert kinds(fwd) == ["vm-nic", "ovn-localnet", "host-bridge", "bond", "leaf-ingress", "gateway", "vrf",
                          "vxlan-encap", "spine", "vxlan-decap", "leaf-egress", "bond", "host-bridge", "ovn-localnet",
                          "vm-nic"]
    hops = {h["kind"]: h for h in fwd["hops"]}
    # the tag is VLAN 100 up to the gateway, routed into VLAN 200 on the first leaf, VNI 10200 between racks
    assert "VLAN 100" in hops["leaf-ingress"]["headers"][1]["name"]
    assert "VNI 10200" in " ".join(h["name"] for h in hops["vxlan-encap"]["headers"])
    assert hops["vxlan-encap"]["ip_packet_bytes"] == 1550 and hops["vxlan-encap"]["mtu_left"] == 9214 - 1550
    assert hops["leaf-egress"]["device"] in ("leaf08a", "leaf08b")
    # spines: an equal-cost choice, shown as such with its candidates, not decided
    spine = hops["spine"]
    assert spine["choice"]["kind"] == "ecmp" and spine["choice"]["chosen"] is None and not spine["decided"]
    assert sorted(hops["vxlan-encap"]["choice"]["candidates"]) == ["spine1", "spine2", "spine3", "spine4"]
    assert spine["choice"]["candidates"] == ["leaf08a", "leaf08b"]
    # OVN's pipeline is named as not decided
    assert not hops["ovn-localnet"]["decided"]
    assert fwd["mtu"]["path_mtu"] == 1500 and fwd["mtu"]["fits"]
    assert "ping -M do -s 1472 10.64.100.12" == fwd["mtu"]["ping"]
    rev = path_of(result, "reverse")
    assert rev["status"] == "complete" and rev["hops"][0]["device"] == "VM on w120"
    # asymmetric IRB: the reply is bridged in VNI 10100
    assert "VNI 10100" in " ".join(h["name"] for h in next(h for h in rev["hops"] if h["kind"] == "vxlan-encap")["headers"])
    text = markdown(result)
    assert "VNI 10200" in text and "show vxlan vtep" in text and "show nve vni 10200" in text


def test_bond_member_is_the_kernel_hash(dc1):
    """The member (and so the MLAG leaf) is the layer3+4 hash of the flow, and the flow's ports decide it; on
    ove-prod's dedicated layout a VM's flow leaves by the VM bond (bond1: ens2f0, ens2f1)."""
    seen = {}
    for sport in range(40000, 40016):
        result = explain(*dc1, "10.64.0.11@w001", "10.64.100.12@w120", flow=f"tcp/{sport}/443")
        bond = next(h for h in path_of(result)["hops"] if h["kind"] == "bond")
        flow = {"src_ip": "10.64.0.11", "dst_ip": "10.64.100.12", "proto": 6, "src_port": sport, "dst_port": 443}
        expected = ["ens2f0", "ens2f1"][hashing.member("layer3+4", flow, 2)]
        assert bond["choice"]["chosen"] == expected and bond["what"].startswith("bond1 ")
        leaf = next(h for h in path_of(result)["hops"] if h["kind"] == "leaf-ingress")["device"]
        assert leaf == {"ens2f0": "leaf01a", "ens2f1": "leaf01b"}[expected]
        seen[leaf] = sport
    assert set(seen) == {"leaf01a", "leaf01b"}


def test_member_not_decidable_without_addresses(dc1):
    result = explain(*dc1, "vm-100@w001", "vm-100@w120")
    bond = next(h for h in path_of(result)["hops"] if h["kind"] == "bond")
    assert bond["choice"]["chosen"] is None and not bond["decided"] and "cannot be decided" in bond["choice"]["rule"]


def test_within_a_rack_stays_on_the_pair(dc1):
    result = explain(*dc1, "w001", "w002")
    fwd = path_of(result)
    assert fwd["status"] == "complete" and "spine" not in kinds(fwd) and "vxlan-encap" not in kinds(fwd)
    devices = {h["device"] for h in fwd["hops"]}
    assert devices <= {"w001", "w002", "leaf01a", "leaf01b"}
    assert result["notes"] and "ove-storage" in result["notes"][0]
    assert {p["family"] for p in result["paths"]} == {4, 6}


def test_same_network_across_racks_is_bridged_over_vxlan(dc1):
    fwd = path_of(explain(*dc1, "w001", "w120"))
    assert "gateway" not in kinds(fwd)
    assert "VNI 10010" in " ".join(h["name"] for h in next(h for h in fwd["hops"] if h["kind"] == "vxlan-encap")["headers"])


def test_routed_over_the_underlay_and_mtu_at_the_routed_hop(dc1_flat):
    """ove-mgmt (9000) to Azure Local's azl-a-mgmt (1500): routed by the spines, the smaller MTU at a routed hop."""
    fwd = path_of(explain(*dc1_flat, "w001", "azl-a-n01"))
    assert fwd["status"] == "complete"
    assert "uplink" in kinds(fwd) and "spine" in kinds(fwd) and "vxlan-encap" not in kinds(fwd)
    mtu = fwd["mtu"]
    assert mtu["path_mtu"] == 1500 and not mtu["fits"] and not mtu["silent_drop"]
    assert fwd["hops"][mtu["bottleneck_hop"] - 1]["routed"]
    vswitch = next(h for h in fwd["hops"] if h["kind"] == "vswitch")
    assert vswitch["platform"] == "azure_local" and any("Get-NetIntentStatus" in c["command"] for c in vswitch["verify"])


def test_azure_local_set_member_is_named_undecided(dc1):
    fwd = path_of(explain(*dc1, "azl-a-n01", "azl-a-n09"))
    team = fwd["hops"][1]
    assert team["kind"] == "vswitch" and team["choice"]["candidates"] == ["pNIC01", "pNIC02"]
    assert team["choice"]["chosen"] is None and "HyperVPort" in team["choice"]["rule"]
    assert any(c["command"].startswith("Test-NetConnection") for c in fwd["hops"][0]["verify"])


def test_external_prefix_from_the_default_vrf_names_the_missing_exit(dc1_flat):
    """dc1's networks are in the default VRF, which carries only the underlay: the walk stops at the first leaf
    and names what the model lacks (a tenant VRF with an external session), in both directions."""
    result = explain(*dc1_flat, "w001", "203.0.113.0/24")
    fwd = path_of(result)
    assert fwd["status"] == "no-exit" and "networks[ove-mgmt].vrf" in fwd["reason"]
    assert "external_peers[].vrfs[]" in fwd["reason"]
    assert fwd["hops"][-1]["kind"] == "drop" and "no route to 203.0.113.0" in fwd["hops"][-1]["what"]
    rev = path_of(result, "reverse")
    assert rev["status"] == "no-exit" and rev["hops"] == [] and "default VRF" in rev["reason"]


def test_between_vrfs_without_exits_names_the_missing_exit(raw_dc1_flat):
    """A network moved out of the default VRF: the default VRF has no exit toward it, so the walk stops at the first
    leaf and says what is missing."""
    model, facts, designed = build(raw_dc1_flat)
    model.networks["vm-200"]["vrf"] = "tenant-b"
    fwd = path_of(explain(model, facts, designed, "10.64.0.11@w001", "10.64.100.12@w120"))
    assert fwd["status"] == "no-exit" and "network vm-100 is in the default VRF" in fwd["reason"]
    assert fwd["hops"][-1]["kind"] == "drop"


def test_network_without_gateway_has_no_route(raw_dc1_flat):
    next(n for n in raw_dc1_flat["networks"] if n["name"] == "vm-100")["gateway_on"] = "none"
    fwd = path_of(explain(*build(raw_dc1_flat), "10.64.0.11@w001", "10.64.100.12@w120"))
    assert fwd["status"] == "no-route" and "network vm-100 has no gateway" in fwd["reason"]


def test_node_uses_its_routing_table(dc1):
    """A node reaches an address outside its networks by its default route (management), whatever network it shares."""
    fwd = path_of(explain(*dc1, "w001", "10.64.0.5", network="ove-storage"))
    # installed, the node's management address is on br-ex; configure-ovs made bond0.10 its port
    assert fwd["hops"][0]["interface"] == "br-ex" and "default route" in fwd["hops"][0]["what"]
    assert "its port bond0.10 tags VLAN 10" in fwd["hops"][0]["what"]
    assert [c["command"].split(" -- chroot /host ")[1] for c in fwd["hops"][0]["verify"]][:2] == [
        "ovs-vsctl port-to-br bond0.10", "ip -d link show bond0.10"]
    assert fwd["status"] == "not-modelled" and "address@node" in fwd["reason"]


def test_vip_goes_to_the_speakers(dc1):
    fwd = path_of(explain(*dc1, "azl-a-n01", "10.250.0.5"))
    assert fwd["status"] == "complete" and fwd["hops"][-1]["kind"] == "vip" and not fwd["hops"][-1]["decided"]


def test_pod_to_pod_is_geneve_inside_vxlan(dc1):
    fwd = path_of(explain(*dc1, "pod@w001", "pod@w120"))
    assert fwd["status"] == "complete"
    encap = next(h for h in fwd["hops"] if h["kind"] == "vxlan-encap")
    assert encap["encapsulation_bytes"] == 150            # VXLAN 50 around Geneve 100
    host = next(h for h in fwd["hops"] if h["kind"] == "host-interface")
    assert host["encapsulation_bytes"] == 100 and host["mtu_left"] == 0
    assert fwd["mtu"]["sender_mtu"] == 8900 and fwd["mtu"]["fits"]
    bond = next(h for h in fwd["hops"] if h["kind"] == "bond")
    assert bond["choice"]["chosen"] is None and "Geneve" in bond["choice"]["rule"]


def test_same_node_stays_local(dc1):
    fwd = path_of(explain(*dc1, "vm-100@w001", "vm-101@w001"))
    assert fwd["status"] == "local" and not any(h["device"].startswith("leaf") for h in fwd["hops"])


def test_path_and_mtu008_agree_on_a_small_fabric_mtu(raw_dc1):
    """fabric.mtu 1500 under EVPN: the path says the VXLAN hops carry 1450 and drop silently; MTU008 agrees."""
    raw_dc1["fabric"]["mtu"] = 1500
    model, facts, designed = build(raw_dc1)
    fwd = path_of(explain(model, facts, designed, "10.64.0.11@w001", "10.64.0.12@w120"))
    mtu = fwd["mtu"]
    assert mtu["path_mtu"] == 1450 and mtu["silent_drop"]
    assert fwd["hops"][mtu["bottleneck_hop"] - 1]["kind"] == "vxlan-encap"
    found = [f for f in run_checks(model, facts, designed)[0] if f.rule == "MTU008" and f.path == "networks[vm-100].mtu"]
    assert found and "path MTU 1450" in found[0].message


def test_every_switch_hop_has_commands_per_platform(dc1):
    result = explain(*dc1, "10.64.0.11@w001", "10.64.100.12@w120")
    for path in result["paths"]:
        for hop in path["hops"]:
            if hop["kind"] in ("leaf-ingress", "gateway", "vrf", "vxlan-encap", "spine", "vxlan-decap", "leaf-egress",
                               "bond", "host-bridge", "ovn-localnet", "vm-nic"):
                assert hop["verify"], hop
    frr = explain(*build_small(), "ove-w1", "ove-w2")
    leaf = next(h for h in path_of(frr)["hops"] if h["kind"] == "leaf-ingress")
    assert leaf["platform"] == "frr" and any("/proc/net/bonding/" in c["command"] for c in leaf["verify"])


def build_small():
    from .conftest import _site
    return _site("small")


def test_output_is_deterministic(dc1):
    one = json.dumps(explain(*dc1, "w001", "w120"), sort_keys=True)
    two = json.dumps(explain(*dc1, "w001", "w120"), sort_keys=True)
    assert one == two


@pytest.mark.parametrize("src,dst,needle", [
    ("w999", "w001", "did you mean 'w099'"),
    ("10.64.0.11@w999", "w001", "not a node"),
    ("10.99.0.1@w001", "w001", "addresses of one modelled network"),
    ("vm-100@azl-b-n01", "w001", "not carried by cluster azl-b"),
    ("ove-mgmt@w001", "w001", "not a VM network"),
    ("pod@azl-a-n01", "w001", "pods run on OpenShift"),
    ("w001", "10.64.0.0/24", "inside network vm-100"),
])
def test_bad_questions_are_located_errors(dc1, src, dst, needle):
    with pytest.raises(PathError) as exc:
        explain(*dc1, src, dst)
    assert needle in str(exc.value)


@pytest.mark.parametrize("flow,needle", [("sctp/1", "tcp/<port>"), ("tcp/x", "numbers"), ("udp/1/70000", "0..65535")])
def test_bad_flows(dc1, flow, needle):
    with pytest.raises(PathError) as exc:
        explain(*dc1, "w001", "w002", flow=flow)
    assert needle in str(exc.value)


def test_unknown_network(dc1):
    with pytest.raises(PathError, match="unknown network 'ove-mgnt'; did you mean 'ove-mgmt'"):
        explain(*dc1, "w001", "w002", network="ove-mgnt")
    with pytest.raises(PathError, match="no address on network vm-100"):
        explain(*dc1, "w001", "w002", network="vm-100")


def test_input_model_is_not_changed(raw_dc1):
    model, facts, designed = build(raw_dc1)
    before = copy.deepcopy(designed["switches"]["leaf01a"])
    explain(model, facts, designed, "10.64.0.11@w001", "10.64.100.12@w120")
    assert designed["switches"]["leaf01a"] == before
