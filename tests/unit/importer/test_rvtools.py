"""RVTools import: the bundled example end to end, every conflict class with its sheet and row, bad input."""

from __future__ import annotations

import os
import sys

import openpyxl
import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.records import ImportInputError
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.run import import_rvtools

from ._helpers import ROOT, example

sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
import regen_vmware_example  # noqa: E402
import rvtools_gen  # noqa: E402

EXAMPLE = os.path.join(ROOT, "examples", "vmware")
DRAFT_FILES = ("networks.yml", "bond_profiles.yml", "clusters.yml", "vms.yml", "import_report.md", "import_report.json")


def _files(folder):
    return {name: open(os.path.join(folder, name), encoding="utf-8").read() for name in sorted(os.listdir(folder))}


def _import(tmp_path, rows, **kw):
    path = tmp_path / "export.xlsx"
    rvtools_gen.write_xlsx(rows, str(path), **kw)
    return import_rvtools(str(path), str(tmp_path / "draft"))


def _conflicts(result, kind):
    return [c for c in result["draft"]["conflicts"] if c.kind == kind]


def _where(conflict):
    return {(o.sheet, o.row) for o in conflict.evidence}


# --- the bundled example ---------------------------------------------------------------------------

def test_example_import_matches_the_committed_draft(tmp_path):
    out = tmp_path / "draft"
    result = import_rvtools(os.path.join(EXAMPLE, "rvtools-small.xlsx"), str(out))
    assert sorted(result["plan"]["created"]) == sorted(DRAFT_FILES)
    assert _files(out) == {k: v.replace("rvtools-small.xlsx", "rvtools-small.xlsx")
                           for k, v in _files(os.path.join(EXAMPLE, "draft")).items()}
    # a second run changes nothing; check mode writes nothing
    again = import_rvtools(os.path.join(EXAMPLE, "rvtools-small.xlsx"), str(out))
    assert (again["plan"]["created"], again["plan"]["changed"]) == ([], [])
    dry = import_rvtools(os.path.join(EXAMPLE, "rvtools-small.xlsx"), str(tmp_path / "dry"), check_mode=True)
    assert dry["plan"]["created"] and not (tmp_path / "dry").exists()


def test_example_xlsx_is_what_the_generator_writes(tmp_path):
    path = tmp_path / "again.xlsx"
    rvtools_gen.main(["--example", str(path)])
    with open(path, "rb") as fresh, open(os.path.join(EXAMPLE, "rvtools-small.xlsx"), "rb") as committed:
        assert fresh.read() == committed.read()


def test_reviewed_inventory_is_the_draft_after_the_documented_decisions():
    expected = regen_vmware_example.reviewed(os.path.join(EXAMPLE, "draft"))
    for name, data in expected.items():
        with open(os.path.join(EXAMPLE, "inventory", "group_vars", "all", name), encoding="utf-8") as handle:
            assert yaml.safe_load(handle) == data, name


def test_reviewed_draft_loads_checks_and_renders():
    """The draft after the decisions goes through the real loader, checks and renderers."""
    result = pipeline.build({f"dcnet_{k}": v for k, v in example("vmware").items()})
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert errors == [] and result["stage"] == "render", errors
    assert any(p.startswith("ove/ove-target/") for p in result["files"])


def test_undecided_draft_is_stopped_by_the_checks():
    """Without the decisions the duplicate and stray addresses reach the model checks as errors."""
    raw = example("vmware")
    with open(os.path.join(EXAMPLE, "draft", "vms.yml"), encoding="utf-8") as handle:
        raw["vms"] = yaml.safe_load(handle)["dcnet_vms"]
    result = pipeline.build({f"dcnet_{k}": v for k, v in raw.items()})
    rules = {(f["rule"], f["path"]) for f in result["findings"] if f["severity"] == "error"}
    assert ("VM004", "vms[cafe-web13].nics[Network adapter 1].ipv4[0]") in rules, rules
    assert ("VM002", "vms[crm-vm00014].nics[Network adapter 1].ipv4[0]") in rules, rules


# --- every conflict class, located ---------------------------------------------------------------

