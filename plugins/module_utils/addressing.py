"""Address math of the dcnet.fabric engine: pools, links, hosts, reverse DNS.

Pure functions over strings, IPv4 and IPv6 alike, built on the standard
library's ``ipaddress`` and plain integer arithmetic (parsed prefixes are
cached, so allocating thousands of links from one pool parses it once).
The design stage and the ``dcnet.fabric`` filter plugins call the same
functions.

Conventions, shared by every function here:

* A *prefix* argument is ``"network/len"`` with no host bits set
  (``10.0.0.0/24``, ``2001:db8::/64``); a bare address means a host prefix
  (/32 or /128). ``10.0.0.1/24`` is refused: it names an interface, not a
  network, and accepting it silently hides typos in pools.
* An *address* argument is a bare address (``10.0.0.1``).
* Results are strings in canonical form (IPv6 compressed, lower case).
* Integer arguments accept ``int`` or a string of decimal digits (extra vars
  arrive as strings); ``bool`` and floats are refused.
* Bad input raises :class:`InputError` naming the public function, the
  argument and the value; nothing returns ``False`` or ``""`` on error.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache

from .errors import InputError

__all__ = [
    "nth_subnet", "p2p_link", "nth_host", "gateway", "loopback", "router_id",
    "subnets", "subnet_count", "pool_usage", "overlaps", "merge", "with_prefix",
    "prefixlen", "family", "contains", "embed_ipv4", "eui64", "ptr", "reverse_zone",
    "parse_prefix", "parse_address", "format_address",
]

_BITS = {4: 32, 6: 128}
_V4_FULL = (1 << 32) - 1


# --------------------------------------------------------------------------- parsing
# Fast paths parse the common spellings with a regex (IPv4) or the C
# inet_pton (IPv6); anything they do not take goes to ``ipaddress``, which
# decides validity and words the error. The fast paths accept a subset of
# what ``ipaddress`` accepts, with the same meaning (tested differentially).
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_V4_RE = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}(?:/(3[0-2]|[12]?[0-9]))?\Z")
_V6_LEN_RE = re.compile(r"(12[0-8]|1[01][0-9]|[1-9]?[0-9])\Z")
_AF6 = socket.AF_INET6


def _fast_prefix(text: str):
    match = _V4_RE.match(text)
    if match:
        a, b, c, d, length = match.groups()
        value = (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)
        plen = 32 if length is None else int(length)
        if value & ((1 << (32 - plen)) - 1):
            return None
        return (4, value, plen, 32)
    if ":" not in text or "." in text or "%" in text:
        return None
    address, slash, length = text.partition("/")
    if slash:
        if not _V6_LEN_RE.match(length):
            return None
        plen = int(length)
    else:
        plen = 128
    try:
        value = int.from_bytes(socket.inet_pton(_AF6, address), "big")
    except (OSError, ValueError):
        return None
    if value & ((1 << (128 - plen)) - 1):
        return None
    return (6, value, plen, 128)


@lru_cache(maxsize=16384)
def _prefix_cached(text: str):
    """(version, network int, prefixlen, max bits) of ``text`` or ValueError(reason)."""
    fast = _fast_prefix(text)
    if fast is not None:
        return fast
    try:
        net = ipaddress.ip_network(text)
    except ValueError:
        try:
            loose = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError("is not a valid IPv4 or IPv6 prefix") from None
        raise ValueError(f"has host bits set (the network is {loose})") from None
    return (net.version, int(net.network_address), net.prefixlen, net.max_prefixlen)


@lru_cache(maxsize=16384)
def _address_cached(text: str):
    if "/" not in text:
        fast = _fast_prefix(text)
        if fast is not None:
            return (fast[0], fast[1])
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        if "/" in text:
            raise ValueError("is a prefix, an address without '/len' is expected") from None
        raise ValueError("is not a valid IPv4 or IPv6 address") from None
    return (addr.version, int(addr))


@lru_cache(maxsize=16384)
def _interface_cached(text: str):
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError:
        raise ValueError("is not a valid IPv4 or IPv6 address or address/len") from None
    return (iface.version, int(iface.ip), iface.network.prefixlen)


def _text(func: str, arg: str, value) -> str:
    if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network,
                          ipaddress.IPv4Address, ipaddress.IPv6Address,
                          ipaddress.IPv4Interface, ipaddress.IPv6Interface)):
        return str(value)
    if not isinstance(value, str):
        raise InputError(func, arg, value, f"must be a string, not {type(value).__name__}")
    return value


def parse_prefix(func: str, arg: str, value):
    """Parse a prefix: ``(version, network int, prefixlen, max bits)``."""
    try:
        return _prefix_cached(_text(func, arg, value))
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(func, arg, value, str(exc)) from None


def parse_address(func: str, arg: str, value):
    """Parse a bare address: ``(version, int)``."""
    try:
        return _address_cached(_text(func, arg, value))
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(func, arg, value, str(exc)) from None


def _parse_interface(func: str, arg: str, value):
    try:
        return _interface_cached(_text(func, arg, value))
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(func, arg, value, str(exc)) from None


_DIGITS = re.compile(r"[+-]?[0-9]+\Z")


def _int(func: str, arg: str, value, minimum=None, maximum=None) -> int:
    """An integer argument: int, or a string of decimal digits; never bool/float."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputError(func, arg, value, f"must be an integer, not {type(value).__name__}")
    if isinstance(value, str):
        if not _DIGITS.match(value.strip()):
            raise InputError(func, arg, value, "must be an integer")
        number = int(value.strip())   # str.strip() removes more whitespace (\x1c-\x1f) than int() accepts
    else:
        number = int(value)
    if minimum is not None and number < minimum:
        raise InputError(func, arg, value, f"must be >= {minimum}")
    if maximum is not None and number > maximum:
        raise InputError(func, arg, value, f"must be <= {maximum}")
    return number


