"""Shared inputs of the rules: the structured configs, built once per check run.

Rules compare the two derived sides of a shared fact (the host's bond and the
leaf's port-channel, the two ends of a BGP session).  Both sides come from
the design stage; ``switches(model, facts)``, ``nodes(...)`` and
``clusters(...)`` read the structured configs ``design()`` builds once per
site and keeps on the facts object (the renderers read the same dicts), so
twenty rules do not design the site twenty times.
Tests put a hand-broken config into the same cache to show that a rule
catches a disagreement the model itself cannot express.
"""

from __future__ import annotations

from ..design import design

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
        cache["switches"] = dict(sorted(design(model, facts)["switches"].items()))
    return cache["switches"]


def nodes(model, facts) -> dict:
    """{(cluster, node): node structured config}."""
    cache = _cache(facts)
    if "nodes" not in cache:
        designed = design(model, facts)["nodes"]
        cache["nodes"] = {(c["name"], n["name"]): designed[n["name"]]
                          for c in model.clusters.values() for n in c["nodes"]
                          if (c["name"], n["name"]) in facts.node_links}
    return cache["nodes"]


def clusters(model, facts) -> dict:
    cache = _cache(facts)
    if "clusters" not in cache:
        cache["clusters"] = dict(sorted(design(model, facts)["clusters"].items()))
    return cache["clusters"]


def node_path(cluster: str, node: str) -> str:
    return f"clusters[{cluster}].nodes[{node}]"


def leaf_path(model, leaf: str) -> str:
    return model.leaves[leaf]["path"] if leaf in model.leaves else f"fabric.spines[{leaf}]"


def cluster_underlay_network(model, cluster):
    """The network the cluster's own overlay and default route use: its first management network."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)
