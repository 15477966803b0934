"""playbooks/deploy_azure_local.yml: syntax-checked with the real ansible.windows collection.

Galaxy is not reachable from CI, but the PyPI ``ansible`` package ships
ansible_collections/ansible/windows.  The first run downloads that wheel
with pip (PyPI only) and extracts the one collection into
.collections/ansible_collections/ansible/windows (git-ignored; the same
ANSIBLE_COLLECTIONS_PATH make lint uses).  The playbook is never run against
Windows here: there is no Windows host.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest
import yaml

from ._helpers import ROOT

ANSIBLE_WHEEL = "ansible==12.3.0"     # ships ansible.windows 3.3.0
COLLECTIONS = os.path.join(ROOT, ".collections")
WINDOWS = os.path.join(COLLECTIONS, "ansible_collections", "ansible", "windows")
PLAYBOOK = os.path.join(ROOT, "playbooks", "deploy_azure_local.yml")
PREFIX = "ansible_collections/ansible/windows/"


def ensure_windows_collection() -> str:
    if os.path.exists(os.path.join(WINDOWS, "MANIFEST.json")):
        return WINDOWS
    tmp = tempfile.mkdtemp(prefix="dcnet-ansible-wheel-")
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, ANSIBLE_WHEEL],
                              capture_output=True, text=True, timeout=600, check=False)
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if proc.returncode != 0 or not wheels:
            pytest.skip(f"cannot download {ANSIBLE_WHEEL} from PyPI to get ansible.windows: {proc.stderr.strip()[-300:]}")
        staging = tempfile.mkdtemp(prefix="dcnet-windows-", dir=COLLECTIONS)
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as wheel:
            members = [m for m in wheel.namelist() if m.startswith(PREFIX)]
            wheel.extractall(staging, members)
        os.makedirs(os.path.dirname(WINDOWS), exist_ok=True)
        try:
            os.rename(os.path.join(staging, *PREFIX.strip("/").split("/")), WINDOWS)
        except OSError:
            if not os.path.exists(os.path.join(WINDOWS, "MANIFEST.json")):  # another run won the race
                raise
        shutil.rmtree(staging, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return WINDOWS


def syntax_check(collections_path: str, inventory: str):
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_PYTHON_INTERPRETER": sys.executable}
    playbook_bin = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if not os.path.exists(playbook_bin):
        pytest.skip("ansible-playbook is not installed next to this Python")
    return subprocess.run([playbook_bin, "--syntax-check", "-i", inventory, PLAYBOOK], capture_output=True,
                          text=True, timeout=300, env=env, check=False, cwd=ROOT)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    path = tmp_path_factory.mktemp("inv") / "hosts.yml"
    path.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local"}}, "children": {
        "azure_local": {"hosts": {"azl-n1": {"azure_local_cluster": "azl-small", "ansible_connection": "psrp"}}},
        "azure_local_nodes": {"hosts": {"azl-n2": {"azure_local_cluster": "azl-small", "ansible_connection": "psrp"}}}}}}))
    return str(path)


def test_playbook_passes_syntax_check(inventory):
    ensure_windows_collection()
    proc = syntax_check(COLLECTIONS, inventory)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_syntax_check_fails_without_ansible_windows(inventory, tmp_path):
    """The check is real: without the collection the module name does not resolve."""
    link = tmp_path / "ansible_collections" / "dcnet" / "fabric"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    proc = syntax_check(str(tmp_path), inventory)
    assert proc.returncode != 0
    assert "ansible.windows.win_powershell" in proc.stdout + proc.stderr


def test_task_arguments_exist_in_win_powershell():
    """Module arguments are not syntax-checked by Ansible: compare them with the module's DOCUMENTATION."""
    ensure_windows_collection()
    with open(os.path.join(WINDOWS, "plugins", "modules", "win_powershell.py"), encoding="utf-8") as handle:
        source = handle.read()
    doc = yaml.safe_load(source.split("DOCUMENTATION = r'''", 1)[1].split("'''", 1)[0])
    options = doc["options"]
    with open(PLAYBOOK, encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    tasks = [t for play in plays for t in play.get("tasks", []) if "ansible.windows.win_powershell" in t]
    assert len(tasks) == 2
    prepare, intents = (t["ansible.windows.win_powershell"] for t in tasks)
    for args in (prepare, intents):
        assert set(args) <= set(options), set(args) - set(options)
        assert args["error_action"] in options["error_action"]["choices"]
        assert args["parameters"]["DryRun"] == "{{ ansible_check_mode }}"
    assert set(intents["parameters"]) == {"ClusterName", "DryRun"} and set(prepare["parameters"]) == {"DryRun"}
    assert intents["path"].endswith("/Set-NetworkIntents.ps1") and "/prepare/" in prepare["path"]
    # win_powershell runs a script in check mode only when it declares SupportsShouldProcess
    assert "[CmdletBinding(SupportsShouldProcess)]" in source or "SupportsShouldProcess" in source
