"""Our EOS configs against an independent generator: Arista AVD's eos_cli_config_gen (pyavd).

The same intent (our design dict) is restated as an AVD structured config (avd_intent.py) and rendered by
pyavd.get_device_config; both texts are read as trees of commands ("parent > child", order-free within a
parent, as EOS itself stores them) and compared command by command. Every difference must be fixed or
listed with its reason in eos_reference_allowlist.yml. Cases: a spine and an MLAG leaf of examples/dc1
(management plane, EVPN, MLAG peering), and an MLAG leaf of examples/small on EOS (RDMA storage, DCB).

Limits: AVD proves the syntax and the structure of what we say, not whether it is the right thing to say
(that is the design tests' and the checks' job); commands AVD has no model for cannot be compared
(allow-list); the comparison is per command, so an order that matters inside one block (none of ours
today) would not be seen.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from . import avd_intent, models

pyavd = pytest.importorskip("pyavd", reason="pyavd (requirements-dev.txt) is the EOS reference")

HERE = os.path.dirname(os.path.abspath(__file__))
DC1 = os.path.join(models.ROOT, "examples", "dc1", "inventory")
CASES = {"dc1-spine": ("dc1", "spine1"), "dc1-mlag-leaf": ("dc1", "leaf01a"), "small-rdma-mlag-leaf": ("small", "leaf01a"),
         "dc1-border-leaf": ("dc1", "leaf13a")}
_BUILDS = {}


def _build(site):
    if site not in _BUILDS:
        if site == "dc1":
            result = models.built_dc1()
        else:
            result = models.build(models.small("eos"), targets=("switches",))
        assert not models.errors(result), models.errors(result)[:3]
        _BUILDS[site] = result
    return _BUILDS[site]


def command_tree(text):
    """{"parent > child" path} of an indented config; comments, '!' and 'end' dropped."""
    out, stack = set(), []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("!") or line == "end":
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        out.add(" > ".join([s[1] for s in stack] + [line]))
        stack.append((indent, line))
    return out


def _allowlist():
    with open(os.path.join(HERE, "eos_reference_allowlist.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _compare(case):
    site, device = CASES[case]
    result = _build(site)
    config = result["design"]["switches"][device]
    structured = avd_intent.avd_structured_config(config)
    violations = [(v.path, v.message) for v in pyavd.validate_structured_config(structured).validation_result.violations]
    reference = pyavd.get_device_config(structured)
    ours = command_tree(models.switch_files(result)[f"{device}.cfg"])
    avd = command_tree(reference)
    return violations, sorted(ours - avd), sorted(avd - ours), ours


@pytest.mark.parametrize("case", sorted(CASES))
def test_eos_config_matches_avd_command_by_command(case):
    violations, ours_only, avd_only, ours = _compare(case)
    assert not violations, f"the AVD intent is not valid AVD input: {violations[:5]}"
    allowed = _allowlist()
    unexplained = []
    for side, paths in (("ours", ours_only), ("avd", avd_only)):
        for path in paths:
            if not any(e["side"] == side and re.search(e["command"], path) for e in allowed):
                unexplained.append(f"{side} only: {path}")
    assert not unexplained, "differences from AVD neither fixed nor in the allow-list:\n" + "\n".join(unexplained)
    assert len(ours) > 100, "the comparison read almost nothing"


def test_every_allowlist_entry_is_used_and_reasoned():
    used = set()
    for case in CASES:
        _v, ours_only, avd_only, _o = _compare(case)
        for index, entry in enumerate(_allowlist()):
            paths = ours_only if entry["side"] == "ours" else avd_only
            if any(re.search(entry["command"], p) for p in paths):
                used.add(index)
    entries = _allowlist()
    assert all(len(e.get("reason", "")) > 40 for e in entries)
    assert used == set(range(len(entries))), [entries[i]["command"] for i in set(range(len(entries))) - used]


def test_a_wrong_line_fails_the_comparison():
    """The comparison is not blind: the 0.1 BFD line (without `default`) is a difference."""
    result = _build("dc1")
    config = result["design"]["switches"]["spine1"]
    text = models.switch_files(result)["spine1.cfg"].replace(" multiplier 3 default\n", " multiplier 3\n")
    avd = command_tree(pyavd.get_device_config(avd_intent.avd_structured_config(config)))
    assert "router bfd > interval 300 min-rx 300 multiplier 3" in command_tree(text) - avd
