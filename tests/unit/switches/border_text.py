"""Read a rendered border leaf config back (FRR, Arista EOS, Cisco NX-OS): an oracle for the handover tests.

Independent of the engine: it reads the text a device would load, by the vendors' command syntax (FRR
``router bgp <asn> vrf <name>`` and ifupdown2 stanzas; EOS ``neighbor <ip> peer group <g>`` under
``router bgp > vrf``; NX-OS ``template peer`` / ``inherit peer``), and returns one normalized record:
interfaces (VRF, addresses, MTU, 802.1Q tag, trunk VLANs), BGP (ASN per VRF, neighbors, peer groups),
prefix lists, community lists, route maps and the BFD timers.
"""

from __future__ import annotations

import ipaddress

# FRR's bfdd defaults (a profile that sets no timer uses them): 300 ms transmit/receive, multiplier 3.
FRR_BFD_DEFAULTS = (300, 3)


def tree(text: str) -> list:
    """Lines as (text, children) by indentation; comments and blank lines dropped."""
    root: list = []
    stack = [(-1, root)]
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("!", "#")):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        node = (line, [])
        while stack[-1][0] >= indent:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((indent, node[1]))
    return root


def _vlans(text: str) -> set:
    out = set()
    for part in text.replace(",", " ").split():
        first, _sep, last = part.partition("-")
        out.update(range(int(first), int(last or first) + 1))
    return out


def _address(text: str) -> str:
    return str(ipaddress.ip_interface(text))


