"""The ``dcnet.fabric.path`` run: model from Ansible variables -> explained path -> Markdown + JSON files.

No Ansible import: the action plugin hands over the variables and reads the
returned dict; tests call ``run`` directly.
"""

from __future__ import annotations

import json
import os
import re

from ..checks import run_checks
from ..design import design, site_facts
from ..fileio import plan_files, write_files
from ..findings import ModelError
from ..model.loader import load_model, model_from_vars
from .engine import explain
from .text import markdown, summary

DIFF_LIMIT = 2


def file_stem(src, dst) -> str:
    """path-<from>-to-<to>, safe as a file name on every OS."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{src}-to-{dst}").strip("_.")
    return f"path-{clean}"[:200]


def model_and_design(variables, from_vars=True):
    """(model, facts, design, error findings of the checks); ModelError when the model cannot be loaded."""
    raw, extra = model_from_vars(variables) if from_vars else (variables, [])
    model = load_model(raw, extra)
    facts = site_facts(model)
    designed = design(model, facts)
    active, _waived = run_checks(model, facts, designed)
    return model, facts, designed, [f.as_dict() for f in active if f.severity == "error"]


def run(variables, src, dst, out=None, network=None, flow=None, check_mode=False, diff=False, from_vars=True) -> dict:
    """Explain src -> dst; write <out>/path-<src>-to-<dst>.md and .json when ``out`` is given (atomically, only
    when the content changes; nothing in check mode)."""
    try:
        model, facts, designed, errors = model_and_design(variables, from_vars)
    except ModelError as exc:
        return {"failed": True, "changed": False, "findings": [f.as_dict() for f in exc.findings],
                "msg": str(exc)}
    explained = explain(model, facts, designed, src, dst, network, flow)
    if errors:
        explained["notes"].append(f"the model has {len(errors)} check error(s) (see the validate playbook): the path "
                                  "describes the design as modelled")
    stem = file_stem(src, dst)
    files = {f"{stem}.md": markdown(explained), f"{stem}.json": json.dumps(explained, indent=2, sort_keys=True) + "\n"}
    result = {"failed": False, "changed": False, "explained": explained, "summary": summary(explained),
              "files": [], "check_errors": len(errors)}
    if out:
        root = os.path.abspath(os.path.expanduser(str(out)))
        plan = plan_files(root, files, diff_lines=DIFF_LIMIT if diff else 0)
        if not check_mode:
            write_files(root, files, None, plan)
        result["changed"] = bool(plan["created"] or plan["changed"])
        result["files"] = [os.path.join(root, name) for name in sorted(files)]
        result["diffs"] = plan["diffs"]
    return result
