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


def main() -> int:
    files = dc1_golden.rendered()
    for rel in sorted(set(dc1_golden.committed()) - set(files)):
        os.remove(os.path.join(dc1_golden.GOLDEN, rel))
        print(f"removed {rel}")
    for rel, text in sorted(files.items()):
        path = os.path.join(dc1_golden.GOLDEN, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"{'updated' if old is not None else 'created'} {rel}")
    print(f"regen_dc1: {len(files)} golden files under {os.path.relpath(dc1_golden.GOLDEN, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
