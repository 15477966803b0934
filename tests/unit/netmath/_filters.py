"""Shared helpers of the netmath tests: the filter plugins, their docs, a Jinja env."""

from __future__ import annotations

import importlib
import json
import os
import re

import jinja2
import yaml

FILTER_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins", "filter")
NAMES = sorted(f[:-3] for f in os.listdir(FILTER_DIR) if f.endswith(".py") and not f.startswith("_"))


def module(name):
    return importlib.import_module(f"ansible_collections.dcnet.fabric.plugins.filter.{name}")


def all_filters():
    """{'dcnet.fabric.<name>': function} for every filter file."""
    out = {}
    for name in NAMES:
        for short, func in module(name).FilterModule().filters().items():
            out[f"dcnet.fabric.{short}"] = func
    return out


def environment():
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(all_filters())
    return env


_EXPR = re.compile(r'msg: "\{\{ (?P<expr>.*) \}\}"\n\s*# (?P<kind>=>|fails:) (?P<want>.*)\n')


def examples(name):
    """(expression, kind, expected) of each example of a filter's EXAMPLES.

    kind '=>' carries the JSON of the result, 'fails:' the start of the error
    message (the text before the trailing '...').
    """
    text = module(name).EXAMPLES
    out = []
    for match in _EXPR.finditer(text):
        want = match.group("want")
        if match.group("kind") == "=>":
            out.append((match.group("expr"), "=>", json.loads(want)))
        else:
            out.append((match.group("expr"), "fails", want[:-3] if want.endswith("...") else want))
    return out


def documentation(name):
    return yaml.safe_load(module(name).DOCUMENTATION)
