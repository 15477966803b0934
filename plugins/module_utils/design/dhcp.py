"""DHCP scopes, relays and IPv6 router advertisements, decided once for the site.

``dhcp_service(model, facts, designed, reservations)`` returns

* ``scopes4`` / ``scopes6``: one per network served (DHCPv4 when
  ``dhcp.enabled``, DHCPv6 when ``ipv6_hosts.mode`` is ``stateless`` or
  ``dhcpv6``), with pools = the model's range minus reserved ranges and every
  static address (gateways, leaf SVIs, nodes, named VIPs), options (routers,
  DNS, domain) and MAC reservations;
* ``gateways``: per leaf, per SVI, the DHCP relay targets of each family and
  the RA policy (M/O flags, prefix, router lifetime) the gateway sends;
* ``relay_uplinks``: per leaf, the fabric ports relayed packets leave by;
* ``servers6``: every DHCPv6 server with the node and interface holding its address.

Reservations come in as plain records ``{"name", "mac", "network", "ipv4",
"ipv6", "path"}`` so any inventory can feed them; ``vm_reservations(model)``
is the adapter for ``dcnet_vms``.  Nothing here raises a rule: the ``dhcp``
checks judge the same ranges with ``parse_range``.
"""

from __future__ import annotations

import ipaddress

from .. import platforms
from .addressed import gateway_address

# What each IPv6 host addressing mode puts in the gateway's router advertisements.
RA_FLAGS = {
    "static": {"managed": False, "other": False, "autonomous": False},
    "slaac": {"managed": False, "other": False, "autonomous": True},
    "stateless": {"managed": False, "other": True, "autonomous": True},
    "dhcpv6": {"managed": True, "other": True, "autonomous": False},
}
DHCPV6_MODES = ("stateless", "dhcpv6")


def parse_range(text: str, prefix, family: int):
    """(first, last) ipaddress objects of 'first-last' (or one address) inside ``prefix``, or an error text."""
    first, sep, last = str(text).partition("-")
    last = last if sep else first
    try:
        first, last = ipaddress.ip_address(first.strip()), ipaddress.ip_address(last.strip())
    except ValueError:
        return f"'{text}' does not hold IPv{family} addresses 'first-last'"
    if first.version != family or last.version != family:
        return f"'{text}' is not IPv{family}"
    if first > last:
        return f"range {first}-{last} is reversed"
    if not prefix:
        return f"the network has no ipv{family} prefix"
    net = ipaddress.ip_network(prefix)
    if first not in net or last not in net:
        return f"range {first}-{last} is not inside {net}"
    return first, last


def dhcpv4(net) -> bool:
    return bool(net["dhcp"]["enabled"] and net["ipv4"])


def dhcpv6(net) -> bool:
    return bool(net["ipv6_hosts"]["mode"] in DHCPV6_MODES and net["ipv6"])


def ra_enabled(net) -> bool:
    policy = net["ipv6_hosts"]
    return policy["ra"] if policy["ra"] is not None else policy["mode"] != "static"


def servers(net, family: int) -> list:
    return [s for s in net["dhcp"]["servers"] if ipaddress.ip_address(s).version == family]


def relay_targets(net, family: int) -> list:
    """Servers of one family outside the network: the gateway relays to them."""
    prefix = net[f"ipv{family}"]
    inside = ipaddress.ip_network(prefix) if prefix else None
    return [s for s in servers(net, family) if inside is None or ipaddress.ip_address(s) not in inside]


def static_addresses(model, facts, net_name: str, family: int) -> list:
    """[(address, model path)] of everything the design assigns statically on a network."""
    net = model.networks[net_name]
    out = []
    gw = gateway_address(net, family) if net["gateway_on"] != "none" else None
    if gw:
        out.append((gw, f"networks[{net_name}].gateway{family}"))
    for leaf, svis in sorted(facts.svis.items()):
        svi = svis.get(net_name)
        if svi and svi.get(f"ipv{family}"):
            out.append((svi[f"ipv{family}"].split("/")[0], model.leaves[leaf]["path"]))
    for (cname, nname, nnet), addrs in sorted(facts.addresses.items()):
        if nnet == net_name and addrs.get(f"ipv{family}"):
            out.append((addrs[f"ipv{family}"].split("/")[0], f"clusters[{cname}].nodes[{nname}].addresses[{net_name}]"))
    return out


def carve(first, last, holes) -> list:
    """[(a, b)] ranges of first..last without the (a, b) holes, in order."""
    out, start = [], first
    for lo, hi in sorted(holes):
        if hi < start or lo > last:
            continue
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
        if start > last:
            break
    if start <= last:
        out.append((start, last))
    return out


