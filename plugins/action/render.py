# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: run the dcnet.fabric engine on the controller for the whole site.

A thin adapter: collect the ``dcnet_*`` model variables, call
``pipeline.run`` once, and translate its result into an Ansible result
(changed, diff, failed with every located error).
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import (
    REFUSED, DcnetAction, model_variables, refuse_before_templating)

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline, publish
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.model import sources
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

STATS_FINDINGS = 200  # findings set_stats carries (AWX keeps them with the job); the reports hold all


def _located(finding: dict, origins) -> dict:
    """The finding with ``origin``: the inventory file and line of its model path, when known."""
    origin = origins.label(finding["path"], os.getcwd())
    return {**finding, "origin": origin} if origin else finding


def _line(finding: dict) -> str:
    where = f" [{finding['origin']}]" if finding.get("origin") else ""
    hint = f" (hint: {finding['hint']})" if finding.get("hint") else ""
    return f"{finding['rule']} {finding['path']}: {finding['message']}{hint}{where}"


class ActionModule(DcnetAction):
    ARGS = {"build_dir": None, "targets": None, "validate_only": False, "fail_on_warnings": False, "max_errors": 50,
            "workers": 0, "stats": True, "git_repo": None, "git_branch": "main", "git_path": None,
            "git_message": None}
    import_error = IMPORT_ERROR

    def act(self, result, args, task_vars):
        raw = model_variables(task_vars)
        files = sources.inventory_files(task_vars.get("ansible_inventory_sources") or (),
                                        [task_vars["playbook_dir"]] if task_vars.get("playbook_dir") else [])
        duplicates, origins = sources.scan(files)
        refused = refuse_before_templating(raw, task_vars) or duplicates
        if refused:
            result["failed"] = True
            result["findings"] = [_located(f.as_dict(), origins) for f in refused]
            result["msg"] = REFUSED + "\n".join(_line(f) for f in result["findings"])
            return result
        variables = self.templated(raw)
        targets = args["targets"]
        if isinstance(targets, str):
            targets = [t.strip() for t in targets.split(",") if t.strip()]
        if args["validate_only"]:
            targets = ["structured"] if targets is None else targets
        build_dir = self.build_root(args["build_dir"], task_vars)
        check_mode, diff = self.modes()
        # ``workers`` is accepted and ignored: the engine renders in one process (docs/performance.md)
        try:
            out = pipeline.run(variables, build_dir, check_mode=check_mode, diff=diff,
                               targets=None if targets is None else list(targets),
                               write_artifacts=not args["validate_only"])
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
        plan = out["plan"]
        result.update({
            "changed": out["changed"], "summary": out["summary"], "site": out["site"], "build_dir": out["root"],
            "files": {"created": plan["created"], "changed": plan["changed"], "removed": plan["removed"],
                      "unchanged": plan["unchanged"]},
            "findings": [_located(f, origins) for f in out["findings"]], "waived": out["waived"],
            "stage": out["stage"],
            "report": os.path.join(out["root"], "report.md"),
        })
        if diff and plan.get("diffs"):
            result["diff"] = plan["diffs"]
        errors = [f for f in result["findings"] if f["severity"] == "error"]
        warnings = [f for f in result["findings"] if f["severity"] == "warning"]
        limit = int(args["max_errors"])
        if warnings:
            # Ansible prints these as [WARNING] lines and AWX flags the job; the reports list them all.
            result["warnings"] = [_line(f) for f in warnings[:limit]]
            if len(warnings) > limit:
                result["warnings"].append(f"... and {len(warnings) - limit} more warning(s) in {result['report']}")
        if args["git_repo"] and not errors and not args["validate_only"]:
            try:
                if check_mode and not os.path.isdir(out["root"]):
                    # nothing on disk yet: the first real run commits the whole tree
                    result["git"] = {"repo": str(args["git_repo"]), "branch": str(args["git_branch"]),
                                     "changed": True, "commit": None}
                else:
                    # in check mode this compares the tree on disk; the render's own plan adds what it would change
                    result["git"] = publish.publish(out["root"], str(args["git_repo"]), str(args["git_branch"]),
                                                    args["git_path"], args["git_message"], check_mode=check_mode)
                    result["git"]["changed"] = result["git"]["changed"] or (check_mode and out["changed"])
            except DcnetError as exc:
                raise AnsibleActionFail(f"rendered, but the commit to {args['git_repo']} failed: {exc}") from None
            result["changed"] = result["changed"] or result["git"]["changed"]
        if args["stats"]:
            result["ansible_stats"] = {"data": {"dcnet_render": _stats(out, result)}, "per_host": False,
                                       "aggregate": True}
        if errors or (args["fail_on_warnings"] and warnings):
            shown = (errors or warnings)[:limit]
            lines = [_line(f) for f in shown]
            more = len(errors or warnings) - len(shown)
            result["failed"] = True
            result["msg"] = out["summary"] + "\n" + "\n".join(lines) + (f"\n... and {more} more (see the report)" if more else "")
        else:
            result["msg"] = out["summary"]
        return result


def _stats(out, result) -> dict:
    """What an AWX job keeps after its container is gone (set_stats): where, what and how it went."""
    files = result["files"]
    plural = {"error": "errors", "warning": "warnings", "info": "info"}
    counts = dict.fromkeys(plural.values(), 0)
    for f in out["findings"]:
        counts[plural[f["severity"]]] += 1
    return {
        "site": out["site"], "build_root": os.path.dirname(out["root"]), "build_dir": out["root"],
        "summary": out["summary"], "stage": out["stage"], "failed": bool(out["failed"]),
        "reports": {name.split(".")[1]: os.path.join(out["root"], name) for name in pipeline.REPORT_FILES},
        "counts": {**counts, "waived": len(out["waived"]), "files": len(out["paths"]),
                   "created": len(files["created"]), "changed": len(files["changed"]),
                   "removed": len(files["removed"]), "unchanged": files["unchanged"]},
        "files": {"created": files["created"], "changed": files["changed"], "removed": files["removed"]},
        "findings": out["findings"][:STATS_FINDINGS],
        "git": result.get("git"),
    }
