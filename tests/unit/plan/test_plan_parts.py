"""The parts of a plan on their own: plan rules (each made to fire), object round trip, remediation cuts,
writers (deterministic, idempotent), model sources (folder and git revision)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from ansible_collections.dcnet.fabric.plugins.module_utils.plan import make_plan, remediation, sources, writers
from ansible_collections.dcnet.fabric.plugins.module_utils.plan.objects import assemble, switch_objects
from ansible_collections.dcnet.fabric.plugins.module_utils.render.switches import device_renderer

from errors.harness import ROOT, example

VLAN = {"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.50.0.0/24", "ipv6": "fd00:50::/64"}


def small_with_vlan(vms=()):
    raw = example("small")
    raw["networks"].append(dict(VLAN))
    next(c for c in raw["clusters"] if c["name"] == "ove-small")["networks"].append("vm-500")
    raw["vms"] = list(vms)
    return raw


def _rules(plan):
    return sorted((f["rule"], f["path"]) for f in plan["findings"] if f["rule"].startswith("PLAN"))


# ------------------------------------------------------------------------------------------- plan rules
def test_rolling_batches_pass_and_site_batching_puts_a_pair_in_one_batch():
    old, new = example("small"), small_with_vlan()
    assert _rules(make_plan(old, new, {"remediation": False})) == []
    plan = make_plan(old, new, {"remediation": False, "switch_batching": "site"})
    assert ("PLAN001", "fabric.leaf_pairs[1].leaves[0]") in _rules(plan) and plan["failed"]


def test_node_batch_above_max_unavailable():
    """A storage MTU change touches each node's own NNCP: one node at a time (maxUnavailable 1 in the model)."""
    old = example("small")
    new = copy.deepcopy(old)
    next(n for n in new["networks"] if n["name"] == "storage")["mtu"] = 8000
    plan = make_plan(old, new, {"remediation": False})
    assert _rules(plan) == []
    [host] = [p for p in plan["phases"] if p["domain"] == "host"]
    assert [b["nodes"] for b in host["batches"]] == [["ove-w1"], ["ove-w2"]]
    plan = make_plan(old, new, {"remediation": False, "node_batch": 2})
    assert _rules(plan) == [("PLAN002", "clusters[ove-small]")] and plan["failed"]


def test_vlan_removed_while_a_vm_still_uses_it():
    vm = {"name": "web01", "cluster": "ove-small",
          "nics": [{"name": "Network adapter 1", "network": "vm-500", "mac": "00:50:56:01:02:03"}]}
    with_vm = small_with_vlan([vm])
    off_cluster = copy.deepcopy(with_vm)   # the network stays defined, the cluster no longer carries it
    next(c for c in off_cluster["clusters"] if c["name"] == "ove-small")["networks"].remove("vm-500")
    plan = make_plan(with_vm, off_cluster, {"remediation": False})
    assert ("PLAN003", "vms[web01].nics[Network adapter 1].network") in _rules(plan)
    assert plan["phases"][0]["domain"] == "vm" and plan["phases"][0]["vm_nics"][0]["vm"] == "web01"
    # once the VM has moved off the network, the same removal is clean
    moved = copy.deepcopy(off_cluster)
    moved["vms"][0]["nics"][0]["network"] = "vm-web"
    assert "PLAN003" not in {r for r, _p in _rules(make_plan(with_vm, moved, {"remediation": False}))}


def test_a_session_losing_bfd_is_a_warning():
    old = example("small")
    new = copy.deepcopy(old)
    new["fabric"]["bfd"]["enabled"] = False
    plan = make_plan(old, new, {"remediation": False})
    found = [f for f in plan["findings"] if f["rule"] == "PLAN004"]
    assert found and all(f["severity"] == "warning" for f in found)


