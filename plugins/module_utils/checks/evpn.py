"""Switch fabric rules: EVPN route limits, the anycast gateway MAC, one DCB policy per switch."""

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


@check("DCB001", "error", "RDMA storage intents on one switch disagree on DCB", "dcb")
def dcb_agrees_per_switch(model, facts, design):
    """Two Azure Local storage intents with RDMA on the same leaf ask for different DCB settings.

    The lossless class, its queues and the ETS shares are one system-wide policy per switch (NX-OS
    `system qos`, EOS CoS/traffic-class maps): a second intent with another SMB or cluster priority or
    SMB bandwidth would get the first intent's policy, and its RDMA traffic would be dropped under load.

    Give every RDMA intent on the pair the same `qos` (or none: Network ATC's defaults), or cable the
    clusters to different leaf pairs.
    """
    for leaf, ports in sorted(facts.host_ports.items()):
        seen = {}
        for port in ports.values():
            dcb = port.get("dcb")
            if dcb:
                key = (dcb["pfc_priorities"][0], dcb["cluster_priority"], dcb["smb_bandwidth"])
                seen.setdefault(key, []).append(port)
        if len(seen) > 1:
            (first, a), *rest = sorted(seen.items())
            for key, ports_b in rest:
                b = ports_b[0]
                yield Finding("DCB001", b["path"],
                              f"{leaf}: SMB priority {key[0]}, cluster {key[1]}, SMB {key[2]} % differ from "
                              f"{a[0]['path']} (SMB priority {first[0]}, cluster {first[1]}, SMB {first[2]} %)",
                              "use the same intent qos on every RDMA intent of the switch", related=(a[0]["path"],))
