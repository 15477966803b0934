"""Write a folder of golden files from a fresh render, for the regen_*.py scripts.

Each script decides which files it owns and which are stale; this writes only
what changed (so `git diff` shows the review) and says what it did.
"""

from __future__ import annotations

import glob
import os


def under(folder: str, prefix: str = "") -> list:
    """Paths, relative to ``folder``, of the files below ``folder/prefix``."""
    paths = glob.glob(os.path.join(folder, prefix, "**", "*"), recursive=True)
    return [os.path.relpath(p, folder) for p in paths if os.path.isfile(p)]


def write(folder: str, files: dict, stale=(), label: str = "") -> None:
    """Remove the ``stale`` paths, then write each ``{relative path: text}`` whose text changed."""
    for rel in sorted(stale):
        os.remove(os.path.join(folder, rel))
        print(f"removed {label}{rel}")
    for rel, text in sorted(files.items()):
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            print(f"{'updated' if old is not None else 'created'} {label}{rel}")
