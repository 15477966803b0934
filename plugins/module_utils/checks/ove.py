"""OpenShift Virtualization rules: what an OVE cluster's NNCPs, NADs, MetalLB and install-config need.

The design (design/ove.py) builds the OVE section of every cluster without
judging it; these rules reject the models whose section could not work on a
cluster, before anything is rendered.
"""

from __future__ import annotations

import ipaddress

from ..addressing import overlaps
from ..design.ove import RESERVED_OVN_NETWORKS, install_prefixes, management_network, used_addresses, vm_networks
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


@check("OVE004", "error", "Machine network tagged under the shared VM bridge", FAMILY)
def shared_layout_untagged_machine_network(model, facts, design):
    """An OVE cluster shares its bond with the VM networks (`ove.vm_layout: shared`) but carries the machine network tagged.

    In the shared layout the VM networks reach the wire through br-ex, whose port is the machine-network
    interface: with the machine network untagged that is the bond itself and OVN's localnet tags each VM
    VLAN once. With a tagged machine network br-ex sits on the VLAN interface (bond0.10), so every VM frame,
    already tagged by OVN, would be tagged a second time (802.1Q in 802.1Q) and the leaves drop it.

    Set `native_network` to the management network (untagged on the bond and on the leaf ports), or use
    `vm_layout: dedicated` with a second bond.
    """
    for cluster in _ove_clusters(model):
        if cluster["ove"]["vm_layout"] != "shared" or not vm_networks(model, cluster) or not cluster["bond"]:
            continue
        mgmt = management_network(model, cluster)
        if mgmt and cluster["native_network"] != mgmt:
            vlan = model.networks[mgmt]["vlan"]
            yield Finding("OVE004", f"clusters[{cluster['name']}].native_network",
                          f"the machine network {mgmt} is tagged (VLAN {vlan}) on {cluster['bond']['name']}: br-ex sits on "
                          f"{cluster['bond']['name']}.{vlan}, so VM frames tagged by OVN's localnet would leave double "
                          "tagged", f"set native_network: {mgmt}, or vm_layout: dedicated with ove.vm_bond")


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


def _ove_sections(model, design):
    for cluster in _ove_clusters(model):
        section = (design or {}).get("clusters", {}).get(cluster["name"], {}).get("ove")
        if section:
            yield cluster, section


def _declared(policy) -> list:
    """(interface name, how the policy uses it) of everything a post-install policy declares."""
    out = [(n["name"], "interface") for n in policy["nics"]]
    if policy["bond"]:
        out.append((policy["bond"]["name"], "interface"))
        out += [(p, "bond port") for p in policy["bond"]["ports"]]
    out += [(v["name"], "interface") for v in policy["vlan_interfaces"]]
    if policy["bridge"]:
        out.append((policy["bridge"]["name"], "interface"))
        if policy["bridge"]["port"]:
            out.append((policy["bridge"]["port"], "bridge port"))
    return out


@check("OVE013", "error", "Post-install policy touches an interface under br-ex", FAMILY)
def post_install_leaves_br_ex(model, facts, design):
    """A post-install NodeNetworkConfigurationPolicy declares br-ex or an interface under it.

    After installation configure-ovs has moved the machine-network interface (the bond or its VLAN)
    into the OVS bridge br-ex; Red Hat states that br-ex and the interfaces, bonds and VLANs under it
    must not be modified. A policy that declares one of them (as an interface, or as a port of another
    bond or bridge) either fails enactment or, forced, cuts the node off the cluster network.

    Give the VM bridge its own name and NICs (`ove.ovs_bridge`, `ove.vm_bond.nics` apart from the
    cluster bond's NICs), or use `vm_layout: shared`, which maps the VM networks to br-ex without
    declaring it.
    """
    for cluster, section in _ove_sections(model, design):
        for policy in section["policies"]:
            for node in policy["nodes"][:1] if policy["kind"] == "group" else policy["nodes"]:
                under = set(section["br_ex"]["under"].get(node, ()))
                for name, how in _declared(policy):
                    if name in under:
                        yield Finding("OVE013", f"clusters[{cluster['name']}].ove",
                                      f"NNCP {policy['name']} declares {name} ({how}), which is under br-ex on {node} "
                                      f"(br-ex port: {section['br_ex']['machine_interface']})",
                                      "keep the VM bond and bridge apart from the cluster bond and br-ex")


