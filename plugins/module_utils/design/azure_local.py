"""Azure Local cluster section: Network ATC intents, storage networks, switch side.

``azure_local(model, facts, cluster_name)`` returns ``{"azure_local": {...}}``,
everything the PowerShell and deploymentSettings renderers need, decided
here once so both say the same thing:

* ``intents``: types, adapters, management VLAN, storage VLANs, and the
  override values (adapter properties, QoS, virtual switch, storage), each
  with an ``override`` flag telling whether it is applied;
* ``storage_networks``: one per storage adapter (name, adapter, VLAN,
  automatic IPs or the per-node addresses);
* ``switch_ports``: the leaf port of every adapter of every node with what
  the fabric design put on it (VLANs, MTU, DCB), so the host side and the
  switch side can be compared in one place.

Values follow Network ATC's own units: JumboPacket is a frame size that
counts the 14-byte Ethernet header (9014 -> IP MTU 9000), RDMA technology is
one of iWARP / RoCE / RoCEv2.
"""

from __future__ import annotations

from ..addressing import nth_host, nth_subnet
from ..errors import InputError
from ..model.schema import INTENT
from .azure_local_deployment import deployment, mask

# Network ATC's DCB defaults, in force unless an intent sets qos.override:
# SMB Direct on 802.1p priority 3 with 50 % of the bandwidth, cluster heartbeat on 7.
# Network ATC's own QoS defaults (SMB priority 3, cluster 7, SMB 50%) are the schema's defaults of
# intents[].qos: read them from there so the two cannot drift.
ATC_QOS_DEFAULTS = {key: field.default for key, field in INTENT.fields["qos"].spec.fields.items()}
# JumboPacket values Network ATC (and the Azure portal) accept.
JUMBO_PACKETS = (1514, 4088, 9014)
# Model name -> Network ATC name of the NetworkDirect technology.
RDMA_NAMES = {"iwarp": "iWARP", "roce": "RoCE", "roce_v2": "RoCEv2"}
# Model traffic type -> Network ATC intent type (Add-NetIntent switch / ARM trafficType value).
TRAFFIC_NAMES = {"management": "Management", "compute": "Compute", "storage": "Storage"}
# Default storage VLANs Network ATC uses for storage adapters 1..8 when none are given.
ATC_DEFAULT_STORAGE_VLANS = tuple(range(711, 719))


# Full-mesh switchless storage of 3 or 4 nodes (Microsoft's reference patterns, 4 nodes from Azure
# Local 2411.1): one VLAN for every storage subnet, automatic IPs off, one subnet per node-to-node link.
SWITCHLESS_MESH_MIN_NODES = 3
# Prefix length of each node-to-node link subnet carved from the mesh's storage network.
MESH_LINK_PREFIXLEN = 24


def storage_scheme(cluster) -> str:
    """``switched``, ``switchless`` (one or two nodes: a storage network per adapter) or
    ``switchless_mesh`` (three or four nodes: one storage network carved per link)."""
    if not cluster["storage"]["switchless"]:
        return "switched"
    return "switchless_mesh" if len(cluster["nodes"]) >= SWITCHLESS_MESH_MIN_NODES else "switchless"


def mesh_links(cluster, adapters):
    """The node-to-node links of a switchless full mesh, derived from node ids and adapter order.

    Each node's storage adapters go, in order, to its peers in node-id order, ``links`` adapters per
    peer (adapters 1-2 to the first peer, 3-4 to the second, ... with two links): link ``l`` of the
    pair (a, b), a < b by id, joins adapter ``2*index(b among a's peers) + l`` of a with the matching
    adapter of b. Returns (links per pair, [{"index", "a", "a_adapter", "b", "b_adapter"}]) in pair
    order, or (0, []) when the adapters do not divide evenly among the peers (a check reports it).
    """
    nodes = sorted(cluster["nodes"], key=lambda n: n["id"])
    peers = len(nodes) - 1
    if peers < 1 or not adapters or len(adapters) % peers:
        return 0, []
    per_pair = len(adapters) // peers
    order = {n["name"]: i for i, n in enumerate(nodes)}
    out = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            a_slot = order[b["name"]] - 1            # b's index among a's peers (a comes before b)
            b_slot = order[a["name"]]                 # a's index among b's peers
            for link in range(per_pair):
                out.append({"index": len(out), "a": a["name"], "a_adapter": adapters[a_slot * per_pair + link],
                            "b": b["name"], "b_adapter": adapters[b_slot * per_pair + link]})
    return per_pair, out


