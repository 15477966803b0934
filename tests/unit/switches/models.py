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


# small with tenants and a way out (docs/north_south.md): the OVE machine network (MetalLB peering, VIPs) in
# VRF infra, the VM networks in prod; rack 1 is the border pair with a WAN router on a sub-interface per VRF.
NORTH_SOUTH = {
    "vrfs": [{"name": "infra", "id": 1, "description": "machine networks and VIPs"},
             {"name": "prod", "id": 2, "description": "VM networks"}],
    "networks": {"mgmt": "infra", "vm-web": "prod", "vm-db": "prod"},
    "external_peers": [{"name": "wan1", "kind": "router", "description": "WAN edge router", "asn": 65500,
                        "attach": "subinterface", "links": [{"leaf": "leaf01a", "port": "swp47"},
                                                            {"leaf": "leaf01b", "port": "swp47"}],
                        "mtu": 1500, "password_var": "dcnet_wan_bgp_password",
                        "vrfs": [{"vrf": "infra", "vlan": 3101, "ipv4": "10.199.1.0/29", "ipv6": "fd00:199:1::/64"},
                                 {"vrf": "prod", "vlan": 3102, "ipv4": "10.199.2.0/29", "ipv6": "fd00:199:2::/64"}]}],
}


def add_north_south(v: dict) -> dict:
    """Put small's routed networks into VRFs and make rack 1 the border pair (NORTH_SOUTH)."""
    v["dcnet_vrfs"] = copy.deepcopy(NORTH_SOUTH["vrfs"])
    v["dcnet_external_peers"] = copy.deepcopy(NORTH_SOUTH["external_peers"])
    for net in v["dcnet_networks"]:
        if net["name"] in NORTH_SOUTH["networks"]:
            net["vrf"] = NORTH_SOUTH["networks"][net["name"]]
    v["dcnet_fabric"]["leaf_pairs"][0]["role"] = "border"
    return v


def small(platform: str = "frr", overlay: str | None = None, second_rack: bool = False, unnumbered: bool = False,
          north_south: bool = False) -> dict:
    """examples/small with every switch on ``platform`` (cables renamed to its port names), optionally with
    tenants and a border (NORTH_SOUTH)."""
    v = copy.deepcopy(inventory_vars(SMALL))
    if north_south:
        add_north_south(v)
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
