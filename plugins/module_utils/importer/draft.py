"""Write the draft files into the output folder: all rendered first, then each written atomically.

Nothing is written unless every file rendered, and files whose content did
not change are left alone, so a second run reports no change.
"""

from __future__ import annotations

import os

from ..fileio import plan_files, write_files
from ..render import yamltext
from . import report

FILES = ("networks.yml", "bond_profiles.yml", "clusters.yml", "vms.yml", "import_report.md", "import_report.json")
CLUSTERS_HEADER = ("# The ESXi hosts as clusters of platform vmware, for the coexistence period. A cable '?' is a decision\n"
                   "# the source could not make (no CDP/LLDP neighbour): write 'leaf:port' for every vmnic; add the\n"
                   "# target clusters beside these.\n")
HEADER = ("# Draft written by dcnet.fabric.import_vmware from {source}: review it, decide the conflicts listed in\n"
          "# import_report.md, then copy it into the inventory's group_vars (docs/migration.md).\n")


def _clean(value):
    """Drop None values and empty lists of optional keys: a draft shows what was found."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def render_files(draft: dict) -> dict:
    """{file name: text} of the whole draft."""
    head = HEADER.format(source=draft["source"])
    profiles_head = head + "".join(
        f"# {name}: {ev['kind']} switch {ev['switch']}, {ev['vsphere_policy']} -> {ev['linux']}"
        f"{'' if ev['linux_exact'] else ' (approximate)'}; Network ATC: {ev['network_atc']}\n"
        for name, ev in draft["teaming"].items())
    return {
        "networks.yml": head + "---\n" + yamltext.dump({"dcnet_networks": _clean(draft["networks"])}),
        "bond_profiles.yml": profiles_head + "---\n" + yamltext.dump({"dcnet_bond_profiles": draft["bond_profiles"]}),
        "clusters.yml": head + CLUSTERS_HEADER + "---\n" + yamltext.dump({"dcnet_clusters": draft["clusters"]}),
        "vms.yml": head + "---\n" + yamltext.dump({"dcnet_vms": _clean(draft["vms"])}),
        "import_report.md": report.to_markdown(draft),
        "import_report.json": report.to_json(draft),
    }


def write_draft(draft: dict, out_dir: str, check_mode: bool = False, diff: bool = False) -> dict:
    """Plan (and unless check_mode, write) the draft under out_dir; returns the plan of fileio.plan_files."""
    files = render_files(draft)
    root = os.path.abspath(out_dir)
    plan = plan_files(root, files, diff_lines=len(files) if diff else 0)
    if not check_mode and (plan["created"] or plan["changed"]):
        write_files(root, files, None, plan)
    plan["files"] = sorted(files)
    return plan
