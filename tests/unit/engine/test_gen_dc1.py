"""tools/gen_dc1.py writes examples/dc1 exactly as committed: the generator and the example cannot drift apart."""

from __future__ import annotations

import importlib.util
import os

import pytest

from . import dc1_golden

TOOL = os.path.join(dc1_golden.ROOT, "tools", "gen_dc1.py")
VARS = os.path.join(dc1_golden.INVENTORY, "group_vars", "all")

pytestmark = pytest.mark.skipif(not os.path.isfile(TOOL), reason="tools/gen_dc1.py is not in this checkout")


def test_generator_reproduces_the_example(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("gen_dc1", TOOL)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    (tmp_path / "group_vars" / "all").mkdir(parents=True)
    monkeypatch.setattr(gen, "OUT", str(tmp_path))
    gen.main()
    written = sorted(os.listdir(tmp_path / "group_vars" / "all"))
    assert written == sorted(f for f in os.listdir(VARS) if f.endswith(".yml")), "a file of examples/dc1 has no generator"
    for name in written:
        with open(os.path.join(VARS, name), encoding="utf-8") as handle:
            committed = handle.read()
        assert (tmp_path / "group_vars" / "all" / name).read_text(encoding="utf-8") == committed, (
            f"examples/dc1 {name} differs from tools/gen_dc1.py's output: change the generator, then run it")
