"""The whole run, stage by stage, with a checkpoint after each.

    load + validate -> site facts -> design -> checks -> render -> write

Any error stops the run at its checkpoint: reports are written, artifacts are
not.  ``run`` is what the action plugins and the benchmarks call; it needs
no Ansible.
"""

from __future__ import annotations

import functools
import gc
import os

from . import report
from .checks import all_rules, run_checks
from .design import design, site_facts
from .errors import DcnetError
from .fileio import finish_tree, plan_files, plan_tree, stale_files, write_files
from .findings import ModelError
from .model.loader import load_model, model_from_vars
from .path import report_rows as path_report_rows
from .render.base import RenderContext
from .render.registry import RENDERERS
from .workers import Claims, Worker
from .workers import available as workers_available
from .workers import default_count as workers_default

REPORT_FILES = ("report.json", "report.md", "report.html")
DIFF_LIMIT = 200  # files whose diff a --diff run returns


def _site_name(raw):
    site = raw.get("site") if isinstance(raw, dict) else None
    name = site.get("name") if isinstance(site, dict) else None
    return name if isinstance(name, str) and name.replace("-", "").replace("_", "").isalnum() else "unknown-site"


def _start(variables: dict, from_vars: bool):
    """Load, validate and compute the site facts: (result, model, facts), model None on errors."""
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
        return result, None, None
    return result, model, facts


def _check(result: dict, model, facts, designed, today) -> bool:
    """Run the checks over the designed site into ``result``; True when no error was found."""
    result["stage"] = "checks"
    active, waived = run_checks(model, facts, designed, today)
    result["findings"] = [f.as_dict() for f in active]
    result["waived"] = [{**f.as_dict(), "reason": w["reason"], "expires": w["expires"]} for f, w in waived]
    return not _has_errors(result)


def _has_errors(result: dict) -> bool:
    return any(f["severity"] == "error" for f in result["findings"])


def _record_design(result: dict, model, facts, designed) -> None:
    result["design"] = designed
    result["device_counts"] = {"switches": len(designed["switches"]), "nodes": len(designed["nodes"]),
                               "clusters": len(designed["clusters"])}
    result["report_facts"] = _report_facts(model, facts)
    result["report_facts"]["Paths"] = path_report_rows(model, facts, designed)  # path/report.py


