"""The bundled examples (examples/<name>/inventory), parsed and built once per test process.

Every helper of the unit tests reads the examples through here: dc1's group
variables (vms.yml alone is 444 kB) cost seconds to parse, and dozens of tests
start from them.  Parsed variables are handed out as fresh deep copies (change
them freely); a built site is shared and read-only.
"""

import copy
import glob
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# libyaml's safe loader when PyYAML has it: the same data, parsed ~5x faster than the pure-Python one.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARSED = {}
_BUILT = {}


def inventory_vars_of(inventory: str) -> dict:
    """The merged variables of <inventory>/group_vars/all/*.yml, parsed once per process (a fresh copy)."""
    inventory = os.path.abspath(inventory)
    if inventory not in _PARSED:
        merged = {}
        for path in sorted(glob.glob(os.path.join(inventory, "group_vars", "all", "*.yml"))):
            with open(path, encoding="utf-8") as handle:
                merged.update(yaml.load(handle, Loader=LOADER) or {})  # nosec B506 - a safe loader
        _PARSED[inventory] = merged
    return copy.deepcopy(_PARSED[inventory])


def example_vars(name: str) -> dict:
    """The dcnet_* group variables of examples/<name> (a fresh copy)."""
    return inventory_vars_of(os.path.join(ROOT, "examples", name, "inventory"))


def example_raw(name: str) -> dict:
    """example_vars without the dcnet_ prefix (the model's top keys site, fabric, ...), a fresh copy."""
    return {k[len("dcnet_"):]: v for k, v in example_vars(name).items() if k.startswith("dcnet_")}


def built_example(name: str) -> dict:
    """pipeline.build of examples/<name> (its dcnet_* group vars), once per process.

    The result is shared: callers read it and never change it.
    """
    if name not in _BUILT:
        from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # pylint: disable=import-outside-toplevel

        _BUILT[name] = pipeline.build(example_vars(name), today=None)
    return _BUILT[name]
