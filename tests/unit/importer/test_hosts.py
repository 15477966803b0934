"""The ESXi hosts drafted as a cluster of platform vmware (vHost, vNIC, vSwitch/dvSwitch sheets)."""

from __future__ import annotations

import os
import sys

import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.importer.run import import_rvtools

from ._helpers import ROOT

sys.path.insert(0, os.path.join(ROOT, "bench"))
import rvtools_gen  # noqa: E402


def _import(tmp_path, rows, **kw):
    path = tmp_path / "export.xlsx"
    rvtools_gen.write_xlsx(rows, str(path), **kw)
    return import_rvtools(str(path), str(tmp_path / "draft"))


def _kinds(result, kind):
    return [c for c in result["draft"]["conflicts"] if c.kind == kind]


def test_hosts_become_a_vmware_cluster_with_their_vswitches(tmp_path):
    rows = rvtools_gen.estate(vms=40, vlans=4, hosts=3)
    result = _import(tmp_path, rows)
    [cluster] = result["draft"]["clusters"]
    assert (cluster["name"], cluster["platform"]) == ("prod-cluster-01", "vmware")
    assert [(n["name"], n["id"]) for n in cluster["nodes"]] == [("esx001", 1), ("esx002", 2), ("esx003", 3)]
    assert cluster["vswitches"] == [
        {"name": "dvs-prod", "kind": "distributed", "uplinks": ["vmnic2", "vmnic3"], "teaming": "loadbalance_srcid",
         "mtu": 9000},
        {"name": "vSwitch0", "kind": "standard", "uplinks": ["vmnic0", "vmnic1"], "teaming": "failover_explicit",
         "mtu": 1500}]
    # the networks whose port groups sit on those switches, by VLAN
    assert cluster["networks"] == [n["name"] for n in result["draft"]["networks"]]
    assert cluster["networks"][0] == "management-network" and len(cluster["networks"]) == 5
    # cabling is a decision: RVTools has no CDP/LLDP neighbour
    assert {cable for n in cluster["nodes"] for cable in n["nics"].values()} == {"?"}
    [cabling] = _kinds(result, "uplink_cabling")
    assert "12 uplink(s) on 3 host(s)" in cabling.message
    # every VM names the cluster it runs on, and the draft file says so
    assert {vm.get("cluster") for vm in result["draft"]["vms"]} == {"prod-cluster-01"}
    draft = yaml.safe_load((tmp_path / "draft" / "clusters.yml").read_text(encoding="utf-8"))
    assert draft["dcnet_clusters"] == result["draft"]["clusters"]
    assert "| prod-cluster-01 | 3 | vSwitch0 | standard | vmnic0, vmnic1 | failover_explicit -> independent trunk ports" \
        in (tmp_path / "draft" / "import_report.md").read_text(encoding="utf-8")


def test_lag_and_ip_hash_switches_keep_their_teaming(tmp_path):
    rows = rvtools_gen.estate(vms=4, vlans=3, hosts=2)
    rows["dvSwitch"][0].update({"LACP Name": "lag1", "LACP Mode": "passive", "LACP Load Balance Alg.": "srcDestIp"})
    for row in rows["vSwitch"]:
        row["Policy"] = "loadbalance_ip"
    result = _import(tmp_path, rows)
    [cluster] = result["draft"]["clusters"]
    assert {vs["name"]: (vs["teaming"], vs.get("lacp")) for vs in cluster["vswitches"]} == {
        "dvs-prod": ("lacp", {"mode": "passive", "rate": "slow"}), "vSwitch0": ("loadbalance_ip", None)}


def test_uplinks_that_differ_between_hosts_and_unknown_switches_are_conflicts(tmp_path):
    rows = rvtools_gen.estate(vms=4, vlans=3, hosts=2)
    rows["vNIC"][3]["Network Device"] = "vmnic7"                  # esx001: dvs-prod on vmnic2 and vmnic7
    rows["vNIC"].append({"Host": "esx002.dc1.example.net", "Network Device": "vmnic9", "Switch": "vSwitch9"})
    rows["vNIC"].append({"Host": "esx002.dc1.example.net", "Network Device": "vmnic8", "Switch": ""})  # unused
    result = _import(tmp_path, rows)
    differ = {c.subject: c for c in _kinds(result, "host_uplinks")}
    assert set(differ) == {"switch dvs-prod", "host esx002.dc1.example.net vmnic9"}
    assert "esx001.dc1.example.net vmnic2, vmnic7; esx002.dc1.example.net vmnic2, vmnic3 (the draft lists vmnic2, " \
        "vmnic3, vmnic7" in differ["switch dvs-prod"].message
    assert {(o.sheet, o.row) for o in differ["host esx002.dc1.example.net vmnic9"].evidence} == {("vNIC", 10)}
    [cluster] = result["draft"]["clusters"]
    assert cluster["vswitches"][0]["uplinks"] == ["vmnic2", "vmnic3", "vmnic7"]


def test_without_host_sheets_no_cluster_is_drafted(tmp_path):
    headers = {k: v for k, v in rvtools_gen.HEADERS.items() if k not in ("vHost", "vNIC")}
    result = _import(tmp_path, rvtools_gen.estate(vms=3), headers=headers)
    assert result["draft"]["clusters"] == [] and "sheet vHost is absent" in result["draft"]["notes"]
    assert all("cluster" not in vm for vm in result["draft"]["vms"])
