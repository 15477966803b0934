"""Headers on the wire: which ones a packet carries at a hop, their sizes, and what counts against an MTU.

A stack lists headers outermost first, each ``{"name", "bytes", "l2"}``;
``l2`` marks the outer Ethernet header and its 802.1Q tags, which an IP MTU
does not count (see ``mtu.py``).  Encapsulations are built so their bytes add
up to the overheads ``mtu.py`` defines (VXLAN 50/70, OVN-Kubernetes Geneve 100),
which a unit test holds them to.
"""

from __future__ import annotations

from .. import mtu as mtumath

IP_HEADER = {4: 20, 6: 40}
L4_HEADER = {6: 20, 17: 8, 1: 8, 58: 8}    # TCP, UDP, ICMP, ICMPv6 (without options)
PROTO_NAMES = {6: "TCP", 17: "UDP", 1: "ICMP", 58: "ICMPv6"}
UDP = 8
VXLAN_HEADER = 8
GENEVE_HEADER = 8
VXLAN_PORT = 4789
GENEVE_PORT = 6081


def _h(name, size, l2=False):
    return {"name": name, "bytes": size, "l2": l2}


def ethernet(what="Ethernet"):
    return _h(what, mtumath.ETHERNET_HEADER, l2=True)


def dot1q(vlan):
    return _h(f"802.1Q tag, VLAN {vlan}", mtumath.VLAN_TAG, l2=True)


def inner(fam, flow) -> list:
    """The IP and transport headers of the flow itself (payload not listed)."""
    proto = flow["proto"]
    out = [_h(f"IPv{fam} {flow['src_ip'] or '?'} -> {flow['dst_ip'] or '?'}", IP_HEADER[fam])]
    if proto in (6, 17):
        out.append(_h(f"{PROTO_NAMES[proto]} {flow['src_port']} -> {flow['dst_port']}", L4_HEADER[proto]))
    elif proto in L4_HEADER:
        out.append(_h(PROTO_NAMES[proto], L4_HEADER[proto]))
    return out


def vxlan(src_vtep, dst_vtep, vni, inner_ethernet="Ethernet (inner, no VLAN tag)") -> list:
    """Outer Ethernet + IPv4 + UDP + VXLAN + the inner Ethernet header (its 802.1Q tag is removed: VLAN -> VNI)."""
    return [ethernet("Ethernet (outer, routed link)"),
            _h(f"IPv4 (outer) {src_vtep} -> {dst_vtep}", IP_HEADER[4]),
            _h(f"UDP (outer) entropy port -> {VXLAN_PORT}", UDP),
            _h(f"VXLAN, VNI {vni}", VXLAN_HEADER),
            _h(inner_ethernet, mtumath.ETHERNET_HEADER)]


def geneve(fam, src_node_ip, dst_node_ip, overhead) -> list:
    """OVN-Kubernetes Geneve, without the outer Ethernet: the options take what the 100-byte reservation leaves."""
    fixed = IP_HEADER[fam] + UDP + GENEVE_HEADER + mtumath.ETHERNET_HEADER
    return [_h(f"IPv{fam} (Geneve outer) {src_node_ip} -> {dst_node_ip}", IP_HEADER[fam]),
            _h(f"UDP (Geneve outer) entropy port -> {GENEVE_PORT}", UDP),
            _h("Geneve, VNI = OVN datapath key", GENEVE_HEADER),
            _h("Geneve options (OVN metadata; OVN-Kubernetes reserves the rest of its overhead)", overhead - fixed),
            _h("Ethernet (pod frame)", mtumath.ETHERNET_HEADER)]


def encap_bytes(stack) -> int:
    """Bytes of a stack between its outer L2 headers and its last IP header (the encapsulation)."""
    body = [h for h in stack if not h["l2"]]
    last_ip = max(i for i, h in enumerate(body) if h["name"].startswith("IPv"))
    return sum(h["bytes"] for h in body[:last_ip])


def l3_size(stack, inner_packet: int) -> int:
    """Size of the outermost IP packet when the innermost IP packet is ``inner_packet`` bytes."""
    return encap_bytes(stack) + inner_packet


def frame_size(stack, inner_packet: int) -> int:
    """Bytes of the frame on the wire (no FCS) when the innermost IP packet is ``inner_packet`` bytes."""
    return sum(h["bytes"] for h in stack if h["l2"]) + l3_size(stack, inner_packet)


def ping_payload(fam, packet: int) -> int:
    """``ping -s`` size whose ICMP echo makes an IP packet of ``packet`` bytes."""
    return packet - IP_HEADER[fam] - L4_HEADER[1]
