"""The rule registry: every rule id the engine can report, with its catalogue entry.

Two kinds of rule live in the family modules of this package:

* checks, ``@check(id, severity, title, family)`` on a generator
  ``rule(model, facts, design)`` of findings.  They run once over the whole
  designed site (the model, the site facts and every device's structured
  config, built before the checks run), never on one device;
* stage rules, ``declare(id, severity, title, family, doc, stage)``: what the
  loader (``load``) or the allocator (``allocate``) enforces while it builds
  the model and the site facts, and the registry's own rules about waivers
  (``waiver``).  Those stages raise them through the declared ``Rule``
  (``rule.at(path, message, hint)``), so no rule id is written outside the
  family modules.

The docstring (or ``doc``) of a rule is its entry in docs/checks.md, and any
rule can be waived by id.  Family modules are imported on first use of the
registry (``all_rules``, ``run_checks``), so the loader can import its own
declarations without importing the design.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ..findings import Finding

STAGES = ("load", "allocate", "check", "waiver", "drift", "plan")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    family: str
    func: object = None
    doc: str = ""
    stage: str = "check"

    def at(self, path: str, message: str, hint: str = "", related=()) -> Finding:
        """A finding of this rule at a model path."""
        return Finding(self.id, path, message, hint, self.severity, tuple(related))


CHECKS: dict = {}  # id -> Rule of every @check, in registration order (= report order)
DECLARED: dict = {}  # id -> Rule of every stage rule


def _claim(rule_id: str) -> None:
    if rule_id in CHECKS or rule_id in DECLARED:
        raise ValueError(f"rule {rule_id} registered twice")


def check(rule_id: str, severity: str, title: str, family: str):
    """Register a check: a generator ``rule(model, facts, design)`` of findings."""
    def register(func):
        _claim(rule_id)
        CHECKS[rule_id] = Rule(rule_id, severity, title, family, func, inspect.cleandoc(func.__doc__ or ""))
        return func
    return register


def declare(rule_id: str, severity: str, title: str, family: str, doc: str, stage: str = "load") -> Rule:
    """Register a rule a stage before the checks enforces; the stage raises it with ``rule.at(...)``."""
    if stage not in STAGES or stage == "check":
        raise ValueError(f"rule {rule_id}: stage {stage!r} is not one of load, allocate, waiver, drift, plan")
    _claim(rule_id)
    rule = Rule(rule_id, severity, title, family, None, inspect.cleandoc(doc), stage)
    DECLARED[rule_id] = rule
    return rule


def _load_families() -> None:
    from . import load_all  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import


def all_rules() -> dict:
    """Every rule (checks and stage rules), sorted by id."""
    _load_families()
    return dict(sorted({**DECLARED, **CHECKS}.items()))


def run_checks(model, facts, design, today=None):
    """Run every registered check over the designed site; returns (active findings, waived findings).

    The waivers of the model are applied last (checks/waivers.py).
    """
    _load_families()
    from .waivers import apply_waivers, run_rule  # pylint: disable=import-outside-toplevel

    findings = []
    for rule in CHECKS.values():
        findings += run_rule(rule, model, facts, design)
    return apply_waivers(model, findings, all_rules(), today)
