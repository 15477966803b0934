# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.router_id filter: a thin adapter over the engine's addressing.router_id."""

from __future__ import annotations

DOCUMENTATION = r"""
name: router_id
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: BGP/OSPF router id from a pool and a stable id, or an explicit address
description:
- With O(id), returns network(I(pool_or_address)) + O(id) + O(offset) of an IPv4 pool.
- Without O(id), I(pool_or_address) is an explicit IPv4 address, validated and returned (explicit values win).
- 'Router ids are 32-bit dotted quads: IPv6 is refused, even on IPv6-only fabrics.'
positional: _input, id, offset
options:
  _input:
    description: An IPv4 pool (with O(id)) or an IPv4 address (without).
    type: str
    required: true
  id:
    description: Stable id of the device.
    type: int
  offset:
    description: Added to the id.
    type: int
    default: 0
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: From the loopback pool
  ansible.builtin.debug:
    msg: "{{ '10.255.0.0/24' | dcnet.fabric.router_id(12) }}"
  # => "10.255.0.12"

- name: Explicit value
  ansible.builtin.debug:
    msg: "{{ '192.0.2.1' | dcnet.fabric.router_id }}"
  # => "192.0.2.1"

- name: IPv6 is not a router id
  ansible.builtin.debug:
    msg: "{{ 'fd00:255::/64' | dcnet.fabric.router_id(1) }}"
  # fails: router_id: pool_or_address 'fd00:255::/64' is IPv6...
"""

RETURN = r"""
_value:
  type: str
  description: The router id, a dotted quad.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

router_id = engine_filter("router_id", _engine.router_id)


class FilterModule:
    """dcnet.fabric.router_id."""

    def filters(self):
        return {"router_id": router_id}
