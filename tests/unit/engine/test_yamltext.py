"""The YAML writer: whatever plain data goes in comes back from yaml.safe_load unchanged."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.dcnet.fabric.plugins.module_utils.render.yamltext import (
    _resolved_text, dump, plain_without_resolver, scalar_text)

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


NAME_CHARS = "abcdefyYnNoOtTrRuUlL0123456789_./+:[]-"
HEX_CHARS = "0123456789abcdefABCDEF:/"


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(alphabet=NAME_CHARS, min_size=1, max_size=12),
                 st.text(alphabet=HEX_CHARS, min_size=1, max_size=20),
                 st.text(alphabet="0123456789./:", min_size=1, max_size=20),
                 st.sampled_from(["yes", "No", "ON", "null", "y", "fd00::", "1:2:3:4:5:6:7:8", "10.0.0.1:10",
                                  "65000:10", "a:b", "x[1].y", "leaf01a:Ethernet1/1", "fd00:1::1/64"])))
def test_shortcut_agrees_with_the_resolver(text):
    """Every string the fast path writes plain is one the full decision (PyYAML's resolver) writes plain too."""
    if plain_without_resolver(text):
        assert _resolved_text(text) == text
        assert yaml.safe_load(f"k: {text}\n") == {"k": text}


def test_equal_lists_of_different_types_are_written_apart():
    """1, 1.0 and True compare equal; the flow-list cache must not hand one the other's text."""
    assert dump({"a": [1, 1], "b": [1, True], "c": [1.0, 1.0], "d": [True, True], "e": [1, 1]}) == (
        "a: [1, 1]\nb: [1, true]\nc: [1.0, 1.0]\nd: [true, true]\ne: [1, 1]\n")


def test_question_marks_and_signed_zeros_in_flow_lists():
    """PyYAML rejects '?' inside a flow scalar; 0.0 and -0.0 are equal keys of the flow-list cache."""
    data = {"a": ["yt?", "a?b", "?x"], "b": [0.0, 0.0], "c": [-0.0, -0.0]}
    text = dump(data)
    assert yaml.safe_load(text) == data
    assert "c: [-0.0, -0.0]" in text
