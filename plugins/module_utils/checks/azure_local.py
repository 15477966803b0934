"""Network ATC rules for Azure Local clusters (family ``azure_local``).

Network ATC refuses, or silently mis-configures, intents that break its own
rules; these checks catch them in the model, before a script or a
deploymentSettings resource reaches a cluster.  ATC007 (an intent adapter
not cabled on a node) is raised by the loader.
"""

from __future__ import annotations

import ipaddress

from ..addressing import subnet_count
from ..design.azure_local import (ATC_QOS_DEFAULTS, JUMBO_PACKETS, MESH_LINK_PREFIXLEN, atc_auto_subnet,
                                  management_network, mesh_links, storage_scheme, switched_storage_networks)
from ..design.azure_local_deployment import pool_addresses
from ..findings import Finding
from . import context
from .registry import check, declare

ADAPTER_NOT_CABLED = declare(
    "ATC007", "error", "Intent adapter not cabled", "azure_local",
    "Every adapter of every intent must be cabled on every node (Network ATC needs identical adapter names).")

FAMILY = "azure_local"
# Full-mesh switchless storage: validated by Microsoft up to four nodes (Azure Local 2411.1 and later).
SWITCHLESS_MAX_NODES = 4


def _clusters(model):
    return [c for c in model.clusters.values() if c["platform"] == "azure_local"]


def _ipath(cluster, intent):
    return f"clusters[{cluster['name']}].intents[{intent['name']}]"


@check("ATC001", "error", "Adapter in more than one intent", FAMILY)
def adapter_in_one_intent(model, facts, design):
    """A physical adapter belongs to exactly one Network ATC intent.

    Why it breaks: Add-NetIntent rejects an adapter that another intent already
    owns, so the second intent is never created and its traffic has no path.
    Fix: give each intent its own adapters, or merge the two intents into one
    with both traffic types (a converged intent).
    """
    for cluster in _clusters(model):
        owner = {}
        for intent in cluster["intents"]:
            for idx, adapter in enumerate(intent["adapters"]):
                if adapter in owner:
                    yield Finding("ATC001", f"{_ipath(cluster, intent)}.adapters[{idx}]",
                                  f"adapter '{adapter}' is already in intent '{owner[adapter]}'",
                                  "an adapter belongs to one intent; use other adapters or merge the intents",
                                  related=(_ipath(cluster, {"name": owner[adapter]}),))
                else:
                    owner[adapter] = intent["name"]


@check("ATC002", "error", "More than one management or storage intent", FAMILY)
def one_management_one_storage(model, facts, design):
    """A cluster has at most one intent with management traffic and at most one with storage traffic.

    Why it breaks: Network ATC allows a single management and a single storage
    intent per cluster (compute may appear in several); a second one is rejected.
    Fix: put the traffic type on one intent only.
    """
    for cluster in _clusters(model):
        for traffic in ("management", "storage"):
            having = [i for i in cluster["intents"] if traffic in i["traffic"]]
            for intent in having[1:]:
                yield Finding("ATC002", f"{_ipath(cluster, intent)}.traffic",
                              f"{traffic} traffic is already on intent '{having[0]['name']}'",
                              f"keep {traffic} on one intent", related=(_ipath(cluster, having[0]),))


@check("ATC003", "error", "Storage VLAN shared or reused", FAMILY)
def storage_vlans_unique(model, facts, design):
    """Each storage network (VLAN) serves one storage adapter of one cluster and nothing else.

    Why it breaks: Network ATC puts one storage VLAN on each storage adapter and,
    with automatic IPs, numbers the adapters 10.71.<n>.x on it; a storage VLAN
    that another cluster, another intent or another traffic type (management,
    VM, live migration) also uses mixes SMB Direct with other traffic and makes
    the automatic addresses of two clusters collide.
    Fix: give every storage adapter its own network of role ``storage`` used by
    no other cluster and by no non-storage intent.
    """
    users = {}
    for cluster in model.clusters.values():
        for name in cluster["networks"]:
            users.setdefault(name, []).append(cluster["name"])
    for cluster in _clusters(model):
        mgmt = management_network(model, cluster)
        for intent in cluster["intents"]:
            if "storage" not in intent["traffic"]:
                continue
            for idx, name in enumerate(intent["storage_networks"]):
                path = f"{_ipath(cluster, intent)}.storage_networks[{idx}]"
                net = model.networks.get(name)
                if net is None:
                    continue
                others = [c for c in users.get(name, []) if c != cluster["name"]]
                if others:
                    yield Finding("ATC003", path, f"storage network '{name}' (VLAN {net['vlan']}) is also used by "
                                  f"cluster(s) {', '.join(sorted(others))}",
                                  "give each cluster its own storage networks and VLANs",
                                  related=tuple(f"clusters[{c}]" for c in sorted(others)))
                if net["role"] != "storage":
                    yield Finding("ATC003", path, f"storage network '{name}' (VLAN {net['vlan']}) has role "
                                  f"'{net['role']}', so other traffic shares its VLAN",
                                  "use a network of role storage for each storage adapter",
                                  related=(f"networks[{name}]",))
                if name == mgmt:
                    yield Finding("ATC003", path, f"storage network '{name}' is the cluster's management network",
                                  "use a separate storage network", related=(f"networks[{name}]",))


