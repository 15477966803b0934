#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Compare live FRR state with the design (thin adapter over module_utils/state/frr_state.py)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: fabric_state
short_description: Check that a running FRR fabric matches the design (BGP, BFD, ECMP in FRR and the kernel)
version_added: 0.1.0
description:
  - Reads FRR state as JSON (C(show bgp vrf default neighbors json), C(show bfd peers json), C(show ip route json),
    C(show ipv6 route json)) and the kernel FIB (C(ip -j route show)) of each switch in I(devices), and compares it
    with what the structured config of the site expects.
  - "Checks: every expected BGP session Established with the designed remote and local AS (IPv4 and IPv6); every
    BFD peer up; every leaf has every other leaf's loopbacks and server (SVI) prefixes with one next hop per spine,
    and each spine's loopback via the link to that spine; every spine has every leaf's loopbacks via its links to
    that leaf. Routes are checked in FRR and in the kernel. Sessions FRR has but the design does not fail."
  - Returns one row per check; fails listing every difference as a sentence.
options:
  structured_dir:
    description:
      - Folder with the structured config of the site (C(build/<site>/structured)), read on the host running the
        module. Switches are the files whose C(role) is C(spine) or C(leaf). Mutually exclusive with I(structured).
    type: path
  structured:
    description: The structured config of every switch, as a dict keyed by device name.
    type: dict
  devices:
    description:
      - The switches to query from this host, as a dict of device name to FRR pathspace / network namespace
        (empty string for the default instance and namespace, as on a real switch). Default is every switch of
        the design in the default instance, which only makes sense with one switch per host.
      - The lab starts each daemon as C(ip netns exec NAME <daemon> -N NAME), so one name addresses both
        C(vtysh -N NAME) and C(ip -n NAME).
    type: dict
  scope:
    description:
      - Which expected BGP sessions and BFD peers must be up. C(underlay) requires the spine-leaf sessions and the MLAG
        pair's iBGP peering over the peer VLAN, and reports
        the others (MetalLB speakers on leaves) with status C(out_of_scope) and what FRR shows for them. C(all)
        requires every session of the design.
    type: str
    choices: [underlay, all]
    default: underlay
  wait:
    description: Seconds to keep re-reading the state until every check passes (BGP needs a few seconds after a
      deploy). 0 reads once.
    type: int
    default: 0
  report_file:
    description: Also write the rows, summary and differences as JSON to this path on the host running the module.
    type: path
  vtysh:
    description: Path of vtysh.
    type: path
    default: /usr/bin/vtysh
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads state (I(report_file) is still written, it is a report of this run).
  diff_mode:
    support: none
  platform:
    platforms: posix
    details: Runs where FRR runs (or where every lab namespace is reachable).
seealso:
  - module: dcnet.fabric.frr_deploy
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Check the whole lab fabric from the lab host
  dcnet.fabric.fabric_state:
    structured_dir: build/small/structured
    devices: {spine1: dcnet-lab-4242-spine1, leaf01a: dcnet-lab-4242-leaf01a}
    scope: underlay
    wait: 30

- name: Check one real switch against the design
  dcnet.fabric.fabric_state:
    structured: "{{ dcnet_switch_structured }}"
    devices: "{{ {inventory_hostname: ''} }}"
"""

RETURN = r"""
checks:
  description: One row per check, in device order.
  returned: always
  type: list
  elements: dict
  sample:
    - {device: leaf01a, check: bgp_session, item: "10.254.0.0 (spine1:swp1, ipv4)",
       expected: "Established, remote AS 65000, local AS 65101",
       observed: "Established, remote AS 65000, local AS 65101", status: pass}
summary:
  description: Counts of pass, fail and out_of_scope per check kind.
  returned: always
  type: dict
differences:
  description: The failing rows as sentences.
  returned: always
  type: list
  elements: str
table:
  description: The rows as a Markdown table.
  returned: always
  type: str
"""

import json
import os
import time

from ansible.module_utils.basic import AnsibleModule

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover
    HAS_YAML = False

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.state import frr_state
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover
    frr_state = None
    IMPORT_ERROR = str(exc)


def _load_dir(module, path):
    if not HAS_YAML:
        module.fail_json(msg="PyYAML is required to read structured_dir (pip install pyyaml)")
    out = {}
    if not os.path.isdir(path):
        module.fail_json(msg=f"structured_dir {path} does not exist (render the site first)")
    for name in sorted(os.listdir(path)):
        if not name.endswith(".yml"):
            continue
        with open(os.path.join(path, name), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if isinstance(data, dict) and data.get("role") in ("spine", "leaf"):
            out[data["hostname"]] = data
    if not out:
        module.fail_json(msg=f"no spine/leaf structured configs in {path}")
    return out


def main():
    module = AnsibleModule(
        argument_spec={
            "structured_dir": {"type": "path"},
            "structured": {"type": "dict"},
            "devices": {"type": "dict"},
            "scope": {"type": "str", "choices": ["underlay", "all"], "default": "underlay"},
            "wait": {"type": "int", "default": 0},
            "report_file": {"type": "path"},
            "vtysh": {"type": "path", "default": "/usr/bin/vtysh"},
        },
        mutually_exclusive=[("structured_dir", "structured")],
        required_one_of=[("structured_dir", "structured")],
        supports_check_mode=True,
    )
    if IMPORT_ERROR:
        module.fail_json(msg=f"dcnet.fabric state engine could not be imported: {IMPORT_ERROR}")
    params = module.params
    switches = params["structured"] or _load_dir(module, params["structured_dir"])
    devices = params["devices"] if params["devices"] is not None else {d: "" for d in switches}
    ip = module.get_bin_path("ip", required=True)

    def runner(argv, data=None):
        return module.run_command(argv, data=data)

    try:
        expected = frr_state.expected_state(switches, params["scope"])
    except frr_state.StateError as exc:
        module.fail_json(msg=str(exc))
    deadline = time.monotonic() + max(0, params["wait"])
    while True:
        try:
            snaps = {d: frr_state.snapshot(runner, namespace=ns or "", vtysh=params["vtysh"], ip=ip)
                     for d, ns in sorted(devices.items())}
            rows = frr_state.compare(expected, snaps)
            problem = None
        except frr_state.StateError as exc:
            rows, problem = [], str(exc)
        diffs = frr_state.differences(rows)
        if not problem and not diffs or time.monotonic() >= deadline:
            break
        time.sleep(1)
    if problem:
        module.fail_json(msg=f"cannot read the fabric state: {problem}")
    result = {"changed": False, "checks": rows, "summary": frr_state.summarize(rows), "differences": diffs,
              "table": frr_state.render_table(rows)}
    if params["report_file"]:
        with open(params["report_file"], "w", encoding="utf-8") as handle:
            json.dump({k: result[k] for k in ("checks", "summary", "differences")}, handle, indent=2, sort_keys=True)
    if diffs:
        module.fail_json(msg=f"{len(diffs)} difference(s) between the fabric and the design:\n" + "\n".join(diffs),
                         **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
