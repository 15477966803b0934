"""ansible-playbook dcnet.fabric.import_vmware from the built and installed collection tarball, in a folder of its own."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("installed")
    subprocess.run([GALAXY, "collection", "build", "--output-path", str(work), ROOT], check=True, capture_output=True)
    tarball = next(p for p in work.iterdir() if p.name.endswith(".tar.gz"))
    subprocess.run([GALAXY, "collection", "install", "-p", str(work / "collections"), str(tarball)], check=True,
                   capture_output=True, env=dict(os.environ, ANSIBLE_HOME=str(work / "home")))
    return work


def _play(work, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(work / "collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(work / "home"), ANSIBLE_LOCAL_TEMP=str(work / "tmp"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = subprocess.run([PLAYBOOK, "-i", "localhost,", "-c", "local", "dcnet.fabric.import_vmware", *extra],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
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
