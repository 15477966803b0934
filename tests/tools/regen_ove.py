"""Regenerate the NMState/OVE golden files of examples/small for review.

Writes tests/unit/golden/small/hosts/** and tests/unit/golden/small/ove/**
from a fresh in-memory render (removing files the renderers no longer
produce); review the result with `git diff` before committing.
Run: .venv/bin/python tests/tools/regen_ove.py  (or `make regen`).
"""

import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "ove"))
sys.path.insert(0, os.path.join(ROOT, ".collections"))

import conftest  # noqa: E402  pylint: disable=wrong-import-position

PREFIXES = ("hosts/", "ove/")
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "small")


def main():
    files = {k: v for k, v in conftest.rendered("small").items() if k.startswith(PREFIXES)}
    for prefix in PREFIXES:
        for path in glob.glob(os.path.join(GOLDEN, prefix, "**", "*"), recursive=True):
            rel = os.path.relpath(path, GOLDEN)
            if os.path.isfile(path) and rel not in files:
                os.remove(path)
                print(f"removed {rel}")
    for rel, text in sorted(files.items()):
        path = os.path.join(GOLDEN, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"{'updated' if old is not None else 'created'} {rel}")
    print(f"regen_ove: {len(files)} golden files under {os.path.relpath(GOLDEN, ROOT)}")


if __name__ == "__main__":
    main()
