"""DNS and DHCP rules over the address services the design built (``design["services"]``).

DNS rules judge the records and zones (``design/addressed.py``, ``design/dns.py``);
the DHCP rules here extend the ``dhcp`` family of ``checks/dhcp.py`` to pools of
both families, relays and IPv6 router advertisements (``design/dhcp.py``).
"""

from __future__ import annotations

import ipaddress
import re

from .. import platforms
from ..design import dhcp as dhcp_design
from ..design import dns as dns_design
from ..design import north_south
from ..findings import Finding
from . import context
from .registry import check

_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def _services(design):
    return design.get("services") or {}


# ------------------------------------------------------------------------------------------------ DNS
@check("DNS001", "error", "DNS name or address used twice", "dns")
def name_collision(model, facts, design):
    """Every DNS name the model derives belongs to one model object, and a named VIP's address to the VIP alone.

    Names are derived (``<node>.<network>``, ``gw.<network>``, ``<vip>.<cluster>``, ...; see
    docs/dns_dhcp.md), so two model objects can end up with the same name -- a node called `gw`,
    a VIP named like a node on a network named like the cluster, or two names that differ only in
    case (DNS names are case-insensitive). The zone would then answer with both addresses and
    clients would reach the wrong host at random. A VIP on an address a node or switch also holds
    draws traffic to both (its PTR names only one of them).

    Rename one of the two objects (the message names both paths).
    """
    by_name, by_address, told = {}, {}, set()
    for rec in _services(design).get("records", []):
        first = by_name.setdefault(rec["name"].lower(), rec)
        if first["source"] != rec["source"]:
            if (rec["source"], first["source"]) in told:
                continue  # the other family of the same two objects
            told.add((rec["source"], first["source"]))
            yield Finding("DNS001", rec["path"], f"DNS name '{rec['name']}' is also {first['kind']} {first['address']} "
                          f"({first['path']})", "rename one of the two objects", related=(first["path"],))
            continue
        # addresses shared by switches, links, SVIs and nodes are ADDR001's; a VIP is only checked here
        other = by_address.setdefault(rec["address"], rec)
        if other["source"] != rec["source"] and "vip" in (rec["kind"], other["kind"]) \
                and (rec["source"], other["source"]) not in told:
            told.add((rec["source"], other["source"]))
            yield Finding("DNS001", rec["path"], f"address {rec['address']} is also {other['kind']} '{other['name']}' "
                          f"({other['path']})", "give each address to one object", related=(other["path"],))


@check("DNS002", "error", "Reverse zone missing for a prefix", "dns")
def reverse_coverage(model, facts, design):
    """With `site.dns.reverse_zones` set, every addressed prefix lies inside one of them.

    A prefix no reverse zone holds gets no PTR records: reverse lookups of its hosts fail, which
    breaks logging, SSH and Kerberos checks that resolve peers by address.

    Add a reverse zone holding the prefix to `site.dns.reverse_zones`, or leave the list empty to
    derive one zone per prefix.
    """
    zones = [ipaddress.ip_network(z) for z in model.site["dns"]["reverse_zones"]]
    dns = _services(design).get("dns")
    if not zones or not dns:
        return
    for prefix, path in dns["prefixes"]:
        net = ipaddress.ip_network(prefix)
        if not any(z.version == net.version and net.subnet_of(z) for z in zones):
            yield Finding("DNS002", path, f"no reverse zone in site.dns.reverse_zones holds {prefix}",
                          "add a reverse zone holding the prefix", related=("site.dns.reverse_zones",))


