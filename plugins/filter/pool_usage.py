# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.pool_usage filter: a thin adapter over the engine's addressing.pool_usage."""

from __future__ import annotations

DOCUMENTATION = r"""
name: pool_usage
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Used and free address counts of a pool
description:
- Counts the addresses of I(pool) covered by the O(used) prefixes, exactly (integers, fine for IPv6 /64s and /48s).
- Overlapping used prefixes are counted once; a used prefix that is not inside the pool is an error.
- With O(unit), also counts subnets of that length (for example how many /64s of a /48 are taken).
positional: _input, used
options:
  _input:
    description: The pool. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  used:
    description: Prefixes (or addresses) allocated from the pool.
    type: list
    required: true
    elements: str
  unit:
    description: Also count subnets of this prefix length.
    type: int
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Half of a /24 used
  ansible.builtin.debug:
    msg: "{{ ('10.0.0.0/24' | dcnet.fabric.pool_usage(['10.0.0.0/26', '10.0.0.64/26']))['free'] }}"
  # => 128

- name: /64s used in a /48
  ansible.builtin.debug:
    msg: "{{ ('2001:db8::/48' | dcnet.fabric.pool_usage(['2001:db8::/64', '2001:db8:0:7::/64'], unit=64))['unit_free'] }}"
  # => 65534

- name: Free blocks
  ansible.builtin.debug:
    msg: "{{ ('10.0.0.0/24' | dcnet.fabric.pool_usage(['10.0.0.0/26']))['free_prefixes'] }}"
  # => ["10.0.0.64/26", "10.0.0.128/25"]

- name: Used prefix outside the pool
  ansible.builtin.debug:
    msg: "{{ '10.0.0.0/24' | dcnet.fabric.pool_usage(['10.0.1.0/26']) }}"
  # fails: pool_usage: used[0] '10.0.1.0/26' is not inside pool 10.0.0.0/24...
"""

RETURN = r"""
_value:
  type: dict
  description: Usage of the pool.
  contains:
    pool:
      description: The pool, canonical.
      type: str
    total:
      description: Addresses in the pool.
      type: int
    used:
      description: Addresses covered by the used prefixes.
      type: int
    free:
      description: total - used.
      type: int
    percent_used:
      description: used / total in percent, rounded to 2 decimals.
      type: float
    used_prefixes:
      description: The used space, summarized.
      type: list
      elements: str
    free_prefixes:
      description: The free space as the fewest prefixes.
      type: list
      elements: str
    unit_total:
      description: With O(unit), subnets of that length in the pool.
      type: int
    unit_used:
      description: With O(unit), such subnets touched by a used prefix.
      type: int
    unit_free:
      description: With O(unit), such subnets entirely free.
      type: int
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

pool_usage = engine_filter("pool_usage", _engine.pool_usage)


class FilterModule:
    """dcnet.fabric.pool_usage."""

    def filters(self):
        return {"pool_usage": pool_usage}