def _list(func: str, arg: str, value) -> list:
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise InputError(func, arg, value, f"must be a list, not {type(value).__name__}")
    return list(value)


def format_address(version: int, value: int) -> str:
    """Canonical text of the address ``value`` (an int) of family ``version``."""
    if version == 4:
        return "%d.%d.%d.%d" % (value >> 24, (value >> 16) & 255, (value >> 8) & 255, value & 255)
    return _v6_text(value)


@lru_cache(maxsize=16384)
def _v6_text(value: int) -> str:
    # inet_ntop writes RFC 5952 text like ipaddress, except that it shows
    # IPv4-compatible (::/96) and IPv4-mapped (::ffff:0:0/96) addresses with a
    # dotted quad, as ipaddress does only for mapped ones and only on newer
    # Pythons: leave those to ipaddress.
    if (value >> 32) in (0, 0xFFFF):
        return str(ipaddress.IPv6Address(value))
    return socket.inet_ntop(_AF6, value.to_bytes(16, "big"))


def _fmt_prefix(version: int, value: int, plen: int) -> str:
    return f"{format_address(version, value)}/{plen}"


def _usable(version: int, plen: int, bits: int):
    """Offsets (first, last) of usable host addresses, as ``ipaddress`` hosts()."""
    size = 1 << (bits - plen)
    if bits - plen <= 1:
        return 0, size - 1
    if version == 4:
        return 1, size - 2
    return 1, size - 1  # IPv6: the network address is the subnet-router anycast


# --------------------------------------------------------------------------- links & hosts
def _nth(func: str, pool, new_len, n):
    version, net, plen, bits = parse_prefix(func, "pool", pool)
    new_len = _int(func, "prefixlen", new_len)
    if not plen <= new_len <= bits:
        raise InputError(func, "prefixlen", new_len,
                         f"must be between the pool length {plen} and {bits}")
    n = _int(func, "n", n, minimum=0)
    count = 1 << (new_len - plen)
    if n >= count:
        raise InputError(func, "n", n,
                         f"is past the end of pool {_fmt_prefix(version, net, plen)}: "
                         f"pool exhausted, only {count} /{new_len} subnets fit (n = 0..{count - 1})")
    return version, net + (n << (bits - new_len)), new_len


