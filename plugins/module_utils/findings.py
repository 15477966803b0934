"""Findings: what a rule reports, located in the model."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DcnetError

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One result of a rule: id, model path, message and fix hint.

    ``related`` holds the other model paths of a disagreement (the far end of
    a cable, the other device of a BGP session) so a report shows both sides.
    """

    rule: str
    path: str
    message: str
    hint: str = ""
    severity: str = "error"
    related: tuple = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "message": self.message,
                "hint": self.hint, "related": list(self.related)}

    def __str__(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.rule} {self.severity}: {self.path}: {self.message}{hint}"


def sort_findings(findings) -> list:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order.get(f.severity, 9), f.rule, f.path, f.message))


class ModelError(DcnetError):
    """The model cannot be used: carries every error found, sorted."""

    def __init__(self, findings, stage="validate"):
        self.findings = sort_findings(findings)
        self.stage = stage
        lines = [str(f) for f in self.findings]
        super().__init__(f"{len(lines)} error(s) in the model ({stage}):\n" + "\n".join(lines))
