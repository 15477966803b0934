"""Read the inventory's YAML files ourselves: duplicate keys, and where each model value was written.

Ansible warns about a duplicate mapping key and keeps the last value (a NIC
listed twice becomes a one-member bond without a word); with
``duplicate_dict_key = error`` (the project's ansible.cfg) it stops without
naming the file.  ``scan`` composes every YAML file of the inventory into
PyYAML's node graph -- linear in the file's size: an alias stays one shared
node, nothing is constructed or expanded -- and returns

* a "key written twice" finding per duplicate key inside a ``dcnet_*`` variable, with
  the file, both lines and the model path;
* ``Locations``: model path -> ``file:line``, so any finding can name the
  file and line the user has to edit.
"""

from __future__ import annotations

import os
import re

from ..checks import limits as rules
from .bounds import MAX_DEPTH, MAX_STRING
from .schema import MODEL, VAR_PREFIX
from .spec import List, Map, Obj, OneOf

try:
    import yaml
    # libyaml's composer when PyYAML has it (as Ansible's own loader): the pure-Python one is ~10x slower
    _LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core on the controller
    yaml = None

YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILES = 10_000
MAX_FILE_BYTES = 32 * 1024 * 1024
_MERGE = "tag:yaml.org,2002:merge"
_STEP = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def steps(path: str) -> tuple:
    """``a.b[c].d`` -> ('a', 'b', 'c', 'd'): mapping keys and list items alike (the loader writes
    ``bond_profiles[lacp]`` for a mapping of names, a file has ``bond_profiles: {lacp: ...}``)."""
    return tuple(item or key for item, key in _STEP.findall(path))


class Locations:
    """Model path -> (file, line) of the value written there; ``find`` also answers for paths below it."""

    def __init__(self):
        self.where = {}

    def add(self, path, file, line):
        self.where[steps(path)] = (file, line)

    def find(self, path: str):
        """The location of ``path`` or of its nearest written ancestor, or None."""
        key = steps(path)
        while key:
            if key in self.where:
                return self.where[key]
            key = key[:-1]
        return None

    def label(self, path: str, start: str | None = None) -> str:
        found = self.find(path)
        if not found:
            return ""
        file, line = found
        if start:
            rel = os.path.relpath(file, start)
            file = rel if not rel.startswith("..") else file
        return f"{file}:{line}"


def inventory_files(sources, extra_dirs=()) -> list:
    """YAML files Ansible reads for an inventory: the sources and their group_vars/host_vars trees."""
    found = []
    roots = []
    for source in sources or ():
        source = os.path.abspath(str(source))
        if os.path.isdir(source):
            roots.append(source)
        elif os.path.isfile(source):
            if source.endswith(YAML_SUFFIXES):
                found.append(source)
            parent = os.path.dirname(source)
            roots += [os.path.join(parent, "group_vars"), os.path.join(parent, "host_vars")]
    for folder in extra_dirs:
        roots += [os.path.join(str(folder), "group_vars"), os.path.join(str(folder), "host_vars")]
    for root in roots:
        if not os.path.isdir(root):
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(YAML_SUFFIXES) or ("." not in name and "vars" in dirpath):
                    found.append(os.path.join(dirpath, name))
            if len(found) > MAX_FILES:
                break
    unique = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique[:MAX_FILES]


def _compose(path):
    """The file's node graph (composed only: Ansible's own tags such as !vault compose like any other)."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            loader = _LOADER(handle)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None  # Ansible reports files it cannot read or parse; bounds.py refuses deep nesting


def _label(node, idx):
    """Model paths name list items by their name (or rack), as the loader does."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value in ("name", "rack") and isinstance(value, yaml.ScalarNode):
                return value.value
    return str(idx)


def _child(spec, key):
    """(spec of the value under ``key``, how a path names it) following the schema where it applies."""
    if isinstance(spec, OneOf):
        spec = spec.obj
    if isinstance(spec, Obj):
        field = spec.fields.get(key)
        return (field.spec if field else None), f".{key}"
    if isinstance(spec, Map):
        return spec.value, f"[{key}]"
    return None, f".{key}"


def _walk(node, path, file, locations, problems, seen, level=0, spec=None):
    if id(node) in seen or level > MAX_DEPTH:
        return  # an alias: its duplicates were reported where the anchor was written
    seen.add(id(node))
    locations.add(path, file, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first = {}
        for key, value in node.value:
            if key.tag == _MERGE:
                continue
            if isinstance(key, yaml.ScalarNode) and len(key.value) <= MAX_STRING:
                ident = (key.tag, key.value)
                sub, step = _child(spec, key.value)
                if ident in first:
                    problems.append(rules.KEY_TWICE.at(
                        f"{path}{step}",
                        f"key '{key.value}' is written twice in {file} (lines {first[ident]} and "
                        f"{key.start_mark.line + 1}); YAML keeps only the last",
                        "remove or rename one of them (a second NIC, network or node needs its own key)"))
                else:
                    first[ident] = key.start_mark.line + 1
                _walk(value, f"{path}{step}", file, locations, problems, seen, level + 1, sub)
    elif isinstance(node, yaml.SequenceNode):
        for idx, item in enumerate(node.value):
            _walk(item, f"{path}[{_label(item, idx)}]", file, locations, problems, seen, level + 1,
                  spec.item if isinstance(spec, List) else None)


def scan(files) -> tuple:
    """(key-written-twice findings, Locations) of the ``dcnet_*`` variables in ``files``.

    Files are read in the order given; a later file's location of a path wins,
    as a later group_vars file overrides an earlier one.
    """
    problems, locations = [], Locations()
    if yaml is None:
        return problems, locations
    for file in files:
        root = _compose(file)
        if not isinstance(root, yaml.MappingNode):
            continue
        tops = {}
        for key, value in root.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value.startswith(VAR_PREFIX)):
                continue
            model_key = key.value[len(VAR_PREFIX):]
            if key.value in tops:
                problems.append(rules.KEY_TWICE.at(
                    model_key,
                    f"variable '{key.value}' is written twice in {file} (lines {tops[key.value]} and "
                    f"{key.start_mark.line + 1}); YAML keeps only the last", "merge the two into one"))
            tops[key.value] = key.start_mark.line + 1
            field = MODEL.fields.get(model_key)
            _walk(value, model_key, file, locations, problems, set(), spec=field.spec if field else None)
    return problems, locations