def nth_subnet(pool: str, prefixlen: int, n: int) -> str:
    """The ``n``-th (0-based) subnet of length ``prefixlen`` inside ``pool``.

    >>> nth_subnet("10.1.0.0/16", 24, 3)
    '10.1.3.0/24'
    """
    version, start, new_len = _nth("nth_subnet", pool, prefixlen, n)
    return _fmt_prefix(version, start, new_len)


def p2p_link(pool: str, n: int) -> dict:
    """The ``n``-th point-to-point link of ``pool``: a /31 (IPv4) or /127 (IPv6).

    >>> p2p_link("10.254.0.0/22", 2)
    {'subnet': '10.254.0.4/31', 'a': '10.254.0.4', 'b': '10.254.0.5', 'prefixlen': 31}
    """
    length = parse_prefix("p2p_link", "pool", pool)[3] - 1
    version, start, _len = _nth("p2p_link", pool, length, n)
    return {
        "subnet": _fmt_prefix(version, start, length),
        "a": format_address(version, start),
        "b": format_address(version, start + 1),
        "prefixlen": length,
    }


def nth_host(prefix: str, n: int) -> str:
    """Address ``n`` of ``prefix``, counted from the network address.

    ``n`` >= 0 is the offset from the network address (``n=1`` is the first
    host of a /24); negative ``n`` counts back from the end, ``-1`` being the
    last *usable* address (the IPv4 broadcast is not usable). Only usable
    addresses are returned -- those ``ipaddress`` lists in ``hosts()``: the
    network address (and IPv4 broadcast) are refused except in /31, /32,
    /127 and /128, where every address is a host.

    >>> nth_host("10.0.0.0/24", 1), nth_host("10.0.0.0/24", -1)
    ('10.0.0.1', '10.0.0.254')
    """
    func = "nth_host"
    version, net, plen, bits = parse_prefix(func, "prefix", prefix)
    n = _int(func, "n", n)
    first, last = _usable(version, plen, bits)
    offset = n if n >= 0 else last + 1 + n
    if not first <= offset <= last:
        count = last - first + 1
        raise InputError(func, "n", n,
                         f"is out of range for {_fmt_prefix(version, net, plen)}: it has {count} usable "
                         f"addresses, n must be {first}..{last} or -1..-{count}")
    return format_address(version, net + offset)


def gateway(prefix: str, position: str = "first") -> str:
    """First or last usable address of ``prefix`` (``position``: ``first`` | ``last``)."""
    func = "gateway"
    version, net, plen, bits = parse_prefix(func, "prefix", prefix)
    if position not in ("first", "last"):
        raise InputError(func, "position", position, "must be 'first' or 'last'")
    if plen == bits:
        raise InputError(func, "prefix", prefix, "is a host prefix and has no room for a gateway")
    first, last = _usable(version, plen, bits)
    return format_address(version, net + (first if position == "first" else last))


def loopback(pool: str, id: int, offset: int = 0) -> str:  # noqa: A002 - contract name
    """Loopback address (no prefix) for stable ``id``: network + id + offset, inside ``pool``.

    >>> loopback("10.255.0.0/24", 7), loopback("fd00:255::/64", 7, 256)
    ('10.255.0.7', 'fd00:255::107')
    """
    return _loopback("loopback", pool, id, offset)


def _loopback(func, pool, id, offset):  # noqa: A002
    version, net, plen, bits = parse_prefix(func, "pool", pool)
    id = _int(func, "id", id, minimum=0)  # noqa: A001
    offset = _int(func, "offset", offset)
    value = id + offset
    size = 1 << (bits - plen)
    if not 0 <= value < size:
        raise InputError(func, "id", id,
                         f"with offset {offset} falls outside pool {_fmt_prefix(version, net, plen)} "
                         f"(id + offset must be 0..{size - 1})")
    return format_address(version, net + value)


