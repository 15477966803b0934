# Copyright: contributors to dcnet.fabric
# Apache License 2.0 (see LICENSE)

"""dcnet.fabric.merge filter: a thin adapter over the engine's addressing.merge."""

from __future__ import annotations

DOCUMENTATION = r"""
name: merge
author:
- dcnet.fabric maintainers
version_added: 0.1.0
short_description: Summarize a list of prefixes into the fewest covering prefixes
description:
- Merges adjacent and overlapping prefixes (like C(cidr_merge) of ansible.utils); IPv4 first, then IPv6.
positional: _input
options:
  _input:
    description: Prefixes or addresses, IPv4 and IPv6 mixed.
    type: list
    required: true
    elements: str
notes:
- Bad input fails the task with a message naming the filter, the argument and the value; the filter never returns
  V(false) or an empty string for bad input.
"""

EXAMPLES = r"""
- name: Two halves make a whole
  ansible.builtin.debug:
    msg: "{{ ['10.0.0.0/25', '10.0.0.128/25', '10.0.0.5'] | dcnet.fabric.merge }}"
  # => ["10.0.0.0/24"]

- name: Mixed families
  ansible.builtin.debug:
    msg: "{{ ['2001:db8:0:1::/64', '2001:db8::/64', '192.0.2.0/24'] | dcnet.fabric.merge }}"
  # => ["192.0.2.0/24", "2001:db8::/63"]
"""

RETURN = r"""
_value:
  type: list
  elements: str
  description: The summarized prefixes.
"""

from ansible_collections.dcnet.fabric.plugins.module_utils import addressing as _engine
from ansible_collections.dcnet.fabric.plugins.plugin_utils.filter_errors import engine_filter

merge = engine_filter("merge", _engine.merge)


class FilterModule:
    """dcnet.fabric.merge."""

    def filters(self):
        return {"merge": merge}
