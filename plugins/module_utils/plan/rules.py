# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The plan rules (checks/plan.py) on the ordered phases: batches, VMs still attached, BFD kept."""

from __future__ import annotations

from ..checks import plan as rules
from .order import max_unavailable


def _pairs(batch, configs):
    out = []
    for device in batch["devices"]:
        peer = ((configs.get(device) or {}).get("mlag") or {}).get("peer")
        if peer in batch["devices"] and device < peer:
            out.append((device, peer))
    return out


def _cluster_limit(model, cluster):
    cfg = model.clusters.get(cluster) or {}
    value = (cfg.get("ove") or {}).get("nncp_max_unavailable") if cfg.get("platform") == "ove" else None
    value = None if value is None else str(value)
    return max_unavailable(value, len(cfg.get("nodes") or [])), value or "10%"


def plan_findings(phases, old, new, change, opts) -> list:
    out = []
    configs = {**old["design"]["switches"], **new["design"]["switches"]}
    for phase in phases:
        for index, batch in enumerate(phase.get("batches") or [], start=1):
            if phase["domain"] == "switch":
                for a, b in _pairs(batch, configs):
                    out.append(rules.PAIR_IN_ONE_BATCH.at(
                        configs[a].get("model_path") or f"fabric.leaf_pairs[{configs[a].get('rack')}]",
                        f"phase '{phase['title']}' batch {index} changes both {a} and {b} of one MLAG pair",
                        "keep plan_switch_batching=rolling (side a, then side b)", related=(b,)))
            elif phase["domain"] == "host" and not batch.get("rolled_by"):
                limit, value = _cluster_limit(new["model"], batch["cluster"])
                if len(batch["nodes"]) > limit:
                    out.append(rules.TOO_MANY_NODES.at(
                        f"clusters[{batch['cluster']}]",
                        f"phase '{phase['title']}' batch {index} reconfigures {len(batch['nodes'])} nodes at once; "
                        f"maxUnavailable {value} allows {limit}",
                        f"set plan_node_batch to at most {limit}"))
    for cluster, delta in sorted(change.get("cluster_networks", {}).items()):
        gone = set(delta["removed"])
        for vm in new["model"].vms.values():
            if vm.get("cluster") != cluster:
                continue
            for nic in vm.get("nics") or []:
                if nic.get("network") in gone:
                    out.append(rules.VLAN_STILL_USED.at(
                        f"vms[{vm['name']}].nics[{nic['name']}].network",
                        f"the plan removes network {nic['network']} from cluster {cluster} while this NIC still uses it",
                        "move or detach the VM first, then plan the removal", related=(f"clusters[{cluster}].networks",)))
    before = {_session(s): s for s in old["facts"].sessions}
    for s in new["facts"].sessions:
        was = before.get(_session(s))
        if was is not None and was["bfd"] and not s["bfd"]:
            out.append(rules.BFD_DROPPED.at(
                "fabric.bfd", f"session {s['a']['device']} - {s['b']['device']} (ipv{s['family']}) loses BFD",
                "keep fabric.bfd.enabled, or waive if dropping BFD is the change"))
    return out


def _session(s):
    return (s["kind"], s["a"]["device"], s["b"]["device"], s["family"])