def router_id(pool_or_address: str, id: int | None = None, offset: int = 0) -> str:  # noqa: A002
    """IPv4 BGP/OSPF router id: an explicit address, or network + id + offset of a pool.

    >>> router_id("10.255.0.0/24", 3), router_id("192.0.2.1")
    ('10.255.0.3', '192.0.2.1')
    """
    func = "router_id"
    if id is None:
        if isinstance(pool_or_address, str) and "/" in pool_or_address:
            raise InputError(func, "id", id, f"is required when pool_or_address is a pool ({pool_or_address})")
        version, value = parse_address(func, "pool_or_address", pool_or_address)
        if version != 4:
            raise InputError(func, "pool_or_address", pool_or_address,
                             "is IPv6; a router id is a 32-bit IPv4 dotted quad")
        if value in (0, _V4_FULL):
            raise InputError(func, "pool_or_address", pool_or_address, "is not a valid router id")
        return format_address(4, value)
    version = parse_prefix(func, "pool_or_address", pool_or_address)[0]
    if version != 4:
        raise InputError(func, "pool_or_address", pool_or_address,
                         "is IPv6; a router id is a 32-bit IPv4 dotted quad")
    address = _loopback(func, pool_or_address, id, offset)
    if address in ("0.0.0.0", "255.255.255.255"):
        raise InputError(func, "id", id, f"gives {address}, which is not a valid router id")
    return address


# --------------------------------------------------------------------------- pools
def subnet_count(prefix: str, new_prefixlen: int) -> int:
    """How many /``new_prefixlen`` subnets ``prefix`` holds (exact, IPv6 too)."""
    version, net, plen, bits = parse_prefix("subnet_count", "prefix", prefix)
    new_len = _int("subnet_count", "new_prefixlen", new_prefixlen)
    if not plen <= new_len <= bits:
        raise InputError("subnet_count", "new_prefixlen", new_len,
                         f"must be between the prefix length {plen} and {bits}")
    return 1 << (new_len - plen)


def subnets(prefix: str, new_prefixlen: int, start: int = 0, limit: int | None = None):
    """Iterator over the /``new_prefixlen`` subnets of ``prefix``, lazily.

    Arguments are checked at call time (not at the first ``next()``); only the
    subnets consumed are computed, so a /48 split into /64s costs nothing.
    ``start`` skips the first subnets, ``limit`` stops after that many.

    >>> list(subnets("2001:db8::/48", 64, limit=2))
    ['2001:db8::/64', '2001:db8:0:1::/64']
    """
    func = "subnets"
    version, net, plen, bits = parse_prefix(func, "prefix", prefix)
    new_len = _int(func, "new_prefixlen", new_prefixlen)
    if not plen <= new_len <= bits:
        raise InputError(func, "new_prefixlen", new_prefixlen,
                         f"must be between the prefix length {plen} and {bits}")
    count = 1 << (new_len - plen)
    start = _int(func, "start", start, minimum=0)
    stop = count if limit is None else min(count, start + _int(func, "limit", limit, minimum=0))
    return _subnet_iter(version, net, new_len, 1 << (bits - new_len), start, stop)


def _subnet_iter(version, net, new_len, step, start, stop):
    for index in range(start, stop):
        yield _fmt_prefix(version, net + index * step, new_len)


def _intervals(func: str, arg: str, prefixes):
    """Parsed list of (version, start, end, plen, text) for a list of prefixes."""
    out = []
    for index, item in enumerate(_list(func, arg, prefixes)):
        version, net, plen, bits = parse_prefix(func, f"{arg}[{index}]", item)
        out.append((version, net, net + (1 << (bits - plen)) - 1, plen))
    return out


def _merge_intervals(items):
    """Union of (start, end) intervals, sorted, merged when touching."""
    merged = []
    for start, end in sorted(items):
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged


def _range_to_prefixes(version, start, end):
    """Smallest list of prefixes covering exactly [start, end]."""
    bits = _BITS[version]
    out = []
    while start <= end:
        # largest block aligned at start and not past end
        size = start & -start if start else 1 << bits
        while size > end - start + 1:
            size >>= 1
        out.append(_fmt_prefix(version, start, bits - size.bit_length() + 1))
        start += size
    return out


