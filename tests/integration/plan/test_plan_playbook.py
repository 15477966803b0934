"""playbooks/plan.yml through ansible-playbook: a git revision against the working inventory, check mode,
idempotence, a plan rule failing the run, and a clean error for a bad revision."""

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
pytestmark = pytest.mark.skipif(PLAYBOOK is None or shutil.which("git") is None,
                                reason="ansible-playbook or git is not installed")
VLAN500 = {"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.50.0.0/24", "ipv6": "fd00:50::/64"}


def add_vlan500(inventory, cluster="ove-small"):
    """VLAN 500 as a new VM network of one cluster, written into the inventory's group_vars."""
    folder = os.path.join(inventory, "group_vars", "all")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if not isinstance(data, dict) or not {"dcnet_networks", "dcnet_clusters"} & set(data):
            continue   # other variables, or an encrypted vault file: left as they are
        if "dcnet_networks" in data:
            data["dcnet_networks"].append(dict(VLAN500))
        if "dcnet_clusters" in data:
            next(c for c in data["dcnet_clusters"] if c["name"] == cluster)["networks"].append("vm-500")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(data, handle, sort_keys=False)


@pytest.fixture()
def project(tmp_path):
    """A project folder under git: the small site committed, then VLAN 500 added in the working tree."""
    inv = tmp_path / "site" / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), inv)
    git = ["git", "-C", str(tmp_path / "site"), "-c", "user.name=t", "-c", "user.email=t@example.net"]
    subprocess.run(["git", "init", "-q", str(tmp_path / "site")], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "small site"], check=True)
    add_vlan500(str(inv))
    return tmp_path


def play(project, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(project / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(project / "tmp"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    cmd = [PLAYBOOK, "-i", str(project / "site" / "inventory"), os.path.join(ROOT, "playbooks", "plan.yml"),
           "-e", f"plan_out={project / 'plan'}", *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    recap = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out)
    assert recap, out
    return proc.returncode, int(recap.group(2)), out


def test_git_revision_to_working_inventory(project):
    code, changed, out = play(project, "-e", "plan_from=HEAD", "--check")
    assert code == 0 and changed == 1 and not (project / "plan").exists(), out
    code, changed, out = play(project, "-e", "plan_from=HEAD")
    assert code == 0 and changed == 1, out
    plan = json.loads((project / "plan" / "plan.json").read_text())
    assert plan["from"] == "git HEAD" and plan["model_change"]["vlans"]["added"] == [500]
    # OpenShift 4.18 (the shared bridge mapping, VLAN ids in the NADs): the VLAN changes no NNCP
    assert [p["domain"] for p in plan["phases"]] == ["switch", "switch", "cluster", "vm"]
    assert plan["nodes_without_change"] == {"ove-small": ["ove-w1", "ove-w2"]}
    assert [p["devices"] for p in plan["phases"] if "vlan" in p["kinds"]] == [["leaf01a", "leaf01b"]]
    md = (project / "plan" / "plan.md").read_text()
    assert "## Blast radius" in md and "oc apply -f build/small/ove/ove-small/30-nad-vm-networks-vm-500.yaml" in md
    code, changed, out = play(project, "-e", "plan_from=HEAD")
    assert code == 0 and changed == 0, out
    # the reverse, both sides named: the working folder to the revision with its path
    code, changed, out = play(project, "-e", f"plan_from={project / 'site' / 'inventory'}",
                              "-e", "plan_to=HEAD:inventory", "-e", f"plan_out={project / 'back'}")
    assert code == 0, out
    back = json.loads((project / "back" / "plan.json").read_text())
    assert [p["domain"] for p in back["phases"]] == ["vm", "cluster", "switch", "switch"]


def test_plan_rule_fails_the_run(project):
    code, _changed, out = play(project, "-e", "plan_from=HEAD", "-e", "plan_switch_batching=site")
    assert code != 0 and "PLAN001" in out and "leaf01a" in out


def test_bad_revision_fails_cleanly(project):
    code, _changed, out = play(project, "-e", "plan_from=no-such-rev")
    assert code != 0 and "plan_from: 'no-such-rev' is neither a folder nor a git revision" in out
