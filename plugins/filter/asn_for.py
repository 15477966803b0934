# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.asn_for filter: a thin adapter over the engine's asn.asn_for."""

from __future__ import annotations

DOCUMENTATION = r"""
name: asn_for
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: BGP AS number for a numbering scheme and a stable id
description:
- Returns O(_input) + O(id) * O(step). Id 0 is the base itself, as with P(dcnet.fabric.loopback#filter) addresses.
- When the base is private, the result must stay inside the same private range; reserved numbers are refused.
positional: _input, id, step
options:
  _input:
    description: The base AS number (int, asplain or asdot string).
    type: raw
    required: true
  id:
    description: Stable id (rack, pair, node).
    type: int
    required: true
  step:
    description: Numbers between consecutive ids.
    type: int
    default: 1
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Leaf pair of rack 3
  ansible.builtin.debug:
    msg: "{{ 65010 | dcnet.fabric.asn_for(3) }}"
  # => 65013

- name: 4-byte private scheme, ten per rack
  ansible.builtin.debug:
    msg: "{{ 4200000000 | dcnet.fabric.asn_for(2, 10) }}"
  # => 4200000020

- name: Leaving the private range
  ansible.builtin.debug:
    msg: "{{ 65530 | dcnet.fabric.asn_for(5) }}"
  # fails: asn_for: id 5 gives AS 65535, past the end of the private range 64512-65534...
"""

RETURN = r"""
_value:
  type: int
  description: The AS number (asplain).
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import asn as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

asn_for = engine_filter("asn_for", _engine.asn_for)


class FilterModule:
    """dcnet.fabric.asn_for."""

    def filters(self):
        return {"asn_for": asn_for}
