"""playbooks/drift.yml through ansible-playbook: a folder of captured state in, drift findings with both ends out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from .installed import show_text
from .test_drift_parsers import ROOT, _site, example

ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
PLAYBOOK = os.path.join(ROOT, "playbooks", "drift.yml")


@pytest.fixture(name="inventory")
def _inventory(tmp_path):
    if not os.path.exists(ANSIBLE):
        pytest.skip("ansible-playbook is not installed in this interpreter's environment")
    dest = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), dest)
    raw = example("small")
    raw["fabric"]["platform"] = "eos"
    for cluster in raw["clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {k: v.replace("swp", "Ethernet") for k, v in node["nics"].items()}
    for peer in raw.get("external_peers", []):
        for link in peer["links"]:
            link["port"] = link["port"].replace("swp", "Ethernet")
    (dest / "group_vars" / "all" / "zz_eos.yml").write_text(
        yaml.safe_dump({"dcnet_fabric": raw["fabric"], "dcnet_clusters": raw["clusters"],
                        "dcnet_external_peers": raw.get("external_peers", [])}), encoding="utf-8")
    return dest


def _play(inventory, running):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0")
    proc = subprocess.run([ANSIBLE, "-i", str(inventory), PLAYBOOK, "-e", f"drift_running_dir={running}"],
                          capture_output=True, text=True, env=env, timeout=300, check=False, cwd=ROOT)
    return proc.returncode, proc.stdout + proc.stderr


def test_drift_playbook_names_both_ends(inventory, tmp_path):
    files = _site("eos")[3]
    running = tmp_path / "running"
    running.mkdir()
    (running / "leaf01b.cfg").write_text(files["switches/leaf01b.cfg"], encoding="utf-8")
    text = files["switches/leaf01a.cfg"]
    head = "   description ove-w2:bond0\n   mtu 9214\n   switchport\n   switchport mode trunk\n"
    broken = text.replace(head + "   switchport trunk allowed vlan 10,20,30,100-101",
                          head + "   switchport trunk allowed vlan 10,20,100-101", 1)
    assert broken != text
    (running / "leaf01a.cfg").write_text(broken, encoding="utf-8")
    for node in ("ove-w1", "ove-w2"):
        (running / f"{node}.nmstate.yml").write_text(show_text(files, "ove-small", node), encoding="utf-8")
    (running / "leaf99z.cfg").write_text("hostname leaf99z\n", encoding="utf-8")
    code, out = _play(inventory, running)
    assert code != 0, out
    assert ("VLAN003 clusters[ove-small].nodes[ove-w2].nics[ens1f0]: leaf01a Ethernet2 does not allow network(s) "
            "livemig (other end: fabric.leaf_pairs[1].leaves[0])") in out, out
    assert "read 2 switch(es), 2 host(s)" in out

    (running / "leaf01a.cfg").write_text(text, encoding="utf-8")
    code, out = _play(inventory, running)
    assert code == 0 and "0 finding(s)" in out, out