@check("ATC004", "error", "JumboPacket not supported by Network ATC", FAMILY)
def jumbo_packet_values(model, facts, design):
    """An intent's JumboPacket is 1514, 4088 or 9014 (bytes, Ethernet header included).

    Why it breaks: these are the adapter property values Network ATC and the
    Azure portal offer; another value is refused by the NIC driver or by the
    deployment validation, and the host MTU would not match the switch side.
    Fix: pick 1514 (no jumbo), 4088 or 9014 (IP MTU 9000, for storage).
    """
    for cluster in _clusters(model):
        for intent in cluster["intents"]:
            jumbo = intent["jumbo_packet"]
            if jumbo is not None and jumbo not in JUMBO_PACKETS:
                yield Finding("ATC004", f"{_ipath(cluster, intent)}.jumbo_packet",
                              f"JumboPacket {jumbo} is not one of {', '.join(map(str, JUMBO_PACKETS))}",
                              "use 9014 for an IP MTU of 9000, or 1514 for none")


@check("ATC005", "error", "RDMA technology differs within an intent", FAMILY)
def rdma_consistent(model, facts, design):
    """All adapters of an intent use the same RDMA (NetworkDirect) technology.

    Why it breaks: Network ATC applies one NetworkDirectTechnology to every
    adapter of an intent, and SMB Direct between nodes needs the same
    technology on both ends; iWARP talking to RoCE, or RoCE with DCB on one
    adapter and none on the other, loses storage traffic.  A per-adapter entry
    naming an adapter that is not in the intent is a typo.
    Fix: set ``rdma`` once on the intent and drop the differing
    ``rdma_per_adapter`` entries.
    """
    for cluster in _clusters(model):
        for intent in cluster["intents"]:
            path = _ipath(cluster, intent)
            for adapter, tech in sorted(intent["rdma_per_adapter"].items()):
                if adapter not in intent["adapters"]:
                    yield Finding("ATC005", f"{path}.rdma_per_adapter[{adapter}]",
                                  f"'{adapter}' is not an adapter of intent '{intent['name']}'",
                                  "list only the intent's adapters")
                elif tech != intent["rdma"]:
                    yield Finding("ATC005", f"{path}.rdma_per_adapter[{adapter}]",
                                  f"adapter '{adapter}' uses {tech} but the intent uses {intent['rdma']}",
                                  "use one RDMA technology for every adapter of the intent")


def _storage_ports(model, facts, cluster, intent):
    """(node, adapter, storage network, cable leaf, port facts or None) for every switched storage adapter."""
    converged = len(intent["traffic"]) > 1
    for node in cluster["nodes"]:
        link = facts.node_links.get((cluster["name"], node["name"])) or {}
        by_name = {a["name"]: a for a in link.get("adapters", []) if a["intent"] == intent["name"]}
        for idx, adapter in enumerate(intent["adapters"]):
            record = by_name.get(adapter)
            if not record or not record["leaf"]:
                continue
            port = facts.host_ports.get(record["leaf"], {}).get(record["port"])
            needed = intent["storage_networks"] if converged else intent["storage_networks"][idx:idx + 1]
            for name in needed:
                yield node, adapter, name, record, port


@check("ATC006", "error", "Storage adapter not on a port carrying its storage VLAN", FAMILY)
def storage_ports_carry_vlans(model, facts, design):
    """Every switched storage adapter is cabled to a leaf port that carries its storage VLAN, and the
    storage adapters of one storage network on all nodes share one layer-2 domain.

    Why it breaks: Network ATC tags storage VLAN n on storage adapter n; a leaf
    port without that VLAN drops all SMB traffic of the adapter, and nodes whose
    adapters sit on leaves without a layer-2 path between them (different
    leaf pairs, or two leaves without MLAG) cannot reach each other's storage.
    An EVPN overlay does not count as one layer-2 domain here: RDMA storage
    would cross the lossy spine hops, which Microsoft does not support (all
    machines of an instance on one ToR pair, storage kept on its ToR).
    Fix: keep the design-derived trunks (do not prune storage VLANs) and cable
    the n-th storage adapter of every node to the same leaf (or MLAG pair for
    converged intents) of the cluster's one ToR pair.
    """
    for cluster in _clusters(model):
        if cluster["storage"]["switchless"]:
            continue
        for intent in cluster["intents"]:
            if "storage" not in intent["traffic"]:
                continue
            leaves_of = {}
            for node, adapter, name, record, port in _storage_ports(model, facts, cluster, intent):
                vlan = model.networks[name]["vlan"]
                path = f"clusters[{cluster['name']}].nodes[{node['name']}].nics[{adapter}]"
                leaves_of.setdefault(name, {}).setdefault(record["leaf"], path)
                if port is None or vlan not in port["allowed_vlans"]:
                    where = f"{record['leaf']} {record['port']}"
                    yield Finding("ATC006", path, f"{where} does not carry storage VLAN {vlan} ({name}) of "
                                  f"intent '{intent['name']}'", "carry the storage VLAN on the adapter's leaf port",
                                  related=(_ipath(cluster, intent),))
            for name, leaves in sorted(leaves_of.items()):
                racks = {model.leaves[lf]["rack"] for lf in leaves}
                pair = model.leaves[sorted(leaves)[0]]["pair"]
                if len(leaves) == 1 or (len(racks) == 1 and pair["mlag"]):
                    continue
                paths = [leaves[lf] for lf in sorted(leaves)]
                yield Finding("ATC006", paths[-1], f"storage network '{name}' of intent '{intent['name']}' is "
                              f"cabled to leaves {', '.join(sorted(leaves))} with no layer-2 path between them",
                              "cable this storage adapter of every node to one leaf (or MLAG pair) of the "
                              "cluster's ToR pair", related=tuple(paths[:-1]))


