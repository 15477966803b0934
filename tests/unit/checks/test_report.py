"""Reports: JSON for machines, Markdown and a self-contained HTML for people; deterministic."""

from __future__ import annotations

import copy
import datetime
import html.parser
import json
import os


from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline, report
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TODAY = datetime.date(2026, 6, 1)


def _small():
    raw = example_model("small")
    # MetalLB and the leaves share the session password (MLB003 wants both ends or neither)
    raw["fabric"].setdefault("bgp", {})["password_var"] = "dcnet_bgp_password"
    return raw


def _broken():
    raw = _small()
    raw["networks"][1]["mtu"] = 1500                          # storage without jumbo: MTU004 warning
    raw["bond_profiles"]["lacp"]["xmit_hash_policy"] = "layer2"  # BOND005 error
    raw["waivers"] = [{"rule": "MTU005", "path": "clusters[ove-small].overlay", "reason": "lab", "expires": "2027-01-01"}]
    return raw


def _result(raw):
    result = pipeline.build(copy.deepcopy(raw), from_vars=False, today=TODAY)
    pipeline.add_reports(result)
    return result


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.external, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)

    def handle_data(self, data):
        self.text.append(data)


def test_json_lists_findings_and_waivers():
    result = _result(_broken())
    data = json.loads(result["files"]["report.json"])
    rules = {(f["rule"], f["path"]) for f in data["findings"]}
    assert ("BOND005", "bond_profiles[lacp].xmit_hash_policy") in rules
    assert ("MTU004", "networks[storage].mtu") in rules
    assert [(w["rule"], w["path"], w["reason"]) for w in data["waived"]] == [("MTU005", "clusters[ove-small].overlay", "lab")]
    assert ("MTU005", "clusters[ove-small].overlay") not in rules
    assert data["summary"]["errors"] == 1 and data["summary"]["waived"] == 1
    assert data["rules"]["BOND005"]["severity"] == "error"


def test_markdown_groups_by_severity_then_rule():
    text = _result(_broken())["files"]["report.md"]
    error_at = text.index("### error: BOND005")
    warning_at = text.index("### warning: MTU004")
    info_at = text.index("### info: BGP004")
    assert error_at < warning_at < info_at
    assert "`bond_profiles[lacp].xmit_hash_policy`" in text
    waived = text[text.index("## Waived findings"):]
    assert "MTU005" in waived and "lab" in waived


def test_html_is_self_contained_and_well_formed():
    page = _result(_broken())["files"]["report.html"]
    parser = _Tags()
    parser.feed(page)
    assert parser.external == [], parser.external
    assert "script" not in parser.tags and "link" not in parser.tags
    text = "".join(parser.text)
    assert "bond_profiles[lacp].xmit_hash_policy" in text
    assert page.index("error: BOND005") < page.index("warning: MTU004")


def test_html_escapes_model_text():
    raw = _small()
    raw["waivers"] = [{"rule": "MTU005", "path": "clusters[ove-small].overlay", "reason": "<script>x</script>",
                       "expires": "2027-01-01"}]
    page = _result(raw)["files"]["report.html"]
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_reports_are_byte_identical_on_rerun():
    first, second = _result(_broken()), _result(_broken())
    for name in pipeline.REPORT_FILES:
        assert first["files"][name] == second["files"][name]


def test_summary_line_counts():
    result = _result(_broken())
    line = report.summary_line(result)
    assert "FAILED" in line and "1 error(s)" in line and "1 waived" in line
    clean = _result(_small())
    assert "OK" in report.summary_line(clean)


def test_loader_errors_reach_the_report():
    raw = _small()
    raw["networks"][0]["vlan"] = 5000
    result = _result(raw)
    data = json.loads(result["files"]["report.json"])
    assert [(f["rule"], f["path"]) for f in data["findings"]] == [("VLAN001", "networks[mgmt].vlan")]
    assert data["summary"]["stage"] == "references"
