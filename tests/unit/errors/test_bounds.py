"""Size limits measured on the shared graph: alias chains, depth, long strings, cycles; never an expansion."""

from __future__ import annotations

import time

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model import bounds
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars

from .harness import example

LAUGHS = "a0: &a0 lol\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)) + "dcnet_waivers: *a9\n"


def _rules(findings):
    return sorted({(f.rule, f.path) for f in findings})


def test_billion_laughs_is_refused_without_expanding():
    variables = yaml.safe_load(LAUGHS)          # PyYAML, like Ansible, keeps aliases as shared references
    started = time.perf_counter()
    raw, problems = model_from_vars(variables)
    assert time.perf_counter() - started < 1.0
    assert raw == {}
    assert _rules(problems) == [("LIMIT003", "waivers")]
    assert "dcnet_waivers expands to 1,111,111,111 values" in problems[0].message
    with pytest.raises(ModelError) as info:
        load_model(raw, problems)
    assert info.value.stage == "limits"


def test_deep_nesting_is_refused_with_its_path():
    value = 1
    for _level in range(500):
        value = [value]
    found = bounds.check({"site": {"name": "x", "description": value}})
    assert _rules(found) == [("LIMIT001", "site.description[0]")]
    assert f"deeper than {bounds.MAX_DEPTH}" in found[0].message


def test_depth_counts_through_a_shared_value_met_deeper():
    inner = [[[1]]]
    outer = inner
    for _level in range(bounds.MAX_DEPTH - 2):
        outer = [outer]
    found = bounds.check({"a": inner, "b": outer})   # 'inner' measured shallow first, met deep later
    assert [f.rule for f in found] == ["LIMIT001"]


def test_recursive_alias_is_refused():
    data = yaml.safe_load("dcnet_site: &r {name: x, description: [*r]}\n")
    found = model_from_vars(data)[1]
    assert _rules(found) == [("LIMIT004", "site.description[x]")]


def test_long_strings_and_keys():
    long = "x" * (bounds.MAX_STRING + 1)
    found = bounds.check({"site": {"name": "x", "description": long, long: 1}})
    assert [f.rule for f in found] == ["LIMIT002", "LIMIT002"]
    assert bounds.check({"site": {"description": "x" * bounds.MAX_STRING}}) == []


def test_budget_grows_with_the_site():
    small = example("small")
    assert bounds.check(small) == []
    devices = bounds.count_devices(small)
    assert devices == 2 + 2 + 4
    filler = [{"x": 1}] * (bounds.value_budget(devices) // 2)   # one shared item: still counted each time
    found = bounds.check({**small, "waivers": filler})
    assert [f.rule for f in found] == ["LIMIT003"]
    assert "through YAML aliases" in found[0].message


def test_too_many_devices():
    nodes = [{"name": "n"}] * (bounds.MAX_DEVICES + 1)
    found = bounds.check({"clusters": [{"name": "c", "nodes": nodes}]})
    assert ("LIMIT005", "clusters") in _rules(found)


def test_template_names_follow_every_string_once():
    shared = "{{ big_list | length }} and {% if other %}x{% endif %}"
    raw = {"site": {"description": shared, "x": [shared] * 3, "{{ key_var }}": 1}}
    assert bounds.template_names(raw) >= {"big_list", "other", "key_var"}
    assert "length" not in bounds.template_names({"a": "{{ x.length }}"})


def test_the_bundled_examples_are_far_below_the_limits():
    for name in ("small", "dc1"):
        raw = example(name)
        walk = bounds._Walk()  # pylint: disable=protected-access
        total = sum(walk.size(v, k, 0).values for k, v in raw.items())
        assert total * 4 < bounds.value_budget(bounds.count_devices(raw)), (name, total)
        assert bounds.check(raw) == []
