# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.embed_ipv4 filter: a thin adapter over the engine's addressing.embed_ipv4."""

from __future__ import annotations

DOCUMENTATION = r"""
name: embed_ipv4
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Embed the host part of an IPv4 address into an IPv6 prefix
description:
- Builds a dual-stack host's IPv6 address from its IPv4 address, so both carry the same host number.
- The host part is the last O(bits) bits of the IPv4 address (8 = last octet).
- 'With O(style=decimal) (default) each octet''s decimal digits are written as one 16-bit group:'
- 10.20.100.17 gives V(::17), with O(bits=16) V(::100:17) - readable, and the same digits in both families.
- 'With O(style=binary) the bits are copied as they are (RFC 6052-like): .17 gives V(::11).'
positional: _input, ipv4_address, bits, style
options:
  _input:
    description: The IPv6 prefix (for example the VLAN's /64).
    type: str
    required: true
  ipv4_address:
    description: The IPv4 address, a V(/len) is allowed and ignored.
    type: str
    required: true
  bits:
    description: How many low bits of the IPv4 address to embed (8, 16, 24 or 32 with O(style=decimal)).
    type: int
    default: 8
  style:
    description: How the bits are written.
    type: str
    default: decimal
    choices:
    - decimal
    - binary
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Same host number in both families
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/64' | dcnet.fabric.embed_ipv4('10.20.100.17/24') }}"
  # => "2001:db8:100::17"

- name: Two octets
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/64' | dcnet.fabric.embed_ipv4('10.20.100.17', 16) }}"
  # => "2001:db8:100::100:17"

- name: Binary
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/64' | dcnet.fabric.embed_ipv4('10.20.100.17', style='binary') }}"
  # => "2001:db8:100::11"

- name: IPv4 prefix given
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.embed_ipv4('10.20.100.17') }}"
  # fails: embed_ipv4: ipv6_prefix '10.20.100.0/24' must be an IPv6 prefix...
"""

RETURN = r"""
_value:
  type: str
  description: The IPv6 address, without prefix length.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

embed_ipv4 = engine_filter("embed_ipv4", _engine.embed_ipv4)


class FilterModule:
    """dcnet.fabric.embed_ipv4."""

    def filters(self):
        return {"embed_ipv4": embed_ipv4}