@check("ATC008", "error", "Storage adapters and storage networks do not match", FAMILY)
def storage_network_per_adapter(model, facts, design):
    """A storage intent lists exactly one storage network per adapter; other intents list none.
    A switchless full mesh (three or four nodes) lists one storage network, and its adapters divide
    evenly among each node's peers.

    Why it breaks: Network ATC pairs storage adapter n with storage VLAN n; with
    fewer networks than adapters it falls back to its default VLANs (711...)
    which the fabric does not carry, and extra networks are never used. A
    switchless mesh uses one VLAN for all its link subnets (carved from its one
    storage network), and every node needs the same number of links to each
    other node.
    Fix: list one storage network per storage adapter, in adapter order (for a
    mesh: one network, and (nodes - 1) x links-per-peer adapters).
    """
    for cluster in _clusters(model):
        mesh = storage_scheme(cluster) == "switchless_mesh"
        for intent in cluster["intents"]:
            path = _ipath(cluster, intent)
            nets, adapters = intent["storage_networks"], intent["adapters"]
            if "storage" not in intent["traffic"]:
                if nets:
                    yield Finding("ATC008", f"{path}.storage_networks",
                                  f"intent '{intent['name']}' has no storage traffic but lists storage networks",
                                  "remove storage_networks or add storage to traffic")
            elif mesh:
                peers = len(cluster["nodes"]) - 1
                if len(nets) != 1:
                    yield Finding("ATC008", f"{path}.storage_networks",
                                  f"a switchless mesh of {peers + 1} nodes uses one storage network (one VLAN, a subnet "
                                  f"per link), not {len(nets)}", "list the one storage network the link subnets come from")
                if not mesh_links(cluster, adapters)[1]:
                    yield Finding("ATC008", f"{path}.adapters",
                                  f"{len(adapters)} storage adapter(s) do not divide among {peers} peers per node",
                                  f"use {peers} or {2 * peers} storage adapters (one or two links to every other node)")
            elif len(nets) != len(adapters):
                yield Finding("ATC008", f"{path}.storage_networks",
                              f"{len(adapters)} storage adapter(s) but {len(nets)} storage network(s)",
                              "list one storage network per adapter, in adapter order")


@check("ATC009", "error", "Cluster size outside Network ATC limits", FAMILY)
def cluster_size(model, facts, design):
    """Switchless storage serves 1 to 4 nodes; an Azure Local cluster has at most 16 nodes.

    Why it breaks: without a storage switch every node needs a direct link to
    every other node; Microsoft validates full-mesh switchless storage up to
    four nodes (four from Azure Local 2411.1, deployed by ARM template); more
    than 16 nodes is beyond the product's limit.
    Fix: use switched storage (storage.switchless: false) from five nodes, or
    split the cluster.
    """
    for cluster in _clusters(model):
        count = len(cluster["nodes"])
        path = f"clusters[{cluster['name']}]"
        if cluster["storage"]["switchless"] and count > SWITCHLESS_MAX_NODES:
            yield Finding("ATC009", f"{path}.storage.switchless",
                          f"switchless storage with {count} nodes (at most {SWITCHLESS_MAX_NODES})",
                          "set storage.switchless: false and cable the storage adapters to leaves")
        if count > 16:
            yield Finding("ATC009", f"{path}.nodes", f"{count} nodes (Azure Local allows at most 16)",
                          "split the cluster")


@check("ATC010", "error", "No management intent or network", FAMILY)
def management_intent(model, facts, design):
    """Exactly one intent carries management traffic and the cluster has one management network.

    Why it breaks: Azure Local deployments need an intent with Management; its
    VLAN comes from the cluster's management network, and with none (or two)
    the management vNIC lands on the wrong VLAN or none.
    Fix: add ``management`` to one intent's traffic and one network of role
    management to the cluster's networks.
    """
    for cluster in _clusters(model):
        path = f"clusters[{cluster['name']}]"
        if not any("management" in i["traffic"] for i in cluster["intents"]):
            yield Finding("ATC010", f"{path}.intents", "no intent carries management traffic",
                          "add management to the traffic of one intent")
        mgmt = [n for n in cluster["networks"] if model.networks[n]["role"] == "management"]
        if len(mgmt) != 1:
            yield Finding("ATC010", f"{path}.networks",
                          f"{len(mgmt)} management networks ({', '.join(mgmt) or 'none'}); exactly one is needed",
                          "list one network of role management in the cluster's networks")


