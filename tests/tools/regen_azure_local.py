"""Regenerate the Azure Local golden files of examples/small for review.

Writes tests/unit/golden/small/azure_local/** (Set-NetworkIntents.ps1,
hostNetwork.json, deploymentData.json and prepare/<node>.ps1 per Azure Local cluster) from a fresh in-memory render,
removing files the renderer no longer produces; review with `git diff`
before committing.  Run: .venv/bin/python tests/tools/regen_azure_local.py
(or `make regen`, which runs every tests/tools/regen_*.py).
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))

# conftest makes the checkout importable as ansible_collections.dcnet.fabric
import conftest  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
from unit.azure_local._helpers import GOLDEN, build, example_vars  # noqa: E402  pylint: disable=wrong-import-position

import golden_files  # noqa: E402  pylint: disable=wrong-import-position

PREFIX = "azure_local/"


def rendered() -> dict:
    """{path relative to golden/small/azure_local: content} of examples/small."""
    result = build(example_vars("small"))
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    if errors:
        raise SystemExit(f"examples/small has errors: {errors}")
    return {k[len(PREFIX):]: v for k, v in result["files"].items() if k.startswith(PREFIX)}


def main() -> int:
    files = rendered()
    golden_files.write(GOLDEN, files, set(golden_files.under(GOLDEN)) - set(files), label=PREFIX)
    return 0


if __name__ == "__main__":
    sys.exit(main())
