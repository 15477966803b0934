"""A "Paths" table for the site report: a few representative flows, explained.

Chosen from the model, in a stable order: two VM networks of the first OVE cluster
(else linux) between a node of its first rack and one of another rack
(routed between VLANs, and bridged in one VLAN across racks when stretched),
two nodes of one rack on their management network, the way out of the
site (an external address), and, when the model has a VM inventory, two
inventory VMs by name on two nodes of the cluster they run in (or move to).
"""

from __future__ import annotations

from . import view
from .endpoints import PathError
from .engine import explain

EXTERNAL_SAMPLE = {4: "192.0.2.10", 6: "2001:db8::10"}     # documentation ranges (RFC 5737 / RFC 3849)


def _flows(model, facts):
    flows = []
    for cname in sorted(model.clusters, key=lambda c: (model.clusters[c]["platform"] != "ove", c)):
        cluster = model.clusters[cname]
        if cluster["platform"] == "azure_local" or not cluster["nodes"]:
            continue
        nodes = cluster["nodes"]
        racks = {}
        for node in nodes:
            link = view.node_link(facts, cname, node["name"])
            leaves = (link or {}).get("leaves") or []
            if leaves:
                racks.setdefault(view.switch(facts, leaves[0])["rack"], []).append(node["name"])
        if not racks:
            continue
        first = racks[min(racks)]
        other = racks[max(racks)] if len(racks) > 1 else first
        vm_nets = [n for n in cluster["networks"] if model.networks[n]["role"] == "vm"]
        if len(first) > 1:
            flows.append((first[0], first[1], None))
        if vm_nets and other[-1] != first[0]:
            flows.append((f"{vm_nets[0]}@{first[0]}", f"{vm_nets[-1]}@{other[-1]}", None))
            flows.append((f"{vm_nets[0]}@{first[0]}", f"{vm_nets[0]}@{other[-1]}", None))
        flows.append((first[0], EXTERNAL_SAMPLE[4], None))
        break
    return flows


def _vm_flow(model, design):
    """Two inventory VMs (by name, on different networks where possible) on the first and last node of the
    cluster each runs in or, when the model does not say, moves to in its first wave; None without VMs."""
    placed = []
    for name in view.vm_names(model):
        vm = view.vm(model, name)
        clusters = [vm["cluster"]] if vm["cluster"] in model.clusters else [m["cluster"] for m in view.vm_moves(design, name)]
        cluster = next((c for c in clusters if view.cluster_nodes(model, c)), None)
        networks = [n["network"] for n in vm["nics"] if n["network"]]
        if cluster and len(networks) == 1:
            placed.append((name, cluster, networks[0]))
    if len(placed) < 2:
        return None
    first = placed[0]
    second = next((p for p in placed[1:] if p[2] != first[2]), placed[1])
    return (f"{first[0]}@{view.cluster_nodes(model, first[1])[0]}", f"{second[0]}@{view.cluster_nodes(model, second[1])[-1]}",
            None)


def _devices(path):
    out = []
    for hop in path["hops"]:
        if not out or out[-1] != hop["device"]:
            out.append(hop["device"])
    return out


def report_rows(model, facts, design) -> list:
    """Rows (flow, direction, family, status, hops, path MTU, bottleneck, undecided) of the representative flows."""
    rows = []
    flows = _flows(model, facts)
    vm_flow = _vm_flow(model, design)
    for src, dst, network in flows + ([vm_flow] if vm_flow else []):
        try:
            explained = explain(model, facts, design, src, dst, network)
        except PathError as exc:
            rows.append({"flow": f"{src} -> {dst}", "direction": "", "family": "", "status": "error",
                         "hops": str(exc), "path MTU": "", "bottleneck": "", "not decided by the model": ""})
            continue
        for path in explained["paths"]:
            mtu = path["mtu"] or {}
            rows.append({"flow": f"{src} -> {dst}", "direction": path["direction"], "family": f"IPv{path['family']}",
                         "status": path["status"],
                         "hops": " > ".join(_devices(path)),
                         "path MTU": mtu.get("path_mtu", ""), "bottleneck": mtu.get("bottleneck", ""),
                         "not decided by the model": len(path["undecided"])})
    return rows
