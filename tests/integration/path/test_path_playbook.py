"""playbooks/path.yml through ansible-playbook, as a user or AWX runs it: files, idempotence, check mode, errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.unit.switches.models import small

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PLAYBOOK = shutil.which("ansible-playbook", path=os.path.dirname(sys.executable)) or shutil.which("ansible-playbook")
pytestmark = pytest.mark.skipif(PLAYBOOK is None, reason="ansible-playbook is not installed")


def play(tmp_path, *extra, example="dc1", inventory=None):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    inventory = inventory or os.path.join(ROOT, "examples", example, "inventory")
    cmd = [PLAYBOOK, "-i", inventory, os.path.join(ROOT, "playbooks", "path.yml"),
           "-e", f"path_out={tmp_path / 'paths'}", *extra]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    recap = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out)
    assert recap, out
    return proc.returncode, int(recap.group(2)), out


def test_vlan100_to_vlan200(tmp_path):
    args = ("-e", "path_from=10.64.0.11@w001", "-e", "path_to=10.64.100.12@w120")
    code, changed, out = play(tmp_path, "--check", *args)
    assert code == 0 and changed == 1 and not (tmp_path / "paths").exists()
    code, changed, out = play(tmp_path, *args)
    assert code == 0 and changed == 1, out
    assert "leaf01a" in out or "leaf01b" in out
    stem = str(tmp_path / "paths" / "path-10.64.0.11_w001-to-10.64.100.12_w120")
    with open(stem + ".json", encoding="utf-8") as handle:
        data = json.load(handle)
    assert [p["status"] for p in data["paths"]] == ["complete", "complete"]
    with open(stem + ".md", encoding="utf-8") as handle:
        text = handle.read()
    # VLAN 100 and VLAN 200 are both in VRF prod: routed at the first leaf over prod's L3 VNI (symmetric IRB)
    assert "L3 VNI 50002" in text and "symmetric IRB" in text
    code, changed, out = play(tmp_path, *args)
    assert code == 0 and changed == 0


def test_bad_node_fails_cleanly(tmp_path):
    code, _changed, out = play(tmp_path, "-e", "path_from=w999", "-e", "path_to=w001")
    assert code != 0 and "did you mean 'w099'" in out


def test_inventory_vms_by_name(tmp_path):
    """examples/vmware: two VMs of dcnet_vms by name (one NIC named, spaces and all, as JSON extra vars), on nodes
    of the cluster their waves move them to."""
    args = ("-e", "path_from=crm-vm00002@ove-w2", "-e", json.dumps({"path_to": "shop-vm00001:Network adapter 1@ove-w1"}))
    code, changed, out = play(tmp_path, *args, example="vmware")
    assert code == 0 and changed == 1, out
    (name,) = [n for n in os.listdir(tmp_path / "paths") if n.endswith(".json")]
    with open(tmp_path / "paths" / name, encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["from"]["vm"] == "crm-vm00002" and data["to"]["mac"] == "00:50:56:00:00:01"
    assert [p["status"] for p in data["paths"]] == ["complete"] * 4
    assert data["paths"][0]["hops"][0]["device"] == "crm-vm00002"


def north_south_inventory(tmp_path):
    """examples/small with tenants, the border pair, the overlay and a second rack, as an inventory folder."""
    variables = small(overlay="evpn_vxlan", second_rack=True)
    folder = tmp_path / "inventory"
    (folder / "group_vars" / "all").mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, "examples", "small", "inventory", "hosts.yml"), folder / "hosts.yml")
    with open(folder / "group_vars" / "all" / "site.yml", "w", encoding="utf-8") as handle:
        yaml.safe_dump(variables, handle)
    return str(folder)


def test_to_an_external_prefix_and_between_vrfs(tmp_path):
    """Out of VRF prod through the border pair to wan1 and back, both families; then prod to infra through wan1."""
    inventory = north_south_inventory(tmp_path)
    args = ("-e", "path_from=10.100.0.21,fd00:100::21@ove-w3", "-e", "path_to=203.0.113.0/24")
    code, changed, out = play(tmp_path, *args, inventory=inventory)
    assert code == 0 and changed == 1, out
    assert re.search(r"VM on ove-w3 > ove-w3 > leaf02[ab] > spine1 > leaf01a > wan1", out), out
    (name,) = [n for n in os.listdir(tmp_path / "paths") if n.endswith(".json")]
    with open(tmp_path / "paths" / name, encoding="utf-8") as handle:
        data = json.load(handle)
    assert [(p["direction"], p["family"], p["status"]) for p in data["paths"]] == [
        ("forward", 4, "complete"), ("reverse", 4, "complete")]
    assert [h["kind"] for h in data["paths"][0]["hops"]][-4:] == ["l3vni-decap", "vrf", "handover", "external"]
    code, changed, out = play(tmp_path, *args, inventory=inventory)
    assert code == 0 and changed == 0, out
    code, changed, out = play(tmp_path, "-e", "path_from=10.100.0.21,fd00:100::21@ove-w3", "-e", "path_to=ove-w1",
                              inventory=inventory)
    assert code == 0 and changed == 1, out
    (name,) = [n for n in os.listdir(tmp_path / "paths") if n.endswith(".json") and "ove-w1" in n and "to-ove" in n]
    with open(tmp_path / "paths" / name, encoding="utf-8") as handle:
        data = json.load(handle)
    walked = {(p["family"], p["direction"]) for p in data["paths"]}
    assert walked == {(4, "forward"), (4, "reverse"), (6, "forward"), (6, "reverse")}
    for path in data["paths"]:
        assert path["status"] == "complete"
        assert [h["interface"] for h in path["hops"] if h["kind"] == "handover"] in (
            ["swp47.3102", "swp47.3101"], ["swp47.3101", "swp47.3102"])
