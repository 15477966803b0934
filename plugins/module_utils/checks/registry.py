"""The rule registry: every check is a generator of findings with an id.

    @check("ADDR001", "error", "Duplicate address", family="addressing")
    def duplicate_addresses(model, facts, design):
        yield Finding(...)

Rules run on the whole site, never on one device: the model, the site facts
and the design (every device's structured config, built once before the
checks run).
Rule ids raised by the loader and the allocator (MODEL*, REF*, VLAN001, ...)
are catalogued here too (``LOADER_RULES``) so docs/checks.md lists them all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..findings import Finding, sort_findings


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    family: str
    func: object = None
    doc: str = ""


CHECKS: dict = {}


def check(rule_id: str, severity: str, title: str, family: str):
    def register(func):
        if rule_id in CHECKS:
            raise ValueError(f"rule {rule_id} registered twice")
        CHECKS[rule_id] = Rule(rule_id, severity, title, family, func, (func.__doc__ or "").strip())
        return func
    return register


# Rules enforced while loading or allocating (they stop the run before checks).
LOADER_RULES = {
    "MODEL000": ("error", "Required key missing", "model", "A required key of the model is absent."),
    "MODEL001": ("error", "Unknown key", "model", "A key the model does not know; usually a typo. The message suggests the closest known key."),
    "MODEL002": ("error", "Wrong type", "model", "A value of the wrong type (a string where a number is expected, ...)."),
    "MODEL003": ("error", "Value not allowed", "model", "A value outside the allowed choices or pattern."),
    "MODEL004": ("error", "Number out of range", "model", "A number outside its documented range."),
    "MODEL005": (
        "error", "Bad address or prefix", "model",
        "An IP address or prefix that does not parse, has host bits set or is of the wrong family."),
    "MODEL006": ("error", "Duplicate list entry", "model", "Two entries of a list share the same name/key."),
    "VLAN001": ("error", "VLAN id out of range", "vlan", "802.1Q VLAN ids are 1..4094; 0 and 4095 are reserved and NetworkManager rejects >= 4095."),
    "VLAN002": ("error", "VLAN id used twice", "vlan", "Two networks with the same VLAN id would be one broadcast domain."),
    "NET001": ("error", "Gateway outside its network", "addressing", "The gateway must be inside the network's prefix of its family."),
    "NET002": ("error", "Host network without prefix", "addressing", "A non-VM network carries host addresses and needs an IPv4 or IPv6 prefix."),
    "ID001": ("error", "Device name used twice", "model", "Device and cluster names are unique site-wide: they name files and BGP peers."),
    "ID002": ("error", "Id used twice", "model", "Stable ids key address allocation; two devices with one id would get one address."),
    "ID003": (
        "error", "Spine id beyond max_spines", "model",
        "The p2p pool reserves max_spines links per leaf; a larger id would overlap the next leaf's links."),
    "ID004": ("error", "Bad leaf pair size", "model", "A leaf pair has one or two leaves."),
    "ID005": ("error", "No spines", "model", "The fabric needs at least one spine."),
    "REF001": ("error", "Unknown network", "model", "A reference to a network that is not defined (or not used by the cluster)."),
    "REF002": ("error", "Unknown bond profile", "model", "A cluster's bond refers to an undefined bond profile."),
    "REF003": (
        "error", "Unknown leaf or bad cable", "cabling",
        "A NIC is cabled to a leaf that is not in the fabric, or the cable is not 'leaf:port'."),
    "CABLE001": ("error", "Leaf port cabled twice", "cabling", "One leaf port can take one cable; two NICs on one port means a typo in the cabling."),
    "CABLE002": (
        "error", "Bad or reserved leaf port", "cabling",
        "The port name is not a front-panel port of the leaf's platform, or it is a spine uplink / MLAG peer-link port."),
    "CABLE003": ("error", "Node without cabled NIC", "cabling", "A node needs at least one NIC cabled to a leaf."),
    "CABLE004": (
        "error", "Port-channel id collision", "cabling",
        "Two bonds would use the same port-channel id on one leaf; cable bond members to the same port number on both leaves."),
    "CLU001": ("error", "Cluster without bond", "model", "ove and linux clusters attach nodes through a bond."),
    "CLU002": ("error", "Setting of another platform", "model", "intents are Azure Local only, metallb OVE only."),
    "ATC007": (
        "error", "Intent adapter not cabled", "azure_local",
        "Every adapter of every intent must be cabled on every node (Network ATC needs identical adapter names)."),
    "POOL001": ("error", "Pool exhausted", "addressing", "An allocation fell outside its pool: the pool is too small for the ids in use."),
    "ADDR003": ("error", "Explicit address outside its network", "addressing", "A hard-set address must lie inside the network's prefix."),
    "MLB001": ("error", "MetalLB without peer network", "metallb", "MetalLB speakers peer from an address on a network; none was found."),
    "MLB002": (
        "error", "MetalLB peer network without fabric gateway", "metallb",
        "Leaves peer with MetalLB from their SVI on the peer network, so that network needs gateway_on: fabric."),
}


def all_rules() -> dict:
    rules = {rid: Rule(rid, sev, title, fam, None, doc) for rid, (sev, title, fam, doc) in LOADER_RULES.items()}
    rules.update(CHECKS)
    return dict(sorted(rules.items()))


def _waiver_matches(waiver, finding):
    if waiver["rule"] != finding.rule:
        return False
    pattern = waiver["path"]
    if pattern.endswith("*"):
        return finding.path.startswith(pattern[:-1])
    return finding.path == pattern


def _run_rule(rule, model, facts, design):
    """A rule's findings; a rule that crashes becomes a CHECK000 finding instead of a traceback."""
    try:
        return list(rule.func(model, facts, design) or ())
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide every other finding
        return [Finding("CHECK000", f"checks[{rule.id}]",
                        f"rule {rule.id} could not run on this model: {type(exc).__name__}: {exc}",
                        "report this as a dcnet.fabric bug, with the model")]


