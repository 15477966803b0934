"""The design stage: the whole model -> every device's structured config."""

from __future__ import annotations

from .clusters import cluster_config
from .facts import site_facts
from .hosts import node_config
from .services import services
from .switches import switch_config
from .waves import waves_design


def design(model, facts=None) -> dict:
    """Structured config of every device: {"switches": {...}, "nodes": {...}, "clusters": {...}, "services": {...}}.

    Built once per site facts: the checks and the renderers read the same dicts.
    """
    facts = facts or site_facts(model)
    if getattr(facts, "structured", None) is not None:
        return facts.structured
    out = {"switches": {}, "nodes": {}, "clusters": {}}
    for name in facts.switches:
        out["switches"][name] = switch_config(model, facts, name)
    for cluster in model.clusters.values():
        out["clusters"][cluster["name"]] = cluster_config(model, facts, cluster["name"])
        for node in cluster["nodes"]:
            out["nodes"][node["name"]] = node_config(model, facts, cluster["name"], node["name"])
    out["services"] = services(model, facts)  # DNS records and zones, DHCP scopes, relays, RA (docs/dns_dhcp.md)
    out["waves"] = waves_design(model, facts)
    facts.structured = out
    return out
