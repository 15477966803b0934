#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.import_vmware action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: import_vmware
short_description: Import a VMware estate (RVTools export or vCenter) into a reviewable model draft
version_added: 0.2.0
description:
  - Reads an RVTools C(.xlsx) export (openpyxl) or a live vCenter (pyVmomi) and writes, into O(out),
    C(networks.yml) (C(dcnet_networks) draft with subnets inferred from the VMs' addresses),
    C(bond_profiles.yml) (teaming mapped to bond modes), C(clusters.yml) (the ESXi hosts as clusters of
    platform C(vmware) with their vSwitches, uplinks and, where known, CDP/LLDP cabling), C(vms.yml) (C(dcnet_vms)) and
    C(import_report.md) / C(import_report.json) (counts and every conflict with the sheet and row it came from).
  - The draft is never loaded automatically; review it and copy it into the inventory (docs/migration.md).
  - A file that cannot be imported (not RVTools, a missing sheet or column, merged cells, too large) fails
    the task with every problem located by sheet, row and column, and nothing is written.
  - Files are written atomically and only when their content changes; a second run reports C(changed=false).
options:
  rvtools:
    description: Path of the RVTools export on the controller.
    type: path
  vcenter:
    description: vCenter host name; needs O(vcenter_user) and O(vcenter_password) and the pyVmomi package.
    type: str
  vcenter_user:
    description: vCenter user.
    type: str
  vcenter_password:
    description: vCenter password (use a vault variable).
    type: str
  vcenter_port:
    description: vCenter HTTPS port.
    type: int
    default: 443
  validate_certs:
    description: Validate the vCenter TLS certificate.
    type: bool
    default: true
  vcenter_recording:
    description: Replay property data recorded from a vCenter (the JSON O(save_recording) writes) instead of connecting.
    type: path
  save_recording:
    description: With O(vcenter), also write the collected property data to this file (mode 0600).
    type: path
  out:
    description: Folder the draft is written to.
    type: path
    required: true
  max_mb:
    description: Refuse exports larger than this (and workbooks unpacking to more than four times it).
    type: int
    default: 200
  ipv4_prefix:
    description: Prefix length assumed when grouping VM addresses into subnets (IPv6 uses /64).
    type: int
    default: 24
  fail_on_conflicts:
    description: Fail when the import found conflicts of severity error (the draft is written anyway).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the source and reports what would change; writes nothing.
  diff_mode:
    support: full
    details: Returns the before/after text of every draft file that changes.
  platform:
    platforms: all
    details: Runs on the controller.
notes:
  - A vCenter is read with one PropertyCollector request per object type; the tests replay recorded property data,
    since no vCenter runs in CI.
requirements:
  - openpyxl (RVTools)
  - pyVmomi (vCenter only)
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Import an RVTools export
  dcnet.fabric.import_vmware:
    rvtools: /data/RVTools_export_all.xlsx
    out: "{{ playbook_dir }}/draft"

- name: Import from vCenter
  dcnet.fabric.import_vmware:
    vcenter: vc01.example.net
    vcenter_user: "{{ vcenter_user }}"
    vcenter_password: "{{ vault_vcenter_password }}"
    out: draft
  no_log: true
"""

RETURN = r"""
counts:
  description: VMs, NICs, port groups, networks, bond profiles, VMware clusters, hosts and conflicts per class.
  returned: always
  type: dict
  sample: {"vms": 5000, "nics": 5000, "networks": 401, "bond_profiles": 2, "vmware_clusters": 13, "hosts": 200,
           "conflicts": {"teaming": 2}}
conflicts:
  description: Every conflict with its class, severity, evidence (sheet and row, or vCenter object) and the decision it needs.
  returned: always
  type: list
  elements: dict
files:
  description: Draft files created, changed and unchanged.
  returned: always
  type: dict
"""
