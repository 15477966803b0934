"""Every rule id lives in the registry's family modules: a grep of plugins/ finds none anywhere else.

The loader, the allocator and the waivers raise their rules through the declared
``Rule`` objects (``rule.at(path, message, hint)``); design and render code raise
none; the family modules (plugins/module_utils/checks/<family>.py) are the only
files that spell an id.
"""

from __future__ import annotations

import os
import re

from ansible_collections.dcnet.fabric.plugins.module_utils.checks import all_rules
from ansible_collections.dcnet.fabric.plugins.module_utils.checks import load_all, registry
from ansible_collections.dcnet.fabric.plugins.module_utils.design.facts import SiteFacts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, "plugins")
CHECKS = os.path.join(PLUGINS, "module_utils", "checks")
RULE_ID = re.compile(r"\b[A-Z]{2,9}[0-9]{3}\b")
LINT_CODES = re.compile(r"#\s*(noqa|pylint)\b.*$")  # flake8/pylint codes (BLE001) are not rule ids
NOT_FAMILIES = {"__init__.py", "registry.py", "context.py", "load_all.py"}


def _family_modules():
    return {os.path.join(CHECKS, f"{m.__name__.rsplit('.', 1)[-1]}.py") for m in load_all.RULE_MODULES}


def _text_files(top):
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as handle:
                    yield path, handle.read()
            except UnicodeDecodeError:
                continue


def test_no_rule_id_outside_the_family_modules():
    families = _family_modules()
    found = []
    for path, text in _text_files(PLUGINS):
        if path in families:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for rule_id in RULE_ID.findall(LINT_CODES.sub("", line)):
                found.append(f"{os.path.relpath(path, ROOT)}:{number}: {rule_id}")
    assert found == [], "rule ids outside plugins/module_utils/checks/<family>.py:\n" + "\n".join(found)


def test_the_grep_sees_an_id_where_it_should_not_be(tmp_path):
    """The pattern and the comment filter catch a raised id and let a lint code pass."""
    assert RULE_ID.findall(LINT_CODES.sub("", 'errors.append(Finding("OVE004", path, message))')) == ["OVE004"]
    assert RULE_ID.findall(LINT_CODES.sub("", "except Exception:  # noqa: BLE001 - reason")) == []


def test_every_family_module_is_loaded_and_every_id_in_it_is_registered():
    rules = all_rules()
    families = _family_modules()
    assert {os.path.basename(p) for p in families} | NOT_FAMILIES == {
        f for f in os.listdir(CHECKS) if f.endswith(".py")}
    for path in sorted(families):
        with open(path, encoding="utf-8") as handle:
            spelled = {i for line in handle for i in RULE_ID.findall(LINT_CODES.sub("", line))}
        # a family names its own rules, and may cite another family's (e.g. "the IPv6 case is DS004")
        assert spelled <= set(rules), (path, sorted(spelled - set(rules)))


def test_stage_rules_are_declared_with_a_stage_and_raise_through_the_rule():
    rules = all_rules()
    staged = {r.id: r.stage for r in rules.values() if r.func is None}
    assert set(staged.values()) <= {"load", "allocate", "waiver", "drift", "plan"}
    for rule_id in ("MODEL001", "REF003", "CABLE002", "VLAN001", "ATC007"):
        assert staged[rule_id] == "load", rule_id
    for rule_id in ("POOL001", "ADDR003", "CABLE004", "MLB001", "MLB002"):
        assert staged[rule_id] == "allocate", rule_id
    finding = registry.DECLARED["CABLE001"].at("clusters[c].nodes[n].nics[e]", "already cabled", "fix it")
    assert (finding.rule, finding.severity, finding.hint) == ("CABLE001", "error", "fix it")


def test_site_facts_declare_every_field():
    """No stage hangs an undeclared cache on the facts (they have __slots__)."""
    facts = SiteFacts(None)
    try:
        facts.policy = {}  # pylint: disable=assigning-non-slot
    except AttributeError:
        pass
    else:  # pragma: no cover - the assertion names the regression
        raise AssertionError("SiteFacts accepted an undeclared attribute")
    assert not hasattr(facts, "__dict__")
