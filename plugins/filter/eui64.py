# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.eui64 filter: a thin adapter over the engine's addressing.eui64."""

from __future__ import annotations

DOCUMENTATION = r"""
name: eui64
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: SLAAC (modified EUI-64) address of a MAC in a /64
description:
- Returns the address a host autoconfigures from its MAC in an IPv6 /64 (RFC 4291 appendix A).
positional: _input, mac
options:
  _input:
    description: The IPv6 /64.
    type: str
    required: true
  mac:
    description: The MAC, as V(aa:bb:cc:dd:ee:ff), V(aa-bb-cc-dd-ee-ff), V(aabb.ccdd.eeff) or 12 hex digits.
    type: str
    required: true
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: KVM guest MAC
  ansible.builtin.debug:
    msg: "{{ '2001:db8::/64' | dcnet.fabric.eui64('52:54:00:12:34:56') }}"
  # => "2001:db8::5054:ff:fe12:3456"

- name: Cisco notation
  ansible.builtin.debug:
    msg: "{{ 'fd00:10::/64' | dcnet.fabric.eui64('0002.b3ff.1e83') }}"
  # => "fd00:10::202:b3ff:feff:1e83"

- name: Not a /64
  ansible.builtin.debug:
    msg: "{{ '2001:db8::/48' | dcnet.fabric.eui64('52:54:00:12:34:56') }}"
  # fails: eui64: prefix '2001:db8::/48' must be an IPv6 /64...
"""

RETURN = r"""
_value:
  type: str
  description: The IPv6 address.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

eui64 = engine_filter("eui64", _engine.eui64)


class FilterModule:
    """dcnet.fabric.eui64."""

    def filters(self):
        return {"eui64": eui64}
