"""Shared fixtures of the OVE/NMState tests: rendered sites, schema folders."""

import os

import pytest
import yaml
from example_models import built_example, example_vars  # tests/example_models.py: each example parsed once per session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMAS = os.path.join(os.path.dirname(ROOT), "shared", "reference", "schemas")


def inventory_vars(example):
    """The dcnet_* variables of examples/<example>/inventory/group_vars/all/*.yml, merged (a fresh copy)."""
    return example_vars(example)


_CACHE = {}


def rendered(example):
    """{relative path: text} of every artifact pipeline.build renders for an example (cached)."""
    if example not in _CACHE:
        result = built_example(example)  # tests/example_models.py: one build per session, shared with other folders
        errors = [f for f in result["findings"] if f["severity"] == "error"]
        assert not errors, errors
        _CACHE[example] = result["files"]
    return _CACHE[example]


@pytest.fixture(scope="session")
def small():
    return rendered("small")


@pytest.fixture(scope="session")
def dc1():
    if not os.path.isdir(os.path.join(ROOT, "examples", "dc1", "inventory")):
        pytest.skip("examples/dc1 is not in this checkout")
    return rendered("dc1")


@pytest.fixture(scope="session")
def schemas():
    if not os.path.isdir(SCHEMAS):
        pytest.skip(f"published schemas not found at {SCHEMAS} (the ../shared/reference checkout is absent)")
    return SCHEMAS


# libyaml's safe loader when PyYAML has it: the same documents, parsed 10x faster (dc1 has 156 NMState files)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text):
    docs = [d for d in yaml.load_all(text, Loader=_LOADER) if d is not None]
    assert len(docs) == 1
    return docs[0]