def render_files(ctx, targets=None):
    """({path: content}, {path: mode}, {path: target}) of every file this process claims.

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


def build(variables: dict, from_vars: bool = True, today=None, targets=None):
    """Validate, check, design and render in memory, in this process. Returns a result dict (never writes)."""
    result, model, facts = _start(variables, from_vars)
    if model is not None:
        _in_process(result, model, facts, today, targets)
    return result


def _in_process(result: dict, model, facts, today, targets, render: bool = True) -> None:
    """Design, checks and, without errors, render, all in this process, into ``result``."""
    designed = design(model, facts)
    _check(result, model, facts, designed, today)
    _record_design(result, model, facts, designed)
    if _has_errors(result) or not render:
        return
    result["stage"] = "render"
    ctx = RenderContext(model, facts, result["design"], model.site["name"])
    result["files"], result["modes"], result["owners"] = render_files(ctx, targets)


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
        today=None, targets=None, write_artifacts: bool = True, workers: int | None = None) -> dict:
    """Build, then write build_root/<site>/ atomically (reports always; artifacts only without errors).

    ``targets`` limits rendering to some renderers (names in render.registry);
    validation and checks always cover the whole site.  ``workers`` processes
    render and write the files (default: one per CPU, see workers.py); 1 keeps
    everything in this process.  The returned result lists the files in
    ``paths``; their contents stay on disk (``build`` returns them in memory).
    """
    unknown = sorted(set(targets or ()) - {entry[0] for entry in RENDERERS})
    if unknown:
        raise DcnetError(f"unknown render target(s) {', '.join(unknown)}; known: "
                         f"{', '.join(entry[0] for entry in RENDERERS)}")
    count = workers if workers is not None else workers_default()
    if count < 1:
        raise DcnetError(f"workers must be 1 or more, not {count}")
    # The site's data is millions of small acyclic containers: the cyclic garbage collector would
    # walk all of them again and again while they are built (10-15% of a large run) and, after a
    # fork, touch every page the workers share.  It is paused for the run and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result, model, facts = _start(variables, from_vars)
        root = os.path.join(build_root, result["site"])
        if model is not None and count > 1 and write_artifacts and workers_available():
            done = _run_in_workers(result, model, facts, root, count, check_mode, diff, today, targets)
            if done:
                return _finish(result, root)
        if model is not None:
            _in_process(result, model, facts, today, targets, render=write_artifacts)
        _write_serial(result, root, check_mode, diff, write_artifacts)
        return _finish(result, root)
    finally:
        if collecting:
            gc.enable()


def _reports_only(result, root, check_mode):
    """Keep the previous artifacts: only the reports are replaced."""
    result["files"], result["owners"] = {}, {}
    add_reports(result)
    result["plan"] = _write_reports(root, result["files"], check_mode)


def _write_serial(result, root, check_mode, diff, write_artifacts):
    if _has_errors(result) or not write_artifacts:
        _reports_only(result, root, check_mode)
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


def _write_reports(root, reports, check_mode):
    plan = plan_files(root, reports)
    if not check_mode:
        write_files(root, reports, None, plan)
    return plan


# ------------------------------------------------------------------------------------------------ workers
def _run_in_workers(result, model, facts, root, count, check_mode, diff, today, targets) -> bool:
    """Checks, render and write with ``count`` processes; False when they cannot start (run serially then)."""
    try:
        designed = design(model, facts)
        ctx = RenderContext(model, facts, designed, model.site["name"], claims=Claims())
    except Exception:  # noqa: BLE001 - the serial path reports what failed, as a finding or an error
        return False
    job = functools.partial(_worker_job, ctx, targets)
    helpers = []
    try:
        for _index in range(count - 1):
            helpers.append(Worker(job, inherited=[h.conn for h in helpers]))
    except OSError:  # no process left (EAGAIN) or no file descriptor (EMFILE): one process does it all
        for helper in helpers:
            helper.finish(stop=True)
        return False
    try:
        _lead(result, model, facts, designed, ctx, helpers, root, check_mode, diff, today, targets)
    finally:
        for helper in helpers:
            # a worker not yet told to write has written nothing: stopping it is safe
            helper.finish(stop=True)
    return True


def _worker_job(ctx, targets, conn):
    """In a worker: render the claimed files and report them; compare them with the tree, then write, when told."""
    files, modes = {}, {}
    share = {"owners": {}, "error": None}
    try:
        files, modes, share["owners"] = render_files(ctx, targets)
    except DcnetError as exc:
        share["error"] = str(exc)
    share["position"] = ctx.claims.position
    conn.send(share)
    order = conn.recv()
    if not order.get("root"):
        return
    plan = plan_files(order["root"], files, modes, order["diff_lines"])
    conn.send({"plan": plan})
    if conn.recv().get("write"):
        write_files(order["root"], files, modes, plan)
        conn.send({"written": True})


def _lead(result, model, facts, designed, ctx, helpers, root, check_mode, diff, today, targets):
    """The parent's part: checks, its share of the files, then the decisions for everyone.

    Phases, each finished by every process before the next starts: render, compare with the tree
    on disk (read-only), write.  An error in the first two leaves the tree as it was.
    """
    _check(result, model, facts, designed, today)
    _record_design(result, model, facts, designed)
    if _has_errors(result):
        # the checks failed: nothing is rendered or written; the workers stop where they are
        for helper in helpers:
            helper.finish(stop=True)
        _reports_only(result, root, check_mode)
        return
    result["stage"] = "render"
    files, modes, owners, errors = {}, {}, {}, []
    try:
        files, modes, owners = render_files(ctx, targets)
    except DcnetError as exc:
        errors.append(str(exc))
    shares = [helper.receive() for helper in helpers]
    all_owners = dict(owners)
    for share in shares:
        if share["error"]:
            errors.append(share["error"])
        twice = sorted(set(share["owners"]) & set(all_owners))
        if twice:
            errors.append(f"two renderers produced {twice[0]}")
        all_owners.update(share["owners"])
    if not errors:
        walked = {ctx.claims.position, ctx.claims.claimed()} | {share["position"] for share in shares}
        if len(walked) != 1:
            errors.append(f"render workers walked different file sequences {sorted(walked)}: a renderer "
                          "claims files conditionally (a dcnet.fabric bug)")
    if errors:
        for helper in helpers:
            helper.send({"root": None})
        raise DcnetError(errors[0])
    diff_lines = DIFF_LIMIT if diff else 0
    for helper in helpers:
        helper.send({"root": root, "diff_lines": diff_lines})
    plan = plan_files(root, files, modes, diff_lines)
    parts = [helper.receive()["plan"] for helper in helpers]
    if not check_mode:
        for helper in helpers:
            helper.writing = True
            helper.send({"write": True})
        write_files(root, files, modes, plan)
        for helper in helpers:
            helper.receive()
    for part in parts:
        for key in ("created", "changed", "diffs"):
            plan[key] += part[key]
        plan["unchanged"] += part["unchanged"]
    result["files"], result["modes"], result["owners"] = {}, {}, all_owners
    result["render_split"] = [len(owners)] + [len(share["owners"]) for share in shares]
    add_reports(result)
    reports = {name: result["files"][name] for name in REPORT_FILES}
    report_plan = plan_files(root, reports, None, diff_lines)
    if not check_mode:
        write_files(root, reports, None, report_plan)
    for key in ("created", "changed"):
        plan[key] = sorted(plan[key] + report_plan[key])
    # each process kept its first diffs in path order; the first of all of them are among those
    plan["diffs"] = sorted(plan["diffs"] + report_plan["diffs"], key=lambda d: d["before_header"])[:diff_lines]
    plan["unchanged"] += report_plan["unchanged"]
    plan["removed"] = stale_files(root, result["owners"])
    if not check_mode:
        finish_tree(root, result["owners"], plan["removed"])
    result["plan"] = plan
