# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Day-2 plans: from two models to ordered, gated phases (docs/day2.md).

    load + facts + design both models    (the pipeline's own stages; the target model is checked)
    objects                              objects.py (switches), hosts.py (rendered host/cluster files)
    changes                              diff.py: added / removed / changed, grow or shrink
    order                                order.py: edges -> ranks -> phases -> batches
    steps                                remediation.py (device commands per phase), gates.py
    rules                                rules.py (the plan family of checks/plan.py)
    summary                              summary.py: model change, blast radius
    write                                writers.py: plan.json, plan.md

``make_plan(raw_from, raw_to)`` is pure (no Ansible); the action plugin
``dcnet.fabric.plan`` and the benchmarks call it.
"""

from __future__ import annotations

import re

from ..checks import run_checks
from ..design import design, site_facts
from ..errors import DcnetError
from ..findings import ModelError, sort_findings
from ..model.loader import load_model
from ..render.switches import device_renderer
from . import diff, gates, hosts, objects, order, remediation, rules, steps, summary
from .objects import CLUSTER, HOST, INSTALL, SWITCH

_IFACE = re.compile(r"^\s*- name: (\S+)\n\s+type: ", re.M)  # an interface entry of an NMState document
OPTIONS = {"switch_batching": "rolling", "node_batch": None, "remediation": True, "site_label": None}


class PlanError(DcnetError):
    """A side of the plan cannot be built (its model has errors); ``findings`` holds them."""

    def __init__(self, side, findings):
        self.side, self.findings = side, findings
        lines = "\n".join(str(f) for f in findings[:20])
        super().__init__(f"plan_{side}: the model has {len(findings)} error(s):\n{lines}")


def _side(raw, label, check):
    try:
        model = load_model(raw)
        facts = site_facts(model)
    except ModelError as exc:
        raise PlanError(label, list(exc.findings)) from None
    # the target is checked like a render (the checks read every part of the design); the running side's
    # devices are all a plan compares
    designed = design(model, facts, services_too=check)
    findings = []
    if check:
        active, _waived = run_checks(model, facts, designed)
        findings = list(active)
    return {"model": model, "facts": facts, "design": designed, "findings": findings}


def _changed_names(old: dict, new: dict) -> list:
    return sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n))


def _changed_clusters(old_d: dict, new_d: dict) -> list:
    out = set(_changed_names(old_d["clusters"], new_d["clusters"]))
    for name in _changed_names(old_d["nodes"], new_d["nodes"]):
        for side in (old_d, new_d):
            if name in side["nodes"]:
                out.add(side["nodes"][name]["cluster"])
    return sorted(out)


def build_objects(side: dict, switches: list, clusters: list) -> dict:
    designed = side["design"]
    out = {}
    for name in switches:
        if name in designed["switches"]:
            out.update(objects.switch_objects(name, designed["switches"][name]))
    objects.session_edges(out, designed["switches"])
    documents = hosts.render_clusters(side["model"], side["facts"], designed, clusters)
    out.update(hosts.host_objects(documents, designed))
    return out


def make_plan(raw_from: dict, raw_to: dict, options=None) -> dict:
    """The plan from the model ``raw_from`` (running today) to ``raw_to`` as a plain dict (plan.json)."""
    opts = {**OPTIONS, **(options or {})}
    old, new = _side(raw_from, "from", False), _side(raw_to, "to", True)
    old_d, new_d = old["design"], new["design"]
    switches = _changed_names(old_d["switches"], new_d["switches"])
    clusters = _changed_clusters(old_d, new_d)
    old_objs = build_objects(old, switches, clusters)
    new_objs = build_objects(new, switches, clusters)
    changes = diff.changes(old_objs, new_objs)
    _host_directions(changes, old_d, new_d)
    before = order.edges(changes, old_objs, new_objs)
    rank, cyclic = order.ranks(before)
    grouped = order.phases([c for c in changes if c["key"][0] != INSTALL], before, rank)
    model_change = summary.model_change(old["model"], new["model"], old["facts"], new["facts"])
    site = opts["site_label"] or new["model"].site["name"]
    phases = []
    for group in grouped:
        phases.append(_phase(group, old, new, opts, site, old_objs, new_objs))
    if opts["remediation"]:
        steps.switch_commands(phases, old_d["switches"], new_d["switches"], old_objs, new_objs)
    for phase in phases:
        phase.pop("_changes", None)
    phases = _vm_phases(phases, model_change, old, new)
    for index, phase in enumerate(phases, start=1):
        phase["number"] = index
        phase["precondition"] = phases[index - 2]["gate_summary"] if index > 1 else None
    findings = list(new["findings"]) + rules.plan_findings(phases, old, new, model_change, opts)
    in_host = {n for c in changes if c["key"][0] == HOST for n in (c["new"] or c["old"]).get("nodes") or []}
    unchanged = {name: [n for n in (new_d["clusters"].get(name) or old_d["clusters"][name])["nodes"] if n not in in_host]
                 for name in clusters}
    install = [{"cluster": (c["new"] or c["old"]).get("cluster"), "path": (c["new"] or c["old"]).get("path"),
                "action": c["action"]} for c in changes if c["key"][0] == INSTALL]
    return {
        "site": new["model"].site["name"],
        "model_change": model_change,
        "blast_radius": summary.blast_radius(changes, model_change, old["model"], new["model"]),
        "phases": phases,
        "nodes_without_change": {k: v for k, v in unchanged.items() if v},
        "install_time_files": install,
        "unordered": [list(k) for k in cyclic],
        "findings": [f.as_dict() for f in sort_findings(findings)],
        "failed": any(f.severity == "error" for f in findings),
        "counts": {"objects_changed": len(changes), "phases": len(phases), "switches": len(switches),
                   "clusters": len(clusters)},
    }


def _host_directions(changes, old_d, new_d):
    """Host and cluster documents are compared as text; which way they go is read from the cluster's design."""
    memo = {}
    for change in changes:
        if change["key"][0] not in (HOST, CLUSTER) or change["action"] != "change":
            continue
        cluster = (change["new"] or change["old"]).get("cluster")
        if cluster not in memo:
            def cut(d):
                return {"cluster": d["clusters"].get(cluster),
                        "nodes": {n: c for n, c in d["nodes"].items() if c.get("cluster") == cluster}}
            memo[cluster] = diff.direction(cut(old_d), cut(new_d))
        change["direction"] = memo[cluster]


# --------------------------------------------------------------------------------------------- phases
def _kinds(group):
    seen = []
    for change in group:
        kind = change["key"][2]
        if kind not in seen:
            seen.append(kind)
    return seen


def _direction(group):
    dirs = {c["direction"] for c in group}
    return "shrink" if dirs == {"shrink"} else "grow" if dirs <= {"grow"} else "mixed"


def _change_row(change):
    obj = change["new"] or change["old"]
    row = {"object": "/".join(str(k) for k in change["key"][1:]), "kind": change["key"][2], "action": change["action"],
           "direction": change["direction"],
           "fields": diff.fields(change["old"] and change["old"]["value"], change["new"] and change["new"]["value"])}
    if obj.get("nodes"):
        row["nodes"] = list(obj["nodes"])
    if obj.get("path"):
        row["path"] = obj["path"]
    return row


def _phase(group, old, new, opts, site, old_objs, new_objs):
    domain = group[0]["key"][0]
    phase = {"domain": domain, "direction": _direction(group), "kinds": _kinds(group),
             "changes": [_change_row(c) for c in group]}
    if domain == SWITCH:
        devices = sorted({c["key"][1] for c in group})
        configs = {d: new["design"]["switches"].get(d) or old["design"]["switches"][d] for d in devices}
        phase["devices"] = devices
        phase["batches"] = []
        for batch in order.switch_batches(devices, configs, opts["switch_batching"]):
            mine = [c for c in group if c["key"][1] in batch]
            phase["batches"].append({"devices": batch,
                                     "gate": gates.switch_gate(site, batch, configs, mine)})
        phase["_changes"] = group
    elif domain == HOST:
        sizes = {name: len(cfg["nodes"]) for name, cfg in new["design"]["clusters"].items()}
        sizes.update({name: len(cfg["nodes"]) for name, cfg in old["design"]["clusters"].items() if name not in sizes})
        phase["devices"] = sorted({n for c in group for n in (c["new"] or c["old"]).get("nodes") or []})
        phase["batches"] = []
        for batch in order.host_batches(group, sizes, opts["node_batch"]):
            nodes = sorted({n for c in batch["changes"] for n in (c["new"] or c["old"]).get("nodes") or []})
            phase["batches"].append({
                "cluster": batch["cluster"], "limit": batch["limit"],
                "rolled_by": batch.get("rolled_by"), "nodes": nodes,
                "apply": [_host_apply(site, c) for c in batch["changes"]],
                "notes": [n for c in batch["changes"] for n in _absent_notes(c)],
                "gate": gates.host_gate(site, batch)})
    else:
        phase["devices"] = sorted({(c["new"] or c["old"]).get("cluster") for c in group})
        phase["batches"] = [{"clusters": phase["devices"],
                             "apply": [_cluster_apply(site, c) for c in group],
                             "gate": gates.cluster_gate(group)}]
    phase["title"] = _title(phase)
    phase["gate_summary"] = _gate_summary(phase)
    return phase


def _host_apply(site, change):
    obj = change["new"] or change["old"]
    path = f"build/{site}/{obj['path']}"
    kind = change["key"][2]
    if kind == "nncp":
        return f"oc delete -f {path}" if change["action"] == "remove" else f"oc apply -f {path}"
    if kind == "atc-intents":
        return f"powershell -File {path} (on one node of {obj['cluster']}; Network ATC applies the intents node by node)"
    return f"nmstatectl apply {path} (on {', '.join(obj.get('nodes') or [])})"


def _absent_notes(change):
    """nmstate keeps interfaces a desired state no longer lists: say which ones need ``state: absent``."""
    if change["action"] != "change" or change["key"][2] not in ("nncp", "nmstate"):
        return []

    def names(text):
        return set(_IFACE.findall(text or ""))
    gone = sorted(names(change["old"]["value"]) - names(change["new"]["value"]))
    return [f"{change['key'][1]}: interface {name} leaves the desired state; nmstate keeps it unless a policy "
            f"lists it with state: absent" for name in gone]


def _cluster_apply(site, change):
    obj = change["new"] or change["old"]
    path = f"build/{site}/{obj['path']}"
    kind = change["key"][2]
    if kind == "ARM template":
        return (f"az deployment group create --resource-group <resource group of {obj['cluster']}> --template-file {path}"
                + (" (what it removes: delete those resources)" if change["action"] == "remove" else ""))
    if kind in ("Bicep", "script"):
        return f"{path}: the same resources as the ARM template beside it ({kind}), for those who deploy that way"
    verb = "delete" if change["action"] == "remove" else "apply"
    return f"oc {verb} -f {path}"


def _title(phase):
    what = ", ".join(phase["kinds"])
    count = len(phase["devices"])
    noun = {SWITCH: "switch", HOST: "node", CLUSTER: "cluster"}[phase["domain"]]
    verb = {"grow": "add/raise", "shrink": "remove/lower", "mixed": "change"}[phase["direction"]]
    plural = "" if count == 1 else "es" if noun == "switch" else "s"
    return f"{phase['domain']} side: {verb} {what} on {count} {noun}{plural}"


def _gate_summary(phase):
    return {"phase_title": phase["title"], "domain": phase["domain"],
            "batches": [b["gate"] for b in phase["batches"]]}


def _vm_phases(phases, change, old, new):
    """VMs are the last users of a new network and the first to let go of a removed one."""
    added, removed = set(), set()
    for cluster, delta in change.get("cluster_networks", {}).items():
        added |= {(cluster, n) for n in delta["added"]}
        removed |= {(cluster, n) for n in delta["removed"]}
    attach = [{"vm": vm["name"], "cluster": vm.get("cluster"), "nic": nic["name"], "network": nic["network"]}
              for vm in new["model"].vms.values() for nic in vm.get("nics") or []
              if (vm.get("cluster"), nic.get("network")) in added]
    detach = [{"vm": vm["name"], "cluster": vm.get("cluster"), "nic": nic["name"], "network": nic["network"]}
              for vm in old["model"].vms.values() for nic in vm.get("nics") or []
              if (vm.get("cluster"), nic.get("network")) in removed]
    out = list(phases)
    if removed:
        out.insert(0, {"domain": "vm", "direction": "shrink", "kinds": ["vm-nic"], "devices": sorted({d["vm"] for d in detach}),
                       "title": f"VMs let go of {', '.join(sorted(n for _c, n in removed))}", "changes": [],
                       "vm_nics": detach, "batches": [],
                       "gate_summary": {"phase_title": "VMs detached", "domain": "vm",
                                        "batches": [{"kind": "vms", "checks": [
                                            {"tool": "model", "check": "no VM NIC of dcnet_vms on the removed networks "
                                                                       "(the rule on VLANs still in use, on the target model)"}]}]}})
    if added:
        out.append({"domain": "vm", "direction": "grow", "kinds": ["vm-nic"], "devices": sorted({a["vm"] for a in attach}),
                    "title": f"VMs may attach to {', '.join(sorted(n for _c, n in added))}", "changes": [],
                    "vm_nics": attach, "batches": [],
                    "gate_summary": {"phase_title": "VMs may attach", "domain": "vm", "batches": []}})
    return out


__all__ = ["make_plan", "PlanError", "gates", "remediation"]
