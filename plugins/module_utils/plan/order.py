# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Phase order from the dependencies between the changed objects, then batches inside each phase.

1. **Edges.**  For a changed object X and a changed provider P it needs (directly,
   or through host policies that do not change): both growing -> P before X; both
   shrinking -> X before P (users let go first).  Nothing else is ordered.  What
   each object needs is recorded by objects.py and hosts.py; two needs are added
   here, against the changed objects only: an SVI needs the routing policies that
   permit its subnet, and a host policy needs every fabric link that changes.
2. **Ranks.**  The rank of an object is the length of the longest chain of
   edges ending at it.
3. **Phases.**  Objects are taken rank by rank; a new phase starts when the
   domain changes (switch, host, cluster) or when an object needs something on
   *another* device of the current phase (a gate must stand between them).
   Steps on the same device stay in one phase: one commit of the device applies
   them in the config's own order.
4. **Batches.**  Switches: the rolling batches of deploy/rolling.py (odd spines,
   even spines, side a of every pair, side b), so both leaves of an MLAG pair
   are never changed together.  Hosts: at most ``maxUnavailable`` nodes of a
   cluster at a time.
"""

from __future__ import annotations

import math

from ..deploy import rolling
from . import objects
from .objects import CLUSTER, HOST, INSTALL, SWITCH

DOMAIN_ORDER = {SWITCH: 0, HOST: 1, CLUSTER: 2, "vm": 3, INSTALL: 4}


def _needs(obj_pair):
    """The provider keys of a change: the new object's for a growing change, the old one's for a shrinking."""
    old, new = obj_pair
    keys = set()
    for obj in (old, new):
        if obj:
            keys.update(obj["requires"])
    return keys


def edges(changes: list, old_objects: dict, new_objects: dict) -> dict:
    """{key: set of changed keys that must be applied before it}."""
    changed = {c["key"]: c for c in changes}
    memo = {}

    def reachable(key, seen):
        """Changed providers reachable from ``key`` through unchanged host policies.

        A cluster object (a NAD) needs its cluster's host policies; when those do not
        change (the VLAN is already on the VM bridge trunk), it needs what they need:
        the leaf ports.  Other unchanged objects are not passed through: a port that
        gains a VLAN does not wait for the policies of the VLANs it already carries.
        """
        if key in memo:
            return memo[key]
        found = set()
        obj = new_objects.get(key) or old_objects.get(key)
        if key[0] == HOST:
            for provider in (obj or {}).get("requires", ()):
                if provider in changed:
                    found.add(provider)
                elif provider not in seen:
                    seen.add(provider)
                    found |= reachable(provider, seen)
        memo[key] = found
        return found

    # the routing policies that change, by the prefixes they permit (an SVI needs those of its subnet)
    policies = objects.policy_index({k: c["old"] for k, c in changed.items() if c["old"]})
    for prefix, keys in objects.policy_index({k: c["new"] for k, c in changed.items() if c["new"]}).items():
        policies.setdefault(prefix, []).extend(keys)
    # a host's traffic to other racks crosses every leaf's and spine's fabric links: a host policy needs
    # the fabric links that change (their MTU goes up before the hosts', down after)
    links = {k for k in changed if k[2] == "fabric-link"}
    before = {key: set() for key in changed}
    for key, change in changed.items():
        providers = set(links) if key[0] == HOST else set()
        for obj in (change["old"], change["new"]):
            for prefix in (obj or {}).get("needs_prefixes") or ():
                providers.update(policies.get(prefix, ()))
        for provider in _needs((change["old"], change["new"])):
            if provider in changed:
                providers.add(provider)
            else:
                providers |= reachable(provider, {provider})
        providers.discard(key)
        for provider in providers:
            mine, theirs = _dir(change), _dir(changed[provider])
            if mine == "grow" and theirs == "grow":
                before[key].add(provider)
            elif mine == "shrink" and theirs == "shrink":
                before[provider].add(key)
    return before


def _dir(change):
    return "shrink" if change["direction"] == "shrink" else "grow"


def ranks(before: dict) -> tuple:
    """({key: rank}, [keys left in a cycle]) by longest path; a cycle is reported, never looped on."""
    rank, state, cyclic = {}, {}, []

    def visit(key, stack):
        if state.get(key) == "done":
            return rank[key]
        if state.get(key) == "open":
            cyclic.append(key)
            return 0
        state[key] = "open"
        rank[key] = 0
        for provider in sorted(before[key]):
            rank[key] = max(rank[key], visit(provider, stack) + 1)
        state[key] = "done"
        return rank[key]

    for key in sorted(before):
        visit(key, [])
    return rank, sorted(set(cyclic))


def phases(changes: list, before: dict, rank: dict) -> list:
    """[[change, ...], ...]: the changed objects cut into phases (see the module docstring)."""
    out = []
    current, in_current, domain = [], set(), None
    for change in sorted(changes, key=lambda c: (rank[c["key"]], DOMAIN_ORDER[c["key"][0]], c["key"])):
        key = change["key"]
        crosses = any(p in in_current and p[1] != key[1] for p in before[key])
        if current and (key[0] != domain or crosses):
            out.append(current)
            current, in_current = [], set()
        current.append(change)
        in_current.add(key)
        domain = key[0]
    if current:
        out.append(current)
    return out


# --------------------------------------------------------------------------------------------- batches
def switch_batches(devices: list, configs: dict, batching: str = "rolling") -> list:
    """[[device, ...], ...]: the rolling batches, or every device at once with ``batching='site'``."""
    if batching == "site":
        return [sorted(devices)]
    groups = {}
    for device in devices:
        groups.setdefault(rolling.batch_of(configs[device]), []).append(device)
    return [sorted(groups[b]) for b in sorted(groups)]


def max_unavailable(value, node_count: int) -> int:
    """kubernetes-nmstate's maxUnavailable as a node count: an integer, or a percentage rounded down (>= 1)."""
    if value is None:
        return max(1, math.floor(node_count * 0.1))
    text = str(value).strip()
    if text.endswith("%"):
        return max(1, math.floor(node_count * float(text[:-1]) / 100))
    return max(1, int(text))


