"""examples/small and small in-memory variants of it (platform, overlay, a second rack)."""

from __future__ import annotations

import copy
import os

from example_models import built_example, inventory_vars_of

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SMALL = os.path.join(ROOT, "examples", "small", "inventory")
GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "small", "switches")
PORT_PREFIX = {"frr": "swp", "eos": "Ethernet", "nxos": "Ethernet1/"}


def inventory_vars(inventory: str) -> dict:
    """The merged group variables of an inventory folder (a fresh copy; tests/example_models.py parses it once)."""
    return inventory_vars_of(inventory)


def small(platform: str = "frr", overlay: str | None = None, second_rack: bool = False, unnumbered: bool = False) -> dict:
    """examples/small with every switch on ``platform`` (cables renamed to its port names). examples/small has
    tenants and a border pair (VRFs infra and prod, WAN router wan1), whose ports move with the platform too."""
    v = copy.deepcopy(inventory_vars(SMALL))
    fab = v["dcnet_fabric"]
    fab["platform"] = platform
    if overlay:
        fab["overlay"] = overlay
    if unnumbered:
        fab.setdefault("bgp", {})["unnumbered"] = True
    for cluster in v["dcnet_clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {nic: cable.replace(":swp", ":" + PORT_PREFIX[platform]) for nic, cable in node["nics"].items()}
    for peer in v.get("dcnet_external_peers", []):
        for link in peer["links"]:
            link["port"] = link["port"].replace("swp", PORT_PREFIX[platform])
    if second_rack:
        fab["leaf_pairs"].append({"rack": 2, "leaves": ["leaf02a", "leaf02b"]})
        ove = next(c for c in v["dcnet_clusters"] if c["platform"] == "ove")
        p = PORT_PREFIX[platform]
        ove["nodes"].append({"name": "ove-w3", "id": 3, "nics": {"ens1f0": f"leaf02a:{p}1", "ens1f1": f"leaf02b:{p}1"}})
    return v


def built_dc1() -> dict:
    """pipeline.build of examples/dc1 with every target, once per session (read-only; its switches/ files are
    those a build with targets=("switches",) renders)."""
    return built_example("dc1")


def build(variables: dict, targets=("structured", "switches")) -> dict:
    """The pipeline's in-memory result (files keyed by path under build/<site>/)."""
    return pipeline.build(variables, targets=list(targets))


def errors(result) -> list:
    return [f for f in result["findings"] if f["severity"] == "error"]


def switch_files(result) -> dict:
    return {k[len("switches/"):]: v for k, v in result["files"].items() if k.startswith("switches/")}
