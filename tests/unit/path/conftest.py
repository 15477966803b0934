"""The bundled examples, designed once per test session (read-only: tests that change a model copy it)."""

import copy
import functools
import os

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


example_raw = example_model


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


def without_tenants(raw):
    """A site's variables as a single-VRF site: every network in the default VRF, no tenant VRFs, no external
    peers, no border pair (the default VRF's walk: asymmetric IRB, the underlay, no exit)."""
    raw = copy.deepcopy(raw)
    raw.pop("vrfs", None)
    raw.pop("external_peers", None)
    for net in raw["networks"]:
        net.pop("vrf", None)
    for pair in raw["fabric"]["leaf_pairs"]:
        pair.pop("role", None)
    return raw


def _has_tenants(raw):
    return bool(raw.get("vrfs") or raw.get("external_peers"))


@functools.lru_cache(maxsize=None)
def _flat_site(name):
    raw = example_raw(name)
    return build(without_tenants(raw)) if _has_tenants(raw) else _site(name)


@pytest.fixture
def dc1_flat():
    """examples/dc1 in the default VRF only (the same model while dc1 has no tenants)."""
    return _flat_site("dc1")


@pytest.fixture
def raw_dc1_flat():
    return without_tenants(example_raw("dc1"))


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
