"""Migration waves: what each wave moves and what must exist before it does.

For every wave: its VMs (named, or selected by application), each NIC's
network before and after (``network_map``) and its addresses after
(``readdress``), the networks the target must carry, the leaves on both
sides that carry their VLANs while VMware and the target run side by side,
and the target objects: MTV NetworkMaps (OVE), the logical networks
(Azure Local) or the handover list (provider).

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

MTV_NAMESPACE = "openshift-mtv"
MTV_SOURCE_PROVIDER = "vmware"
MTV_DESTINATION_PROVIDER = "host"


def _cluster_leaves(model, cluster_name) -> list:
    cluster = model.clusters.get(cluster_name or "")
    if not cluster:
        return []
    return sorted({cable.partition(":")[0] for node in cluster["nodes"] for cable in node["nics"].values()})


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


def wave_config(model, wave) -> dict:
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
    coexistence = sorted({leaf for c in source_clusters for leaf in _cluster_leaves(model, c)}
                         | set(_cluster_leaves(model, target["cluster"])))
    out = {"name": wave["name"], "start": wave["start"], "path": f"waves[{wave['name']}]",
           "target": {"cluster": target["cluster"], "provider": target["provider"], "platform": platform},
           "vms": [vm["name"] for vm in vms], "nics": nics, "networks": networks,
           "missing_on_target": [n["name"] for n in networks if not n["on_target"]],
           "coexistence": {"source_clusters": source_clusters, "leaves": coexistence,
                           "vlans": sorted({n["vlan"] for n in networks})}}
    if platform == "ove":
        out["network_maps"] = _network_maps(model, cluster, wave, vms, nics)
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
    return {wave["name"]: wave_config(model, wave) for wave in model.waves.values()}