def _reserved(net, family):
    out = []
    for text in net["dhcp"]["reserved"]:
        rng = parse_range(text, net[f"ipv{family}"], family) if net[f"ipv{family}"] else None
        if isinstance(rng, tuple):
            out.append(rng)
    return out


def pools(model, facts, net_name: str, family: int) -> list:
    """The dynamic pools of a network: its range minus reserved ranges and static addresses."""
    net = model.networks[net_name]
    text = net["dhcp"][f"range{family}"]
    if not text:
        return []
    rng = parse_range(text, net[f"ipv{family}"], family)
    if isinstance(rng, str):
        return []
    holes = _reserved(net, family)
    holes += [(ipaddress.ip_address(a), ipaddress.ip_address(a)) for a, _path in static_addresses(model, facts, net_name, family)]
    return [f"{a} - {b}" for a, b in carve(rng[0], rng[1], holes)]


def vm_reservations(model) -> list:
    """Reservation records from ``dcnet_vms``: each VM NIC with a MAC on a network, with its first address per family."""
    out = []
    for vm_name, vm in sorted(model.vms.items()):
        for nic in vm["nics"]:
            if not nic["mac"] or not nic["network"]:
                continue
            out.append({"name": vm_name, "mac": nic["mac"], "network": nic["network"],
                        "ipv4": (nic["ipv4"] or [None])[0], "ipv6": (nic["ipv6"] or [None])[0],
                        "path": f"vms[{vm_name}].nics[{nic['name']}]"})
    return out


def _reservations(net, family, records):
    prefix = ipaddress.ip_network(net[f"ipv{family}"])
    out = []
    for rec in records:
        address = rec.get(f"ipv{family}")
        if rec["network"] != net["name"] or not address or ipaddress.ip_address(address) not in prefix:
            continue
        out.append({"name": rec["name"], "mac": rec["mac"].lower(), "address": address, "path": rec["path"]})
    return sorted(out, key=lambda r: ipaddress.ip_address(r["address"]))


def _scope(model, facts, net, family, records):
    site = model.site
    dns = [s for s in site["dns_servers"] if ipaddress.ip_address(s).version == family]
    scope = {
        "network": net["name"], "id": net["vlan"], "subnet": net[f"ipv{family}"],
        "pools": pools(model, facts, net["name"], family), "dns_servers": dns,
        "domain": site["domain"] or None, "lease_time": net["dhcp"]["lease_time"],
        "reservations": _reservations(net, family, records),
        "relayed": bool(relay_targets(net, family)), "path": f"networks[{net['name']}]",
    }
    if family == 4:
        gw = gateway_address(net, 4)
        scope["routers"] = [gw] if gw else []
    else:
        scope["mode"] = net["ipv6_hosts"]["mode"]
        if scope["mode"] == "stateless":
            scope["pools"] = []  # stateless DHCPv6 hands out options only
    return scope


def ra_policy(net):
    """What the gateway advertises on a network: None without IPv6, {"enabled": False}, or the flags and timers."""
    policy = net["ipv6_hosts"]
    if not net["ipv6"]:
        return None
    if not ra_enabled(net):
        return {"enabled": False}
    flags = RA_FLAGS[policy["mode"]]
    return {"enabled": True, "managed": flags["managed"], "other": flags["other"],
            "prefix": net["ipv6"], "autonomous": flags["autonomous"], "on_link": True,
            "router_lifetime": policy["router_lifetime"], "interval": policy["ra_interval"]}


def server_listeners(model, facts, designed, family: int) -> list:
    """Each DHCP server of one family the served networks list, with the interface it holds the address on.

    Kea's DHCPv6 server receives relayed (unicast) requests only on ``<interface>/<address>``; the
    interface is known when the server is a node of the model (its VLAN interface or bond on the
    network of that address), else None.
    """
    wanted = sorted({s for net in model.networks.values()
                     if (dhcpv4(net) if family == 4 else dhcpv6(net)) for s in servers(net, family)},
                    key=ipaddress.ip_address)
    holders = {}
    for (cname, nname, net_name), addrs in sorted(facts.addresses.items()):
        address = (addrs.get(f"ipv{family}") or "").split("/")[0]
        if address in wanted:
            holders.setdefault(address, (cname, nname, net_name))
    out = []
    for address in wanted:
        entry = {"address": address, "node": None, "interface": None}
        if address in holders:
            cname, nname, net_name = holders[address]
            config = designed["nodes"][nname]
            if config["bond"] and config["bond"]["network"] == net_name:
                iface = config["bond"]["name"]
            else:
                iface = next((v["name"] for v in config["vlan_interfaces"] if v["network"] == net_name), None)
            entry.update(node=nname, interface=iface)
        out.append(entry)
    return out


