"""The render role as an AWX job runs it: build/ beside the inventory, custom stats, warnings, Git commit."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
pytestmark = pytest.mark.skipif(not os.path.exists(PLAYBOOK), reason="ansible-playbook is not installed")


def _play(tmp, *extra, playbook="render.yml"):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_SHOW_CUSTOM_STATS="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_HOME=str(tmp / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"))
    proc = subprocess.run([PLAYBOOK, "-i", "inventory", os.path.join(ROOT, "playbooks", playbook), *extra],
                          cwd=tmp, env=env, capture_output=True, text=True, timeout=600, check=False)
    recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", proc.stdout)
    return proc, (int(recap.group(1)), int(recap.group(2))) if recap else None


@pytest.fixture
def project(tmp_path):
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), tmp_path / "inventory")
    return tmp_path


def test_build_beside_the_inventory_and_custom_stats(project):
    proc, recap = _play(project)
    assert proc.returncode == 0 and recap == (1, 0), proc.stdout[-3000:]
    assert (project / "build" / "small" / "report.json").is_file()
    assert not (project / "inventory" / "build").exists()
    stats = proc.stdout[proc.stdout.index("CUSTOM STATS"):]
    assert "dcnet_render" in stats and str(project / "build" / "small") in stats
    assert '"errors": 0' in stats and '"created": [' in stats


def test_warnings_are_ansible_warnings(project):
    site = project / "inventory" / "group_vars" / "all" / "site.yml"
    data = yaml.safe_load(site.read_text())
    data.pop("dcnet_waivers")
    site.write_text(yaml.safe_dump(data))
    proc, recap = _play(project)
    assert proc.returncode == 0 and recap[1] == 0
    assert re.search(r"^\[WARNING\]: MTU005 clusters\[ove-small\]\.overlay: the geneve overlay leaves MTU 1400",
                     proc.stdout + proc.stderr, re.M), proc.stdout[-3000:]
    failed, recap = _play(project, "-e", "render_fail_on_warnings=true")
    assert failed.returncode != 0 and recap[1] == 1


def test_commit_to_a_git_repository(project):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    bare = project / "gitops.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)], check=True)
    check, recap = _play(project, "-e", f"render_git_repo={bare}", "--check")
    assert check.returncode == 0 and recap == (1, 0), check.stdout[-3000:]
    assert subprocess.run(["git", "--git-dir", str(bare), "branch", "--list"], capture_output=True, text=True,
                          check=True).stdout == ""
    first, recap = _play(project, "-e", f"render_git_repo={bare}", "-e", "render_git_path=sites/small")
    assert first.returncode == 0 and recap == (1, 0), first.stdout[-3000:]
    files = subprocess.run(["git", "--git-dir", str(bare), "ls-tree", "-r", "--name-only", "main"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert "sites/small/ove/ove-small/11-nncp-ove-small-ove-w1.yaml" in files
    assert "sites/small/switches/leaf01a.cfg" in files
    again, recap = _play(project, "-e", f"render_git_repo={bare}", "-e", "render_git_path=sites/small")
    assert again.returncode == 0 and recap == (0, 0), again.stdout[-3000:]
