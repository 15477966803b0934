"""EVPN and gateway rules of the switch fabric: route limits, the anycast gateway MAC."""

from __future__ import annotations

from ..findings import Finding
from .registry import check

# 00:00:5e:00:01:xx is VRRP (IPv4), 00:00:5e:00:02:xx VRRPv6, 00:00:0c:07:ac:xx HSRPv1, 00:00:0c:9f:fx:xx HSRPv2
_FHRP_PREFIXES = (("00:00:5e:00:01:", "VRRP"), ("00:00:5e:00:02:", "VRRP (IPv6)"), ("00:00:0c:07:ac:", "HSRP version 1"),
                  ("00:00:0c:9f:f", "HSRP version 2"))


def expected_evpn_routes(model, facts):
    """EVPN routes one switch receives (an estimate from the model, the same for every switch).

    Type 3 (inclusive multicast): one per stretched VLAN per VTEP carrying it. Type 2 (MAC/IP): per VM NIC
    on a stretched network, one MAC-only route plus one per address; per host port on a stretched network,
    one MAC and one MAC/IP per address the node has there.
    """
    if model.fabric["overlay"] != "evpn_vxlan":
        return 0
    stretched = set(facts.vnis)
    vteps = {}
    for leaf, vlans in facts.leaf_vlans.items():
        vtep = facts.switches[leaf].get("vtep4")
        for net in stretched:
            if vtep and model.networks[net]["vlan"] in vlans:
                vteps.setdefault(net, set()).add(vtep)
    count = sum(len(v) for v in vteps.values())
    for vm in model.vms.values():
        for nic in vm["nics"]:
            if nic["network"] in stretched:
                count += 1 + len(nic["ipv4"]) + len(nic["ipv6"])
    for (cluster, node, net), addrs in facts.addresses.items():
        if net in stretched:
            count += 1 + len(addrs)
    return count


@check("EVPN001", "error", "EVPN route limit below the expected route count", "evpn")
def evpn_route_limit(model, facts, design):
    """A non-zero `fabric.bgp.evpn_maximum_routes` is below the EVPN routes the site needs.

    Every MAC and MAC/IP of a stretched network is an EVPN route on every switch (type 2), and every
    VTEP adds one route per stretched VLAN (type 3). Past the limit EOS shuts the session (its default is
    12000, so the collection always renders the model's limit; 0 means none, as AVD sets on EVPN peers):
    the whole overlay of the leaf goes down with it. The estimate counts the model's VMs and nodes.

    Raise `fabric.bgp.evpn_maximum_routes` above the count with room for growth, or set 0 (no limit).
    """
    limit = model.fabric["bgp"]["evpn_maximum_routes"]
    if not limit or model.fabric["overlay"] != "evpn_vxlan":
        return
    expected = expected_evpn_routes(model, facts)
    if expected > limit:
        yield Finding("EVPN001", "fabric.bgp.evpn_maximum_routes",
                      f"every EVPN session needs about {expected} routes (VMs, nodes and VTEPs on stretched networks); "
                      f"the limit {limit} shuts the sessions", f"set it to at least {expected * 2} or to 0 (no limit)")


@check("GW001", "warning", "Anycast gateway MAC in a first-hop redundancy range", "evpn")
def anycast_mac(model, facts, design):
    """`fabric.anycast_gateway_mac` lies in the VRRP or HSRP virtual MAC range.

    A router or firewall running VRRP/HSRP group N on a host VLAN answers with the same MAC: hosts see
    the gateway MAC flap between the fabric and that device. The leaves' own HSRP groups (NX-OS SVIs
    without a VNI) set this MAC explicitly, so it must not be another group's address either.

    Use a locally administered unicast MAC (second hex digit 2, 6, a or e), like the default 02:1c:73:00:00:01.
    """
    mac = model.fabric["anycast_gateway_mac"]
    for prefix, what in _FHRP_PREFIXES:
        if mac.startswith(prefix):
            yield Finding("GW001", "fabric.anycast_gateway_mac", f"{mac} is a {what} virtual MAC",
                          "use a locally administered MAC such as 02:1c:73:00:00:01")
