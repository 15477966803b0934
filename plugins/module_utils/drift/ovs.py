"""Open vSwitch ports of a lab leaf (``ovs-vsctl --format=json list Port`` / ``list Interface``) -> switch records.

In the FRR + Open vSwitch lab a leaf's layer 2 is an OVS bridge: a port with one interface
is a switch port, a port with several (or with LACP on) is a port-channel whose interfaces
are its members. OVS semantics: an empty ``trunks`` set carries every VLAN; ``tag`` is the access
VLAN, or the native VLAN in ``native-untagged``/``native-tagged`` mode; ``lacp`` is
active/passive/off and ``other_config:lacp-time`` fast/slow.
"""

from __future__ import annotations

import json

from ..errors import DcnetError

ALL_VLANS = list(range(1, 4095))


def _value(cell):
    """OVSDB JSON cell -> Python: ["set", [...]] -> list, ["map", [[k, v]]] -> dict, ["uuid", u] -> u."""
    if isinstance(cell, list) and len(cell) == 2 and cell[0] in ("set", "map", "uuid", "named-uuid"):
        kind, body = cell
        if kind == "set":
            return [_value(v) for v in body]
        if kind == "map":
            return {_value(k): _value(v) for k, v in body}
        return body
    return cell


def rows(text_or_doc) -> list:
    doc = json.loads(text_or_doc) if isinstance(text_or_doc, str) else text_or_doc
    if not isinstance(doc, dict) or "headings" not in doc or "data" not in doc:
        raise DcnetError("expected the output of ovs-vsctl --format=json list ...")
    return [dict(zip(doc["headings"], (_value(c) for c in row))) for row in doc["data"]]


def set_values(value) -> list:
    """A set column: OVSDB writes a one-element set as the bare element, an empty one as []."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def scalar(value, default=None):
    """An optional column: OVSDB writes an empty optional value as [] (``default`` then), a set one as the bare value."""
    if isinstance(value, list):
        return value[0] if value else default
    return value


def parse_ovs(ports_json, interfaces_json, skip=()) -> dict:
    """{"ethernet_interfaces": [...], "port_channels": [...]} of one OVS leaf; ``skip`` names ports to ignore."""
    ifaces = {row["_uuid"]: row for row in rows(interfaces_json)}
    ethernets, channels = [], []
    for port in sorted(rows(ports_json), key=lambda r: r["name"]):
        if port["name"] in skip:
            continue
        members = [ifaces[u] for u in set_values(port.get("interfaces")) if u in ifaces]
        if any(m.get("type") == "internal" for m in members):
            continue
        mode = scalar(port.get("vlan_mode")) or ("access" if scalar(port.get("tag")) is not None else "trunk")
        tag = scalar(port.get("tag"))
        trunks = sorted(int(v) for v in set_values(port.get("trunks")))
        record = {"name": port["name"], "mtu": None, "description": "", "shutdown": False}
        mtus = {scalar(m.get("mtu")) or scalar(m.get("mtu_request")) for m in members}
        record["mtu"] = min((m for m in mtus if m), default=None)
        if mode == "access":
            record.update(mode="access", allowed_vlans=[tag] if tag is not None else [1], native_vlan=None)
        else:
            allowed = trunks or list(ALL_VLANS)
            native = tag if mode in ("native-untagged", "native-tagged") else None
            if native is not None and native not in allowed:
                allowed = sorted(set(allowed) | {native})
            record.update(mode="trunk", allowed_vlans=allowed, native_vlan=native)
        lacp = scalar(port.get("lacp")) or "off"
        if len(members) > 1 or scalar(port.get("bond_mode")) or lacp != "off":   # LACP makes a one-link channel too
            rate = (port.get("other_config") or {}).get("lacp-time", "slow")
            channel = {**record, "id": None, "members": sorted(m["name"] for m in members),
                       "lacp": None if lacp == "off" else lacp, "lacp_rate": rate if lacp != "off" else None}
            channels.append(channel)
            for member in members:
                ethernets.append({**record, "name": member["name"], "mtu": scalar(member.get("mtu")) or record["mtu"],
                                  "channel": {"id": None, "name": port["name"], "lacp": channel["lacp"],
                                              "lacp_rate": channel["lacp_rate"]}})
        else:
            name = members[0]["name"] if members else port["name"]
            ethernets.append({**record, "name": name, "channel": None})
    return {"ethernet_interfaces": ethernets, "port_channels": channels}
