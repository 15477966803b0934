"""What ``nmstatectl show`` reports on an OVE node that runs exactly the rendered artifacts.

An OVE node's ``hosts/<node>.nmstate.yml`` is its install-time network only. Installed, the node
reports that network as configure-ovs leaves it (the machine-network interface a port of br-ex, the
addresses on br-ex's internal interface: ``installed_state`` of the post-install tests), plus what its
NodeNetworkConfigurationPolicies add -- the node group's (VM bond and bridge, bridge mappings) and its
own (VLAN interfaces with addresses), merged in that order. Those tests prove with nmstate's own
library that the policies only add; this merge is the same addition, so the drift tests need no
download.
"""

from __future__ import annotations

import copy

import yaml

from ove.test_nmstate_apply import _node_policies, installed_state  # pylint: disable=import-error


def _merge(state: dict, desired: dict) -> None:
    """Merge one policy's desiredState into ``state`` the way nmstate merges a partial state."""
    by_key = {(i["name"], i.get("type")): i for i in state["interfaces"]}
    for iface in desired.get("interfaces", ()):
        key = (iface["name"], iface.get("type"))
        if key in by_key:
            by_key[key].update(copy.deepcopy(iface))
        else:
            state["interfaces"].append(copy.deepcopy(iface))
    mappings = (desired.get("ovn") or {}).get("bridge-mappings") or []
    if mappings:
        have = state.setdefault("ovn", {}).setdefault("bridge-mappings", [])
        for mapping in mappings:
            have[:] = [m for m in have if m["localnet"] != mapping["localnet"]]
            if mapping.get("state", "present") != "absent":
                have.append({"localnet": mapping["localnet"], "bridge": mapping["bridge"]})


def node_show(files: dict, cluster: str, node: str) -> dict:
    """The running NMState of ``node`` (an OVE node of ``cluster``) from a site's rendered files."""
    agent = yaml.safe_load(files[f"ove/{cluster}/install/agent-config.yaml"])
    host = next(h for h in agent["hosts"] if h["hostname"].split(".")[0] == node)
    state, _under = installed_state(host["networkConfig"])
    for _name, desired in _node_policies(files, cluster, host["hostname"]):
        _merge(state, desired)
    return state


def show_text(files: dict, cluster: str, node: str) -> str:
    return yaml.safe_dump(node_show(files, cluster, node), sort_keys=False)
