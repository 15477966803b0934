"""Shared fixtures: the bundled example models as plain dicts."""

import copy
import os

import pytest
from example_models import example_raw, example_vars  # noqa: F401  pylint: disable=unused-import

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


_SMALL = example_raw("small")


@pytest.fixture
def small():
    return copy.deepcopy(_SMALL)
