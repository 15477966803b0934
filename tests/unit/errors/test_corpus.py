"""The negative-case corpus: each cases/*.yml breaks one thing and names exactly what must be found.

A case file:

    description: what is broken and why it must be caught
    base: small                      # examples/<base>, default small
    mutation:                        # edits of the model (harness.apply)
      - {op: set, path: "networks[mgmt].mtu", value: 1000}
    design:                          # optional edits of facts / structured configs
      - {in: facts, op: set, path: "host_ports[leaf01a][swp1].native_vlan", value: 30}
    today: 2026-06-01                # optional, for waiver expiry
    expect:                          # exactly the findings the mutation adds
      - {rule: MTU006, path: "networks[mgmt].mtu"}

Adding a case is adding a file.
"""

from __future__ import annotations

import datetime
import glob
import os

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import all_rules

from .harness import TODAY, new_findings

CASES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "cases", "*.yml")))


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("case", CASES, ids=[os.path.basename(c)[:-4] for c in CASES])
def test_case(case):
    data = _load(case)
    assert set(data) <= {"description", "base", "mutation", "design", "today", "expect"}, f"unknown keys in {case}"
    today = data.get("today") or TODAY
    if isinstance(today, str):
        today = datetime.date.fromisoformat(today)
    added, everything = new_findings(data.get("base", "small"), data.get("mutation") or [], data.get("design") or [], today,
                                     own_waivers=False)
    expected = sorted((e["rule"], e["path"]) for e in data["expect"])
    assert added == expected, "\n".join(str(f) for f in everything)
    for finding in everything:
        assert finding.path and isinstance(finding.path, str)
        assert finding.rule != "CHECK000", str(finding)


# What this corpus covers: every loader rule, the foundation address/ASN rules and every rule of the
# consistency modules. Other modules (Network ATC, MetalLB) have their own tests.
MODULES = ("mtu", "vlans", "bonds", "bgp", "dualstack", "dhcp", "dns_dhcp", "edge")
FOUNDATION = ("ADDR001", "ADDR002", "ASN001", "ASN002")


def _wanted():
    wanted = set(FOUNDATION)
    for rule in all_rules().values():
        # YAML001 is about inventory files (tests/unit/errors/test_strict_yaml.py), DRIFT001 about running
        # state (tests/unit/drift), PLAN* about the batches of a day-2 plan (tests/unit/plan), not model values
        if rule.func is None and not rule.id.startswith(("ATC", "CHECK", "YAML", "DRIFT", "PLAN")):
            wanted.add(rule.id)
        elif rule.func is not None and rule.func.__module__.rsplit(".", 1)[-1] in MODULES:
            wanted.add(rule.id)
    return wanted


def test_corpus_size_and_coverage():
    """At least 150 cases; every rule listed above is exercised by one."""
    assert len(CASES) >= 150, len(CASES)
    covered = {e["rule"] for c in CASES for e in _load(c)["expect"]}
    missing = sorted(_wanted() - covered)
    assert not missing, f"rules without a negative case: {missing}"
