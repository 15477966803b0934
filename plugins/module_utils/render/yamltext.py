"""A small, fast, deterministic YAML writer for plain data.

Lists of scalars are written in flow style (``allowed_vlans: [10, 20, 30]``),
everything else in block style with list items indented under their key (as
yamllint expects).

The artifacts of a 5,000-device site hold millions of scalars; PyYAML's
emitter spends seconds on them.  Plain data (dict, list, str, int, float,
bool, None) needs far less machinery: block style, keys in insertion order,
a string written plain only when YAML reads it back as the same string
(decided with PyYAML's own resolver), otherwise double-quoted.  The output
is the same on every machine; tests load it back with yaml.safe_load.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PLAIN_OK = re.compile(r"^[A-Za-z0-9_./(][ !$%&()*+,\-./0-9:;<=>?@A-Z\[\\\]^_`a-z{|}~]*\Z")
_INDICATORS = (": ", " #", ":\t")
# What other YAML readers (YAML 1.2 core schema, Go's yaml used by kubectl) take
# for a number or a boolean although PyYAML reads a string: quote those too.
_OTHER_READERS = re.compile(r"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[yYnN])\Z")


@lru_cache(maxsize=1)
def _resolve():
    """PyYAML's implicit resolver (imported on first use: PyYAML comes with ansible-core)."""
    from yaml.nodes import ScalarNode
    from yaml.resolver import Resolver

    resolver = Resolver()
    return lambda text: resolver.resolve(ScalarNode, text, (True, False))


# Shapes that every YAML reader takes for a string, decided without the resolver: names that
# start with a letter (except YAML 1.1 booleans/null; "leaf01a:Ethernet1/1", model paths), IPv4
# addresses and prefixes (also "10.0.0.1:100" route distinguishers) and IPv6 addresses that no
# number pattern can match (a letter first, a "::" or a prefix length).  Most scalars of a site
# are one of these; tests check the shortcut against the full decision.
_SIMPLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_./+:\[\]-]*\Z")
_IPV4 = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(/[0-9]{1,2}|:[0-9]{1,10})?\Z")
_IPV6 = re.compile(r"[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{0,4}){2,7}(/[0-9]{1,3})?\Z")
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def plain_without_resolver(value: str) -> bool:
    """True when ``value`` is certainly safe as a plain scalar (the shortcut of ``scalar_text``)."""
    if not value or value[-1] == ":":
        return False
    if _IPV4.match(value):
        return True
    if _SIMPLE_NAME.match(value):
        return value.lower() not in _WORDS
    return bool(_IPV6.match(value)) and ("::" in value or "/" in value)


@lru_cache(maxsize=262144)
def scalar_text(value: str) -> str:
    """``value`` as a YAML scalar that loads back as this exact string."""
    if plain_without_resolver(value):
        return value
    return _resolved_text(value)


def _resolved_text(value: str) -> str:
    """The full decision: plain only when PyYAML resolves it to the same string and other readers agree."""
    if (value and _PLAIN_OK.match(value) and value[-1] not in " :" and not any(i in value for i in _INDICATORS)
            and not _OTHER_READERS.match(value)
            and _resolve()(value) == "tag:yaml.org,2002:str"):
        return value
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar: printable ASCII as is, everything else escaped."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _scalar(value) -> str:
    kind = type(value)
    if kind is str:
        return scalar_text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return scalar_text(str(value))
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


_FLOW_UNSAFE = re.compile(r"[,\[\]{}?]|: |^[:-]")  # PyYAML rejects "?" anywhere in a flow scalar


@lru_cache(maxsize=65536)
def flow_text(value: str) -> str:
    """``value`` as a scalar inside a flow sequence (``[a, b]``), where ``,[]{}`` are indicators."""
    text = scalar_text(value)
    if text[0] != '"' and _FLOW_UNSAFE.search(text):
        return _double_quoted(value)
    return text


_FLOW_CACHE: dict = {}


def _flow(items) -> str | None:
    """``[a, b, c]`` for a list of scalars, or None when an item is a container."""
    first = type(items[0]) if items else None
    if first is dict or first is list:
        return None
    # the same VLAN lists and member lists repeat on every port of a leaf: write each once.
    # Only lists of ints or of strings are cached: 1, 1.0, True (and 0.0, -0.0) are equal keys
    # but differ as text.
    if first not in (int, str) or len(set(map(type, items))) != 1:
        return _flow_text(items)
    try:
        key = (first, tuple(items))
        text = _FLOW_CACHE.get(key)
    except TypeError:  # an unhashable item: a container
        return None
    if text is None:
        text = _flow_text(items)
        if text is not None:
            if len(_FLOW_CACHE) > 65536:
                _FLOW_CACHE.clear()
            _FLOW_CACHE[key] = text
    return text


