"""Day-2 plans on examples/dc1: VLAN 500 added to ove-prod and removed again, an MTU change, a new spine.

The expectations are derived independently of the plan code: the leaves from the
model's cabling, the NNCPs and NADs that change from two full renders of the
site (pipeline.build) compared file by file.
"""

from __future__ import annotations

import copy
import json
import os
import re

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.plan import make_plan, writers

from .scenarios import dc1, jumbo_levels, with_vlan500, without_spine

CLUSTER = "ove-prod"


@pytest.fixture(scope="module")
def vlan_add():
    old, new = dc1(), with_vlan500()
    return old, new, make_plan(old, new)


@pytest.fixture(scope="module")
def vlan_remove(vlan_add):
    old, new, _plan = vlan_add
    return make_plan(new, old)


def _files(raw):
    result = pipeline.build(raw, from_vars=False, targets=["ove"])
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"][:3]
    return result["files"]


@pytest.fixture(scope="module")
def rendered(vlan_add):
    old, new, _plan = vlan_add
    return _files(old), _files(new)


def _cabled_leaves(raw, cluster):
    nodes = next(c for c in raw["clusters"] if c["name"] == cluster)["nodes"]
    return sorted({cable.split(":")[0] for node in nodes for cable in node["nics"].values()})


def _phase(plan, domain, kind):
    return [p for p in plan["phases"] if p["domain"] == domain and kind in p["kinds"]]


def test_vlan_add_touches_exactly_the_leaves_cabled_to_the_cluster(vlan_add):
    old, _new, plan = vlan_add
    assert not plan["failed"], plan["findings"]
    [trunks] = _phase(plan, "switch", "vlan")
    assert trunks["devices"] == _cabled_leaves(old, CLUSTER)
    assert set(trunks["kinds"]) == {"vlan", "port", "vni", "peer-link"}
    # the fabric's routing policy accepts the new subnet first, on every switch
    [policy] = _phase(plan, "switch", "prefix-list")
    assert plan["phases"].index(policy) < plan["phases"].index(trunks)
    assert len(policy["devices"]) == len(old["fabric"]["spines"]) + 2 * len(old["fabric"]["leaf_pairs"])


def test_vlan_add_lists_exactly_the_nncps_that_change_and_every_node(vlan_add, rendered):
    _old, new, plan = vlan_add
    before, after = rendered
    nncp = re.compile(rf"ove/{CLUSTER}/\d+-nncp-.*\.yaml$")
    changed = sorted(p for p in after if nncp.search(p) and before.get(p) != after[p])
    host = _phase(plan, "host", "nncp")
    listed = sorted(c["path"] for p in host for c in p["changes"])
    assert listed == changed
    nodes = [n["name"] for n in next(c for c in new["clusters"] if c["name"] == CLUSTER)["nodes"]]
    in_phase = {n for p in host for c in p["changes"] for n in c["nodes"]}
    unchanged = set(plan["nodes_without_change"].get(CLUSTER, []))
    assert in_phase | unchanged == set(nodes) and not in_phase & unchanged


def test_vlan_add_lists_exactly_the_new_nads(vlan_add, rendered):
    _old, _new, plan = vlan_add
    before, after = rendered
    nads = sorted(p for p in after if "-nad-" in p and before.get(p) != after[p])
    cluster = _phase(plan, "cluster", "NetworkAttachmentDefinition")
    listed = sorted(c["path"] for p in cluster for c in p["changes"] if c["kind"] == "NetworkAttachmentDefinition")
    assert listed == nads and nads and all(n.endswith("-vm-500.yaml") for n in nads)


def test_vlan_add_order_switch_cluster_vms_with_no_nncp_change(vlan_add):
    """ove-prod (OpenShift 4.18, dedicated VM bond): the NADs carry the VLAN id and the bridge mapping is
    shared, so adding a VLAN changes no NNCP: no host phase, every node listed as needing no change."""
    _old, _new, plan = vlan_add
    domains = [p["domain"] for p in plan["phases"]]
    assert domains == ["switch", "switch", "cluster", "vm"]
    assert len(plan["nodes_without_change"][CLUSTER]) == 120
    assert all(p["direction"] == "grow" for p in plan["phases"])
    assert plan["phases"][2]["precondition"]["domain"] == "switch"   # the trunk gate guards the NADs
    assert not plan["blast_radius"]["removes_traffic"]


