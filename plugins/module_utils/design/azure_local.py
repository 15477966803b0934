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

from ..addressing import prefixlen
from ..model.schema import INTENT

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


def management_network(model, cluster):
    """The cluster's management network name, or None (several -> the first; a check reports it)."""
    names = [n for n in cluster["networks"] if model.networks[n]["role"] == "management"]
    return names[0] if names else None


def _mask(prefix):
    bits = prefixlen(prefix)
    value = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def _intent(model, cluster, intent, mgmt_vlan):
    traffic = [t for t in ("management", "compute", "storage") if t in intent["traffic"]]
    storage = "storage" in traffic
    rdma = intent["rdma"]
    technology = RDMA_NAMES.get(rdma)
    adapter = {
        # The model always states RDMA (default disabled), so NetworkDirect is always set explicitly.
        "override": True,
        "jumbo_packet": intent["jumbo_packet"],
        "network_direct": rdma != "disabled",
        "network_direct_technology": technology,
    }
    qos = dict(intent["qos"]) if intent["qos"]["override"] else dict(ATC_QOS_DEFAULTS)
    qos["override"] = bool(intent["qos"]["override"])
    sw = intent["switch"]
    has_vswitch = "management" in traffic or "compute" in traffic
    switch = {
        "override": has_vswitch and (sw["load_balancing"] is not None or sw["enable_iov"] is not None),
        "load_balancing": sw["load_balancing"],
        "enable_iov": sw["enable_iov"],
    }
    storage_vlans = [model.networks[n]["vlan"] for n in intent["storage_networks"]] if storage else []
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


def _storage_networks(model, facts, cluster):
    out = []
    auto_ip = cluster["storage"]["auto_ip"]
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
                                  "subnet_mask": _mask(net["ipv4"]) if addr else None})
            out.append({"name": name, "intent": intent["name"], "adapter": intent["adapters"][idx],
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
        "storage": {"switchless": cluster["storage"]["switchless"], "auto_ip": cluster["storage"]["auto_ip"]},
        "intents": intents,
        "storage_networks": _storage_networks(model, facts, cluster),
        "switch_ports": _switch_ports(facts, cluster),
    }}
