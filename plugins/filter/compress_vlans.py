# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.compress_vlans filter: a thin adapter over the engine's vlans.compress_vlans."""

from __future__ import annotations

DOCUMENTATION = r"""
name: compress_vlans
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Compress VLAN ids back to switch trunk syntax
description:
- Returns ids and ranges such as V(10-12,20) (EOS, NX-OS and FRR syntax), the empty string for no VLANs.
positional: _input
options:
  _input:
    description: 'VLAN ids: a list, or anything P(dcnet.fabric.expand_vlans#filter) accepts.'
    type: raw
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: List to trunk syntax
  ansible.builtin.debug:
    msg: "{{ [20, 12, 10, 11] | dcnet.fabric.compress_vlans }}"
  # => "10-12,20"

- name: Out of range
  ansible.builtin.debug:
    msg: "{{ [0, 10] | dcnet.fabric.compress_vlans }}"
  # fails: compress_vlans: ids[0] 0 is outside the VLAN range 1..4094...
"""

RETURN = r"""
_value:
  type: str
  description: The compressed VLAN list.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import vlans as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

compress_vlans = engine_filter("compress_vlans", _engine.compress_vlans)


class FilterModule:
    """dcnet.fabric.compress_vlans."""

    def filters(self):
        return {"compress_vlans": compress_vlans}
