# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Where the two models of a plan come from: an inventory folder, or a git revision of one.

``plan_from`` / ``plan_to`` are each

* a folder (or an inventory file) holding the model as ``dcnet_*`` variables in
  ``group_vars/all.yml``, ``group_vars/all/*.yml`` or the inventory file's
  ``all: vars:``; or
* a git revision (``HEAD~1``, ``v1.4``, a commit id), optionally ``REV:path`` to
  name the inventory folder inside the repository.  Without a path, the folder of
  the current inventory is used at that revision.  The tree is read with
  ``git archive`` from the local repository: no network, no checkout touched.

Values are read as written (YAML, no Jinja templating; the model needs none).
Later files win for a variable written twice, as Ansible's group_vars do.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile

from ..errors import DcnetError

PREFIX = "dcnet_"
YAML = (".yml", ".yaml")


def _load_yaml(path):
    import yaml  # pylint: disable=import-outside-toplevel
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise DcnetError(f"{path}: not readable as YAML: {str(exc).splitlines()[0]}") from None


def _files(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and name.endswith(YAML):
            out.append(("inventory", path))
    group = os.path.join(folder, "group_vars")
    for name in ("all.yml", "all.yaml", "all"):
        path = os.path.join(group, name)
        if os.path.isfile(path):
            out.append(("vars", path))
        elif os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                out += [("vars", os.path.join(dirpath, f)) for f in sorted(filenames) if f.endswith(YAML)]
    return out


def read_inventory(location: str) -> dict:
    """The model (top keys without ``dcnet_``) of an inventory folder or file."""
    folder = location if os.path.isdir(location) else os.path.dirname(os.path.abspath(location))
    raw = {}
    for kind, path in _files(folder):
        data = _load_yaml(path)
        if kind == "inventory":
            data = ((data or {}).get("all") or {}).get("vars") if isinstance(data, dict) else None
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            if isinstance(key, str) and key.startswith(PREFIX):
                raw[key[len(PREFIX):]] = value
    if not raw:
        raise DcnetError(f"{location}: no dcnet_* variables in its inventory (group_vars/all or all: vars:)")
    return raw


def _git(repo, *args, binary=False):
    proc = subprocess.run(["git", "-C", repo, *args], capture_output=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise DcnetError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8").strip()


def read_git(spec: str, inventory: str) -> dict:
    """The model of an inventory folder at a git revision (``REV`` or ``REV:path``)."""
    base = inventory if os.path.isdir(inventory) else os.path.dirname(os.path.abspath(inventory))
    rev, _sep, path = spec.partition(":")
    try:
        top = _git(base, "rev-parse", "--show-toplevel")
        _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except DcnetError as exc:
        raise DcnetError(f"'{spec}' is neither a folder nor a git revision of the repository holding {base}: "
                         f"{exc}") from None
    rel = path.strip("/") or os.path.relpath(os.path.realpath(base), os.path.realpath(top))
    rel = "" if rel == "." else rel
    data = _git(top, "archive", "--format=tar", rev, "--", rel or ".", binary=True)
    with tempfile.TemporaryDirectory(prefix="dcnet-plan-git-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        return read_inventory(os.path.join(tmp, rel) if rel else tmp)


def load(spec: str, inventory: str = ".") -> tuple:
    """(model, label) of ``plan_from``/``plan_to``: a folder or file if it exists, else a git revision."""
    if not spec or not isinstance(spec, str):
        raise DcnetError("give an inventory folder or a git revision")
    if os.path.exists(spec):
        return read_inventory(spec), os.path.normpath(spec)
    return read_git(spec, inventory), f"git {spec}"
