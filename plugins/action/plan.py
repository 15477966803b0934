# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: a day-2 plan from one model to another, on the controller (thin adapter over plan/job.py)."""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

try:
    from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import inventory_sources
    from ansible_collections.dcnet.fabric.plugins.module_utils import locations
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.plan import job
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

_ARGS = {"plan_from": None, "plan_to": None, "out": None, "inventory": None, "switch_batching": "rolling",
         "node_batch": None, "remediation": True}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if IMPORT_ERROR is not None:
            raise AnsibleActionFail(f"dcnet.fabric engine could not be imported: {IMPORT_ERROR}")
        args = {**_ARGS, **self._task.args}
        for required in ("plan_from", "plan_to"):
            if not args[required]:
                raise AnsibleActionFail(f"{required} is required (an inventory folder or a git revision)")
        if args["switch_batching"] not in ("rolling", "site"):
            raise AnsibleActionFail("switch_batching must be rolling or site")
        sources = inventory_sources(task_vars or {})
        inventory = str(args["inventory"] or (sources[0] if sources else "."))
        check_mode = bool(self._task.check_mode) or bool(getattr(self._play_context, "check_mode", False))
        diff = bool(self._task.diff) or bool(getattr(self._play_context, "diff", False))
        options = {"switch_batching": args["switch_batching"], "remediation": bool(args["remediation"]),
                   "node_batch": int(args["node_batch"]) if args["node_batch"] else None}
        try:
            # default: build/plan beside the inventory (the render's rule, never inside an installed collection)
            folder = str(args["out"]) if args["out"] else os.path.join(locations.build_root(None, sources), "plan")
            out = job.run(str(args["plan_from"]), str(args["plan_to"]), folder,
                          inventory=os.path.abspath(inventory), options=options, check_mode=check_mode, diff=diff)
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
        diffs = out.pop("diffs", None)
        result.update(out)
        result["msg"] = "\n".join(out["summary"])
        if diff and diffs:
            result["diff"] = diffs
        return result
