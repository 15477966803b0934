"""docs/model.schema.json: generated from the specs, current, accepts the bundled examples, refuses broken ones."""

import glob
import json
import os

import jsonschema
import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.model import json_schema
from conftest import example_model  # tests/conftest.py: the examples' group variables

from .conftest import ROOT

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the same data, faster

PATH = os.path.join(ROOT, "docs", "model.schema.json")


@pytest.fixture(scope="module")
def validator():
    with open(PATH, encoding="utf-8") as handle:
        data = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(data)
    return jsonschema.Draft202012Validator(data)


def _errors(validator, data):
    return sorted((list(e.absolute_path), e.validator) for e in validator.iter_errors(data))


def test_schema_file_is_current():
    with open(PATH, encoding="utf-8") as handle:
        assert handle.read() == json_schema.to_text(), "run: make regen (tests/tools/regen_model_schema.py)"


VARS_FILES = sorted(glob.glob(os.path.join(ROOT, "examples", "*", "inventory", "group_vars", "*", "*.yml")))


@pytest.mark.parametrize("path", VARS_FILES)
def test_every_bundled_vars_file_is_valid(validator, path):
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=LOADER) or {}  # nosec B506 - a safe loader
    # an editor sees YAML text: a date is a string there (PyYAML makes it a date object)
    assert _errors(validator, json.loads(json.dumps(data, default=str))) == []


def test_whole_examples_are_valid_against_the_model(tmp_path):
    whole = jsonschema.Draft202012Validator(json_schema.model_schema())
    for name in ("small", "dc1"):
        raw = example_model(name)
        assert sorted(e.message for e in whole.iter_errors(json.loads(json.dumps(raw, default=str)))) == [], name
    assert sorted(e.message for e in whole.iter_errors({})) == [
        "'fabric' is a required property", "'networks' is a required property", "'site' is a required property"]


def test_broken_files_are_refused_where_they_break(validator):
    bad = {
        "dcnet_fabric": {"platform": "junos", "mtu": 20000, "pools": {"loopback4": "10.255.0.0/24", "p2p4": "x"},
                         "spines": [{"name": "spine1", "id": 1, "colour": "red"}], "leaf_pairs": []},
        "dcnet_networks": [{"name": "mgmt", "vlan": "ten", "role": "management"}],
        "dcnet_clusters": [{"name": "bad name", "platform": "ove", "networks": [], "nodes": []}],
        "something_else": {"kept": True},
    }
    assert _errors(validator, bad) == [
        (["dcnet_clusters", 0, "name"], "pattern"),
        (["dcnet_fabric", "mtu"], "maximum"),
        (["dcnet_fabric", "platform"], "enum"),
        (["dcnet_fabric", "pools", "p2p4"], "pattern"),
        (["dcnet_fabric", "spines", 0], "additionalProperties"),
        (["dcnet_networks", 0, "vlan"], "type"),
    ]
