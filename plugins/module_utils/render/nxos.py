"""Cisco NX-OS running-config (docs/platforms/nxos.md)."""

from __future__ import annotations

from .base import render_sections
from .switches import HEADER, groups_by_family, password_note, peer_of, variable_reference, vrf_blocks

TEMPLATES = __name__.rsplit(".", 1)[-1]  # templates/<this module>/

# The running-config in NX-OS's own order, one template per section under templates/nxos/.
# Ethernet and port-channel sections share templates/nxos/_switchport.j2 and _edge_port.j2.
SECTIONS = (
    "base",                    # hostname, nv overlay, features
    "management",              # mgmt0 in VRF management first: a replace never cuts the switch off
    "spanning_tree",
    "system_mtu",
    "qos",                     # DCB for RDMA storage: classification, network-qos (PFC, MTU), queuing (ETS, ECN)
    "anycast_gateway",
    "vlans",
    "prefix_lists",
    "community_lists",
    "route_maps",
    "vrfs",                    # tenant VRFs (vrf context: L3 VNI, RD, route targets) before any interface joins one
    "vpc_domain",
    "loopbacks",
    "vlan_interfaces",         # SVIs: anycast gateway (VXLAN) or HSRP
    "vpc_vlan_interface",      # the vPC peer SVI (routed iBGP peering)
    "vpc_peer_link",
    "port_channels",
    "nve",
    "ethernet_interfaces",
    "vpc_peer_link_members",
    "fabric_links",            # routed uplinks
    "external_interfaces",     # handover ports and sub-interfaces toward external peers
    "bfd",
    "router_bgp",
    "evpn",
    "end",
)


def dotted_mac(mac: str) -> str:
    """00:00:5e:00:01:01 -> 0000.5e00.0101 (NX-OS notation)."""
    hexdigits = mac.replace(":", "").lower()
    return ".".join(hexdigits[i:i + 4] for i in range(0, 12, 4))


def _features(config) -> list:
    """The `feature` lines the config needs, in NX-OS order."""
    vlans = config.get("vlans") or []
    feats = ["bgp", "bfd"]
    if config.get("port_channels") or config.get("mlag"):
        feats.append("lacp")
    if any(v["svi"] for v in vlans) or config.get("mlag") or config.get("external_vlans") \
            or any(v["l3vni"] for v in config.get("vrfs") or []):
        feats.append("interface-vlan")
    if any(v["svi"] and not v["vni"] for v in vlans):
        feats.append("hsrp")
    if any(v["svi"] and v["svi"]["dhcp_relay"] for v in vlans):
        feats.append("dhcp")
    if config.get("mlag"):
        feats.append("vpc")
    if config.get("vxlan"):
        feats += ["nv overlay", "vn-segment-vlan-based", "fabric forwarding"]
    if config.get("dcb"):
        feats.append("lldp")     # PFC TLVs (send-tlv) ride LLDP
    mgmt = config.get("management") or {}
    if mgmt.get("api"):
        feats.append("nxapi")
    if mgmt.get("tacacs"):
        feats.append("tacacs+")
    if mgmt.get("gnmi"):
        feats.append("grpc")
    return feats


def device(config) -> dict:
    return {"cfg": render_sections(TEMPLATES, SECTIONS, c=config, header=HEADER.format(path=config["model_path"]),
                                   password_note=password_note, by_family=groups_by_family(config),
                                   features=_features(config), dotted_mac=dotted_mac, ref=variable_reference,
                                   peer_of=lambda name: peer_of(config, name), vrf_blocks=vrf_blocks(config))}
