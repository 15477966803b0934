"""Random damage to examples/small: the loader and the checks answer with located findings, never a traceback.

Each example applies one to three mutations at random places of the model: a value of the
wrong type, a deleted key, an out-of-range number, a broken reference (a random name where a
name is expected), or a duplicated list entry (duplicate ids and names). Whatever happens,
``harness.run`` must return findings (loader/allocator errors are ``ModelError`` findings,
caught there) whose every path is a non-empty string -- and no rule may crash (CHECK000).
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings, strategies as st

from .harness import example, run

BASE = example("small")


def _locations(node, path=()):
    """Every (path, value) in the model: dict keys and list items, depth first."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((path + (key,), value))
            out.extend(_locations(value, path + (key,)))
    elif isinstance(node, list):
        for idx, value in enumerate(node):
            out.append((path + (idx,), value))
            out.extend(_locations(value, path + (idx,)))
    return out


LOCATIONS = [p for p, _value in _locations(BASE)]
WRONG = st.sampled_from([None, True, False, 3.7, "", "x", "leaf01a:swp1", [], {}, [1, 2], {"a": 1}, -1, 0, 2 ** 40])
KNOWN = sorted({v for _path, v in _locations(BASE) if isinstance(v, str)} | {"leaf01a:swp7", "leaf01b:swp7"})
# a random word, or another name/value of the model (a valid but wrong reference reaches deeper stages)
NAMES = st.one_of(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:./", min_size=0, max_size=12),
                  st.sampled_from(KNOWN))
MUTATION = st.tuples(st.sampled_from(["type", "delete", "number", "number", "reference", "reference", "reference", "duplicate"]),
                     st.integers(min_value=0, max_value=len(LOCATIONS) - 1), WRONG, NAMES,
                     st.one_of(st.integers(min_value=-10 ** 6, max_value=10 ** 10),
                               st.integers(min_value=0, max_value=9300)))


def _parent(root, path):
    node = root
    for key in path[:-1]:
        node = node[key]
    return node


def _mutate(raw, mutation):
    kind, index, wrong, name, number = mutation
    live = [p for p, _value in _locations(raw)]
    if not live:
        return
    path = live[index % len(live)]
    parent = _parent(raw, path)
    key = path[-1]
    value = parent[key]
    if kind == "type":
        parent[key] = copy.deepcopy(wrong)
    elif kind == "delete":
        del parent[key]
    elif kind == "number":
        parent[key] = number if isinstance(value, int) and not isinstance(value, bool) else copy.deepcopy(wrong)
    elif kind == "reference":
        parent[key] = name if isinstance(value, str) else copy.deepcopy(wrong)
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(value))
        else:
            parent[key] = [copy.deepcopy(value), copy.deepcopy(value)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MUTATION, min_size=1, max_size=3))
def test_random_damage_gives_located_findings(mutations):
    raw = copy.deepcopy(BASE)
    for mutation in mutations:
        _mutate(raw, mutation)
    findings = run(raw)[1]
    for finding in findings:
        assert isinstance(finding.path, str) and finding.path, str(finding)
        assert finding.rule != "CHECK000", str(finding)
