"""The whole run, stage by stage, with a checkpoint after each.

    load + validate -> site facts -> checks -> design -> render -> write

Any error stops the run at its checkpoint: reports are written, artifacts are
not.  ``run`` is what the action plugins and the benchmarks call; it needs
no Ansible.
"""

from __future__ import annotations

import os

from . import report
from .checks import all_rules, run_checks
from .design import design, site_facts
from .errors import DcnetError
from .fileio import plan_tree, write_tree
from .findings import ModelError
from .model.loader import load_model, model_from_vars
from .render.base import RenderContext
from .render.registry import RENDERERS

REPORT_FILES = ("report.json", "report.md", "report.html")


def _site_name(raw):
    site = raw.get("site") if isinstance(raw, dict) else None
    name = site.get("name") if isinstance(site, dict) else None
    return name if isinstance(name, str) and name.replace("-", "").replace("_", "").isalnum() else "unknown-site"


def build(variables: dict, from_vars: bool = True, today=None, targets=None):
    """Validate, check, design and render in memory. Returns a result dict (never writes)."""
    if from_vars:
        raw, extra = model_from_vars(variables)
    else:
        raw, extra = variables, []
    rules = {r.id: {"title": r.title, "severity": r.severity, "family": r.family} for r in all_rules().values()}
    result = {"site": _site_name(raw), "findings": [], "waived": [], "files": {}, "modes": {}, "stage": "validate",
              "device_counts": {}, "rules": rules}
    try:
        model = load_model(raw, extra)
        result["stage"] = "design"
        facts = site_facts(model)
    except ModelError as exc:
        result["findings"] = [f.as_dict() for f in exc.findings]
        result["stage"] = exc.stage
        return result
    result["stage"] = "checks"
    active, waived = run_checks(model, facts, today)
    result["findings"] = [f.as_dict() for f in active]
    result["waived"] = [{**f.as_dict(), "reason": w["reason"], "expires": w["expires"]} for f, w in waived]
    designed = design(model, facts)
    result["design"] = designed
    result["device_counts"] = {"switches": len(designed["switches"]), "nodes": len(designed["nodes"]),
                               "clusters": len(designed["clusters"])}
    result["report_facts"] = _report_facts(model, facts)
    if any(f["severity"] == "error" for f in result["findings"]):
        return result
    result["stage"] = "render"
    ctx = RenderContext(model, facts, designed, model.site["name"])
    files, modes, owners = {}, {}, {}
    try:
        for target, renderer in RENDERERS:
            if targets and target not in targets:
                continue
            for art in renderer(ctx):
                if art.path in files:
                    raise DcnetError(f"two renderers produced {art.path}")
                files[art.path] = art.content
                modes[art.path] = art.mode
                owners[art.path] = target
    except ModelError as exc:
        result["findings"] += [f.as_dict() for f in exc.findings]
        return result
    result["files"], result["modes"], result["owners"] = files, modes, owners
    return result


def _report_facts(model, facts) -> dict:
    """Short tables for the report: the fabric at a glance."""
    rows = []
    for name, sw in sorted(facts.switches.items(), key=lambda kv: (kv[1]["role"] != "spine", kv[0])):
        rows.append({"device": name, "role": sw["role"], "platform": sw["platform"], "asn": sw["asn"],
                     "loopback": sw["loopback4"], "host ports": len(facts.host_ports.get(name, {})),
                     "vlans": len(facts.leaf_vlans.get(name, []))})
    return {"Switches": rows}


def add_reports(result: dict) -> None:
    result["files"]["report.json"] = report.to_json(result)
    result["files"]["report.md"] = report.to_markdown(result)
    result["files"]["report.html"] = report.to_html(result)
    for name in REPORT_FILES:
        result.setdefault("owners", {})[name] = "report"


def run(variables: dict, build_root: str, check_mode: bool = False, diff: bool = False, from_vars: bool = True,
        today=None, targets=None, write_artifacts: bool = True) -> dict:
    """Build, then write build_root/<site>/ atomically (reports always; artifacts only without errors).

    ``targets`` limits rendering to some renderers (names in render.registry);
    validation and checks always cover the whole site.
    """
    unknown = sorted(set(targets or ()) - {entry[0] for entry in RENDERERS})
    if unknown:
        raise DcnetError(f"unknown render target(s) {', '.join(unknown)}; known: "
                         f"{', '.join(entry[0] for entry in RENDERERS)}")
    result = build(variables, from_vars=from_vars, today=today, targets=targets)
    failed = any(f["severity"] == "error" for f in result["findings"])
    root = os.path.join(build_root, result["site"])
    if failed or not write_artifacts:
        # keep the previous artifacts: only the reports are replaced
        result["files"] = {}
        add_reports(result)
        reports = {k: v for k, v in result["files"].items() if k in REPORT_FILES}
        plan = plan_tree(root, reports) if check_mode else _write_reports(root, reports)
    else:
        add_reports(result)
        owners = result["owners"]
        plan = plan_tree(root, result["files"], result["modes"], diff_lines=200 if diff else 0, owners=owners)
        if not check_mode:
            diffs = plan["diffs"]
            plan = write_tree(root, result["files"], result["modes"], owners=owners)
            plan["diffs"] = diffs
    result["root"] = root
    result["plan"] = plan
    result["failed"] = failed
    result["changed"] = bool(plan["created"] or plan["changed"] or plan["removed"])
    result["summary"] = report.summary_line(result)
    return result


def _write_reports(root, reports):
    from .fileio import atomic_write
    plan = plan_tree(root, reports)
    for rel in plan["created"] + plan["changed"]:
        atomic_write(os.path.join(root, rel), reports[rel])
    plan["removed"] = []
    return plan
