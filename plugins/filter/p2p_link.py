# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.p2p_link filter: a thin adapter over the engine's addressing.p2p_link."""

from __future__ import annotations

DOCUMENTATION = r"""
name: p2p_link
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: The nth point-to-point link (/31 or /127) of a pool and both of its ends
description:
- Returns the O(n)-th /31 (IPv4) or /127 (IPv6) of I(pool), counted from 0, with its two addresses.
- Allocation is by stable index (for example a link id), never by list order.
- Fails, naming the number of links that fit, when O(n) is past the end of the pool.
positional: _input, n
options:
  _input:
    description: The pool, a prefix such as V(10.254.0.0/22) or V(fd00:254::/64).
    type: str
    required: true
  n:
    description: Index of the link, 0 is the first.
    type: int
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Third link of the fabric's IPv4 pool
  ansible.builtin.debug:
    msg: "{{ '10.254.0.0/22' | dcnet.fabric.p2p_link(2) }}"
  # => {"subnet": "10.254.0.4/31", "a": "10.254.0.4", "b": "10.254.0.5", "prefixlen": 31}

- name: IPv6 links are /127
  ansible.builtin.debug:
    msg: "{{ 'fd00:254::/64' | dcnet.fabric.p2p_link(1) }}"
  # => {"subnet": "fd00:254::2/127", "a": "fd00:254::2", "b": "fd00:254::3", "prefixlen": 127}

- name: A pool has room for a finite number of links
  ansible.builtin.debug:
    msg: "{{ '10.254.0.0/30' | dcnet.fabric.p2p_link(2) }}"
  # fails: p2p_link: n 2 is past the end of pool 10.254.0.0/30: pool exhausted, only 2 /31 subnets fit...
"""

RETURN = r"""
_value:
  type: dict
  description: The link.
  contains:
    subnet:
      description: The link prefix.
      type: str
    a:
      description: First address (lower end).
      type: str
    b:
      description: Second address (upper end).
      type: str
    prefixlen:
      description: 31 or 127.
      type: int
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

p2p_link = engine_filter("p2p_link", _engine.p2p_link)


class FilterModule:
    """dcnet.fabric.p2p_link."""

    def filters(self):
        return {"p2p_link": p2p_link}
