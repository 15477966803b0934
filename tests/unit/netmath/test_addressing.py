"""Unit tables of the addressing engine: valid answers and loud, precise failures."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as A
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import InputError


def fails(func, *args, arg, value, reason, **kwargs):
    """Assert func(*args) raises InputError naming func, arg and value."""
    with pytest.raises(InputError) as err:
        func(*args, **kwargs)
    exc = err.value
    assert (exc.func, exc.arg) == (func.__name__, arg), str(exc)
    assert exc.value == value
    assert str(exc).startswith(f"{func.__name__}: {arg} {value!r} ")
    assert reason in exc.reason, str(exc)


@pytest.mark.parametrize("pool,length,n,want", [
    ("10.1.0.0/16", 24, 0, "10.1.0.0/24"),
    ("10.1.0.0/16", 24, 255, "10.1.255.0/24"),
    ("10.1.0.0/16", 16, 0, "10.1.0.0/16"),
    ("10.1.0.0/16", "26", "5", "10.1.1.64/26"),
    ("2001:db8::/48", 64, 100, "2001:db8:0:64::/64"),
    ("2001:db8::/32", 64, 2**32 - 1, "2001:db8:ffff:ffff::/64"),
    ("0.0.0.0/0", 32, 2**32 - 1, "255.255.255.255/32"),
])
def test_nth_subnet(pool, length, n, want):
    assert A.nth_subnet(pool, length, n) == want


def test_nth_subnet_errors():
    fails(A.nth_subnet, "10.1.0.0/23", 24, 2, arg="n", value=2, reason="pool exhausted, only 2 /24 subnets fit")
    fails(A.nth_subnet, "10.1.0.0/16", 15, 0, arg="prefixlen", value=15, reason="between the pool length 16 and 32")
    fails(A.nth_subnet, "10.1.0.0/16", 33, 0, arg="prefixlen", value=33, reason="between")
    fails(A.nth_subnet, "10.1.0.0/16", 24, -1, arg="n", value=-1, reason=">= 0")
    fails(A.nth_subnet, "10.1.0.0/16", 24, True, arg="n", value=True, reason="integer")
    fails(A.nth_subnet, "10.1.0.0/16", 24, 1.0, arg="n", value=1.0, reason="integer")
    fails(A.nth_subnet, "10.1.0.1/16", 24, 0, arg="pool", value="10.1.0.1/16", reason="host bits set")
    fails(A.nth_subnet, "10.1.0.0/33", 24, 0, arg="pool", value="10.1.0.0/33", reason="not a valid")
    fails(A.nth_subnet, None, 24, 0, arg="pool", value=None, reason="must be a string")
    fails(A.nth_subnet, "300.1.0.0/16", 24, 0, arg="pool", value="300.1.0.0/16", reason="not a valid")


def test_p2p_link():
    assert A.p2p_link("10.254.0.0/22", 2) == {
        "subnet": "10.254.0.4/31", "a": "10.254.0.4", "b": "10.254.0.5", "prefixlen": 31}
    assert A.p2p_link("fd00:254::/64", 0) == {
        "subnet": "fd00:254::/127", "a": "fd00:254::", "b": "fd00:254::1", "prefixlen": 127}
    assert A.p2p_link("10.254.0.0/31", 0)["b"] == "10.254.0.1"
    fails(A.p2p_link, "10.254.0.0/22", 512, arg="n", value=512, reason="only 512 /31 subnets fit")
    fails(A.p2p_link, "10.254.0.0/32", 0, arg="prefixlen", value=31, reason="between the pool length 32")


@pytest.mark.parametrize("prefix,n,want", [
    ("10.0.0.0/24", 1, "10.0.0.1"), ("10.0.0.0/24", 254, "10.0.0.254"), ("10.0.0.0/24", -1, "10.0.0.254"),
    ("10.0.0.0/24", -254, "10.0.0.1"), ("10.0.0.0/31", 0, "10.0.0.0"), ("10.0.0.0/31", -1, "10.0.0.1"),
    ("10.0.0.0/31", -2, "10.0.0.0"), ("10.0.0.7/32", 0, "10.0.0.7"), ("10.0.0.7/32", -1, "10.0.0.7"),
    ("2001:db8::/64", 1, "2001:db8::1"), ("2001:db8::/64", -1, "2001:db8::ffff:ffff:ffff:ffff"),
    ("2001:db8::/127", 0, "2001:db8::"), ("2001:db8::/126", -3, "2001:db8::1"),
])
def test_nth_host(prefix, n, want):
    assert A.nth_host(prefix, n) == want


def test_nth_host_errors():
    fails(A.nth_host, "10.0.0.0/24", 0, arg="n", value=0, reason="n must be 1..254 or -1..-254")
    fails(A.nth_host, "10.0.0.0/24", 255, arg="n", value=255, reason="254 usable addresses")
    fails(A.nth_host, "10.0.0.0/24", -255, arg="n", value=-255, reason="out of range")
    fails(A.nth_host, "10.0.0.0/31", 2, arg="n", value=2, reason="n must be 0..1")
    fails(A.nth_host, "2001:db8::/64", 0, arg="n", value=0, reason="out of range")
    fails(A.nth_host, "2001:db8::/64", "x", arg="n", value="x", reason="integer")


def test_gateway():
    assert A.gateway("10.0.0.0/24") == "10.0.0.1"
    assert A.gateway("10.0.0.0/24", "last") == "10.0.0.254"
    assert A.gateway("2001:db8::/64", "last") == "2001:db8::ffff:ffff:ffff:ffff"
    assert A.gateway("10.0.0.0/31", "first") == "10.0.0.0"
    fails(A.gateway, "10.0.0.1/32", arg="prefix", value="10.0.0.1/32", reason="no room for a gateway")
    fails(A.gateway, "10.0.0.0/24", "middle", arg="position", value="middle", reason="'first' or 'last'")


def test_loopback_and_router_id():
    assert A.loopback("10.255.0.0/24", 1) == "10.255.0.1"
    assert A.loopback("10.255.0.0/24", 7, 100) == "10.255.0.107"
    assert A.loopback("10.255.0.0/24", 255) == "10.255.0.255"
    assert A.loopback("fd00:255::/64", 7, 256) == "fd00:255::107"
    assert A.loopback("10.255.0.0/24", 10, -5) == "10.255.0.5"
    fails(A.loopback, "10.255.0.0/24", 256, arg="id", value=256, reason="outside pool 10.255.0.0/24")
    fails(A.loopback, "10.255.0.0/24", 1, -2, arg="id", value=1, reason="with offset -2")
    fails(A.loopback, "10.255.0.0/24", -1, arg="id", value=-1, reason=">= 0")
    assert A.router_id("10.255.0.0/24", 3) == "10.255.0.3"
    assert A.router_id("10.255.0.0/24", 3, 10) == "10.255.0.13"
    assert A.router_id("192.0.2.1") == "192.0.2.1"
    fails(A.router_id, "10.255.0.0/24", arg="id", value=None, reason="required")
    fails(A.router_id, "2001:db8::1", arg="pool_or_address", value="2001:db8::1", reason="IPv6")
    fails(A.router_id, "fd00::/64", 1, arg="pool_or_address", value="fd00::/64", reason="IPv6")
    fails(A.router_id, "0.0.0.0", arg="pool_or_address", value="0.0.0.0", reason="not a valid router id")
    fails(A.router_id, "0.0.0.0/24", 0, arg="id", value=0, reason="not a valid router id")


def test_subnets_lazy():
    gen = A.subnets("2001:db8::/32", 64)  # 2**32 subnets: only the ones consumed are built
    assert list(itertools.islice(gen, 2)) == ["2001:db8::/64", "2001:db8:0:1::/64"]
    assert list(A.subnets("10.0.0.0/24", 26, start=2)) == ["10.0.0.128/26", "10.0.0.192/26"]
    assert list(A.subnets("10.0.0.0/24", 26, start=1, limit=1)) == ["10.0.0.64/26"]
    assert list(A.subnets("10.0.0.0/24", 24)) == ["10.0.0.0/24"]
    assert A.subnet_count("2001:db8::/48", 64) == 65536
    # errors at call time, not at the first next()
    fails(A.subnets, "10.0.0.0/24", 23, arg="new_prefixlen", value=23, reason="between")
    fails(A.subnets, "10.0.0.0/24", 26, -1, arg="start", value=-1, reason=">= 0")


def test_pool_usage():
    usage = A.pool_usage("10.0.0.0/24", ["10.0.0.0/26", "10.0.0.0/27", "10.0.0.128/32"])
    assert usage == {"pool": "10.0.0.0/24", "total": 256, "used": 65, "free": 191, "percent_used": 25.39,
                     "used_prefixes": ["10.0.0.0/26", "10.0.0.128/32"],
                     "free_prefixes": ["10.0.0.64/26", "10.0.0.129/32", "10.0.0.130/31", "10.0.0.132/30",
                                       "10.0.0.136/29", "10.0.0.144/28", "10.0.0.160/27", "10.0.0.192/26"]}
    six = A.pool_usage("2001:db8::/48", ["2001:db8::/64", "2001:db8:0:ffff::/64"], unit=64)
    assert six["total"] == 2**80 and six["used"] == 2 * 2**64 and six["free"] == 2**80 - 2**65
    assert (six["unit_total"], six["unit_used"], six["unit_free"]) == (65536, 2, 65534)
    assert A.pool_usage("10.0.0.0/24", [])["free_prefixes"] == ["10.0.0.0/24"]
    assert A.pool_usage("10.0.0.0/24", ["10.0.0.0/24"])["free"] == 0
    fails(A.pool_usage, "10.0.0.0/24", ["10.0.0.0/23"], arg="used[0]", value="10.0.0.0/23", reason="not inside")
    fails(A.pool_usage, "10.0.0.0/24", ["2001:db8::/64"], arg="used[0]", value="2001:db8::/64", reason="not inside")
    fails(A.pool_usage, "10.0.0.0/24", "10.0.0.0/26", arg="used", value="10.0.0.0/26", reason="must be a list")
    fails(A.pool_usage, "10.0.0.0/24", [], 23, arg="unit", value=23, reason="between")


def test_overlaps():
    assert A.overlaps([]) == []
    assert A.overlaps(["10.1.0.0/24", "10.0.0.0/16", "10.0.1.0/24"]) == [("10.0.0.0/16", "10.0.1.0/24")]
    assert A.overlaps(["10.0.0.0/24", "10.0.0.0/24"]) == [("10.0.0.0/24", "10.0.0.0/24")]
    assert A.overlaps(["2001:db8::/32", "10.0.0.0/8", "2001:db8:1::/48", "10.0.0.1"]) == [
        ("10.0.0.0/8", "10.0.0.1/32"), ("2001:db8::/32", "2001:db8:1::/48")]
    # nested chain: every enclosing prefix pairs with the inner ones
    assert A.overlaps(["10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24"]) == [
        ("10.0.0.0/8", "10.0.0.0/16"), ("10.0.0.0/8", "10.0.0.0/24"), ("10.0.0.0/16", "10.0.0.0/24")]
    fails(A.overlaps, ["10.0.0.0/24", "bad"], arg="prefixes[1]", value="bad", reason="not a valid")


def test_merge():
    assert A.merge(["10.0.0.0/25", "10.0.0.128/25", "10.0.0.5"]) == ["10.0.0.0/24"]
    assert A.merge(["10.0.0.0/24", "10.0.2.0/24"]) == ["10.0.0.0/24", "10.0.2.0/24"]
    assert A.merge(["10.0.1.0/24", "10.0.2.0/24"]) == ["10.0.1.0/24", "10.0.2.0/24"]
    assert A.merge(["2001:db8::/64", "192.0.2.0/24", "2001:db8:0:1::/64"]) == ["192.0.2.0/24", "2001:db8::/63"]
    assert A.merge([]) == []
    fails(A.merge, "10.0.0.0/24", arg="prefixes", value="10.0.0.0/24", reason="must be a list")


def test_small_helpers():
    assert A.with_prefix("10.0.0.1", "10.0.0.0/24") == "10.0.0.1/24"
    assert A.with_prefix("2001:db8::1", 64) == "2001:db8::1/64"
    fails(A.with_prefix, "10.0.1.1", "10.0.0.0/24", arg="address", value="10.0.1.1", reason="not inside")
    fails(A.with_prefix, "10.0.0.1", 33, arg="prefix", value=33, reason="<= 32")
    assert A.prefixlen("2001:db8::/56") == 56
    assert A.family("10.0.0.1") == 4 and A.family("2001:db8::/64") == 6 and A.family("10.0.0.1/24") == 4
    fails(A.family, "nope", arg="prefix_or_address", value="nope", reason="not a valid")
    assert A.contains("10.0.0.0/8", "10.1.2.3") and A.contains("10.0.0.0/8", "10.1.0.0/16")
    assert not A.contains("10.0.0.0/16", "10.0.0.0/8") and not A.contains("10.0.0.0/8", "2001:db8::1")


def test_embed_ipv4():
    assert A.embed_ipv4("2001:db8:100::/64", "10.20.100.17/24") == "2001:db8:100::17"
    assert A.embed_ipv4("2001:db8:100::/64", "10.20.100.17", 16) == "2001:db8:100::100:17"
    assert A.embed_ipv4("2001:db8:100::/64", "10.20.100.17", 32) == "2001:db8:100:0:10:20:100:17"
    assert A.embed_ipv4("2001:db8:100::/64", "10.20.100.255") == "2001:db8:100::255"
    assert A.embed_ipv4("2001:db8:100::/64", "10.20.100.17", 8, "binary") == "2001:db8:100::11"
    assert A.embed_ipv4("64:ff9b::/96", "192.0.2.33", 32, "binary") == "64:ff9b::c000:221"
    fails(A.embed_ipv4, "2001:db8::/64", "10.0.0.1", 12, arg="bits", value=12, reason="8, 16, 24 or 32")
    fails(A.embed_ipv4, "2001:db8::/120", "10.0.0.1", 16, arg="ipv6_prefix", value="2001:db8::/120",
          reason="8 host bits, 32 are needed")
    fails(A.embed_ipv4, "2001:db8::/64", "2001:db8::1", arg="ipv4_address", value="2001:db8::1", reason="IPv4")
    fails(A.embed_ipv4, "2001:db8::/64", "10.0.0.1", 8, "hex", arg="style", value="hex", reason="decimal")


@pytest.mark.parametrize("mac", ["52:54:00:12:34:56", "52-54-00-12-34-56", "5254.0012.3456", "525400123456",
                                 "52:54:00:12:34:56".upper()])
def test_eui64_formats(mac):
    assert A.eui64("2001:db8::/64", mac) == "2001:db8::5054:ff:fe12:3456"


def test_eui64_errors():
    fails(A.eui64, "2001:db8::/64", "52:54:00:12:34", arg="mac", value="52:54:00:12:34", reason="not a MAC")
    fails(A.eui64, "2001:db8::/64", "52:54-00:12:34:56", arg="mac", value="52:54-00:12:34:56", reason="not a MAC")
    fails(A.eui64, "10.0.0.0/24", "52:54:00:12:34:56", arg="prefix", value="10.0.0.0/24", reason="IPv6 /64")


def test_ptr_and_reverse_zone():
    assert A.ptr("10.20.100.17") == "17.100.20.10.in-addr.arpa"
    assert A.ptr("2001:db8::1").startswith("1.0.0.0.") and A.ptr("2001:db8::1").endswith("8.b.d.0.1.0.0.2.ip6.arpa")
    fails(A.ptr, "10.0.0.0/24", arg="address", value="10.0.0.0/24", reason="is a prefix")
    assert A.reverse_zone("10.20.100.0/24") == "100.20.10.in-addr.arpa"
    assert A.reverse_zone("10.0.0.0/8") == "10.in-addr.arpa"
    assert A.reverse_zone("0.0.0.0/0") == "in-addr.arpa"
    assert A.reverse_zone("10.20.100.17/32") == "17.100.20.10.in-addr.arpa"
    assert A.reverse_zone("2001:db8::/32") == "8.b.d.0.1.0.0.2.ip6.arpa"
    assert A.reverse_zone("::/0") == "ip6.arpa"
    fails(A.reverse_zone, "10.20.100.0/26", arg="prefix", value="10.20.100.0/26", reason="octet boundary")
    fails(A.reverse_zone, "2001:db8::/50", arg="prefix", value="2001:db8::/50", reason="nibble boundary")


def test_parse_cache_does_not_hide_errors():
    for _attempt in range(2):
        fails(A.nth_subnet, "10.0.0.1/24", 24, 0, arg="pool", value="10.0.0.1/24", reason="the network is 10.0.0.0/24")
