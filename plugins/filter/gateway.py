# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.gateway filter: a thin adapter over the engine's addressing.gateway."""

from __future__ import annotations

DOCUMENTATION = r"""
name: gateway
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: 'The gateway address of a subnet: first or last usable'
description:
- Returns the first or last usable address of I(prefix), the two usual gateway conventions.
positional: _input, position
options:
  _input:
    description: The subnet. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  position:
    description: Which end of the usable range.
    type: str
    default: first
    choices:
    - first
    - last
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: First usable
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.gateway }}"
  # => "10.20.100.1"

- name: Last usable
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.gateway('last') }}"
  # => "10.20.100.254"

- name: IPv6
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/64' | dcnet.fabric.gateway }}"
  # => "2001:db8:100::1"

- name: Bad position
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.gateway('middle') }}"
  # fails: gateway: position 'middle' must be 'first' or 'last'...
"""

RETURN = r"""
_value:
  type: str
  description: The gateway address, without prefix length.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

gateway = engine_filter("gateway", _engine.gateway)


class FilterModule:
    """dcnet.fabric.gateway."""

    def filters(self):
        return {"gateway": gateway}
