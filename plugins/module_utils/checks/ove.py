"""OpenShift Virtualization rules: what an OVE cluster's NNCPs, NADs, MetalLB and install-config need.

The design (design/ove.py) builds the OVE section of every cluster without
judging it; these rules reject the models whose section could not work on a
cluster, before anything is rendered.
"""

from __future__ import annotations

from ..addressing import overlaps
from ..design.ove import RESERVED_OVN_NETWORKS, install_prefixes, management_network, vm_networks
from ..findings import Finding
from .registry import check

FAMILY = "ove"


def _ove_clusters(model):
    return [c for c in model.clusters.values() if c["platform"] == "ove"]


@check("OVE001", "error", "VM networks without a host bond", FAMILY)
def vm_networks_need_bond(model, facts, design):
    """An OVE cluster carries VM networks but its nodes have no bond to carry their VLANs.

    The VM bridge (OVS for localnet, Linux bridge for the bridge CNI) is built on the bond; without one
    there is no port for the VM VLANs and every NetworkAttachmentDefinition leads nowhere.

    Set `clusters[].bond` (an OVE cluster always attaches its nodes through a bond).
    """
    for cluster in _ove_clusters(model):
        if vm_networks(model, cluster) and not cluster["bond"]:
            yield Finding("OVE001", f"clusters[{cluster['name']}].bond", "VM networks need a host bond to carry their VLANs",
                          "set clusters[].bond")


@check("OVE002", "error", "OVE overlay other than Geneve", FAMILY)
def geneve_overlay(model, facts, design):
    """An OVE cluster names an overlay other than `geneve`.

    OVN-Kubernetes always tunnels pod traffic between nodes in Geneve (UDP 6081); the overlay decides the
    overhead the cluster MTU is derived from, so any other value gives a wrong MTU.

    Set `overlay: geneve` on the cluster.
    """
    for cluster in _ove_clusters(model):
        if cluster["overlay"] != "geneve":
            yield Finding("OVE002", f"clusters[{cluster['name']}].overlay",
                          f"OVN-Kubernetes always uses Geneve between nodes, not '{cluster['overlay']}'",
                          "set overlay: geneve")


@check("OVE004", "error", "Native network on the VM bridge's bond", FAMILY)
def native_network_on_bridge_port(model, facts, design):
    """An OVE cluster with VM networks also carries a network untagged (`native_network`) on its bond.

    The bond is a port of the VM bridge, so it cannot also hold the untagged host addresses: nmstate either
    refuses the NNCP or moves the addresses away and the node loses that network.

    Carry the native network tagged (drop `native_network`), or move the VM networks to another cluster.
    """
    for cluster in _ove_clusters(model):
        if vm_networks(model, cluster) and cluster["bond"] and cluster["native_network"]:
            yield Finding("OVE004", f"clusters[{cluster['name']}].native_network",
                          f"the bond {cluster['bond']['name']} is a port of bridge {cluster['ove']['ovs_bridge']}, so it "
                          f"cannot also hold the untagged addresses of '{cluster['native_network']}'",
                          "carry the native network tagged (drop native_network) or move the VM networks to another "
                          "cluster")


@check("OVE005", "error", "Network name reserved by OVN-Kubernetes", FAMILY)
def reserved_network_name(model, facts, design):
    """A localnet VM network is named `default` or `ovn-kubernetes`.

    The network name becomes the NetConf `name` of the NetworkAttachmentDefinition; OVN-Kubernetes reserves
    these two for its own networks and rejects the attachment, so VMs on it never start.

    Rename the network.
    """
    for cluster in _ove_clusters(model):
        if cluster["ove"]["cni"] != "localnet":
            continue
        for net in sorted(vm_networks(model, cluster), key=lambda n: n["name"]):
            if net["name"] in RESERVED_OVN_NETWORKS:
                yield Finding("OVE005", f"networks[{net['name']}]",
                              f"'{net['name']}' is a network name OVN-Kubernetes reserves", "rename the network")


@check("OVE006", "error", "OVE cluster without a management network", FAMILY)
def machine_network(model, facts, design):
    """An OVE cluster has no network with role `management`.

    The management network is the cluster's machine network: the install-config, the node addresses the
    API and the Geneve tunnels use, and the MTU the cluster network derives from all come from it.

    Add a network with `role: management` to the cluster's networks.
    """
    for cluster in _ove_clusters(model):
        if not management_network(model, cluster):
            yield Finding("OVE006", f"clusters[{cluster['name']}].networks",
                          "an OVE cluster needs a management network (the machine network)",
                          "add a network with role management")


