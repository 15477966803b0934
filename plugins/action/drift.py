# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: compare captured running state with the model, with the rules of the model checks.

A thin adapter: the ``dcnet_*`` variables are measured and templated as for render, the
model is loaded and designed once, and ``drift.files.run`` reads the folder of captured
state and returns the findings the running state adds to the model's own.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import (
    REFUSED, DcnetAction, model_variables, refuse_before_templating)

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.drift import files
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc


def _line(finding: dict) -> str:
    related = f" (other end: {', '.join(finding['related'])})" if finding.get("related") else ""
    return f"{finding['rule']} {finding['path']}: {finding['message']}{related}"


class ActionModule(DcnetAction):
    ARGS = {"running_dir": None, "fail_on_drift": True, "max_findings": 50}
    import_error = IMPORT_ERROR

    def act(self, result, args, task_vars):
        if not args["running_dir"]:
            raise AnsibleActionFail("running_dir is required: the folder holding the captured running state")
        raw = model_variables(task_vars)
        refused = refuse_before_templating(raw, task_vars)
        if refused:
            raise AnsibleActionFail(REFUSED + "\n".join(str(f) for f in refused))
        variables = self.templated(raw)
        folder = os.path.abspath(os.path.expanduser(str(args["running_dir"])))
        try:
            model_raw, extra = model_from_vars(variables)
            model = load_model(model_raw, extra)
            facts = site_facts(model)
            out = files.run(model, facts, design(model, facts), folder)
        except ModelError as exc:
            raise AnsibleActionFail(f"dcnet.fabric: the model has errors; fix them first (playbooks/validate.yml):\n{exc}") \
                from None
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
        found = [f.as_dict() for f in out["findings"]]
        errors = [f for f in found if f["severity"] == "error"]
        summary = (f"dcnet.fabric drift: {len(found)} finding(s), {len(errors)} error(s); read "
                   f"{len(out['read']['switches'])} switch(es), {len(out['read']['hosts'])} host(s), "
                   f"{out['read']['enactments']} enactment(s)")
        result.update({"changed": False, "findings": found, "notes": out["notes"], "read": out["read"],
                       "summary": summary})
        shown = found[: int(args["max_findings"])]
        more = len(found) - len(shown)
        result["msg"] = summary + "".join("\n" + _line(f) for f in shown) + (f"\n... and {more} more" if more else "")
        if errors and args["fail_on_drift"]:
            result["failed"] = True
        return result
