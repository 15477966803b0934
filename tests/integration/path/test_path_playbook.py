"""playbooks/path.yml through ansible-playbook, as a user or AWX runs it: files, idempotence, check mode, errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PLAYBOOK = shutil.which("ansible-playbook", path=os.path.dirname(sys.executable)) or shutil.which("ansible-playbook")
pytestmark = pytest.mark.skipif(PLAYBOOK is None, reason="ansible-playbook is not installed")


def play(tmp_path, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    cmd = [PLAYBOOK, "-i", os.path.join(ROOT, "examples", "dc1", "inventory"), os.path.join(ROOT, "playbooks", "path.yml"),
           "-e", f"path_out={tmp_path / 'paths'}", *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    recap = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out)
    assert recap, out
    return proc.returncode, int(recap.group(2)), out


def test_vlan100_to_vlan200(tmp_path):
    args = ("-e", "path_from=10.64.0.21@w001", "-e", "path_to=10.64.100.31@w120")
    code, changed, out = play(tmp_path, "--check", *args)
    assert code == 0 and changed == 1 and not (tmp_path / "paths").exists()
    code, changed, out = play(tmp_path, *args)
    assert code == 0 and changed == 1, out
    assert "leaf01a" in out or "leaf01b" in out
    stem = str(tmp_path / "paths" / "path-10.64.0.21_w001-to-10.64.100.31_w120")
    with open(stem + ".json", encoding="utf-8") as handle:
        data = json.load(handle)
    assert [p["status"] for p in data["paths"]] == ["complete", "complete"]
    with open(stem + ".md", encoding="utf-8") as handle:
        assert "VNI 10200" in handle.read()
    code, changed, out = play(tmp_path, *args)
    assert code == 0 and changed == 0


def test_bad_node_fails_cleanly(tmp_path):
    code, _changed, out = play(tmp_path, "-e", "path_from=w999", "-e", "path_to=w001")
    assert code != 0 and "did you mean 'w099'" in out
