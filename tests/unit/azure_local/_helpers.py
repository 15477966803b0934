"""Shared helpers of the Azure Local tests: load an example model, build it, parse what it renders."""

from __future__ import annotations

import copy
import functools
import json
import os

import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.checks import run_checks
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars
from conftest import built_example, example_vars  # noqa: F401  pylint: disable=unused-import

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SCHEMAS = os.path.join(ROOT, "..", "shared", "reference", "schemas")
AZURE_SCHEMA = os.path.join(SCHEMAS, "azure", "deploymentSettings.json")
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "small", "azure_local")


def has_example(name: str) -> bool:
    return os.path.isdir(os.path.join(ROOT, "examples", name, "inventory"))


@functools.lru_cache(maxsize=None)
def build_example(name: str) -> dict:
    """pipeline.build of an unmodified example, once per test session (treat the result as read-only)."""
    return built_example(name)


def build(variables: dict) -> dict:
    """Run the whole pipeline in memory; returns pipeline.build's result (files, findings, design)."""
    return pipeline.build(copy.deepcopy(variables))


def clean_build(variables: dict) -> dict:
    """``build`` of a model that must have no error finding (fails the test with the findings otherwise)."""
    result = build(variables)
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert not errors, errors
    return result


def model_and_facts(variables: dict):
    raw, extra = model_from_vars(copy.deepcopy(variables))
    model = load_model(raw, extra)
    return model, site_facts(model)


def findings(variables: dict, prefix: str = "ATC"):
    """Check findings (rule, path, message) of a model, only rules starting with ``prefix``."""
    model, facts = model_and_facts(variables)
    active, _waived = run_checks(model, facts, design(model, facts))
    return [f for f in active if f.rule.startswith(prefix)]


def designed(variables: dict) -> dict:
    model, facts = model_and_facts(variables)
    return design(model, facts)


def cluster(variables: dict, name: str) -> dict:
    return next(c for c in variables["dcnet_clusters"] if c["name"] == name)


def host_network(result: dict, cluster_name: str) -> dict:
    return json.loads(result["files"][f"azure_local/{cluster_name}/hostNetwork.json"])


def structured(result: dict, device: str) -> dict:
    return yaml.load(result["files"][f"structured/{device}.yml"], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
