"""The YAML writer: whatever plain data goes in comes back from yaml.safe_load unchanged."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.dcnet.fabric.plugins.module_utils.render.yamltext import dump, scalar_text

SPECIAL = ["a\nb", "{\n  \"x\": 1\n}\n", "x\n\n", " a\nb", "a \nb", "a\n", "\n", "yes", "No", "on", "1:20",
           "0x1f", "1e3", "2026-01-01", "~", "- a", "a: b", "#x", "fd00::1", "10.0.0.0/24", "leaf01a:Ethernet1",
           "65000:100", "", " ", "y", "*a"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12), st.sampled_from(SPECIAL))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(data)
def test_round_trip(value):
    assert yaml.safe_load(dump(value)) == value


def test_values_other_readers_take_for_numbers_are_quoted():
    for text in ("1e3", "1_000", "0o17", "y", "N", ".5"):
        assert scalar_text(text).startswith('"'), text
    for text in ("10.0.0.1", "fd00:10::1", "leaf01a", "802.3ad", "layer3+4"):
        assert scalar_text(text) == text
