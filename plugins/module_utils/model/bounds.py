"""Size limits on the raw model, measured before anything expands or templates it.

YAML anchors and aliases are loaded as shared references: ten aliases of a
ten-item list of ten aliases ... ("billion laughs") hold a few hundred objects
in memory but expand to 10**9 values as soon as anything copies or templates
them.  ``measure`` walks the shared graph once, object by object (never the
expansion), and computes what the expansion *would* hold; ``check`` turns the
figures into findings.  Nothing here copies or templates a value, so any input
is accepted or refused in time linear in the objects actually in memory.

The limits (also in docs/checks.md, Limits; the rules are in checks/limits.py):

* nesting: at most ``MAX_DEPTH`` mappings/lists inside one ``dcnet_*`` variable;
* one string (value or key): at most ``MAX_STRING`` characters;
* values after alias expansion: at most ``BASE_VALUES + PER_DEVICE_VALUES`` per
  device (switches and nodes the model lists), and never more than ``MAX_VALUES``;
* characters after alias expansion: at most ``MAX_TEXT``;
* devices: at most ``MAX_DEVICES``;
* an alias that contains itself (a recursive structure) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..checks import limits as rules

MAX_DEPTH = 32
MAX_STRING = 8192
MAX_DEVICES = 100_000
BASE_VALUES = 200_000        # networks (at most 4094), profiles, waivers, site-wide settings
PER_DEVICE_VALUES = 500      # a node with explicit addresses on many networks stays far below
MAX_VALUES = 20_000_000
MAX_TEXT = 64 * 1024 * 1024  # characters of every string after expansion

_TEMPLATE = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.S)
_TOKEN = re.compile(r"\.?[^.\[]+|\[[^\]]*\]")
_IDENT = re.compile(r"(?<![.\w'\"])([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class Size:
    """What one value expands to: values (every scalar, mapping and list), characters, nesting levels."""

    values: int = 0
    text: int = 0
    depth: int = 0


class _Walk:
    """One pass over a shared graph: sizes memoized per container object (by identity)."""

    def __init__(self):
        self.memo = {}          # id(container) -> Size
        self.keep = []          # the containers measured, so their ids stay theirs during the walk
        self.active = set()     # ids on the current descent: meeting one again is a cycle
        self.too_deep = None    # first path nested deeper than MAX_DEPTH
        self.too_long = []      # (path, length) of strings longer than MAX_STRING, first ten
        self.cycle = None       # first path where a container contains itself
        self.shared = 0         # containers met more than once (aliases)

    def size(self, value, path, level: int) -> Size:
        """What ``value`` expands to; ``path`` as ``path_text`` takes it (written out only for a finding)."""
        if isinstance(value, str):
            if len(value) > MAX_STRING and len(self.too_long) < 10:
                self.too_long.append((path_text(path), len(value)))
            return Size(1, len(value), 0)
        if not isinstance(value, (dict, list, tuple)):
            return Size(1, 0, 0)
        key = id(value)
        if key in self.active:
            if self.cycle is None:
                self.cycle = path_text(path)
            return Size(1, 0, 0)
        if key in self.memo:
            self.shared += 1
            known = self.memo[key]
            if level + known.depth > MAX_DEPTH and self.too_deep is None:
                self.too_deep = path_text(path)
            return known
        if level >= MAX_DEPTH:
            if self.too_deep is None:
                self.too_deep = path_text(path)
            return Size(1, 0, level)
        self.active.add(key)
        values, text, depth = 1, 0, 0
        if isinstance(value, dict):
            items = value.items()
        else:
            items = ((None, item) for item in value)
        for idx, (name, item) in enumerate(items):
            if name is not None and isinstance(name, str):
                if len(name) > MAX_STRING and len(self.too_long) < 10:
                    self.too_long.append((path_text((path, name, item, idx)), len(name)))
                text += len(name)
            # scalars (most values) are counted here, without a call, a step or a Size of their own
            if isinstance(item, str) and len(item) <= MAX_STRING:
                values += 1
                text += len(item)
                depth = depth or 1
            elif not isinstance(item, (str, dict, list, tuple)):
                values += 1
                depth = depth or 1
            else:
                sub = self.size(item, (path, name, item, idx), level + 1)  # a step: written out only for a finding
                values += sub.values
                text += sub.text
                depth = max(depth, sub.depth + 1)
        total = Size(values, text, depth)
        self.active.discard(key)
        self.memo[key] = total
        self.keep.append(value)
        return total


def path_text(path) -> str:
    """A model path given as text or as a step (parent path, key or None for a list item, item, index)."""
    if isinstance(path, str):
        return path
    parent, name, item, idx = path
    if name is not None:
        label = _key_label(name)
        base = path_text(parent)
        return f"{base}.{label}" if base else label
    return f"{path_text(parent)}[{_item_label(item, idx)}]"


def _key_label(key) -> str:
    text = str(key) if isinstance(key, (str, int)) and not isinstance(key, bool) else type(key).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _item_label(item, idx) -> str:
    """Items of model lists are named by their name (or rack) in model paths, as the loader names them."""
    if isinstance(item, dict):
        for key in ("name", "rack"):
            label = item.get(key)
            if isinstance(label, (str, int)) and not isinstance(label, bool) and len(str(label)) <= 40:
                return str(label)
    return str(idx)


def count_devices(raw: dict) -> int:
    """Switches, nodes and VMs the model lists (lengths of lists only: nothing expands)."""
    total = 0
    fabric = raw.get("fabric")
    if isinstance(fabric, dict):
        if isinstance(fabric.get("spines"), list):
            total += len(fabric["spines"])
        for pair in fabric.get("leaf_pairs") if isinstance(fabric.get("leaf_pairs"), list) else ():
            if isinstance(pair, dict) and isinstance(pair.get("leaves"), list):
                total += len(pair["leaves"])
    for cluster in raw.get("clusters") if isinstance(raw.get("clusters"), list) else ():
        if isinstance(cluster, dict) and isinstance(cluster.get("nodes"), list):
            total += len(cluster["nodes"])
    if isinstance(raw.get("vms"), list):   # VMs of the migration inventory weigh like devices
        total += len(raw["vms"])
    return total


def value_budget(devices: int) -> int:
    return min(MAX_VALUES, BASE_VALUES + PER_DEVICE_VALUES * devices)


def check(raw: dict, names: dict | None = None) -> list:
    """Findings of the limits family for a raw model dict {top key: value}; empty when within bounds.

    ``names`` maps a top key to the name the user wrote (``dcnet_site``) for messages.
    Works on shared graphs without expanding them; safe on any input.
    """
    names = names or {}
    walk = _Walk()
    sizes = {}
    for key, value in raw.items():
        sizes[key] = walk.size(value, _key_label(key), 0)
    problems = []
    if walk.cycle is not None:
        problems.append(rules.RECURSIVE.at(walk.cycle, "this value contains itself (a recursive YAML alias)",
                                           "replace the alias by the values it should hold"))
    if walk.too_deep is not None:
        shown = walk.too_deep if len(walk.too_deep) <= 120 else walk.too_deep[:117] + "..."
        problems.append(rules.TOO_DEEP.at("".join(_TOKEN.findall(walk.too_deep)[:3]),
                                          f"nested deeper than {MAX_DEPTH} mappings/lists (at {shown})",
                                          "the model is at most a few levels deep: remove the nesting"))
    for path, length in walk.too_long:
        problems.append(rules.STRING_TOO_LONG.at(path, f"string of {length} characters; the limit is {MAX_STRING}",
                                                 "shorten the text (names and descriptions are short)"))
    devices = count_devices(raw)
    if devices > MAX_DEVICES:
        problems.append(rules.TOO_MANY_DEVICES.at("clusters", f"the model lists {devices:,} switches, nodes and VMs; "
                                                  f"the limit is {MAX_DEVICES:,}", "split the site into several models"))
    budget = value_budget(devices)
    total = sum(s.values for s in sizes.values())
    if total > budget:
        worst = max(sizes, key=lambda k: sizes[k].values)
        aliases = f", {walk.shared:,} of them through YAML aliases" if walk.shared else ""
        problems.append(rules.TOO_LARGE.at(
            _key_label(worst),
            f"{names.get(worst, worst)} expands to {sizes[worst].values:,} values{aliases}; the whole model may "
            f"hold {budget:,} for a site of {devices:,} devices",
            "remove the alias chain (anchors are fine for a few shared settings, not for nested repetition)"))
    text = sum(s.text for s in sizes.values())
    if text > MAX_TEXT and total <= budget:
        worst = max(sizes, key=lambda k: sizes[k].text)
        problems.append(rules.TOO_LARGE.at(_key_label(worst),
                                           f"{names.get(worst, worst)} expands to {text:,} characters; the limit is "
                                           f"{MAX_TEXT:,}", "remove the repeated or oversized text"))
    return problems


def template_names(raw: dict) -> set:
    """Names of variables that Jinja expressions in the model's strings refer to.

    Templating ``{{ other_var }}`` copies ``other_var`` into the model: those
    variables are measured too, before anything is templated.  Each string is
    read once, whatever number of aliases point to it.
    """
    found, seen = set(), set()
    stack = [raw]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "{" in value:
                for match in _TEMPLATE.finditer(value):
                    found.update(_IDENT.findall(match.group(1) or match.group(2) or ""))
            continue
        if not isinstance(value, (dict, list, tuple)) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            stack.extend(value.values())
            stack.extend(k for k in value if isinstance(k, str))
        else:
            stack.extend(value)
    return found
