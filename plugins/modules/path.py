#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.path action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: path
short_description: Explain a packet's path through the site hop by hop, with headers, MTU budget and checks
version_added: 0.2.0
description:
  - Reads the site model from the C(dcnet_*) inventory variables, designs the site and walks a flow from O(src) to
    O(dst) in both directions and in both address families where both ends have one.
  - Each hop names the device and interface, what happens there (VLAN tagging, the bond member the transmit hash
    picks, MLAG, the anycast gateway, the VRF lookup, VXLAN or Geneve encapsulation with its VNI, the spines'
    equal-cost choice, decapsulation, delivery), the headers on the wire with their sizes, the MTU of the interface
    the packet leaves by and what is left of it, and the commands that verify the hop on that platform.
  - Equal-cost choices are shown with the inputs of their hash; what the model cannot decide (OVN's logical
    pipeline, a switch's ECMP hash) is named as such.
  - A destination outside the site, or in another VRF, ends where the fabric ends, because no border exit is
    modelled yet.
  - Writes C(path-<src>-to-<dst>.md) and C(.json) under O(out), atomically and only when they change.
options:
  src:
    description:
      - Where the flow starts. A node (V(w001)), a VM of the inventory C(dcnet_vms) by name (V(shop-web01), on
        a node V(shop-web01@w001), one of its NICs V(shop-web01:Network adapter 1@w001)), a VM with its address on
        a node (V(10.64.0.21@w001), several addresses comma-separated), a VM on a network on a node
        (V(vm-100@w001)), or a pod on an OVE node (V(pod@w001)).
      - The model does not say on which node a VM runs unless its cluster has one node; give it with C(@node)
        (a node of the VM's cluster, or of the cluster a wave moves it to, and then the path is the one after that wave).
    type: str
    required: true
  dst:
    description:
      - Where the flow goes. The forms of O(src), or an address (a node's, a MetalLB VIP, an inventory VM's, one
        inside a modelled network) or a prefix outside the site.
    type: str
    required: true
  network:
    description:
      - The network two nodes use. Default, the first network both have an address on.
    type: str
  flow:
    description:
      - The 5-tuple's protocol and ports, V(tcp/443), V(udp/<sport>/<dport>) or V(icmp). Default V(tcp/49152/443).
    type: str
  out:
    description: Folder for the Markdown and JSON files. Nothing is written without it.
    type: path
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Computes the path and whether the files would change; writes nothing.
  diff_mode:
    support: full
    details: Returns the before/after text of the files that change.
  platform:
    platforms: all
    details: Runs on the controller.
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: VLAN 100 to VLAN 200 between two VMs on nodes of different racks
  dcnet.fabric.path:
    src: 10.64.0.21@w001
    dst: 10.64.100.31@w120
    out: "{{ playbook_dir }}/../build/paths"

- name: Two nodes on their storage network, UDP
  dcnet.fabric.path:
    src: w001
    dst: w002
    network: ove-storage
    flow: udp/40000/2049
"""

RETURN = r"""
summary:
  description: A few lines per path (status, devices crossed, path MTU, what the model cannot decide).
  returned: success
  type: list
  elements: str
paths:
  description: Every explained path (direction, family, status, hops with headers, MTU, choice and verify commands).
  returned: success
  type: list
  elements: dict
not_explained:
  description: Directions or families not explained, with the reason.
  returned: success
  type: list
  elements: dict
files:
  description: The Markdown and JSON files (written, or that would be in check mode).
  returned: success
  type: list
  elements: str
check_errors:
  description: Number of error findings of the site's checks (the path describes the design as modelled).
  returned: success
  type: int
"""
