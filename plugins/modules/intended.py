#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.intended action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: intended
short_description: What deploying one switch or one OVE cluster needs, from the build tree, secrets injected
version_added: 0.1.0
description:
  - Finds the site's build folder the way M(dcnet.fabric.render) writes it (C(build/) beside the inventory, or
    I(build_dir)), and reads the rendered artifacts of one switch (I(device)) or one OpenShift Virtualization
    cluster (I(cluster)).
  - For a switch, returns the rendered config with the BGP session passwords put in, in the platform's syntax
    (FRR C(neighbor G password), EOS C(neighbor G password 0), NX-OS C(password 0) under C(template peer G)),
    under every peer group the structured config marks, from the variable it names (C(fabric.bgp.password_var),
    a vaulted variable or an AWX credential). The build tree itself holds no secret.
  - For a cluster, returns the rendered CR files in apply order and the MetalLB password Secrets with their
    password from the same variable the leaves' peer group toward the speakers uses; every Secret a rendered
    C(BGPPeer) references must be one of them.
  - Always run it with C(no_log) (the result holds secrets). A missing or unusable password variable fails
    with its name, never its value.
options:
  device:
    description: The switch (inventory host name as in the model). Mutually exclusive with I(cluster).
    type: str
  cluster:
    description: The OVE cluster of the model. Mutually exclusive with I(device).
    type: str
  secrets:
    description: Put the secrets in (false returns the rendered text as it is).
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - dcnet.fabric.build_tree
seealso:
  - module: dcnet.fabric.render
  - module: dcnet.fabric.rollout
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: The intended config of this switch, passwords from the vault
  dcnet.fabric.intended:
    device: "{{ inventory_hostname }}"
  register: intended
  no_log: true

- name: The CRs and MetalLB Secrets of one OVE cluster
  dcnet.fabric.intended:
    cluster: ove-prod
  register: ove
  no_log: true
"""

RETURN = r"""
build_dir:
  description: The site's build folder.
  returned: always
  type: str
platform:
  description: Platform of the switch (frr, eos, nxos) or of the cluster (ove).
  returned: always
  type: str
config:
  description: The switch's rendered config with the password lines added.
  returned: with I(device)
  type: str
secret_lines:
  description: How many password lines were added.
  returned: with I(device)
  type: int
batch:
  description: The switch's batch in a rolling deploy (1-4, see M(dcnet.fabric.rollout)).
  returned: with I(device)
  type: int
cr_files:
  description: The cluster's rendered CR files, in apply order.
  returned: with I(cluster)
  type: list
  elements: str
secrets:
  description: The MetalLB Secrets to create (name, namespace, password).
  returned: with I(cluster)
  type: list
  elements: dict
"""