class Border:
    """One leaf's config read back; ``platform`` is frr, eos or nxos."""

    def __init__(self, platform: str, cfg: str, interfaces: str = ""):
        self.platform = platform
        self.interfaces: dict = {}
        self.asn: dict = {}                # VRF (None: default) -> local AS
        self.peers: dict = {}              # (VRF, neighbor or group name) -> attributes
        self.groups: set = set()           # (VRF, group name); EOS/NX-OS groups are global (VRF None)
        self.prefix_lists: dict = {}
        self.community_lists: dict = {}
        self.route_maps: dict = {}
        self.bfd = None
        nodes = tree(cfg)
        for line, children in nodes:
            words = line.split()
            if words[0] == "interface":
                self._interface(words[1], children)
            elif words[:2] == ["router", "bgp"]:
                self._router_bgp(words, children)
            elif words[1:2] == ["prefix-list"] and words[0] in ("ip", "ipv6"):
                self._prefix_list(words, children)
            elif "community-list" in words:
                self._community_list(words)
            elif words[0] == "route-map":
                self._route_map(words, children)
            elif words[0] == "bfd":
                self._bfd(words, children)
            elif words[:2] == ["router", "bfd"]:
                for sub, _c in children:
                    w = sub.split()
                    if w[0] == "interval":
                        self.bfd = (int(w[1]), int(w[w.index("multiplier") + 1]))
        for line, children in tree(interfaces):
            if line.startswith("iface "):
                self._iface(line.split()[1], children)

    # ---------------------------------------------------------------- interfaces
    def _interface(self, name, children):
        rec = self.interfaces.setdefault(name, {"vrf": None, "addresses": set(), "mtu": None, "tag": None,
                                                "allowed": set()})
        if name.lower().startswith("vlan") and name[4:].isdigit():
            rec["tag"] = int(name[4:])
        for line, _c in children:
            w = line.split()
            if w[0] == "vrf":
                rec["vrf"] = w[-1]                      # EOS `vrf X`, NX-OS `vrf member X`
            elif w[0] in ("ip", "ipv6") and len(w) == 3 and w[1] == "address":
                rec["addresses"].add(_address(w[2]))
            elif w[0] == "mtu":
                rec["mtu"] = int(w[1])
            elif w[:2] == ["encapsulation", "dot1q"]:
                rec["tag"] = int(w[-1])                 # EOS `... vlan N`, NX-OS `... N`
            elif w[:4] == ["switchport", "trunk", "allowed", "vlan"]:
                rec["allowed"] = _vlans(w[4])

    def _iface(self, name, children):
        """An ifupdown2 stanza (FRR/Cumulus): a sub-interface's tag is its name's suffix, an SVI's is vlan-id."""
        rec = self.interfaces.setdefault(name, {"vrf": None, "addresses": set(), "mtu": None, "tag": None,
                                                "allowed": set()})
        if "." in name:
            rec["tag"] = int(name.rsplit(".", 1)[1])
        for line, _c in children:
            w = line.split()
            if w[0] == "vrf":
                rec["vrf"] = w[1]
            elif w[0] == "address":
                rec["addresses"].add(_address(w[1]))
            elif w[0] == "mtu":
                rec["mtu"] = int(w[1])
            elif w[0] == "vlan-id":
                rec["tag"] = int(w[1])
            elif w[0] == "bridge-vids":
                rec["allowed"] = _vlans(" ".join(w[1:]))

    # ---------------------------------------------------------------- BGP
    def _router_bgp(self, words, children):
        vrf = words[4] if len(words) > 4 and words[3] == "vrf" else None     # FRR `router bgp N vrf X`
        self.asn[vrf] = int(words[2])
        self._bgp_block(vrf, children, words[2])

    def _bgp_block(self, vrf, children, asn):
        for line, sub in children:
            w = line.split()
            if w[0] == "vrf" and len(w) == 2:                                 # EOS / NX-OS `vrf X` under router bgp
                self.asn.setdefault(w[1], int(asn))
                self._bgp_block(w[1], sub, asn)
            elif w[:2] == ["template", "peer"]:                               # NX-OS
                self.groups.add((vrf, w[2]))
                self._attributes(vrf, w[2], sub)
            elif w[0] == "neighbor" and len(w) == 2:                          # NX-OS neighbor block
                self._attributes(vrf, w[1], sub)
            elif w[0] == "neighbor":
                self._neighbor_line(vrf, w)
            elif w[0] == "address-family":
                for af_line, _af_children in sub:
                    aw = af_line.split()
                    if aw[0] == "neighbor":
                        self._neighbor_line(vrf, aw)

    def _peer(self, vrf, name):
        return self.peers.setdefault((vrf, name), {"group": None, "remote_as": None, "bfd": False, "timers": None,
                                                   "in": None, "out": None})

    def _neighbor_line(self, vrf, w):
        """FRR / EOS ``neighbor <name> ...`` lines."""
        name, rest = w[1], w[2:]
        if rest in (["peer-group"], ["peer", "group"]):
            self.groups.add((vrf, name))
            self._peer(vrf, name)
        elif rest[:1] == ["peer-group"] or rest[:2] == ["peer", "group"]:
            self._peer(vrf, name)["group"] = rest[-1]
        elif rest[0] == "remote-as":
            self._peer(vrf, name)["remote_as"] = int(rest[1])
        elif rest == ["bfd"]:
            self._peer(vrf, name)["bfd"] = True
        elif rest[0] == "timers" and len(rest) == 3:
            self._peer(vrf, name)["timers"] = (int(rest[1]), int(rest[2]))
        elif rest[0] == "route-map":
            self._peer(vrf, name)[rest[2]] = rest[1]

    def _attributes(self, vrf, name, children):
        """NX-OS ``template peer`` / ``neighbor`` block."""
        peer = self._peer(vrf, name)
        for line, sub in children:
            w = line.split()
            if w[0] == "remote-as":
                peer["remote_as"] = int(w[1])
            elif w == ["bfd"]:
                peer["bfd"] = True
            elif w[0] == "timers":
                peer["timers"] = (int(w[1]), int(w[2]))
            elif w[:2] == ["inherit", "peer"]:
                peer["group"] = w[2]
            elif w[0] == "address-family":
                for af_line, _c in sub:
                    aw = af_line.split()
                    if aw[0] == "route-map":
                        peer[aw[2]] = aw[1]

    def neighbor(self, vrf, ip) -> dict | None:
        """A neighbor with its peer group's attributes filled in (the neighbor's own lines win)."""
        own = self.peers.get((vrf, ip))
        if own is None or (vrf, ip) in self.groups:
            return None
        group = own["group"]
        inherited = self.peers.get((vrf, group)) if (vrf, group) in self.groups else self.peers.get((None, group), {})
        merged = dict(inherited or {})
        merged.update({k: v for k, v in own.items() if v not in (None, False)})
        return merged

    def neighbors(self):
        """Every (VRF, address) neighbor with its effective attributes."""
        return {key: self.neighbor(*key) for key in self.peers if key not in self.groups}

    # ---------------------------------------------------------------- policy
    def _prefix_list(self, words, children):
        name = words[2]
        entries = self.prefix_lists.setdefault(name, [])
        lines = [words[3:]] if len(words) > 3 else [c[0].split() for c in children]   # NX-OS/FRR inline, EOS block
        for w in lines:
            if w[0] != "seq":
                continue
            rec = {"seq": int(w[1]), "action": w[2], "prefix": str(ipaddress.ip_network(w[3])), "ge": None, "le": None}
            for key in ("ge", "le"):
                if key in w:
                    rec[key] = int(w[w.index(key) + 1])
            entries.append(rec)

    def _community_list(self, words):
        idx = words.index("community-list")
        name = words[idx + 2] if words[idx + 1] in ("standard", "expanded") else words[idx + 1]
        self.community_lists.setdefault(name, []).extend(words[words.index("permit") + 1:])

    def _route_map(self, words, children):
        entry = {"seq": int(words[3]), "action": words[2], "prefix_list": None, "community": None, "set": []}
        for line, _c in children:
            w = line.split()
            if w[0] == "match" and "prefix-list" in w:
                entry["prefix_list"] = w[-1]
            elif w[:2] == ["match", "community"]:
                entry["community"] = w[2]
            elif w[:2] == ["set", "community"]:
                entry["set"] = [c for c in w[2:] if c != "additive"]
        self.route_maps.setdefault(words[1], []).append(entry)

    def permitted(self, route_map: str) -> list:
        """What a route map lets through: [(prefix, ge, le, community)] in sequence order.

        ``community`` is the one the route passes with: the entry's ``set community`` or the value of the
        community list it must match.
        """
        out = []
        for entry in sorted(self.route_maps.get(route_map, []), key=lambda e: e["seq"]):
            if entry["action"] != "permit" or not entry["prefix_list"]:
                continue
            tags = self.community_lists.get(entry["community"], []) if entry["community"] else entry["set"]
            for item in sorted(self.prefix_lists[entry["prefix_list"]], key=lambda e: e["seq"]):
                if item["action"] == "permit":
                    out.append((item["prefix"], item["ge"], item["le"], tags[0] if tags else None))
        return out

    def _bfd(self, words, children):
        if words[1:2] == ["interval"]:                                          # NX-OS global
            self.bfd = (int(words[2]), int(words[words.index("multiplier") + 1]))
            return
        for line, sub in children:                                             # FRR bfd > profile
            if line.startswith("profile"):
                timers = {w[0]: int(w[1]) for w in (c[0].split() for c in sub) if len(w) == 2 and w[1].isdigit()}
                self.bfd = (timers.get("transmit-interval", FRR_BFD_DEFAULTS[0]),
                            timers.get("detect-multiplier", FRR_BFD_DEFAULTS[1]))
