#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.drift action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: drift
short_description: Compare captured running state with the site model, reporting the model checks' rule ids
version_added: 0.2.0
description:
  - Reads the site model from the C(dcnet_*) inventory variables, designs the site once, and parses the running
    state captured in I(running_dir) into the same records the design builds, then runs the model's consistency
    rules on it. Findings the running state adds are drift, reported with the same rule ids as the model checks
    (a trunk missing a network, a native VLAN on one end, a member out of its LACP port-channel, an LACP rate
    mismatch, a port MTU below the host's, ...; docs/checks.md lists them) and with the model path of one end and
    the other end under C(related).
  - "Files in I(running_dir), one per device: C(<switch>.cfg) (EOS or NX-OS C(show running-config); the model names
    the platform), C(<leaf>.ovs-ports.json) and C(<leaf>.ovs-interfaces.json) (C(ovs-vsctl --format=json list Port) /
    C(list Interface)), C(<node>.nmstate.yml) (C(nmstatectl show)), C(nnce.yaml) (C(kubectl get nnce -o yaml))."
  - Devices without a file keep their designed state. Never changes anything.
options:
  running_dir:
    description: Folder with the captured running state, read on the controller.
    type: path
    required: true
  fail_on_drift:
    description: Fail when drift of severity error is found.
    type: bool
    default: true
  max_findings:
    description: How many findings the message lists (C(findings) holds all).
    type: int
    default: 50
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads only; the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: all
    details: Runs on the controller.
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Compare the captured running state with the model
  dcnet.fabric.drift:
    running_dir: "{{ playbook_dir }}/../running"
  register: dcnet_drift
"""

RETURN = r"""
findings:
  description: Drift findings (rule, severity, path, message, hint, related), sorted.
  returned: always
  type: list
  elements: dict
notes:
  description: What the running state lacks or holds beyond the model (ports not in the config, unknown devices).
  returned: always
  type: list
  elements: str
read:
  description: Which switches and hosts were read, and how many NNCEs.
  returned: always
  type: dict
summary:
  description: One line with the counts.
  returned: always
  type: str
"""