@check("OVE014", "error", "Dedicated VM layout without its bond", FAMILY)
def dedicated_layout_has_vm_bond(model, facts, design):
    """An OVE cluster uses the dedicated VM layout but its second bond is missing or not cabled.

    In the dedicated layout the VM networks leave through a second bond, the port of the VM bridge;
    without `ove.vm_bond`, with a bond profile that does not exist, or with a NIC of the bond missing
    on a node, there is no uplink for the VM VLANs and every VM network of that node is cut off.

    Set `ove.vm_bond` (name, profile, nics) and cable those NICs on every node, or use
    `vm_layout: shared`.
    """
    for cluster in _ove_clusters(model):
        ove = cluster["ove"]
        if ove["vm_layout"] != "dedicated" or not vm_networks(model, cluster):
            continue
        path = f"clusters[{cluster['name']}].ove.vm_bond"
        bond = ove["vm_bond"]
        if not bond:
            yield Finding("OVE014", path, "the dedicated layout needs a second bond for the VM networks",
                          "set ove.vm_bond (name, profile, nics), or vm_layout: shared")
            continue
        if bond["profile"] not in model.bond_profiles:
            yield Finding("OVE014", f"{path}.profile", f"bond profile '{bond['profile']}' does not exist",
                          "name a profile of bond_profiles")
        if cluster["bond"] and bond["name"] == cluster["bond"]["name"]:
            yield Finding("OVE014", f"{path}.name", f"the VM bond has the cluster bond's name {bond['name']}",
                          "give the VM bond its own name (bond1)")
        for node in cluster["nodes"]:
            missing = [n for n in bond["nics"] if n not in node["nics"]]
            if missing:
                yield Finding("OVE014", f"clusters[{cluster['name']}].nodes[{node['name']}].nics",
                              f"VM bond NIC(s) {', '.join(missing)} are not cabled on {node['name']}",
                              "cable every NIC of ove.vm_bond.nics on every node")
            elif len(bond["nics"]) >= len(node["nics"]):
                yield Finding("OVE014", f"clusters[{cluster['name']}].nodes[{node['name']}].nics",
                              "every NIC of the node is in the VM bond: none is left for the cluster bond",
                              "keep the machine-network NICs out of ove.vm_bond.nics")


@check("OVE015", "error", "Bridge CNI on the shared VM layout", FAMILY)
def shared_layout_needs_localnet(model, facts, design):
    """An OVE cluster combines `vm_layout: shared` with `cni: bridge`.

    The shared layout reaches the wire through br-ex, an OVS bridge owned by OVN-Kubernetes; only OVN
    localnet networks (bridge mappings) can use it. A Linux bridge CNI network needs a Linux bridge of
    its own on a NIC or bond br-ex does not hold.

    Use `cni: localnet`, or `vm_layout: dedicated` with a second bond.
    """
    for cluster in _ove_clusters(model):
        if cluster["ove"]["vm_layout"] == "shared" and cluster["ove"]["cni"] == "bridge" and vm_networks(model, cluster):
            yield Finding("OVE015", f"clusters[{cluster['name']}].ove.cni",
                          "the shared layout maps VM networks to br-ex: only OVN localnet networks can use it",
                          "use cni: localnet, or vm_layout: dedicated")


@check("OVE016", "warning", "NNCP rollout not limited", FAMILY)
def rollout_is_limited(model, facts, design):
    """The node-group NodeNetworkConfigurationPolicy may configure every node of the group at once.

    kubernetes-nmstate limits a policy's rollout to `maxUnavailable` nodes (a percentage is rounded up,
    at least 1). A value that reaches the whole group gives no protection: a bad bond or bridge setting
    takes every node's VM networks down together instead of stopping after the first nodes fail.

    Lower `ove.nncp_max_unavailable` (for example 10% or 1).
    """
    for cluster, section in _ove_sections(model, design):
        for policy in section["policies"]:
            count = len(policy["nodes"])
            if policy["kind"] == "group" and count > 1 and policy["rollout_limit"] >= count:
                yield Finding("OVE016", f"clusters[{cluster['name']}].ove.nncp_max_unavailable",
                              f"maxUnavailable {policy['max_unavailable']} lets NNCP {policy['name']} configure all "
                              f"{count} nodes at once", "lower nncp_max_unavailable (e.g. 10% or 1)")


