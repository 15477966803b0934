# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""One plan run as the action plugin (and AWX) sees it: resolve both sides, plan, write plan.md / plan.json."""

from __future__ import annotations

import os

from ..errors import DcnetError
from . import make_plan, sources, writers


def run(plan_from: str, plan_to: str, out: str, inventory: str = ".", options=None, check_mode: bool = False,
        diff: bool = False) -> dict:
    """{changed, failed, files, plan summary ...}; raises DcnetError for what the user must fix first."""
    try:
        raw_from, label_from = sources.load(plan_from, inventory)
    except DcnetError as exc:
        raise DcnetError(f"plan_from: {exc}") from None
    try:
        raw_to, label_to = sources.load(plan_to, inventory)
    except DcnetError as exc:
        raise DcnetError(f"plan_to: {exc}") from None
    plan = make_plan(raw_from, raw_to, options)
    plan["from"], plan["to"] = label_from, label_to
    written = writers.write(plan, out, check_mode, label_from, label_to) if out else None
    files = [os.path.join(out, name) for name in ("plan.json", "plan.md")] if out else []
    result = {
        "changed": bool(written and (written["created"] or written["changed"] or written["removed"])),
        "failed": plan["failed"], "files": files, "from": label_from, "to": label_to,
        "findings": plan["findings"], "blast_radius": plan["blast_radius"], "model_change": plan["model_change"],
        "phases": [{"number": p["number"], "title": p["title"], "domain": p["domain"], "direction": p["direction"],
                    "devices": p["devices"], "batches": len(p["batches"])} for p in plan["phases"]],
        "summary": summary(plan),
    }
    if diff and written:
        result["diffs"] = [{"before_header": os.path.join(out, name), "after_header": os.path.join(out, name),
                            "before": _read(os.path.join(out, name)) or "", "after": text}
                           for name, text in (("plan.md", writers.to_markdown(plan, label_from, label_to)),)
                           if name in written["created"] + written["changed"]]
    return result


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def summary(plan: dict) -> list:
    counts = plan["blast_radius"]["counts"]
    lines = [f"{len(plan['phases'])} phase(s); {counts['switches']} switches, {counts['ports']} ports, "
             f"{counts['sessions']} session ends, {counts['nodes']} nodes, {counts['vms']} VMs affected; "
             f"removes traffic-carrying objects: {'yes' if plan['blast_radius']['removes_traffic'] else 'no'}"]
    lines += [f"phase {p['number']}: {p['title']} ({len(p['batches'])} batch(es))" for p in plan["phases"]]
    lines += [f"{f['rule']} {f['severity']}: {f['path']}: {f['message']}" for f in plan["findings"]
              if f["severity"] == "error" or f["rule"].startswith("PLAN")]
    return lines
