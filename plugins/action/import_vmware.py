# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: import a VMware estate (RVTools export or vCenter) into a model draft.

A thin adapter over ``module_utils.importer.run``: options in, draft files
and a summary out; a bad input is a task failure naming sheet/row/column.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import DcnetAction

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.importer import run as importer
    from ansible_collections.dcnet.fabric.plugins.module_utils.importer.records import ImportInputError
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc


class ActionModule(DcnetAction):
    ARGS = {"rvtools": "", "vcenter": "", "vcenter_user": "", "vcenter_password": "", "vcenter_port": 443,
            "validate_certs": True, "vcenter_recording": "", "save_recording": "", "out": "", "max_mb": 200,
            "ipv4_prefix": 24, "fail_on_conflicts": False}
    import_error = IMPORT_ERROR
    engine = "importer"

    def act(self, result, args, task_vars):
        check_mode, diff = self.modes()
        sources = [k for k in ("rvtools", "vcenter", "vcenter_recording") if args[k]]
        if len(sources) != 1:
            raise AnsibleActionFail("give exactly one of rvtools, vcenter or vcenter_recording")
        try:
            if args["rvtools"]:
                out = importer.import_rvtools(str(args["rvtools"]), str(args["out"]), check_mode=check_mode, diff=diff,
                                              max_mb=int(args["max_mb"]), ipv4_prefix=int(args["ipv4_prefix"]))
            else:
                out = importer.import_vcenter(
                    str(args["out"]), host=str(args["vcenter"]), user=str(args["vcenter_user"]),
                    password=str(args["vcenter_password"]), port=int(args["vcenter_port"]),
                    validate_certs=bool(args["validate_certs"]), recording=str(args["vcenter_recording"]),
                    save_recording=str(args["save_recording"]), check_mode=check_mode, diff=diff,
                    ipv4_prefix=int(args["ipv4_prefix"]))
        except ImportInputError as exc:
            raise AnsibleActionFail(str(exc)) from None
        plan, draft = out["plan"], out["draft"]
        result.update({
            "changed": bool(plan["created"] or plan["changed"]), "msg": out["summary"], "counts": draft["counts"],
            "files": {"created": plan["created"], "changed": plan["changed"], "unchanged": plan["unchanged"]},
            "conflicts": [c.as_dict() for c in draft["conflicts"]],
        })
        if diff and plan.get("diffs"):
            result["diff"] = plan["diffs"]
        if args["fail_on_conflicts"] and any(c.severity == "error" for c in draft["conflicts"]):
            result["failed"] = True
            result["msg"] = out["summary"] + " (fail_on_conflicts: errors need a decision)"
        return result
