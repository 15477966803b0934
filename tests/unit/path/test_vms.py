"""VMs of the inventory (dcnet_vms) named by name in a path: placement, NIC, MAC and addresses, waves."""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import hashing
from ansible_collections.dcnet.fabric.plugins.module_utils.path import PathError, explain, markdown, report_rows

from .conftest import build



def path_of(result, direction="forward", family=4):
    return next(p for p in result["paths"] if p["direction"] == direction and p["family"] == family)


def hop(path, kind):
    return next(h for h in path["hops"] if h["kind"] == kind)


def dc1_with_vms(raw_dc1, policy="layer3+4"):
    """dc1 with three inventory VMs in ove-prod (120 nodes: the model does not say which one runs them)."""
    raw_dc1["bond_profiles"]["lacp-25g"]["xmit_hash_policy"] = policy
    raw_dc1["vms"] = [
        {"name": "app01", "cluster": "ove-prod", "nics": [
            {"name": "Network adapter 1", "network": "vm-100", "mac": "00:50:56:aa:00:01",
             "ipv4": ["10.64.0.21"], "ipv6": []}]},
        {"name": "db01", "cluster": "ove-prod", "nics": [
            {"name": "Network adapter 1", "network": "vm-200", "mac": "00:50:56:aa:00:02", "ipv4": ["10.64.100.31"]}]},
        {"name": "web01", "cluster": "ove-prod", "nics": [
            {"name": "Network adapter 1", "network": "vm-100", "mac": "00:50:56:aa:00:03", "ipv4": ["10.64.0.22"]},
            {"name": "backend", "network": "vm-200", "mac": "00:50:56:aa:00:04", "ipv4": ["10.64.100.32"]}]},
    ]
    return build(raw_dc1)


def test_vm_by_name_takes_network_mac_and_addresses_from_the_inventory(raw_dc1):
    site = dc1_with_vms(raw_dc1)
    by_name = explain(*site, "app01@w001", "db01@w120")
    by_address = explain(*site, "10.64.0.21@w001", "10.64.100.31@w120")
    src = by_name["from"]
    assert (src["kind"], src["vm"], src["nic"], src["network"], src["mac"], src["node"], src["addresses"]) == (
        "vm", "app01", "Network adapter 1", "vm-100", "00:50:56:aa:00:01", "w001", {"ipv4": "10.64.0.21"})
    fwd = path_of(by_name)
    assert fwd["status"] == "complete" and fwd["hops"][0]["device"] == "app01"
    assert fwd["hops"][-1]["device"] == "db01" and fwd["hops"][-1]["model_path"] == "vms[db01].nics[Network adapter 1]"
    # the same walk as with the addresses given by hand: the inventory only adds names and MACs
    assert [h["kind"] for h in fwd["hops"]] == [h["kind"] for h in path_of(by_address)["hops"]]
    # an address of an inventory VM names that VM
    assert by_address["from"]["vm"] == "app01" and by_address["to"]["vm"] == "db01"
    # no IPv6 address in the inventory: the IPv6 walk is skipped with the reason, not guessed
    assert [s["family"] for s in by_name["skipped"]] == [6] and "no IPv6 address" in by_name["skipped"][0]["reason"]
    # the MACs reach the verification commands
    text = markdown(by_name)
    # (EOS and NX-OS print MACs dotted and ports abbreviated, as their tables do)
    assert "eth.src == 00:50:56:aa:00:01" in text and "the source MAC 0050.56aa.0001 on Po" in text


