"""Read rendered switch configs back: EOS/NX-OS with ciscoconfparse2, FRR's frr.conf and ifupdown2 file by hand.

Each reader returns the same plain shape so one set of assertions covers all
three platforms:
  ports:      {interface: {"channel": id|None, "vlans": set, "native": vid|None, "mtu": int|None}}
  channels:   {id: {"vlans": set, "native": vid|None, "mlag": id|None, "members": set}}
  neighbors:  {address or interface: remote ASN or peer group}
  vlans:      set of VLAN ids defined
"""

from __future__ import annotations

import re

from ansible_collections.dcnet.fabric.plugins.module_utils.vlans import expand_vlans


def _cisco(text, pc_re):
    from ciscoconfparse2 import CiscoConfParse

    parse = CiscoConfParse(text.splitlines(), syntax="ios")
    ports, channels, neighbors, vlans = {}, {}, {}, set()
    for obj in parse.find_objects(r"^vlan \d+$"):
        vlans.add(int(obj.text.split()[1]))
    for obj in parse.find_objects(r"^interface "):
        name = obj.text.split(None, 1)[1]
        kids = [c.text.strip() for c in obj.children]
        info = {"channel": None, "vlans": set(), "native": None, "mtu": None, "mlag": None, "lacp": None}
        for line in kids:
            if m := re.match(r"channel-group (\d+) mode (\S+)", line):
                info["channel"], info["lacp"] = int(m.group(1)), m.group(2)
            elif m := re.match(r"switchport trunk allowed vlan (\S+)", line):
                info["vlans"] = set(expand_vlans(m.group(1)))
            elif m := re.match(r"switchport access vlan (\d+)", line):
                info["vlans"] = {int(m.group(1))}
                info["native"] = int(m.group(1))
            elif m := re.match(r"switchport trunk native vlan (\d+)", line):
                info["native"] = int(m.group(1))
            elif m := re.match(r"mtu (\d+)", line):
                info["mtu"] = int(m.group(1))
            elif m := re.match(r"(?:mlag|vpc) (\d+)$", line):
                info["mlag"] = int(m.group(1))
        if m := re.match(pc_re, name):
            channels[int(m.group(1))] = {**info, "members": set()}
        else:
            ports[name] = info
    for name, info in ports.items():
        if info["channel"] is not None and info["channel"] in channels:
            channels[info["channel"]]["members"].add(name)
    return parse, ports, channels, neighbors, vlans


def eos(text):
    parse, ports, channels, neighbors, vlans = _cisco(text, r"^Port-Channel(\d+)$")
    for bgp in parse.find_objects(r"^router bgp "):
        lines = [child.text.strip() for child in bgp.children]
        groups = {line.split()[1] for line in lines if re.match(r"neighbor \S+ peer group$", line)}
        group_as, member_of = {}, {}
        for line in lines:
            if m := re.match(r"neighbor (\S+) remote-as (\d+)", line):
                (group_as if m.group(1) in groups else neighbors)[m.group(1)] = int(m.group(2))
            elif m := re.match(r"neighbor (\S+) peer group (\S+)$", line):
                member_of[m.group(1)] = m.group(2)
        for vrf in bgp.children:   # per-VRF neighbors (router bgp > vrf NAME), peer groups are global
            if not re.match(r"vrf \S+$", vrf.text.strip()):
                continue
            for line in (c.text.strip() for c in vrf.children):
                if m := re.match(r"neighbor (\S+) remote-as (\d+)", line):
                    neighbors[m.group(1)] = int(m.group(2))
                elif m := re.match(r"neighbor (\S+) peer group (\S+)$", line):
                    member_of[m.group(1)] = m.group(2)
        for peer, group in member_of.items():   # remote-as inherited from the peer group
            neighbors.setdefault(peer, group_as.get(group))
    return {"ports": ports, "channels": channels, "neighbors": neighbors, "vlans": vlans}


