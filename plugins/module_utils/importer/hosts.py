"""The ESXi hosts as a draft cluster of platform ``vmware``: hosts, vSwitches, uplinks, cabling.

One cluster per vCenter cluster (hosts outside a cluster form one per
datacenter).  Each vSwitch the hosts' physical NICs (vmnics) are uplinks of
becomes a ``vswitches`` entry: its uplinks (the vmnic names, the same on
every host), its teaming (the policy the bond profiles read too) and MTU.
The cluster's networks are the drafted networks whose port groups sit on
those switches.  Which leaf port each vmnic is cabled to is only known when
the source has a CDP/LLDP neighbour for it (a vCenter's network hints; an
RVTools export has none): otherwise the cable is left ``"?"`` and the
report lists the decision (docs/migration.md).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model.schema import TEAMING
from .conflicts import Conflict

UNKNOWN_CABLE = "?"
_LABEL = re.compile(r"[^a-z0-9-]+")
_NUMBER = re.compile(r"(\d+)")


def dns_label(text: str, fallback: str = "x") -> str:
    """A DNS-1123 label for a vCenter name (cluster, host short name, switch system name)."""
    label = _LABEL.sub("-", text.strip().lower()).strip("-")
    label = re.sub(r"-{2,}", "-", label)[:63].rstrip("-")
    return label or fallback


def short_name(host: str) -> str:
    """The host name without its domain (esx001.dc1.example.net -> esx001); an address stays whole."""
    return host if re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+", host) else host.split(".", 1)[0]


def natural(text: str):
    """Sort key: vmnic2 before vmnic10."""
    return [int(part) if part.isdigit() else part for part in _NUMBER.split(text)]


def cable_from_neighbor(neighbor) -> str:
    """'leaf:port' from a CDP/LLDP neighbour (system name, port id), or "?" when the source has none."""
    if not neighbor or not neighbor[0] or not neighbor[1]:
        return UNKNOWN_CABLE
    return f"{dns_label(short_name(neighbor[0]))}:{neighbor[1]}"


def draft_clusters(estate, groups, pg_network, networks, teaming, switch_mtu, conflicts):
    """(draft clusters, {vCenter cluster name: model cluster name}) of the hosts the estate describes.

    ``teaming`` is {(kind, switch): (policy, lacp switch record or None)} as the bond profiles use it;
    ``switch_mtu`` {(kind, switch): MTU}; ``groups`` the unified port groups, ``pg_network`` port group
    name -> drafted network name, ``networks`` the drafted networks by name.
    """
    by_cluster = defaultdict(list)
    for host in estate.hosts:
        by_cluster[host.cluster or f"{host.datacenter or 'standalone'}-hosts"].append(host)
    nics = defaultdict(list)
    for nic in estate.host_nics:
        nics[nic.host].append(nic)
    standard = {(sw.host, sw.name) for sw in estate.switches if sw.kind == "standard"}
    distributed = {sw.name for sw in estate.switches if sw.kind == "distributed"} | {
        g["switch"] for g in groups.values() if g["kind"] == "distributed"}
    names, node_names, out, renamed = set(), set(), [], {}
    for vc_cluster in sorted(by_cluster):
        hosts = sorted(by_cluster[vc_cluster], key=lambda h: natural(h.name))
        name = dns_label(vc_cluster, "vmware")
        while name in names:
            name += "-2"
        names.add(name)
        renamed[vc_cluster] = name
        uplinks = defaultdict(dict)   # (kind, switch) -> {host: [vmnic, ...]}
        for host in hosts:
            for nic in nics.get(host.name, ()):
                if not nic.switch:
                    continue  # an unused vmnic
                kind = "standard" if (host.name, nic.switch) in standard else \
                    "distributed" if nic.switch in distributed else None
                if kind is None:
                    conflicts.append(Conflict("host_uplinks", f"host {host.name} {nic.device}",
                                              f"uplink of switch '{nic.switch}', which no vSwitch/dvSwitch row describes",
                                              (nic.origin,)))
                    continue
                uplinks[(kind, nic.switch)].setdefault(host.name, []).append(nic)
        vswitches = [_vswitch(key, per_host, hosts, teaming, switch_mtu, conflicts)
                     for key, per_host in sorted(uplinks.items(), key=lambda kv: (kv[0][0] != "distributed", kv[0][1]))]
        on_switches = set(uplinks)
        host_names = {h.name for h in hosts}
        carried = set()
        for group in groups.values():
            key = (group["kind"], group["switch"])
            if key in on_switches and (group["kind"] == "distributed" or host_names & set(group["hosts"])):
                if group["name"] in pg_network:
                    carried.add(pg_network[group["name"]])
        cluster = {"name": name, "platform": "vmware",
                   "description": f"ESXi hosts of vCenter cluster {vc_cluster} (import draft)",
                   "networks": sorted(carried, key=lambda n: (networks[n]["vlan"], n)),
                   "vswitches": vswitches, "nodes": []}
        unknown = []
        for node_id, host in enumerate(hosts, 1):
            node_name = dns_label(short_name(host.name), f"esx{node_id}")
            while node_name in node_names:
                node_name += "-2"
            node_names.add(node_name)
            if node_name != host.name:
                conflicts.append(Conflict("renamed", f"host {host.name}", f"'{host.name}' -> '{node_name}'", (host.origin,)))
            cables = {}
            mine = [nic for vs in vswitches for nic in uplinks[(vs["kind"], vs["name"])].get(host.name, ())]
            for nic in sorted(mine, key=lambda n: natural(n.device)):
                cables[nic.device] = cable_from_neighbor(nic.neighbor)
                if cables[nic.device] == UNKNOWN_CABLE:
                    unknown.append((host, nic))
                else:
                    conflicts.append(Conflict("cabled_from_neighbor", f"host {host.name} {nic.device}",
                                              f"{cables[nic.device]} from {nic.neighbor[2]} ({nic.neighbor[0]} port "
                                              f"{nic.neighbor[1]})", (nic.origin,)))
            cluster["nodes"].append({"name": node_name, "id": node_id, "nics": cables})
        if unknown:
            hosts_seen = sorted({h.name for h, _nic in unknown}, key=natural)
            conflicts.append(Conflict(
                "uplink_cabling", f"cluster {name}",
                f"{len(unknown)} uplink(s) on {len(hosts_seen)} host(s) with no CDP/LLDP neighbour in the source "
                f"({', '.join(f'{h.name} {n.device}' for h, n in unknown[:6])}{' ...' if len(unknown) > 6 else ''}): "
                f"cabled '{UNKNOWN_CABLE}' in the draft", tuple(n.origin for _h, n in unknown[:20])))
        out.append(cluster)
    return out, renamed


def _vswitch(key, per_host, hosts, teaming, switch_mtu, conflicts):
    kind, switch = key
    devices = sorted({n.device for nics in per_host.values() for n in nics}, key=natural)
    differing = [h for h in hosts if {n.device for n in per_host.get(h.name, ())} not in (set(), set(devices))]
    if differing:
        conflicts.append(Conflict(
            "host_uplinks", f"switch {switch}",
            "uplinks differ between hosts: " + "; ".join(
                f"{h.name} {', '.join(sorted((n.device for n in per_host[h.name]), key=natural))}" for h in differing)
            + f" (the draft lists {', '.join(devices)}; the model needs the same vmnics on every host)",
            tuple(n.origin for h in differing for n in per_host[h.name])[:20]))
    policy, lacp = teaming.get(key, ("", None))
    entry = {"name": switch, "kind": kind, "uplinks": devices,
             "teaming": policy if policy in TEAMING else "loadbalance_srcid"}
    if policy == "lacp" and lacp is not None:
        entry["lacp"] = {"mode": "passive" if lacp.lacp_mode == "passive" else "active",
                         "rate": "fast" if lacp.lacp_timeout == "fast" else "slow"}
    entry["mtu"] = min(max(switch_mtu.get(key, 1500), 1280), 9000)
    return entry