@check("DNS003", "error", "Not a valid DNS host name", "dns")
def host_names(model, facts, design):
    """Every derived record name is a valid host name: letters, digits and '-' per label, at most
    63 characters a label and 253 for the whole name with the site domain.

    Model names may hold '_' and '.', which a zone accepts for some record types only: BIND refuses
    to load a primary zone whose A/AAAA owner has an '_' (check-names), and Windows DNS and NetBox
    reject such names too.

    Rename the node, network, VIP or cluster (hyphens instead of underscores), or shorten it.
    """
    domain = model.site["domain"].rstrip(".")
    if not domain:
        return
    for label in domain.split("."):
        if not _LABEL.match(label):
            yield Finding("DNS003", "site.domain", f"'{domain}' has the label '{label}', not a host name label",
                          "use letters, digits and '-' in the site domain")
            return
    seen = set()
    for rec in _services(design).get("records", []):
        if rec["name"] in seen:
            continue
        seen.add(rec["name"])
        bad = [lab for lab in rec["name"].split(".") if not _LABEL.match(lab)]
        fqdn = f"{rec['name']}.{domain}"
        if bad:
            yield Finding("DNS003", rec["path"], f"DNS name '{fqdn}' has the label '{bad[0]}', not a host name label",
                          "use letters, digits and '-' (at most 63 per label)")
        elif len(fqdn) > 253:
            yield Finding("DNS003", rec["path"], f"DNS name '{fqdn}' is {len(fqdn)} characters long (at most 253)",
                          "shorten the names")


@check("DNS004", "error", "Reverse zone not on an octet/nibble boundary", "dns")
def reverse_boundary(model, facts, design):
    """Each prefix in `site.dns.reverse_zones` ends on an octet (IPv4: /8, /16, /24) or a nibble (IPv6: a multiple of 4).

    Only those prefixes have a reverse zone of their own (`10.in-addr.arpa`, `0.0.d.f.ip6.arpa`);
    any other length needs RFC 2317 delegation, which the enterprise DNS does, not a zone file.

    Use the enclosing boundary (10.64.0.0/22 -> 10.64.0.0/16, or list the four /24s).
    """
    for idx, prefix in enumerate(model.site["dns"]["reverse_zones"]):
        net = ipaddress.ip_network(prefix)
        step = 8 if net.version == 4 else 4
        if not dns_design.on_boundary(net):
            yield Finding("DNS004", f"site.dns.reverse_zones[{idx}]",
                          f"{prefix} does not end on {'an octet (/8, /16, /24)' if step == 8 else 'a nibble (a multiple of 4)'}",
                          "use the enclosing boundary or list the zones inside it")


@check("DNS005", "error", "Named VIP outside its pool", "dns")
def vip_in_pool(model, facts, design):
    """A named MetalLB VIP lies inside the pool that lists it, in the same family.

    MetalLB hands out only addresses of its pools: a service pinned to a VIP outside them stays
    `<pending>`, while DNS already points clients at that address.

    Pick a VIP inside the pool's ipv4/ipv6 range.
    """
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for vip in pool["vips"]:
                for fam in (4, 6):
                    address = vip[f"ipv{fam}"]
                    if not address:
                        continue
                    path = f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].vips[{vip['name']}].ipv{fam}"
                    prefix = pool[f"ipv{fam}"]
                    if not prefix or ipaddress.ip_address(address) not in ipaddress.ip_network(prefix):
                        yield Finding("DNS005", path, f"VIP {address} is outside pool {pool['name']} "
                                      f"({prefix or f'no ipv{fam} range'})", "use an address of the pool")