def host_batches(changes: list, cluster_sizes: dict, limit_override=None) -> list:
    """[{cluster, nodes, objects, limit}]: per cluster, policies grouped so no batch holds more nodes than
    the cluster's maxUnavailable (or ``limit_override``).  A policy for many nodes (a group NNCP, Network
    ATC intents) is a batch of its own: its operator rolls it out (``rolled_by`` says who and how)."""
    out = []
    by_cluster = {}
    for change in changes:
        obj = change["new"] or change["old"]
        by_cluster.setdefault(obj.get("cluster"), []).append(change)
    for cluster in sorted(by_cluster, key=str):
        items = by_cluster[cluster]
        obj0 = items[0]["new"] or items[0]["old"]
        limit = limit_override or max_unavailable(obj0.get("max_unavailable"), cluster_sizes.get(cluster, 1))
        batch, count = [], 0
        for change in sorted(items, key=lambda c: c["key"]):
            obj = change["new"] or change["old"]
            nodes = obj.get("nodes") or []
            if obj.get("rolled_by"):   # one policy for many nodes: its operator rolls it out
                if batch:
                    out.append({"cluster": cluster, "changes": batch, "limit": limit})
                out.append({"cluster": cluster, "changes": [change], "limit": limit, "rolled_by": obj["rolled_by"]})
                batch, count = [], 0
                continue
            size = len(nodes)
            if batch and count + size > limit:
                out.append({"cluster": cluster, "changes": batch, "limit": limit})
                batch, count = [], 0
            batch.append(change)
            count += size
        if batch:
            out.append({"cluster": cluster, "changes": batch, "limit": limit})
    return out
