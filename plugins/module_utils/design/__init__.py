"""The design stage: the whole model -> every device's structured config."""

from __future__ import annotations

from .clusters import cluster_config
from .facts import site_facts
from .handover import handover_design
from .hosts import cluster_nodes
from .segmentation import segmentation
from .services import services
from .switches import switch_config
from .waves import waves_design


def design(model, facts, services_too: bool = True) -> dict:
    """Structured config of every device: {"switches": {...}, "nodes": {...}, "clusters": {...}, "services": {...}}.

    The pipeline calls it once per run, before the checks; the checks and the
    renderers read the same dicts.  A cluster's nodes are designed before the
    cluster (its OVE section groups nodes with equal NMState into one policy).
    """
    out = {"switches": {}, "nodes": {}, "clusters": {}}
    for name in facts.switches:
        out["switches"][name] = switch_config(model, facts, name)
    for cluster in model.clusters.values():
        nodes = cluster_nodes(model, facts, cluster["name"])
        out["clusters"][cluster["name"]] = cluster_config(model, facts, cluster["name"], nodes)
        out["nodes"].update(nodes)
    if not services_too:   # a day-2 plan's running side: its devices and what their files read (plan/__init__.py)
        out["segmentation"] = segmentation(model)
        return out
    out["services"] = services(model, facts, out)  # DNS records and zones, DHCP scopes, relays, RA (docs/dns_dhcp.md)
    out["waves"] = waves_design(model, facts)
    out["handover"] = handover_design(model, facts, out)  # per provider peer, from the border's own design
    out["segmentation"] = segmentation(model)
    return out


__all__ = ["design", "site_facts"]