def test_vlan_add_with_a_bridge_mapping_per_vlan_changes_the_group_nncp():
    """ove-edge (OpenShift 4.17, shared bond): one localnet bridge mapping per VLAN, so the group NNCP
    changes; one batch, rolled out by kubernetes-nmstate with the cluster's maxUnavailable."""
    old, new = dc1(), with_vlan500(cluster="ove-edge")
    plan = make_plan(old, new, {"remediation": False})
    assert not plan["failed"], plan["findings"][:3]
    assert [p["domain"] for p in plan["phases"]] == ["switch", "switch", "host", "cluster", "vm"]
    [host] = _phase(plan, "host", "nncp")
    assert [c["path"] for c in host["changes"]] == ["ove/ove-edge/10-nncp-ove-edge-vm-networks.yaml"]
    assert host["batches"][0]["rolled_by"] == "kubernetes-nmstate (maxUnavailable 1)"
    assert host["devices"] == [n["name"] for n in next(c for c in new["clusters"] if c["name"] == "ove-edge")["nodes"]]
    [trunks] = _phase(plan, "switch", "vlan")
    assert trunks["devices"] == _cabled_leaves(old, "ove-edge")


def test_vlan_remove_is_the_reverse(vlan_remove):
    plan = vlan_remove
    assert [p["domain"] for p in plan["phases"]] == ["vm", "cluster", "switch", "switch"]
    assert all(p["direction"] == "shrink" for p in plan["phases"] if p["domain"] != "vm")
    assert plan["blast_radius"]["removes_traffic"]
    assert plan["phases"][-1]["kinds"] == ["prefix-list"]   # the fabric forgets the subnet last


def test_batches_keep_pairs_apart_and_max_unavailable(vlan_add):
    _old, new, plan = vlan_add
    for phase in plan["phases"]:
        for batch in phase["batches"]:
            if phase["domain"] == "switch":
                sides = {d[:-1] for d in batch["devices"] if d.startswith("leaf")}
                assert len(sides) == len([d for d in batch["devices"] if d.startswith("leaf")])
            if phase["domain"] == "host":
                assert len(batch["nodes"]) <= 12   # 10% of 120 nodes
    assert not [f for f in plan["findings"] if f["rule"].startswith("PLAN")]


def test_vlan_add_commands_per_platform(vlan_add):
    _old, _new, plan = vlan_add
    [trunks] = _phase(plan, "switch", "vlan")
    steps = {d: s for b in trunks["batches"] for d, s in b["steps"].items()}
    eos, nxos = steps["leaf01a"], steps["leaf07a"]
    for step in (eos, nxos):
        assert step["tool"] == "hier_config"
        assert "vlan 500" in step["commands"]
        assert any(re.search(r"switchport trunk allowed vlan .*\b500\b", c) for c in step["commands"])
        assert not any("no switchport trunk allowed vlan" in c for c in step["commands"])   # replaced in place
        assert "no vlan 500" in step["rollback"]
    [policy] = _phase(plan, "switch", "prefix-list")
    frr = {d: s for b in policy["batches"] for d, s in b["steps"].items()}["leaf11a"]
    assert frr["tool"] == "frr-reload.py"
    assert any("10.65.244.0/24" in c for c in frr["commands"])
    assert any("10.65.244.0/24" in c for c in frr["rollback"]) and any(c.lstrip().startswith("no ") for c in frr["rollback"])


def test_plan_is_deterministic(vlan_add):
    old, new, plan = vlan_add
    again = make_plan(old, new, {"remediation": False})

    def strip(p):
        return json.dumps([{k: v for k, v in ph.items() if k != "batches"} for ph in p["phases"]], sort_keys=True)
    assert strip(again) == strip(plan)


