"""Declarative field types for the inventory model.

A spec validates one value, returns its normalized copy (defaults filled in)
and appends every problem it finds to a list as a located finding, so one
run reports all errors at once.  The same specs produce docs/model.md, so the
documentation cannot drift from what the loader accepts.
"""

from __future__ import annotations

import difflib
import ipaddress
import re

from ..checks import model as rules

REQUIRED = object()
# Characters that end or split a line in a switch config, a YAML/JSON value or a PowerShell string.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
# A number written in quotes ("150") is read as that number: ansible-core < 2.19 templates every
# "{{ expression }}" to a string. Only plain decimal text qualifies, short enough for int().
_DECIMAL = re.compile(r"-?(0|[1-9][0-9]{0,17})")


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(choices))}"


def _type_name(value) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string",
            list: "list", dict: "mapping", type(None): "null"}.get(type(value), type(value).__name__)


class Spec:
    """Base of all field types."""

    type_name = "any"

    def check(self, value, path, problems):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:
        return self.type_name


class Str(Spec):
    type_name = "string"

    def __init__(self, pattern_check=None, choices=None, kind=""):
        # a callable is read at every use: the choices of a table that may grow (platforms)
        self._choices = choices if callable(choices) else (tuple(choices) if choices else None)
        self.pattern_check = pattern_check
        self.kind = kind

    @property
    def choices(self):
        return tuple(self._choices()) if callable(self._choices) else self._choices

    def describe(self):
        if self.choices:
            return "one of " + " \\| ".join(f"`{c}`" for c in self.choices)
        return self.kind or "string"

    def check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
            problems.append(rules.WRONG_TYPE.at(path, f"expected a non-empty string, got {_type_name(value)} {value!r}"))
            return None
        value = str(value)
        bad = _CONTROL.search(value)
        if bad:
            problems.append(rules.NOT_ALLOWED.at(path, f"{value[:40]!r} contains the control character "
                                                 f"{bad.group()!r}: names and text must stay on one line"))
            return None
        if self.choices and value not in self.choices:
            problems.append(rules.NOT_ALLOWED.at(path, f"'{value}' is not allowed; {did_you_mean(value, self.choices)}"))
            return None
        if self.pattern_check:
            reason = self.pattern_check(value)
            if reason:
                problems.append(rules.NOT_ALLOWED.at(path, f"'{value}' {reason}"))
                return None
        return value


def Enum(*choices):
    return Str(choices=choices)


def TableName(names):
    """A name from a table that may grow after import: ``names()`` gives the current choices."""
    return Str(choices=names)


class Int(Spec):
    type_name = "integer"

    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def describe(self):
        if self.lo is not None and self.hi is not None:
            return f"integer {self.lo}..{self.hi}"
        if self.lo is not None:
            return f"integer >= {self.lo}"
        return "integer"

    def check(self, value, path, problems):
        if isinstance(value, str) and _DECIMAL.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(rules.WRONG_TYPE.at(path, f"expected an integer, got {_type_name(value)} {value!r}"))
            return None
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            problems.append(rules.OUT_OF_RANGE.at(path, f"{value} is out of range ({self.describe()})"))
            return None
        return value


class Bool(Spec):
    type_name = "boolean"

    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append(rules.WRONG_TYPE.at(path, f"expected true or false, got {_type_name(value)} {value!r}"))
            return None
        return value


class Prefix(Spec):
    """An IP network in CIDR notation; host bits must be zero."""

    def __init__(self, family=None):
        self.family = family

    def describe(self):
        return {4: "IPv4 prefix", 6: "IPv6 prefix", None: "IP prefix"}[self.family]

    def check(self, value, path, problems):
        if not isinstance(value, str) or "/" not in value:
            problems.append(rules.BAD_ADDRESS.at(path, f"expected an {self.describe()} like "
                                                 f"{'10.0.0.0/24' if self.family != 6 else 'fd00::/64'}, got {value!r}"))
            return None
        try:
            net = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            problems.append(rules.BAD_ADDRESS.at(path, f"{value!r} is not a valid {self.describe()}: {exc}"))
            return None
        if self.family and net.version != self.family:
            problems.append(rules.BAD_ADDRESS.at(path, f"{value!r} is IPv{net.version}, expected an {self.describe()}"))
            return None
        return str(net)


class Address(Spec):
    """An IP address without prefix length."""

    def __init__(self, family=None):
        self.family = family

    def describe(self):
        return {4: "IPv4 address", 6: "IPv6 address", None: "IP address"}[self.family]

    def check(self, value, path, problems):
        try:
            addr = ipaddress.ip_address(value)
        except (ValueError, TypeError):
            problems.append(rules.BAD_ADDRESS.at(path, f"{value!r} is not a valid {self.describe()}"))
            return None
        if self.family and addr.version != self.family:
            problems.append(rules.BAD_ADDRESS.at(path, f"{value!r} is IPv{addr.version}, expected an {self.describe()}"))
            return None
        return str(addr)


