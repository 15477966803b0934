"""Which rendered files of examples/dc1 are golden files (tests/unit/golden/dc1/), and how they are rendered.

One switch of every platform and role the site has (EOS spine and leaf, NX-OS
leaf, FRR leaf with its ifupdown2 file, and the FRR leaf of the shared-NIC OVE
layout), one node of each kind (OVE on dedicated VM NICs, OVE on the shared
NIC, Linux, Azure Local) with its NMState where it has one, and the structured
configs of all of them and of every cluster; of each OVE cluster every file but
the other NADs, VM patches, segmentation policies and per-node NNCPs (one
namespace and one VM network of each); the provider handover documents.  ``tests/tools/regen_dc1.py`` (``make regen``)
rewrites them; review the diff.
"""

from __future__ import annotations

import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "dc1")
INVENTORY = os.path.join(ROOT, "examples", "dc1", "inventory")

SWITCHES = ("spine1", "leaf01a", "leaf09a", "leaf11a", "leaf12a", "leaf13a")  # EOS spine/leaf, NX-OS, FRR, FRR of ove-edge, EOS border
NODES = ("w001", "e01", "infra1", "azl-a-n01")            # OVE dedicated, OVE shared, Linux, Azure Local
CLUSTERS = ("ove-prod", "ove-edge", "infra", "azl-a", "azl-b")
# Of each OVE cluster: the namespace whose VM patches and policies are golden, the VM network whose NADs are.
OVE_SAMPLE = {"ove-prod": ("app00", "vm-100"), "ove-edge": ("app01", "vm-292")}
PREPARED = ("azl-a-n01", "azl-b-n01")                     # Azure Local pre-registration: adapters, vNIC


def selected(path: str) -> bool:
    parts = path.split("/")
    if parts[0] in ("switches", "catalogues"):
        return parts[1].split(".")[0] in SWITCHES
    if parts[0] == "structured":
        return parts[-1][:-4] in (CLUSTERS if parts[1] == "clusters" else SWITCHES + NODES)
    if parts[0] == "hosts":
        return parts[1].split(".")[0] in NODES
    if parts[0] == "handover":                          # the provider handover (esc), Markdown and JSON
        return True
    if parts[0] == "azure_local":
        return parts[1] in CLUSTERS and (parts[2] != "prepare" or parts[3][:-4] in PREPARED)
    if parts[0] == "ove":
        name = parts[-1]
        if parts[1] not in OVE_SAMPLE:
            return False
        namespace, network = OVE_SAMPLE[parts[1]]
        if parts[2] in ("vms", "segmentation"):          # one namespace of each
            return name == f"{namespace}.yaml"
        if name.startswith("30-nad-"):
            return name in (f"30-nad-vm-networks-{network}.yaml", f"30-nad-{namespace}-{network}.yaml")
        if name.startswith("11-nncp-"):
            return name.split("-")[-1][:-5] in NODES
        return True
    return False


def inventory_vars() -> dict:
    from example_models import inventory_vars_of  # pylint: disable=import-outside-toplevel  # parsed once per process

    return inventory_vars_of(INVENTORY)


def rendered(result=None) -> dict:
    """{path: text} of the golden selection, from ``result`` (a pipeline.build of dc1) or freshly rendered."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # pylint: disable=import-outside-toplevel

    result = result or pipeline.build(inventory_vars())
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert not errors, errors
    return {path: text for path, text in result["files"].items() if selected(path)}


def committed() -> dict:
    out = {}
    for path in sorted(glob.glob(os.path.join(GOLDEN, "**", "*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                out[os.path.relpath(path, GOLDEN)] = handle.read()
    return out
