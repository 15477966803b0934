# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Action plugin: the rolling deploy plan of the site's switches (thin adapter over deploy/rolling.py)."""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

try:
    from ansible_collections.dcnet.fabric.plugins.action.intended import _yaml
    from ansible_collections.dcnet.fabric.plugins.action.render import inventory_sources
    from ansible_collections.dcnet.fabric.plugins.module_utils import locations
    from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import rolling
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

_ARGS = {"build_dir": None, "site": None, "devices": None}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        if IMPORT_ERROR is not None:
            raise AnsibleActionFail(f"dcnet.fabric engine could not be imported: {IMPORT_ERROR}")
        task_vars = task_vars or {}
        args = {**_ARGS, **self._task.args}
        site = args["site"]
        if not site:
            model_site = self._templar.template(task_vars.get("dcnet_site"))
            site = model_site.get("name") if isinstance(model_site, dict) else None
        if not site:
            raise AnsibleActionFail("dcnet_site.name is not set: run against the site's inventory, or give site")
        try:
            root = locations.build_root(args["build_dir"], inventory_sources(task_vars))
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None
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
