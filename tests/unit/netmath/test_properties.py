"""Hypothesis property tests: the engine against Python's ipaddress (and netaddr for EUI-64).

Every function with a standard-library equivalent is checked differentially
on random IPv4 and IPv6 input; random junk must give InputError, never
another exception.
"""

from __future__ import annotations

import ipaddress
import itertools

import netaddr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as A
from ansible_collections.dcnet.fabric.plugins.module_utils import asn as S
from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as M
from ansible_collections.dcnet.fabric.plugins.module_utils import vlans as V
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import InputError

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def networks(draw, min_host_bits=0, max_host_bits=128, version=None):
    version = version or draw(st.sampled_from([4, 6]))
    bits = 32 if version == 4 else 128
    host_bits = draw(st.integers(min_host_bits, min(max_host_bits, bits)))
    address = draw(st.integers(0, 2**bits - 1))
    cls = ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network
    return cls((address, bits - host_bits), strict=False)


def addresses(version=None):
    v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
    v6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
    return {4: v4, 6: v6}.get(version, st.one_of(v4, v6))


@SETTINGS
@given(networks(max_host_bits=16), st.integers(0, 8), st.data())
def test_nth_subnet(net, extra, data):
    new_len = min(net.prefixlen + extra, net.max_prefixlen)
    count = 2 ** (new_len - net.prefixlen)
    n = data.draw(st.integers(0, min(count - 1, 255)))
    want = next(itertools.islice(net.subnets(new_prefix=new_len), n, None))
    assert A.nth_subnet(str(net), new_len, n) == str(want)
    try:
        A.nth_subnet(str(net), new_len, count)
        raise AssertionError("past the end must fail")
    except InputError as exc:
        assert f"only {count} /{new_len} subnets fit" in str(exc)


@SETTINGS
@given(networks(min_host_bits=1, max_host_bits=12), st.data())
def test_p2p_link(net, data):
    links = list(net.subnets(new_prefix=net.max_prefixlen - 1))
    n = data.draw(st.integers(0, len(links) - 1))
    got = A.p2p_link(str(net), n)
    assert got == {"subnet": str(links[n]), "a": str(links[n][0]), "b": str(links[n][1]),
                   "prefixlen": net.max_prefixlen - 1}


@SETTINGS
@given(networks(max_host_bits=10), st.data())
def test_nth_host_and_gateway(net, data):
    hosts = list(net.hosts())
    offset = 1 if hosts[0] != net.network_address else 0
    i = data.draw(st.integers(0, len(hosts) - 1))
    assert A.nth_host(str(net), i + offset) == str(hosts[i])
    assert A.nth_host(str(net), -(i + 1)) == str(hosts[-(i + 1)])
    for bad in (offset - 1, len(hosts) + offset, -len(hosts) - 1):
        if bad >= 0 or bad < -len(hosts):
            try:
                A.nth_host(str(net), bad)
                raise AssertionError(f"{bad} must fail")
            except InputError:
                pass
    if net.prefixlen < net.max_prefixlen:
        assert A.gateway(str(net)) == str(hosts[0])
        assert A.gateway(str(net), "last") == str(hosts[-1])


@SETTINGS
@given(networks(min_host_bits=11, max_host_bits=128), st.integers(0, 2**64))
def test_nth_host_large(net, n):
    assume(1 <= n < net.num_addresses - (2 if net.version == 4 else 1))
    assert A.nth_host(str(net), n) == str(net[n])


@SETTINGS
@given(networks(max_host_bits=40), st.integers(0, 2**40), st.integers(-1000, 1000))
def test_loopback(net, ident, offset):
    value = ident + offset
    if 0 <= value < net.num_addresses:
        assert A.loopback(str(net), ident, offset) == str(net[value])
    else:
        try:
            A.loopback(str(net), ident, offset)
            raise AssertionError("must fail")
        except InputError as exc:
            assert exc.arg == "id"


@SETTINGS
@given(networks(max_host_bits=64), st.integers(0, 12), st.integers(0, 50), st.integers(0, 20))
def test_subnets(net, extra, start, limit):
    new_len = min(net.prefixlen + extra, net.max_prefixlen)
    want = [str(s) for s in itertools.islice(net.subnets(new_prefix=new_len), start, start + limit)]
    assert list(A.subnets(str(net), new_len, start, limit)) == want
    assert A.subnet_count(str(net), new_len) == 2 ** (new_len - net.prefixlen)