@check("ATC011", "warning", "QoS values ignored without override", FAMILY)
def qos_without_override(model, facts, design):
    """QoS values that differ from Network ATC's defaults take effect only with ``qos.override: true``.

    Why it matters: without the override Network ATC applies its defaults (SMB
    priority 3 with 50 %, cluster priority 7), and so does the switch side of
    this design; values written in the model but not applied mislead readers,
    and the DCB of the hosts and the leaves would differ if someone applied
    them by hand on one side.
    Fix: set ``qos.override: true`` or remove the values.
    """
    for cluster in _clusters(model):
        for intent in cluster["intents"]:
            qos = intent["qos"]
            if qos["override"]:
                continue
            differ = [k for k in ("priority_smb", "priority_cluster", "bandwidth_smb") if qos[k] != ATC_QOS_DEFAULTS[k]]
            if differ:
                yield Finding("ATC011", f"{_ipath(cluster, intent)}.qos",
                              f"{', '.join(differ)} differ from Network ATC's defaults but qos.override is false, "
                              "so the defaults apply", "set qos.override: true or remove the values")


def _racks_of(model, facts, cluster):
    """{node name: {rack: [cable records]}} of a cluster's cabled NICs."""
    out = {}
    for node in cluster["nodes"]:
        for cable in facts.node_cables.get((cluster["name"], node["name"]), []):
            rack = model.leaves[cable["leaf"]]["rack"]
            out.setdefault(node["name"], {}).setdefault(rack, []).append(cable)
    return out


@check("ATC012", "error", "Azure Local cluster on more than one ToR pair", FAMILY)
def one_tor_pair(model, facts, design):
    """All machines of an Azure Local instance are cabled to one ToR (leaf) pair.

    Why it breaks: Microsoft requires every machine of an instance in one rack
    on the same pair of ToR switches, with storage traffic kept on its ToR:
    RDMA (SMB Direct) needs lossless layer 2 between the nodes, and across
    leaf pairs it would cross the spines (lossy, no PFC) or an EVPN overlay.
    Fix: cable every node of the cluster to the leaf pair of one rack (a rack
    holds up to 16 machines), or split the cluster per rack.
    """
    for cluster in _clusters(model):
        racks = _racks_of(model, facts, cluster)
        count = {}
        for per_rack in racks.values():
            for rack, cables in per_rack.items():
                count[rack] = count.get(rack, 0) + len(cables)
        if len(count) < 2:
            continue
        # the rack most cables go to; on a tie, the rack of the node with the lowest id
        order = {n["name"]: n["id"] for n in cluster["nodes"]}
        first = {r: min(order[n] for n, per_rack in racks.items() if r in per_rack) for r in count}
        home = min(count, key=lambda r: (-count[r], first[r], r))
        anchor = None
        for node in cluster["nodes"]:
            if anchor is None and home in racks.get(node["name"], {}):
                anchor = racks[node["name"]][home][0]
        for node in cluster["nodes"]:
            away = [c for rack, cables in sorted(racks.get(node["name"], {}).items()) if rack != home for c in cables]
            if away:
                leaves = sorted({c["leaf"] for c in away})
                yield Finding("ATC012", away[0]["path"],
                              f"{node['name']} is cabled to {', '.join(leaves)} (rack "
                              f"{model.leaves[leaves[0]]['rack']}) but cluster '{cluster['name']}' sits on the "
                              f"ToR pair of rack {home} ({anchor['leaf']} {anchor['port']})",
                              f"cable all nodes of the cluster to the leaf pair of rack {home}, or split the cluster",
                              related=(anchor["path"],))


def _storage_owner_path(model, name):
    cluster, intent, idx = switched_storage_networks(model)[name]
    return f"clusters[{cluster}].intents[{intent}].storage_networks[{idx}]"


@check("ATC013", "error", "Storage VLAN stretched with a VNI", FAMILY)
def storage_vlan_without_vni(model, facts, design):
    """A switched storage VLAN of Azure Local gets no VXLAN VNI.

    Why it breaks: the fabric maps a VLAN to a VNI when it spans leaf pairs;
    storage VLANs carry RDMA (SMB Direct), which must stay on its ToR, so a
    VNI means the storage of one cluster is stretched across racks over the
    lossy underlay.
    Fix: keep the cluster on one ToR pair so its storage VLANs stay local.
    """
    for name in sorted(switched_storage_networks(model)):
        if name in facts.vnis:
            racks = facts.stretched.get(name, [])
            yield Finding("ATC013", _storage_owner_path(model, name),
                          f"storage network '{name}' (VLAN {model.networks[name]['vlan']}) gets VNI {facts.vnis[name]}: "
                          f"it is carried by the leaf pairs of racks {', '.join(map(str, racks))}",
                          "keep the cluster's storage adapters on one ToR pair",
                          related=(f"networks[{name}]",) + tuple(f"fabric.leaf_pairs[{r}]" for r in racks))


