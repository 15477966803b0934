"""The run as a whole: reports always, artifacts only without errors, atomic and idempotent writes."""

import json
import os

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from conftest import example_vars  # tests/conftest.py: the examples' group variables


def tree(root):
    out = {}
    for base, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            with open(path, encoding="utf-8") as handle:
                out[os.path.relpath(path, root)] = handle.read()
    return out


def test_second_run_is_byte_identical_and_unchanged(tmp_path):
    variables = example_vars("small")
    first = pipeline.run(variables, str(tmp_path))
    assert first["changed"] and not first["failed"]
    before = tree(tmp_path / "small")
    second = pipeline.run(variables, str(tmp_path))
    assert not second["changed"]
    assert tree(tmp_path / "small") == before
    assert "structured/leaf01a.yml" in before and "report.html" in before


def test_check_mode_writes_nothing_and_reports_the_diff(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path))
    before = tree(tmp_path / "small")
    variables["dcnet_networks"][1]["mtu"] = 1400          # storage, a VLAN interface of ove-w1
    result = pipeline.run(variables, str(tmp_path), check_mode=True, diff=True)
    assert result["changed"]
    assert "structured/ove-w1.yml" in result["plan"]["changed"]
    assert any(d["before_header"] == "structured/ove-w1.yml" for d in result["plan"]["diffs"])
    assert tree(tmp_path / "small") == before


def test_failed_run_keeps_previous_artifacts_and_writes_reports(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path))
    before = tree(tmp_path / "small")
    variables["dcnet_networks"][0]["vlan"] = 5000
    result = pipeline.run(variables, str(tmp_path))
    assert result["failed"] and result["stage"] == "references"
    after = tree(tmp_path / "small")
    assert {k: v for k, v in after.items() if not k.startswith("report.")} == \
        {k: v for k, v in before.items() if not k.startswith("report.")}
    report = json.loads(after["report.json"])
    assert report["summary"]["errors"] == 1
    assert report["findings"][0]["rule"] == "VLAN001" and report["findings"][0]["path"] == "networks[mgmt].vlan"
    assert "VLAN001" in after["report.md"] and "networks[mgmt].vlan" in after["report.html"]


def test_stale_files_of_a_target_are_removed(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path))
    variables["dcnet_clusters"][0]["nodes"].pop()
    result = pipeline.run(variables, str(tmp_path))
    assert "structured/ove-w2.yml" in result["plan"]["removed"]
    assert not (tmp_path / "small" / "structured" / "ove-w2.yml").exists()


def test_dc1_renders_clean(tmp_path):
    result = pipeline.run(example_vars("dc1"), str(tmp_path))
    assert not result["failed"], result["findings"][:5]
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    assert result["device_counts"] == {"switches": 30, "nodes": 162, "clusters": 5}
    assert len([p for p in result["paths"] if p.startswith("structured/") and p.count("/") == 1]) == 30 + 162


def test_an_artifact_that_is_not_utf8_is_replaced(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path))
    path = tmp_path / "small" / "structured" / "leaf01a.yml"
    good = path.read_bytes()
    path.write_bytes(good + b"# \xe9\n")
    result = pipeline.run(variables, str(tmp_path))
    assert "structured/leaf01a.yml" in result["plan"]["changed"] and path.read_bytes() == good