@check("DNS006", "error", "Provider DNS zone claimed twice or overlapping a site zone", "dns")
def provider_zone_conflict(model, facts, design):
    """Each zone a provider serves (`external_peers[].provider.dns_zones`) is claimed by one provider
    and is neither a zone the site serves (`site.domain`, its reverse zones), nor a parent of one, nor inside one.

    The site DNS forwards each provider zone to that provider's servers (`forward only` in BIND, a
    conditional forwarder in Windows DNS), and the handover asks the provider to serve it. A zone two
    providers claim can be forwarded to one of them only: the other's names do not resolve. A zone
    equal to a site zone or holding it (`example.net` for a site `dc1.example.net`) would hand the
    site's own names to the provider on every server that is not authoritative for them; a zone inside
    a site zone (`210.10.in-addr.arpa` when the site serves `10.in-addr.arpa`) is never forwarded,
    because the site's primary zone answers for it first.

    Name each zone under one provider only, and use the provider's own zones, outside the site's (for
    reverse lookups of the provider's addresses inside a site reverse zone, delegate that part instead).
    """
    dns = _services(design).get("dns") or {}
    explicit = {str(ipaddress.ip_network(p)): f"site.dns.reverse_zones[{i}]" for i, p in enumerate(model.site["dns"]["reverse_zones"])}
    site_zones = [(dns["domain"].lower(), "site domain", "site.domain")] if dns else []
    site_zones += [(z["name"].lower(), "site reverse zone", explicit.get(z["prefix"], "site.dns.reverse_zones"))
                   for z in dns.get("reverse", [])]
    first = {}
    for claim in dns_design.provider_dns_zones(model):
        zone = claim["zone"].lower()
        other = first.setdefault(zone, claim)
        if other["peer"] != claim["peer"]:
            yield Finding("DNS006", claim["path"], f"zone '{claim['zone']}' is also served by provider "
                          f"'{other['peer']}' ({other['path']})", "name the zone under one provider only",
                          related=(other["path"],))
            continue
        for name, what, path in site_zones:
            if zone == name:
                how = f"is the {what}"
            elif name.endswith("." + zone):
                how = f"holds the {what} '{name}'"
            elif zone.endswith("." + name):
                how = f"lies inside the {what} '{name}' (the site's primary zone answers for it)"
            else:
                continue
            yield Finding("DNS006", claim["path"], f"provider zone '{claim['zone']}' {how}",
                          "use the provider's own zones, outside the site's", related=(path,))
            break


# ----------------------------------------------------------------------------------------------- DHCP
def _range_of(net, family):
    text = net["dhcp"][f"range{family}"]
    if not text:
        return None
    rng = dhcp_design.parse_range(text, net[f"ipv{family}"], family)
    return rng if isinstance(rng, tuple) else None


