"""Azure Local logical networks: one per VM network of an azure_local cluster.

A VM on Azure Local attaches to an Arc "logical network"
(``Microsoft.AzureStackHCI/logicalNetworks``): the VLAN on the cluster's
compute virtual switch (Network ATC names it ``ConvergedSwitch(<intent>)``),
the subnet with its gateway route, DNS servers, and either DHCP from the
network (``Dynamic``) or an IP pool the VM addresses come from (``Static``).
The pool is the largest run of the subnet no leaf SVI or gateway holds, the
same derivation as the OVE live-migration range.  Azure Local logical
networks are IPv4 (the API's subnet carries one ``addressPrefix``); the
IPv6 prefix of a dual-stack network stays with the fabric.
"""

from __future__ import annotations

import ipaddress

from .ove import _derived_range, used_addresses

API_VERSION = "2024-01-01"
RESOURCE_TYPE = "Microsoft.AzureStackHCI/logicalNetworks"


def compute_switch(cluster) -> str | None:
    """The virtual switch Network ATC creates for the cluster's compute intent."""
    intent = next((i for i in cluster["intents"] if "compute" in i["traffic"]), None)
    return f"ConvergedSwitch({intent['name']})" if intent else None


def logical_networks(model, facts, cluster) -> list:
    """[{name, vlan, prefix, gateway, dns, method, pool, vm_switch, path}] of one azure_local cluster."""
    dns = [d for d in model.site["dns_servers"] if ipaddress.ip_address(d).version == 4]
    switch = compute_switch(cluster)
    out = []
    for name in cluster["networks"]:
        net = model.networks[name]
        if net["role"] != "vm" or not net["ipv4"]:
            continue
        gateway = None
        if net["gateway_on"] != "none":
            gateway = net["gateway4"] or str(ipaddress.ip_network(net["ipv4"]).network_address + 1)
        dynamic = bool(net["dhcp"]["enabled"])
        pool = None
        if not dynamic:
            start, end = _derived_range(net["ipv4"], used_addresses(model, facts, name)[4])
            pool = {"start": str(ipaddress.IPv4Address(start)), "end": str(ipaddress.IPv4Address(end))}
        out.append({"name": name, "vlan": net["vlan"], "prefix": net["ipv4"], "gateway": gateway, "dns": dns,
                    "method": "Dynamic" if dynamic else "Static", "pool": pool, "vm_switch": switch,
                    "path": f"networks[{name}]"})
    return out


def azure_vm_section(model, facts, cluster_name, _nodes=None) -> dict:
    """The ``azure_vm_networks`` key of an azure_local cluster's structured config."""
    return {"azure_vm_networks": {"logical_networks": logical_networks(model, facts, model.clusters[cluster_name])}}