class Field:
    """A key of an object: its spec, default and documentation."""

    def __init__(self, spec, default=REQUIRED, doc="", example=None):
        self.spec, self.default, self.doc, self.example = spec, default, doc, example

    @property
    def required(self):
        return self.default is REQUIRED


class Obj(Spec):
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    type_name = "mapping"

    def __init__(self, fields: dict, title: str = ""):
        self.fields, self.title = fields, title

    def check(self, value, path, problems):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            problems.append(rules.WRONG_TYPE.at(path or "(top)", f"expected a mapping, got {_type_name(value)} {value!r}"))
            return None
        out = {}
        for key in value:
            if key not in self.fields:
                problems.append(rules.UNKNOWN_KEY.at(join(path, str(key)),
                                                     f"unknown key '{key}'; {did_you_mean(key, self.fields)}"))
        for key, field in self.fields.items():
            if key in value and value[key] is not None:
                out[key] = field.spec.check(value[key], join(path, key), problems)
            elif field.required:
                problems.append(rules.REQUIRED_KEY.at(join(path, key), f"required key '{key}' is missing"))
                out[key] = None
            else:
                default = field.default
                if isinstance(field.spec, (Obj,)) and isinstance(default, dict):
                    default = field.spec.check(default, join(path, key), problems)
                elif isinstance(default, (list, dict)):
                    default = type(default)(default)
                out[key] = default
        return out


class List(Spec):
    """A list; items of objects are named in paths by their key field."""

    def __init__(self, item: Spec, key: str | None = None, unique=False, min_items=0):
        self.item, self.key, self.unique, self.min_items = item, key, unique, min_items

    def describe(self):
        least = f" (at least {self.min_items})" if self.min_items else ""
        return f"list of {self.item.describe()}{least}"

    def check(self, value, path, problems):
        if value is None:
            return []
        if not isinstance(value, list):
            problems.append(rules.WRONG_TYPE.at(path, f"expected a list, got {_type_name(value)} {value!r}"))
            return []
        if len(value) < self.min_items:
            problems.append(rules.NOT_ALLOWED.at(path, f"needs at least {self.min_items} entr"
                                                 f"{'y' if self.min_items == 1 else 'ies'}, got {len(value)}"))
        out, seen = [], {}
        for idx, item in enumerate(value):
            label = idx
            if self.key and isinstance(item, dict) and isinstance(item.get(self.key), (str, int)) \
                    and not isinstance(item.get(self.key), bool):
                label = item[self.key]
                if label in seen:
                    problems.append(rules.DUPLICATE_ENTRY.at(f"{path}[{label}]",
                                                             f"duplicate {self.key} '{label}' (also item {seen[label]} of this list)"))
                seen[label] = idx
            elif self.unique and isinstance(item, (str, int)):
                if item in seen:
                    problems.append(rules.DUPLICATE_ENTRY.at(f"{path}[{idx}]", f"duplicate entry '{item}'"))
                seen[item] = idx
            checked = self.item.check(item, f"{path}[{label}]", problems)
            if checked is not None:
                out.append(checked)
        return out


class Map(Spec):
    """A mapping of user-chosen names to values of one spec."""

    def __init__(self, value: Spec, key_doc="name", key: Spec | None = None):
        self.value, self.key_doc, self.key = value, key_doc, key

    def describe(self):
        return f"mapping of {self.key_doc} to {self.value.describe()}"

    def check(self, value, path, problems):
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(rules.WRONG_TYPE.at(path, f"expected a mapping, got {_type_name(value)} {value!r}"))
            return {}
        out = {}
        for key, item in value.items():
            if self.key is not None and self.key.check(key, f"{path}[{key}]", problems) is None:
                continue
            checked = self.value.check(item, f"{path}[{key}]", problems)
            if checked is not None:
                out[str(key)] = checked
        return out


class OneOf(Spec):
    """A value that may be written as a plain scalar or as a full object."""

    def __init__(self, scalar: Spec, obj: Obj, expand):
        self.scalar, self.obj, self.expand = scalar, obj, expand

    def describe(self):
        return f"{self.scalar.describe()} or mapping"

    def check(self, value, path, problems):
        if isinstance(value, dict):
            return self.obj.check(value, path, problems)
        scalar = self.scalar.check(value, path, problems)
        if scalar is None:
            return None
        return self.obj.check(self.expand(scalar), path, problems)


class Date(Spec):
    """A calendar date YYYY-MM-DD (YAML may hand over a date object); normalized to the ISO text."""

    type_name = "date YYYY-MM-DD"

    def check(self, value, path, problems):
        import datetime

        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, str) and len(value) == 10:
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        problems.append(rules.WRONG_TYPE.at(path, f"expected a date YYYY-MM-DD, got {_type_name(value)} {value!r}"))
        return None
