# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.subnets filter: a thin adapter over the engine's addressing.subnets."""

from __future__ import annotations

DOCUMENTATION = r"""
name: subnets
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Subnets of a prefix, without enumerating it
description:
- Returns the subnets of length O(new_prefixlen) of I(prefix), from index O(start), at most O(limit) of them.
- Only the subnets returned are computed, so an IPv6 /48 split into /64s is cheap with O(limit).
- Without O(limit), a result of more than 65536 subnets is refused (a filter must return a list).
positional: _input, new_prefixlen
options:
  _input:
    description: The prefix to split. A prefix (network/len, no host bits set), IPv4 or IPv6.
    type: str
    required: true
  new_prefixlen:
    description: Length of the subnets.
    type: int
    required: true
  start:
    description: Index of the first subnet returned.
    type: int
    default: 0
  limit:
    description: Return at most this many subnets.
    type: int
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Split a /24 into /26s
  ansible.builtin.debug:
    msg: "{{ '10.0.0.0/24' | dcnet.fabric.subnets(26) }}"
  # => ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26"]

- name: Two /64s of a /48, from the tenth
  ansible.builtin.debug:
    msg: "{{ '2001:db8::/48' | dcnet.fabric.subnets(64, start=10, limit=2) }}"
  # => ["2001:db8:0:a::/64", "2001:db8:0:b::/64"]

- name: Too many without a limit
  ansible.builtin.debug:
    msg: "{{ '2001:db8::/32' | dcnet.fabric.subnets(64) }}"
  # fails: subnets: new_prefixlen 64 gives 4294967296 subnets of 2001:db8::/32; more than 65536 needs an explicit limit...
"""

RETURN = r"""
_value:
  type: list
  elements: str
  description: The subnets, in address order.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError, InputError
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import fail as _fail


MAX_SUBNETS = 65536


def subnets(prefix, new_prefixlen, start=0, limit=None):
    """Subnets of ``prefix`` as a list (see DOCUMENTATION)."""
    try:
        if limit is None:
            count = _engine.subnet_count(prefix, new_prefixlen)
            if count - _start(start) > MAX_SUBNETS:
                raise InputError("subnets", "new_prefixlen", new_prefixlen,
                                 f"gives {count} subnets of {prefix}; more than {MAX_SUBNETS} "
                                 "needs an explicit limit")
        return list(_engine.subnets(prefix, new_prefixlen, start, limit))
    except DcnetError as exc:
        _fail("subnets", exc)


def _start(start):
    return start if isinstance(start, int) and not isinstance(start, bool) and start > 0 else 0


class FilterModule:
    """dcnet.fabric.subnets."""

    def filters(self):
        return {"subnets": subnets}
