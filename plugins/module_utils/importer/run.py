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


def import_vcenter(out_dir: str, host: str = "", user: str = "", password: str = "", port: int = 443,
                   validate_certs: bool = True, recording: str = "", save_recording: str = "",
                   check_mode: bool = False, diff: bool = False, ipv4_prefix: int = 24) -> dict:
    """A live vCenter (or a recording of one, ``recording``: the JSON ``save_recording`` wrote) -> draft files."""
    import json

    from .vcenter import collect, estate_from_properties

    if recording:
        try:
            with open(recording, encoding="utf-8") as handle:
                objects = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ImportInputError(f"{recording}: not a vCenter recording ({exc})") from None
        if not isinstance(objects, list) or not all(isinstance(o, dict) and {"type", "moref", "props"} <= set(o)
                                                    for o in objects):
            raise ImportInputError(f"{recording}: not a vCenter recording (a list of {{type, moref, props}} objects)")
        source = recording.rsplit("/", 1)[-1]
    else:
        if not (host and user and password):
            raise ImportInputError("import_vcenter needs the host, a user and a password (import_vcenter_user, "
                                   "import_vcenter_password)")
        objects = collect(host, user, password, port=port, validate_certs=validate_certs)
        source = host
        if save_recording and not check_mode:
            from ..fileio import atomic_write

            atomic_write(save_recording, json.dumps(objects, indent=1, sort_keys=True) + "\n", 0o600)
    return import_estate(estate_from_properties(objects, source), out_dir, check_mode, diff, ipv4_prefix)