def test_example_conflicts_name_sheet_and_row(tmp_path):
    result = import_rvtools(os.path.join(EXAMPLE, "rvtools-small.xlsx"), str(tmp_path / "d"))
    found = {c.kind: c for c in result["draft"]["conflicts"]}
    assert _where(found["vlan_mtu"]) == {("dvPort", 2), ("vPort", 4)}
    assert _where(found["vlan_security"]) == {("dvPort", 2), ("vPort", 4)}
    assert _where(found["duplicate_address"]) == {("vNetwork", 11), ("vNetwork", 15)}
    assert _where(found["address_outside"]) == {("vNetwork", 16)} and "10.100.7.250" in found["address_outside"].message
    assert _where(found["vlan_trunk"]) == {("dvPort", 5)}
    assert _where(found["nic_no_network"]) == {("vNetwork", 17)}
    assert {(c.subject, *_where(c)) for c in _conflicts(result, "renamed")} == {
        ("VM café-web13", ("vInfo", 15)), ("host esx001.dc1.example.net", ("vHost", 2)),
        ("host esx002.dc1.example.net", ("vHost", 3))}
    [cabling] = _conflicts(result, "uplink_cabling")
    assert cabling.subject == "cluster prod-cluster-01" and "12 uplink(s) on 2 host(s)" in cabling.message
    assert _where(cabling) == {("vNIC", row) for row in range(2, 14)}
    teaming = {c.subject: c for c in _conflicts(result, "teaming")}
    assert "static port-channel" in teaming["switch vSwitch1"].message  # IP hash
    report = (tmp_path / "d" / "import_report.md").read_text(encoding="utf-8")
    assert "| 10.100.0.13 | used by shop-vm00010 Network adapter 1, cafe-web13 Network adapter 1 | vNetwork row 11, vNetwork row 15 |" in report


def test_one_vlan_two_subnets(tmp_path):
    rows = rvtools_gen.estate(vms=12, vlans=3, hosts=2)
    for idx in (3, 6):  # two VMs of VLAN 100 in another /24
        rows["vNetwork"][idx]["IPv4 Address"] = f"10.200.0.{idx}"
    result = _import(tmp_path, rows)
    [conflict] = _conflicts(result, "vlan_subnets")
    assert conflict.subject == "VLAN 100" and "10.200.0.0/24" in conflict.message
    assert {("vNetwork", 5), ("vNetwork", 8)} <= _where(conflict)
    assert result["draft"]["networks"][1]["ipv4"] == "10.100.0.0/24"  # the majority subnet stays


def test_duplicate_mac(tmp_path):
    rows = rvtools_gen.estate(vms=6, vlans=3, hosts=2)
    rows["vNetwork"][4]["Mac Address"] = rows["vNetwork"][1]["Mac Address"]
    [conflict] = _conflicts(_import(tmp_path, rows), "duplicate_mac")
    assert _where(conflict) == {("vNetwork", 3), ("vNetwork", 6)}


@pytest.mark.parametrize("vlan, kind", [("0", "vlan_none"), ("4095", "vlan_trunk"), ("100-199,300", "vlan_trunk"),
                                        ("PVLAN 201 (community)", "private_vlan")])
def test_vlans_that_need_a_decision(tmp_path, vlan, kind):
    rows = rvtools_gen.estate(vms=6, vlans=3, hosts=2)
    rows["dvPort"][2]["VLAN"] = vlan
    result = _import(tmp_path, rows)
    [conflict] = _conflicts(result, kind)
    assert _where(conflict) == {("dvPort", 4)}
    assert 102 not in [n["vlan"] for n in result["draft"]["networks"]]
    on_it = [nic for vm in result["draft"]["vms"] for nic in vm["nics"] if nic["mac"] == "00:50:56:00:00:03"]
    assert on_it[0]["network"] is None  # never guessed


def test_port_group_with_different_vlans_on_hosts(tmp_path):
    rows = rvtools_gen.estate(vms=4, vlans=3, hosts=3)
    rows["vPort"][2]["VLAN"] = 11
    [conflict] = _conflicts(_import(tmp_path, rows), "port_group_vlan")
    assert _where(conflict) == {("vPort", 4)} and "11 on esx003" in conflict.message


def test_nic_on_unknown_port_group_and_duplicate_vm(tmp_path):
    rows = rvtools_gen.estate(vms=4, vlans=3, hosts=2)
    rows["vNetwork"][0]["Network"] = "Gone-PG"
    rows["vInfo"].append(dict(rows["vInfo"][1]))
    result = _import(tmp_path, rows)
    [unknown] = _conflicts(result, "unknown_port_group")
    assert _where(unknown) == {("vNetwork", 2)}
    [dup] = _conflicts(result, "duplicate_vm")
    assert _where(dup) == {("vInfo", 6)}
    assert [vm["name"] for vm in result["draft"]["vms"]][-1] == "crm-vm00002-2"


def test_lacp_dvswitch_maps_to_802_3ad_with_its_hash(tmp_path):
    rows = rvtools_gen.estate(vms=4, vlans=3, hosts=2)
    rows["dvSwitch"][0].update({"LACP Name": "lag1", "LACP Mode": "active", "LACP Load Balance Alg.": "srcDestIp"})
    result = _import(tmp_path, rows)
    assert result["draft"]["bond_profiles"]["vmw-dvs-prod"] == {
        "mode": "802.3ad", "xmit_hash_policy": "layer2+3", "miimon": 100, "mtu": 9000, "lacp_rate": "fast"}
    [warning] = [c for c in _conflicts(result, "teaming") if c.subject == "switch dvs-prod"]
    assert "does not support LACP" in warning.message and _where(warning) == {("dvSwitch", 2)}


