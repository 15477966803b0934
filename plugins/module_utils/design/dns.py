"""DNS zones from the address records: one forward zone, reverse zones cut at octet/nibble boundaries.

``dns_zones(model, records)`` returns the zones the renderers lay out as
BIND zone files, an RFC 2136 update script and Windows DNS PowerShell, so
all three hold the same records.  Reverse zones are the model's
``site.dns.reverse_zones`` when given, else derived per addressed prefix:

* IPv4 up to /24: the prefix itself when it ends on an octet, else split at
  the next octet boundary (a /22 gives four /24 zones); longer than /24:
  the /24 that holds it (RFC 2317 classless delegation is left to the
  enterprise DNS);
* IPv6 ending on a nibble: the prefix itself; otherwise split at the next
  nibble up to /64, or the enclosing nibble zone beyond /64;
* a derived zone inside another derived zone is dropped: the outer zone
  holds its records.

Each PTR goes to the most specific zone holding its address; an address no
zone holds gets no PTR (a dns check reports it).  The SOA serial is derived
from the zone's content, never from the clock, so a render that changes
nothing keeps the serial (idempotent runs, byte-identical files).

The provider zones the site forwards (``provider_dns_zones``) are one fact
read twice: the provider handover document lists them, and the DNS outputs
write them as forward zones / conditional forwarders (``forwarders``).
"""

from __future__ import annotations

import bisect
import hashlib
import ipaddress

from ..addressing import parse_address, ptr, reverse_zone
from .addressed import nameservers

IPV4_HOST_ZONE = 24   # longest IPv4 reverse zone with a name of its own
IPV6_SPLIT_LIMIT = 64  # IPv6 prefixes up to here are split at the next nibble; longer ones take the enclosing nibble


def on_boundary(net) -> bool:
    """Whether a prefix has a reverse zone of its own: IPv4 /8, /16, /24 (or /0), IPv6 a multiple of 4."""
    if net.version == 4:
        return net.prefixlen % 8 == 0 and net.prefixlen <= IPV4_HOST_ZONE
    return net.prefixlen % 4 == 0


