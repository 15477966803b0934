"""Shared fixtures: the bundled example models as plain dicts."""

import copy
import os

import pytest
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


example_raw = example_model   # the model of an example as load_model takes it (top keys without dcnet_)


_SMALL = example_raw("small")


@pytest.fixture
def small():
    return copy.deepcopy(_SMALL)
