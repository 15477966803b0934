"""playbooks/deploy_ove.yml: syntax-checked with the real kubernetes.core collection (never run against a cluster)."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT
from . import kubernetes_core

PLAYBOOK = os.path.join(ROOT, "playbooks", "deploy_ove.yml")


def _run(collections_path, *args):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_NOCOLOR="1",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    playbook_bin = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    return subprocess.run([playbook_bin, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def collections_path():
    try:
        kubernetes_core.ensure()
    except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
        pytest.skip(f"cannot install kubernetes.core from the PyPI ansible wheel here: {exc}")
    return os.path.join(ROOT, ".collections")


def test_deploy_playbook_syntax(collections_path):
    proc = _run(collections_path, "--syntax-check", "-i", "examples/small/inventory", PLAYBOOK)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_syntax_check_needs_the_collection(tmp_path):
    """The check is real: without kubernetes.core on the collections path it fails on the k8s tasks."""
    link = tmp_path / "ansible_collections" / "dcnet" / "fabric"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    proc = _run(str(tmp_path), "--syntax-check", "-i", "examples/small/inventory", PLAYBOOK)
    assert proc.returncode != 0 and "kubernetes.core.k8s" in proc.stdout + proc.stderr


def test_apply_tasks_keep_check_mode_and_secrets_hidden():
    """--check --diff reach kubernetes.core.k8s (no task forces check_mode off except the file search)."""
    import yaml

    with open(PLAYBOOK, encoding="utf-8") as handle:
        play = yaml.safe_load(handle)[0]
    k8s = [t for t in play["tasks"] if "kubernetes.core.k8s" in t]
    assert len(k8s) == 2
    assert all("check_mode" not in t for t in k8s)
    secret = next(t for t in k8s if t["kubernetes.core.k8s"].get("definition", {}).get("kind") == "Secret")
    assert secret["no_log"] is True
