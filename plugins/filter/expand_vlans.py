# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.expand_vlans filter: a thin adapter over the engine's vlans.expand_vlans."""

from __future__ import annotations

DOCUMENTATION = r"""
name: expand_vlans
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Expand a VLAN list such as 10-12,20
description:
- 'Returns the sorted, unique VLAN ids of a trunk spec: a string of ids and ranges, an int, or a list of either.'
- Ids outside 1..4094 are refused.
positional: _input
options:
  _input:
    description: The VLAN spec.
    type: raw
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Trunk syntax
  ansible.builtin.debug:
    msg: "{{ '10-12,20' | dcnet.fabric.expand_vlans }}"
  # => [10, 11, 12, 20]

- name: A list of ids and ranges
  ansible.builtin.debug:
    msg: "{{ [711, '100-101', 10] | dcnet.fabric.expand_vlans }}"
  # => [10, 100, 101, 711]

- name: Reserved id
  ansible.builtin.debug:
    msg: "{{ '4090-4095' | dcnet.fabric.expand_vlans }}"
  # fails: expand_vlans: spec '4090-4095' is outside the VLAN range 1..4094...
"""

RETURN = r"""
_value:
  type: list
  elements: int
  description: Sorted unique VLAN ids.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import vlans as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

expand_vlans = engine_filter("expand_vlans", _engine.expand_vlans)


class FilterModule:
    """dcnet.fabric.expand_vlans."""

    def filters(self):
        return {"expand_vlans": expand_vlans}