@check("ATC014", "error", "Storage VLAN on an MLAG peer link", FAMILY)
def storage_vlan_not_on_peer_link(model, facts, design):
    """No MLAG / vPC peer link carries a switched Azure Local storage VLAN.

    Why it breaks: Microsoft's ToR reference forbids storage VLANs on the
    ToR-to-ToR peer link: storage traffic flows host to ToR to host, and
    RDMA across the peer link degrades (the peer link is not sized or
    lossless for it) or hides a mis-cabled adapter.
    Fix: keep the design's peer link (it leaves storage VLANs out); do not
    add them by hand.
    """
    storage = {model.networks[n]["vlan"]: n for n in switched_storage_networks(model)}
    for leaf, config in context.switches(design).items():
        mlag = config.get("mlag")
        if not mlag or not mlag.get("peer_link"):
            continue
        for vlan in sorted(set(mlag["peer_link"]["allowed_vlans"]) & set(storage)):
            name = storage[vlan]
            yield Finding("ATC014", _storage_owner_path(model, name),
                          f"storage VLAN {vlan} ({name}) is allowed on the peer link {mlag['peer_link']['name']} of {leaf}",
                          "remove storage VLANs from the MLAG peer link",
                          related=(context.leaf_path(model, leaf),))


@check("ATC015", "error", "Storage VLAN on the other ToR", FAMILY)
def storage_vlan_on_its_tor(model, facts, design):
    """With switched storage adapters (a storage-only intent), storage VLAN n is on one ToR only.

    Why it breaks: Network ATC puts storage VLAN n on storage adapter n, and
    Microsoft's reference cables adapter n of every node to the same ToR
    (storage VLAN A on ToR-A only, B on ToR-B only); a host port of the other
    ToR that carries it means an adapter is cabled to the wrong switch, and
    its SMB traffic has no path to the other nodes (no peer link carries it).
    Converged intents are the exception: both storage VLANs may be on both
    ToRs' host ports.
    Fix: cable storage adapter n of every node to the same leaf.
    """
    for cluster in _clusters(model):
        if cluster["storage"]["switchless"]:
            continue
        for intent in cluster["intents"]:
            if intent["traffic"] != ["storage"]:
                continue
            for idx, name in enumerate(intent["storage_networks"]):
                if name not in model.networks:
                    continue
                vlan = model.networks[name]["vlan"]
                ports = {}
                for leaf in sorted(facts.host_ports):
                    for port in facts.host_ports[leaf].values():
                        if vlan in port["allowed_vlans"]:
                            ports.setdefault(leaf, []).append(port)
                if len(ports) < 2:
                    continue
                # the ToR most of the adapters use; on a tie, the one of the node with the lowest id
                order = {n["name"]: n["id"] for n in cluster["nodes"]}
                first = {lf: min(order.get(p["node"], 1 << 30) for p in ps) for lf, ps in ports.items()}
                home = min(ports, key=lambda lf: (-len(ports[lf]), first[lf], lf))
                anchor = sorted(ports[home], key=lambda p: p["number"])[0]
                for leaf in sorted(ports):
                    # a port on another rack is the cluster's placement error (one ToR pair), not this one
                    if leaf == home or model.leaves[leaf]["rack"] != model.leaves[home]["rack"]:
                        continue
                    for port in sorted(ports[leaf], key=lambda p: p["number"]):
                        yield Finding("ATC015", port["path"],
                                      f"{leaf} {port['name']} carries storage VLAN {vlan} ({name}) of intent "
                                      f"'{intent['name']}', which lives on {home} ({anchor['node']} {anchor['nic']})",
                                      f"cable storage adapter {idx + 1} of every node to {home}",
                                      related=(anchor["path"], f"{_ipath(cluster, intent)}.storage_networks[{idx}]"))


@check("ATC016", "error", "Storage VLAN routed", FAMILY)
def storage_vlan_not_routed(model, facts, design):
    """A switched Azure Local storage network has no gateway (``gateway_on: none``).

    Why it breaks: Microsoft configures storage VLANs layer 2 only (no SVI):
    SMB Direct stays inside the ToR, a gateway invites storage traffic to be
    routed off the rack over lossy links, and an SVI on the ToR takes an
    address out of the storage subnet that Network ATC may assign to a node.
    Fix: set ``gateway_on: none`` on the storage network.
    """
    for name in sorted(switched_storage_networks(model)):
        net = model.networks[name]
        if net["gateway_on"] != "none":
            where = "an anycast SVI on the leaves" if net["gateway_on"] == "fabric" else "an external router"
            yield Finding("ATC016", f"networks[{name}].gateway_on",
                          f"storage network '{name}' (VLAN {net['vlan']}) is routed ({where})",
                          "set gateway_on: none on storage networks", related=(_storage_owner_path(model, name),))


