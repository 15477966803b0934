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


def built_example(name: str) -> dict:
    """pipeline.build of examples/<name> (its dcnet_* group vars), once per test session.

    The result is shared: callers read it and never change it.
    """
    if name not in _BUILT:
        import glob

        import yaml

        from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

        merged = {}
        for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
            with open(path, encoding="utf-8") as handle:
                merged.update(yaml.safe_load(handle) or {})
        _BUILT[name] = pipeline.build(merged, today=None)
    return _BUILT[name]
