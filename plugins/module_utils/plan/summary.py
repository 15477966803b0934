# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""What a plan tells first: the model-level change and the blast radius.

The model change compares the two loaded models by name (networks, clusters and
their networks, nodes, switches, BGP sessions); the blast radius counts what the
phases touch: devices, ports, sessions, nodes, VMs, and names every removed
object that carries traffic.
"""

from __future__ import annotations

from .objects import CLUSTER, HOST, SWITCH

# Object kinds whose removal takes traffic off something.
TRAFFIC_KINDS = ("vlan", "port", "vni", "peer-link", "fabric-link", "bgp-neighbor", "nncp", "nmstate", "atc-intents")


def _by_name(items):
    return {i["name"]: i for i in items}


def _section(old: dict, new: dict, ignore=()) -> dict:
    added = sorted(set(new) - set(old), key=str)
    removed = sorted(set(old) - set(new), key=str)
    changed = {}
    for name in sorted(set(old) & set(new), key=str):
        a, b = old[name], new[name]
        keys = sorted(k for k in set(a) | set(b) if k not in ignore and a.get(k) != b.get(k))
        if keys:
            changed[str(name)] = keys
    return {"added": [str(a) for a in added], "removed": [str(r) for r in removed], "changed": changed}


def _sessions(facts):
    out = {}
    for s in facts.sessions:
        name = f"{s['a']['device']}~{s['b']['device']} ({s['kind']}, ipv{s['family']})"
        out[name] = {"asn_a": s["a"]["asn"], "asn_b": s["b"]["asn"], "ip_a": s["a"]["ip"], "ip_b": s["b"]["ip"],
                     "bfd": s["bfd"]}
    return out


def model_change(old_model, new_model, old_facts, new_facts) -> dict:
    """{section: {added, removed, changed: {name: [fields]}}} for the sections a day-2 change touches."""
    out = {
        "networks": _section(old_model.networks, new_model.networks),
        "clusters": _section(old_model.clusters, new_model.clusters, ignore=("nodes",)),
        "nodes": _section({f"{c}/{n}": v for (c, n), v in old_model.nodes.items()},
                          {f"{c}/{n}": v for (c, n), v in new_model.nodes.items()}),
        "switches": _section({**old_model.spines, **old_model.leaves}, {**new_model.spines, **new_model.leaves},
                             ignore=("pair",)),
        "fabric": _section({"fabric": {k: v for k, v in old_model.fabric.items() if k not in ("spines", "leaf_pairs")}},
                           {"fabric": {k: v for k, v in new_model.fabric.items() if k not in ("spines", "leaf_pairs")}}),
        "bgp_sessions": _section(_sessions(old_facts), _sessions(new_facts)),
    }
    vlans_old = {n["vlan"] for n in old_model.networks.values()}
    vlans_new = {n["vlan"] for n in new_model.networks.values()}
    out["vlans"] = {"added": sorted(vlans_new - vlans_old), "removed": sorted(vlans_old - vlans_new)}
    cluster_nets = {}
    for name in sorted(set(old_model.clusters) & set(new_model.clusters)):
        before, after = set(old_model.clusters[name]["networks"]), set(new_model.clusters[name]["networks"])
        if before != after:
            cluster_nets[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
    out["cluster_networks"] = cluster_nets
    return {k: v for k, v in out.items() if any(v.values()) if isinstance(v, dict)}


def touched_networks(change: dict) -> set:
    nets = set(change.get("networks", {}).get("added", [])) | set(change.get("networks", {}).get("removed", []))
    nets |= set(change.get("networks", {}).get("changed", {}))
    for delta in change.get("cluster_networks", {}).values():
        nets |= set(delta["added"]) | set(delta["removed"])
    return nets


def vms_on(model, networks, clusters=None) -> list:
    """Names of the VMs (dcnet_vms) with a NIC on one of ``networks`` (and, if given, in one of ``clusters``)."""
    out = []
    for vm in model.vms.values():
        if clusters is not None and vm.get("cluster") not in clusters:
            continue
        if any(nic.get("network") in networks for nic in vm.get("nics") or []):
            out.append(vm["name"])
    return sorted(out)


def blast_radius(changes: list, change: dict, old_model, new_model) -> dict:
    """Counts and names of what the plan touches (see the module docstring)."""
    switches, ports, sessions, nodes, removed = set(), [], [], set(), []
    for c in changes:
        domain, device, kind, name = c["key"]
        obj = c["new"] or c["old"]
        if domain == SWITCH:
            switches.add(device)
            if kind == "port":
                ports.append(f"{device} {name}")
            if kind == "bgp-neighbor":
                sessions.append(f"{device} -> {name}")
        elif domain == HOST:
            nodes.update(obj.get("nodes") or [])
        if kind in TRAFFIC_KINDS and (c["action"] == "remove" or c["direction"] in ("shrink", "mixed")):
            removed.append({"object": "/".join(str(k) for k in c["key"][1:]), "action": c["action"],
                            "direction": c["direction"]})
    nets = touched_networks(change)
    vms = sorted(set(vms_on(old_model, nets)) | set(vms_on(new_model, nets)))
    clusters = {(c["new"] or c["old"]).get("cluster") for c in changes if c["key"][0] in (HOST, CLUSTER)}
    return {"switches": sorted(switches), "ports": sorted(ports), "sessions": sorted(sessions), "nodes": sorted(nodes),
            "clusters": sorted(x for x in clusters if x), "vms": vms,
            "counts": {"switches": len(switches), "ports": len(ports), "sessions": len(sessions), "nodes": len(nodes),
                       "vms": len(vms)},
            "removes_traffic": bool(removed), "traffic_removed": removed}
