"""The whole run as a list of stages, each a function of the previous one's data.

    load      model/loader.py    raw variables -> Model           (schema, references; checkpoint)
    facts     design/facts.py    Model -> SiteFacts               (allocation, both ends; checkpoint)
    design    design/__init__.py Model, SiteFacts -> structured config of every device, once
    checks    checks/            Model, SiteFacts, design -> findings  (checkpoint: errors stop here)
    render    render/registry.py design -> {path: text}           (pure: raises only on engine bugs)
    write     fileio.py          {path: text} -> build/<site>/    (atomic, only what changed)

An error stops the run at its checkpoint: the reports are written, the
artifacts are not, so a failed run leaves the previous tree intact.  ``run``
is what the action plugins and the benchmarks call; ``build`` stops before
writing and returns the files in memory.  Nothing here needs Ansible.
"""

from __future__ import annotations

import contextlib
import gc
import os

from . import report
from .checks import all_rules, run_checks
from .design import design, site_facts
from .errors import DcnetError
from .fileio import finish_tree, plan_files, plan_tree, write_files
from .findings import ModelError
from .model.loader import load_model, model_from_vars
from .path import report_rows as path_report_rows
from .render.base import RenderContext
from .render.registry import RENDERERS

REPORT_FILES = ("report.json", "report.md", "report.html")
DIFF_LIMIT = 200  # files whose diff a --diff run returns


def build(variables: dict, from_vars: bool = True, today=None, targets=None, render: bool = True) -> dict:
    """Load, derive, design, check and (without errors) render, in memory.  Returns the result dict."""
    with _collector_paused():
        return _build(variables, from_vars, today, targets, render)


def _build(variables, from_vars, today, targets, render):
    """The stages of build() (the caller pauses the collector: tests and plays build many sites per process)."""
    raw, extra = model_from_vars(variables) if from_vars else (variables, [])
    result = _new_result(raw)
    try:
        model = load_model(raw, extra, measured=from_vars)
        result["stage"] = "design"
        facts = site_facts(model)
    except ModelError as exc:
        result["findings"] = [f.as_dict() for f in exc.findings]
        result["stage"] = exc.stage
        return result
    designed = design(model, facts)
    result["stage"] = "checks"
    active, waived = run_checks(model, facts, designed, today)
    result["findings"] = [f.as_dict() for f in active]
    result["waived"] = [{**f.as_dict(), "reason": w["reason"], "expires": w["expires"]} for f, w in waived]
    _record_design(result, model, facts, designed)
    if render and not _has_errors(result):
        result["stage"] = "render"
        ctx = RenderContext(model, facts, designed, model.site["name"])
        result["files"], result["modes"], result["owners"] = render_files(ctx, targets)
    return result


def run(variables: dict, build_root: str, check_mode: bool = False, diff: bool = False, from_vars: bool = True,
        today=None, targets=None, write_artifacts: bool = True) -> dict:
    """Build, then write build_root/<site>/ atomically (reports always; artifacts only without errors).

    ``targets`` limits rendering to some renderers (names in render.registry);
    validation and checks always cover the whole site.  The returned result
    lists the files in ``paths``; their contents stay on disk (``build``
    returns them in memory).
    """
    unknown = sorted(set(targets or ()) - {entry[0] for entry in RENDERERS})
    if unknown:
        raise DcnetError(f"unknown render target(s) {', '.join(unknown)}; known: "
                         f"{', '.join(entry[0] for entry in RENDERERS)}")
    with _collector_paused():
        result = build(variables, from_vars, today, targets, render=write_artifacts)
        root = os.path.join(build_root, result["site"])
        _write(result, root, check_mode, diff, write_artifacts)
        return _finish(result, root)


def render_files(ctx, targets=None):
    """({path: content}, {path: mode}, {path: target}) of every rendered file.

    Renderers only lay out the design: they raise nothing but engine bugs.
    """
    files, modes, owners = {}, {}, {}
    for target, renderer in RENDERERS:
        if targets and target not in targets:
            continue
        for art in renderer(ctx):
            if art.path in files:
                raise DcnetError(f"two renderers produced {art.path}")
            files[art.path] = art.content
            modes[art.path] = art.mode
            owners[art.path] = target
    return files, modes, owners


def add_reports(result: dict) -> None:
    result["files"]["report.json"] = report.to_json(result)
    result["files"]["report.md"] = report.to_markdown(result)
    result["files"]["report.html"] = report.to_html(result)
    for name in REPORT_FILES:
        result.setdefault("owners", {})[name] = "report"


# ------------------------------------------------------------------------------------------------ helpers
def _site_name(raw):
    site = raw.get("site") if isinstance(raw, dict) else None
    name = site.get("name") if isinstance(site, dict) else None
    return name if isinstance(name, str) and name.replace("-", "").replace("_", "").isalnum() else "unknown-site"


def _new_result(raw) -> dict:
    rules = {r.id: {"title": r.title, "severity": r.severity, "family": r.family} for r in all_rules().values()}
    return {"site": _site_name(raw), "findings": [], "waived": [], "files": {}, "modes": {}, "stage": "validate",
            "device_counts": {}, "rules": rules}


def _has_errors(result: dict) -> bool:
    return any(f["severity"] == "error" for f in result["findings"])


def _record_design(result: dict, model, facts, designed) -> None:
    result["design"] = designed
    result["device_counts"] = {"switches": len(designed["switches"]), "nodes": len(designed["nodes"]),
                               "clusters": len(designed["clusters"])}
    result["report_facts"] = _report_facts(model, facts)
    result["report_facts"]["Paths"] = path_report_rows(model, facts, designed)  # path/report.py


def _report_facts(model, facts) -> dict:
    """Short tables for the report: the fabric at a glance."""
    rows = []
    for name, sw in sorted(facts.switches.items(), key=lambda kv: (kv[1]["role"] != "spine", kv[0])):
        rows.append({"device": name, "role": sw["role"], "platform": sw["platform"], "asn": sw["asn"],
                     "loopback": sw["loopback4"], "host ports": len(facts.host_ports.get(name, {})),
                     "vlans": len(facts.leaf_vlans.get(name, []))})
    return {"Switches": rows}


@contextlib.contextmanager
def _collector_paused():
    """The site is millions of small acyclic containers: the cyclic garbage collector would walk them
    again and again while they are built (10-15% of a large run).  Paused for the run, then restored."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _write(result, root, check_mode, diff, write_artifacts):
    """The reports always; the artifacts only without errors (the previous tree stays otherwise)."""
    if _has_errors(result) or not write_artifacts:
        result["files"], result["owners"] = {}, {}
        add_reports(result)
        result["plan"] = plan_files(root, result["files"])
        if not check_mode:
            write_files(root, result["files"], None, result["plan"])
        return
    add_reports(result)
    files, modes, owners = result["files"], result["modes"], result["owners"]
    plan = plan_tree(root, files, modes, diff_lines=DIFF_LIMIT if diff else 0, owners=owners)
    if not check_mode:
        write_files(root, files, modes, plan)
        finish_tree(root, owners, plan["removed"])
    result["plan"] = plan


def _finish(result: dict, root: str) -> dict:
    plan = result["plan"]
    result["paths"] = sorted(result.get("owners") or result["files"])
    result["root"] = root
    result["failed"] = _has_errors(result)
    result["changed"] = bool(plan["created"] or plan["changed"] or plan["removed"])
    result["summary"] = report.summary_line(result)
    # the contents are on disk now; keep the result small for Ansible
    result["files"], result["modes"] = {}, {}
    return result
