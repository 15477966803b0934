"""Network ATC rules for Azure Local clusters (family ``azure_local``).

Network ATC refuses, or silently mis-configures, intents that break its own
rules; these checks catch them in the model, before a script or a
deploymentSettings resource reaches a cluster.  ATC007 (an intent adapter
not cabled on a node) is raised by the loader.
"""

from __future__ import annotations

from ..design.azure_local import ATC_QOS_DEFAULTS, JUMBO_PACKETS, management_network
from ..findings import Finding
from .registry import check, declare

ADAPTER_NOT_CABLED = declare(
    "ATC007", "error", "Intent adapter not cabled", "azure_local",
    "Every adapter of every intent must be cabled on every node (Network ATC needs identical adapter names).")

FAMILY = "azure_local"


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
    leaf pairs, no MLAG, no EVPN overlay) cannot reach each other's storage.
    Fix: keep the design-derived trunks (do not prune storage VLANs), cable the
    n-th storage adapter of every node to the same leaf or MLAG pair, or
    stretch the storage VLAN with fabric.overlay: evpn_vxlan.
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
            if model.fabric["overlay"] == "evpn_vxlan":
                continue
            for name, leaves in sorted(leaves_of.items()):
                racks = {model.leaves[lf]["rack"] for lf in leaves}
                pair = model.leaves[sorted(leaves)[0]]["pair"]
                if len(leaves) == 1 or (len(racks) == 1 and pair["mlag"]):
                    continue
                paths = [leaves[lf] for lf in sorted(leaves)]
                yield Finding("ATC006", paths[-1], f"storage network '{name}' of intent '{intent['name']}' is "
                              f"cabled to leaves {', '.join(sorted(leaves))} with no layer-2 path between them",
                              "cable this storage adapter of every node to one leaf or MLAG pair, or use "
                              "fabric.overlay: evpn_vxlan", related=tuple(paths[:-1]))


@check("ATC008", "error", "Storage adapters and storage networks do not match", FAMILY)
def storage_network_per_adapter(model, facts, design):
    """A storage intent lists exactly one storage network per adapter; other intents list none.

    Why it breaks: Network ATC pairs storage adapter n with storage VLAN n; with
    fewer networks than adapters it falls back to its default VLANs (711...)
    which the fabric does not carry, and extra networks are never used.
    Fix: list one storage network per storage adapter, in adapter order.
    """
    for cluster in _clusters(model):
        for intent in cluster["intents"]:
            path = _ipath(cluster, intent)
            nets, adapters = intent["storage_networks"], intent["adapters"]
            if "storage" not in intent["traffic"]:
                if nets:
                    yield Finding("ATC008", f"{path}.storage_networks",
                                  f"intent '{intent['name']}' has no storage traffic but lists storage networks",
                                  "remove storage_networks or add storage to traffic")
            elif len(nets) != len(adapters):
                yield Finding("ATC008", f"{path}.storage_networks",
                              f"{len(adapters)} storage adapter(s) but {len(nets)} storage network(s)",
                              "list one storage network per adapter, in adapter order")


@check("ATC009", "error", "Cluster size outside Network ATC limits", FAMILY)
def cluster_size(model, facts, design):
    """Switchless storage serves 1 to 3 nodes; an Azure Local cluster has at most 16 nodes.

    Why it breaks: without a storage switch every node needs a direct link to
    every other node, which Azure Local supports up to three nodes; more than
    16 nodes is beyond the product's limit.
    Fix: use switched storage (storage.switchless: false) from four nodes, or
    split the cluster.
    """
    for cluster in _clusters(model):
        count = len(cluster["nodes"])
        path = f"clusters[{cluster['name']}]"
        if cluster["storage"]["switchless"] and count > 3:
            yield Finding("ATC009", f"{path}.storage.switchless", f"switchless storage with {count} nodes (at most 3)",
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
