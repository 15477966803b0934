"""DHCP rules: relays where servers are remote, dynamic ranges clear of static addresses."""

from __future__ import annotations

import ipaddress

from ..design import dhcp as dhcp_design
from ..findings import Finding
from . import context
from .registry import check


def _inside(net, server) -> bool:
    ip = ipaddress.ip_address(server)
    prefix = net[f"ipv{ip.version}"]
    return bool(prefix) and ip in ipaddress.ip_network(prefix)


def _range(net):
    """(first, last) of range4, or an error text."""
    text = net["dhcp"]["range4"]
    first, sep, last = (text or "").partition("-")
    if not sep:
        return f"'{text}' is not 'first-last'"
    try:
        first, last = ipaddress.IPv4Address(first.strip()), ipaddress.IPv4Address(last.strip())
    except ValueError:
        return f"'{text}' does not hold two IPv4 addresses"
    if first > last:
        return f"range {first}-{last} is reversed"
    if not net["ipv4"]:
        return "the network has no ipv4 prefix"
    prefix = ipaddress.ip_network(net["ipv4"])
    if first not in prefix or last not in prefix:
        return f"range {first}-{last} is not inside {prefix}"
    return first, last


@check("DHCP001", "error", "Remote DHCP server without relay", "dhcp")
def relay(model, facts, design):
    """A DHCP-enabled network whose server is outside the VLAN has a DHCP relay (ip helper) on its gateway.

    DHCP discovers are broadcasts and stay in the VLAN; without a relay on the gateway they never
    reach a server in another subnet, so PXE installs and DHCP clients time out. A network without a
    gateway (`gateway_on: none`) cannot relay at all. (With `gateway_on: external` the relay is the
    external router's job and is not checked.)

    Keep `gateway_on: fabric` (the leaves relay to every listed server outside the network), or put a
    DHCP server inside the VLAN.
    """
    switches = context.switches(design)
    for net in model.networks.values():
        dhcp = net["dhcp"]
        if not dhcp["enabled"]:
            continue
        for idx, server in enumerate(dhcp["servers"]):
            if _inside(net, server) or (":" in server and not dhcp_design.dhcpv6(net)):
                continue  # inside the VLAN, or an IPv6 server where hosts do not use DHCPv6 (nothing to relay)
            path = f"networks[{net['name']}].dhcp.servers[{idx}]"
            if net["gateway_on"] == "none":
                yield Finding("DHCP001", path, f"server {server} is outside the network and the network has no gateway "
                              "to relay", "set gateway_on: fabric or serve DHCP inside the VLAN")
                continue
            if net["gateway_on"] != "fabric":
                continue
            for leaf in facts.network_leaves.get(net["name"], []):
                vlan = next((v for v in switches.get(leaf, {}).get("vlans", []) if v.get("name") == net["name"]), None)
                svi = (vlan or {}).get("svi")
                if svi is not None and server not in svi.get("dhcp_relay", []):
                    yield Finding("DHCP001", path, f"{leaf} {svi.get('interface')} does not relay DHCP to {server}",
                                  "add the relay on the gateway SVI", related=(context.leaf_path(model, leaf),))


@check("DHCP002", "error", "DHCP range overlaps static addresses", "dhcp")
def range_overlap(model, facts, design):
    """A network's dynamic DHCP range (`range4`, `range6`) holds no address the design assigns statically (nodes, leaf SVIs, gateway).

    The DHCP server hands out an address a node or the gateway already uses: duplicate-address
    conflicts that move with DHCP leases, ARP/ND flapping, and a node that loses its management
    address at the next renewal of someone else's lease. (The rendered Kea pools leave these
    addresses out, but the range itself is wrong and hides the plan.)

    Move `dhcp.range4` / `dhcp.range6` clear of `host_offset` + node ids and of the last addresses
    (leaf SVIs), or change `host_offset`.
    """
    for net in model.networks.values():
        for fam in (4, 6):
            if fam == 4 and not net["dhcp"]["enabled"] or not net["dhcp"][f"range{fam}"]:
                continue
            rng = dhcp_design.parse_range(net["dhcp"][f"range{fam}"], net[f"ipv{fam}"], fam)
            if isinstance(rng, str):
                continue  # DHCP003 / DHCP009
            first, last = rng
            inside = sorted({(ipaddress.ip_address(ip), where)
                             for ip, where in dhcp_design.static_addresses(model, facts, net["name"], fam)
                             if first <= ipaddress.ip_address(ip) <= last})
            if inside:
                yield Finding("DHCP002", f"networks[{net['name']}].dhcp.range{fam}",
                              f"range {first}-{last} holds {len(inside)} static address(es): "
                              + ", ".join(f"{ip} ({where})" for ip, where in inside[:4]) + (", ..." if len(inside) > 4 else ""),
                              "move the range clear of node and gateway addresses", related=(inside[0][1],))


@check("DHCP003", "error", "Bad DHCP range", "dhcp")
def bad_range(model, facts, design):
    """`dhcp.range4` is 'first-last' with two IPv4 addresses inside the network, first <= last.

    A range the DHCP server cannot parse, or one outside the subnet, makes the server refuse its
    configuration or hand out addresses no host can use.

    Write the range as `10.10.10.100-10.10.10.199` inside the network's `ipv4`.
    """
    for net in model.networks.values():
        if net["dhcp"]["range4"] is None:
            continue
        rng = _range(net)
        if isinstance(rng, str):
            yield Finding("DHCP003", f"networks[{net['name']}].dhcp.range4", rng, "write 'first-last' inside the network")


@check("DHCP004", "warning", "DHCP enabled without a server", "dhcp")
def no_server(model, facts, design):
    """A network has `dhcp.enabled: true` but lists no server.

    Nothing in the model serves the network and no relay can be configured: clients get no lease
    unless an unlisted server happens to sit in the VLAN.

    List the DHCP servers in `dhcp.servers` (inside or outside the network).
    """
    for net in model.networks.values():
        if net["dhcp"]["enabled"] and not net["dhcp"]["servers"]:
            yield Finding("DHCP004", f"networks[{net['name']}].dhcp.servers", "DHCP is enabled but no server is listed",
                          "list the DHCP servers")