def pool_usage(pool: str, used: list, unit: int | None = None) -> dict:
    """Address counts of ``pool`` given the ``used`` prefixes inside it.

    Counts are exact integers (an IPv6 /64 holds 2**64 addresses); used
    prefixes may overlap each other (the union is counted once). A used
    prefix not inside the pool is an error. With ``unit`` (a prefix length,
    e.g. 64) the result also counts /unit subnets: ``unit_total``,
    ``unit_used`` (touched by any used prefix) and ``unit_free``.

    >>> pool_usage("10.0.0.0/24", ["10.0.0.0/26"])["free"]
    192
    """
    func = "pool_usage"
    version, net, plen, bits = parse_prefix(func, "pool", pool)
    end = net + (1 << (bits - plen)) - 1
    spans = []
    for index, item in enumerate(_list(func, "used", used)):
        u_version, u_net, u_plen, u_bits = parse_prefix(func, f"used[{index}]", item)
        u_end = u_net + (1 << (u_bits - u_plen)) - 1
        if u_version != version or u_net < net or u_end > end:
            raise InputError(func, f"used[{index}]", item,
                             f"is not inside pool {_fmt_prefix(version, net, plen)}")
        spans.append((u_net, u_end))
    merged = _merge_intervals(spans)
    total = 1 << (bits - plen)
    used_count = sum(b - a + 1 for a, b in merged)
    free_prefixes = []
    cursor = net
    for a, b in merged:
        if a > cursor:
            free_prefixes.extend(_range_to_prefixes(version, cursor, a - 1))
        cursor = b + 1
    if cursor <= end:
        free_prefixes.extend(_range_to_prefixes(version, cursor, end))
    used_prefixes = []
    for a, b in merged:
        used_prefixes.extend(_range_to_prefixes(version, a, b))
    result = {
        "pool": _fmt_prefix(version, net, plen),
        "total": total,
        "used": used_count,
        "free": total - used_count,
        "percent_used": round(100.0 * used_count / total, 2),
        "used_prefixes": used_prefixes,
        "free_prefixes": free_prefixes,
    }
    if unit is not None:
        unit = _int(func, "unit", unit)
        if not plen <= unit <= bits:
            raise InputError(func, "unit", unit, f"must be between the pool length {plen} and {bits}")
        shift = bits - unit
        touched, last_block = 0, -1
        for a, b in merged:
            first_block = max(a >> shift, last_block + 1)
            if b >> shift >= first_block:
                touched += (b >> shift) - first_block + 1
                last_block = b >> shift
        result.update(unit=unit, unit_total=1 << (unit - plen), unit_used=touched,
                      unit_free=(1 << (unit - plen)) - touched)
    return result


def overlaps(prefixes: list) -> list:
    """Pairs of prefixes in ``prefixes`` that overlap, as ``(outer, inner)`` tuples.

    Two prefixes overlap when one contains the other (duplicates included).
    Runs in O(n log n + pairs): prefixes are sorted once and swept with a
    stack of enclosing prefixes. Output is sorted by family, address, length.

    >>> overlaps(["10.0.0.0/16", "10.0.1.0/24", "10.1.0.0/24"])
    [('10.0.0.0/16', '10.0.1.0/24')]
    """
    items = sorted(_intervals("overlaps", "prefixes", prefixes), key=lambda t: (t[0], t[1], t[3]))
    pairs = []
    stack = []
    for item in items:
        version, start = item[0], item[1]
        while stack and (stack[-1][0] != version or stack[-1][2] < start):
            stack.pop()
        for outer in stack:
            pairs.append((outer, item))
        stack.append(item)
    pairs.sort(key=lambda p: (p[0][0], p[0][1], p[0][3], p[1][1], p[1][3]))
    return [(_fmt_prefix(a[0], a[1], a[3]), _fmt_prefix(b[0], b[1], b[3])) for a, b in pairs]


def merge(prefixes: list) -> list:
    """Summarize ``prefixes`` into the fewest covering prefixes (IPv4 first, then IPv6).

    >>> merge(["10.0.0.0/25", "10.0.0.128/25", "10.0.0.5/32"])
    ['10.0.0.0/24']
    """
    by_family = {4: [], 6: []}
    for version, start, end, _plen in _intervals("merge", "prefixes", prefixes):
        by_family[version].append((start, end))
    out = []
    for version in (4, 6):
        for start, end in _merge_intervals(by_family[version]):
            out.extend(_range_to_prefixes(version, start, end))
    return out