def run_checks(model, facts, design, today: datetime.date | None = None):
    """Run every registered rule over the designed site; returns (active findings, waived findings).

    Waivers: a waiver with a bad date (WAIVE001), an expired one (WAIVE002) or one naming an unknown
    rule (WAIVE003) is an error and waives nothing; a valid waiver that matches no finding is a
    warning (WAIVE004) so stale waivers get cleaned up.
    """
    today = today or datetime.date.today()
    findings = []
    for rule in CHECKS.values():
        for finding in _run_rule(rule, model, facts, design):
            if finding.rule == "CHECK000":
                findings.append(finding)
                continue
            if finding.rule != rule.id or finding.severity != rule.severity:
                finding = Finding(rule.id, finding.path, finding.message, finding.hint, rule.severity, finding.related)
            findings.append(finding)
    known = all_rules()
    active, waived = [], []
    waivers = []
    for idx, waiver in enumerate(model.waivers):
        path = f"waivers[{idx}]"
        try:
            expires = datetime.date.fromisoformat(waiver["expires"])
        except ValueError:
            active.append(Finding("WAIVE001", f"{path}.expires", f"'{waiver['expires']}' is not a date YYYY-MM-DD",
                                  "write the expiry as 2027-06-30"))
            continue
        if waiver["rule"] not in known:
            active.append(Finding("WAIVE003", f"{path}.rule", f"unknown rule '{waiver['rule']}'",
                                  "use a rule id from docs/checks.md"))
            continue
        if expires < today:
            active.append(Finding("WAIVE002", path, f"waiver of {waiver['rule']} for {waiver['path']} expired on {expires}",
                                  "fix the finding, or renew the waiver with a new reason and date"))
            continue
        waivers.append((idx, waiver))
    used = set()
    for finding in findings:
        match = next(((i, w) for i, w in waivers if _waiver_matches(w, finding)), None)
        if match and finding.rule != "CHECK000":
            used.add(match[0])
            waived.append((finding, match[1]))
        else:
            active.append(finding)
    for idx, waiver in waivers:
        if idx not in used:
            active.append(Finding("WAIVE004", f"waivers[{idx}]", f"waiver of {waiver['rule']} for {waiver['path']} "
                                  "matches no finding", "remove the waiver (the finding is gone) or fix its path",
                                  severity="warning"))
    return sort_findings(active), sorted(waived, key=lambda fw: (fw[0].rule, fw[0].path))


LOADER_RULES.update({
    "WAIVE001": ("error", "Bad waiver date", "waivers", "A waiver's expiry must be a date YYYY-MM-DD."),
    "WAIVE002": (
        "error", "Expired waiver", "waivers",
        "An expired waiver no longer hides its finding and is itself an error until renewed or removed."),
})

# Limits on the raw model (model/bounds.py): measured before anything is copied, templated or loaded.
LOADER_RULES.update({
    "LIMIT001": ("error", "Nested too deep", "limits",
                 "A value nests more mappings/lists than the model ever needs (see Limits); refused before templating."),
    "LIMIT002": ("error", "String too long", "limits", "A string (value or key) longer than the limit (see Limits)."),
    "LIMIT003": (
        "error", "Model too large", "limits",
        "The model would expand to more values or characters than a site of its size needs, usually through a chain "
        "of YAML aliases (billion laughs); refused before anything expands it."),
    "LIMIT004": ("error", "Recursive alias", "limits", "A YAML alias that contains itself cannot be expanded."),
    "LIMIT005": ("error", "Too many devices", "limits", "More switches and nodes than one model may list (see Limits)."),
    "YAML001": (
        "error", "Key written twice", "limits",
        "A YAML mapping in the inventory writes one key twice (YAML keeps the last value silently); the message names "
        "the file and both lines. The project's ansible.cfg sets duplicate_dict_key = error."),
    "DRIFT001": (
        "error", "Node policy not applied", "drift",
        "dcnet.fabric.drift: a NodeNetworkConfigurationEnactment of the node is not Available (Failing, Degraded, "
        "Progressing or without status): the node does not run the NNCP the model rendered."),
})
