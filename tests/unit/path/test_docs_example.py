"""The VLAN 100 -> VLAN 200 example in docs/path.md is the engine's own output, committed up to date."""

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _generator():
    spec = importlib.util.spec_from_file_location("gen_path_example",
                                                  os.path.join(ROOT, "tests", "tools", "gen_path_example.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_example_is_current():
    with open(os.path.join(ROOT, "docs", "path.md"), encoding="utf-8") as handle:
        committed = handle.read()
    assert committed == _generator().document(committed), "docs/path.md is stale: run tests/tools/gen_path_example.py"
