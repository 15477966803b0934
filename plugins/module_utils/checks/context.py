"""Shared inputs of the rules: the structured configs, built once per check run.

Rules compare the two derived sides of a shared fact (the host's bond and the
leaf's port-channel, the two ends of a BGP session).  Both sides come from
the design stage; ``switches(model, facts)``, ``nodes(...)`` and
``clusters(...)`` build every device's structured config once and keep it on
the facts object, so twenty rules do not design the site twenty times.
Tests put a hand-broken config into the same cache to show that a rule
catches a disagreement the model itself cannot express.
"""

from __future__ import annotations

from ..design.clusters import cluster_config
from ..design.hosts import node_config
from ..design.switches import switch_config

_CACHE = "_check_configs"


def _cache(facts) -> dict:
    cache = getattr(facts, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(facts, _CACHE, cache)
    return cache


def switches(model, facts) -> dict:
    cache = _cache(facts)
    if "switches" not in cache:
        cache["switches"] = {name: switch_config(model, facts, name) for name in sorted(facts.switches)}
    return cache["switches"]


def nodes(model, facts) -> dict:
    """{(cluster, node): node structured config}."""
    cache = _cache(facts)
    if "nodes" not in cache:
        cache["nodes"] = {(c["name"], n["name"]): node_config(model, facts, c["name"], n["name"])
                          for c in model.clusters.values() for n in c["nodes"]
                          if (c["name"], n["name"]) in facts.node_links}
    return cache["nodes"]


def clusters(model, facts) -> dict:
    cache = _cache(facts)
    if "clusters" not in cache:
        cache["clusters"] = {name: cluster_config(model, facts, name) for name in sorted(model.clusters)}
    return cache["clusters"]


def node_path(cluster: str, node: str) -> str:
    return f"clusters[{cluster}].nodes[{node}]"


def leaf_path(model, leaf: str) -> str:
    return model.leaves[leaf]["path"] if leaf in model.leaves else f"fabric.spines[{leaf}]"


def cluster_underlay_network(model, cluster):
    """The network the cluster's own overlay and default route use: its first management network."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)
