"""Shared by the importer and migration tests: the bundled example models as plain dicts."""

from __future__ import annotations

import glob
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMAS = os.path.join(os.path.dirname(ROOT), "shared", "reference", "schemas")


def example(name: str) -> dict:
    """The model of examples/<name> with top keys site, fabric, ... (a fresh copy each call)."""
    raw = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            for key, value in (yaml.safe_load(handle) or {}).items():
                if key.startswith("dcnet_"):
                    raw[key[len("dcnet_"):]] = value
    return raw
