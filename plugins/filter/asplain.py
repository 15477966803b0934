# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.asplain filter: a thin adapter over the engine's asn.to_asplain."""

from __future__ import annotations

DOCUMENTATION = r"""
name: asplain
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: AS number in asplain notation (an integer)
description:
- Returns the integer of an AS number given in asdot (V(1.10)), asdot+ (V(0.65001)) or asplain.
positional: _input
options:
  _input:
    description: The AS number.
    type: raw
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: asdot
  ansible.builtin.debug:
    msg: "{{ '1.10' | dcnet.fabric.asplain }}"
  # => 65546

- name: asdot+
  ansible.builtin.debug:
    msg: "{{ '0.65001' | dcnet.fabric.asplain }}"
  # => 65001

- name: Halves are 16 bits
  ansible.builtin.debug:
    msg: "{{ '1.70000' | dcnet.fabric.asplain }}"
  # fails: asplain: value '1.70000' is not valid asdot...
"""

RETURN = r"""
_value:
  type: int
  description: The AS number.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import asn as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

asplain = engine_filter("asplain", _engine.to_asplain)


class FilterModule:
    """dcnet.fabric.asplain."""

    def filters(self):
        return {"asplain": asplain}
