#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.rollout action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: rollout
short_description: The rolling deploy plan of the site's switches, batches and the gate after each
version_added: 0.1.0
description:
  - Reads the structured configs of the site's switches from the build tree and puts each switch in one of four
    batches, deployed in this order, each followed by a gate - 1. spines with odd ids, 2. spines with even ids,
    3. side a of every leaf pair, 4. side b. Both leaves of an MLAG/vPC/CLAG pair, and all spines, are never
    changed at once.
  - The gate after a batch requires every fabric BGP session between switches deployed so far to be Established
    (FRR, via M(dcnet.fabric.fabric_state), also BFD and ECMP routes); sessions toward switches not deployed yet
    are reported, not required, so a new fabric passes its first gates.
  - playbooks/deploy_switches.yml is the playbook around it.
options:
  devices:
    description: The switches to plan (inventory host names); default every switch of the site.
    type: list
    elements: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - dcnet.fabric.build_tree
seealso:
  - module: dcnet.fabric.intended
  - module: dcnet.fabric.fabric_state
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Plan the rolling deploy of the switches in group dcnet_switches
  dcnet.fabric.rollout:
    devices: "{{ groups['dcnet_switches'] }}"
  register: dcnet_rollout
"""

RETURN = r"""
batches:
  description: The non-empty batches in order (batch, name, devices).
  returned: always
  type: list
  elements: dict
  sample: [{"batch": 1, "name": "spines (odd ids)", "devices": ["spine1"]}]
gates:
  description:
    - Per batch number C("1") to C("4"), the gate after it - deployed switches, their structured configs as the
      gate checks them, and the EOS/NX-OS commands and wait_for conditions.
  returned: always
  type: dict
platforms:
  description: Platform of each planned switch.
  returned: always
  type: dict
"""
