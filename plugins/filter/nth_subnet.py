# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.nth_subnet filter: a thin adapter over the engine's addressing.nth_subnet."""

from __future__ import annotations

DOCUMENTATION = r"""
name: nth_subnet
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: The nth subnet of a given length in a pool
description:
- Returns the O(n)-th (from 0) subnet of length O(prefixlen) inside I(pool), computed, not enumerated.
- Fails when O(n) is past the end of the pool, naming how many subnets fit.
positional: _input, prefixlen, n
options:
  _input:
    description: The pool. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  prefixlen:
    description: Length of the subnets, between the pool length and 32 or 128.
    type: int
    required: true
  n:
    description: Index of the subnet, 0 is the first.
    type: int
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Rack 3's /24 from a /16
  ansible.builtin.debug:
    msg: "{{ '10.1.0.0/16' | dcnet.fabric.nth_subnet(24, 3) }}"
  # => "10.1.3.0/24"

- name: VLAN 100's /64 from a /48
  ansible.builtin.debug:
    msg: "{{ '2001:db8::/48' | dcnet.fabric.nth_subnet(64, 100) }}"
  # => "2001:db8:0:64::/64"

- name: Past the end of the pool
  ansible.builtin.debug:
    msg: "{{ '10.1.0.0/23' | dcnet.fabric.nth_subnet(24, 2) }}"
  # fails: nth_subnet: n 2 is past the end of pool 10.1.0.0/23: pool exhausted, only 2 /24 subnets fit...
"""

RETURN = r"""
_value:
  type: str
  description: The subnet, network/len.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

nth_subnet = engine_filter("nth_subnet", _engine.nth_subnet)


class FilterModule:
    """dcnet.fabric.nth_subnet."""

    def filters(self):
        return {"nth_subnet": nth_subnet}
