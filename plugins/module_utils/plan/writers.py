# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""plan.json (the whole plan, for machines and the apply tooling) and plan.md (for the people who approve it).

Both are deterministic (sorted keys, stable order) and written atomically
(fileio.write_files), so a second run with the same models changes nothing.
"""

from __future__ import annotations

import json

from .. import fileio
from ..render.base import to_yaml
from ..vlans import ranges_text

STRUCTURED_HEADER = ("# Structured config of {device} after phase {phase} of this plan: what the phase's gate\n"
                     "# (dcnet.fabric.fabric_state, structured:) compares the running switch with.\n")

MD_COMMANDS = 40   # command lines per device shown in plan.md (plan.json has all)
MD_ROWS = 30       # objects listed per phase in plan.md


def split_files(plan: dict) -> tuple:
    """(plan without the steps' whole configs, {relative path: text}): each switch step's config after the step
    goes to ``steps/phase-<n>/<device>.<suffix>`` (what ``frr-reload --reload`` or a config replace applies)
    and its structured config to ``steps/phase-<n>/<device>.yml`` (what the gate compares with)."""
    files, phases = {}, []
    for phase in plan["phases"]:
        batches = []
        for batch in phase.get("batches") or []:
            steps = {}
            for device, step in (batch.get("steps") or {}).items():
                step = dict(step)
                intended = step.pop("intended", None) or {}
                config = step.pop("config", None)
                step["files"] = {}
                if config:
                    rel = f"steps/phase-{phase['number']}/{device}.yml"
                    files[rel] = to_yaml(config, STRUCTURED_HEADER.format(device=device, phase=phase["number"]))
                    step["files"]["structured"] = rel
                for suffix, text in sorted(intended.items()):
                    rel = f"steps/phase-{phase['number']}/{device}.{suffix}"
                    files[rel] = text
                    step["files"][suffix] = rel
                steps[device] = step
            batches.append({**batch, "steps": steps} if "steps" in batch else batch)
        phases.append({**phase, "batches": batches})
    return {**plan, "phases": phases}, files


def to_json(plan: dict) -> str:
    return json.dumps(split_files(plan)[0], indent=1, sort_keys=True, default=str) + "\n"


def _model_change(change):
    out = ["## Model change", ""]
    if not change:
        return out + ["No change between the two models.", ""]
    out += ["| section | added | removed | changed |", "|---|---|---|---|"]
    for section in sorted(change):
        delta = change[section]
        if section == "cluster_networks":
            for cluster, d in sorted(delta.items()):
                out.append(f"| networks of cluster {cluster} | {', '.join(map(str, d['added'])) or '-'} | "
                           f"{', '.join(map(str, d['removed'])) or '-'} | - |")
            continue
        changed = delta.get("changed") or {}
        changed_text = "; ".join(f"{k} ({', '.join(v)})" for k, v in list(changed.items())[:10]) or "-"
        if len(changed) > 10:
            changed_text += f"; ... {len(changed) - 10} more"
        out.append(f"| {section} | {_names(delta.get('added'))} | {_names(delta.get('removed'))} | {changed_text} |")
    return out + [""]


def _names(items, limit=12):
    items = [str(i) for i in items or []]
    if not items:
        return "-"
    return ", ".join(items[:limit]) + (f" (+{len(items) - limit})" if len(items) > limit else "")


def _blast(radius):
    counts = radius["counts"]
    out = ["## Blast radius", "",
           f"- switches: **{counts['switches']}** ({_names(radius['switches'])})",
           f"- switch ports: **{counts['ports']}**",
           f"- BGP sessions (ends): **{counts['sessions']}**",
           f"- nodes: **{counts['nodes']}** ({_names(radius['nodes'])})",
           f"- VMs on the networks this plan touches (dcnet_vms): **{counts['vms']}** ({_names(radius['vms'])})",
           f"- removes a traffic-carrying object: **{'yes' if radius['removes_traffic'] else 'no'}**"]
    for item in radius["traffic_removed"][:MD_ROWS]:
        out.append(f"  - {item['object']} ({item['action']}, {item['direction']})")
    if len(radius["traffic_removed"]) > MD_ROWS:
        out.append(f"  - ... {len(radius['traffic_removed']) - MD_ROWS} more (plan.json)")
    return out + [""]


def _gate_lines(gate):
    out = []
    for check in gate.get("checks") or []:
        if check.get("command"):
            out.append(f"  - `{check['command']}`" + (f" (expect: {check['expect']})" if check.get("expect") else ""))
        elif check.get("commands"):
            out.append(f"  - {check['device']}: " + "; ".join(f"`{c}`" for c in check["commands"][:6]))
        elif check.get("tool") == "kubernetes.core.k8s_info":
            args = check["args"]
            out.append(f"  - kubernetes.core.k8s_info {args['kind']} `{args['name']}` until {args['wait_condition']['type']}")
        elif check.get("tool") == "dcnet.fabric.fabric_state":
            out.append(f"  - {check['device']}: dcnet.fabric.fabric_state (sessions, BFD, routes; wait {check['args']['wait']} s)")
        elif check.get("check"):
            out.append(f"  - {check['check']}")
    for device, want in sorted((gate.get("expect") or {}).items()):
        ports = [f"{p} VLANs {ranges_text(tuple(s['allowed_vlans']))}" if s else f"{p} gone"
                 for p, s in sorted(want["ports"].items())[:3]]
        more = f" (+{len(want['ports']) - 3} ports)" if len(want["ports"]) > 3 else ""
        out.append(f"  - {device} shows: {'; '.join(ports)}{more}")
    return out


def _phase(phase):
    out = [f"### Phase {phase['number']}: {phase['title']}", "",
           f"Direction: {phase['direction']}. "
           + (f"Before it: the gate of phase {phase['number'] - 1} passes." if phase["number"] > 1 else "First phase."), ""]
    if phase.get("vm_nics") is not None:
        for nic in phase["vm_nics"][:MD_ROWS]:
            out.append(f"- {nic['vm']} {nic['nic']} on {nic['network']} ({nic['cluster']})")
        if not phase["vm_nics"]:
            out.append("- no VM of dcnet_vms uses these networks yet")
        return out + [""]
    out += ["| object | action | change |", "|---|---|---|"]
    for row in phase["changes"][:MD_ROWS]:
        out.append(f"| {row['object']} | {row['action']} | {'<br>'.join(_cell(f) for f in row['fields'][:4])} |")
    if len(phase["changes"]) > MD_ROWS:
        out.append(f"| ... {len(phase['changes']) - MD_ROWS} more (plan.json) | | |")
    out.append("")
    for index, batch in enumerate(phase["batches"], start=1):
        who = batch.get("devices") or batch.get("nodes") or batch.get("clusters") or []
        rolled = f" — rolled out by {batch['rolled_by']}" if batch.get("rolled_by") else ""
        out.append(f"**Batch {index}** ({_names(who, 16)}){rolled}")
        out.append("")
        same = {}   # devices whose commands are the same are shown once
        for device, step in sorted((batch.get("steps") or {}).items()):
            same.setdefault((step["tool"], tuple(step["commands"])), []).append((device, step))
        for (tool, commands), devices in same.items():
            names = ", ".join(d for d, _s in devices)
            out += [f"{names} ({tool}; rollback in plan.json):", "", "```"]
            out += list(commands[:MD_COMMANDS])
            if len(commands) > MD_COMMANDS:
                out.append(f"! ... {len(commands) - MD_COMMANDS} more lines in plan.json")
            out += ["```", ""]
            for device, step in devices:
                if step.get("interfaces"):
                    out += [f"{device} /etc/network/interfaces: {len(step['interfaces']['write'])} stanza(s) to write, "
                            f"then `ifreload -a`", ""]
        for command in (batch.get("apply") or [])[:MD_ROWS]:
            out.append(f"- `{command}`")
        for note in batch.get("notes") or []:
            out.append(f"- note: {note}")
        out += ["", "Gate:"] + _gate_lines(batch["gate"]) + [""]
    return out


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: dict, label_from: str = "", label_to: str = "") -> str:
    out = [f"# Day-2 plan for site {plan['site']}", ""]
    if label_from or label_to:
        out += [f"From `{label_from}` to `{label_to}`.", ""]
    errors = [f for f in plan["findings"] if f["severity"] == "error"]
    plan_rules = [f for f in plan["findings"] if f["rule"].startswith("PLAN")]
    if errors:
        out += ["**This plan must not be applied:**", ""]
        out += [f"- {f['rule']} {f['path']}: {f['message']}" for f in errors[:MD_ROWS]] + [""]
    elif plan_rules:
        out += [f"- {f['rule']} ({f['severity']}) {f['path']}: {f['message']}" for f in plan_rules] + [""]
    out += _blast(plan["blast_radius"]) + _model_change(plan["model_change"])
    out += ["## Phases", ""]
    if not plan["phases"]:
        out += ["Nothing to apply.", ""]
    for phase in plan["phases"]:
        out += _phase(phase)
    unchanged = plan.get("nodes_without_change") or {}
    if unchanged:
        out += ["## Nodes that need no change", ""]
        out += [f"- {cluster}: {', '.join(nodes)}" for cluster, nodes in sorted(unchanged.items())] + [""]
    if plan.get("install_time_files"):
        out += ["## Install-time files that change (not applied on a running cluster)", ""]
        out += [f"- {f['path']} ({f['action']})" for f in plan["install_time_files"]] + [""]
    return "\n".join(out).rstrip() + "\n"


def write(plan: dict, folder: str, check_mode: bool = False, label_from: str = "", label_to: str = "") -> dict:
    """Write plan.json and plan.md into ``folder`` atomically; returns fileio's plan (created/changed/unchanged)."""
    lean, files = split_files(plan)
    files["plan.json"] = json.dumps(lean, indent=1, sort_keys=True, default=str) + "\n"
    files["plan.md"] = to_markdown(plan, label_from, label_to)
    owners = {path: "plan" for path in files}
    written = fileio.plan_tree(folder, files, owners=owners)
    if not check_mode:
        fileio.write_files(folder, files, None, written)
        fileio.finish_tree(folder, owners, written["removed"])
    return written
