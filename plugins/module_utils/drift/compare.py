"""Running state against intent, with the rules of the model checks.

``drift(model, facts, designed, running)`` lays the parsed running records over copies of
the site facts (switch side: ``host_ports``, ``port_channels``) and of the designed node
configs (host side: bond, NIC MTUs, VLAN interfaces, VM VLANs), runs every registered rule
on the result and returns the findings the intent alone does not have: a trunk missing a
VLAN ("Cluster network missing on a node or leaf port"), a native VLAN on one end, a member
without its port-channel ("LACP on one end only"), a rate mismatch, an MTU below the host's
-- each with the model path of one end and the other under ``related``, as on a model. Devices the running
state does not cover keep their designed values.

``running`` is {"switches": {name: {"ethernet_interfaces": [...], "port_channels": [...], "bgp": {...}}},
"hosts": {node name: {"bonds": {...}, "nics": [...], "vlan_interfaces": [...], "bridges": [...],
"bridge_mappings": [...]}},
"enactments": [{"node", "policy", "applied", "reason", "message"}]} -- what the parsers of this
package return.
"""

from __future__ import annotations

import copy

from ..checks import run_checks
from ..checks import drift as drift_rules
from ..findings import sort_findings
from ..vlans import compress_vlans

# Host-port fields the rules read, and how a running record names them.
_PORT_FIELDS = ("mode", "allowed_vlans", "native_vlan", "mtu")


def _channel_id(intent_channels: dict, members: list, fallback):
    """The designed port-channel id whose members the running channel has (names differ per platform)."""
    for cid, chan in intent_channels.items():
        if set(chan.get("members", [])) & set(members):
            return cid
    return fallback


def overlay_switch(facts, leaf: str, record: dict) -> list:
    """Lay one switch's running ports over ``facts`` (copied by the caller); notes on what is absent."""
    ports = facts.host_ports.get(leaf, {})
    intent_channels = facts.port_channels.get(leaf, {})
    running = {p["name"]: p for p in record.get("ethernet_interfaces", [])}
    channels = {}
    for idx, chan in enumerate(record.get("port_channels", [])):
        cid = _channel_id(intent_channels, chan.get("members", []), chan.get("id") or f"running-{idx}")
        channels[cid] = chan
    notes = []
    for name, port in ports.items():
        run = running.get(name)
        if run is None or run.get("shutdown"):
            port.update(mode=None, allowed_vlans=[], native_vlan=None, channel=None)
            notes.append(f"{leaf} {name} is {'shut down' if run else 'not in the running config'}")
            continue
        for key in _PORT_FIELDS:
            if key in run:
                port[key] = run[key]
        member_of = next((cid for cid, chan in channels.items() if name in chan.get("members", [])), None)
        port["channel"] = None if member_of is None else {
            "id": member_of, "name": channels[member_of].get("name") or f"channel {member_of}"}
    new_channels = {}
    for cid, chan in channels.items():
        base = dict(intent_channels.get(cid, {"id": cid}))
        base.update({k: chan[k] for k in _PORT_FIELDS + ("lacp", "lacp_rate", "members") if k in chan})
        base["id"], base["name"] = cid, chan.get("name") or base.get("name") or f"channel {cid}"
        new_channels[cid] = base
    facts.port_channels[leaf] = new_channels
    return notes


def overlay_bgp(switch_cfg: dict, bgp: dict) -> None:
    """Lay a switch's running BGP (own AS, peer groups' and neighbors' remote AS) over its designed config (a copy)."""
    switch_cfg["asn"] = bgp.get("asn")
    designed = switch_cfg.get("bgp") or {}
    groups = {g["name"]: g for g in bgp.get("peer_groups", [])}
    running = {n["ip"] or n["interface"]: n for n in bgp.get("neighbors", [])}
    peer_groups = []
    for group in designed.get("peer_groups", []):
        live = groups.get(group["name"])
        peer_groups.append({**group, "remote_as": live["remote_as"] if live else None})
    neighbors = []
    for neighbor in designed.get("neighbors", []):
        live = running.get(neighbor.get("ip") or neighbor.get("interface"))
        if live is not None:   # a neighbor the running config lacks is simply not there
            neighbors.append({**neighbor, "peer_group": live["peer_group"], "remote_as": live["remote_as"]})
    switch_cfg["bgp"] = {**designed, "peer_groups": peer_groups, "neighbors": neighbors}


def _overlay_bond(designed: dict, running) -> dict:
    """A designed bond with the running one's mode, members, MTU and options (no bond: nothing runs)."""
    if running is None:
        return {**designed, "mode": None, "ports": [], "options": {}}
    return {**designed, "mode": running.get("mode"), "ports": list(running.get("ports", [])), "mtu": running.get("mtu"),
            "options": {k: v for k, v in (running.get("options") or {}).items() if v is not None}}


def _allows(vlans, vid) -> bool:
    return vlans is None or vid in vlans


