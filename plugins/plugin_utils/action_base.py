# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""What every dcnet.fabric action plugin does around its own work, written once.

Each plugin declares its options with their defaults (``ARGS``) and the engine
import it guarded (``import_error``); ``run`` turns a failed import into a task
failure, merges the task's options over the defaults and hands them to ``act``.
The helpers read the model variables the way render measures them (raw first,
refused before the templar copies a hostile alias chain) and find the site's
build folder the way render writes it.
"""

from __future__ import annotations

from ansible import context
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils import locations
    from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
    from ansible_collections.dcnet.fabric.plugins.module_utils.model import bounds
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.schema import VAR_PREFIX
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - shown to the user as a task failure
    IMPORT_ERROR = exc

REFUSED = "dcnet.fabric: the model was refused before templating:\n"


def inventory_sources(task_vars):
    """The -i sources of this run (as given on the command line), else the folder of this host's inventory."""
    sources = list(context.CLIARGS.get("inventory") or ()) if context.CLIARGS else []
    if not sources and task_vars.get("inventory_file"):
        sources = [task_vars["inventory_file"]]
    return sources


def model_variables(task_vars: dict) -> dict:
    """The task's ``dcnet_*`` variables as Ansible holds them, not templated yet."""
    return {k: v for k, v in task_vars.items() if isinstance(k, str) and k.startswith(VAR_PREFIX)}


def refuse_before_templating(raw: dict, task_vars: dict) -> list:
    """Limit findings of the raw dcnet_* variables and of the variables their templates name.

    Ansible keeps YAML aliases as shared references until something templates
    them; the templar then copies every expansion.  Measuring first keeps a
    hostile inventory (alias chains, deep nesting) from running for minutes.
    """
    model = {k[len(VAR_PREFIX):]: v for k, v in raw.items()}
    names = {k[len(VAR_PREFIX):]: k for k in raw}
    named, frontier = {}, raw
    while frontier:  # templates naming variables whose templates name others ...
        new = {k: task_vars[k] for k in sorted(bounds.template_names(frontier))
               if k in task_vars and k not in raw and k not in named}
        named.update(new)
        frontier = new
    return bounds.check({**model, **{k: v for k, v in named.items() if k not in model}},
                        {**names, **{k: k for k in named}})


class DcnetAction(ActionBase):
    """Base of the collection's action plugins: options, the guarded import, modes, model variables."""

    TRANSFERS_FILES = False
    ARGS: dict = {}          # option: default, the options the task accepts
    import_error = None      # the plugin's guarded engine import, when it failed
    engine = "engine"        # what the failed import is called in the message

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._VALID_ARGS = frozenset(cls.ARGS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        error = self.import_error or IMPORT_ERROR
        if error is not None:
            raise AnsibleActionFail(f"dcnet.fabric {self.engine} could not be imported: {error}")
        return self.act(result, {**self.ARGS, **self._task.args}, task_vars or {})

    def act(self, result: dict, args: dict, task_vars: dict) -> dict:
        """The plugin's own work: ``args`` are the task's options over ``ARGS``."""
        raise NotImplementedError

    def modes(self):
        """(check_mode, diff) of this task, from the task or the play."""
        return (bool(self._task.check_mode) or bool(getattr(self._play_context, "check_mode", False)),
                bool(self._task.diff) or bool(getattr(self._play_context, "diff", False)))

    def templated(self, raw: dict) -> dict:
        """The model variables templated (after ``refuse_before_templating`` found nothing)."""
        return {k: self._templar.template(v) for k, v in raw.items()}

    def build_root(self, build_dir, task_vars: dict) -> str:
        """The build root: ``build_dir``, else ``build/`` beside the inventory (as render writes it)."""
        try:
            return locations.build_root(build_dir, inventory_sources(task_vars))
        except DcnetError as exc:
            raise AnsibleActionFail(str(exc)) from None

    def site_name(self, site, task_vars: dict):
        """``site`` when given, else ``dcnet_site.name`` of the inventory."""
        if site:
            return site
        model_site = self._templar.template(task_vars.get("dcnet_site"))
        name = model_site.get("name") if isinstance(model_site, dict) else None
        if not name:
            raise AnsibleActionFail("dcnet_site.name is not set: run against the site's inventory, or give site")
        return str(name)
