# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.loopback filter: a thin adapter over the engine's addressing.loopback."""

from __future__ import annotations

DOCUMENTATION = r"""
name: loopback
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: 'Loopback address for a stable id: pool network + id + offset'
description:
- Returns the address (without prefix length) network(I(pool)) + O(id) + O(offset), which must lie inside the pool.
- Keyed by a stable id, so adding a device never renumbers the others.
positional: _input, id, offset
options:
  _input:
    description: The loopback pool. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  id:
    description: Stable id of the device (0 or more).
    type: int
    required: true
  offset:
    description: Added to the id, for example to keep the first addresses free.
    type: int
    default: 0
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Loopback of spine 1
  ansible.builtin.debug:
    msg: "{{ '10.255.0.0/24' | dcnet.fabric.loopback(1) }}"
  # => "10.255.0.1"

- name: Leaves after the first 100 addresses
  ansible.builtin.debug:
    msg: "{{ '10.255.0.0/24' | dcnet.fabric.loopback(7, offset=100) }}"
  # => "10.255.0.107"

- name: IPv6 loopback
  ansible.builtin.debug:
    msg: "{{ 'fd00:255::/64' | dcnet.fabric.loopback(7) }}"
  # => "fd00:255::7"

- name: Outside the pool
  ansible.builtin.debug:
    msg: "{{ '10.255.0.0/30' | dcnet.fabric.loopback(4) }}"
  # fails: loopback: id 4 with offset 0 falls outside pool 10.255.0.0/30...
"""

RETURN = r"""
_value:
  type: str
  description: The loopback address, without prefix length.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

loopback = engine_filter("loopback", _engine.loopback)


class FilterModule:
    """dcnet.fabric.loopback."""

    def filters(self):
        return {"loopback": loopback}
