"""Regenerate the NMState/OVE golden files of examples/small for review.

Writes tests/unit/golden/small/hosts/** and tests/unit/golden/small/ove/**
from a fresh in-memory render (removing files the renderers no longer
produce); review the result with `git diff` before committing.
Run: .venv/bin/python tests/tools/regen_ove.py  (or `make regen`).
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit"))
sys.path.insert(0, os.path.join(ROOT, "tests"))

# tests/conftest.py makes the collection importable and loads the examples
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
import golden_files  # noqa: E402  pylint: disable=wrong-import-position
from ove import conftest as ove_examples  # noqa: E402  pylint: disable=wrong-import-position

PREFIXES = ("hosts/", "ove/")
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "small")


def main():
    files = {k: v for k, v in ove_examples.rendered("small").items() if k.startswith(PREFIXES)}
    stale = {rel for prefix in PREFIXES for rel in golden_files.under(GOLDEN, prefix)} - set(files)
    golden_files.write(GOLDEN, files, stale)
    print(f"regen_ove: {len(files)} golden files under {os.path.relpath(GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
