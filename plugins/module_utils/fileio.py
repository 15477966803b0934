"""Atomic, idempotent writes of a whole artifact tree.

Everything is rendered in memory first; only then are files written, each
through a temporary file and a rename, and only when its content changed.
A run that fails before ``write_tree`` leaves the previous tree untouched.
A manifest lists what the last run wrote so stale files are removed.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile

MANIFEST = ".dcnet-manifest.json"


def _read(path):
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def atomic_write(path: str, content: str, mode: int = 0o644) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dcnet-", dir=os.path.dirname(path) or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_manifest(root: str) -> dict:
    """{target: [files]} written by the previous run under ``root``."""
    try:
        data = json.loads(_read(os.path.join(root, MANIFEST)) or "{}")
    except ValueError:
        return {}
    targets = data.get("targets") if isinstance(data, dict) else None
    return targets if isinstance(targets, dict) else {}


def plan_tree(root: str, files: dict, modes: dict | None = None, diff_lines: int = 0, owners: dict | None = None) -> dict:
    """What writing ``files`` ({relative path: content}) under ``root`` would change.

    ``owners`` maps each file to the target that produced it; files that the
    same targets wrote last time and no longer produce are removed.
    """
    modes = modes or {}
    targets = set((owners or {}).values())
    manifest = read_manifest(root)
    previous = [f for t in targets for f in manifest.get(t, [])]
    changed, created, removed, diffs = [], [], [], []
    for rel in sorted(files):
        path = os.path.join(root, rel)
        old = _read(path)
        mode = modes.get(rel, 0o644)
        mode_differs = old is not None and (os.stat(path).st_mode & 0o777) != mode
        if old == files[rel] and not mode_differs:
            continue
        (created if old is None else changed).append(rel)
        if diff_lines and len(diffs) < diff_lines:
            diffs.append({"before_header": rel, "after_header": rel, "before": old or "", "after": files[rel]})
    for rel in sorted(set(previous) - set(files)):
        if os.path.exists(os.path.join(root, rel)):
            removed.append(rel)
    return {"changed": changed, "created": created, "removed": removed, "diffs": diffs,
            "unchanged": len(files) - len(changed) - len(created)}


def write_tree(root: str, files: dict, modes: dict | None = None, owners: dict | None = None) -> dict:
    """Write changed files atomically, remove stale ones, update the manifest."""
    modes = modes or {}
    plan = plan_tree(root, files, modes, owners=owners)
    for rel in plan["created"] + plan["changed"]:
        atomic_write(os.path.join(root, rel), files[rel], modes.get(rel, 0o644))
    for rel in plan["removed"]:
        os.unlink(os.path.join(root, rel))
    targets = read_manifest(root)
    for target in set((owners or {}).values()):
        targets[target] = sorted(f for f, t in owners.items() if t == target)
    manifest = json.dumps({"targets": dict(sorted(targets.items()))}, indent=1) + "\n"
    if _read(os.path.join(root, MANIFEST)) != manifest:
        atomic_write(os.path.join(root, MANIFEST), manifest)
    return plan


def unified_diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"))
