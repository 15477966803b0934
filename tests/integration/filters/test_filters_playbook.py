"""Run tests/integration/filters/filters.yml with ansible-playbook: every filter by FQCN."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ROOT = os.path.dirname(ROOT)
COLLECTIONS = os.path.join(ROOT, ".collections")


def _ansible_playbook():
    local = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    return local if os.path.exists(local) else shutil.which("ansible-playbook")


@pytest.mark.skipif(_ansible_playbook() is None, reason="ansible-playbook is not installed")
def test_every_filter_by_fqcn(tmp_path):
    # tests/conftest.py creates .collections/ansible_collections/dcnet/fabric -> checkout
    assert os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "dcnet", "fabric", "plugins", "filter"))
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH": "ignore",
    })
    cmd = [_ansible_playbook(), "-i", "localhost,", "-c", "local",
           "-e", f"ansible_python_interpreter={sys.executable}", os.path.join(HERE, "filters.yml")]
    proc = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    assert "failed=0" in output and "ignored=1" in output, output