# --- bad input: a clear error, nothing written ----------------------------------------------------

def _fails(tmp_path, path, *needles, **kw):
    out = tmp_path / "out"
    with pytest.raises(ImportInputError) as err:
        import_rvtools(str(path), str(out), **kw)
    for needle in needles:
        assert needle in str(err.value), str(err.value)
    assert not out.exists()
    return str(err.value)


def test_missing_sheet(tmp_path):
    headers = {k: v for k, v in rvtools_gen.HEADERS.items() if k != "vNetwork"}
    rvtools_gen.write_xlsx(rvtools_gen.estate(vms=3), str(tmp_path / "x.xlsx"), headers=headers)
    _fails(tmp_path, tmp_path / "x.xlsx", "sheet vNetwork is missing")


def test_missing_column_is_named_with_a_suggestion(tmp_path):
    headers = dict(rvtools_gen.HEADERS)
    headers["vNetwork"] = tuple("MAC Addr" if c == "Mac Address" else c for c in headers["vNetwork"])
    rvtools_gen.write_xlsx(rvtools_gen.estate(vms=3), str(tmp_path / "x.xlsx"), headers=headers)
    _fails(tmp_path, tmp_path / "x.xlsx", "sheet vNetwork, row 1: column 'Mac Address' is missing; did you mean 'MAC Addr'?")


def test_not_rvtools(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Item", "Cost"])
    wb.save(tmp_path / "budget.xlsx")
    _fails(tmp_path, tmp_path / "budget.xlsx", "not an RVTools export", "Budget")


def test_not_an_xlsx_and_a_50_mb_file(tmp_path):
    (tmp_path / "export.csv").write_text("VM,Powerstate\nweb01,poweredOn\n", encoding="utf-8")
    _fails(tmp_path, tmp_path / "export.csv", "not an .xlsx workbook")
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    _fails(tmp_path, big, "not an .xlsx workbook")
    _fails(tmp_path, big, "the file is 50 MB, over the 20 MB limit", max_mb=20)
    _fails(tmp_path, tmp_path / "absent.xlsx", "cannot read the file")


def test_merged_cells_are_located(tmp_path):
    path = tmp_path / "x.xlsx"
    rvtools_gen.write_xlsx(rvtools_gen.estate(vms=3), str(path))
    wb = openpyxl.load_workbook(path)
    wb["vNetwork"].merge_cells("G2:G3")
    wb.save(path)
    _fails(tmp_path, path, "sheet vNetwork, row 2: cells G2:G3 are merged")


def test_empty_rows_are_skipped_and_half_empty_rows_located(tmp_path):
    rows = rvtools_gen.estate(vms=3, vlans=3, hosts=2)
    rows["vNetwork"].insert(1, {})
    path = tmp_path / "x.xlsx"
    rvtools_gen.write_xlsx(rows, str(path), fill=False)
    assert import_rvtools(str(path), str(tmp_path / "ok"))["draft"]["counts"]["nics"] == 3
    rows["vNetwork"][1] = {"Network": "DPG-SHOP-WEB-100"}
    rvtools_gen.write_xlsx(rows, str(path), fill=False)
    _fails(tmp_path, path, "sheet vNetwork, row 3, column 'VM': empty, but the row has other values")


def test_bad_values_are_located_and_all_reported(tmp_path):
    rows = rvtools_gen.estate(vms=3, vlans=3, hosts=2)
    rows["vInfo"][1]["Powerstate"] = "running"
    rows["vSwitch"][0]["MTU"] = "jumbo"
    message = _fails(tmp_path, _write(tmp_path, rows), "sheet vInfo, row 3, column 'Powerstate': 'running'",
                     "sheet vSwitch, row 2, column 'MTU': 'jumbo' is not a number")
    assert "2 problem(s)" in message


def test_non_ascii_names_become_model_names(tmp_path):
    rows = rvtools_gen.estate(vms=3, vlans=3, hosts=2)
    rows["vInfo"][0]["VM"] = rows["vNetwork"][0]["VM"] = "Überweisung-Ω1"
    rows["dvPort"][0]["Port"] = rows["vNetwork"][0]["Network"] = rows["vNetwork"][1]["Network"] = "Büro Netz"
    result = _import(tmp_path, rows)
    assert result["draft"]["vms"][0]["name"] == "Uberweisung-1"
    assert result["draft"]["networks"][1]["name"] == "buro-netz"
    assert result["draft"]["networks"][1]["port_groups"][0]["name"] == "Büro Netz"
    text = (tmp_path / "draft" / "import_report.json").read_text(encoding="utf-8")
    assert "Überweisung-Ω1" in text


def _write(tmp_path, rows):
    path = tmp_path / "x.xlsx"
    rvtools_gen.write_xlsx(rows, str(path))
    return path
