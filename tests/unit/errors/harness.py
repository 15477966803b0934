"""Load an example model, break it in one place, run loader + design facts + checks.

Used by the negative-case corpus (cases/*.yml), the injected-fault tests and the
fuzz test.  Paths use the model-path syntax of the findings themselves:
``networks[mgmt].mtu``, ``bond_profiles[lacp].mtu``, ``fabric.leaf_pairs[1].leaves``,
``clusters[ove-small].nodes[ove-w1].nics[ens1f0]``.  A ``[x]`` on a list picks the
item whose ``name`` (or ``rack``) is x, else the item at index x; ``[k=v]`` picks
the item whose key k equals v; on a mapping it is the key.

Facts and structured configs (what rules compare when the model cannot express a
fault) are edited with ``in: facts|switches|nodes|clusters``; for ``nodes`` the
first selector is ``cluster/node``.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
from collections import Counter


from ansible_collections.dcnet.fabric.plugins.module_utils.checks import context, run_checks
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design
from ansible_collections.dcnet.fabric.plugins.module_utils.design import site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TODAY = datetime.date(2026, 6, 1)
_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")
_EXAMPLES = {}
_BASE_RUNS = {}


def example(name: str) -> dict:
    """The model of examples/<name> as a plain dict with top keys site, fabric, ... (a fresh copy)."""
    if name not in _EXAMPLES:
        _EXAMPLES[name] = example_model(name)
    return copy.deepcopy(_EXAMPLES[name])


def tokens(path: str) -> list:
    out = []
    for name, sel in _TOKEN.findall(path):
        out.append(("key", name) if name else ("sel", sel))
    return out


def _pick(container, kind, sel, create=False):
    """Return (container, key) addressing the child named by one token."""
    if isinstance(container, list):
        if "=" in sel:
            k, v = sel.split("=", 1)
            for idx, item in enumerate(container):
                if isinstance(item, dict) and str(item.get(k)) == v:
                    return container, idx
            raise KeyError(f"no item with {k}={v}")
        for idx, item in enumerate(container):
            if isinstance(item, dict) and (str(item.get("name")) == sel or str(item.get("rack")) == sel):
                return container, idx
        if sel.lstrip("-").isdigit() and -len(container) <= int(sel) < len(container):
            return container, int(sel)
        raise KeyError(f"no list item {sel!r}")
    if isinstance(container, dict):
        if sel in container or create:
            if sel not in container:
                for key in container:
                    if str(key) == sel:
                        return container, key
            return container, sel
        for key in container:
            if str(key) == sel:
                return container, key
        if "/" in sel:
            key = tuple(sel.split("/"))
            if key in container:
                return container, key
        raise KeyError(f"no key {sel!r}")
    if kind == "key" and hasattr(container, sel):
        return container, sel
    raise KeyError(f"cannot step into {type(container).__name__} with {sel!r}")


def _get(container, key):
    if isinstance(container, (list, dict)):
        return container[key]
    return getattr(container, key)


def _set(container, key, value):
    if isinstance(container, (list, dict)):
        container[key] = value
    else:
        setattr(container, key, value)


def locate(root, path: str, create=False):
    toks = tokens(path)
    node = root
    for kind, sel in toks[:-1]:
        parent, key = _pick(node, kind, sel)
        node = _get(parent, key)
    kind, sel = toks[-1]
    return _pick(node, kind, sel, create=create)


def apply(root, op: dict):
    """One edit: set | set_range | delete | append | remove | merge at op['path']."""
    kind = op["op"]
    if kind == "set":
        parent, key = locate(root, op["path"], create=True)
        _set(parent, key, copy.deepcopy(op["value"]))
    elif kind == "delete":
        parent, key = locate(root, op["path"])
        if isinstance(parent, (list, dict)):
            del parent[key]
        else:
            delattr(parent, key)
    elif kind == "set_range":  # a long list of ints without writing it out: value [first, stop]
        parent, key = locate(root, op["path"], create=True)
        _set(parent, key, list(range(op["value"][0], op["value"][1])))
    elif kind in ("append", "remove", "merge"):
        parent, key = locate(root, op["path"], create=kind == "append")
        if kind == "append" and isinstance(parent, dict) and key not in parent:
            parent[key] = []
        target = _get(parent, key)
        if kind == "append":
            target.append(copy.deepcopy(op["value"]))
        elif kind == "remove":
            target.remove(op["value"])
        else:
            target.update(copy.deepcopy(op["value"]))
    else:
        raise ValueError(f"unknown op {kind!r}")


def run(raw: dict, design_ops=(), today=TODAY):
    """(stage, findings): the loader's/allocator's errors, or every check finding after the design edits."""
    try:
        model = load_model(raw)
        facts = site_facts(model)
    except ModelError as exc:
        return exc.stage, list(exc.findings)
    # design every device from the intact facts first: a broken fact then disagrees with the configs
    designed = design(model, facts)
    views = {"switches": lambda: context.switches(designed), "clusters": lambda: context.clusters(designed),
             "nodes": lambda: context.nodes(model, facts, designed)}
    for op in design_ops:
        target = op.get("in", "facts")
        root = facts if target == "facts" else views[target]()
        apply(root, op)
    active, waived = run_checks(model, facts, designed, today)
    return "checks", active


def keyed(findings) -> Counter:
    return Counter((f.rule, f.path) for f in findings)


def new_findings(base: str, mutation=(), design_ops=(), today=TODAY, own_waivers=True):
    """Findings (rule, path) a mutation adds to the example's own findings, sorted, plus all findings.

    ``own_waivers=False`` drops the example's waivers first (examples/small waives its lab MTU value;
    the corpus cases describe the rules against the bare model, waivers[0] being the case's own).
    """
    raw = example(base)
    if not own_waivers:
        raw.pop("waivers", None)
    if (base, today, own_waivers) not in _BASE_RUNS:
        _BASE_RUNS[(base, today, own_waivers)] = run(copy.deepcopy(raw), today=today)[1]
    before = _BASE_RUNS[(base, today, own_waivers)]
    for op in mutation:
        apply(raw, op)
    stage, after = run(raw, design_ops, today)
    added = keyed(after) - keyed(before)
    return sorted(added.elements()), after
