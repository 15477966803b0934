"""docs/checks.md is generated from the registry and committed up to date; every rule is documented."""

from __future__ import annotations

import importlib.util
import inspect
import os

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MY_FAMILIES = ("mtu", "vlan", "bond", "bgp", "dualstack", "dhcp")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_checks_doc", os.path.join(ROOT, "tests", "tools", "gen_checks_doc.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_docs_are_current():
    with open(os.path.join(ROOT, "docs", "checks.md"), encoding="utf-8") as handle:
        committed = handle.read()
    assert committed == _generator().checks_markdown(), "docs/checks.md is stale: run tests/tools/gen_checks_doc.py"


def test_every_rule_has_a_section():
    text = _generator().checks_markdown()
    for rule_id in all_rules():
        assert f"\n### {rule_id}\n" in text, rule_id


def test_consistency_rules_say_what_why_and_how():
    """The rules of the consistency families have three paragraphs: what, why it breaks, how to fix."""
    for rule in (r for r in all_rules().values() if r.func is not None):
        if rule.family not in MY_FAMILIES or rule.id in ("ASN001", "ASN002"):
            continue
        paragraphs = [p for p in inspect.cleandoc(rule.doc).split("\n\n") if p.strip()]
        assert len(paragraphs) == 3, (rule.id, len(paragraphs))
        assert rule.severity in ("error", "warning", "info")
