"""The bundled examples, designed once per test session (read-only: tests that change a model copy it)."""

import copy
import functools
import glob
import os

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def example_raw(name):
    variables = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", name, "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            variables.update(yaml.safe_load(handle))
    return {k[len("dcnet_"):]: v for k, v in variables.items()}


def build(raw):
    model = load_model(raw)
    facts = site_facts(model)
    return model, facts, design(model, facts)


@functools.lru_cache(maxsize=None)
def _site(name):
    return build(example_raw(name))


@pytest.fixture
def dc1():
    return _site("dc1")


@pytest.fixture
def small():
    return _site("small")


@pytest.fixture
def raw_dc1():
    return copy.deepcopy(example_raw("dc1"))


@pytest.fixture
def vmware():
    return _site("vmware")


@pytest.fixture
def raw_of():
    """A fresh copy of an example's model variables (without the dcnet_ prefix), to change in a test."""
    return lambda name: copy.deepcopy(example_raw(name))
