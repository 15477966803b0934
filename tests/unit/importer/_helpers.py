"""Shared by the importer and migration tests: the bundled example models as plain dicts."""

from __future__ import annotations

import os
from conftest import example_model  # tests/conftest.py: the examples' group variables


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMAS = os.path.join(os.path.dirname(ROOT), "shared", "reference", "schemas")


example = example_model   # the model of examples/<name> with top keys site, fabric, ... (a fresh copy each call)
