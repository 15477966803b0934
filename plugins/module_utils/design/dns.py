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
"""

from __future__ import annotations

import hashlib
import ipaddress

from ..addressing import ptr, reverse_zone
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


def addressed_prefixes(model, facts, records) -> list:
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
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for fam in (4, 6):
                if pool[f"ipv{fam}"]:
                    out.append((pool[f"ipv{fam}"], f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].ipv{fam}"))
    held = [(ipaddress.ip_network(p), path) for p, path in out]
    used = []
    for net, path in held:
        if any(ipaddress.ip_address(r["address"]) in net for r in records if r["family"] == net.version):
            used.append((str(net), path))
    return used


def _zone_prefixes(model, prefixes) -> list:
    if model.site["dns"]["reverse_zones"]:
        nets = [ipaddress.ip_network(p) for p in model.site["dns"]["reverse_zones"]]
        # a prefix off an octet/nibble boundary has no zone name (the dns checks report it): it holds nothing
        return sorted((n for n in nets if on_boundary(n)), key=lambda n: (n.version, n))
    cuts = {ipaddress.ip_network(c) for prefix, _path in prefixes for c in reverse_cuts(prefix)}
    outer = [n for n in cuts if not any(o != n and o.version == n.version and n.subnet_of(o) for o in cuts)]
    return sorted(outer, key=lambda n: (n.version, n))


def covering_zone(zones, address):
    """The most specific reverse zone prefix holding ``address``, or None."""
    ip = ipaddress.ip_address(address)
    best = None
    for net in zones:
        if net.version == ip.version and ip in net and (best is None or net.prefixlen > best.prefixlen):
            best = net
    return best


def _fqdn(name: str, domain: str) -> str:
    return name if name.endswith(".") else f"{name}.{domain}."


def _serial(zone: dict) -> int:
    """A 31-bit serial from the zone's content: equal content, equal serial."""
    text = repr((zone["name"], zone["soa"], zone["ns"], zone["records"]))
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 2147483646 + 1


def dns_zones(model, facts, records) -> dict:
    """{"forward": zone, "reverse": [zones], "ttl", "uncovered": [(record, prefix path)]} or {} without a domain."""
    domain = model.site["domain"].rstrip(".")
    if not domain:
        return {}
    dns = model.site["dns"]
    ns_names = [_fqdn(ns["name"], domain) for ns in nameservers(model)]
    soa = {"mname": ns_names[0] if ns_names else f"ns.{domain}.", "rname": _fqdn(dns["hostmaster"], domain),
           "refresh": dns["refresh"], "retry": dns["retry"], "expire": dns["expire"], "minimum": dns["negative_ttl"]}
    forward = {"name": domain, "soa": soa, "ns": ns_names, "records": []}
    seen = set()
    for rec in records:
        rtype = "A" if rec["family"] == 4 else "AAAA"
        key = (rec["name"].lower(), rtype, rec["address"])
        if key in seen:
            continue
        seen.add(key)
        forward["records"].append({"name": rec["name"], "type": rtype, "value": rec["address"]})
    forward["records"].sort(key=lambda r: (r["name"].lower().split(".")[::-1], r["type"], ipaddress.ip_address(r["value"])))
    prefixes = addressed_prefixes(model, facts, records)
    zone_nets = _zone_prefixes(model, prefixes)
    reverse = {net: {"name": reverse_zone(str(net)), "prefix": str(net), "soa": soa, "ns": ns_names, "records": []}
               for net in zone_nets}
    uncovered = []
    ptr_seen = set()
    for rec in records:
        net = covering_zone(zone_nets, rec["address"])
        if net is None:
            uncovered.append(rec)
            continue
        owner = ptr(rec["address"])
        if owner in ptr_seen:
            continue  # one PTR per address: the first name listed wins (the name-collision check reports the others)
        ptr_seen.add(owner)
        zone = reverse[net]
        label = owner[: -len(zone["name"]) - 1]
        reverse[net]["records"].append({"name": label, "type": "PTR", "value": _fqdn(rec["name"], domain),
                                        "address": rec["address"]})
    for zone in reverse.values():
        zone["records"].sort(key=lambda r: ipaddress.ip_address(r["address"]))
    zones = [forward] + [reverse[n] for n in zone_nets]
    for zone in zones:
        zone["serial"] = _serial(zone)
        zone["ttl"] = dns["ttl"]
    return {"domain": domain, "forward": forward, "reverse": [reverse[n] for n in zone_nets],
            "uncovered": uncovered, "prefixes": prefixes, "ttl": dns["ttl"]}
