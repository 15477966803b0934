# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.path_mtu filter: a thin adapter over the engine's mtu.path_mtu."""

from __future__ import annotations

DOCUMENTATION = r"""
name: path_mtu
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Effective MTU and bottleneck of a path
description:
- Given the hops of a path as a list of {name, mtu}, returns the smallest MTU and the first hop that has it.
positional: _input
options:
  _input:
    description: Hops, each a dict with C(name) and C(mtu); other keys are ignored.
    type: list
    required: true
    elements: dict
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Server to leaf to spine
  ansible.builtin.debug:
    msg: "{{ [{'name': 'w001', 'mtu': 9000}, {'name': 'leaf1:Et1', 'mtu': 9214}, {'name': 'leaf1:Et49', 'mtu': 1500}] | dcnet.fabric.path_mtu }}"
  # => {"mtu": 1500, "bottleneck": "leaf1:Et49", "hops": 3}

- name: Hop without an MTU
  ansible.builtin.debug:
    msg: "{{ [{'name': 'w001:bond0'}] | dcnet.fabric.path_mtu }}"
  # fails: path_mtu: hops[0].mtu None is missing on hop w001:bond0...
"""

RETURN = r"""
_value:
  type: dict
  description: The path's MTU.
  contains:
    mtu:
      description: Smallest MTU of the path.
      type: int
    bottleneck:
      description: Name of the first hop with that MTU.
      type: str
    hops:
      description: Number of hops.
      type: int
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

path_mtu = engine_filter("path_mtu", _engine.path_mtu)


class FilterModule:
    """dcnet.fabric.path_mtu."""

    def filters(self):
        return {"path_mtu": path_mtu}