@pytest.mark.parametrize("policy", ["layer2", "layer2+3"])
def test_vm_mac_feeds_the_bond_hash(raw_dc1, policy):
    """layer2 policies hash the MACs: the VM's own and the next hop's (the anycast gateway when routed, the
    destination VM's on the same network); with the inventory the member is decided, without it it is not."""
    site = dc1_with_vms(raw_dc1, policy)
    gateway_mac = site[0].fabric["anycast_gateway_mac"]      # the fabric's anycast gateway MAC
    routed = hop(path_of(explain(*site, "app01@w001", "db01@w120")), "bond")
    flow = {"src_mac": "00:50:56:aa:00:01", "dst_mac": gateway_mac, "src_ip": "10.64.0.21", "dst_ip": "10.64.100.31",
            "proto": 6, "src_port": 49152, "dst_port": 443}
    # ove-prod's dedicated layout: VM flows leave by the VM bond, bond1 (ens2f0, ens2f1)
    assert routed["choice"]["chosen"] == ["ens2f0", "ens2f1"][hashing.member(policy, flow, 2)]
    assert routed["decided"] and routed["choice"]["inputs"]["dst_mac"] == gateway_mac
    assert "anycast gateway" in routed["choice"]["inputs"]["dst_mac_is"]
    bridged = hop(path_of(explain(*site, "app01@w001", "web01:Network adapter 1@w120")), "bond")
    flow.update(dst_mac="00:50:56:aa:00:03", dst_ip="10.64.0.22")
    assert bridged["choice"]["chosen"] == ["ens2f0", "ens2f1"][hashing.member(policy, flow, 2)]
    assert bridged["choice"]["inputs"]["dst_mac"] == "00:50:56:aa:00:03"
    # the reverse direction hashes the other VM's MAC on its own node
    rev = hop(path_of(explain(*site, "app01@w001", "db01@w120"), "reverse"), "bond")
    assert rev["device"] == "w120" and rev["choice"]["inputs"]["src_mac"] == "00:50:56:aa:00:02"
    # an address the inventory does not hold has no MAC: the member is not decided, and the rule says why
    anonymous = hop(path_of(explain(*site, "10.64.0.99@w001", "db01@w120")), "bond")
    assert anonymous["choice"]["chosen"] is None and not anonymous["decided"]
    assert "src_mac (the sender's MAC" in anonymous["choice"]["rule"]


def test_member_differs_by_mac_under_layer2(raw_dc1):
    """Two VMs that differ only by MAC can leave by different members: the hash really reads the MAC."""
    raw_dc1["bond_profiles"]["lacp-25g"]["xmit_hash_policy"] = "layer2"
    raw_dc1["vms"] = [{"name": f"v{i}", "cluster": "ove-prod", "nics": [
        {"name": "eth0", "network": "vm-100", "mac": f"00:50:56:bb:00:{i:02x}", "ipv4": [f"10.64.0.{100 + i}"]}]}
        for i in range(4)]
    site = build(raw_dc1)
    chosen = {hop(path_of(explain(*site, f"v{i}@w001", "10.64.100.31@w120")), "bond")["choice"]["chosen"]
              for i in range(4)}
    assert chosen == {"ens2f0", "ens2f1"}


def test_unplaced_vm_stops_where_the_node_is_needed(raw_dc1):
    """ove-prod has 120 nodes and the model does not say which runs db01: the walk goes as far as the model
    decides (to the leaf routing into vm-200) and stops there, naming the VM, its cluster and the fix."""
    site = dc1_with_vms(raw_dc1)
    result = explain(*site, "app01@w001", "db01")
    fwd = path_of(result)
    assert fwd["status"] == "not-modelled" and fwd["hops"][-1]["kind"] == "vrf"
    assert "VM db01 runs in cluster ove-prod" in fwd["reason"] and "db01@<node>" in fwd["reason"]
    rev = path_of(result, "reverse")
    assert rev["status"] == "not-modelled" and rev["hops"] == [] and "db01@<node>" in rev["reason"]


def test_vm_on_the_only_node_of_its_cluster_is_placed(raw_of):
    raw = raw_of("small")
    cluster = next(c for c in raw["clusters"] if c["name"] == "ove-small")
    cluster["nodes"] = cluster["nodes"][:1]
    raw["vms"] = [{"name": "solo", "cluster": "ove-small", "nics": [
        {"name": "eth0", "network": "vm-web", "mac": "00:50:56:cc:00:01", "ipv4": ["10.100.0.50"]}]}]
    result = explain(*build(raw), "solo", "azl-n1")
    assert result["from"]["node"] == "ove-w1" and result["from"]["placement"] == "the only node of cluster ove-small"
    assert any("solo runs on ove-w1, the only node of cluster ove-small" in n for n in result["notes"])
    assert path_of(result)["status"] == "complete"