def reverse_cuts(prefix: str) -> list:
    """Reverse zone prefixes that together hold ``prefix`` (see the module docstring)."""
    net = ipaddress.ip_network(prefix)
    step, limit = (8, IPV4_HOST_ZONE) if net.version == 4 else (4, IPV6_SPLIT_LIMIT)
    plen = net.prefixlen
    if plen % step == 0 and (net.version == 6 or plen <= IPV4_HOST_ZONE):
        return [str(net)]
    if plen < limit:
        return [str(s) for s in net.subnets(new_prefix=-(-plen // step) * step)]
    return [str(net.supernet(new_prefix=min(plen // step * step, limit if net.version == 4 else 128)))]


def addressed_prefixes(model, facts, records, value=None) -> list:
    """Prefixes holding records, each with the model path that defines it (for the reverse-coverage check)."""
    out = []
    for net_name, net in model.networks.items():
        for fam in (4, 6):
            if net[f"ipv{fam}"]:
                out.append((net[f"ipv{fam}"], f"networks[{net_name}].ipv{fam}"))
    pools = model.fabric["pools"]
    for key in ("loopback4", "loopback6"):
        if pools[key]:
            out.append((pools[key], f"fabric.pools.{key}"))
    for fam in (4, 6):
        pool = (model.fabric["management"] or {}).get(f"pool{fam}")
        if pool:
            out.append((pool, f"fabric.management.pool{fam}"))
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for fam in (4, 6):
                if pool[f"ipv{fam}"]:
                    out.append((pool[f"ipv{fam}"], f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].ipv{fam}"))
    # the record addresses as sorted integers per family: a prefix holds a record when one falls in its range
    held = {4: [], 6: []}
    for rec in records:
        held[rec["family"]].append(value[rec["address"]] if value else int(ipaddress.ip_address(rec["address"])))
    for values in held.values():
        values.sort()
    used = []
    for prefix, path in out:
        net = ipaddress.ip_network(prefix)
        values = held[net.version]
        idx = bisect.bisect_left(values, int(net.network_address))
        if idx < len(values) and values[idx] <= int(net.broadcast_address):
            used.append((str(net), path))
    return used


def _zone_prefixes(model, prefixes) -> list:
    if model.site["dns"]["reverse_zones"]:
        nets = [ipaddress.ip_network(p) for p in model.site["dns"]["reverse_zones"]]
        # a prefix off an octet/nibble boundary has no zone name (the dns checks report it): it holds nothing
        return sorted((n for n in nets if on_boundary(n)), key=lambda n: (n.version, n))
    cuts = {ipaddress.ip_network(c) for prefix, _path in prefixes for c in reverse_cuts(prefix)}
    index = ZoneIndex(cuts)
    outer = [n for n in cuts if not index.find(int(n.network_address), n.version, shorter_than=n.prefixlen)]
    return sorted(outer, key=lambda n: (n.version, n))


class ZoneIndex:
    """The most specific reverse zone holding an address, by one dict lookup per distinct zone length."""

    def __init__(self, zones, payloads=None):
        """``payloads``: what ``find`` returns for each zone (default: the zone's network)."""
        zones = list(zones)
        payloads = zones if payloads is None else payloads
        self.by_key = {(n.version, n.prefixlen, int(n.network_address)): p for n, p in zip(zones, payloads)}
        self.lengths = {v: sorted({n.prefixlen for n in zones if n.version == v}, reverse=True) for v in (4, 6)}

    def find(self, value: int, version: int, shorter_than: int = 129):
        """The longest zone (shorter than ``shorter_than`` bits) holding the address ``value`` of ``version``."""
        bits = 32 if version == 4 else 128
        for plen in self.lengths[version]:
            if plen >= shorter_than:
                continue
            shift = bits - plen
            zone = self.by_key.get((version, plen, (value >> shift) << shift if shift < bits else 0))
            if zone is not None:
                return zone
        return None


def covering_zone(zones, address):
    """The most specific reverse zone prefix holding ``address``, or None."""
    ip = ipaddress.ip_address(address)
    return ZoneIndex(zones).find(int(ip), ip.version)


def _fqdn(name: str, domain: str) -> str:
    return name if name.endswith(".") else f"{name}.{domain}."


def _serial(zone: dict) -> int:
    """A 31-bit serial from the zone's content: equal content, equal serial."""
    text = repr((zone["name"], zone["soa"], zone["ns"], zone["records"]))
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 2147483646 + 1


def provider_dns_zones(model) -> list:
    """Every zone a provider peer serves: [{zone, servers, peer, path}] in peer-name and list order.

    ``external_peers[].provider.dns_zones`` with that peer's ``dns_servers`` (both families, in model order).
    """
    out = []
    for peer in sorted(model.external_peers.values(), key=lambda p: p["name"]):
        info = peer["provider"] or {}
        for idx, zone in enumerate(info.get("dns_zones") or []):
            out.append({"zone": zone.rstrip("."), "servers": list(info.get("dns_servers") or []), "peer": peer["name"],
                        "path": f"external_peers[{peer['name']}].provider.dns_zones[{idx}]"})
    return out


def forwarders(model) -> list:
    """The forward zones the site DNS writes: provider zones with servers, one per zone name, sorted by name.

    A zone without servers cannot be forwarded (nothing is written); a zone two providers claim is
    written for the first peer by name (the dns checks report the second claim).
    """
    chosen = {}
    for claim in provider_dns_zones(model):
        if claim["servers"]:
            chosen.setdefault(claim["zone"].lower(), claim)
    return [chosen[name] for name in sorted(chosen, key=lambda z: z.split(".")[::-1])]


def dns_zones(model, facts, records) -> dict:
    """{"forward": zone, "reverse": [zones], "forwarders", "ttl", "uncovered": [(record, prefix path)]} or {} without a domain."""
    domain = model.site["domain"].rstrip(".")
    if not domain:
        return {}
    dns = model.site["dns"]
    ns_names = [_fqdn(ns["name"], domain) for ns in nameservers(model)]
    soa = {"mname": ns_names[0] if ns_names else f"ns.{domain}.", "rname": _fqdn(dns["hostmaster"], domain),
           "refresh": dns["refresh"], "retry": dns["retry"], "expire": dns["expire"], "minimum": dns["negative_ttl"]}
    forward = {"name": domain, "soa": soa, "ns": ns_names, "records": []}
    value = {r["address"]: parse_address("dns_zones", "address", r["address"])[1] for r in records}  # parsed once
    seen = set()
    for rec in records:
        rtype = "A" if rec["family"] == 4 else "AAAA"
        key = (rec["name"].lower(), rtype, rec["address"])
        if key in seen:
            continue
        seen.add(key)
        forward["records"].append({"name": rec["name"], "type": rtype, "value": rec["address"]})
    forward["records"].sort(key=lambda r: (r["name"].lower().split(".")[::-1], r["type"], value[r["value"]]))
    prefixes = addressed_prefixes(model, facts, records, value)
    zone_nets = _zone_prefixes(model, prefixes)
    reverse = {net: {"name": reverse_zone(str(net)), "prefix": str(net), "soa": soa, "ns": ns_names, "records": []}
               for net in zone_nets}
    uncovered = []
    ptr_seen = set()
    index = ZoneIndex(zone_nets, [reverse[n] for n in zone_nets])
    for rec in records:
        zone = index.find(value[rec["address"]], rec["family"])
        if zone is None:
            uncovered.append(rec)
            continue
        owner = ptr(rec["address"])
        if owner in ptr_seen:
            continue  # one PTR per address: the first name listed wins (the name-collision check reports the others)
        ptr_seen.add(owner)
        label = owner[: -len(zone["name"]) - 1]
        zone["records"].append({"name": label, "type": "PTR", "value": _fqdn(rec["name"], domain),
                                "address": rec["address"]})
    for zone in reverse.values():
        zone["records"].sort(key=lambda r: value[r["address"]])
    zones = [forward] + [reverse[n] for n in zone_nets]
    for zone in zones:
        zone["serial"] = _serial(zone)
        zone["ttl"] = dns["ttl"]
    return {"domain": domain, "forward": forward, "reverse": [reverse[n] for n in zone_nets], "forwarders": forwarders(model),
            "uncovered": uncovered, "prefixes": prefixes, "ttl": dns["ttl"]}
