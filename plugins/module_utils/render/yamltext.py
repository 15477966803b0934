"""A small, fast, deterministic YAML writer for plain data.

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

_PLAIN_OK = re.compile(r"^[A-Za-z0-9_./(][ !$%&()*+,\-./0-9:;<=>?@A-Z\[\\\]^_`a-z{|}~]*$")
_INDICATORS = (": ", " #", ":\t")
# What other YAML readers (YAML 1.2 core schema, Go's yaml used by kubectl) take
# for a number or a boolean although PyYAML reads a string: quote those too.
_OTHER_READERS = re.compile(r"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[yYnN])$")


@lru_cache(maxsize=1)
def _resolve():
    """PyYAML's implicit resolver (imported on first use: PyYAML comes with ansible-core)."""
    from yaml.nodes import ScalarNode
    from yaml.resolver import Resolver

    resolver = Resolver()
    return lambda text: resolver.resolve(ScalarNode, text, (True, False))


@lru_cache(maxsize=65536)
def scalar_text(value: str) -> str:
    """``value`` as a YAML scalar that loads back as this exact string."""
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
        return scalar_text(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _emit(value, indent: str, out: list) -> None:
    """Append the lines of a mapping or sequence body at ``indent``."""
    if isinstance(value, dict):
        for key, item in value.items():
            k = scalar_text(str(key)) if not isinstance(key, (int, bool)) else _scalar(key)
            if isinstance(item, dict) and item:
                out.append(f"{indent}{k}:\n")
                _emit(item, indent + "  ", out)
            elif isinstance(item, list) and item:
                out.append(f"{indent}{k}:\n")
                _emit(item, indent, out)
            else:
                out.append(f"{indent}{k}: {_inline(item)}\n")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                sub = []
                _emit(item, indent + "  ", sub)
                sub[0] = f"{indent}- " + sub[0][len(indent) + 2:]
                out.extend(sub)
            elif isinstance(item, list) and item:
                sub = []
                _emit(item, indent + "  ", sub)
                sub[0] = f"{indent}- " + sub[0][len(indent) + 2:]
                out.extend(sub)
            else:
                out.append(f"{indent}- {_inline(item)}\n")


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump(data) -> str:
    """YAML text of ``data`` (a document body, without the leading '---')."""
    if isinstance(data, (dict, list)) and data:
        out: list = []
        _emit(data, "", out)
        return "".join(out)
    return _inline(data) + "\n"