def test_vm_with_several_nics(raw_dc1):
    site = dc1_with_vms(raw_dc1)
    # the NIC on the other end's network is the one used
    assert explain(*site, "web01@w001", "db01@w120")["from"]["nic"] == "backend"
    assert explain(*site, "web01@w001", "app01@w120")["from"]["nic"] == "Network adapter 1"
    # named explicitly
    assert explain(*site, "web01:backend@w001", "app01@w120")["from"]["network"] == "vm-200"
    # no NIC shares a network with an address outside: name one
    with pytest.raises(PathError, match=r"several NICs .*name one, web01:<nic>"):
        explain(*site, "web01@w001", "203.0.113.5")


def test_vm_after_its_wave(vmware, raw_of):
    """examples/vmware: the VMs have no cluster yet; on a node of the cluster their wave moves them to, the path
    is the one after the wave (network_map and readdress applied)."""
    result = explain(*vmware, "shop-vm00001@ove-w1", "crm-vm00002@ove-w2")
    src = result["from"]
    assert src["wave"] == {"name": "wave-01", "start": "2027-03-06", "cluster": "ove-target"}
    assert src["addresses"] == {"ipv4": "10.100.0.10", "ipv6": "2001:db8:64::a"} and src["mac"] == "00:50:56:00:00:01"
    assert {p["family"] for p in result["paths"]} == {4, 6}
    assert all(p["status"] == "complete" for p in result["paths"])
    assert any("as after wave wave-01" in n for n in result["notes"])
    raw = raw_of("vmware")
    wave = next(w for w in raw["waves"] if w["name"] == "wave-01")
    wave["network_map"] = {"dpg-shop-web-100": "dpg-crm-web-101"}
    wave["readdress"] = {"shop-vm00001": {"Network adapter 1": {"ipv4": "10.100.1.77", "ipv6": "2001:db8:65::77"}}}
    after = explain(*build(raw), "shop-vm00001@ove-w1", "crm-vm00002@ove-w2")
    assert after["from"]["network"] == "dpg-crm-web-101"
    assert after["from"]["addresses"] == {"ipv4": "10.100.1.77", "ipv6": "2001:db8:65::77"}
    fwd = path_of(after)
    assert "gateway" not in [h["kind"] for h in fwd["hops"]]           # now on the same network: bridged
    assert fwd["flow"]["src_ip"] == "10.100.1.77"


@pytest.mark.parametrize("src,needle", [
    ("shop-vm00001@azl-n1", "VM shop-vm00001 moves to cluster ove-target in wave wave-01; azl-n1 is a node of cluster"),
    ("app01@azl-a-n01", "VM app01 runs in cluster ove-prod (vms[app01].cluster); azl-a-n01 is a node"),
    ("app01:eth9@w001", "VM app01 has no NIC 'eth9'"),
    ("app0l@w001", "did you mean 'app01'"),
    ("app0l", "did you mean 'app01'"),
])
def test_bad_vm_questions_are_located_errors(raw_dc1, vmware, src, needle):
    site = vmware if src.startswith("shop") else dc1_with_vms(raw_dc1)
    with pytest.raises(PathError) as exc:
        explain(*site, src, "w001" if site is not vmware else "ove-w2")
    assert needle in str(exc.value)


def test_vm_and_node_of_one_name_is_ambiguous(raw_dc1):
    raw_dc1["vms"] = [{"name": "w002", "cluster": "ove-prod", "nics": [{"name": "eth0", "network": "vm-100"}]}]
    with pytest.raises(PathError, match="both a node and a VM"):
        explain(*build(raw_dc1), "w001", "w002")


def test_report_explains_two_inventory_vms_by_name(vmware):
    rows = report_rows(*vmware)
    vm_rows = [r for r in rows if r["flow"] == "cafe-web13@ove-w1 -> crm-vm00002@ove-w2"]
    assert vm_rows and all(r["status"] == "complete" for r in vm_rows)
    assert vm_rows[0]["hops"].startswith("cafe-web13 > ove-w1 >")
