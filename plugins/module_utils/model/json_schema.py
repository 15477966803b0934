# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The inventory model as JSON Schema, generated from the same specs the loader checks with.

Editors (VS Code with the YAML extension, JetBrains, vim with a YAML language
server) validate a group_vars file against it as it is typed: unknown keys
with no suggestion of their own, wrong types, values outside an enum or a
range, required keys.  The schema describes what one vars file may hold (any
of the ``dcnet_*`` variables, none required, other variables allowed), so it
fits a model split over several files; :func:`model_schema` is the whole model
(required keys required).  It is a first line only: references between
objects, addresses inside pools and every cross-device rule stay with the
loader and the checks (docs/checks.md).

Written by ``tests/tools/regen_model_schema.py`` (``make regen``) to ``docs/model.schema.json``
(kept current by a test), and shipped in the collection.
"""

from __future__ import annotations

import json

from . import schema
from .spec import Address, Bool, Date, Int, List, Map, Obj, OneOf, Prefix, Str

SCHEMA_ID = "https://dcnet.example/fabric/model.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Loose shapes of addresses and prefixes: the loader checks the values exactly (ipaddress).
_IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_IPV6 = r"[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*"
_PATTERNS = {
    (Prefix, 4): f"^{_IPV4}/\\d{{1,2}}$", (Prefix, 6): f"^{_IPV6}/\\d{{1,3}}$",
    (Prefix, None): f"^(?:{_IPV4}/\\d{{1,2}}|{_IPV6}/\\d{{1,3}})$",
    (Address, 4): f"^{_IPV4}$", (Address, 6): f"^{_IPV6}$", (Address, None): f"^(?:{_IPV4}|{_IPV6})$",
}


def _string_patterns() -> dict:
    """Python pattern checks of the schema that have a regular expression behind them."""
    known = {}
    for check, regex in (("_name_check", "_NAME_RE"), ("_mac_check", "_MAC_RE")):
        if hasattr(schema, check) and hasattr(schema, regex):
            known[getattr(schema, check)] = getattr(schema, regex).pattern
    return known


def _json_default(value):
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return None
    return value


def _nullable(sub: dict) -> dict:
    """An optional key may be written empty (YAML null): the loader takes the default then."""
    sub = dict(sub)
    if "enum" in sub:
        sub["enum"] = sub["enum"] + [None]
    if "type" in sub:
        types = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
        sub["type"] = types + ["null"]
    elif "anyOf" in sub:
        sub["anyOf"] = sub["anyOf"] + [{"type": "null"}]
    return sub


def spec_schema(spec, patterns) -> dict:
    if isinstance(spec, Obj):
        props, required = {}, []
        for key, field in spec.fields.items():
            sub = spec_schema(field.spec, patterns)
            if field.doc:
                sub = {"description": field.doc, **sub}
            if field.required:
                required.append(key)
            else:
                if field.default is not None and _json_default(field.default) is not None:
                    sub["default"] = field.default
                sub = _nullable(sub)
            props[key] = sub
        out = {"type": "object", "properties": props, "additionalProperties": False}
        if spec.title:
            out["title"] = spec.title
        if required:
            out["required"] = required
        return out
    if isinstance(spec, List):
        out = {"type": "array", "items": spec_schema(spec.item, patterns)}
        if spec.unique:
            out["uniqueItems"] = True
        if spec.min_items:
            out["minItems"] = spec.min_items
        return out
    if isinstance(spec, Map):
        return {"type": "object", "additionalProperties": spec_schema(spec.value, patterns)}
    if isinstance(spec, OneOf):
        return {"anyOf": [spec_schema(spec.scalar, patterns), spec_schema(spec.obj, patterns)]}
    if isinstance(spec, Str):
        if spec.choices:
            return {"type": "string", "enum": list(spec.choices)}
        out = {"type": ["string", "integer"], "minLength": 1}
        if spec.pattern_check in patterns:
            out = {"type": "string", "pattern": patterns[spec.pattern_check]}
        elif getattr(spec.pattern_check, "regex", None):
            out = {"type": "string", "pattern": f"^(?:{spec.pattern_check.regex})$",
                   "maxLength": spec.pattern_check.longest}
        return out
    if isinstance(spec, Int):
        out = {"type": "integer"}
        if spec.lo is not None:
            out["minimum"] = spec.lo
        if spec.hi is not None:
            out["maximum"] = spec.hi
        return out
    if isinstance(spec, Bool):
        return {"type": "boolean"}
    if isinstance(spec, (Prefix, Address)):
        return {"type": "string", "pattern": _PATTERNS[(type(spec), spec.family)]}
    if isinstance(spec, Date):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return {}


def model_schema() -> dict:
    """The whole model (top keys site, fabric, ...) as one object."""
    return spec_schema(schema.MODEL, _string_patterns())


def vars_file_schema() -> dict:
    """One inventory vars file: any of the dcnet_* variables, none required, other variables allowed."""
    whole = model_schema()
    props = {f"{schema.VAR_PREFIX}{key}": value for key, value in whole["properties"].items()}
    return {"$schema": DRAFT, "$id": SCHEMA_ID, "title": "dcnet.fabric inventory model (group_vars / host_vars file)",
            "description": "The dcnet_* variables of the dcnet.fabric site model, generated from the loader's own "
                           "specs; see docs/model.md. The loader and the checks validate more (references, "
                           "addresses, cross-device rules).",
            "type": "object", "properties": props, "additionalProperties": True}


def to_text() -> str:
    return json.dumps(vars_file_schema(), indent=2, sort_keys=False) + "\n"
