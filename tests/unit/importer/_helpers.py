"""Shared by the importer and migration tests: the bundled example models as plain dicts."""

from __future__ import annotations

import os

from example_models import example_raw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMAS = os.path.join(os.path.dirname(ROOT), "shared", "reference", "schemas")


def example(name: str) -> dict:
    """The model of examples/<name> with top keys site, fabric, ... (a fresh copy each call)."""
    return example_raw(name)  # tests/example_models.py: parsed once per session