# --------------------------------------------------------------------------- small helpers
def with_prefix(address: str, prefix) -> str:
    """``address/len``: ``prefix`` is a prefix containing the address, or a length.

    >>> with_prefix("10.0.0.1", "10.0.0.0/24"), with_prefix("2001:db8::1", 64)
    ('10.0.0.1/24', '2001:db8::1/64')
    """
    func = "with_prefix"
    version, value = parse_address(func, "address", address)
    if isinstance(prefix, (int, str)) and not isinstance(prefix, bool) and _DIGITS.match(str(prefix).strip()):
        length = _int(func, "prefix", prefix, minimum=0, maximum=_BITS[version])
        return f"{format_address(version, value)}/{length}"
    p_version, net, plen, bits = parse_prefix(func, "prefix", prefix)
    if p_version != version or not net <= value < net + (1 << (bits - plen)):
        raise InputError(func, "address", address, f"is not inside {_fmt_prefix(p_version, net, plen)}")
    return f"{format_address(version, value)}/{plen}"


def prefixlen(prefix: str) -> int:
    """Length of ``prefix`` (``10.0.0.0/24`` -> 24)."""
    return parse_prefix("prefixlen", "prefix", prefix)[2]


def family(prefix_or_address: str) -> int:
    """4 or 6: the family of an address, prefix or ``address/len``."""
    return _parse_interface("family", "prefix_or_address", prefix_or_address)[0]


def contains(prefix: str, address_or_prefix: str) -> bool:
    """True when ``address_or_prefix`` lies entirely inside ``prefix`` (other family: False)."""
    version, net, plen, bits = parse_prefix("contains", "prefix", prefix)
    o_version, o_net, o_plen, o_bits = parse_prefix("contains", "address_or_prefix", address_or_prefix)
    if o_version != version or o_plen < plen:
        return False
    return (o_net >> (bits - plen)) == (net >> (bits - plen))


# --------------------------------------------------------------------------- IPv6 helpers
def embed_ipv4(ipv6_prefix: str, ipv4_address: str, bits: int = 8, style: str = "decimal") -> str:
    """IPv6 address of ``ipv6_prefix`` carrying the low ``bits`` of an IPv4 address.

    The host part of the IPv4 address is its last ``bits`` bits (8: last
    octet, 16: last two, 32: whole address); ``ipv4_address`` may carry a
    ``/len`` (ignored). Two styles:

    * ``decimal`` (default, readable): each octet of the host part is written
      with its *decimal digits* in its own 16-bit group, so ``.17`` becomes
      ``::17`` and 100.17 becomes ``::100:17``. ``bits`` must be 8, 16, 24
      or 32, and the prefix needs ``16 * bits / 8`` host bits.
    * ``binary`` (exact, RFC 6052-like): the low ``bits`` bits are copied into
      the low bits of the prefix (``.17`` becomes ``::11``); 1 <= bits <= 32.

    >>> embed_ipv4("2001:db8:100::/64", "10.20.100.17/24")
    '2001:db8:100::17'
    >>> embed_ipv4("2001:db8:100::/64", "10.20.100.17", 8, "binary")
    '2001:db8:100::11'
    """
    func = "embed_ipv4"
    version, net, plen, max_bits = parse_prefix(func, "ipv6_prefix", ipv6_prefix)
    if version != 6:
        raise InputError(func, "ipv6_prefix", ipv6_prefix, "must be an IPv6 prefix")
    v4_version, v4, _len = _parse_interface(func, "ipv4_address", ipv4_address)
    if v4_version != 4:
        raise InputError(func, "ipv4_address", ipv4_address, "must be an IPv4 address")
    bits = _int(func, "bits", bits, minimum=1, maximum=32)
    host = v4 & ((1 << bits) - 1)
    if style == "decimal":
        if bits % 8:
            raise InputError(func, "bits", bits, "must be 8, 16, 24 or 32 with style 'decimal'")
        octets = bits // 8
        need = 16 * octets
        value = 0
        for index in range(octets - 1, -1, -1):
            value = (value << 16) | int(str((host >> (8 * index)) & 255), 16)
    elif style == "binary":
        need = bits
        value = host
    else:
        raise InputError(func, "style", style, "must be 'decimal' or 'binary'")
    if max_bits - plen < need:
        raise InputError(func, "ipv6_prefix", ipv6_prefix,
                         f"has {max_bits - plen} host bits, {need} are needed to embed {bits} IPv4 bits "
                         f"in style {style!r}")
    return format_address(6, net | value)