# ------------------------------------------------------------------------------------------- objects
@pytest.mark.parametrize("device", ["leaf01a", "leaf07a", "leaf11a", "spine1"])
def test_objects_reassemble_to_the_same_config(device):
    raw = example("dc1")
    model = load_model(raw)
    designed = design(model, site_facts(model))
    config = designed["switches"][device]
    rebuilt = assemble(list(switch_objects(device, config).values()), list(config))
    assert rebuilt == config
    render = device_renderer(config["platform"])
    assert render(rebuilt) == render(config)


# ------------------------------------------------------------------------------------------- remediation
def _dc1_leaf_texts(device):
    raw = example("dc1")
    model = load_model(raw)
    old = device_renderer("eos")(design(model, site_facts(model))["switches"][device])["cfg"]
    raw["networks"].append({"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.65.244.0/24",
                            "ipv6": "fd00:65:244::/64"})
    next(c for c in raw["clusters"] if c["name"] == "ove-prod")["networks"].append("vm-500")
    model = load_model(raw)
    new = device_renderer("eos")(design(model, site_facts(model))["switches"][device])["cfg"]
    return old, new


def test_the_cut_to_changed_lines_gives_the_same_hier_config_commands():
    old, new = _dc1_leaf_texts("leaf01a")
    cut_old, cut_new = remediation.changed_lines(old, new)
    assert len(cut_old) < len(old) / 5
    assert remediation._hier_lines("eos", cut_old, cut_new) == remediation._hier_lines("eos", old, new)  # pylint: disable=protected-access


def test_interfaces_delta_by_stanza():
    old = "auto swp1\niface swp1\n    bridge-vids 10 20\n\nauto swp2\niface swp2\n    mtu 9216\n"
    new = "auto swp1\niface swp1\n    bridge-vids 10 20 500\n\nauto swp2\niface swp2\n    mtu 9216\n"
    remove, write = remediation.interfaces_delta(old, new)
    assert len(remove) == len(write) == 1 and "500" in write[0] and "swp2" not in write[0]


# ------------------------------------------------------------------------------------------- writers
def test_writers_are_deterministic_and_idempotent(tmp_path):
    plan = make_plan(example("small"), small_with_vlan())
    first = writers.write(plan, str(tmp_path))
    assert {"plan.json", "plan.md"} <= set(first["created"])
    steps = [p for p in first["created"] if p.startswith("steps/")]
    assert any(p.endswith("leaf01a.cfg") for p in steps) and any(p.endswith("leaf01a.interfaces") for p in steps)
    again = writers.write(make_plan(example("small"), small_with_vlan()), str(tmp_path))
    assert again["created"] == again["changed"] == again["removed"] == []
    data = json.loads((tmp_path / "plan.json").read_text())
    step = data["phases"][0]["batches"][0]["steps"]
    assert all("intended" not in s and "config" not in s and s["files"] for s in step.values())
    md = (tmp_path / "plan.md").read_text()
    assert md.index("## Blast radius") < md.index("## Model change") < md.index("## Phases")


# ------------------------------------------------------------------------------------------- sources
def test_sources_from_a_folder_and_from_a_git_revision(tmp_path):
    inv = tmp_path / "repo" / "sites" / "small"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), inv)
    git = ["git", "-C", str(tmp_path / "repo"), "-c", "user.name=t", "-c", "user.email=t@example.net"]
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    networks = inv / "group_vars" / "all" / "networks.yml"
    data = yaml.safe_load(networks.read_text())
    data["dcnet_networks"].append(dict(VLAN))
    networks.write_text(yaml.safe_dump(data, sort_keys=False))
    here, label = sources.load(str(inv), str(inv))
    assert label == os.path.normpath(str(inv)) and "vm-500" in {n["name"] for n in here["networks"]}
    then, label = sources.load("HEAD", str(inv))
    assert label == "git HEAD" and "vm-500" not in {n["name"] for n in then["networks"]}
    assert sources.load("HEAD:sites/small", str(tmp_path / "repo"))[0] == then
    with pytest.raises(DcnetError, match="neither a folder nor a git revision"):
        sources.load("v9.9", str(inv))
