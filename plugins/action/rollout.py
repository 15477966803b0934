# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: the rolling deploy plan of the site's switches (thin adapter over deploy/rolling.py)."""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail

from ansible_collections.dcnet.fabric.plugins.plugin_utils.action_base import DcnetAction

try:
    from ansible_collections.dcnet.fabric.plugins.action.intended import _yaml
    from ansible_collections.dcnet.fabric.plugins.module_utils import locations
    from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import rolling
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc


class ActionModule(DcnetAction):
    ARGS = {"build_dir": None, "site": None, "devices": None}
    import_error = IMPORT_ERROR

    def act(self, result, args, task_vars):
        site = self.site_name(args["site"], task_vars)
        root = self.build_root(args["build_dir"], task_vars)
        folder = os.path.join(locations.site_dir(root, str(site)), "structured")
        if not os.path.isdir(folder):
            raise AnsibleActionFail(f"{folder} does not exist: render the site first (playbook dcnet.fabric.render)")
        switches = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yml"):
                data = _yaml(os.path.join(folder, name), "structured config")
                if isinstance(data, dict) and data.get("role") in ("spine", "leaf"):
                    switches[data["hostname"]] = data
        wanted = args["devices"]
        if wanted is not None:
            wanted = [str(d) for d in wanted]
            unknown = sorted(set(wanted) - set(switches))
            if unknown:
                raise AnsibleActionFail(f"not switches of site {site}: {', '.join(unknown)} (no structured config in "
                                        f"{folder})")
            switches = {d: switches[d] for d in wanted}
        plan = rolling.rollout(switches)
        if plan["split_pairs"]:  # pragma: no cover - rolling.batch_of never does this; a guard, not a path
            raise AnsibleActionFail(f"pairs in one batch: {plan['split_pairs']}")
        result.update({"changed": False, "site": str(site), "build_dir": os.path.dirname(folder),
                       "batches": plan["batches"],
                       "gates": {str(g["batch"]): g for g in plan["gates"]},
                       "platforms": {d: s["platform"] for d, s in sorted(switches.items())}})
        return result
