"""VLAN id lists: switch trunk syntax ('10-12,20') <-> sorted lists of ints.

Valid ids are 1..4094 (0 and 4095 are reserved by IEEE 802.1Q). Bad input
raises :class:`InputError` naming the function, the argument and the value.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import InputError

__all__ = ["expand_vlans", "compress_vlans", "validate_vlan", "VLAN_MIN", "VLAN_MAX"]

VLAN_MIN, VLAN_MAX = 1, 4094
_NUMBER = re.compile(r"\s*([0-9]+)\s*\Z")
_RANGE = re.compile(r"\s*([0-9]+)\s*-\s*([0-9]+)\s*\Z")


def _vid(func: str, arg: str, value, text=None) -> int:
    if isinstance(value, bool):
        raise InputError(func, arg, value, "must be a VLAN id 1..4094, not bool")
    if isinstance(value, int):
        number = int(value)
    elif isinstance(value, str) and _NUMBER.match(value):
        number = int(value)
    else:
        raise InputError(func, arg, value, "is not a VLAN id (an integer 1..4094)")
    if not VLAN_MIN <= number <= VLAN_MAX:
        raise InputError(func, arg, value if text is None else text,
                         f"is outside the VLAN range {VLAN_MIN}..{VLAN_MAX}")
    return number


def validate_vlan(vid) -> int:
    """``vid`` as an int if it is a usable VLAN id (1..4094)."""
    return _vid("validate_vlan", "vid", vid)


def _expand(func: str, arg: str, spec, out: set) -> None:
    if isinstance(spec, bool) or spec is None:
        raise InputError(func, arg, spec, "is not a VLAN id, range or list")
    if isinstance(spec, int):
        out.add(_vid(func, arg, spec))
        return
    if isinstance(spec, str):
        if not spec.strip():
            return
        for part in spec.split(","):
            match = _RANGE.match(part)
            if match:
                low = _vid(func, arg, match.group(1), spec)
                high = _vid(func, arg, match.group(2), spec)
                if low > high:
                    raise InputError(func, arg, spec, f"has a reversed range {part.strip()!r}")
                out.update(range(low, high + 1))
            elif _NUMBER.match(part):
                out.add(_vid(func, arg, part, spec))
            else:
                raise InputError(func, arg, spec, f"has a bad element {part.strip()!r} "
                                 "(expected ids and ranges like '10-12,20')")
        return
    if isinstance(spec, dict) or not hasattr(spec, "__iter__"):
        raise InputError(func, arg, spec, f"must be a string, an int or a list, not {type(spec).__name__}")
    for index, item in enumerate(spec):
        if not isinstance(item, (int, str)) or isinstance(item, bool):
            raise InputError(func, f"{arg}[{index}]", item, "is not a VLAN id or range")
        _expand(func, f"{arg}[{index}]", item, out)


def expand_vlans(spec) -> list:
    """Sorted unique VLAN ids of a spec: '10-12,20', 7, or a list of ids/ranges.

    >>> expand_vlans("10-12,20")
    [10, 11, 12, 20]
    """
    out: set = set()
    _expand("expand_vlans", "spec", spec, out)
    return sorted(out)


def compress_vlans(ids) -> str:
    """Trunk syntax for VLAN ids (any spec ``expand_vlans`` takes); '' for none.

    >>> compress_vlans([20, 10, 11, 12])
    '10-12,20'
    """
    out: set = set()
    _expand("compress_vlans", "ids", ids, out)
    parts = []
    values = sorted(out)
    index = 0
    while index < len(values):
        start = end = values[index]
        while index + 1 < len(values) and values[index + 1] == end + 1:
            index += 1
            end = values[index]
        parts.append(str(start) if start == end else f"{start}-{end}")
        index += 1
    return ",".join(parts)


@lru_cache(maxsize=4096)
def ranges_text(ids: tuple) -> str:
    """``compress_vlans`` of a tuple, cached: the same lists recur on every port, node and leaf of a site
    (VLANs of a trunk, VM VLANs of a cluster, racks of a stretched VLAN)."""
    return compress_vlans(list(ids))
