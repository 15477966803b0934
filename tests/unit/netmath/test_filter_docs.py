"""Every filter is documented, and every example in its docs runs and gives what it says."""

from __future__ import annotations

import json

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ._filters import NAMES, documentation, environment, examples, module

EXPECTED = {
    "p2p_link", "nth_subnet", "nth_host", "gateway", "loopback", "router_id", "subnets", "pool_usage",
    "overlaps", "merge", "asn_for", "asdot", "asplain", "is_private_asn", "inner_mtu", "frame_size",
    "path_mtu", "expand_vlans", "compress_vlans", "embed_ipv4", "eui64", "ptr", "reverse_zone",
}
ENV = environment()


def test_every_filter_of_the_issue_exists():
    assert EXPECTED <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_documentation(name):
    doc = documentation(name)
    assert doc["name"] == name
    assert doc["short_description"] and doc["description"]
    assert "_input" in doc["options"]
    for option in doc["options"].values():
        assert option["description"] and option["type"]
    ret = yaml.safe_load(module(name).RETURN)
    assert "_value" in ret
    assert set(module(name).FilterModule().filters()) == {name}


@pytest.mark.parametrize("name", NAMES)
def test_positional_options_match_the_function(name):
    """Options named in the docs are keyword arguments of the function."""
    import inspect

    func = module(name).FilterModule().filters()[name]
    params = list(inspect.signature(func).parameters)
    options = [o for o in documentation(name)["options"] if o != "_input"]
    assert options == params[1:], (options, params)


CASES = [(name, expr, kind, want) for name in NAMES for expr, kind, want in examples(name)]


def test_every_filter_has_examples_including_a_failure():
    per_name = {}
    for name, _expr, kind, _want in CASES:
        per_name.setdefault(name, set()).add(kind)
    assert set(per_name) == set(NAMES)
    missing = sorted(n for n, kinds in per_name.items() if "fails" not in kinds and n != "merge")
    assert not missing, f"no failing example in {missing}"


@pytest.mark.parametrize("name,expr,kind,want", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_example(name, expr, kind, want):
    template = ENV.from_string("{{ (" + expr + ") | tojson }}")
    if kind == "=>":
        assert json.loads(template.render()) == want
    else:
        with pytest.raises(AnsibleFilterError) as err:
            template.render()
        message = str(err.value)
        assert message.startswith(want), message
        assert message.startswith(name + ": ")
