"""A switch's route filters (prefix lists and route maps) as the design writes them, evaluated on a prefix.

The bgp rules ask whether an announced prefix passes every filter on its way; the edge rules run the
north-south policy (with communities) over the same prefix lists.  Both read a prefix list here, so
they cannot disagree about what it permits.
"""

from __future__ import annotations

import functools
import ipaddress


@functools.lru_cache(maxsize=65536)
def network(text):
    """The network of a prefix or an interface address (host bits dropped); cached, the same prefixes recur on every device."""
    return ipaddress.ip_network(text, strict=False)


class RouteFilters:
    """A device's prefix lists and route maps; a prefix list is indexed the first time a verdict needs it (a
    device carries many lists, a rule asks about a few), verdicts are cached per (route map, prefix)."""

    def __init__(self, cfg):
        self.route_maps = {rm["name"]: sorted(rm.get("entries", []), key=lambda e: e.get("seq", 0))
                           for rm in cfg.get("route_maps", [])}
        self.prefix_lists = {pl["name"]: pl for pl in cfg.get("prefix_lists", [])}  # the last of a name counts
        self.indexes = {}
        self.cache = {}

    def _index(self, name):
        """(version, base length, base network int) -> [(position, ge, le, permit)] of a prefix list."""
        index = {}
        for pos, entry in enumerate(self.prefix_lists[name].get("entries", [])):
            try:
                base = network(entry["prefix"])
            except (ValueError, TypeError, KeyError):
                continue
            index.setdefault((base.version, base.prefixlen, int(base.network_address)), []).append(
                (pos, entry.get("ge"), entry.get("le"), entry.get("action") == "permit"))
        self.indexes[name] = index
        return index

    def prefix_list_permits(self, name, net) -> bool:
        """First matching entry wins; entries are found through the prefixes that contain ``net``."""
        index = self.indexes.get(name)
        if index is None:
            index = self._index(name)
        bits = net.max_prefixlen
        value = int(net.network_address)
        best = None
        for length in range(net.prefixlen + 1):
            masked = value & (((1 << length) - 1) << (bits - length)) if length else 0
            for pos, ge, le, permit in index.get((net.version, length, masked), ()):
                if ge is None and le is None:
                    ok = net.prefixlen == length
                else:
                    ok = (ge if ge is not None else length) <= net.prefixlen <= (le if le is not None else bits)
                if ok and (best is None or pos < best[0]):
                    best = (pos, permit)
        return bool(best and best[1])

    def permits(self, rm_name, prefix):
        """True/False for the route map's verdict, None when the route map or a prefix list it matches is missing."""
        key = (rm_name, prefix)
        if key not in self.cache:
            self.cache[key] = self._verdict(rm_name, network(prefix))
        return self.cache[key]

    def _verdict(self, rm_name, net):
        if rm_name not in self.route_maps:
            return None
        for entry in self.route_maps[rm_name]:
            match = entry.get("match_prefix_list")
            if match is None:
                return entry.get("action") == "permit"
            if match not in self.prefix_lists:
                return None
            if self.prefix_list_permits(match, net):
                return entry.get("action") == "permit"
        return False
