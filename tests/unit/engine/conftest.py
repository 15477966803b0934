"""Shared fixtures: the bundled example models as plain dicts."""

import copy
import glob
import os

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def example_vars(name: str) -> dict:
    variables = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            variables.update(yaml.safe_load(handle))
    return variables


def example_raw(name: str) -> dict:
    """The model of an example as load_model takes it (top keys without dcnet_)."""
    return {k[len("dcnet_"):]: v for k, v in example_vars(name).items()}


_SMALL = example_raw("small")


@pytest.fixture
def small():
    return copy.deepcopy(_SMALL)
