"""Structured config of a cluster: the facts its platform renderers need.

The base section lists nodes, networks and the BGP sessions the cluster's
nodes take part in; platform sections (OVE, Azure Local) are added by the
builders in ``CLUSTER_SECTIONS``.  Each builder is
``f(model, facts, cluster_name, nodes)``, ``nodes`` the structured configs
of the cluster's nodes (designed first).
"""

from __future__ import annotations

from .azure_local import azure_local
from .azure_vm_networks import azure_vm_section
from .ove import ove_section


def _base(model, facts, cluster_name, nodes):
    cluster = model.clusters[cluster_name]
    nets = []
    for name in cluster["networks"]:
        net = model.networks[name]
        nets.append({"name": name, "vlan": net["vlan"], "role": net["role"], "mtu": net["mtu"], "ipv4": net["ipv4"],
                     "ipv6": net["ipv6"], "vni": facts.vnis.get(name), "stretched": name in facts.stretched,
                     "gateway_on": net["gateway_on"]})
    sessions = [s for s in facts.sessions if s.get("cluster") == cluster_name]
    return {
        "name": cluster_name, "platform": cluster["platform"], "description": cluster["description"],
        "model_path": f"clusters[{cluster_name}]",
        "nodes": [n["name"] for n in cluster["nodes"]], "networks": nets,
        "native_network": cluster["native_network"],
        "overlay": cluster["overlay"], "ipsec": cluster["ipsec"],
        "bgp_sessions": [{"leaf": s["a"]["device"], "leaf_ip": s["a"]["ip"], "leaf_asn": s["a"]["asn"],
                          "node": s["b"]["device"], "node_ip": s["b"]["ip"], "node_asn": s["b"]["asn"],
                          "family": s["family"], "bfd": s["bfd"]} for s in sessions],
    }


CLUSTER_SECTIONS = {
    "ove": (_base, ove_section),
    "linux": (_base,),
    "azure_local": (_base, azure_local, azure_vm_section),
}


def cluster_config(model, facts, cluster_name, nodes) -> dict:
    config = {}
    for build in CLUSTER_SECTIONS[model.clusters[cluster_name]["platform"]]:
        config.update(build(model, facts, cluster_name, nodes))
    return config
