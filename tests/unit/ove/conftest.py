"""Shared fixtures of the OVE/NMState tests: rendered sites, schema folders."""

import os

import pytest
import yaml

from conftest import built_example, example_vars  # tests/conftest.py: the examples, parsed and built once

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCHEMAS = os.path.join(os.path.dirname(ROOT), "shared", "reference", "schemas")


inventory_vars = example_vars   # the dcnet_* variables of examples/<example>, merged


_CACHE = {}


def rendered(example):
    """{relative path: text} of every artifact pipeline.build renders for an example (cached)."""
    if example not in _CACHE:
        result = built_example(example)  # one build per session, shared with the other folders
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