def atc_auto_subnet(position: int) -> str:
    """The subnet Network ATC's automatic storage IPs give storage network ``position`` (1-based).

    Network ATC numbers storage adapter n 10.71.n.x/24 whatever its VLAN (Microsoft's network
    considerations and its storage-IP troubleshooting guide: "hardcoded to 10.71.x.0/24").
    """
    return f"10.71.{position}.0/24"


def switched_storage_networks(model):
    """{network name: (cluster name, intent name, index)} of every storage network that a switch carries.

    Storage VLANs of switched Azure Local storage stay on the ToR whose host ports carry them
    (Microsoft's ToR reference: never on the MLAG peer link, never stretched, never routed), so
    the switch design and the placement rules both read this one list.
    """
    out = {}
    for cluster in model.clusters.values():
        if cluster["platform"] != "azure_local" or cluster["storage"]["switchless"]:
            continue
        for intent in cluster["intents"]:
            if "storage" in intent["traffic"]:
                for idx, name in enumerate(intent["storage_networks"]):
                    if name in model.networks:
                        out.setdefault(name, (cluster["name"], intent["name"], idx))
    return out


def tor_local_vlans(model) -> frozenset:
    """VLAN ids that stay on one ToR: the switched Azure Local storage VLANs."""
    return frozenset(model.networks[name]["vlan"] for name in switched_storage_networks(model))


def management_network(model, cluster):
    """The cluster's management network name, or None (several -> the first; a check reports it)."""
    names = [n for n in cluster["networks"] if model.networks[n]["role"] == "management"]
    return names[0] if names else None


def _intent(model, cluster, intent, mgmt_vlan):
    traffic = [t for t in ("management", "compute", "storage") if t in intent["traffic"]]
    storage = "storage" in traffic
    rdma = intent["rdma"]
    technology = RDMA_NAMES.get(rdma)
    # Two ways to apply an override group: PowerShell override objects set only the properties they
    # are given ("override"); ARM deploymentSettings apply a group as a whole, so a group is sent with
    # its flag true only when the model states every value of it ("arm_override"), else flag false.
    adapter = {
        # The model always states RDMA (default disabled), so NetworkDirect is always set explicitly.
        "override": True,
        "arm_override": intent["jumbo_packet"] is not None and technology is not None,
        "jumbo_packet": intent["jumbo_packet"],
        "network_direct": rdma != "disabled",
        "network_direct_technology": technology,
    }
    qos = dict(intent["qos"]) if intent["qos"]["override"] else dict(ATC_QOS_DEFAULTS)
    qos["override"] = bool(intent["qos"]["override"]) and storage
    qos["arm_override"] = qos["override"]
    sw = intent["switch"]
    has_vswitch = "management" in traffic or "compute" in traffic
    switch = {
        "override": has_vswitch and (sw["load_balancing"] is not None or sw["enable_iov"] is not None),
        "arm_override": has_vswitch and sw["load_balancing"] is not None and sw["enable_iov"] is not None,
        "load_balancing": sw["load_balancing"],
        "enable_iov": sw["enable_iov"],
    }
    storage_vlans = [model.networks[n]["vlan"] for n in intent["storage_networks"]] if storage else []
    if storage and storage_scheme(cluster) == "switchless_mesh" and storage_vlans:
        storage_vlans = [storage_vlans[0]] * len(intent["adapters"])  # one VLAN for every link subnet
    return {
        "name": intent["name"],
        "traffic": traffic,
        "types": [TRAFFIC_NAMES[t] for t in traffic],
        "adapters": list(intent["adapters"]),
        "converged": storage and len(traffic) > 1,
        "management_vlan": mgmt_vlan if "management" in traffic else None,
        "storage_networks": list(intent["storage_networks"]) if storage else [],
        "storage_vlans": storage_vlans,
        "switchless": storage and cluster["storage"]["switchless"],
        "rdma": rdma,
        "adapter_properties": adapter,
        "qos": qos,
        "switch": switch,
        "storage_overrides": {"override": storage, "auto_ip": cluster["storage"]["auto_ip"]} if storage
        else {"override": False, "auto_ip": None},
        "model_path": f"clusters[{cluster['name']}].intents[{intent['name']}]",
    }


