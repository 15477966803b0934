"""Structured config of an MLAG/vPC/CLAG pair member: peer link, peer VLAN, keepalive, reload delay.

The pair's routed iBGP peering over the peer VLAN is a BGP session of the site
facts (kind ``mlag``); the routing section renders it like every other session.
"""

from __future__ import annotations

from .. import platforms
from .azure_local import tor_local_vlans
from .management import vrf_name


def _keepalive(model, facts, sw):
    """Peer keepalive / heartbeat path: the management ports (default) or the loopbacks in the default VRF."""
    peer = facts.switches[sw["peer"]]
    mine, theirs = sw.get("management") or {}, peer.get("management") or {}
    if model.fabric["mlag"]["keepalive"] == "management" and mine.get("ipv4") and theirs.get("ipv4"):
        return {"via": "management", "source": mine["ipv4"].split("/")[0], "destination": theirs["ipv4"].split("/")[0],
                "vrf": vrf_name(model, sw["platform"])}
    return {"via": "loopback", "source": sw["loopback4"], "destination": peer["loopback4"], "vrf": "default"}


def mlag_config(model, facts, name):
    sw = facts.switches[name]
    if not sw.get("peer"):
        return {"mlag": None}
    plat = platforms.get(sw["platform"])
    ports = model.fabric["mlag"]["peer_link_ports"]
    pid = min(ports) if ports else 1
    delay = model.fabric["mlag"]["reload_delay"]
    vlan = sw["mlag_vlan"] or plat.mlag_peer_vlan
    return {"mlag": {
        "peer": sw["peer"], "domain_id": f"rack{sw['rack']}", "domain_number": sw["rack"], "vlan": vlan,
        "vlan_interface": plat.vlan_interface_name(vlan),
        "local_ip": sw["mlag"] and f"{sw['mlag']['local_ip']}/{sw['mlag']['prefixlen']}",
        "peer_ip": sw["mlag"] and sw["mlag"]["peer_ip"], "kind": plat.mlag_name,
        "peer_link": {"id": pid, "name": plat.port_channel_name(pid),
                      "members": [plat.ethernet_name(p) for p in ports],
                      "allowed_vlans": peer_link_vlans(facts, name)},  # data VLANs; the peer VLAN is "vlan"
        "system_mac": f"44:38:39:ff:{sw['rack'] // 256:02x}:{sw['rack'] % 256:02x}",
        # side a is the primary (vPC role priority, clagd-priority)
        "primary": sw["side"] == "a", "peer_loopback": facts.switches[sw["peer"]]["loopback4"],
        "keepalive": _keepalive(model, facts, sw),
        "reload_delay": {"mlag": delay["mlag"], "non_mlag": delay["non_mlag"]},
        "vtep": sw.get("vtep4"),
    }}


def pair_vlans(facts, name):
    """VLANs of a leaf: its own ports' plus its MLAG peer's (the peer link carries both), except the
    peer's ToR-local VLANs (Azure Local storage), which stay on the ToR whose ports carry them."""
    peer = facts.switches[name].get("peer")
    theirs = set(facts.leaf_vlans.get(peer, [])) - tor_local_vlans(facts.model) if peer else set()
    return sorted(set(facts.leaf_vlans.get(name, [])) | theirs)


def peer_link_vlans(facts, name):
    """What the MLAG peer link carries: the pair's VLANs without the ToR-local ones, and the handover VLANs
    (external peers on SVIs) both leaves carry."""
    peer = facts.switches[name].get("peer")
    handover = set(facts.edge.get("vlans", {}).get(name, {})) & set(facts.edge.get("vlans", {}).get(peer, {}))
    return sorted((set(pair_vlans(facts, name)) - tor_local_vlans(facts.model)) | handover)
