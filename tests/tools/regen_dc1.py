"""Regenerate the examples/dc1 golden files: tests/unit/golden/dc1/ (the selection is in tests/unit/engine/dc1_golden.py).

Removes golden files the selection no longer renders; review the result with `git diff`.
Run: .venv/bin/python tests/tools/regen_dc1.py  (or `make regen`).
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from tests import conftest  # noqa: E402,F401  pylint: disable=unused-import,wrong-import-position
from tests.unit.engine import dc1_golden  # noqa: E402  pylint: disable=wrong-import-position

import golden_files  # noqa: E402  pylint: disable=wrong-import-position


def main() -> int:
    files = dc1_golden.rendered()
    golden_files.write(dc1_golden.GOLDEN, files, set(dc1_golden.committed()) - set(files))
    print(f"regen_dc1: {len(files)} golden files under {os.path.relpath(dc1_golden.GOLDEN, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