def _mesh_storage_networks(model, cluster, intent):
    """One ARM storage network per adapter of a switchless mesh: the intent's one VLAN, and on every
    node the address of the link that adapter serves (first host for the lower node id, second for
    the higher, in a /24 per link carved from the storage network in link order)."""
    name = intent["storage_networks"][0] if intent["storage_networks"] else None
    net = model.networks.get(name) if name else None
    _per_pair, links = mesh_links(cluster, intent["adapters"])
    if not net or not links:
        return []
    ends = {}
    for link in links:
        try:
            subnet = nth_subnet(net["ipv4"], MESH_LINK_PREFIXLEN, link["index"]) if net["ipv4"] else None
        except InputError:
            subnet = None  # the network is too small for every link: a check reports it
        for side, host in (("a", 1), ("b", 2)):
            ends[(link[side], link[f"{side}_adapter"])] = {
                "node": link[side], "ipv4": subnet and nth_host(subnet, host), "prefix": subnet,
                "subnet_mask": subnet and mask(subnet), "peer": link["b" if side == "a" else "a"], "link": link["index"]}
    out = []
    for position, adapter in enumerate(intent["adapters"], 1):
        out.append({"name": f"{name}-{position}", "network": name, "intent": intent["name"], "adapter": adapter,
                    "vlan": net["vlan"], "ipv4": net["ipv4"], "mtu": net["mtu"], "auto_ip": False,
                    "nodes": [ends[(n["name"], adapter)] for n in cluster["nodes"] if (n["name"], adapter) in ends]})
    return out


def _storage_networks(model, facts, cluster):
    out = []
    auto_ip = cluster["storage"]["auto_ip"]
    if storage_scheme(cluster) == "switchless_mesh":
        for intent in cluster["intents"]:
            if "storage" in intent["traffic"]:
                out.extend(_mesh_storage_networks(model, cluster, intent))
        return out
    for intent in cluster["intents"]:
        if "storage" not in intent["traffic"]:
            continue
        for idx, name in enumerate(intent["storage_networks"]):
            if idx >= len(intent["adapters"]):
                break
            net = model.networks[name]
            nodes = []
            if not auto_ip:
                for node in cluster["nodes"]:
                    addr = facts.addresses.get((cluster["name"], node["name"], name), {}).get("ipv4")
                    nodes.append({"node": node["name"], "ipv4": addr.split("/")[0] if addr else None,
                                  "subnet_mask": mask(net["ipv4"]) if addr else None})
            out.append({"name": name, "network": name, "intent": intent["name"], "adapter": intent["adapters"][idx],
                        "vlan": net["vlan"], "ipv4": net["ipv4"], "mtu": net["mtu"], "auto_ip": auto_ip,
                        "nodes": nodes})
    return out


def _switch_ports(facts, cluster):
    rows = []
    for node in cluster["nodes"]:
        link = facts.node_links.get((cluster["name"], node["name"]))
        for adapter in (link or {}).get("adapters", []):
            port = facts.host_ports.get(adapter["leaf"], {}).get(adapter["port"]) if adapter["leaf"] else None
            rows.append({
                "node": node["name"], "adapter": adapter["name"], "intent": adapter["intent"],
                "leaf": adapter["leaf"], "port": adapter["port"],
                "allowed_vlans": port["allowed_vlans"] if port else [],
                "native_vlan": port["native_vlan"] if port else None,
                "port_mtu": port["mtu"] if port else None,
                "jumbo_packet": adapter["jumbo_packet"], "host_mtu": adapter["mtu"],
                "dcb": port["dcb"] if port else None,
            })
    return rows


def azure_local(model, facts, cluster_name, _nodes=None) -> dict:
    """The ``azure_local`` section of an Azure Local cluster's structured config."""
    cluster = model.clusters[cluster_name]
    mgmt = management_network(model, cluster)
    mgmt_native = mgmt is not None and cluster["native_network"] == mgmt
    mgmt_vlan = model.networks[mgmt]["vlan"] if mgmt and not mgmt_native else None
    intents = [_intent(model, cluster, i, mgmt_vlan) for i in cluster["intents"]]
    return {"azure_local": {
        "cluster": cluster_name,
        "management": {"network": mgmt, "vlan": mgmt_vlan, "untagged": mgmt_native},
        "storage": {"switchless": cluster["storage"]["switchless"], "auto_ip": cluster["storage"]["auto_ip"],
                    "scheme": storage_scheme(cluster)},
        "intents": intents,
        "storage_networks": _storage_networks(model, facts, cluster),
        "switch_ports": _switch_ports(facts, cluster),
        "deployment": deployment(model, facts, cluster, mgmt, mgmt_vlan, cluster["intents"]),
    }}
