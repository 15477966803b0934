"""Which rendered files of examples/dc1 are golden files (tests/unit/golden/dc1/), and how they are rendered.

One switch of every platform and role the site has (EOS spine and leaf, NX-OS
leaf, FRR leaf with its ifupdown2 file), one node of each kind (OVE, Linux,
Azure Local) with its NMState where it has one, and the structured configs of
all of them and of every cluster; of the OVE cluster every file but the 199
other NADs and 119 other NNCPs.  ``tests/tools/regen_dc1.py`` (``make regen``)
rewrites them; review the diff.
"""

from __future__ import annotations

import glob
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "dc1")
INVENTORY = os.path.join(ROOT, "examples", "dc1", "inventory")

SWITCHES = ("spine1", "leaf01a", "leaf09a", "leaf11a")    # EOS spine, EOS leaf, NX-OS leaf, FRR leaf
NODES = ("w001", "infra1", "azl-a-n01")                   # OVE, Linux, Azure Local
CLUSTERS = ("ove-prod", "infra", "azl-a", "azl-b")
PREPARED = ("azl-a-n01", "azl-b-n01")                     # Azure Local pre-registration: adapters, vNIC


def selected(path: str) -> bool:
    parts = path.split("/")
    if parts[0] == "switches":
        return parts[1].split(".")[0] in SWITCHES
    if parts[0] == "structured":
        return parts[-1][:-4] in (CLUSTERS if parts[1] == "clusters" else SWITCHES + NODES)
    if parts[0] == "hosts":
        return parts[1].split(".")[0] in NODES
    if parts[0] == "azure_local":
        return parts[1] in CLUSTERS and (parts[2] != "prepare" or parts[3][:-4] in PREPARED)
    if parts[0] == "ove":
        name = parts[-1]
        if parts[2] in ("vms", "segmentation"):          # one namespace of each
            return name == "app00.yaml"
        if name.startswith("30-nad-"):
            return name in ("30-nad-vm-networks-vm-100.yaml", "30-nad-app00-vm-100.yaml")
        if name.startswith("11-nncp-"):
            return name == "11-nncp-ove-prod-w001.yaml"
        return True
    return False


def inventory_vars() -> dict:
    merged = {}
    for path in sorted(glob.glob(os.path.join(INVENTORY, "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            merged.update(yaml.safe_load(handle) or {})
    return merged


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