@check("OVE007", "error", "Machine network without IPv4", FAMILY)
def machine_network_ipv4(model, facts, design):
    """The OVE cluster's machine network has no IPv4 prefix.

    The collection renders IPv4 single-stack or IPv4-first dual-stack clusters; an IPv6-only machine
    network would give an install-config whose clusterNetwork and serviceNetwork are IPv4 only.

    Give the management network an `ipv4` prefix.
    """
    for cluster in _ove_clusters(model):
        mgmt = management_network(model, cluster)
        if mgmt and not model.networks[mgmt]["ipv4"]:
            yield Finding("OVE007", f"networks[{mgmt}].ipv4", "the machine network has no IPv4 prefix; this collection "
                          "renders IPv4 single-stack or IPv4-first dual-stack clusters",
                          "give the management network an ipv4 prefix")


@check("OVE008", "error", "Cluster ranges overlap", FAMILY)
def cluster_ranges_overlap(model, facts, design):
    """The machine, cluster (pod) and service networks overlap one another or OVN-Kubernetes' internal subnets.

    Overlapping ranges route pod or service traffic to the wrong place: the join, transit and masquerade
    subnets (100.64.0.0/16, 100.88.0.0/16, 169.254.0.0/17 and their IPv6 twins) are OVN's own.

    Choose non-overlapping `ove.cluster_network4/6` and `ove.service_network4/6` prefixes.
    """
    for cluster in _ove_clusters(model):
        named = install_prefixes(model, cluster)
        by_prefix = {}
        for label, prefix in named:
            by_prefix.setdefault(prefix, []).append(label)
        user = {p for label, p in named if not label.startswith("OVN")}
        for outer, inner in overlaps([prefix for label, prefix in named]):
            if outer not in user and inner not in user:
                continue
            yield Finding("OVE008", f"clusters[{cluster['name']}].ove",
                          f"{' / '.join(by_prefix[outer])} {outer} overlaps {' / '.join(by_prefix[inner])} {inner}",
                          "choose non-overlapping cluster_network/service_network prefixes")


@check("OVE010", "error", "Leaf answers MetalLB at two addresses", FAMILY)
def one_peer_per_leaf(model, facts, design):
    """One leaf would peer with a cluster's MetalLB speakers from more than one address or ASN per family.

    The cluster gets one BGPPeer per leaf and address family; a second address or ASN cannot be expressed
    there, so some speakers would peer with an address the leaf does not answer on.

    A design fault (both ends come from one session record); report it with the model.
    """
    seen = {}
    for s in facts.sessions:
        if s["kind"] != "metallb":
            continue
        key = (s["cluster"], s["a"]["device"], s["family"])
        value = (s["a"]["ip"], s["a"]["asn"], s["b"]["asn"])
        if seen.setdefault(key, value) != value:
            yield Finding("OVE010", s["path"], f"{s['a']['device']} answers MetalLB at more than one address or ASN")


@check("OVE011", "error", "MetalLB pool without range", FAMILY)
def pool_has_range(model, facts, design):
    """A MetalLB pool has neither an `ipv4` nor an `ipv6` range.

    An IPAddressPool needs at least one address range; the API server rejects an empty one and services
    asking for that pool stay pending.

    Set `ipv4` and/or `ipv6` on the pool.
    """
    for cluster in _ove_clusters(model):
        for pool in (cluster["metallb"] or {}).get("pools", []):
            if not pool["ipv4"] and not pool["ipv6"]:
                yield Finding("OVE011", f"clusters[{cluster['name']}].metallb.pools[{pool['name']}]",
                              "the pool has no ipv4 or ipv6 range", "set ipv4 and/or ipv6")


@check("OVE012", "error", "MetalLB IPv4 pool without an IPv4 BGP session", FAMILY)
def pool_family_has_session(model, facts, design):
    """A MetalLB pool has an IPv4 range but no speaker of the cluster peers with the leaves over IPv4.

    MetalLB advertises a pool's addresses over BGP sessions of their own family; without one, services get
    addresses from the range that nothing outside the cluster can reach. (The IPv6 case is DS004.)

    Give the peer network an IPv4 prefix (with a fabric gateway), or drop the pool's ipv4 range.
    """
    families = {}
    for s in facts.sessions:
        if s["kind"] == "metallb":
            families.setdefault(s["cluster"], set()).add(s["family"])
    for cluster in _ove_clusters(model):
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for fam in (4,):
                if pool[f"ipv{fam}"] and fam not in families.get(cluster["name"], ()):
                    yield Finding("OVE012", f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].ipv{fam}",
                                  f"no IPv{fam} BGP session exists to advertise {pool[f'ipv{fam}']}",
                                  f"give the peer network an IPv{fam} prefix or drop the pool's ipv{fam} range")
