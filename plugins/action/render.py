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
from ansible.plugins.action import ActionBase

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.schema import VAR_PREFIX
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

_ARGS = {"build_dir": "build", "targets": None, "validate_only": False, "fail_on_warnings": False, "max_errors": 50,
         "workers": 0}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if IMPORT_ERROR is not None:
            raise AnsibleActionFail(f"dcnet.fabric engine could not be imported: {IMPORT_ERROR}")
        args = {**_ARGS, **self._task.args}
        task_vars = task_vars or {}
        variables = {k: self._templar.template(v) for k, v in task_vars.items()
                     if isinstance(k, str) and k.startswith(VAR_PREFIX)}
        targets = args["targets"]
        if isinstance(targets, str):
            targets = [t.strip() for t in targets.split(",") if t.strip()]
        if args["validate_only"]:
            targets = ["structured"] if targets is None else targets
        build_dir = os.path.abspath(os.path.expanduser(str(args["build_dir"])))
        check_mode = bool(self._task.check_mode) or bool(getattr(self._play_context, "check_mode", False))
        diff = bool(self._task.diff) or bool(getattr(self._play_context, "diff", False))
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
            "findings": out["findings"], "waived": out["waived"], "stage": out["stage"],
            "report": os.path.join(out["root"], "report.md"),
        })
        if diff and plan.get("diffs"):
            result["diff"] = plan["diffs"]
        errors = [f for f in out["findings"] if f["severity"] == "error"]
        warnings = [f for f in out["findings"] if f["severity"] == "warning"]
        if errors or (args["fail_on_warnings"] and warnings):
            shown = (errors or warnings)[: int(args["max_errors"])]
            lines = [f"{f['rule']} {f['path']}: {f['message']}" + (f" (hint: {f['hint']})" if f["hint"] else "")
                     for f in shown]
            more = len(errors or warnings) - len(shown)
            result["failed"] = True
            result["msg"] = out["summary"] + "\n" + "\n".join(lines) + (f"\n... and {more} more (see the report)" if more else "")
        else:
            result["msg"] = out["summary"]
        return result
