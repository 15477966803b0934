# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: explain a packet's path through the site, on the controller.

A thin adapter: collect the ``dcnet_*`` model variables, call
``path.job.run`` and translate its result (changed, diff, failed with every
located model error).
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import DcnetAction, model_variables

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.path import job
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc


class ActionModule(DcnetAction):
    ARGS = {"src": None, "dst": None, "network": None, "flow": None, "out": None}
    import_error = IMPORT_ERROR

    def act(self, result, args, task_vars):
        for required in ("src", "dst"):
            if not args[required]:
                raise AnsibleActionFail(f"{required} is required (a node, address@node, network@node, pod@node, "
                                        "an address or a prefix)")
        variables = self.templated(model_variables(task_vars))
        check_mode, diff = self.modes()
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