@pytest.mark.parametrize("raise_it", [True, False], ids=["raise", "lower"])
def test_mtu_underlay_first_when_raised_last_when_lowered(raise_it):
    low = dc1()                                  # fabric 9216, bonds 9000
    high = jumbo_levels(dc1(), 9216, 9100)       # bonds raised to 9100 under the same underlay
    low = jumbo_levels(low, 9100, 9000)          # ... from an underlay at 9100
    plan = make_plan(low, high, {"remediation": False}) if raise_it else make_plan(high, low, {"remediation": False})
    assert not plan["failed"], plan["findings"][:3]
    phases = plan["phases"]
    hosts = [i for i, p in enumerate(phases) if p["domain"] == "host"]
    links = [i for i, p in enumerate(phases) if "fabric-link" in p["kinds"]]
    assert hosts and links
    if raise_it:       # the underlay (fabric links, then the leaf ports) before any host
        assert max(links) < min(hosts)
        assert all(p["direction"] == "grow" for p in phases)
    else:              # every host first, the underlay last
        assert min(links) > max(hosts)
        assert all(p["direction"] == "shrink" for p in phases)
    # the leaf ports a host is cabled to change on the same side of its host phase as the underlay
    cabled = {c["object"].split("/")[0] for p in phases if p["domain"] == "switch" for c in p["changes"]
              if c["kind"] == "port" and c["object"].startswith("leaf01a/")}
    assert cabled == {"leaf01a"}


@pytest.mark.parametrize("add", [True, False], ids=["add", "remove"])
def test_spine_peer_change_one_side_of_each_session_at_a_time(add):
    short, full = without_spine(dc1()), dc1()
    plan = make_plan(short, full, {"remediation": False}) if add else make_plan(full, short, {"remediation": False})
    assert not plan["failed"], plan["findings"][:3]
    where = {}
    for index, phase in enumerate(plan["phases"]):
        assert phase["domain"] == "switch"
        for change in phase["changes"]:
            if change["kind"] == "bgp-neighbor":
                where.setdefault(change["object"].split("/")[0], set()).add(index)
    spine = where.pop("spine4")
    leaves = set().union(*where.values())
    assert len(where) == 26 and spine and leaves and not spine & leaves   # every leaf of dc1 (13 pairs, the border pair included)
    # adding: the spine's side first, the leaves' after; removing: the leaves let go first
    assert (max(spine) < min(leaves)) if add else (max(leaves) < min(spine))
    assert plan["blast_radius"]["counts"]["sessions"] == 2 * 26 * 2   # both ends, IPv4 and IPv6 sessions
    for phase in plan["phases"]:
        for batch in phase["batches"]:
            leaves_in = [d for d in batch["devices"] if d.startswith("leaf")]
            assert len({d[:-1] for d in leaves_in}) == len(leaves_in)      # never both leaves of a pair
    assert not [f for f in plan["findings"] if f["rule"] == "PLAN004"]


def test_unchanged_model_gives_an_empty_plan():
    old = dc1()
    plan = make_plan(old, dc1(), {"remediation": False})
    assert plan["phases"] == [] and plan["counts"]["objects_changed"] == 0


def test_vlan_on_azure_local_changes_no_intent_and_lists_every_node():
    """Azure Local carries VM VLANs on logical networks, not in the Network ATC intents: no host phase; the
    logical network (ARM template) goes out after the trunks."""
    plan = make_plan(dc1(), with_vlan500(cluster="azl-a"), {"remediation": False})
    assert not plan["failed"], plan["findings"][:3]
    assert [p["domain"] for p in plan["phases"]] == ["switch", "switch", "cluster", "vm"]
    [lnet] = _phase(plan, "cluster", "ARM template")
    assert any(c["path"] == "azure_vms/azl-a/logical-networks.json" for c in lnet["changes"])
    assert any(a.startswith("az deployment group create") for a in lnet["batches"][0]["apply"])
    assert [p["devices"] for p in plan["phases"] if "vlan" in p["kinds"]] == [["leaf09a", "leaf09b"]]
    assert len(plan["nodes_without_change"]["azl-a"]) == 16