@st.composite
def pool_and_used(draw):
    pool = draw(networks(max_host_bits=24))
    used = []
    for _index in range(draw(st.integers(0, 6))):
        sub = draw(networks(version=pool.version, max_host_bits=pool.max_prefixlen - pool.prefixlen))
        # move the random block inside the pool
        size = sub.num_addresses
        offset = draw(st.integers(0, pool.num_addresses // size - 1)) * size
        used.append(ipaddress.ip_network((int(pool.network_address) + offset, sub.prefixlen)))
    return pool, used


@SETTINGS
@given(pool_and_used())
def test_pool_usage(case):
    pool, used = case
    merged = list(ipaddress.collapse_addresses(used))
    free = [pool]
    for block in merged:
        nxt = []
        for f in free:
            if block.subnet_of(f):
                nxt.extend(f.address_exclude(block))
            elif not f.subnet_of(block):
                nxt.append(f)
        free = nxt
    got = A.pool_usage(str(pool), [str(u) for u in used])
    n_used = sum(m.num_addresses for m in merged)
    assert (got["total"], got["used"], got["free"]) == (pool.num_addresses, n_used, pool.num_addresses - n_used)
    assert got["used_prefixes"] == [str(m) for m in merged]
    assert got["free_prefixes"] == [str(f) for f in sorted(ipaddress.collapse_addresses(free))]


@SETTINGS
@given(st.lists(networks(min_host_bits=0, max_host_bits=24), max_size=25))
def test_overlaps(nets):
    want = []
    for a, b in itertools.combinations(nets, 2):
        if a.version == b.version and a.overlaps(b):
            outer, inner = (a, b) if a.prefixlen <= b.prefixlen else (b, a)
            want.append((str(outer), str(inner)))
    got = A.overlaps([str(n) for n in nets])
    assert sorted(got) == sorted(want)
    key = [(ipaddress.ip_network(a).version, int(ipaddress.ip_network(a).network_address),
            ipaddress.ip_network(a).prefixlen) for a, _b in got]
    assert key == sorted(key)


@SETTINGS
@given(st.lists(networks(max_host_bits=24), max_size=30))
def test_merge(nets):
    want = [str(n) for v in (4, 6) for n in ipaddress.collapse_addresses(x for x in nets if x.version == v)]
    assert A.merge([str(n) for n in nets]) == want


@SETTINGS
@given(networks(), networks())
def test_contains(a, b):
    want = a.version == b.version and b.subnet_of(a)
    assert A.contains(str(a), str(b)) is want


@SETTINGS
@given(addresses(), st.integers(0, 128))
def test_with_prefix_family_ptr(address, length):
    length = min(length, address.max_prefixlen)
    assert A.with_prefix(str(address), length) == str(ipaddress.ip_interface((address, length)))
    net = ipaddress.ip_network((address, length), strict=False)
    assert A.with_prefix(str(address), str(net)) == f"{address}/{length}"
    assert A.family(str(address)) == address.version
    assert A.prefixlen(str(net)) == length
    assert A.ptr(str(address)) == address.reverse_pointer


@SETTINGS
@given(addresses(), st.integers(0, 32))
def test_reverse_zone(address, labels):
    step = 8 if address.version == 4 else 4
    labels = min(labels, address.max_prefixlen // step)
    net = ipaddress.ip_network((address, labels * step), strict=False)
    all_labels = net.network_address.reverse_pointer.split(".")
    want = ".".join(all_labels[(address.max_prefixlen - labels * step) // step:])
    assert A.reverse_zone(str(net)) == want


@SETTINGS
@given(networks(version=6), st.integers(0, 2**48 - 1))
def test_eui64_vs_netaddr(net, mac):
    net64 = ipaddress.IPv6Network((int(net.network_address), 64), strict=False)
    mac_text = ":".join(f"{b:02x}" for b in mac.to_bytes(6, "big"))
    want = netaddr.EUI(mac_text).ipv6(int(net64.network_address))
    assert A.eui64(str(net64), mac_text) == str(ipaddress.IPv6Address(int(want)))


@SETTINGS
@given(networks(version=6, min_host_bits=32), addresses(4), st.integers(1, 32))
def test_embed_ipv4_binary(net, v4, bits):
    got = ipaddress.IPv6Address(A.embed_ipv4(str(net), str(v4), bits, "binary"))
    assert got in net
    assert int(got) - int(net.network_address) == int(v4) & (2**bits - 1)


@SETTINGS
@given(st.sets(st.integers(1, 4094), max_size=60))
def test_vlans_round_trip(ids):
    text = V.compress_vlans(sorted(ids))
    assert V.expand_vlans(text) == sorted(ids)
    assert V.compress_vlans(V.expand_vlans(text)) == text


@SETTINGS
@given(st.integers(1, 2**32 - 2))
def test_asn_round_trip(asn):
    assume(asn not in S.RESERVED)
    assert S.to_asplain(S.to_asdot(asn)) == asn
    assert S.is_private_asn(asn) is (64512 <= asn <= 65534 or 4200000000 <= asn <= 4294967294)


JUNK = st.one_of(st.text(max_size=30), st.from_regex(r'[0-9.:/ -]{1,12}', fullmatch=True), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
CALLS = [
    lambda x: A.nth_subnet(x, 24, 0), lambda x: A.nth_subnet("10.0.0.0/16", x, 0),
    lambda x: A.nth_subnet("10.0.0.0/16", 24, x), lambda x: A.p2p_link(x, 0), lambda x: A.nth_host(x, 1),
    lambda x: A.nth_host("10.0.0.0/24", x), A.gateway, lambda x: A.gateway("10.0.0.0/24", x),
    lambda x: A.loopback(x, 1), lambda x: A.loopback("10.0.0.0/24", x), A.router_id,
    lambda x: A.router_id("10.0.0.0/24", x), lambda x: list(A.subnets(x, 24)), lambda x: A.pool_usage(x, []),
    lambda x: A.pool_usage("10.0.0.0/8", x), A.overlaps, A.merge,
    lambda x: A.embed_ipv4(x, "10.0.0.1"), lambda x: A.embed_ipv4("2001:db8::/64", x),
    lambda x: A.eui64("2001:db8::/64", x), A.ptr, A.reverse_zone,
    lambda x: S.asn_for(x, 1), lambda x: S.asn_for(65000, x), S.to_asdot, S.to_asplain,
    S.is_private_asn, V.expand_vlans, V.compress_vlans,
    lambda x: M.inner_mtu(x, "vxlan"), lambda x: M.inner_mtu(9000, x), lambda x: M.inner_mtu(9000, "vxlan", x),
    lambda x: M.inner_mtu(9000, "geneve", 4, x), M.frame_size, lambda x: M.frame_size(1500, x),
    M.path_mtu, lambda x: M.path_mtu([{"name": "a", "mtu": x}]), lambda x: A.with_prefix(x, 24),
    lambda x: A.with_prefix("10.0.0.1", x), lambda x: A.contains(x, "10.0.0.1"), A.family,
    lambda x: A.embed_ipv4("2001:db8::/64", "10.0.0.1", x), S.validate_asn, V.validate_vlan,
]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(range(len(CALLS))), JUNK)
def test_junk_gives_input_error_or_an_answer(index, junk):
    try:
        CALLS[index](junk)
    except InputError as exc:
        assert str(exc).startswith(f"{exc.func}: {exc.arg} ")


PREFIX_TEXT = st.one_of(
    st.text(alphabet="0123456789abcdefABCDEF:./%", max_size=45),
    st.from_regex(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(/[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"([0-9a-f]{0,5}:){2,9}[0-9a-f]{0,5}(/[0-9]{1,3})?", fullmatch=True),
)


@settings(max_examples=700, deadline=None)
@given(PREFIX_TEXT)
def test_parsing_accepts_what_ipaddress_accepts(text):
    """The fast parsers agree with ipaddress on random text: same validity, same value."""
    try:
        want = ipaddress.ip_network(text)
    except ValueError:
        want = None
    try:
        got = A.parse_prefix("t", "prefix", text)
    except InputError:
        got = None
    if want is None:
        assert got is None, (text, got)
    else:
        assert got == (want.version, int(want.network_address), want.prefixlen, want.max_prefixlen), text
    try:
        want_addr = ipaddress.ip_address(text)
    except ValueError:
        want_addr = None
    try:
        got_addr = A.parse_address("t", "address", text)
    except InputError:
        got_addr = None
    assert got_addr == (None if want_addr is None else (want_addr.version, int(want_addr))), text


HEXTET = st.sampled_from([0, 0, 0, 1, 0xFFFF, 0xDB8, 0x2001]) | st.integers(0, 0xFFFF)


@settings(max_examples=800, deadline=None)
@given(st.lists(HEXTET, min_size=8, max_size=8))
def test_ipv6_text_matches_ipaddress(hextets):
    value = 0
    for h in hextets:
        value = (value << 16) | h
    assert A.format_address(6, value) == str(ipaddress.IPv6Address(value))
    assert A.format_address(4, value & 0xFFFFFFFF) == str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
