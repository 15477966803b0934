"""The bonding transmit hash against the formulas of the kernel's bonding documentation, worked by hand."""

from __future__ import annotations

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.errors import InputError
from ansible_collections.dcnet.fabric.plugins.module_utils.hashing import member, spread, xmit_hash


def _flow(**kw):
    base = {"src_mac": "02:00:00:00:00:0a", "dst_mac": "02:00:00:00:00:01", "src_ip": "10.0.0.10",
            "dst_ip": "10.0.0.1", "proto": 6, "src_port": 40000, "dst_port": 443}
    base.update(kw)
    return base


def test_layer2_is_last_mac_bytes_and_ethertype():
    # 0x0a ^ 0x01 ^ 0x0800 = 0x080b
    assert xmit_hash("layer2", _flow()) == 0x080B
    assert member("layer2", _flow(), 2) == 1
    # IPv6 EtherType 0x86dd
    flow6 = _flow(src_ip="fd00::10", dst_ip="fd00::1")
    assert xmit_hash("layer2", flow6) == 0x0A ^ 0x01 ^ 0x86DD


def test_layer2_ignores_addresses_and_ports():
    assert len({member("layer2", _flow(src_port=p, dst_ip=f"10.0.{p % 250}.1"), 2) for p in range(1024, 1200)}) == 1


def test_layer23_big_endian_matches_the_documented_steps():
    # hash = 0x0a ^ 0x01 ^ 0x0800 = 0x080b; ^ 10.0.0.10 (0x0a00000a) ^ 10.0.0.1 (0x0a000001) = 0x0800 ^ 0x0b ^ 0x0b = 0x0800
    # ^= >> 16 -> 0x0800; ^= >> 8 -> 0x0808
    assert xmit_hash("layer2+3", _flow(), host_order="big") == 0x0808


def test_layer34_big_endian_matches_the_documented_steps():
    # ports word 40000 (0x9c40) << 16 | 443 (0x01bb) = 0x9c4001bb; ^ 0x0a00000a ^ 0x0a000001 = 0x9c4001b0
    h = 0x9C4001BB ^ 0x0A00000A ^ 0x0A000001
    h ^= h >> 16
    h ^= h >> 8
    assert xmit_hash("layer3+4", _flow(), host_order="big") == (h & 0xFFFFFFFF) >> 1


def test_layer34_little_endian_loads_header_bytes():
    # on x86_64 the kernel reads the network-order bytes as a little-endian u32
    ports = int.from_bytes(bytes([0x9C, 0x40, 0x01, 0xBB]), "little")
    src = int.from_bytes(bytes([10, 0, 0, 10]), "little")
    dst = int.from_bytes(bytes([10, 0, 0, 1]), "little")
    h = ports ^ src ^ dst
    h ^= h >> 16
    h ^= h >> 8
    assert xmit_hash("layer3+4", _flow()) == h >> 1


def test_layer34_without_ports_for_other_protocols():
    esp = _flow(proto=50)
    assert xmit_hash("layer3+4", esp) == xmit_hash("layer3+4", _flow(proto=50, src_port=1, dst_port=2))


def test_ipv6_addresses_fold_to_32_bits():
    a, b = "fd00:1:2:3:4:5:6:7", "fd00::1"
    flow = _flow(src_ip=a, dst_ip=b, src_port=0, dst_port=0, proto=17)
    import ipaddress

    def words(ip):
        return [int.from_bytes(ipaddress.ip_address(ip).packed[i:i + 4], "big") for i in range(0, 16, 4)]

    fold = 0
    for w in words(a) + words(b):
        fold ^= w
    h = fold
    h ^= h >> 16
    h ^= h >> 8
    assert xmit_hash("layer3+4", flow, host_order="big") == h >> 1


def test_encap34_uses_inner_headers():
    inner = _flow(src_ip="192.168.0.5", dst_ip="192.168.9.9", src_port=5555, dst_port=80)
    outer = _flow(proto=17, src_port=50000, dst_port=6081, inner=inner)
    assert xmit_hash("encap3+4", outer) == xmit_hash("layer3+4", inner)
    assert xmit_hash("layer3+4", outer) != xmit_hash("layer3+4", inner)


def test_spread_layer2_one_mac_pair_one_link():
    flows = [_flow(src_port=p) for p in range(32768, 33768)]
    assert sorted(spread("layer2", flows, 2)) == [0, 1000]
    l34 = spread("layer3+4", flows, 2)
    assert min(l34) > 300, l34


def test_bad_input():
    with pytest.raises(InputError):
        xmit_hash("layer5", _flow())
    with pytest.raises(InputError):
        xmit_hash("layer2", _flow(src_mac="nonsense"))
    with pytest.raises(InputError):
        member("layer2", _flow(), 0)
    with pytest.raises(InputError):
        xmit_hash("layer3+4", _flow(dst_ip="fd00::1"))
