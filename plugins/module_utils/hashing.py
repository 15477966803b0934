"""Linux bonding transmit hashes (xmit_hash_policy), as pure functions.

Implements the formulas of the kernel's Documentation/networking/bonding.rst
(section ``xmit_hash_policy``), which ``__bond_xmit_hash``/``bond_ip_hash``
in drivers/net/bonding/bond_main.c follow:

* ``layer2``:   hash = src MAC[5] XOR dst MAC[5] XOR packet type id (EtherType)
* ``layer2+3``: hash = layer2 hash XOR src IP XOR dst IP;
                hash ^= hash >> 16; hash ^= hash >> 8
* ``layer3+4``: hash = the 32-bit word of the source and destination ports
                (as in the header) XOR src IP XOR dst IP;
                hash ^= hash >> 16; hash ^= hash >> 8; hash >>= 1
                (ports are left out for other protocols and fragments)
* ``encap2+3`` / ``encap3+4``: the same formulas on the inner headers of an
  encapsulated packet when the flow dissector can see them.

The member (slave) is ``hash mod member count``.  IPv6 addresses enter as
``ipv6_addr_hash`` (XOR of the four 32-bit words).  The kernel XORs header
fields as they lie in memory (``(__force u32)`` of network-order data); the
``host_order`` argument says how a 32-bit load reads them: ``little``
(x86_64, arm64: the default) or ``big`` (the numbers as the documentation
writes them).  The EtherType enters in host order (``be16_to_cpu``).

A ``Flow`` is a plain dict: ``src_mac``, ``dst_mac`` (``aa:bb:..``),
``src_ip``, ``dst_ip`` (text, optional for non-IP), ``proto`` (6 TCP,
17 UDP, 50 ESP, ...), ``src_port``, ``dst_port`` and optionally ``inner``
(another flow dict: the encapsulated packet); a non-IP flow may give
``ethertype`` (its packet type id, e.g. 0x0806 for ARP).
"""

from __future__ import annotations

import ipaddress

from .errors import InputError

__all__ = ["POLICIES", "xmit_hash", "member", "spread", "ETH_P_IP", "ETH_P_IPV6"]

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
POLICIES = ("layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4")
_PORT_PROTOS = (6, 17, 132)  # TCP, UDP, SCTP carry ports the dissector reads
_MASK = 0xFFFFFFFF


def _mac_last(func, arg, mac) -> int:
    if not isinstance(mac, str):
        raise InputError(func, arg, mac, "must be a MAC address 'aa:bb:cc:dd:ee:ff'")
    parts = mac.replace("-", ":").split(":")
    if len(parts) != 6 or not all(len(p) == 2 for p in parts):
        raise InputError(func, arg, mac, "must be a MAC address 'aa:bb:cc:dd:ee:ff'")
    try:
        return int(parts[5], 16)
    except ValueError:
        raise InputError(func, arg, mac, "must be a MAC address 'aa:bb:cc:dd:ee:ff'") from None


def _load32(data: bytes, order: str) -> int:
    return int.from_bytes(data, order)


def _ip_word(func, arg, text, order) -> tuple:
    try:
        ip = ipaddress.ip_address(text)
    except (ValueError, TypeError):
        raise InputError(func, arg, text, "must be an IP address") from None
    raw = ip.packed
    if ip.version == 4:
        return 4, _load32(raw, order)
    words = [_load32(raw[i:i + 4], order) for i in range(0, 16, 4)]
    return 6, words[0] ^ words[1] ^ words[2] ^ words[3]


def _ports_word(flow, order) -> int:
    sport, dport = int(flow.get("src_port") or 0), int(flow.get("dst_port") or 0)
    if not (0 <= sport <= 65535 and 0 <= dport <= 65535):
        raise InputError("xmit_hash", "flow.ports", (sport, dport), "ports must be 0..65535")
    return _load32(sport.to_bytes(2, "big") + dport.to_bytes(2, "big"), order)


def _l2(func, flow, ethertype) -> int:
    return _mac_last(func, "flow.src_mac", flow.get("src_mac")) ^ _mac_last(func, "flow.dst_mac", flow.get("dst_mac")) ^ ethertype


def _fold(value: int) -> int:
    value &= _MASK
    value ^= value >> 16
    value ^= value >> 8
    return value & _MASK


def xmit_hash(policy: str, flow: dict, host_order: str = "little") -> int:
    """The bonding driver's transmit hash of one packet of ``flow`` under ``policy``.

    >>> xmit_hash("layer2", {"src_mac": "02:00:00:00:00:05", "dst_mac": "02:00:00:00:00:01",
    ...                      "src_ip": "10.0.0.5", "dst_ip": "10.0.0.1"})
    2052
    """
    func = "xmit_hash"
    if policy not in POLICIES:
        raise InputError(func, "policy", policy, f"must be one of {', '.join(POLICIES)}")
    if host_order not in ("little", "big"):
        raise InputError(func, "host_order", host_order, "must be 'little' or 'big'")
    if not isinstance(flow, dict):
        raise InputError(func, "flow", flow, "must be a mapping")
    src, dst = flow.get("src_ip"), flow.get("dst_ip")
    if not src or not dst:  # non-IP: the layer2 formula whatever the policy
        return _l2(func, flow, int(flow.get("ethertype") or 0))
    fam, sip = _ip_word(func, "flow.src_ip", src, host_order)
    fam2, dip = _ip_word(func, "flow.dst_ip", dst, host_order)
    if fam != fam2:
        raise InputError(func, "flow.dst_ip", dst, "must be of the same family as src_ip")
    ethertype = ETH_P_IP if fam == 4 else ETH_P_IPV6
    if policy == "layer2":
        return _l2(func, flow, ethertype)
    view = flow
    if policy.startswith("encap") and isinstance(flow.get("inner"), dict) and flow["inner"].get("src_ip"):
        view = flow["inner"]
        fam, sip = _ip_word(func, "flow.inner.src_ip", view["src_ip"], host_order)
        dip = _ip_word(func, "flow.inner.dst_ip", view["dst_ip"], host_order)[1]
    if policy in ("layer2+3", "encap2+3"):
        return _fold(_l2(func, flow, ethertype) ^ sip ^ dip)
    ports = _ports_word(view, host_order) if int(view.get("proto") or 0) in _PORT_PROTOS else 0
    return _fold(ports ^ sip ^ dip) >> 1


def member(policy: str, flow: dict, count: int, host_order: str = "little") -> int:
    """Index of the bond member (0-based, in the bond's member order) that sends ``flow``."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InputError("member", "count", count, "must be an integer >= 1")
    return xmit_hash(policy, flow, host_order) % count


def spread(policy: str, flows, count: int, host_order: str = "little") -> list:
    """How many of ``flows`` each of ``count`` members sends: a list of ``count`` integers."""
    out = [0] * count
    for flow in flows:
        out[member(policy, flow, count, host_order)] += 1
    return out
