# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.is_private_asn filter: a thin adapter over the engine's asn.is_private_asn."""

from __future__ import annotations

DOCUMENTATION = r"""
name: is_private_asn
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Whether an AS number is private
description:
- True for 64512-65534 and 4200000000-4294967294 (RFC 6996); reserved or invalid numbers are an error, not V(false).
positional: _input
options:
  _input:
    description: The AS number (int, asplain or asdot string).
    type: raw
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Private 2-byte
  ansible.builtin.debug:
    msg: "{{ 65001 | dcnet.fabric.is_private_asn }}"
  # => true

- name: Public
  ansible.builtin.debug:
    msg: "{{ 13335 | dcnet.fabric.is_private_asn }}"
  # => false

- name: Private 4-byte in asdot
  ansible.builtin.debug:
    msg: "{{ '64086.59904' | dcnet.fabric.is_private_asn }}"
  # => true

- name: Not an AS number
  ansible.builtin.debug:
    msg: "{{ 'AS65001' | dcnet.fabric.is_private_asn }}"
  # fails: is_private_asn: asn 'AS65001' is not an AS number...
"""

RETURN = r"""
_value:
  type: bool
  description: Whether the number is private.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import asn as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

is_private_asn = engine_filter("is_private_asn", _engine.is_private_asn)


class FilterModule:
    """dcnet.fabric.is_private_asn."""

    def filters(self):
        return {"is_private_asn": is_private_asn}
