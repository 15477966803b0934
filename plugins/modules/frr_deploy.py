#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Deploy a rendered frr.conf to a running FRR instance (thin adapter over module_utils/deploy/frr.py)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: frr_deploy
short_description: Validate, diff and apply an frr.conf with vtysh -C and frr-reload.py
version_added: 0.1.0
description:
  - Validates the candidate configuration with C(vtysh -C -f) before touching anything; a rejected line fails the
    task with FRR's own message and nothing is changed.
  - Computes the difference with C(frr-reload.py --test) (shown with C(--diff)); when it is empty the task reports
    C(changed=false), so a second run of the same config is idempotent.
  - Applies with C(frr-reload.py --reload), then compares again. A failed reload, or one that leaves lines differing,
    is rolled back by reloading the running config saved just before, and the task fails with FRR's error text.
  - Runs on the host where FRR runs. One FRR instance among several on the same host (one per network namespace,
    as in the lab) is addressed by its I(namespace), the C(-N) pathspace its daemons were started with; C(vtysh -N)
    reaches it over unix sockets without entering the network namespace.
options:
  src:
    description: Path of the candidate frr.conf on the target host. Mutually exclusive with I(content).
    type: path
  content:
    description: The candidate frr.conf text. Mutually exclusive with I(src). Not logged (it may hold BGP passwords).
    type: str
  namespace:
    description:
      - FRR pathspace (C(vtysh -N NAME)) of the instance to configure. Empty for the default instance.
      - The lab starts every daemon as C(ip netns exec NAME <daemon> -N NAME), so the same name is also the network
        namespace.
    type: str
    default: ""
  vtysh:
    description: Path of vtysh.
    type: path
    default: /usr/bin/vtysh
  frr_reload:
    description: Path of frr-reload.py (Debian package C(frr-pythontools)).
    type: path
    default: /usr/lib/frr/frr-reload.py
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Validates and computes the frr-reload.py difference; changes nothing.
  diff_mode:
    support: full
    details: Returns the lines frr-reload.py deletes (C(-)) and adds (C(+)); passwords and keys are masked.
  platform:
    platforms: posix
    details: Needs FRR (vtysh) and frr-reload.py on the target.
requirements:
  - FRR 8.x with vtysh and frr-reload.py (Debian C(frr), C(frr-pythontools)).
seealso:
  - module: dcnet.fabric.fabric_state
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Deploy the rendered config of this switch
  dcnet.fabric.frr_deploy:
    content: "{{ lookup('ansible.builtin.file', 'build/small/switches/' ~ inventory_hostname ~ '.cfg') }}"

- name: Deploy to the FRR instance of a lab namespace
  dcnet.fabric.frr_deploy:
    src: /tmp/leaf01a.cfg
    namespace: dcnet-lab-4242-leaf01a
"""

RETURN = r"""
changed:
  description: Whether frr-reload.py found lines to delete or add (in check mode, whether it would).
  returned: always
  type: bool
plan:
  description: The lines frr-reload.py deletes and adds, secrets masked.
  returned: success
  type: dict
  sample: {"delete": [], "add": ["router bgp 65101", " neighbor 10.254.0.0 remote-as 65000"]}
applied:
  description: Whether the configuration was applied by this run.
  returned: success
  type: bool
validation:
  description: Lines vtysh -C rejected (on failure).
  returned: failure
  type: list
  elements: str
restored:
  description: Outcome of the rollback after a failed reload.
  returned: failure after a reload
  type: str
residual:
  description: Lines that still differ after a successful reload (the config is applied but FRR prints these lines
    differently, so the deploy is not idempotent).
  returned: failure after an applied reload
  type: dict
"""

import os

from ansible.module_utils.basic import AnsibleModule

try:
    from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr
    IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported as a task failure
    frr = None
    IMPORT_ERROR = str(exc)


def main():
    module = AnsibleModule(
        argument_spec={
            "src": {"type": "path"},
            "content": {"type": "str", "no_log": True},
            "namespace": {"type": "str", "default": ""},
            "vtysh": {"type": "path", "default": "/usr/bin/vtysh"},
            "frr_reload": {"type": "path", "default": "/usr/lib/frr/frr-reload.py"},
        },
        mutually_exclusive=[("src", "content")],
        required_one_of=[("src", "content")],
        supports_check_mode=True,
    )
    if IMPORT_ERROR:
        module.fail_json(msg=f"dcnet.fabric deploy engine could not be imported: {IMPORT_ERROR}")
    params = module.params
    for tool in ("vtysh", "frr_reload"):
        if not os.path.exists(params[tool]):
            module.fail_json(msg=f"{tool} not found at {params[tool]} (install FRR: Debian packages frr, frr-pythontools)")
    if params["src"] is not None:
        try:
            with open(params["src"], encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            module.fail_json(msg=f"cannot read src {params['src']}: {exc.strerror}")
    else:
        text = params["content"]
    target = frr.FrrTarget(pathspace=params["namespace"], vtysh=params["vtysh"], reload=params["frr_reload"])

    def runner(argv, data=None):
        return module.run_command(argv, data=data, binary_data=False)

    try:
        result = frr.deploy(target, text, check_mode=module.check_mode, runner=runner)
    except frr.DeployError as exc:
        # Applied but not idempotent: the running config did change (it was not rolled back).
        module.fail_json(msg=str(exc), changed=bool(exc.details.get("applied")), **exc.details)
    out = {"changed": result["changed"], "plan": result["plan"], "applied": result["applied"]}
    if module._diff and result["changed"]:
        out["diff"] = {"prepared": result["diff"]}
    module.exit_json(**out)


if __name__ == "__main__":
    main()
