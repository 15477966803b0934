"""Migration waves: what each wave moves and what must exist before it does.

For every wave: its VMs (named, or selected by application), each NIC's
network before and after (``network_map``) and its addresses after
(``readdress``), the networks the target must carry, the coexistence (per
network: the leaves of the VMs' current hosts, e.g. the VMware cluster, and
of the target nodes that carry its VLAN while both run; a network kept across
the wave is stretched over both), and the target objects: MTV NetworkMap
entries (OVE), the logical networks (Azure Local) or the handover list
(provider).

An MTV Plan migrates into one ``targetNamespace``, and MTV refuses a Plan whose
NetworkMap points at a NetworkAttachmentDefinition outside that namespace (or
``default``): a KubeVirt VM can only use NADs of its own namespace.  So a wave
to OVE gets one NetworkMap per namespace its VMs land in (``vm_namespace_of``),
each mapping to the NADs of that namespace, which the ove target renders there.

Dangling references are skipped here: the wave rules (checks/waves.py)
report them with their paths.
"""

from __future__ import annotations

import ipaddress

from .vm_placement import vm_namespace_of, wave_vms


def carrying_leaves(facts) -> dict:
    """{(cluster, network): sorted leaves whose host ports toward the cluster's nodes carry the network}."""
    out = {}
    for leaf, ports in facts.host_ports.items():
        for port in ports.values():
            for net in port["networks"]:
                out.setdefault((port["cluster"], net), set()).add(leaf)
    return {key: sorted(leaves) for key, leaves in out.items()}


def _coexistence(model, nics, carried_by, target_cluster) -> list:
    """Per network of the wave: the leaves of each side that carry it while the VMs' hosts and the target both run.

    Source side: the clusters the VMs run on today (``vms[].cluster``, e.g. the VMware hosts) for the NIC's
    network before the wave; target side: the target cluster for its network after.  A network a NIC keeps
    (no ``network_map``) is stretched over both sides; ``missing`` names a side whose leaves do not carry it.
    """
    entries = {}
    for nic in nics:
        vm_cluster = model.vms[nic["vm"]]["cluster"]
        for side, net, cluster in (("source", nic["source_network"], vm_cluster),
                                   ("target", nic["target_network"], target_cluster)):
            if net not in model.networks:
                continue
            entry = entries.setdefault(net, {"name": net, "vlan": model.networks[net]["vlan"], "source": {},
                                             "target": {}, "stretched": False})
            if cluster in model.clusters:
                entry[side].setdefault(cluster, set()).add(nic["vm"])
        if nic["source_network"] and nic["source_network"] == nic["target_network"]:
            entries[nic["source_network"]]["stretched"] = True
    out = []
    for net in sorted(entries, key=lambda n: (entries[n]["vlan"], n)):
        entry = entries[net]
        row = {"name": net, "vlan": entry["vlan"], "stretched": entry["stretched"], "missing": []}
        for side in ("source", "target"):
            row[f"{side}_clusters"] = sorted(entry[side])
            row[f"{side}_leaves"] = sorted({lf for c in entry[side] for lf in carried_by.get((c, net), ())})
            for cluster in sorted(entry[side]):
                listed = net in model.clusters[cluster]["networks"]
                if not listed and (side == "target" or not model.clusters[cluster]["vswitches"]):
                    continue  # a target (or OVE/Azure Local host) not listing the network: their own VM/wave rules say so
                if not carried_by.get((cluster, net)):
                    row["missing"].append({"side": side, "cluster": cluster, "vms": sorted(entry[side][cluster])})
        out.append(row)
    return out


def _inside(addr, prefix) -> bool:
    return bool(prefix) and ipaddress.ip_address(addr) in ipaddress.ip_network(prefix)


def _nic_plan(model, wave, vm, nic):
    source = nic["network"]
    target = wave["network_map"].get(source, source) if source else None
    new = wave["readdress"].get(vm["name"], {}).get(nic["name"], {})
    after = {}
    net = model.networks.get(target or "")
    for fam in ("ipv4", "ipv6"):
        if new.get(fam):
            after[fam] = [new[fam]]
        else:
            after[fam] = list(nic[fam])
    changes = [{"family": fam, "address": addr,
                "target_prefix": net[fam] if net else None}
               for fam in ("ipv4", "ipv6") if not new.get(fam)
               for addr in nic[fam] if net is not None and target != source and not _inside(addr, net[fam])]
    return {"vm": vm["name"], "nic": nic["name"], "mac": nic["mac"], "source_network": source,
            "target_network": target, "addresses": {"ipv4": list(nic["ipv4"]), "ipv6": list(nic["ipv6"])},
            "addresses_after": after, "readdressed": bool(new), "unannounced_changes": changes}


