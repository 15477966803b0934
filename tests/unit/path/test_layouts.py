"""The path on OVE's two VM layouts (ove.vm_layout) as an installed node runs them.

dc1's ove-prod is dedicated (4.18): VM networks leave by the VM bond bond1 (ens2f0/ens2f1) through br-vms,
whose one bridge mapping is the physical network physnet-br-vms; the machine network (VLAN 10, tagged) is on
br-ex, configure-ovs having made bond0.10 its port. dc1's ove-edge is shared (4.17): VM networks leave by bond0
through br-ex, one bridge mapping per network, and the machine network (VLAN 14) rides bond0 untagged.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import run_checks
from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain

from .conftest import build


def path_of(result, direction="forward", family=4):
    return next(p for p in result["paths"] if p["direction"] == direction and p["family"] == family)


def hops(path, kind):
    return [h for h in path["hops"] if h["kind"] == kind]


def tagged(hop):
    return any("802.1Q" in header["name"] for header in hop["headers"])


def expects(hop):
    return " | ".join(f"{c['command']} => {c['expect']}" for c in hop["verify"])


def test_dedicated_vm_traffic_takes_the_vm_bond_and_br_vms(dc1):
    fwd = path_of(explain(*dc1, "10.64.0.11@w001", "10.64.100.12@w120"))
    assert fwd["status"] == "complete"
    localnet, arrival_localnet = hops(fwd, "ovn-localnet")
    assert "bridge mapping physnet-br-vms:br-vms" in localnet["what"]
    assert "contains physnet-br-vms:br-vms" in expects(localnet) and "contains physnet-br-vms:br-vms" in expects(
        arrival_localnet)
    bridge = hops(fwd, "host-bridge")[0]
    assert bridge["what"].startswith("br-vms (OVS bridge) switches VLAN 100 to its uplink bond1 (dedicated layout")
    assert "ovs-vsctl list-ports br-vms => bond1" in expects(bridge)
    send, receive = hops(fwd, "bond")
    assert send["what"].startswith("bond1 ") and send["choice"]["candidates"] == ["ens2f0", "ens2f1"]
    assert "receives for bond1" in receive["what"] and receive["interface"] in ("ens2f0", "ens2f1")
    ingress = hops(fwd, "leaf-ingress")[0]
    assert ingress["interface"] == "Port-Channel17" and tagged(ingress)       # the VM bond's channel (Ethernet17)
    egress = hops(fwd, "leaf-egress")[0]
    assert egress["interface"] == "port-channel31" and tagged(egress)         # w120's VM bond on its NX-OS leaf


def test_dedicated_node_traffic_stays_on_the_machine_bond(dc1):
    """The node's own addresses: the machine network on br-ex (port bond0.10, tagged), storage on bond0.20."""
    for network, interface in (("ove-mgmt", "br-ex"), ("ove-storage", "bond0.20")):
        fwd = path_of(explain(*dc1, "w001", "w002", network=network))
        first = fwd["hops"][0]
        assert (first["kind"], first["interface"]) == ("host-interface", interface) and tagged(first)
        bond = hops(fwd, "bond")[0]
        assert bond["what"].startswith("bond0 ") and bond["choice"]["candidates"] == ["ens1f0", "ens1f1"]
        assert hops(fwd, "leaf-ingress")[0]["interface"] == "Port-Channel1"
        assert fwd["hops"][-1]["interface"] == interface
    assert "its port bond0.10 tags VLAN 10" in path_of(explain(*dc1, "w001", "w002"))["hops"][0]["what"]


def test_shared_vm_traffic_takes_br_ex_and_a_mapping_per_network(dc1):
    fwd = path_of(explain(*dc1, "vm-290@e01", "vm-291@e02"))
    assert fwd["status"] == "complete"
    localnet = hops(fwd, "ovn-localnet")[0]
    assert "bridge mapping vm-290:br-ex" in localnet["what"] and "contains vm-290:br-ex" in expects(localnet)
    assert "bridge mapping vm-291:br-ex" in hops(fwd, "ovn-localnet")[1]["what"]
    bridge = hops(fwd, "host-bridge")[0]
    assert bridge["what"].startswith("br-ex (OVS bridge) switches VLAN 290 to its uplink bond0 (shared layout")
    assert "machine network ove-edge-mgmt, which bond0 carries untagged" in bridge["what"]
    bond = hops(fwd, "bond")[0]
    assert bond["what"].startswith("bond0 ") and bond["choice"]["candidates"] == ["ens1f0", "ens1f1"] and tagged(bond)


def test_shared_machine_network_is_untagged_from_br_ex_to_the_leaf(dc1):
    """ove-edge's machine network is native on bond0: no 802.1Q tag on the host's hops nor on the leaf ports,
    which take it as their native VLAN; the tag exists only inside the leaf."""
    fwd = path_of(explain(*dc1, "e01", "e02"))
    assert fwd["status"] == "complete"
    first = fwd["hops"][0]
    assert first["interface"] == "br-ex" and "its port bond0 carries it untagged" in first["what"]
    assert "ovs-vsctl port-to-br bond0 => br-ex" in expects(first)
    on_wire = [h for h in fwd["hops"] if h["kind"] in ("host-interface", "bond", "leaf-ingress", "leaf-egress")]
    assert len(on_wire) == 6 and not any(tagged(h) for h in on_wire), [(h["kind"], h["headers"]) for h in on_wire]
    assert "untagged: the port's native VLAN" in hops(fwd, "leaf-ingress")[0]["what"]


def test_vm_bond_mtu_is_the_one_the_mtu_rule_reads(raw_dc1):
    """A VM bond profile below the VM networks' MTU: the path's bottleneck is that bond, and the rule on VLAN
    interfaces above their parent (which reads the same hop MTU) names the VM bond, not the machine bond."""
    raw_dc1["bond_profiles"]["lacp-vm"] = dict(raw_dc1["bond_profiles"]["lacp-25g"], mtu=1400)
    cluster = next(c for c in raw_dc1["clusters"] if c["name"] == "ove-prod")
    cluster["ove"]["vm_bond"]["profile"] = "lacp-vm"
    model, facts, designed = build(raw_dc1)
    fwd = path_of(explain(model, facts, designed, "10.64.0.11@w001", "10.64.0.12@w120"))
    mtu = fwd["mtu"]
    assert mtu["path_mtu"] == 1400 and mtu["silent_drop"]
    bottleneck = fwd["hops"][mtu["bottleneck_hop"] - 1]
    assert bottleneck["kind"] == "bond" and bottleneck["mtu_what"] == "bond1 MTU (bond profile lacp-vm)"
    found = [f for f in run_checks(model, facts, designed)[0] if f.path == "networks[vm-100].mtu"]
    assert [f.message.split(" on ")[0] for f in found] == ["cluster ove-prod: bond1 (vm-100) MTU 1500 > bond1 MTU 1400"]
    assert found[0].related[0] == "bond_profiles[lacp-vm].mtu"
