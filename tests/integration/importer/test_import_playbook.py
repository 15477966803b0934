"""ansible-playbook dcnet.fabric.import_vmware from the built and installed collection tarball, in a folder of its own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BIN = os.path.dirname(sys.executable)
PLAYBOOK = shutil.which("ansible-playbook", path=BIN)
GALAXY = shutil.which("ansible-galaxy", path=BIN)

pytestmark = pytest.mark.skipif(not (PLAYBOOK and GALAXY), reason="ansible-core is not installed next to this Python")


def _env(work, **extra):
    """Nothing of this machine's ~/.ansible or the checkout's collections path: only the installed tarball.

    HOME points into the work folder (ansible looks for ~/.ansible/collections there) and holds a stale
    decoy copy of the collection, so a lookup that escapes the explicit collections path fails the test.
    """
    env = dict(os.environ, HOME=str(work / "home"), ANSIBLE_HOME=str(work / "home" / ".ansible"),
               ANSIBLE_COLLECTIONS_PATH=str(work / "collections"), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(work / "tmp"), ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    env.pop("ANSIBLE_CONFIG", None)
    env.update(extra)
    return env


def _decoy(work):
    """A stale dcnet.fabric in the isolated ~/.ansible whose import playbook fails loudly."""
    decoy = work / "home" / ".ansible" / "collections" / "ansible_collections" / "dcnet" / "fabric"
    (decoy / "playbooks").mkdir(parents=True)
    (decoy / "MANIFEST.json").write_text(json.dumps({"collection_info": {
        "namespace": "dcnet", "name": "fabric", "version": "0.0.1"}, "file_manifest_file": {}}), encoding="utf-8")
    (decoy / "playbooks" / "import_vmware.yml").write_text(
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - ansible.builtin.fail: {msg: stale decoy collection used}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("installed")
    _decoy(work)
    subprocess.run([GALAXY, "collection", "build", "--output-path", str(work), ROOT], check=True, capture_output=True,
                   env=_env(work))
    tarball = next(p for p in work.iterdir() if p.name.endswith(".tar.gz"))
    subprocess.run([GALAXY, "collection", "install", "--force", "-p", str(work / "collections"), str(tarball)],
                   check=True, capture_output=True, env=_env(work))
    listed = subprocess.run([GALAXY, "collection", "list", "dcnet.fabric", "--format", "json"], check=True,
                            capture_output=True, text=True, env=_env(work)).stdout
    assert list(json.loads(listed)) == [str(work / "collections" / "ansible_collections")], listed
    return work


def _play(work, *extra):
    proc = subprocess.run([PLAYBOOK, "-i", "localhost,", "-c", "local", "dcnet.fabric.import_vmware", *extra],
                          cwd=work, env=_env(work), capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "stale decoy" not in out, out
    recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out)
    assert recap, out
    return int(recap.group(1)), int(recap.group(2)), out


def test_import_playbook_writes_the_draft_once(installed):
    xlsx = os.path.join(ROOT, "examples", "vmware", "rvtools-small.xlsx")
    out = installed / "draft"
    changed, failed, log = _play(installed, "-e", f"import_rvtools={xlsx}", "-e", f"import_out={out}")
    assert (changed, failed) == (1, 0), log
    assert "15 VMs, 16 NICs, 4 networks" in log
    with open(os.path.join(ROOT, "examples", "vmware", "draft", "vms.yml"), encoding="utf-8") as handle:
        assert (out / "vms.yml").read_text(encoding="utf-8") == handle.read()
    changed, failed, log = _play(installed, "-e", f"import_rvtools={xlsx}", "-e", f"import_out={out}")
    assert (changed, failed) == (0, 0), log


def test_import_playbook_fails_clearly_on_bad_input(installed):
    bad = installed / "notes.xlsx"
    bad.write_text("VM;Powerstate\n", encoding="utf-8")
    changed, failed, log = _play(installed, "-e", f"import_rvtools={bad}", "-e", f"import_out={installed / 'bad'}")
    assert failed == 1 and "not an .xlsx workbook" in log, log
    assert not (installed / "bad").exists()