def test_intent_change_is_one_network_atc_batch_with_its_status_gate():
    old = dc1()
    new = copy.deepcopy(old)
    next(c for c in new["clusters"] if c["name"] == "azl-a")["intents"][0]["jumbo_packet"] = 9014
    plan = make_plan(old, new, {"remediation": False})
    assert not plan["failed"], plan["findings"][:3]
    [host] = [p for p in plan["phases"] if p["domain"] == "host"]
    [batch] = host["batches"]
    assert batch["rolled_by"].startswith("Network ATC") and len(batch["nodes"]) == 16
    assert "Get-NetIntentStatus -ClusterName azl-a -Name mgmt_compute" in [c["command"] for c in batch["gate"]["checks"]]
    assert {f["path"] for f in plan["install_time_files"]} == {"azure_local/azl-a/deploymentData.json",
                                                               "azure_local/azl-a/hostNetwork.json"}


def _doc_blocks(title):
    """The fenced blocks of docs/day2.md's section ``title`` (to the next heading of its level), as lists of lines."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    with open(os.path.join(root, "docs", "day2.md"), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    level = len(title.split()[0])
    blocks, block = [], None
    for line in lines[lines.index(title) + 1:]:
        if line.startswith("```"):
            if block is not None:
                blocks.append(block)
            block = [] if block is None else None
        elif block is not None:
            block.append(line)
        elif line.startswith("#") and len(line.split()[0]) <= level:
            break
    return blocks


def test_docs_day2_walkthrough_is_the_current_output(vlan_add):
    """docs/day2.md shows this plan's plan.md head and leaf01a's commands as they are generated now."""
    _old, _new, plan = vlan_add
    markdown = [line for line in writers.to_markdown(plan).splitlines() if line.strip()]
    walk = _doc_blocks("## Walk-through: VLAN 500 for a new application tier on ove-prod")
    head = [line for line in next(b for b in walk if b[0] == "## Blast radius") if line.strip()]
    assert head == markdown[markdown.index("## Blast radius"):][:len(head)]
    [trunks] = _phase(plan, "switch", "vlan")
    shown = next(b for b in _doc_blocks("### The commands of a switch step") if b[0] == "vlan 500")
    commands = trunks["batches"][0]["steps"]["leaf01a"]["commands"]
    cut = shown.index(next(line for line in shown if line.startswith("...")))
    # the doc shows the first lines, elides the repeated port-channels, then shows the rest to the end
    assert shown[:cut] == commands[:cut] and shown[cut + 1:] == commands[-len(shown[cut + 1:]):]
    elided = commands[cut:len(commands) - len(shown[cut + 1:])]
    assert elided[0::2] == [f"interface Port-Channel{n}" for n in range(18, 32)]
    assert set(elided[1::2]) == {shown[cut - 1]}
    assert len(trunks["devices"]) == 16 and [p["domain"] for p in plan["phases"]] == ["switch", "switch", "cluster", "vm"]


def test_eos_gates_run_the_catalogue_the_render_writes(vlan_add):
    """Every ANTA gate names a file the ``catalogues`` target renders for that device (same build tree)."""
    _old, new, plan = vlan_add
    gates = [c for ph in plan["phases"] for b in ph.get("batches", []) for c in (b.get("gate") or {}).get("checks", [])
             if c.get("tool") == "anta"]
    assert gates, "the VLAN 500 plan has EOS leaves: it must gate them with ANTA"
    files = pipeline.build(new, from_vars=False, targets=["catalogues"])["files"]
    for gate in gates:
        rel = gate["catalogue"].split("/", 2)[2]   # build/<site>/<rel>
        assert rel in files, (gate["catalogue"], sorted(files)[:5])
        assert files[rel].startswith("#") or "anta.tests" in files[rel]