def _flow_text(items) -> str | None:
    # exact type on purpose: a bool is an int subclass but is written true/false
    if all(type(item) is int for item in items):  # pylint: disable=unidiomatic-typecheck
        return "[" + ", ".join(map(str, items)) + "]"
    out = []
    for item in items:
        kind = type(item)
        if kind is str:
            out.append(flow_text(item))
        elif kind is dict or kind is list or isinstance(item, (dict, list, str)):
            return None
        else:
            out.append(_scalar(item))
    return "[" + ", ".join(out) + "]"


_LITERAL_OK = re.compile(r"^[^ \n][ -~\n]*\Z")


def _literal_ok(text: str) -> bool:
    """Whether ``text`` reads back unchanged as a literal block (``|`` or ``|-``)."""
    return (bool(_LITERAL_OK.match(text)) and not text.endswith("\n\n")
            and not any(line.endswith(" ") for line in text.split("\n")))


_KEYS: dict = {}


def _key(key) -> str:
    """``key:`` as written before a value; string keys (field names, mostly) are computed once."""
    if type(key) is str:  # pylint: disable=unidiomatic-typecheck
        text = _KEYS.get(key)
        if text is None:
            if len(_KEYS) > 65536:
                _KEYS.clear()
            text = _KEYS[key] = scalar_text(key) + ":"
        return text
    return (scalar_text(key) if isinstance(key, str) else _scalar(key)) + ":"


def _emit(value, indent: str, out: list) -> None:
    """Append the lines of a mapping or sequence body at ``indent``."""
    append = out.append
    if isinstance(value, dict):
        known = _KEYS.get
        for key, item in value.items():
            ktext = known(key) or _key(key)
            kind = type(item)
            if kind is str:
                if "\n" in item and _literal_ok(item):
                    append(f"{indent}{ktext} |{'' if item.endswith(chr(10)) else '-'}\n")
                    out.extend(f"{indent}  {line}\n" if line else "\n" for line in item.rstrip("\n").split("\n"))
                else:
                    append(f"{indent}{ktext} {scalar_text(item)}\n")
            elif kind is int:
                append(f"{indent}{ktext} {item}\n")
            elif item is None:
                append(f"{indent}{ktext} null\n")
            elif kind is dict or kind is list or isinstance(item, (dict, list)):
                flow = _flow(item) if isinstance(item, list) else None
                if flow is not None:
                    append(f"{indent}{ktext} {flow}\n")
                elif not item:
                    append(f"{indent}{ktext} {'{}' if isinstance(item, dict) else '[]'}\n")
                else:
                    append(f"{indent}{ktext}\n")
                    _emit(item, indent + "  ", out)
            else:
                append(f"{indent}{ktext} {_scalar(item)}\n")
        return
    dash = indent + "- "
    inner = indent + "  "
    for item in value:
        kind = type(item)
        if kind is str:
            append(dash + scalar_text(item) + "\n")
        elif kind is dict and item:
            # the item's first line goes after the dash: "- key: value"
            first = len(out)
            _emit(item, inner, out)
            out[first] = dash + out[first][len(inner):]
        elif (kind is list or isinstance(item, list)) and _flow(item) is not None:
            append(dash + _flow(item) + "\n")
        elif (kind is dict or kind is list or isinstance(item, (dict, list))) and item:
            first = len(out)
            _emit(item, inner, out)
            out[first] = dash + out[first][len(inner):]
        elif isinstance(item, dict):
            append(dash + "{}\n")
        elif isinstance(item, list):
            append(dash + "[]\n")
        else:
            append(dash + _scalar(item) + "\n")


def dump(data) -> str:
    """YAML text of ``data`` (a document body, without the leading '---')."""
    if isinstance(data, (dict, list)) and data:
        out: list = []
        _emit(data, "", out)
        return "".join(out)
    if isinstance(data, dict):
        return "{}\n"
    if isinstance(data, list):
        return "[]\n"
    return _scalar(data) + "\n"
