"""BGP autonomous system numbers: allocation by stable id, formats, ranges.

Pure functions; bad input raises :class:`InputError` naming the function, the
argument and the value. Reserved numbers are refused everywhere:
0 (RFC 7607), 23456 AS_TRANS (RFC 6793), 65535 and 4294967295 (RFC 7300).
Private ranges (RFC 6996): 64512-65534 and 4200000000-4294967294.
"""

from __future__ import annotations

import re

from .errors import InputError

__all__ = ["asn_for", "is_private_asn", "to_asdot", "to_asplain", "validate_asn",
           "PRIVATE_RANGES", "RESERVED"]

ASN_MAX = 4294967295
PRIVATE_RANGES = ((64512, 65534), (4200000000, 4294967294))
RESERVED = {
    0: "is reserved (RFC 7607)",
    23456: "is AS_TRANS, reserved (RFC 6793)",
    65535: "is reserved (RFC 7300)",
    ASN_MAX: "is reserved (RFC 7300)",
}
_PLAIN = re.compile(r"[0-9]+\Z")
_DOT = re.compile(r"([0-9]+)\.([0-9]+)\Z")


def _parse(func: str, arg: str, value) -> int:
    """int from an int, an asplain string ('65000') or an asdot string ('1.10')."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputError(func, arg, value, f"must be an AS number (int or 'X.Y'), not {type(value).__name__}")
    if isinstance(value, int):
        number = int(value)
    else:
        text = value.strip()
        dot = _DOT.match(text)
        if dot:
            high, low = int(dot.group(1)), int(dot.group(2))
            if high > 65535 or low > 65535:
                raise InputError(func, arg, value, "is not valid asdot: both halves must be 0..65535")
            number = (high << 16) | low
        elif _PLAIN.match(text):
            number = int(text)
        else:
            raise InputError(func, arg, value, "is not an AS number (asplain '65000' or asdot '1.10')")
    if not 0 <= number <= ASN_MAX:
        raise InputError(func, arg, value, f"is out of range 1..{ASN_MAX - 1}")
    return number


def _checked(func: str, arg: str, value) -> int:
    number = _parse(func, arg, value)
    if number in RESERVED:
        raise InputError(func, arg, value, RESERVED[number])
    return number


def validate_asn(asn) -> int:
    """The AS number ``asn`` (int, asplain or asdot string) as an int, if usable.

    >>> validate_asn("1.10"), validate_asn(65001)
    (65546, 65001)
    """
    return _checked("validate_asn", "asn", asn)


def _private_block(number: int):
    for low, high in PRIVATE_RANGES:
        if low <= number <= high:
            return low, high
    return None


def is_private_asn(asn) -> bool:
    """True for private AS numbers: 64512-65534 and 4200000000-4294967294.

    >>> is_private_asn(65001), is_private_asn(13335)
    (True, False)
    """
    return _private_block(_checked("is_private_asn", "asn", asn)) is not None


def asn_for(base, id, step: int = 1) -> int:  # noqa: A002 - contract name
    """AS number of the device/pair with stable ``id``: ``base + id * step``.

    Same convention as addressing.loopback (``id`` 0 is the base itself).
    When ``base`` is private the result must stay in the same private range.

    >>> asn_for(65010, 3), asn_for(4200000000, 2, 10)
    (65013, 4200000020)
    """
    func = "asn_for"
    base_n = _checked(func, "base", base)
    if isinstance(id, bool) or not isinstance(id, (int, str)) or not _PLAIN.match(str(id).strip()):
        raise InputError(func, "id", id, "must be an integer >= 0")
    if isinstance(step, bool) or not isinstance(step, (int, str)) or not _PLAIN.match(str(step).strip()) \
            or int(step) < 1:
        raise InputError(func, "step", step, "must be an integer >= 1")
    number = base_n + int(id) * int(step)
    block = _private_block(base_n)
    if block and number > block[1]:
        raise InputError(func, "id", id,
                         f"gives AS {number}, past the end of the private range {block[0]}-{block[1]} "
                         f"that base {base_n} is in")
    if number > ASN_MAX - 1:
        raise InputError(func, "id", id, f"gives AS {number}, past the largest AS number {ASN_MAX - 1}")
    if number in RESERVED:
        raise InputError(func, "id", id, f"gives AS {number}, which {RESERVED[number]}")
    return number


def to_asdot(asn) -> str:
    """asdot text (RFC 5396): 'X.Y' for 4-byte numbers, plain below 65536.

    >>> to_asdot(65546), to_asdot(65001)
    ('1.10', '65001')
    """
    number = _checked("to_asdot", "asn", asn)
    if number < 65536:
        return str(number)
    return f"{number >> 16}.{number & 0xFFFF}"


def to_asplain(value) -> int:
    """asplain int of an AS number given as asdot ('1.10'), asdot+ or plain.

    >>> to_asplain("1.10"), to_asplain("0.65001"), to_asplain(65001)
    (65546, 65001, 65001)
    """
    return _checked("to_asplain", "value", value)
