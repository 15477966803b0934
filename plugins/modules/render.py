#!/usr/bin/python
# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Documentation of the dcnet.fabric.render action (the work is done by the action plugin)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: render
short_description: Validate, check, design and render a whole site from the shared model
version_added: 0.1.0
description:
  - Reads the site model from the C(dcnet_*) inventory variables (C(dcnet_site), C(dcnet_fabric), C(dcnet_networks),
    C(dcnet_bond_profiles), C(dcnet_clusters), C(dcnet_waivers)); see docs/model.md.
  - Runs in one controller-side pass for the whole site, never one task per device.
  - Validation collects every error with its model path; consistency checks run on the whole design; an error stops
    the run before any artifact is written. C(report.json), C(report.md) and C(report.html) are written on every run.
  - Writes are atomic (temporary file and rename) and only touch files whose content changes, so a second run
    reports C(changed=false) with byte-identical files.
  - Check findings of severity warning are returned as Ansible warnings (printed as C([WARNING]) lines).
options:
  build_dir:
    description:
      - Folder under which C(<site>/) is written (the build root).
      - Default C(build/) beside the inventory given with C(-i) (the folder C(-i) names, or the folder of the
        file it names); without an inventory, C(build/) in the current directory.
      - Never inside the installed collection (read-only in an execution environment, replaced on upgrade);
        such a folder is refused.
    type: path
  targets:
    description:
      - Renderers to run (for example C(structured), C(nmstate), C(ove), C(azure_local), C(switches)). Default all.
      - Validation and checks always cover the whole site.
    type: list
    elements: str
  validate_only:
    description: Only validate and check; write the reports but no artifacts.
    type: bool
    default: false
  fail_on_warnings:
    description: Fail when checks report warnings (errors always fail).
    type: bool
    default: false
  max_errors:
    description: How many findings the failure message lists (the reports list all).
    type: int
    default: 50
  workers:
    description:
      - Accepted for compatibility and ignored. The engine renders and writes in the task's own
        process; forked render workers did not pay for themselves on the 5,000-device benchmark
        site (measured side by side, see the collection's docs/performance.md).
    type: int
    default: 0
  git_repo:
    description:
      - Also commit the site's rendered tree to this Git repository (URL or path) and push it, e.g. the GitOps
        repository Argo CD or ACM sync NNCPs, NADs and MetalLB CRs from. Only when the run has no error.
      - A working clone is kept under the build root (C(.gitops/<site>)); the tree is mirrored into I(git_path)
        and committed only when a file changed, so a second run reports no change. The build tree holds no
        secret, so neither does the repository.
      - In check mode, reports whether a commit would be made and commits nothing.
    type: str
  git_branch:
    description: Branch to commit to (created when it does not exist).
    type: str
    default: main
  git_path:
    description: Folder in the repository that holds the site's tree. Default the site's name.
    type: str
  git_message:
    description: Commit message. Default names the site and the number of files added, changed and removed.
    type: str
  stats:
    description:
      - Also return the run's outcome as custom stats (like M(ansible.builtin.set_stats)) under C(dcnet_render),
        with the site, build folder, report paths, counts, files created/changed/removed and the first 200 findings.
      - AWX keeps them as the job's artifacts after the job's container is gone.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Computes what would change and writes nothing.
  diff_mode:
    support: full
    details: Returns the before/after text of every changed file (up to 200 files).
  platform:
    platforms: all
    details: Runs on the controller.
notes:
  - Secrets are never part of the model; BGP passwords are referenced by variable or Secret name.
author:
  - dcnet.fabric contributors (@dcnet-fabric)
"""

EXAMPLES = r"""
- name: Render every device of the site into build/ beside the inventory
  dcnet.fabric.render:

- name: Render into a folder of the project
  dcnet.fabric.render:
    build_dir: /srv/dcnet/build

- name: Validate only (for a CI pipeline)
  dcnet.fabric.render:
    validate_only: true

- name: Render only the switch configs
  dcnet.fabric.render:
    targets: [structured, switches]
"""

RETURN = r"""
summary:
  description: One-line summary of the run.
  returned: always
  type: str
  sample: "dcnet.fabric dc1: OK — 0 error(s), 2 warning(s), 0 waived; 28 switches, 152 nodes, 3 clusters; stage render"
site:
  description: Site name.
  returned: always
  type: str
build_dir:
  description: Folder holding the site's artifacts and reports.
  returned: always
  type: str
files:
  description: Files created, changed, removed and the number unchanged.
  returned: always
  type: dict
findings:
  description: Active findings (rule, severity, path, message, hint, related).
  returned: always
  type: list
  elements: dict
waived:
  description: Findings hidden by a valid waiver, with its reason and expiry.
  returned: always
  type: list
  elements: dict
stage:
  description: Last stage reached (schema, references, design, checks, render).
  returned: always
  type: str
report:
  description: Path of the Markdown report.
  returned: always
  type: str
git:
  description: The commit to I(git_repo) (repo, branch, path, changed, commit, added, changed_files, removed).
  returned: when I(git_repo) is set and the run has no error
  type: dict
ansible_stats:
  description: The custom stats C(dcnet_render) (see I(stats)); Ansible moves them into the play's stats.
  returned: when I(stats=true)
  type: dict
"""
