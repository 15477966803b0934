"""The MTU of each kind of hop, read from the design: one source for the checks and the path explainer.

``mtu.py`` holds the arithmetic (overheads, frame sizes, the bottleneck of a
chain); this module says which number applies where: what a host interface
sends, what a fabric link or a spine carries once the fabric's VXLAN is taken
off, what a cluster's own overlay costs.  The path-MTU rule walks the worst hop
of every network with these functions; ``path/`` walks the hops of one flow
with the same ones, so a path and the rule cannot disagree.
"""

from __future__ import annotations

from . import mtu as mtumath

# What Linux assumes for an adapter without a JumboPacket setting (Azure Local intents).
DEFAULT_ADAPTER_MTU = 1500


def fabric_overhead(model) -> int:
    """Bytes the fabric's overlay adds to a bridged frame on spine-leaf links (VXLAN, IPv4 VTEPs)."""
    return mtumath.VXLAN_OVERHEAD if model.fabric["overlay"] == "evpn_vxlan" else 0


def cluster_overhead(cluster) -> int:
    """Bytes a cluster's host overlay takes (OVN-Kubernetes Geneve 100, VXLAN 50, +46 with IPsec); 0 without."""
    if cluster["overlay"] == "none":
        return 0
    if cluster["platform"] == "ove" and cluster["overlay"] == "geneve":
        kind = "ovn-k"
    else:
        kind = cluster["overlay"]
    return mtumath.overlay_overhead(kind, 4, bool(cluster["ipsec"]))


def host_bond(node_cfg, vm_network: bool = False):
    """The bond a node sends a network by: the VM bond of the OVE dedicated layout for a VM network, else its
    bond (None for a node without one)."""
    if vm_network and node_cfg.get("vm_bond"):
        return node_cfg["vm_bond"]
    return node_cfg.get("bond")


def bond_mtu(node_cfg, vm_network: bool = False):
    """MTU of the bond a node sends a network by (its NICs share it), or None for a node without a bond."""
    bond = host_bond(node_cfg, vm_network)
    return bond["mtu"] if bond else None


def adapter_mtu(adapter) -> int:
    """IP MTU of an Azure Local adapter: JumboPacket less the Ethernet header, else 1500."""
    return adapter.get("mtu") or DEFAULT_ADAPTER_MTU


def uplink_mtu(link, overhead: int) -> int:
    """What a leaf-spine link carries for a host packet once ``overhead`` bytes of encapsulation are added."""
    return link["mtu"] - overhead


def spine_mtu(facts, spine: str, overhead: int) -> int:
    """What a spine's ports carry for a host packet once ``overhead`` bytes of encapsulation are added."""
    return facts.port_mtu[spine] - overhead
