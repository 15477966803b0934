# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.overlaps filter: a thin adapter over the engine's addressing.overlaps."""

from __future__ import annotations

DOCUMENTATION = r"""
name: overlaps
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Pairs of overlapping prefixes in a list
description:
- Returns every pair of prefixes of the list where one contains the other (duplicates included), as [outer, inner].
- Sorts once and sweeps (n log n steps plus the number of pairs); the pairs are sorted by family, address and length.
positional: _input
options:
  _input:
    description: Prefixes, IPv4 and IPv6 mixed.
    type: list
    required: true
    elements: str
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: One overlap
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.0/16', '10.0.1.0/24', '10.1.0.0/24'] | dcnet.fabric.overlaps }}"
  # => [["10.0.0.0/16", "10.0.1.0/24"]]

- name: No overlap
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.0/24', '10.0.1.0/24', '2001:db8::/64'] | dcnet.fabric.overlaps }}"
  # => []

- name: Not a prefix
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.0/24', '10.0.1.1/24'] | dcnet.fabric.overlaps }}"
  # fails: overlaps: prefixes[1] '10.0.1.1/24' has host bits set...
"""

RETURN = r"""
_value:
  type: list
  elements: list
  description: Pairs [outer, inner] of prefixes.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import fail as _fail


def overlaps(prefixes):
    """Overlapping pairs as lists (see DOCUMENTATION)."""
    try:
        return [list(pair) for pair in _engine.overlaps(prefixes)]
    except DcnetError as exc:
        _fail("overlaps", exc)


class FilterModule:
    """dcnet.fabric.overlaps."""

    def filters(self):
        return {"overlaps": overlaps}
