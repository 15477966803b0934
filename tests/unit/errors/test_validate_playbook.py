"""playbooks/validate.yml runs the checks alone: reports, no artifacts; fails with the summary and the errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from .harness import ROOT

PLAYBOOK = os.path.join(ROOT, "playbooks", "validate.yml")
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def _run(inventory, build):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0")
    return subprocess.run([ANSIBLE, "-i", inventory, PLAYBOOK, "-e", f"render_build_dir={build}"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture(name="inventory")
def _inventory(tmp_path):
    if not os.path.exists(ANSIBLE):
        pytest.skip("ansible-playbook is not installed in this interpreter's environment")
    dest = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), dest)
    return dest


def test_clean_model_passes_and_writes_only_reports(inventory, tmp_path):
    build = tmp_path / "build"
    proc = _run(str(inventory), str(build))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "dcnet.fabric small: OK" in proc.stdout
    assert sorted(os.listdir(build / "small")) == ["report.html", "report.json", "report.md"]


def test_injected_fault_fails_with_summary_and_errors(inventory, tmp_path):
    path = inventory / "group_vars" / "all" / "networks.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dcnet_bond_profiles"]["lacp"]["xmit_hash_policy"] = "layer2"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    build = tmp_path / "build"
    proc = _run(str(inventory), str(build))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "dcnet.fabric small: FAILED" in out
    assert "BOND005 bond_profiles[lacp].xmit_hash_policy: cluster ove-small: layer2" in out
    assert (build / "small" / "report.json").exists()
