#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.plan action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: plan
short_description: Plan a day-2 change from one model to another as ordered, gated phases with device commands
version_added: 0.3.0
description:
  - Loads two site models, each from an inventory folder or a git revision of one, designs both and compares their
    structured configs object by object (VLANs, ports, VNIs, BGP neighbours, routing policies on the switches; the
    NNCPs, nmstate files, Network ATC intents, NADs and MetalLB objects the collection renders for the clusters
    that change).
  - Orders the changes from the dependencies between the objects, not from fixed lists. Growing changes (a VLAN or a
    session added, an MTU raised) go provider first (routing policy, leaf VLAN and trunks, host policies, NADs, then
    VMs may attach); shrinking ones go in reverse. The two ends of a BGP session are never changed in one step.
  - Cuts each phase into batches, never both leaves of an MLAG pair and never more nodes than the cluster's
    maxUnavailable at once, with a gate after each batch (dcnet.fabric.fabric_state for FRR, the ANTA catalogue of
    the changed EOS devices, NX-OS show commands, the NNCP enactment conditions, Get-NetIntentStatus for Network
    ATC). A phase's precondition is the previous phase's gate.
  - Switch commands are the minimal change per phase and device, with rollback; hier_config for EOS and NX-OS,
    frr-reload.py for FRR.
  - Writes C(plan.md) (blast radius first) and C(plan.json) under O(out), atomically and only when they change.
  - Fails on a plan rule error (both leaves of a pair in one batch, more nodes than maxUnavailable, a network removed
    while VMs use it) or when the target model has errors.
options:
  plan_from:
    description:
      - The model running today, an inventory folder (or inventory file) or a git revision (V(HEAD~1), a tag or
        commit, or V(REV:path/to/inventory)). A revision is read with C(git archive) from the repository holding
        O(inventory).
    type: str
    required: true
  plan_to:
    description: The model to go to, in the forms of O(plan_from).
    type: str
    required: true
  out:
    description: Folder for C(plan.md) and C(plan.json). Default, C(build/plan) beside the inventory.
    type: path
  inventory:
    description: The inventory whose folder a git revision without a path refers to. Default, this run's inventory.
    type: path
  switch_batching:
    description:
      - V(rolling) changes switches in the rolling deploy's batches (odd spines, even spines, side a of every pair,
        side b). V(site) puts every switch of a phase in one batch (a maintenance window); a plan rule then fails on
        any MLAG pair.
    type: str
    choices: [rolling, site]
    default: rolling
  node_batch:
    description:
      - Nodes per batch of host policies. Default, the cluster's maxUnavailable (C(ove.nncp_max_unavailable); 10%
        of the nodes elsewhere). A larger value fails the plan rule on maxUnavailable.
    type: int
  remediation:
    description: Compute the device commands of every switch step (hier_config, frr-reload.py).
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Computes the plan and whether the files would change; writes nothing.
  diff_mode:
    support: full
    details: Returns the before/after text of plan.md when it changes.
  platform:
    platforms: all
    details: Runs on the controller.
requirements:
  - hier-config (PyPI) for EOS and NX-OS commands
  - frr-reload.py (Debian frr-pythontools) for FRR commands
seealso:
  - module: dcnet.fabric.fabric_state
  - module: dcnet.fabric.render
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Plan the change of the last commit of the inventory repository
  dcnet.fabric.plan:
    plan_from: HEAD~1
    plan_to: "{{ inventory_dir }}"
    out: "{{ inventory_dir }}/../build/plan"

- name: Plan between two folders, every switch of a phase at once (a maintenance window)
  dcnet.fabric.plan:
    plan_from: /srv/sites/dc1-before
    plan_to: /srv/sites/dc1
    out: /srv/plans/dc1-vlan500
    switch_batching: site
"""

RETURN = r"""
summary:
  description: The blast radius, one line per phase, and the plan rules that fired.
  returned: success
  type: list
  elements: str
phases:
  description: Number, title, domain (switch, host, cluster, vm), direction, devices and batch count of each phase.
  returned: success
  type: list
  elements: dict
blast_radius:
  description: Switches, ports, session ends, nodes and VMs affected, and the traffic-carrying objects removed.
  returned: success
  type: dict
model_change:
  description: Networks, VLANs, clusters, nodes, switches and BGP sessions added, removed or changed.
  returned: success
  type: dict
findings:
  description: The target model's findings and the plan rules' (rule, severity, path, message, hint).
  returned: always
  type: list
  elements: dict
files:
  description: plan.json and plan.md under O(out).
  returned: success
  type: list
  elements: str
"""
