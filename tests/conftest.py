"""Make the checkout importable as ansible_collections.dcnet.fabric for tests.

Plugins import the engine by its collection path; a symlink tree under
.collections/ lets plain pytest import it the same way, with or without
Ansible installed.  The bundled examples are parsed and built once per session
by tests/example_models.py (re-exported here).
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
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:  # tests/example_models.py, also for the tools that import this file as tests.conftest
    sys.path.insert(0, _HERE)

from example_models import built_example, example_raw, example_vars, inventory_vars_of  # noqa: E402,F401  pylint: disable=unused-import

# examples/<name> as the model loader takes it: the dcnet_* variables without the prefix (site, fabric, ...)
example_model = example_raw
