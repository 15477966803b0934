# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.reverse_zone filter: a thin adapter over the engine's addressing.reverse_zone."""

from __future__ import annotations

DOCUMENTATION = r"""
name: reverse_zone
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Reverse DNS zone of a prefix
description:
- Returns the V(in-addr.arpa) or V(ip6.arpa) zone of a prefix, without a trailing dot.
- IPv4 prefixes must end on an octet (/8, /16, /24), IPv6 prefixes on a nibble (multiple of 4).
positional: _input
options:
  _input:
    description: The prefix.
    type: str
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: IPv4 /24
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/24' | dcnet.fabric.reverse_zone }}"
  # => "100.20.10.in-addr.arpa"

- name: IPv6 /48
  ansible.builtin.debug:
    msg: "{{ '2001:db8:100::/48' | dcnet.fabric.reverse_zone }}"
  # => "0.0.1.0.8.b.d.0.1.0.0.2.ip6.arpa"

- name: Not on an octet
  ansible.builtin.debug:
    msg: "{{ '10.20.100.0/26' | dcnet.fabric.reverse_zone }}"
  # fails: reverse_zone: prefix '10.20.100.0/26' does not end on an octet boundary...
"""

RETURN = r"""
_value:
  type: str
  description: The zone name.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

reverse_zone = engine_filter("reverse_zone", _engine.reverse_zone)


class FilterModule:
    """dcnet.fabric.reverse_zone."""

    def filters(self):
        return {"reverse_zone": reverse_zone}
