"""MTU arithmetic: overlay overhead, frame sizes, path MTU.

Convention: every ``mtu`` here is an **IP (L3) MTU** -- the largest IP packet
an interface sends, excluding the Ethernet header, VLAN tags and FCS. That
is what Linux (``ip link``), NMState/NNCP ``mtu``, FRR, Arista EOS and Cisco
NX-OS interface ``mtu`` commands configure, so values compare directly along
a path (a Linux bond with MTU 9000 fits an EOS/NX-OS port with ``mtu 9214``
/ ``mtu 9216``). :func:`frame_size` converts to the Ethernet frame size for
gear that is configured in frame bytes (Junos media MTU, some NIC firmware).

Overheads (IPv4 underlay / IPv6 underlay), counted against the underlay
MTU, i.e. everything a tunnelled inner frame adds beyond its inner IP packet:

* VXLAN: outer IP 20/40 + UDP 8 + VXLAN 8 + inner Ethernet 14 = 50 / 70
* Geneve: as VXLAN (8-byte base header) = 50 / 70, plus variable options
  (multiples of 4 bytes, at most 252)
* OVN-Kubernetes (OpenShift): a fixed 100 bytes reserved for Geneve,
  whatever the underlay family
* IPsec (ESP, as OVN-Kubernetes documents it): 46 more bytes.

Bad input raises :class:`InputError` naming the function, the argument and the value.
"""

from __future__ import annotations

import re

from .errors import InputError

__all__ = ["VXLAN_OVERHEAD", "VXLAN_OVERHEAD_IPV6", "GENEVE_OVERHEAD", "GENEVE_OVERHEAD_IPV6",
           "OVN_K_OVERHEAD", "IPSEC_OVERHEAD", "ETHERNET_HEADER", "VLAN_TAG", "FCS",
           "OVERLAYS", "overlay_overhead", "inner_mtu", "frame_size", "path_mtu"]

VXLAN_OVERHEAD = 50          # IPv4 underlay
VXLAN_OVERHEAD_IPV6 = 70     # IPv6 underlay
GENEVE_OVERHEAD = 50         # IPv4 underlay, without options
GENEVE_OVERHEAD_IPV6 = 70
GENEVE_MAX_OPTIONS = 252     # 6-bit option length in 4-byte words
OVN_K_OVERHEAD = 100
IPSEC_OVERHEAD = 46
ETHERNET_HEADER = 14         # destination MAC + source MAC + EtherType
VLAN_TAG = 4                 # one 802.1Q / 802.1ad tag
FCS = 4
MTU_MIN, MTU_MAX = 68, 65535  # RFC 791 minimum; IPv4 total-length field
IPV6_MTU_MIN = 1280           # RFC 8200
OVERLAYS = ("none", "vxlan", "geneve", "ovn-k")
_DIGITS = re.compile(r"[0-9]+\Z")


def _int(func, arg, value, minimum=None, maximum=None):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputError(func, arg, value, f"must be an integer, not {type(value).__name__}")
    if isinstance(value, str):
        text = value.strip()
        if not _DIGITS.match(text):
            raise InputError(func, arg, value, "must be an integer")
        value_n = int(text)
    else:
        value_n = int(value)
    if minimum is not None and value_n < minimum:
        raise InputError(func, arg, value, f"must be >= {minimum}")
    if maximum is not None and value_n > maximum:
        raise InputError(func, arg, value, f"must be <= {maximum}")
    return value_n


def _bool(func, arg, value):
    if not isinstance(value, bool):
        raise InputError(func, arg, value, "must be true or false")
    return value


def _overhead(func, overlay, underlay_family, ipsec, geneve_options):
    if overlay not in OVERLAYS:
        raise InputError(func, "overlay", overlay, f"must be one of {', '.join(OVERLAYS)}")
    if isinstance(underlay_family, bool) or underlay_family not in (4, 6, "4", "6"):
        raise InputError(func, "underlay_family", underlay_family, "must be 4 or 6")
    six = int(underlay_family) == 6
    ipsec = _bool(func, "ipsec", ipsec)
    options = _int(func, "geneve_options", geneve_options, 0, GENEVE_MAX_OPTIONS)
    if options % 4:
        raise InputError(func, "geneve_options", geneve_options, "must be a multiple of 4 bytes")
    if options and overlay != "geneve":
        raise InputError(func, "geneve_options", geneve_options,
                         f"only applies to overlay 'geneve', not {overlay!r}")
    if overlay == "none":
        total = 0
    elif overlay == "vxlan":
        total = VXLAN_OVERHEAD_IPV6 if six else VXLAN_OVERHEAD
    elif overlay == "geneve":
        total = (GENEVE_OVERHEAD_IPV6 if six else GENEVE_OVERHEAD) + options
    else:
        total = OVN_K_OVERHEAD
    return total + (IPSEC_OVERHEAD if ipsec else 0)


