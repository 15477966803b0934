# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Where a run writes: one rule, shared by the render action, the deploy helpers and the docs.

A run of an installed collection (``ansible-playbook dcnet.fabric.render``, an
AWX job, an execution environment) must never write into the collection: it is
read-only there, and a later upgrade would wipe it.  So the build root is, in
order: the ``build_dir`` the user gives; else ``build/`` beside the first
inventory source (the folder ``-i`` names, or the folder of the file it
names); else ``build/`` in the current directory.  A root that falls inside an
installed collection (a folder with ``MANIFEST.json`` above it under
``ansible_collections``) is refused with a message saying what to set.
"""

from __future__ import annotations

import os

from .errors import DcnetError

BUILD_FOLDER = "build"


# Ansible's own default inventory: never a place to write a build tree beside.
SYSTEM_INVENTORIES = ("/etc/ansible/hosts",)


def _first_source(inventory_sources, cwd=None):
    """The first inventory source that is a path on this machine ('localhost,' lists are not)."""
    if isinstance(inventory_sources, str):
        inventory_sources = [inventory_sources]
    for source in inventory_sources or ():
        if not isinstance(source, str) or "," in source:
            continue
        path = os.path.abspath(os.path.join(cwd or os.getcwd(), os.path.expanduser(source)))
        if os.path.exists(path) and path not in SYSTEM_INVENTORIES:
            return path
    return None


def default_root(inventory_sources=None, cwd=None) -> str:
    """``build/`` beside the inventory, else in ``cwd``."""
    source = _first_source(inventory_sources, cwd)
    if source is not None:
        return os.path.join(os.path.dirname(source.rstrip(os.sep)) or os.sep, BUILD_FOLDER)
    return os.path.join(os.path.abspath(cwd or os.getcwd()), BUILD_FOLDER)


def installed_collection(path: str):
    """The root of the installed collection holding ``path`` (None for a checkout or any other folder).

    An installed collection is ``.../ansible_collections/<ns>/<name>/`` with a
    MANIFEST.json; a source checkout (the developer's symlinked tree) has none.
    """
    path = os.path.realpath(path)
    parts = path.split(os.sep)
    for i, part in enumerate(parts):
        if part == "ansible_collections" and len(parts) >= i + 3:
            root = os.sep.join(parts[: i + 3])
            if os.path.isfile(os.path.join(root, "MANIFEST.json")):
                return root
    return None


def build_root(build_dir=None, inventory_sources=None, cwd=None) -> str:
    """The absolute build root of a run (``<root>/<site>/`` holds one site's tree)."""
    if build_dir:
        root = os.path.abspath(os.path.join(cwd or os.getcwd(), os.path.expanduser(str(build_dir))))
    else:
        root = default_root(inventory_sources, cwd)
    inside = installed_collection(_existing_parent(root))
    if inside:
        raise DcnetError(
            f"build folder {root} lies inside the installed collection {inside}, which is read-only in an "
            "execution environment and replaced on upgrade: set build_dir (role variable render_build_dir) to a "
            "folder of your project, or pass an inventory folder (build/ is written beside it)")
    return root


def _existing_parent(path: str) -> str:
    while path and not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path or os.sep


def site_dir(root: str, site: str) -> str:
    return os.path.join(root, site)
