"""Models of the DNS/DHCP tests: examples/small with an infrastructure cluster serving DHCP and DNS.

``served_small()`` adds network ``infra`` (VLAN 13) with one Linux node, ``infra1`` on leaf01a
swp30, whose derived addresses (10.13.0.11, fd00:13::b) run Kea and BIND; network ``mgmt`` gets
DHCPv4 (range .160-.199, .170-.179 reserved) and stateful DHCPv6 relayed by the leaves to infra1.
"""

from __future__ import annotations

import copy

from errors.harness import apply, example  # tests/unit is on sys.path (rootdir-relative test packages)

KEA4, KEA6 = "10.13.0.11", "fd00:13::b"

# examples/small without its tenants and border (one default VRF, as these models were drawn): the relays
# here are about addressing and RA policy; tenant VRFs are tests/unit/dns_dhcp/test_relay_vrf.py's.
FLAT = [{"op": "delete", "path": path} for path in ("vrfs", "external_peers", "networks[mgmt].vrf", "networks[vm-web].vrf",
                                                    "networks[vm-db].vrf", "fabric.leaf_pairs[1].role")]

SERVED = FLAT + [
    {"op": "append", "path": "networks", "value": {
        "name": "infra", "vlan": 13, "role": "management", "ipv4": "10.13.0.0/24", "ipv6": "fd00:13::/64", "mtu": 1500}},
    {"op": "set", "path": "networks[mgmt].dhcp", "value": {
        "enabled": True, "servers": [KEA4, KEA6], "range4": "10.10.10.160-10.10.10.199",
        "reserved": ["10.10.10.170-10.10.10.179"], "range6": "fd00:10::1000-fd00:10::1fff"}},
    {"op": "set", "path": "networks[mgmt].ipv6_hosts", "value": {"mode": "dhcpv6"}},
    {"op": "set", "path": "site.dns_servers", "value": [KEA4, KEA6]},
    {"op": "append", "path": "clusters", "value": {
        "name": "infra", "platform": "linux", "networks": ["infra"], "bond": {"name": "bond0", "profile": "lacp"},
        "nodes": [{"name": "infra1", "id": 1, "nics": {"eno1": "leaf01a:swp30"}}]}},
]


def served_small(extra=()) -> dict:
    raw = example("small")
    for op in SERVED + list(extra):
        apply(raw, copy.deepcopy(op))
    return raw