def relay_entry(network: str, interface: str, prefix4, prefix6, relay) -> dict:
    """One gateway SVI as the relay files read it (render/dhcp.py): its network's prefixes and its relay targets per family.

    Built here from the model (``gateways``) and by the FRR renderer from a leaf's structured config (its SVIs
    carry ``dhcp_relay``, both families in one list), so the two cannot shape an entry differently.
    """
    return {"network": network, "prefix4": prefix4, "prefix6": prefix6, "interface": interface,
            "relay4": [s for s in relay if ":" not in s], "relay6": [s for s in relay if ":" in s]}


def server_vrf(model, facts, address):
    """The VRF of the fabric network holding ``address`` ("default" for a network without one), or None.

    None: no network with a fabric gateway holds it, so the relay reaches it by the routes of its own VRF
    (an exit of the VRF, or nothing: the relay rule says which).
    """
    ip = ipaddress.ip_address(address)
    for name, net in sorted(model.networks.items()):
        prefix = net[f"ipv{ip.version}"]
        if (prefix and ip in ipaddress.ip_network(prefix) and net["gateway_on"] == "fabric"
                and facts.network_leaves.get(name)):
            return net.get("vrf") or "default"
    return None


def relay_vrfs(model, facts, net) -> dict:
    """{server: VRF} of the relay targets a gateway must send into another VRF than its own.

    A server in a fabric network of another VRF is not in the gateway VRF's routing table (each VRF imports
    only its own route target) unless the gateway's VRF leaks that VRF's routes (``vrfs[].leak_from``);
    the relay line then names the server's VRF (EOS ``ip helper-address A vrf V``, NX-OS ``ip dhcp relay
    address A use-vrf V``).
    """
    own = net.get("vrf") or "default"
    leaked = set(model.vrfs[own]["leak_from"]) if own in model.vrfs else set()
    out = {}
    for fam in (4, 6):
        if not (dhcpv4(net) if fam == 4 else dhcpv6(net)):
            continue
        for server in relay_targets(net, fam):
            vrf = server_vrf(model, facts, server)
            if vrf and vrf != own and vrf not in leaked:
                out[server] = vrf
    return out


def svi_services(net, model=None, facts=None) -> dict:
    """The DHCP relay targets (both families, with the VRF of those in another VRF) and the RA policy of a
    network's gateway SVI, for the switch configs."""
    relay = (relay_targets(net, 4) if dhcpv4(net) else []) + (relay_targets(net, 6) if dhcpv6(net) else [])
    return {"dhcp_relay": relay, "dhcp_relay_vrf": relay_vrfs(model, facts, net) if model is not None else {},
            "ipv6_ra": ra_policy(net)}


def dhcp_service(model, facts, designed, reservations=None) -> dict:
    records = vm_reservations(model) if reservations is None else reservations
    scopes4, scopes6 = [], []
    for net in sorted(model.networks.values(), key=lambda n: n["vlan"]):
        if dhcpv4(net):
            scopes4.append(_scope(model, facts, net, 4, records))
        if dhcpv6(net):
            scopes6.append(_scope(model, facts, net, 6, records))
    gateways, uplinks = {}, {}
    ports = {}
    for link in facts.links:
        ports.setdefault(link["leaf"], []).append(link["leaf_port"])
    for leaf, svis in sorted(facts.svis.items()):
        vlan_interface_name = platforms.get(facts.switches[leaf]["platform"]).vlan_interface_name
        entries = []
        for net_name in sorted(svis, key=lambda n: model.networks[n]["vlan"]):
            net = model.networks[net_name]
            svi = svi_services(net)
            interface = vlan_interface_name(net["vlan"])
            entries.append({"network": net_name, "vlan": net["vlan"],
                            **relay_entry(net_name, interface, net["ipv4"], net["ipv6"], svi["dhcp_relay"]),
                            "ra": svi["ipv6_ra"]})
        gateways[leaf] = entries
        uplinks[leaf] = sorted(ports.get(leaf, []))
    return {"scopes4": scopes4, "scopes6": scopes6, "gateways": gateways, "relay_uplinks": uplinks,
            "reservations": records, "servers6": server_listeners(model, facts, designed, 6) if scopes6 else []}