def overlay_overhead(overlay: str, underlay_family: int = 4, ipsec: bool = False,
                     geneve_options: int = 0) -> int:
    """Bytes an overlay takes from the underlay MTU.

    >>> overlay_overhead("vxlan"), overlay_overhead("vxlan", 6), overlay_overhead("ovn-k", ipsec=True)
    (50, 70, 146)
    """
    return _overhead("overlay_overhead", overlay, underlay_family, ipsec, geneve_options)


def inner_mtu(mtu: int, overlay: str, underlay_family: int = 4, ipsec: bool = False,
              geneve_options: int = 0) -> int:
    """MTU left inside ``overlay`` over an underlay of MTU ``mtu``.

    >>> inner_mtu(9000, "vxlan"), inner_mtu(1500, "ovn-k"), inner_mtu(9000, "geneve", 6, geneve_options=8)
    (8950, 1400, 8922)
    """
    func = "inner_mtu"
    mtu_n = _int(func, "mtu", mtu, MTU_MIN, MTU_MAX)
    overhead = _overhead(func, overlay, underlay_family, ipsec, geneve_options)
    if str(underlay_family) == "6" and mtu_n < IPV6_MTU_MIN:
        raise InputError(func, "mtu", mtu, f"is below the IPv6 minimum MTU {IPV6_MTU_MIN} of an IPv6 underlay")
    inner = mtu_n - overhead
    if inner < MTU_MIN:
        raise InputError(func, "mtu", mtu, f"leaves {inner} bytes after {overhead} bytes of {overlay} "
                         f"overhead, below the minimum MTU {MTU_MIN}")
    return inner


def frame_size(mtu: int, vlan_tags: int = 1, fcs: bool = False) -> int:
    """Ethernet frame size carrying an IP packet of ``mtu`` bytes.

    Ethernet header (14) + 4 per VLAN tag (0, 1 or 2 for QinQ); the 4-byte FCS
    is left out unless ``fcs`` is true (so 1500 untagged is 1514, as a
    capture shows it, and 1518 on the wire).

    >>> frame_size(1500, 0), frame_size(1500), frame_size(9000, 2, fcs=True)
    (1514, 1518, 9026)
    """
    func = "frame_size"
    mtu_n = _int(func, "mtu", mtu, MTU_MIN, MTU_MAX)
    tags = _int(func, "vlan_tags", vlan_tags, 0, 2)
    return mtu_n + ETHERNET_HEADER + VLAN_TAG * tags + (FCS if _bool(func, "fcs", fcs) else 0)


def path_mtu(hops: list) -> dict:
    """Effective MTU of a path and its bottleneck (the first hop with the smallest MTU).

    ``hops`` is a list of ``{"name": str, "mtu": int}`` (other keys are ignored).

    >>> path_mtu([{"name": "w001:bond0", "mtu": 9000}, {"name": "leaf01a:Ethernet1", "mtu": 9214}])
    {'mtu': 9000, 'bottleneck': 'w001:bond0', 'hops': 2}
    """
    func = "path_mtu"
    if isinstance(hops, (str, bytes, dict)) or not hasattr(hops, "__iter__"):
        raise InputError(func, "hops", hops, "must be a list of {name, mtu} hops")
    hops = list(hops)
    if not hops:
        raise InputError(func, "hops", hops, "is empty: a path needs at least one hop")
    best = None
    for index, hop in enumerate(hops):
        if not isinstance(hop, dict):
            raise InputError(func, f"hops[{index}]", hop, "must be a mapping with name and mtu")
        name = hop.get("name")
        if not isinstance(name, str) or not name:
            raise InputError(func, f"hops[{index}].name", name, "must be a non-empty string")
        if "mtu" not in hop:
            raise InputError(func, f"hops[{index}].mtu", None, f"is missing on hop {name}")
        value = _int(func, f"hops[{index}].mtu", hop["mtu"], MTU_MIN, MTU_MAX)
        if best is None or value < best[0]:
            best = (value, name)
    return {"mtu": best[0], "bottleneck": best[1], "hops": len(hops)}