@check("OVE017", "error", "Live-migration addresses clash with the network", FAMILY)
def live_migration_range(model, facts, design):
    """The address range of the dedicated live-migration network is empty, outside its network, or holds a node address.

    KubeVirt's virt-handler pods take their migration addresses from this range (whereabouts IPAM on
    the NetworkAttachmentDefinition in openshift-cnv); an address also held by a node or a gateway is
    answered twice and migrations stall or go to the wrong host.

    Set `ove.live_migration.range4/range6` to a free range inside the network (the default starts after
    the last node address), or give the network more room.
    """
    for cluster, section in _ove_sections(model, design):
        lm = section["live_migration"]
        if not lm:
            continue
        used = used_addresses(model, facts, lm["network"])
        for rng in lm["ranges"]:
            fam = 4 if "." in rng["prefix"] else 6
            path = f"clusters[{cluster['name']}].ove.live_migration.range{fam}"
            try:
                net = ipaddress.ip_network(rng["prefix"])
                first, last = ipaddress.ip_address(rng["first"]), ipaddress.ip_address(rng["last"])
            except ValueError as exc:
                yield Finding("OVE017", path, f"not a range 'first-last' of addresses: {exc}", "write first-last")
                continue
            if first not in net or last not in net or first > last:
                yield Finding("OVE017", path, f"{first}-{last} is not a range inside {net}",
                              f"choose a range inside {net}")
                continue
            clash = [u for u in used[fam] if int(first) <= u <= int(last)]
            if clash:
                yield Finding("OVE017", path, f"{first}-{last} holds {len(clash)} address(es) of nodes or gateways, "
                              f"e.g. {ipaddress.ip_address(clash[0])}", "start the range after the last node address")


@check("OVE018", "warning", "OVE node without the MAC of an install NIC", FAMILY)
def install_nics_have_macs(model, facts, design):
    """An OVE node lacks the MAC address of a NIC of its cluster bond (`nodes[].macs`).

    The agent-based installer finds the host a `networkConfig` belongs to by the MAC addresses of its
    `interfaces`; such a node is left out of agent-config.yaml and boots without its bond, machine-network
    VLAN and static addresses unless its networkConfig (hosts/<node>.nmstate.yml) reaches the installer
    another way.

    Add `macs: {<nic>: <mac>}` for every NIC of the cluster bond.
    """
    for cluster, section in _ove_sections(model, design):
        for host in section["install"]["hosts"]:
            missing = [i["name"] for i in host["interfaces"] if not i["mac"]]
            if missing:
                yield Finding("OVE018", f"clusters[{cluster['name']}].nodes[{host['node']}].macs",
                              f"no MAC address for {', '.join(missing)}: the node is left out of agent-config.yaml",
                              "add macs: {nic: mac} for every NIC of the cluster bond")


@check("OVE019", "error", "Live-migration network not on the hosts", FAMILY)
def live_migration_network_on_hosts(model, facts, design):
    """The live-migration network named for an OVE cluster is not one of its networks with a host VLAN interface.

    The migration NetworkAttachmentDefinition is a macvlan on the host's VLAN interface of that
    network; without it (a network the cluster does not carry, a VM network, or one carried untagged)
    the virt-handler pods have no uplink and every migration fails.

    Name a network of the cluster with role live_migration in `ove.live_migration.network`.
    """
    for cluster, section in _ove_sections(model, design):
        lm = section["live_migration"]
        explicit = cluster["ove"]["live_migration"]["network"]
        if explicit and explicit not in model.networks:
            yield Finding("OVE019", f"clusters[{cluster['name']}].ove.live_migration.network",
                          f"network '{explicit}' does not exist", "name a network of the cluster")
        elif lm and not lm["master"]:
            yield Finding("OVE019", f"clusters[{cluster['name']}].ove.live_migration.network",
                          f"network {lm['network']} has no VLAN interface on the cluster's hosts",
                          "add it to the cluster's networks (tagged, role live_migration)")