@check("DHCP005", "error", "DHCP pool overlaps another pool", "dhcp")
def pool_overlap(model, facts, design):
    """A network's DHCP range shares no address with another network's range or a MetalLB VIP pool.

    Two servers (or two scopes) would lease the same address, or DHCP would hand a VM the address
    MetalLB announces for a service: duplicate addresses that come and go with leases.

    Move one of the two ranges (the message names both).
    """
    ranges = []
    for net in model.networks.values():
        for fam in (4, 6):
            rng = _range_of(net, fam)
            if rng:
                ranges.append((rng, f"networks[{net['name']}].dhcp.range{fam}"))
    vip_pools = []
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for fam in (4, 6):
                if pool[f"ipv{fam}"]:
                    net = ipaddress.ip_network(pool[f"ipv{fam}"])
                    vip_pools.append(((net[0], net[-1]), f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].ipv{fam}"))
    for idx, ((first, last), path) in enumerate(ranges):
        for (ofirst, olast), opath in ranges[idx + 1:] + vip_pools:
            if first.version == ofirst.version and first <= olast and ofirst <= last:
                yield Finding("DHCP005", path, f"range {first}-{last} overlaps {ofirst}-{olast} ({opath})",
                              "move one of the two ranges", related=(opath,))


def vrf_of(model, net_name) -> str:
    """The VRF of a network's gateway ("default" for a network without one: its SVI stays in the underlay)."""
    return model.networks[net_name].get("vrf") or "default"


def _holder(model, address):
    """The network whose prefix holds ``address``, or None."""
    ip = ipaddress.ip_address(address)
    for name, net in model.networks.items():
        prefix = net[f"ipv{ip.version}"]
        if prefix and ip in ipaddress.ip_network(prefix):
            return name
    return None


def _by_exit(facts, vrf, address):
    """The model path of an external session of ``vrf`` that brings in a route to ``address``, or None."""
    ip = ipaddress.ip_address(address)
    for session in north_south.exits(facts, vrf):
        if session["family"] != ip.version:
            continue
        if session["accept_default"] or any(ip in ipaddress.ip_network(p) for p in session["accept"]):
            return session["path"]
    return None


def _relay_route(model, facts, net, server):
    """(None, None) when the gateways of ``net`` reach ``server``, else (what is wrong, related model path)."""
    vrf = vrf_of(model, net["name"])
    target = dhcp_design.server_vrf(model, facts, server)
    holder = _holder(model, server)
    if target == vrf:
        return None, None
    if target:
        leaked = vrf in model.vrfs and target in model.vrfs[vrf]["leak_from"]
        refusing = sorted({facts.switches[leaf]["platform"] for leaf in facts.network_leaves.get(net["name"], [])
                           if not platforms.get(facts.switches[leaf]["platform"]).dhcp_relay_across_vrfs})
        if leaked or not refusing:
            return None, None     # in the VRF's table by leaking, or the relay names the server's VRF
        return (f"it is in network '{holder}' in VRF {target}, and the relay of {', '.join(refusing)} leaves "
                f"cannot send into another VRF than the gateway's ({vrf})"), f"networks[{holder}]"
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            prefix = pool[f"ipv{ipaddress.ip_address(server).version}"]
            if prefix and ipaddress.ip_address(server) in ipaddress.ip_network(prefix):
                return None, None
    if _by_exit(facts, vrf, server):
        return None, None
    if holder:
        return f"it is in network '{holder}', which the fabric does not route in VRF {vrf}", f"networks[{holder}]"
    return f"no prefix the fabric carries in VRF {vrf} holds it, and no exit of VRF {vrf} brings a route to it", None


@check("DHCP006", "error", "DHCP relay target unreachable", "dhcp")
def relay_reachable(model, facts, design):
    """Every server a fabric gateway relays DHCP to is reached from the gateway's VRF.

    The leaf relays from its SVI in the network's VRF (the default VRF for a network without `vrf`).
    A server is reached when it is in a network with a fabric gateway in the same VRF, in a VRF this one
    leaks (`vrfs[].leak_from`), behind an exit of the VRF (an external session that accepts the default
    route or a prefix holding the server), or in a network of another VRF on leaves whose relay can name
    that VRF (EOS `ip helper-address A vrf V`, NX-OS `ip dhcp relay address A use-vrf V`; isc-dhcp-relay
    on FRR runs inside one VRF and cannot). A server in a network without a fabric gateway, on no leaf, or
    outside every prefix the VRF routes never gets the requests: clients time out although the relay is
    configured.

    Put the DHCP server in a network of the gateway's VRF, leak its VRF, accept its prefix from the VRF's
    exit, or fix the address.
    """
    for net in model.networks.values():
        if net["gateway_on"] != "fabric" or not facts.network_leaves.get(net["name"]):
            continue
        for fam, serving in ((4, dhcp_design.dhcpv4(net)), (6, dhcp_design.dhcpv6(net))):
            if not serving:
                continue
            for server in dhcp_design.relay_targets(net, fam):
                where, related = _relay_route(model, facts, net, server)
                if where is None:
                    continue
                idx = net["dhcp"]["servers"].index(server)
                yield Finding("DHCP006", f"networks[{net['name']}].dhcp.servers[{idx}]",
                              f"the gateway relays DHCP to {server}, but {where}",
                              "put the server in a network of the gateway's VRF, leak its VRF (vrfs[].leak_from) or "
                              "accept its prefix from the VRF's exit",
                              related=(related,) if related else ())


@check("DHCP007", "error", "DHCPv6 network without server or relay", "dhcp")
def dhcpv6_served(model, facts, design):
    """A network whose hosts use DHCPv6 (`ipv6_hosts.mode` stateless or dhcpv6) has an IPv6 server and a relay to it.

    The RA's M/O flags send every host to DHCPv6; with no server, or a server outside the link and
    no relay on the gateway, hosts get no address (dhcpv6) or no DNS settings (stateless) and keep
    soliciting. Stateful DHCPv6 also needs a `dhcp.range6` or reservations to hand out.

    List an IPv6 DHCP server in `dhcp.servers`, keep `gateway_on: fabric` (the leaves relay), and set
    `dhcp.range6` for mode dhcpv6.
    """
    services = _services(design).get("dhcp") or {}
    switches = context.switches(design)
    for net in model.networks.values():
        mode = net["ipv6_hosts"]["mode"]
        if mode not in dhcp_design.DHCPV6_MODES:
            continue
        path = f"networks[{net['name']}]"
        if not net["ipv6"]:
            yield Finding("DHCP007", f"{path}.ipv6_hosts.mode", f"mode {mode} but the network has no ipv6 prefix",
                          "add ipv6 or set mode static")
            continue
        v6 = dhcp_design.servers(net, 6)
        if not v6:
            yield Finding("DHCP007", f"{path}.dhcp.servers", f"mode {mode} but no IPv6 DHCP server is listed",
                          "list an IPv6 DHCP server")
            continue
        outside = dhcp_design.relay_targets(net, 6)
        if outside and net["gateway_on"] == "none":
            yield Finding("DHCP007", f"{path}.dhcp.servers", f"server {outside[0]} is outside the network and the "
                          "network has no gateway to relay", "set gateway_on: fabric or serve DHCPv6 inside the VLAN")
        # with dhcp.enabled the relay of every listed server is the remote-server-without-relay rule's
        relayed = net["gateway_on"] == "fabric" and not net["dhcp"]["enabled"]
        for leaf in facts.network_leaves.get(net["name"], []) if relayed else []:
            vlan = next((v for v in switches.get(leaf, {}).get("vlans", []) if v.get("name") == net["name"]), None)
            svi = (vlan or {}).get("svi")
            if svi is None:
                continue
            missing = [s for s in outside if s not in svi.get("dhcp_relay", [])]
            if missing:
                yield Finding("DHCP007", f"{path}.dhcp.servers", f"{leaf} does not relay DHCPv6 to {missing[0]}",
                              "add the DHCPv6 relay on the gateway SVI", related=(context.leaf_path(model, leaf),))
        scope = next((s for s in services.get("scopes6", []) if s["network"] == net["name"]), None)
        if mode == "dhcpv6" and scope is not None and not scope["pools"] and not scope["reservations"]:
            yield Finding("DHCP007", f"{path}.dhcp.range6", "mode dhcpv6 but no range6 and no reservation: the "
                          "server has no address to hand out", "set dhcp.range6")


@check("DHCP008", "error", "Router advertisements where hosts are static", "dhcp")
def ra_static(model, facts, design):
    """Router advertisements are off where hosts are addressed statically.

    With `ipv6_hosts.mode: static` and `ra: true`, or on a network where the model gives nodes
    static IPv6 addresses while the RA advertises an autonomous prefix (slaac, stateless), hosts
    that accept RAs add SLAAC addresses and a second default route beside their static ones: source
    address selection and firewall rules then see addresses nobody planned.

    Set `ra: false` (mode static), or mode dhcpv6 on networks with static nodes.
    """
    for net in model.networks.values():
        if not net["ipv6"] or not dhcp_design.ra_enabled(net):
            continue
        path = f"networks[{net['name']}].ipv6_hosts"
        mode = net["ipv6_hosts"]["mode"]
        if mode == "static":
            yield Finding("DHCP008", f"{path}.ra", "RA is on but hosts are static (mode static)", "set ra: false")
            continue
        statics = sorted((c, n) for (c, n, nn), addrs in facts.addresses.items() if nn == net["name"] and addrs.get("ipv6"))
        if statics and dhcp_design.RA_FLAGS[mode]["autonomous"]:
            cname, node = statics[0]
            yield Finding("DHCP008", f"{path}.mode", f"mode {mode} advertises {net['ipv6']} for SLAAC, but "
                          f"{len(statics)} node(s) have static addresses there (e.g. {node})",
                          "use mode static (ra off) or dhcpv6 on networks with static nodes",
                          related=(context.node_path(cname, node),))


@check("DHCP010", "error", "RA router lifetime shorter than the RA interval", "dhcp")
def ra_lifetime(model, facts, design):
    """A gateway that advertises itself as default router keeps doing so for at least one RA interval.

    RFC 4861 (6.2.1) allows a router lifetime of 0 (not a default router) or one between the maximum
    RA interval and 9000 s. A shorter one expires between two unsolicited RAs: hosts drop their default
    route until the next RA arrives, and IPv6 traffic off the link stops every few minutes. FRR's
    zebra refuses the line outright ("would conflict with configured ra-interval"), so the leaf's
    config does not load.

    Set `ipv6_hosts.router_lifetime` to 0 or at least `ipv6_hosts.ra_interval` (the usual value is
    three times the interval).
    """
    for net in model.networks.values():
        policy = dhcp_design.ra_policy(net)
        if not policy or not policy["enabled"]:
            continue
        lifetime, interval = policy["router_lifetime"], policy["interval"]
        if 0 < lifetime < interval:
            yield Finding("DHCP010", f"networks[{net['name']}].ipv6_hosts.router_lifetime",
                          f"router lifetime {lifetime} s is shorter than the RA interval {interval} s: hosts lose "
                          "their default route between two advertisements",
                          f"set router_lifetime to 0 or at least {interval} (e.g. {min(3 * interval, 9000)})")


# What each RA setting of the policy asks of the switch when it differs from what a switch sends by
# default, and how a message names it.
_RA_NEEDS = {
    "managed": (lambda p: p["managed"], "M flag"),
    "other": (lambda p: p["other"], "O flag"),
    "autonomous": (lambda p: not p["autonomous"], "prefix without SLAAC (A flag off)"),
    "router_lifetime": (lambda p: p["router_lifetime"] != 1800, "router lifetime"),  # model default = usual switch default
}


@check("DHCP011", "warning", "RA setting the gateway platform does not render", "dhcp")
def ra_unrendered(model, facts, design):
    """Every RA setting a network asks for is in the config of each gateway leaf's platform.

    Only commands confirmed in the vendor's references are rendered (docs/dns_dhcp.md): Arista EOS
    leaves are rendered without a router lifetime, NX-OS leaves without prefix flags. Such a leaf
    sends its own default instead -- on NX-OS the prefix stays autonomous, so hosts of a `dhcpv6`
    network also configure SLAAC addresses; on EOS the router lifetime is the switch's default.

    Configure the setting on those leaves by hand (and waive this warning), or pick a mode and lifetime
    the platform renders.
    """
    for net in model.networks.values():
        policy = dhcp_design.ra_policy(net)
        if not policy or not policy["enabled"]:
            continue
        by_platform = {}
        for leaf, svis in sorted(facts.svis.items()):
            if net["name"] in svis:
                by_platform.setdefault(facts.switches[leaf]["platform"], []).append(leaf)
        for plat, leaves in sorted(by_platform.items()):
            row = platforms.get(plat)
            missing = [label for name, (needed, label) in _RA_NEEDS.items()
                       if needed(policy) and name not in row.ra_settings]
            if missing:
                yield Finding("DHCP011", f"networks[{net['name']}].ipv6_hosts",
                              f"mode {net['ipv6_hosts']['mode']} (router lifetime {policy['router_lifetime']} s) asks "
                              f"for the RA {' and '.join(missing)}, which the {row.title} gateways "
                              f"{', '.join(leaves)} are not rendered with",
                              "configure it on those leaves by hand and waive this warning, or choose a policy "
                              "the platform renders", related=tuple(context.leaf_path(model, lf) for lf in leaves))


@check("DHCP009", "error", "Bad DHCPv6 range or reserved range", "dhcp")
def bad_ranges(model, facts, design):
    """`dhcp.range6` and every `dhcp.reserved` entry are 'first-last' (or one address) inside the network, first <= last.

    Kea refuses a pool outside its subnet, and a reserved range that does not parse protects nothing.

    Write ranges like `fd00:10::1000-fd00:10::1fff` or `10.10.10.150-10.10.10.159` inside the network.
    """
    for net in model.networks.values():
        path = f"networks[{net['name']}].dhcp"
        if net["dhcp"]["range6"] is not None:
            rng = dhcp_design.parse_range(net["dhcp"]["range6"], net["ipv6"], 6)
            if isinstance(rng, str):
                yield Finding("DHCP009", f"{path}.range6", rng, "write 'first-last' inside the network's ipv6")
        for idx, text in enumerate(net["dhcp"]["reserved"]):
            fam = 6 if ":" in text else 4
            rng = dhcp_design.parse_range(text, net[f"ipv{fam}"], fam)
            if isinstance(rng, str):
                yield Finding("DHCP009", f"{path}.reserved[{idx}]", rng, "write 'first-last' inside the network")
