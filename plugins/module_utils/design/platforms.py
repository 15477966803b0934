"""What differs between switch platforms, as data.

The design stage needs a few platform facts (interface names, the maximum
MTU, how many VLANs fit); everything else platform-specific lives in the
renderers.  A new platform is one more entry here plus a renderer.
"""

from __future__ import annotations

import re

PLATFORMS = {
    "eos": {
        "ethernet": "Ethernet{n}", "ethernet_re": r"^Ethernet(\d+)(?:/1)?$", "port_channel": "Port-Channel{n}",
        "loopback": "Loopback{n}", "vlan_interface": "Vlan{n}", "max_mtu": 9214, "max_vlans": 4094,
        "mlag_name": "mlag",
        # EOS keeps a unique `ip address` beside `ip address virtual` on an anycast SVI
        "anycast_svi_unique_ip": True, "bgp_unnumbered": False,
    },
    "nxos": {
        "ethernet": "Ethernet1/{n}", "ethernet_re": r"^Ethernet1/(\d+)$", "port_channel": "port-channel{n}",
        "loopback": "loopback{n}", "vlan_interface": "Vlan{n}", "max_mtu": 9216, "max_vlans": 3967,
        "mlag_name": "vpc",
        # `fabric forwarding mode anycast-gateway`: the SVI address is the shared gateway
        "anycast_svi_unique_ip": False, "bgp_unnumbered": False,
    },
    "frr": {
        "ethernet": "swp{n}", "ethernet_re": r"^swp(\d+)$", "port_channel": "bond{n}",
        "loopback": "lo{n}", "vlan_interface": "vlan{n}", "max_mtu": 9216, "max_vlans": 4094,
        "mlag_name": "clag",
        # ifupdown2 VRR: unique address on vlanN, the gateway on its macvlan
        "anycast_svi_unique_ip": True, "bgp_unnumbered": True,
    },
}

_RES = {name: re.compile(p["ethernet_re"]) for name, p in PLATFORMS.items()}


def port_number(platform: str, port: str):
    """Port number of a front-panel interface name, or None if the name is not one of the platform's."""
    match = _RES[platform].match(port)
    return int(match.group(1)) if match else None


def ethernet(platform: str, n: int) -> str:
    return PLATFORMS[platform]["ethernet"].format(n=n)


def port_channel(platform: str, n: int) -> str:
    return PLATFORMS[platform]["port_channel"].format(n=n)


def loopback(platform: str, n: int) -> str:
    if platform == "frr":
        return "lo" if n == 0 else f"lo{n}"
    return PLATFORMS[platform]["loopback"].format(n=n)


def supports(platform: str, feature: str) -> bool:
    return bool(PLATFORMS[platform][feature])


def max_mtu(platform: str) -> int:
    return PLATFORMS[platform]["max_mtu"]
