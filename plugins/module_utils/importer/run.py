"""One call per source: read, map, write the draft.  What the action plugin and the tests call."""

from __future__ import annotations

from . import draft as draft_files
from .mapping import build_draft
from .records import ImportInputError
from .rvtools import DEFAULT_MAX_MB, read_rvtools


def import_estate(estate, out_dir: str, check_mode: bool = False, diff: bool = False, ipv4_prefix: int = 24) -> dict:
    """Map an Estate and write the draft; returns {"draft", "plan", "summary"}."""
    if not out_dir:
        raise ImportInputError("import_out (the folder for the draft) is required")
    draft = build_draft(estate, ipv4_prefix=ipv4_prefix)
    plan = draft_files.write_draft(draft, out_dir, check_mode=check_mode, diff=diff)
    counts = draft["counts"]
    conflicts = sum(counts["conflicts"].values())
    summary = (f"{counts['vms']} VMs, {counts['nics']} NICs, {counts['networks']} networks, "
               f"{counts['bond_profiles']} bond profiles, {conflicts} conflict(s) to decide (import_report.md)")
    return {"draft": draft, "plan": plan, "summary": summary}


def import_rvtools(path: str, out_dir: str, check_mode: bool = False, diff: bool = False,
                   max_mb: int = DEFAULT_MAX_MB, ipv4_prefix: int = 24) -> dict:
    """RVTools .xlsx -> draft files in out_dir (nothing written when the file cannot be read)."""
    return import_estate(read_rvtools(path, max_mb=max_mb), out_dir, check_mode, diff, ipv4_prefix)