def nxos(text):
    parse, ports, channels, neighbors, vlans = _cisco(text, r"^port-channel(\d+)$")
    for bgp in parse.find_objects(r"^router bgp "):
        template_as = {}
        for child in bgp.children:
            if m := re.match(r"template peer (\S+)$", child.text.strip()):
                asn = [c.text.strip().split()[1] for c in child.children if c.text.strip().startswith("remote-as ")]
                template_as[m.group(1)] = int(asn[0]) if asn else None
        blocks = [bgp] + [c for c in bgp.children if re.match(r"vrf \S+$", c.text.strip())]
        for child in (c for block in blocks for c in block.children):
            if m := re.match(r"neighbor (\S+)$", child.text.strip()):
                lines = [c.text.strip() for c in child.children]
                asn = [line.split()[1] for line in lines if line.startswith("remote-as ")]
                inherit = [line.split()[2] for line in lines if line.startswith("inherit peer ")]
                neighbors[m.group(1)] = int(asn[0]) if asn else (template_as.get(inherit[0]) if inherit else None)
    return {"ports": ports, "channels": channels, "neighbors": neighbors, "vlans": vlans}


def ifupdown(text):
    """{iface: {option: [values...]}} of an ifupdown2 file (comments dropped)."""
    out, cur = {}, None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("iface "):
            cur = out.setdefault(line.split()[1], {})
        elif line.startswith("auto "):
            continue
        elif line.startswith(" ") and cur is not None:
            key, _sep, value = line.strip().partition(" ")
            cur.setdefault(key, []).append(value)
        else:
            raise AssertionError(f"unexpected line in interfaces file: {raw!r}")
    return out


def _vids(values):
    return {v for item in values for part in item.split() for v in expand_vlans(part)}


def frr(conf_text, interfaces_text):
    ifaces = ifupdown(interfaces_text)
    ports, channels, neighbors = {}, {}, {}
    groups = {}
    for line in conf_text.splitlines():
        if m := re.match(r"^ neighbor (\S+) remote-as (\S+)$", line):
            groups[m.group(1)] = m.group(2)
        elif m := re.match(r"^ neighbor (\S+) (?:interface )?peer-group (\S+)$", line):
            neighbors[m.group(1)] = groups.get(m.group(2))
    bonds = {}
    for name, opts in ifaces.items():
        if m := re.match(r"^bond(\d+)$", name):
            bonds[name] = int(m.group(1))
    for name, opts in ifaces.items():
        vlans = _vids(opts.get("bridge-vids", [])) | _vids(opts.get("bridge-access", []))
        native = int(opts["bridge-access"][0]) if "bridge-access" in opts else (
            int(opts["bridge-pvid"][0]) if "bridge-pvid" in opts else None)
        info = {"channel": None, "vlans": vlans, "native": native,
                "mtu": int(opts["mtu"][0]) if "mtu" in opts else None,
                "mlag": int(opts["clag-id"][0]) if "clag-id" in opts else None,
                "lacp": "active" if opts.get("bond-mode") == ["802.3ad"] else None}
        if name in bonds:
            channels[bonds[name]] = {**info, "members": set(opts["bond-slaves"][0].split())}
        elif name.startswith("swp"):
            ports[name] = info
    for cid, ch in channels.items():
        for member in ch["members"]:
            if member in ports:
                ports[member]["channel"] = cid
    vlans = _vids(ifaces.get("bridge", {}).get("bridge-vids", []))
    return {"ports": ports, "channels": channels, "neighbors": neighbors, "vlans": vlans, "ifaces": ifaces}


READERS = {"eos": lambda files, name: eos(files[f"{name}.cfg"]),
           "nxos": lambda files, name: nxos(files[f"{name}.cfg"]),
           "frr": lambda files, name: frr(files[f"{name}.cfg"], files[f"{name}.interfaces"])}


def read(platform, files, name):
    return READERS[platform](files, name)
