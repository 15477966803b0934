"""Strict YAML: a key written twice is an error with file, lines and model path; findings name their file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.model import sources

from .harness import ROOT

PLAYBOOK = os.path.join(ROOT, "playbooks", "validate.yml")
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

NIC_TWICE = """\
dcnet_clusters:
  - name: c1
    nodes:
      - name: w1
        nics:
          ens1f0: leaf01a:swp1
          ens1f0: leaf01b:swp1
"""


def _scan(tmp_path, text, name="clusters.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return sources.scan([str(path)])


def test_a_nic_written_twice_is_an_error_with_file_lines_and_path(tmp_path):
    problems, locations = _scan(tmp_path, NIC_TWICE)
    assert [(p.rule, p.path) for p in problems] == [("YAML001", "clusters[c1].nodes[w1].nics[ens1f0]")]
    assert f"written twice in {tmp_path / 'clusters.yml'} (lines 6 and 7)" in problems[0].message
    assert locations.find("clusters[c1].nodes[w1].nics[ens1f0]")[1] == 7
    assert locations.find("clusters[c1].nodes[w1].nics[ens9]")[1] == 6      # nearest ancestor: the nics mapping
    assert locations.find("networks[x]") is None


def test_top_variable_twice_and_object_keys(tmp_path):
    problems = _scan(tmp_path, "dcnet_site: {name: a}\ndcnet_site: {name: b, name: c}\nother: 1\nother: 2\n")[0]
    assert sorted((p.rule, p.path) for p in problems) == [("YAML001", "site"), ("YAML001", "site.name")]


def test_aliases_merges_and_ansible_tags_are_not_duplicates(tmp_path):
    text = ("dcnet_bond_profiles:\n  a: &p {mode: 802.3ad, mtu: 9000}\n  b: *p\n  c:\n    <<: *p\n    mtu: 1500\n"
            "dcnet_site:\n  name: x\n  description: !unsafe '{{ raw }}'\n  domain: !vault |\n    $ANSIBLE_VAULT;1.1;AES256\n    31\n")
    problems, locations = _scan(tmp_path, text)
    assert problems == []
    assert locations.find("bond_profiles[c].mtu")[1] == 6


def test_unreadable_or_hostile_files_are_left_to_ansible(tmp_path):
    assert _scan(tmp_path, "a: [unclosed\n")[0] == []
    assert _scan(tmp_path, "dcnet_site: " + "[" * 5000 + "]" * 5000 + "\n")[0] == []   # bounds.py refuses it
    assert _scan(tmp_path, "x: &x [*x]\ndcnet_site: {description: &r [*r]}\n")[0] == []


def test_inventory_files_follow_ansible_layout(tmp_path):
    inv = tmp_path / "inv"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), inv)
    (inv / "host_vars").mkdir()
    (inv / "host_vars" / "localhost").write_text("dcnet_x: 1\n", encoding="utf-8")
    (inv / "group_vars" / ".hidden").mkdir()
    found = sources.inventory_files([str(inv / "hosts.yml")])
    rel = [os.path.relpath(f, inv) for f in found]
    assert rel == ["hosts.yml", "group_vars/all/clusters.yml", "group_vars/all/networks.yml",
                   "group_vars/all/north_south.yml", "group_vars/all/site.yml", "host_vars/localhost"]
    assert sorted(sources.inventory_files([str(inv)])) == sorted(found)


def _playbook(inventory, build, cwd):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0")
    env.pop("ANSIBLE_CONFIG", None)
    env.pop("ANSIBLE_DUPLICATE_YAML_DICT_KEY", None)
    proc = subprocess.run([ANSIBLE, "-i", str(inventory), PLAYBOOK, "-e", f"render_build_dir={build}"],
                          capture_output=True, text=True, env=env, timeout=300, check=False, cwd=cwd)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(name="inventory")
def _inventory(tmp_path):
    if not os.path.exists(ANSIBLE):
        pytest.skip("ansible-playbook is not installed in this interpreter's environment")
    dest = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), dest)
    return dest


def _duplicate_nic(inventory):
    """ove-w1's ens1f1 written twice (to two ports): Ansible keeps the last, silently, by default."""
    path = inventory / "group_vars" / "all" / "clusters.yml"
    old = 'ens1f1: "leaf01b:swp1"}'
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, 'ens1f1: "leaf01b:swp1", ens1f1: "leaf01b:swp9"}'), encoding="utf-8")
    return path, next(i for i, x in enumerate(text.splitlines(), 1) if old in x)


def test_playbook_outside_the_project_names_file_and_lines(inventory, tmp_path):
    """Ansible's default only warns: the action reads the files itself and refuses the model."""
    path, line = _duplicate_nic(inventory)
    code, out = _playbook(inventory, tmp_path / "build", cwd=tmp_path)
    assert code != 0, out
    assert f"key 'ens1f1' is written twice in {path} (lines {line} and {line})" in out, out
    assert "YAML001 clusters[ove-small].nodes[ove-w1].nics[ens1f1]" in out
    assert not (tmp_path / "build").exists()


def test_project_ansible_cfg_makes_ansible_refuse(inventory, tmp_path):
    _duplicate_nic(inventory)
    code, out = _playbook(inventory, tmp_path / "build", cwd=ROOT)
    assert code != 0 and "duplicate mapping key 'ens1f1'" in out, out
    assert not (tmp_path / "build").exists()


def test_model_findings_name_the_inventory_file_and_line(inventory, tmp_path):
    path = inventory / "group_vars" / "all" / "networks.yml"
    text = path.read_text(encoding="utf-8")
    assert "xmit_hash_policy: layer3+4" in text
    path.write_text(text.replace("xmit_hash_policy: layer3+4", "xmit_hash_policy: layer2"), encoding="utf-8")
    line = next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "layer2" in x)
    code, out = _playbook(inventory, tmp_path / "build", cwd=tmp_path)
    assert code != 0
    assert "BOND005 bond_profiles[lacp].xmit_hash_policy: " in out
    assert f"[inventory/group_vars/all/networks.yml:{line}]" in out, out
