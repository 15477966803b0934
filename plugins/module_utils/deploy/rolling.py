# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Rolling deploy of the switches: which batch each switch is in, and the gate after a batch.

Four batches, always in this order, each followed by the post-deploy checks of
the fabric before the next one starts:

1. spines with an odd id, 2. spines with an even id (the other half keeps
   every leaf's uplinks and ECMP up),
3. side a of every leaf pair (the first leaf listed), 4. side b.

So both leaves of an MLAG/vPC/CLAG pair are never changed at once (their hosts'
bonds keep one member up) and never both spines of a two-spine fabric.  The
batch is a fact of the structured config (role, id, the pair's side), so the
same build tree always gives the same plan.
"""

from __future__ import annotations

from .. import platforms as platform_table

BATCHES = ("spines (odd ids)", "spines (even ids)", "leaves (side a of each pair)", "leaves (side b of each pair)")


def batch_of(structured: dict) -> int:
    """The batch (1..4) of a switch from its structured config."""
    ident = int(structured.get("id") or 0)
    if structured.get("role") == "spine":
        return 1 if ident % 2 else 2
    # leaf ids are 2*rack-1 (side a) and 2*rack (side b)
    return 3 if ident % 2 else 4


def plan(structured_configs: dict) -> list:
    """[{batch, name, devices}] for {device: structured config}, batches without devices left out."""
    out = []
    for index, name in enumerate(BATCHES, start=1):
        devices = sorted(d for d, s in structured_configs.items() if batch_of(s) == index)
        if devices:
            out.append({"batch": index, "name": name, "devices": devices})
    return out


def pairs_split(structured_configs: dict) -> list:
    """Pairs whose two leaves fall into one batch (always empty; a test holds the plan to it)."""
    wrong = []
    for name, config in structured_configs.items():
        peer = (config.get("mlag") or {}).get("peer")
        if peer in structured_configs and batch_of(structured_configs[peer]) == batch_of(config) and name < peer:
            wrong.append((name, peer))
    return wrong


def underlay_neighbors(structured: dict) -> list:
    """The fabric sessions a switch must have Established after its deploy: [{peer, family}].

    MetalLB sessions are left out: the cluster may not run yet, and the
    cluster's own deploy checks them.
    """
    out = []
    for n in (structured.get("bgp") or {}).get("neighbors") or []:
        if n.get("kind") == "underlay":
            out.append({"peer": n.get("interface") or n["ip"], "family": n.get("family")})
    return out


def gate_checks(structured: dict) -> dict:
    """{commands, wait_for}: the eos_command / nxos_command arguments of a switch's gate (FRR: fabric_state)."""
    name = structured.get("platform")
    # the platform row names the show command of one session and what it prints when the session is up
    syntax = platform_table.get(name).bgp_session_show if name in platform_table.names() else ()
    if not syntax:
        return {"commands": [], "wait_for": []}
    command, expect = syntax
    commands = [command.format(peer=n["peer"], family=n["family"] or 4) for n in underlay_neighbors(structured)]
    return {"commands": commands, "wait_for": [f"result[{i}] contains {expect}" for i in range(len(commands))]}


NOT_DEPLOYED = "not_deployed_yet"


def _owners(structured_configs: dict) -> dict:
    """{fabric link address or (device, interface): device} to find the switch at the far end of a session."""
    owner = {}
    for device, config in structured_configs.items():
        for link in config.get("fabric_links") or []:
            for key in ("ipv4", "ipv6"):
                if link.get(key):
                    owner[link[key].split("/")[0]] = device
            owner[(device, link["interface"])] = link.get("peer")
        for loopback in config.get("loopbacks") or []:
            for key in ("ipv4", "ipv6"):
                if loopback.get(key):
                    owner[loopback[key].split("/")[0]] = device
    return owner


def gate_view(structured_configs: dict, deployed) -> dict:
    """The structured configs of the ``deployed`` switches, as the gate after a batch checks them.

    A fabric session toward a switch not deployed yet (a leaf of batch 4 while
    batch 1 is checked, or the MLAG mate of a leaf of batch 3) cannot be up on a new fabric, so it is marked
    ``not_deployed_yet``: reported, not required.  Routes are only expected via
    the deployed switches, because the state checks derive them from the
    switches they are given.
    """
    deployed = set(deployed)
    owner = _owners(structured_configs)
    view = {}
    for device in sorted(deployed & set(structured_configs)):
        config = dict(structured_configs[device])
        bgp = dict(config.get("bgp") or {})
        neighbors = []
        for n in bgp.get("neighbors") or []:
            peer = owner.get((device, n["interface"])) if n.get("interface") else owner.get(str(n.get("ip")))
            if n.get("kind") == "mlag":   # the pair's iBGP peering over the peer VLAN: its far end is the mate
                peer = (config.get("mlag") or {}).get("peer")
            if n.get("kind") in ("underlay", "mlag") and peer not in deployed:
                n = {**n, "kind": NOT_DEPLOYED}
            neighbors.append(n)
        bgp["neighbors"] = neighbors
        config["bgp"] = bgp
        # next hops over these links (toward switches not deployed yet, running or not) are neither
        # required nor refused by the gate: their state is not what this batch changed
        config["undeployed_interfaces"] = sorted(link["interface"] for link in config.get("fabric_links") or []
                                                 if link.get("peer") not in deployed)
        view[device] = config
    return view


def rollout(structured_configs: dict) -> dict:
    """The whole rolling plan: batches, and per batch the gate's view and EOS/NX-OS gate commands."""
    batches = plan(structured_configs)
    deployed, gates = set(), []
    for index in range(1, len(BATCHES) + 1):
        # every batch number has a gate, an empty batch the same as the one before it
        deployed |= {d for b in batches if b["batch"] == index for d in b["devices"]}
        view = gate_view(structured_configs, deployed)
        gates.append({"batch": index, "deployed": sorted(deployed), "structured": view,
                      "checks": {d: gate_checks(view[d]) for d in sorted(view)}})
    return {"batches": batches, "gates": gates, "split_pairs": pairs_split(structured_configs)}