_MAC_PLAIN = re.compile(r"[0-9a-fA-F]{12}\Z")
_MAC_SEP = re.compile(r"([0-9a-fA-F]{2})([:-])([0-9a-fA-F]{2})(\2[0-9a-fA-F]{2}){4}\Z")
_MAC_DOT = re.compile(r"[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\Z")


def _mac_int(func: str, arg: str, mac) -> int:
    if not isinstance(mac, str):
        raise InputError(func, arg, mac, f"must be a MAC address string, not {type(mac).__name__}")
    text = mac.strip()
    if _MAC_SEP.match(text) or _MAC_DOT.match(text) or _MAC_PLAIN.match(text):
        return int(re.sub(r"[:.\-]", "", text), 16)
    raise InputError(func, arg, mac,
                     "is not a MAC address (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or 12 hex digits)")


def eui64(prefix: str, mac: str) -> str:
    """SLAAC address (modified EUI-64, RFC 4291 appendix A) of ``mac`` in a /64.

    >>> eui64("2001:db8::/64", "52:54:00:12:34:56")
    '2001:db8::5054:ff:fe12:3456'
    """
    func = "eui64"
    version, net, plen, _bits = parse_prefix(func, "prefix", prefix)
    if version != 6 or plen != 64:
        raise InputError(func, "prefix", prefix, "must be an IPv6 /64")
    value = _mac_int(func, "mac", mac)
    iid = ((value >> 24) << 40) | (0xFFFE << 24) | (value & 0xFFFFFF)
    iid ^= 1 << 57  # flip the universal/local bit
    return format_address(6, net | iid)


def ptr(address: str) -> str:
    """Reverse DNS name of an address (``in-addr.arpa`` / ``ip6.arpa``, no trailing dot).

    >>> ptr("10.20.100.17")
    '17.100.20.10.in-addr.arpa'
    """
    version, value = parse_address("ptr", "address", address)
    if version == 4:
        return "%d.%d.%d.%d.in-addr.arpa" % (value & 255, (value >> 8) & 255,
                                             (value >> 16) & 255, value >> 24)
    return ".".join(reversed(f"{value:032x}")) + ".ip6.arpa"


def reverse_zone(prefix: str) -> str:
    """Reverse DNS zone of ``prefix`` (no trailing dot).

    IPv4 prefixes must end on an octet (/8, /16, /24, /32; /0 is
    ``in-addr.arpa``), IPv6 prefixes on a nibble (a multiple of 4): other
    lengths have no zone of their own (delegate with RFC 2317 instead).

    >>> reverse_zone("10.20.100.0/24"), reverse_zone("2001:db8::/32")
    ('100.20.10.in-addr.arpa', '8.b.d.0.1.0.0.2.ip6.arpa')
    """
    func = "reverse_zone"
    version, net, plen, bits = parse_prefix(func, "prefix", prefix)
    if version == 4:
        if plen % 8:
            raise InputError(func, "prefix", prefix,
                             "does not end on an octet boundary (/8, /16, /24): it has no reverse zone "
                             "of its own (use RFC 2317 delegation)")
        octets = [str((net >> (24 - 8 * i)) & 255) for i in range(plen // 8)]
        return ".".join(reversed(octets) if octets else []) + ("." if octets else "") + "in-addr.arpa"
    if plen % 4:
        raise InputError(func, "prefix", prefix,
                         "does not end on a nibble boundary (a multiple of 4): it has no reverse zone")
    nibbles = f"{net:032x}"[: plen // 4]
    return "".join(n + "." for n in reversed(nibbles)) + "ip6.arpa"
