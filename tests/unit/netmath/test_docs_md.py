"""docs/filters.md has one entry per filter, with the examples of its DOCUMENTATION."""

from __future__ import annotations

import os

import pytest

from ._filters import NAMES, examples

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
with open(os.path.join(ROOT, "docs", "filters.md"), encoding="utf-8") as _fh:
    FILTERS_MD = _fh.read()


@pytest.mark.parametrize("name", NAMES)
def test_entry_and_examples(name):
    heading = f"### `dcnet.fabric.{name}`"
    assert FILTERS_MD.count(heading) == 1
    section = FILTERS_MD.split(heading, 1)[1].split("\n### ", 1)[0]
    for expr, _kind, _want in examples(name):
        assert f"{{{{ {expr} }}}}" in section, expr


def test_performance_section():
    with open(os.path.join(ROOT, "docs", "performance.md"), encoding="utf-8") as fh:
        assert "## Address-math filters" in fh.read()
