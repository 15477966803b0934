# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.frame_size filter: a thin adapter over the engine's mtu.frame_size."""

from __future__ import annotations

DOCUMENTATION = r"""
name: frame_size
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Ethernet frame size for an IP MTU
description:
- Returns O(_input) + 14 (Ethernet header) + 4 per VLAN tag; the 4-byte FCS is added only with O(fcs).
positional: _input, vlan_tags, fcs
options:
  _input:
    description: The IP MTU.
    type: int
    required: true
  vlan_tags:
    description: 802.1Q tags on the frame (2 for QinQ).
    type: int
    default: 1
    choices:
    - 0
    - 1
    - 2
  fcs:
    description: Count the 4-byte frame check sequence.
    type: bool
    default: false
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Untagged
  ansible.builtin.debug:
    msg: "{{ 1500 | dcnet.fabric.frame_size(0) }}"
  # => 1514

- name: One tag
  ansible.builtin.debug:
    msg: "{{ 1500 | dcnet.fabric.frame_size }}"
  # => 1518

- name: QinQ jumbo on the wire
  ansible.builtin.debug:
    msg: "{{ 9000 | dcnet.fabric.frame_size(2, fcs=true) }}"
  # => 9026

- name: Three tags
  ansible.builtin.debug:
    msg: "{{ 1500 | dcnet.fabric.frame_size(3) }}"
  # fails: frame_size: vlan_tags 3 must be <= 2...
"""

RETURN = r"""
_value:
  type: int
  description: The frame size in bytes.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

frame_size = engine_filter("frame_size", _engine.frame_size)


class FilterModule:
    """dcnet.fabric.frame_size."""

    def filters(self):
        return {"frame_size": frame_size}
