# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: explain a packet's path through the site, on the controller.

A thin adapter: collect the ``dcnet_*`` model variables, call
``path.job.run`` and translate its result (changed, diff, failed with every
located model error).
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.schema import VAR_PREFIX
    from ansible_collections.dcnet.fabric.plugins.module_utils.path import job
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

_ARGS = {"src": None, "dst": None, "network": None, "flow": None, "out": None}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if IMPORT_ERROR is not None:
            raise AnsibleActionFail(f"dcnet.fabric engine could not be imported: {IMPORT_ERROR}")
        args = {**_ARGS, **self._task.args}
        for required in ("src", "dst"):
            if not args[required]:
                raise AnsibleActionFail(f"{required} is required (a node, address@node, network@node, pod@node, "
                                        "an address or a prefix)")
        task_vars = task_vars or {}
        variables = {k: self._templar.template(v) for k, v in task_vars.items()
                     if isinstance(k, str) and k.startswith(VAR_PREFIX)}
        check_mode = bool(self._task.check_mode) or bool(getattr(self._play_context, "check_mode", False))
        diff = bool(self._task.diff) or bool(getattr(self._play_context, "diff", False))
        try:
            out = job.run(variables, str(args["src"]), str(args["dst"]), out=args["out"] or None,
                          network=args["network"] or None, flow=args["flow"] or None, check_mode=check_mode, diff=diff)
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
        if out["failed"]:
            result.update(failed=True, changed=False, findings=out["findings"], msg=out["msg"])
            return result
        result.update({"changed": out["changed"], "summary": out["summary"], "files": out["files"],
                       "paths": out["explained"]["paths"], "not_explained": out["explained"]["skipped"],
                       "check_errors": out["check_errors"], "msg": "\n".join(out["summary"])})
        if diff and out.get("diffs"):
            result["diff"] = out["diffs"]
        return result
