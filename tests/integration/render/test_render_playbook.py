"""playbooks/render.yml and validate.yml through ansible-playbook, as a user or AWX runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PLAYBOOK = shutil.which("ansible-playbook", path=os.path.dirname(sys.executable)) or shutil.which("ansible-playbook")


def copy_inventory(tmp_path, name="small"):
    dest = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", name, "inventory"), dest)
    return dest


def play(tmp_path, inventory, playbook="render.yml", *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    cmd = [PLAYBOOK, "-i", str(inventory), os.path.join(ROOT, "playbooks", playbook),
           "-e", f"render_build_dir={tmp_path / 'build'}", *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    recap = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out)
    assert recap, out
    return proc.returncode, int(recap.group(2)), int(recap.group(3)), out


def snapshot(root):
    files = {}
    for base, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, root)] = handle.read()
    return files


pytestmark = pytest.mark.skipif(PLAYBOOK is None, reason="ansible-playbook is not installed")


def test_render_is_idempotent_and_check_mode_writes_nothing(tmp_path):
    inv = copy_inventory(tmp_path)
    rc, changed, failed, out = play(tmp_path, inv)
    assert (rc, changed, failed) == (0, 1, 0), out
    site = tmp_path / "build" / "small"
    first = snapshot(site)
    assert any(p.startswith("structured/") for p in first) and "report.json" in first
    rc, changed, failed, out = play(tmp_path, inv)
    assert (rc, changed, failed) == (0, 0, 0), out
    assert snapshot(site) == first

    networks = inv / "group_vars" / "all" / "networks.yml"
    data = yaml.safe_load(networks.read_text())
    next(n for n in data["dcnet_networks"] if n["name"] == "vm-db")["vlan"] = 102
    networks.write_text(yaml.safe_dump(data))
    rc, changed, failed, out = play(tmp_path, inv, "render.yml", "--check", "--diff")
    assert (rc, changed, failed) == (0, 1, 0), out
    assert "+++ after: structured/leaf01a.yml" in out
    assert re.search(r"^-.*\b101\b", out, re.M) and re.search(r"^\+.*\b102\b", out, re.M), out
    assert snapshot(site) == first                       # check mode wrote nothing


def test_a_model_error_fails_with_its_path_and_keeps_the_tree(tmp_path):
    inv = copy_inventory(tmp_path)
    play(tmp_path, inv)
    site = tmp_path / "build" / "small"
    before = {k: v for k, v in snapshot(site).items() if not k.startswith("report.")}
    clusters = inv / "group_vars" / "all" / "clusters.yml"
    data = yaml.safe_load(clusters.read_text())
    data["dcnet_clusters"][0]["nodes"][1]["nics"]["ens1f0"] = "leaf01a:swp1"
    clusters.write_text(yaml.safe_dump(data))
    rc, changed, failed, out = play(tmp_path, inv)
    assert rc != 0 and failed == 1, out
    assert "CABLE001 clusters[ove-small].nodes[ove-w2].nics[ens1f0]: leaf01a swp1 is already cabled to ove-w1 ens1f0" in out
    after = {k: v for k, v in snapshot(site).items() if not k.startswith("report.")}
    assert after == before
    report = json.loads((site / "report.json").read_text())
    assert [(f["rule"], f["path"]) for f in report["findings"]] == [
        ("CABLE001", "clusters[ove-small].nodes[ove-w2].nics[ens1f0]")]


def test_validate_playbook_writes_reports_only(tmp_path):
    inv = copy_inventory(tmp_path)
    rc, changed, failed, out = play(tmp_path, inv, "validate.yml")
    assert rc == 0 and failed == 0, out
    site = tmp_path / "build" / "small"
    assert sorted(os.listdir(site)) == ["report.html", "report.json", "report.md"]
