# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.ptr filter: a thin adapter over the engine's addressing.ptr."""

from __future__ import annotations

DOCUMENTATION = r"""
name: ptr
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Reverse DNS (PTR) name of an address
description:
- Returns the V(in-addr.arpa) or V(ip6.arpa) name of an address, without a trailing dot.
positional: _input
options:
  _input:
    description: The address (no prefix length).
    type: str
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: IPv4
  ansible.builtin.debug:
    msg: "{{ '10.20.100.17' | dcnet.fabric.ptr }}"
  # => "17.100.20.10.in-addr.arpa"

- name: IPv6
  ansible.builtin.debug:
    msg: "{{ '2001:db8::1' | dcnet.fabric.ptr }}"
  # => "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"

- name: A prefix is not an address
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.ptr }}"
  # fails: ptr: address '10.20.100.0/24' is a prefix...
"""

RETURN = r"""
_value:
  type: str
  description: The PTR name.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

ptr = engine_filter("ptr", _engine.ptr)


class FilterModule:
    """dcnet.fabric.ptr."""

    def filters(self):
        return {"ptr": ptr}
