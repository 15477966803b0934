"""The bundled examples, designed once per test session (read-only: tests that change a model copy it)."""

import copy
import functools
import os

import pytest
from example_models import example_raw as shared_example_raw

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def example_raw(name):
    return shared_example_raw(name)  # tests/example_models.py: parsed once per session, a fresh copy


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
