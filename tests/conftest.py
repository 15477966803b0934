"""Make the checkout importable as ansible_collections.dcnet.fabric for tests.

Plugins import the engine by its collection path; a symlink tree under
.collections/ lets plain pytest import it the same way, with or without
Ansible installed.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_COLL = os.path.join(ROOT, ".collections")
_LINK = os.path.join(_COLL, "ansible_collections", "dcnet", "fabric")
if not os.path.exists(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    try:
        os.symlink(ROOT, _LINK)
    except FileExistsError:
        pass
if _COLL not in sys.path:
    sys.path.insert(0, _COLL)

_BUILT = {}


def example_vars(name: str) -> dict:
    """The group variables of examples/<name> (dcnet_site, dcnet_fabric, ...), merged in file-name order; a fresh dict."""
    import glob

    import yaml

    merged = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            merged.update(yaml.safe_load(handle) or {})
    return merged


def example_model(name: str) -> dict:
    """examples/<name> as the model loader takes it: the dcnet_* variables without the prefix (site, fabric, ...)."""
    return {key[len("dcnet_"):]: value for key, value in example_vars(name).items() if key.startswith("dcnet_")}


def built_example(name: str) -> dict:
    """pipeline.build of examples/<name> (its dcnet_* group vars), once per test session.

    The result is shared: callers read it and never change it.
    """
    if name not in _BUILT:
        from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

        _BUILT[name] = pipeline.build(example_vars(name), today=None)
    return _BUILT[name]