def vm_vlans(node_cfg: dict, record: dict, ove: dict | None):
    """The VLANs a running node hands to its VMs over its VM uplink, or None when the model does not say how.

    OVE: the uplink is the VM bond (dedicated layout) or the cluster bond (shared: under br-ex);
    a VM network reaches it when the running bridge whose port the uplink is carries the
    network's NAD -- through a bridge mapping of the NAD's localnet (or, from 4.18, its
    physical network) for OVN localnet, by the bridge's name for the bridge CNI -- and the
    port's VLAN filter lets the NAD's VLAN through.  Other nodes: the VLANs a bridge port that
    is the bond trunks, if any bridge has the bond as a port.
    """
    bond = node_cfg.get("vm_bond") or node_cfg.get("bond")
    if not bond:
        return None
    uplinks = [(b["name"], p["vlans"]) for b in record.get("bridges", ()) for p in b["ports"] if p["name"] == bond["name"]]
    if not ove:
        trunks = [vlans for _name, vlans in uplinks if vlans is not None]
        return sorted({v for vlans in trunks for v in vlans}) if trunks else None
    mapped = {}
    for mapping in record.get("bridge_mappings", ()):
        mapped.setdefault(mapping["bridge"], set()).add(mapping["localnet"])
    carried = set()
    for nad in ove.get("nads") or ():
        for bridge, vlans in uplinks:
            if nad["cni"] == "localnet":
                reaches = (nad["physical_network"] or nad["localnet"]) in mapped.get(bridge, ())
            else:
                reaches = nad["bridge"] == bridge
            if reaches and _allows(vlans, nad["vlan"]):
                carried.add(nad["vlan"])
    return sorted(carried)


def overlay_host(node_cfg: dict, record: dict, ove: dict | None = None) -> None:
    """Lay one host's running state over its designed node config (a copy); ``ove``: its cluster's OVE section."""
    bonds = record.get("bonds") or ({record["bond"]["name"]: record["bond"]} if record.get("bond") else {})
    if node_cfg.get("bond"):
        name = node_cfg["bond"]["name"]
        node_cfg["bond"] = _overlay_bond(node_cfg["bond"], bonds.get(name))
    if node_cfg.get("vm_bond"):
        node_cfg["vm_bond"] = _overlay_bond(node_cfg["vm_bond"], bonds.get(node_cfg["vm_bond"]["name"]))
    mtus = {nic["name"]: nic.get("mtu") for nic in record.get("nics", [])}
    for nic in node_cfg.get("nics") or []:
        if nic["name"] in mtus and mtus[nic["name"]] is not None:
            nic["mtu"] = mtus[nic["name"]]
    running = {v["vlan"]: v for v in record.get("vlan_interfaces", [])}
    kept = []
    for iface in node_cfg.get("vlan_interfaces") or []:
        run = running.get(iface["vlan"])
        if run is not None:
            kept.append({**iface, "mtu": run.get("mtu", iface.get("mtu"))})
    node_cfg["vlan_interfaces"] = kept
    if "vm_vlans" in node_cfg:
        carried = vm_vlans(node_cfg, record, ove)
        if carried is not None:
            node_cfg["vm_vlans"] = compress_vlans(carried) if carried else ""


def _key(finding) -> tuple:
    return (finding.rule, finding.path, finding.message)


def drift(model, facts, designed, running: dict, today=None) -> dict:
    """{"findings": drift findings (sorted), "notes": what the running state lacks, "intent": findings of the model}."""
    intent, _waived = run_checks(model, facts, designed, today)
    live = copy.copy(facts)
    live.host_ports = copy.deepcopy(facts.host_ports)
    live.port_channels = copy.deepcopy(facts.port_channels)
    live_design = dict(designed)
    live_design["nodes"] = dict(designed["nodes"])
    live_design["switches"] = dict(designed["switches"])
    notes = []
    for leaf, record in sorted(running.get("switches", {}).items()):
        if leaf not in facts.host_ports and leaf not in facts.switches:
            notes.append(f"{leaf} is not a switch of the model")
            continue
        if "ethernet_interfaces" in record:
            notes += overlay_switch(live, leaf, record)
        if record.get("bgp") and leaf in designed["switches"]:
            cfg = copy.deepcopy(designed["switches"][leaf])
            overlay_bgp(cfg, record["bgp"])
            live_design["switches"][leaf] = cfg
    for node, record in sorted(running.get("hosts", {}).items()):
        if node not in designed["nodes"]:
            notes.append(f"{node} is not a node of the model")
            continue
        cfg = copy.deepcopy(designed["nodes"][node])
        overlay_host(cfg, record, (designed.get("clusters", {}).get(cfg.get("cluster")) or {}).get("ove"))
        live_design["nodes"][node] = cfg
    after, _waived = run_checks(model, live, live_design, today)
    known = {_key(f) for f in intent}
    found = [f for f in after if _key(f) not in known]
    found += _enactments(model, running.get("enactments", []))
    return {"findings": sort_findings(found), "notes": notes, "intent": intent}


def _enactments(model, enactments) -> list:
    paths = {n["name"]: f"clusters[{c['name']}].nodes[{n['name']}]" for c in model.clusters.values() for n in c["nodes"]}
    out = []
    for entry in enactments:
        if entry["applied"]:
            continue
        out.append(drift_rules.NOT_APPLIED.at(
            paths.get(entry["node"], f"nodes[{entry['node']}]"),
            f"NodeNetworkConfigurationPolicy {entry['policy']} is not applied on {entry['node']}: {entry['reason']}"
            + (f" ({entry['message']})" if entry["message"] else ""),
            "read the enactment (oc get nnce), fix the node or the policy, and apply again"))
    return out