@check("ATC017", "warning", "Storage subnet differs from Network ATC's automatic addressing", FAMILY)
def storage_subnets_match_auto_ip(model, facts, design):
    """With automatic storage IPs, each storage network's prefix is the one Network ATC assigns.

    Why it matters: with ``storage.auto_ip`` Network ATC addresses storage
    network n as 10.71.n.0/24, whatever VLAN it has; a different prefix in
    the model is not what the hosts get, so IPAM, firewall rules and anything
    else derived from the model's storage subnets is wrong.
    Fix: set the network's ipv4 to the automatic subnet (or leave it out), or
    set ``storage.auto_ip: false`` so the model's addresses are deployed.
    """
    for cluster in _clusters(model):
        if not cluster["storage"]["auto_ip"] or storage_scheme(cluster) == "switchless_mesh":
            continue  # a mesh has no automatic IPs at all (the switchless addressing rule)
        for intent in cluster["intents"]:
            if "storage" not in intent["traffic"]:
                continue
            for idx, name in enumerate(intent["storage_networks"]):
                net = model.networks.get(name)
                if not net or not net["ipv4"]:
                    continue
                auto = atc_auto_subnet(idx + 1)
                if net["ipv4"] != auto:
                    yield Finding("ATC017", f"networks[{name}].ipv4",
                                  f"storage network '{name}' is {net['ipv4']} but Network ATC's automatic IPs put "
                                  f"storage network {idx + 1} of cluster '{cluster['name']}' in {auto}",
                                  f"use {auto}, or set storage.auto_ip: false on the cluster",
                                  related=(f"{_ipath(cluster, intent)}.storage_networks[{idx}]",
                                           f"clusters[{cluster['name']}].storage.auto_ip"))


def _deployments(model, design):
    """(cluster, its designed ``deployment`` section) of every Azure Local cluster."""
    configs = context.clusters(design)
    for cluster in _clusters(model):
        section = configs.get(cluster["name"], {}).get("azure_local")
        if section:
            yield cluster, section["deployment"]


def _ip(text):
    return int(ipaddress.IPv4Address(text))


@check("ATC018", "error", "Infrastructure IP pool unusable", FAMILY)
def infrastructure_pool(model, facts, design):
    """The infrastructure IP pool holds at least six free contiguous addresses of the management subnet.

    Why it breaks: Azure Local takes the cluster IP, the Arc Resource Bridge and
    other infrastructure services from this range (deploymentData
    infrastructureNetwork.ipPools); Microsoft requires six or more consecutive
    free addresses in the nodes' subnet and none of them a node's address. An
    address that a node, the gateway, a leaf SVI or a DHCP range already uses
    is handed out twice.
    Fix: set ``azure_local.infra_pool`` (start/end) to a free range of the
    management network, or raise the network's ``host_offset`` so the derived
    pool (just below the first node address) fits.
    """
    for cluster, dep in _deployments(model, design):
        infra = dep["infrastructure"]
        path = f"clusters[{cluster['name']}].azure_local.infra_pool"
        net = model.networks.get(infra["network"]) if infra["network"] else None
        if not net or not net["ipv4"]:
            continue  # no IPv4 management network: the deployment-settings rule reports it
        start, end = infra["pool_start"], infra["pool_end"]
        if not start or not end:
            why = "set both start and end"
            if infra["pool_derived"]:
                why = f"the derived pool does not fit below the first node address (host " \
                      f"{net['host_offset'] + cluster['address_offset']})"
            yield Finding("ATC018", path, f"no pool: {why}", "set infra_pool start and end, or raise host_offset",
                          related=(f"networks[{net['name']}].host_offset",))
            continue
        addresses = pool_addresses(start, end)
        if len(addresses) < 6:
            yield Finding("ATC018", path, f"{start}-{end} holds {len(addresses)} address(es); Azure Local needs at "
                          "least six contiguous ones", "widen the pool to six or more addresses")
            continue
        prefix = ipaddress.IPv4Network(net["ipv4"])
        if ipaddress.IPv4Address(start) not in prefix or ipaddress.IPv4Address(end) not in prefix:
            yield Finding("ATC018", path, f"{start}-{end} is not inside the management network {net['ipv4']}",
                          "use addresses of the nodes' management subnet", related=(f"networks[{net['name']}]",))
            continue
        used = {}
        for (cname, node, nname), entry in sorted(facts.addresses.items()):
            if nname == net["name"] and entry.get("ipv4"):
                used.setdefault(entry["ipv4"].split("/")[0], f"clusters[{cname}].nodes[{node}]")
        if infra["gateway"]:
            used.setdefault(infra["gateway"], f"networks[{net['name']}].gateway4")
        for leaf in sorted(facts.svis):
            svi = facts.svis[leaf].get(net["name"])
            if svi and svi.get("ipv4"):
                used.setdefault(svi["ipv4"].split("/")[0], context.leaf_path(model, leaf))
        lo, hi = _ip(start), _ip(end)
        clashes = sorted((a, p) for a, p in used.items() if lo <= _ip(a) <= hi)
        if clashes:
            yield Finding("ATC018", path, f"{start}-{end} includes address(es) in use: "
                          + ", ".join(f"{a} ({p})" for a, p in clashes[:4]) + (" ..." if len(clashes) > 4 else ""),
                          "move the pool to free addresses of the management network",
                          related=tuple(sorted({p for _a, p in clashes}))[:4])
        rng = net["dhcp"]["range4"]
        if net["dhcp"]["enabled"] and rng and "-" in rng:
            first, _sep, last = rng.partition("-")
            try:
                overlap = _ip(first.strip()) <= hi and lo <= _ip(last.strip())
            except ValueError:
                overlap = False  # a malformed range is the DHCP family's finding
            if overlap:
                yield Finding("ATC018", path, f"{start}-{end} overlaps the DHCP range {rng} of {net['name']}",
                              "exclude the pool from the DHCP scope (Microsoft: infrastructure IPs stay static)",
                              related=(f"networks[{net['name']}].dhcp.range4",))


