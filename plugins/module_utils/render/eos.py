"""Arista EOS running-config (docs/platforms/eos.md)."""

from __future__ import annotations

from .base import render_sections
from .switches import HEADER, groups_by_family, password_note, variable_reference, vrf_blocks

TEMPLATES = __name__.rsplit(".", 1)[-1]  # templates/<this module>/

# The running-config in EOS's own order, one template per section under templates/eos/.
# Ethernet and port-channel sections share templates/eos/_switchport.j2 and _edge_port.j2.
SECTIONS = (
    "base",                    # hostname, routing model, spanning tree
    "management",              # management VRF, Management1, its route, services, users, API: first, so a
                               # replace or a line-by-line paste never cuts the switch off
    "vrfs",                    # tenant VRFs, before any interface joins one
    "qos",                     # DCB for RDMA storage: CoS/traffic-class maps, the QoS profile (PFC, ETS, ECN)
    "vlans",
    "mlag_peer_link",          # the peer link port-channel
    "port_channels",
    "ethernet_interfaces",
    "mlag_peer_link_members",
    "fabric_links",            # routed uplinks
    "external_interfaces",     # handover ports and sub-interfaces toward external peers
    "loopbacks",
    "vlan_interfaces",         # SVIs with the anycast gateway
    "mlag_vlan_interface",     # the MLAG peer SVI
    "vxlan",
    "virtual_router_mac",
    "ip_routing",
    "prefix_lists",
    "community_lists",
    "mlag_configuration",
    "route_maps",
    "router_bfd",
    "router_bgp",
    "end",
)


# EOS names the LACP rate "timer": fast | normal
LACP_TIMER = {"fast": "fast", "slow": "normal"}
# The QoS profile (qos trust, PFC, tx-queue ETS/ECN) every RDMA storage port applies with `service-profile`.
DCB_PROFILE = "DCNET-RDMA"


def device(config) -> dict:
    return {"cfg": render_sections(TEMPLATES, SECTIONS, c=config, header=HEADER.format(path=config["model_path"]),
                                   password_note=password_note, by_family=groups_by_family(config),
                                   lacp_timer=LACP_TIMER, ref=variable_reference,
                                   dcb_profile=DCB_PROFILE, vrf_blocks=vrf_blocks(config))}