def wave_config(model, wave, carried_by=None) -> dict:
    target = wave["target"]
    cluster = model.clusters.get(target["cluster"] or "")
    platform = cluster["platform"] if cluster else ("provider" if target["provider"] else None)
    vms = [model.vms[name] for name in wave_vms(model, wave)]
    nics = [_nic_plan(model, wave, vm, nic) for vm in vms for nic in vm["nics"]]
    needed = sorted({n["target_network"] for n in nics if n["target_network"] in model.networks})
    carried = set(cluster["networks"]) if cluster else set()
    source_clusters = sorted({vm["cluster"] for vm in vms if vm["cluster"] in model.clusters})
    networks = []
    for name in needed:
        net = model.networks[name]
        sources = sorted({n["source_network"] for n in nics if n["target_network"] == name and n["source_network"]})
        networks.append({"name": name, "vlan": net["vlan"], "ipv4": net["ipv4"], "ipv6": net["ipv6"], "mtu": net["mtu"],
                         "sources": sources, "on_target": name in carried or cluster is None})
    per_network = _coexistence(model, nics, carried_by or {}, target["cluster"] if cluster else None)
    stretched = [n for n in per_network if n["stretched"]]
    out = {"name": wave["name"], "start": wave["start"], "path": f"waves[{wave['name']}]",
           "target": {"cluster": target["cluster"], "provider": target["provider"], "platform": platform},
           "vms": [vm["name"] for vm in vms], "nics": nics, "networks": networks,
           "missing_on_target": [n["name"] for n in networks if not n["on_target"]],
           "coexistence": {"source_clusters": source_clusters, "networks": per_network,
                           "leaves": sorted({lf for n in stretched for lf in n["source_leaves"] + n["target_leaves"]}),
                           "vlans": sorted({n["vlan"] for n in stretched})}}
    if platform == "ove":
        out["network_maps"] = _network_maps(model, cluster, wave, vms, nics)
        mtv = cluster["ove"]["mtv"]
        out["mtv"] = {"namespace": mtv["namespace"], "source": mtv["source_provider"],
                      "destination": mtv["destination_provider"]}
    return out


def wave_namespaces(model, cluster, vms) -> dict:
    """{namespace: [VM names]} of the VMs a wave moves to the OVE ``cluster``, by the namespace they land in."""
    out = {}
    for vm in vms:
        out.setdefault(vm_namespace_of(model, cluster, vm), []).append(vm["name"])
    return dict(sorted(out.items()))


def _network_maps(model, cluster, wave, vms, nics) -> list:
    """One MTV NetworkMap per namespace of the wave's VMs: its VMs and its entries (to NADs of that namespace)."""
    maps = []
    for namespace, names in wave_namespaces(model, cluster, vms).items():
        members = set(names)
        entries = _map_entries(model, namespace, [n for n in nics if n["vm"] in members])
        maps.append({"name": f"{wave['name']}-{namespace}", "namespace": namespace, "vms": names, "entries": entries})
    return maps


def _map_entries(model, namespace, nics) -> list:
    """NetworkMap entries: every source port group of a source network -> the target network's NAD in ``namespace``."""
    pairs = sorted({(n["source_network"], n["target_network"]) for n in nics
                    if n["source_network"] in model.networks and n["target_network"] in model.networks})
    entries = []
    for source, target in pairs:
        port_groups = model.networks[source]["port_groups"] or [{"name": source, "id": None, "switch": ""}]
        for pg in port_groups:
            src = {"name": pg["name"]}
            if pg.get("id"):
                src["id"] = pg["id"]
            entries.append({"source": src, "destination": {"type": "multus", "name": target, "namespace": namespace},
                            "network": source, "target_network": target})
    return entries


def waves_design(model, facts=None) -> dict:
    """{wave name: wave config} for every wave of the model."""
    if not model.waves:
        return {}
    carried_by = carrying_leaves(facts) if facts is not None else {}
    return {wave["name"]: wave_config(model, wave, carried_by) for wave in model.waves.values()}
