"""The registry: a crashing rule is reported (CHECK000) and the other rules still run; rule ids are unique."""

from __future__ import annotations

import datetime
import os

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import registry
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture(name="small")
def _small():
    raw = example_model("small")
    model = load_model(raw)
    return model, site_facts(model)


def test_crashing_rule_becomes_check000(small, monkeypatch):
    def broken(model, facts, design):
        raise KeyError(f"nope {len(model.networks)} {len(facts.switches)}")
    monkeypatch.setitem(registry.CHECKS, "ZZZ999", registry.Rule("ZZZ999", "error", "broken", "test", broken, "x"))
    model, facts = small
    active, _waived = registry.run_checks(model, facts, design(model, facts), today=datetime.date(2026, 6, 1))
    crashed = [f for f in active if f.rule == "CHECK000"]
    assert [(f.path, f.severity) for f in crashed] == [("checks[ZZZ999]", "error")]
    assert "KeyError" in crashed[0].message
    assert any(f.rule == "BGP004" for f in active)  # the other rules ran


def test_rule_ids_are_registered_once():
    registry.all_rules()  # the family modules register on first use
    with pytest.raises(ValueError):
        registry.check("BGP001", "warning", "again", "bgp")(lambda model, facts: ())
