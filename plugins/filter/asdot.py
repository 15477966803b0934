# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.asdot filter: a thin adapter over the engine's asn.to_asdot."""

from __future__ import annotations

DOCUMENTATION = r"""
name: asdot
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: AS number in asdot notation
description:
- 'Returns the asdot form (RFC 5396) of an AS number: V(X.Y) for 4-byte numbers, plain below 65536.'
positional: _input
options:
  _input:
    description: The AS number (int or string).
    type: raw
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: 4-byte
  ansible.builtin.debug:
    msg: "{{ 65546 | dcnet.fabric.asdot }}"
  # => "1.10"

- name: 2-byte stays plain
  ansible.builtin.debug:
    msg: "{{ 65001 | dcnet.fabric.asdot }}"
  # => "65001"

- name: Reserved
  ansible.builtin.debug:
    msg: "{{ 23456 | dcnet.fabric.asdot }}"
  # fails: asdot: asn 23456 is AS_TRANS...
"""

RETURN = r"""
_value:
  type: str
  description: The asdot string.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import asn as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

asdot = engine_filter("asdot", _engine.to_asdot)


class FilterModule:
    """dcnet.fabric.asdot."""

    def filters(self):
        return {"asdot": asdot}
