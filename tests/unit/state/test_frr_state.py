"""frr_state on JSON captured from the lab (examples/small, 2 spines, 1 leaf pair).

fixtures/small/structured.json: the design the lab ran (build/small/structured/<switch>.yml); good.json: snapshots of the four switches
with the fabric up; wrong_peer_as.json: the same after leaf01a was deployed with remote-as 65001
toward the spines (both captured by frr_state.snapshot from real FRR 8.4 in network namespaces).
Expected counts below are worked out from the topology, not read from the code.
"""

import copy
import json
import os
import sys

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.state import frr_state as fs

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "small")


@pytest.fixture(scope="module")
def switches():
    return _load("structured.json")


def _load(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture()
def good():
    return _load("good.json")


@pytest.fixture()
def wrong_as():
    return _load("wrong_peer_as.json")


def test_expected_counts_from_topology(switches):
    exp = fs.expected_state(switches)
    # Spines: 2 leaves x 2 families; leaves: 2 spines x 2 families + 2 MetalLB speakers x 2 families.
    assert [len(exp[d]["sessions"]) for d in ("spine1", "spine2", "leaf01a", "leaf01b")] == [4, 4, 8, 8]
    assert sum(s["required"] for s in exp["leaf01a"]["sessions"]) == 4
    # leaf01a: leaf01b's 2 loopbacks + 6 SVI prefixes (3 VLANs x 2 families) + 2 spines x 2 loopbacks.
    assert len(exp["leaf01a"]["routes"]) == 12
    lo = next(r for r in exp["leaf01a"]["routes"] if r["prefix"] == "10.255.0.66/32")
    assert lo["interfaces"] == ["swp49", "swp50"] and lo["protocol"] == "bgp"   # one next hop per spine
    svi = next(r for r in exp["leaf01a"]["routes"] if r["prefix"] == "10.100.0.0/24")
    assert (svi["protocol"], svi["interfaces"]) == ("connected", ["vlan100"])  # the pair serves it too
    assert {r["prefix"] for r in exp["spine1"]["routes"]} == {"10.255.0.65/32", "10.255.0.66/32",
                                                              "fd00:255::41/128", "fd00:255::42/128"}


def test_good_fabric_passes(switches, good):
    rows = fs.compare(fs.expected_state(switches), good)
    assert fs.differences(rows) == []
    summary = fs.summarize(rows)
    assert summary["bgp_session"] == {"pass": 16, "fail": 0, "out_of_scope": 8}
    assert summary["bfd_peer"] == {"pass": 16, "fail": 0, "out_of_scope": 8}
    assert summary["route_frr"]["pass"] == summary["route_kernel"]["pass"] == 2 * 12 + 2 * 4


def test_metallb_reported_not_dropped(switches, good):
    rows = fs.compare(fs.expected_state(switches, scope="underlay"), good)
    oos = [r for r in rows if r["status"] == "out_of_scope"]
    assert {r["item"].split()[0] for r in oos} == {"10.10.10.11", "10.10.10.12", "fd00:10::b", "fd00:10::c"}
    assert all(r["device"] in ("leaf01a", "leaf01b") for r in oos)
    all_rows = fs.compare(fs.expected_state(switches, scope="all"), good)
    diffs = fs.differences(all_rows)
    assert len(diffs) == 16     # 4 speakers x 2 leaves x (session + BFD)
    assert "leaf01a: bgp_session 10.10.10.11 (ove-w1 metallb, ipv4): expected Established, remote AS 65200" in diffs[0]


def test_wrong_peer_as_is_named(switches, wrong_as):
    diffs = fs.differences(fs.compare(fs.expected_state(switches), wrong_as))
    assert ("leaf01a: bgp_session 10.254.0.0 (spine1:swp1, ipv4): expected Established, remote AS 65000, local AS "
            "65101; observed Idle, remote AS 65001, local AS 65101 (last reset: OPEN Message Error/Bad Peer AS)") in diffs
    sessions = [d for d in diffs if ": bgp_session " in d]
    assert len(sessions) == 8               # leaf01a's 4 + the 4 spine ends toward leaf01a
    assert all("leaf01a" in d for d in sessions)
    assert not any(d.startswith("leaf01b: bgp_session") for d in diffs)
    # leaf01b lost leaf01a's loopbacks (both families, FRR and kernel): 4 differences.
    assert sorted(d for d in diffs if d.startswith("leaf01b")) == sorted(
        f"leaf01b: {c} {p} (leaf01a loopback): expected {e}via swp49, swp50; observed {o}"
        for c, e, o in (("route_frr", "bgp ", "no selected route"), ("route_kernel", "", "not in the kernel FIB"))
        for p in ("10.255.0.65/32", "fd00:255::41/128"))


def test_one_missing_ecmp_member_in_kernel(switches, good):
    snap = copy.deepcopy(good)
    for r in snap["leaf01a"]["kernel"]:
        if r["dst"] == "10.255.0.66":
            r["devs"] = ["swp50"]
    diffs = fs.differences(fs.compare(fs.expected_state(switches), snap))
    assert diffs == ["leaf01a: route_kernel 10.255.0.66/32 (leaf01b loopback): expected via swp49, swp50; "
                     "observed via swp50"]


def test_single_path_in_frr_fails(switches, good):
    snap = copy.deepcopy(good)
    entry = snap["leaf01a"]["routes"]["fd00:255::42/128"][0]
    entry["nexthops"] = [h for h in entry["nexthops"] if h["interfaceName"] == "swp50"]
    diffs = fs.differences(fs.compare(fs.expected_state(switches), snap))
    assert diffs == ["leaf01a: route_frr fd00:255::42/128 (leaf01b loopback): expected bgp via swp49, swp50; "
                     "observed bgp via swp50"]


def test_unexpected_session_and_bfd_down(switches, good):
    snap = copy.deepcopy(good)
    snap["spine2"]["bgp_neighbors"]["10.254.0.99"] = {"bgpState": "Active", "remoteAs": 65999}
    for p in snap["spine2"]["bfd_peers"]:
        if p["peer"] == "10.254.0.3":
            p["status"], p["diagnostic"] = "down", "control detection time expired"
    diffs = fs.differences(fs.compare(fs.expected_state(switches), snap))
    assert diffs == [
        "spine2: bgp_session 10.254.0.99 (unexpected): expected no such session in the design; observed Active, "
        "remote AS 65999",
        "spine2: bfd_peer 10.254.0.3 (leaf01a:swp50, ipv4): expected up; observed down (control detection time "
        "expired)"]


def test_bad_scope():
    with pytest.raises(fs.StateError, match="scope must be one of all, underlay"):
        fs.expected_state({}, scope="overlay")


def _runner(outputs):
    calls = []

    def run(argv, data=None):
        calls.append(argv)
        for key, value in outputs.items():
            if key in " ".join(argv):
                return value
        return 0, "[]", ""
    run.calls = calls
    return run


def test_snapshot_addresses_the_namespace_and_trims():
    run = _runner({
        "neighbors json": (0, json.dumps({"10.0.0.1": {"bgpState": "Established", "remoteAs": 1, "localAs": 2,
                                                       "messageStats": {"x": 1}}}), ""),
        "show ip route json": (0, json.dumps({"10.9.0.0/24": [{
            "protocol": "bgp", "selected": True,
            "nexthops": [{"interfaceName": "swp1", "active": True, "fib": True, "ip": "10.0.0.1"}]}]}), ""),
        "-4 route show": (0, json.dumps([{"dst": "10.9.0.0/24", "nexthops": [{"dev": "swp2"}, {"dev": "swp1"}]},
                                         {"type": "local", "dst": "10.0.0.0"}]), ""),
    })
    snap = fs.snapshot(run, namespace="ns1", vtysh="/v", ip="/ip")
    calls = run.calls
    assert calls[0] == ["/v", "-N", "ns1", "-c", "show bgp vrf default neighbors json"]
    assert ["/ip", "-n", "ns1", "-j", "-4", "route", "show"] in calls
    assert snap["bgp_neighbors"] == {"10.0.0.1": {"bgpState": "Established", "remoteAs": 1, "localAs": 2}}
    assert snap["kernel"] == [{"family": "4", "dst": "10.9.0.0/24", "protocol": None, "devs": ["swp1", "swp2"]}]
    assert snap["routes"]["10.9.0.0/24"][0]["nexthops"][0]["interfaceName"] == "swp1"


def test_snapshot_errors_are_located():
    run = _runner({"neighbors json": (1, "", "% No such pathspace")})
    with pytest.raises(fs.StateError, match="-N ns1 -c show bgp vrf default neighbors json exited 1: % No such"):
        fs.snapshot(run, namespace="ns1")
    run = _runner({"neighbors json": (0, "% BGP instance not found", "")})
    with pytest.raises(fs.StateError, match="did not print JSON"):
        fs.snapshot(run)


def test_table_has_a_row_per_check(switches, good):
    rows = fs.compare(fs.expected_state(switches), good)
    table = fs.render_table(rows)
    assert table.count("\n") == len(rows) + 2


def test_mlag_peering_is_in_the_underlay_and_shapes_the_expected_routes():
    """The pair's iBGP peering over the peer VLAN is required; the mate's IPv4 loopback is reached over the peer VLAN
    (empty AS path beats the spines' path), and spines reach a leaf's IPv4 loopback through both leaves of its pair
    (the mate re-advertises it with the same AS path). IPv6 is not carried by the IPv4 peering: unchanged."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from switches import models  # pylint: disable=import-outside-toplevel,import-error

    design = pipeline.build(models.small("frr"), targets=["structured"])["design"]["switches"]
    expected = fs.expected_state(design, "underlay")
    mlag = [s for s in expected["leaf01a"]["sessions"] if s["kind"] == "mlag"]
    assert mlag and all(s["required"] for s in mlag)
    lo_b = {lo["name"]: lo for lo in design["leaf01b"]["loopbacks"]}
    routes = {r["prefix"]: r for r in expected["leaf01a"]["routes"]}
    router_id_b = [lo for lo in lo_b.values() if lo["purpose"] == "router-id"][0]
    assert routes[router_id_b["ipv4"]]["interfaces"] == [design["leaf01a"]["mlag"]["vlan_interface"]]
    assert routes[router_id_b["ipv6"]]["interfaces"] == sorted(link["interface"] for link in design["leaf01a"]["fabric_links"])
    spine = {r["prefix"]: r for r in expected["spine1"]["routes"]}
    assert spine[router_id_b["ipv4"]]["interfaces"] == sorted(link["interface"] for link in design["spine1"]["fabric_links"])
    assert len(spine[router_id_b["ipv6"]]["interfaces"]) == 1
