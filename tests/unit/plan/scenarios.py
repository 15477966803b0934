"""The day-2 scenarios the plan tests run on examples/dc1 (shared by the tests and docs/day2.md)."""

from __future__ import annotations

import copy
import functools

from errors.harness import example

VLAN500 = {"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.65.244.0/24", "ipv6": "fd00:65:244::/64",
           "mtu": 1500, "description": "new application tier"}


@functools.lru_cache(maxsize=None)
def _dc1():
    return example("dc1")


def dc1() -> dict:
    return copy.deepcopy(_dc1())


def with_vlan500(raw=None, cluster="ove-prod") -> dict:
    raw = copy.deepcopy(raw) if raw is not None else dc1()
    raw["networks"].append(dict(VLAN500))
    next(c for c in raw["clusters"] if c["name"] == cluster)["networks"].append("vm-500")
    return raw


def with_mtu(raw, network, mtu) -> dict:
    raw = copy.deepcopy(raw)
    next(n for n in raw["networks"] if n["name"] == network)["mtu"] = mtu
    return raw


def without_spine(raw, name="spine4") -> dict:
    """The site one spine short: adding it back is a peer change (a BGP session with BFD from every leaf)."""
    raw = copy.deepcopy(raw)
    raw["fabric"]["spines"] = [s for s in raw["fabric"]["spines"] if s["name"] != name]
    return raw


def jumbo_levels(raw, fabric_mtu, bond_mtu) -> dict:
    """The underlay (fabric.mtu: spine-leaf links, leaf ports) and the hosts' bonds at other MTUs."""
    raw = copy.deepcopy(raw)
    raw["fabric"]["mtu"] = fabric_mtu
    for profile in raw["bond_profiles"].values():
        profile["mtu"] = bond_mtu
    return raw