# Arc Resource Bridge's internal Kubernetes ranges; no Azure Local infrastructure address may fall in them.
ARB_RESERVED = tuple(ipaddress.IPv4Network(p) for p in ("10.96.0.0/12", "10.244.0.0/16"))


@check("ATC019", "error", "Infrastructure address in Arc Resource Bridge's reserved ranges", FAMILY)
def arb_reserved_ranges(model, facts, design):
    """No node, gateway, DNS server, proxy or infrastructure pool address lies in 10.96.0.0/12 or 10.244.0.0/16.

    Why it breaks: Azure Local reserves these ranges for the Kubernetes
    services and pods of Arc Resource Bridge and AKS; Microsoft lists DNS
    servers, the proxy, the infrastructure pool, node IPs and the default
    gateway among the addresses that fail the deployment or break connectivity
    when they overlap.
    Fix: renumber the management network (or the DNS/proxy servers) outside
    both ranges.
    """
    for cluster, dep in _deployments(model, design):
        infra = dep["infrastructure"]
        base = f"clusters[{cluster['name']}]"
        candidates = [(f"{base}.azure_local.infra_pool", "infrastructure pool", a)
                      for a in (infra["pool_start"], infra["pool_end"]) if a]
        candidates += [(f"{base}.nodes[{n['name']}]", f"node {n['name']}", n["ipv4"]) for n in dep["nodes"] if n["ipv4"]]
        if infra["gateway"]:
            candidates.append((f"networks[{infra['network']}]", "gateway", infra["gateway"]))
        candidates += [("site.dns_servers", "DNS server", s) for s in infra["dns_servers"]]
        proxy = cluster["azure_local"]["proxy"]["server"]
        host = proxy.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0] if proxy else ""
        try:
            candidates.append((f"{base}.azure_local.proxy.server", "proxy", str(ipaddress.IPv4Address(host))))
        except ValueError:
            pass  # a proxy name, not an address
        seen = set()
        for path, what, address in candidates:
            reserved = next((r for r in ARB_RESERVED if ipaddress.IPv4Address(address) in r), None)
            if reserved and (path, address) not in seen:
                seen.add((path, address))
                yield Finding("ATC019", path, f"{what} {address} is inside {reserved}, reserved by Arc Resource Bridge",
                              "use addresses outside 10.96.0.0/12 and 10.244.0.0/16")


@check("ATC020", "error", "Deployment settings incomplete", FAMILY)
def deployment_settings_complete(model, facts, design):
    """The management network gives Azure Local an IPv4 subnet and gateway, the site IPv4 DNS servers, the
    deployment a domain.

    Why it breaks: deploymentData's infrastructureNetwork needs the subnet
    mask, the default gateway (outbound internet for the infrastructure IPs,
    unless the nodes use DHCP) and DNS servers that resolve Active Directory;
    physicalNodes need each node's IPv4 management address; domainFqdn names the
    Active Directory domain. A missing value makes the deployment validation fail.
    Fix: give the management network an ipv4 prefix and a gateway, list IPv4
    ``site.dns_servers``, and set ``site.domain`` or ``azure_local.domain_fqdn``.
    """
    for cluster, dep in _deployments(model, design):
        infra = dep["infrastructure"]
        base = f"clusters[{cluster['name']}]"
        if infra["network"] is None:
            continue  # no management network: the management-intent rule reports it
        net = model.networks[infra["network"]]
        if not net["ipv4"]:
            yield Finding("ATC020", f"networks[{net['name']}].ipv4", f"management network '{net['name']}' has no IPv4 "
                          "prefix: Azure Local's infrastructure network and node addresses are IPv4",
                          "give the management network an ipv4 prefix", related=(base,))
        elif not infra["gateway"] and not infra["use_dhcp"]:
            yield Finding("ATC020", f"networks[{net['name']}].gateway_on", f"management network '{net['name']}' has no "
                          "gateway; the infrastructure IPs need a default gateway with outbound access",
                          "set gateway_on: fabric (or external with gateway4)", related=(base,))
        if not infra["dns_servers"] and not infra["use_dhcp"]:
            yield Finding("ATC020", "site.dns_servers", f"no IPv4 DNS server for cluster '{cluster['name']}'",
                          "list the Active Directory DNS servers (IPv4) in site.dns_servers", related=(base,))
        if not dep["domain_fqdn"]:
            yield Finding("ATC020", f"{base}.azure_local.domain_fqdn", "no Active Directory domain for the deployment",
                          "set site.domain or azure_local.domain_fqdn")


