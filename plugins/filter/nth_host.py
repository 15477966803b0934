# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.nth_host filter: a thin adapter over the engine's addressing.nth_host."""

from __future__ import annotations

DOCUMENTATION = r"""
name: nth_host
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: The nth usable address of a prefix, negative counts from the end
description:
- 'Returns address O(n) of I(prefix): O(n) >= 0 is the offset from the network address (1 is the first host of a
  /24),'
- negative O(n) counts from the end, V(-1) being the last usable address (the IPv4 broadcast is not usable).
- Only usable addresses are returned; the network address and IPv4 broadcast are refused except in /31, /32, /127
  and /128.
positional: _input, n
options:
  _input:
    description: The prefix. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  n:
    description: Offset from the network address, or from the end when negative.
    type: int
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Tenth host of a subnet
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.nth_host(10) }}"
  # => "10.20.100.10"

- name: Last usable address
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.nth_host(-1) }}"
  # => "10.20.100.254"

- name: IPv6 works the same
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/64' | dcnet.fabric.nth_host(-1) }}"
  # => "2001:db8:100:0:ffff:ffff:ffff:ffff"

- name: The broadcast is not a host
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.nth_host(255) }}"
  # fails: nth_host: n 255 is out of range for 10.20.100.0/24...
"""

RETURN = r"""
_value:
  type: str
  description: The address, without prefix length.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

nth_host = engine_filter("nth_host", _engine.nth_host)


class FilterModule:
    """dcnet.fabric.nth_host."""

    def filters(self):
        return {"nth_host": nth_host}
