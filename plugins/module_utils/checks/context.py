"""Shared views of the design for the rules.

Rules compare the two derived sides of a shared fact (the host's bond and the
leaf's port-channel, the two ends of a BGP session).  Both sides come from the
design stage, which the pipeline runs once, before the checks, and hands to
every rule as ``design``; these helpers only give that dict the shape rules
iterate over.  Tests pass a hand-broken design to show that a rule catches a
disagreement the model itself cannot express.
"""

from __future__ import annotations


def switches(design) -> dict:
    return dict(sorted(design["switches"].items()))


def nodes(model, facts, design) -> dict:
    """{(cluster, node): node structured config} of every cabled node."""
    designed = design["nodes"]
    return {(c["name"], n["name"]): designed[n["name"]]
            for c in model.clusters.values() for n in c["nodes"]
            if (c["name"], n["name"]) in facts.node_links}


def clusters(design) -> dict:
    return dict(sorted(design["clusters"].items()))


def node_path(cluster: str, node: str) -> str:
    return f"clusters[{cluster}].nodes[{node}]"


def leaf_path(model, leaf: str) -> str:
    return model.leaves[leaf]["path"] if leaf in model.leaves else f"fabric.spines[{leaf}]"


def cluster_underlay_network(model, cluster):
    """The network the cluster's own overlay and default route use: its first management network."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)