@check("ATC021", "error", "Storage addressing the switchless pattern does not support", FAMILY)
def switchless_storage_addressing(model, facts, design):
    """Automatic storage IPs only with switched storage or two switchless nodes; a switchless mesh's storage
    network holds a /24 for every node-to-node link.

    Why it breaks: Network ATC cannot tell which node sits at the other end of
    a direct cable when three or more nodes are meshed, so Microsoft supports
    automatic storage IPs only for switched and two-node switchless storage;
    the three- and four-node patterns (four from 2411.1) use one VLAN, automatic
    IPs off and a subnet per link, given in the deployment template.
    Fix: set ``storage.auto_ip: false`` and give the mesh's storage network a
    prefix large enough for every link (six links of four nodes with one link
    per pair, twelve with two).
    """
    for cluster in _clusters(model):
        if storage_scheme(cluster) != "switchless_mesh":
            continue
        base = f"clusters[{cluster['name']}]"
        if cluster["storage"]["auto_ip"]:
            yield Finding("ATC021", f"{base}.storage.auto_ip", f"automatic storage IPs with {len(cluster['nodes'])} "
                          "switchless nodes (supported for switched storage and two switchless nodes only)",
                          "set storage.auto_ip: false")
        for intent in cluster["intents"]:
            if "storage" not in intent["traffic"] or not intent["storage_networks"]:
                continue
            name = intent["storage_networks"][0]
            net = model.networks.get(name)
            links = mesh_links(cluster, intent["adapters"])[1]
            if not net or not links:
                continue
            have = subnet_count(net["ipv4"], MESH_LINK_PREFIXLEN) if net["ipv4"] and \
                int(net["ipv4"].split("/")[1]) <= MESH_LINK_PREFIXLEN else 0
            if have < len(links):
                yield Finding("ATC021", f"networks[{name}].ipv4",
                              f"the mesh needs {len(links)} /{MESH_LINK_PREFIXLEN} link subnets; {net['ipv4'] or 'no ipv4'} "
                              f"holds {have}", f"give '{name}' a prefix of at least {len(links)} /24s (e.g. a /20)",
                              related=(f"{_ipath(cluster, intent)}.storage_networks[0]",))


@check("ATC022", "error", "PXE boot without a DHCP relay on the management VLAN", FAMILY)
def pxe_needs_dhcp(model, facts, design):
    """Nodes that boot from the network (``azure_local.pxe``) find a DHCP server on the management VLAN.

    Why it breaks: a PXE client broadcasts DHCP on its untagged or management
    VLAN; unless the management network lists the DHCP/PXE server and enables
    DHCP, the leaf SVI relays nothing and the nodes never boot.
    Fix: set ``dhcp.enabled: true`` and ``dhcp.servers`` on the management
    network (servers outside it are relayed by the leaves' gateway).
    """
    for cluster, dep in _deployments(model, design):
        pxe = dep["pxe"]
        if not pxe or pxe["network"] is None:
            continue
        if not pxe["dhcp_enabled"] or not pxe["servers"]:
            yield Finding("ATC022", f"clusters[{cluster['name']}].azure_local.pxe",
                          f"PXE boot, but management network '{pxe['network']}' (VLAN {pxe['vlan']}) has "
                          + ("DHCP disabled" if not pxe["dhcp_enabled"] else "no IPv4 DHCP server"),
                          "set dhcp.enabled and dhcp.servers on the management network",
                          related=(f"networks[{pxe['network']}].dhcp",))


def _mac_int(text):
    return int(text.replace("-", ""), 16)


@check("ATC023", "error", "SDN MAC address pool missing or overlapping", FAMILY)
def sdn_mac_pool(model, facts, design):
    """With Microsoft SDN enabled, the Network Controller MAC pool has a start and a stop, in order, shared
    with no other cluster.

    Why it breaks: deploymentData sdnIntegration.networkController hands out
    VM MAC addresses from this pool; without both ends the deployment has no
    pool, and two clusters with overlapping pools give two VMs one MAC address
    when their networks meet.
    Fix: set ``azure_local.sdn.mac_pool_start`` and ``mac_pool_stop`` (a
    locally administered range such as 02:..) distinct per cluster.
    """
    pools = []
    for cluster, dep in _deployments(model, design):
        sdn = dep["sdn"]
        if not sdn:
            continue
        path = f"clusters[{cluster['name']}].azure_local.sdn"
        if not sdn["mac_pool_start"] or not sdn["mac_pool_stop"]:
            yield Finding("ATC023", path, "SDN is enabled but the MAC pool has no start or stop",
                          "set mac_pool_start and mac_pool_stop")
            continue
        lo, hi = _mac_int(sdn["mac_pool_start"]), _mac_int(sdn["mac_pool_stop"])
        if lo > hi:
            yield Finding("ATC023", path, f"MAC pool start {sdn['mac_pool_start']} is after its stop "
                          f"{sdn['mac_pool_stop']}", "swap start and stop")
            continue
        for other, olo, ohi in pools:
            if lo <= ohi and olo <= hi:
                yield Finding("ATC023", path, f"MAC pool {sdn['mac_pool_start']}-{sdn['mac_pool_stop']} overlaps the "
                              f"pool of cluster '{other}'", "give every cluster its own MAC range",
                              related=(f"clusters[{other}].azure_local.sdn",))
        pools.append((cluster["name"], lo, hi))
