"""path.job.run: files written atomically and idempotently, nothing in check mode, errors located."""

import os

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.path import job

from .conftest import example_raw


def _vars(name):
    return {f"dcnet_{k}": v for k, v in example_raw(name).items()}


def test_writes_markdown_and_json_once(tmp_path):
    out = tmp_path / "paths"
    check = job.run(_vars("small"), "ove-w1", "ove-w2", out=str(out), check_mode=True)
    assert check["changed"] and not out.exists()
    first = job.run(_vars("small"), "ove-w1", "ove-w2", out=str(out))
    assert first["changed"] and sorted(os.listdir(out)) == ["path-ove-w1-to-ove-w2.json", "path-ove-w1-to-ove-w2.md"]
    again = job.run(_vars("small"), "ove-w1", "ove-w2", out=str(out), diff=True)
    assert not again["changed"] and again["diffs"] == []
    assert any(line.startswith("forward IPv4 ove-w1 -> ove-w2") for line in first["summary"])


def test_model_errors_are_reported_not_raised(tmp_path):
    variables = _vars("small")
    variables["dcnet_networks"] = variables["dcnet_networks"] + [{"name": "x", "vlan": 5000, "role": "vm"}]
    result = job.run(variables, "ove-w1", "ove-w2", out=str(tmp_path))
    assert result["failed"] and any(f["rule"] == "VLAN001" for f in result["findings"])
    assert os.listdir(tmp_path) == []


def test_report_has_a_paths_section():
    result = pipeline.build(example_raw("small"), from_vars=False, targets=["structured"])
    rows = result["report_facts"]["Paths"]
    assert {r["status"] for r in rows} == {"complete"}
    # examples/small has a way out: the external flow leaves by the border pair to wan1 and comes back
    out = [r for r in rows if "192.0.2.10" in r["flow"]]
    assert out and all("wan1" in r["hops"] for r in out)
    assert any("vm-web@" in r["flow"] and "vm-db@" in r["flow"] for r in rows)
    pipeline.add_reports(result)
    assert "## Paths" in result["files"]["report.md"]
