"""Rules about the rule run itself: waivers, and a check that cannot run.

A waiver (``waivers: [{rule, path, reason, expires}]``) hides the findings of
one rule at one model path (or under a prefix ending in ``*``) until it
expires.  Waived findings stay in the reports, listed apart.
"""

from __future__ import annotations

import datetime

from ..findings import Finding, sort_findings
from .registry import declare

FAMILY = "waivers"

BAD_DATE = declare("WAIVE001", "error", "Bad waiver date", FAMILY,
                   "A waiver's expiry must be a date YYYY-MM-DD.", stage="waiver")
EXPIRED = declare(
    "WAIVE002", "error", "Expired waiver", FAMILY,
    "An expired waiver no longer hides its finding and is itself an error until renewed or removed.",
    stage="waiver")
UNKNOWN_RULE = declare(
    "WAIVE003", "error", "Waiver of an unknown rule", FAMILY,
    "A waiver names a rule id that is not in this catalogue (a typo, or a rule that was retired); it waives "
    "nothing.", stage="waiver")
UNUSED = declare(
    "WAIVE004", "warning", "Waiver matching no finding", FAMILY,
    "A valid waiver that hides nothing: the finding is gone or the path is wrong. Remove it, so stale waivers "
    "do not pile up.", stage="waiver")
RULE_FAILED = declare(
    "CHECK000", "error", "A check could not run", "engine",
    "A rule raised an exception on this model instead of returning findings: a dcnet.fabric bug. The other "
    "rules still run; report the model with the message.", stage="waiver")


def run_rule(rule, model, facts, design) -> list:
    """A check's findings, stamped with its id and severity; a crash becomes a CHECK000 finding."""
    try:
        found = list(rule.func(model, facts, design) or ())
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide every other finding
        return [RULE_FAILED.at(f"checks[{rule.id}]",
                               f"rule {rule.id} could not run on this model: {type(exc).__name__}: {exc}",
                               "report this as a dcnet.fabric bug, with the model")]
    return [f if (f.rule, f.severity) == (rule.id, rule.severity)
            else Finding(rule.id, f.path, f.message, f.hint, rule.severity, f.related) for f in found]


def _matches(waiver, finding) -> bool:
    if waiver["rule"] != finding.rule:
        return False
    pattern = waiver["path"]
    if pattern.endswith("*"):
        return finding.path.startswith(pattern[:-1])
    return finding.path == pattern


def apply_waivers(model, findings, known, today=None):
    """(active findings, [(waived finding, waiver)]) after the model's waivers.

    A waiver with a bad date (WAIVE001), an expired one (WAIVE002) or one naming an unknown rule
    (WAIVE003) is an error and waives nothing; a valid waiver that matches no finding is a warning
    (WAIVE004) so stale waivers get cleaned up.  A CHECK000 finding is never waived.
    """
    today = today or datetime.date.today()
    active, waived, waivers = [], [], []
    for idx, waiver in enumerate(model.waivers):
        path = f"waivers[{idx}]"
        try:
            expires = datetime.date.fromisoformat(waiver["expires"])
        except ValueError:
            active.append(BAD_DATE.at(f"{path}.expires", f"'{waiver['expires']}' is not a date YYYY-MM-DD",
                                      "write the expiry as 2027-06-30"))
            continue
        if waiver["rule"] not in known:
            active.append(UNKNOWN_RULE.at(f"{path}.rule", f"unknown rule '{waiver['rule']}'",
                                          "use a rule id from docs/checks.md"))
            continue
        if expires < today:
            active.append(EXPIRED.at(path, f"waiver of {waiver['rule']} for {waiver['path']} expired on {expires}",
                                     "fix the finding, or renew the waiver with a new reason and date"))
            continue
        waivers.append((idx, waiver))
    used = set()
    for finding in findings:
        match = next(((i, w) for i, w in waivers if _matches(w, finding)), None)
        if match and finding.rule != RULE_FAILED.id:
            used.add(match[0])
            waived.append((finding, match[1]))
        else:
            active.append(finding)
    for idx, waiver in waivers:
        if idx not in used:
            active.append(UNUSED.at(f"waivers[{idx}]", f"waiver of {waiver['rule']} for {waiver['path']} "
                                    "matches no finding", "remove the waiver (the finding is gone) or fix its path"))
    return sort_findings(active), sorted(waived, key=lambda fw: (fw[0].rule, fw[0].path))
