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

MANIFEST = ".dcnet-manifest.json"


def _read(path):
    """A file's text, None when absent; bytes that are not UTF-8 read as U+FFFD (the file differs: rewritten)."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def atomic_write(path: str, content: str, mode: int = 0o644) -> None:
    """Write through a temporary file in the same directory and rename it over ``path``."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    _write_replace(path, content.encode("utf-8"), mode)


def _write_replace(path: str, data: bytes, mode: int) -> None:
    # a name no other run uses at the same time (pid), next to the file so the rename is atomic
    tmp = os.path.join(os.path.dirname(path) or ".", f".{os.path.basename(path)}.dcnet-{os.getpid()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o600)
    except FileExistsError:  # left by a killed run that had the same pid: never write through it
        os.unlink(tmp)
        fd = os.open(tmp, flags, 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
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


def plan_files(root: str, files: dict, modes: dict | None = None, diff_lines: int = 0) -> dict:
    """Which of ``files`` ({relative path: content}) are new or different under ``root``.

    ``diff_lines`` caps the diffs kept (the first files in path order).
    """
    modes = modes or {}
    changed, created, diffs = [], [], []
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
    return {"changed": changed, "created": created, "removed": [], "diffs": diffs,
            "unchanged": len(files) - len(changed) - len(created)}


def stale_files(root: str, owners: dict) -> list:
    """Files the targets in ``owners`` ({path: target}) wrote last time and produce no more."""
    manifest = read_manifest(root)
    previous = {f for t in set(owners.values()) for f in manifest.get(t, [])}
    return sorted(rel for rel in previous - set(owners) if os.path.exists(os.path.join(root, rel)))


def plan_tree(root: str, files: dict, modes: dict | None = None, diff_lines: int = 0, owners: dict | None = None) -> dict:
    """What writing ``files`` ({relative path: content}) under ``root`` would change.

    ``owners`` maps each file to the target that produced it; files that the
    same targets wrote last time and no longer produce are removed.
    """
    plan = plan_files(root, files, modes, diff_lines)
    plan["removed"] = stale_files(root, owners or {})
    return plan


def write_files(root: str, files: dict, modes: dict | None, plan: dict) -> None:
    """Write the created and changed files of ``plan`` (from plan_files), each atomically."""
    modes = modes or {}
    folders = set()
    for rel in plan["created"] + plan["changed"]:
        path = os.path.join(root, rel)
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        _write_replace(path, files[rel].encode("utf-8"), modes.get(rel, 0o644))


def finish_tree(root: str, owners: dict, removed: list) -> None:
    """Remove the stale files and record what each target wrote (the manifest)."""
    for rel in removed:
        os.unlink(os.path.join(root, rel))
    targets = read_manifest(root)
    by_target: dict = {}
    for path, target in owners.items():
        by_target.setdefault(target, []).append(path)
    for target, paths in by_target.items():
        targets[target] = sorted(paths)
    manifest = json.dumps({"targets": dict(sorted(targets.items()))}, indent=1) + "\n"
    if _read(os.path.join(root, MANIFEST)) != manifest:
        atomic_write(os.path.join(root, MANIFEST), manifest)


def write_tree(root: str, files: dict, modes: dict | None = None, owners: dict | None = None) -> dict:
    """Write changed files atomically, remove stale ones, update the manifest."""
    plan = plan_tree(root, files, modes, owners=owners)
    write_files(root, files, modes, plan)
    finish_tree(root, owners or {}, plan["removed"])
    return plan


def unified_diff(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"))
