"""EOS and NX-OS ``show running-config`` text -> the switch records of the structured config.

Parsed with ciscoconfparse2 (indentation-aware, kept up to date for both syntaxes), then
read line by line per interface: what the rules compare is the port's mode, allowed and
native VLANs, MTU, and port-channel membership with its LACP mode and rate.

* A trunk without ``switchport trunk allowed vlan`` allows 1-4094 (both platforms).
* NX-OS continues a long VLAN list with ``switchport trunk allowed vlan add ...``.
* A VLAN allowed on a trunk but not created (``vlan N``) forwards nothing: it is left out
  of ``allowed_vlans`` and listed under ``undefined_vlans``.
* The LACP rate is set on member ports (EOS ``lacp timer fast``, NX-OS ``lacp rate fast``)
  and reported on the port-channel too when every member agrees.
"""

from __future__ import annotations

import re

from .. import platforms
from ..errors import DcnetError
from ..vlans import expand_vlans

try:
    from ciscoconfparse2 import CiscoConfParse
except ImportError:  # pragma: no cover - reported when a running config is parsed
    CiscoConfParse = None

ALL_VLANS = list(range(1, 4095))
_PORT_CHANNEL = re.compile(r"^interface\s+(?:Port-Channel|port-channel)(\d+)\s*$")
_ETHERNET = re.compile(r"^interface\s+(Ethernet\S+)\s*$")


def _need_parser():
    if CiscoConfParse is None:
        raise DcnetError("drift of EOS/NX-OS configs needs the Python package ciscoconfparse2 "
                         "(pip install -r requirements.txt)")


def _port(lines, platform):
    port = {"mode": "access", "allowed_vlans": [], "native_vlan": None, "access_vlan": 1, "mtu": platform.default_port_mtu,
            "channel": None, "description": "", "shutdown": False, "lacp_rate": "slow", "switchport": True}
    allowed = None
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] == "description":
            port["description"] = line.strip()[len("description"):].strip()
        elif words[:1] == ["mtu"] and len(words) == 2 and words[1].isdigit():
            port["mtu"] = int(words[1])
        elif words == ["no", "switchport"]:
            port["switchport"] = False
        elif words[:2] == ["switchport", "mode"] and len(words) == 3:
            port["mode"] = words[2]
        elif words[:4] == ["switchport", "trunk", "allowed", "vlan"]:
            rest = words[4:]
            if rest[:1] == ["add"]:
                allowed = (allowed or []) + _vlans(rest[1:])
            elif rest[:1] == ["remove"]:
                gone = set(_vlans(rest[1:]))
                allowed = [v for v in (ALL_VLANS if allowed is None else allowed) if v not in gone]
            elif rest == ["none"]:
                allowed = []
            elif rest == ["all"]:
                allowed = list(ALL_VLANS)
            else:
                allowed = _vlans(rest)
        elif words[:4] == ["switchport", "trunk", "native", "vlan"] and len(words) == 5 and words[4].isdigit():
            port["native_vlan"] = int(words[4])
        elif words[:3] == ["switchport", "access", "vlan"] and len(words) == 4 and words[3].isdigit():
            port["access_vlan"] = int(words[3])
        elif words[:1] == ["channel-group"] and len(words) >= 2 and words[1].isdigit():
            mode = words[3] if len(words) >= 4 and words[2] == "mode" else "on"
            port["channel"] = {"id": int(words[1]), "lacp": mode}
        elif words[:2] in (["lacp", "timer"], ["lacp", "rate"]) and len(words) == 3:
            port["lacp_rate"] = "fast" if words[2] == "fast" else "slow"
        elif words == ["shutdown"]:
            port["shutdown"] = True
    if not port["switchport"]:
        port["mode"] = "routed"
    if port["mode"] == "trunk":
        port["allowed_vlans"] = sorted(set(ALL_VLANS if allowed is None else allowed))
        native = 1 if port["native_vlan"] is None else port["native_vlan"]
        # untagged frames go to the native VLAN only when the trunk allows it
        port["native_vlan"] = native if native in port["allowed_vlans"] else None
    elif port["mode"] == "access":
        port["allowed_vlans"] = [port["access_vlan"]]
    return port


def _vlans(words):
    text = "".join(words)
    try:
        return expand_vlans(text)
    except Exception:  # noqa: BLE001 - a list we cannot read allows nothing we can vouch for
        return []


def parse_running_config(text: str, platform: str) -> dict:
    """{"ethernet_interfaces": [...], "port_channels": [...], "vlans": [ids]} of one switch."""
    table = platforms.get(platform)
    if not table.running_config:
        raise DcnetError(f"drift does not read {table.title} running configs as switch configs")
    _need_parser()
    parse = CiscoConfParse(text.splitlines(), syntax=table.running_config, ignore_blank_lines=True)
    vlans = set()
    for obj in parse.find_objects(r"^vlan\s+[0-9,-]+\s*$"):
        vlans.update(_vlans(obj.text.split()[1:]))
    ethernets, channels = [], {}
    for obj in parse.find_objects(r"^interface\s+"):
        lines = [child.text.strip() for child in obj.all_children]
        match = _ETHERNET.match(obj.text.strip())
        channel = _PORT_CHANNEL.match(obj.text.strip())
        if match:
            port = _port(lines, table)
            port["name"] = match.group(1)
            ethernets.append(port)
        elif channel:
            port = _port(lines, table)
            port["id"] = int(channel.group(1))
            port["name"] = obj.text.split(None, 1)[1].strip()
            channels[port["id"]] = port
    for port in ethernets:
        if port["channel"] is None:
            continue
        chan = channels.setdefault(port["channel"]["id"], {"id": port["channel"]["id"], "name": None, "missing": True})
        chan.setdefault("members", []).append(port["name"])
        chan.setdefault("member_rates", set()).add(port["lacp_rate"])
        chan["lacp"] = port["channel"]["lacp"]
        port["channel"]["lacp_rate"] = port["lacp_rate"]
    out_channels = []
    for cid in sorted(channels):
        chan = channels[cid]
        rates = chan.pop("member_rates", set())
        chan["lacp_rate"] = next(iter(rates)) if len(rates) == 1 else None
        chan.setdefault("members", [])
        chan.setdefault("lacp", None)
        out_channels.append(chan)
    for port in ethernets:   # a member forwards what its port-channel allows
        chan = channels.get(port["channel"]["id"]) if port["channel"] else None
        if chan is not None and not chan.get("missing"):
            port.update(mode=chan["mode"], allowed_vlans=list(chan["allowed_vlans"]), native_vlan=chan["native_vlan"])
    for port in ethernets + out_channels:
        if "allowed_vlans" in port and vlans:
            port["undefined_vlans"] = [v for v in port["allowed_vlans"] if v not in vlans and v != 1]
            port["allowed_vlans"] = [v for v in port["allowed_vlans"] if v in vlans or v == 1]
    return {"ethernet_interfaces": ethernets, "port_channels": out_channels, "vlans": sorted(vlans)}
