"""Azure Local logical networks: one per VM network of an azure_local cluster.

A VM on Azure Local attaches to an Arc "logical network"
(``Microsoft.AzureStackHCI/logicalNetworks``): the VLAN on the cluster's
compute virtual switch (Network ATC names it ``ConvergedSwitch(<intent>)``),
the subnet with its gateway route, DNS servers, and either DHCP from the
network (``Dynamic``) or an IP pool the VM addresses come from (``Static``).
The pool is the largest run of the subnet no leaf SVI or gateway holds, the
same derivation as the OVE live-migration range.

Dual-stack: the API's subnet takes ``addressPrefixes`` ("Cidr for this subnet -
IPv4, IPv6"), so a network with an IPv6 prefix carries both prefixes, both
default routes and the resolvers of both families; the IP pool stays IPv4
(a VM's IPv6 address is set on its network interface, see ``vm_nics``).

``vm_nics`` gives the VM network interfaces (``networkInterfaces``, preview
API): MAC kept from the import, one IP configuration per family on the VM's
logical network, and the network security group of the VM's application
groups.  Azure Local attaches an NSG to a network interface or to a logical
network; groups share logical networks, so the per-group NSG goes on the NIC.
"""

from __future__ import annotations

import ipaddress

from .addressed import gateway_address
from .ove import derived_range, used_addresses

API_VERSION = "2024-01-01"
RESOURCE_TYPE = "Microsoft.AzureStackHCI/logicalNetworks"


def compute_switch(cluster) -> str | None:
    """The virtual switch Network ATC creates for the cluster's compute intent."""
    intent = next((i for i in cluster["intents"] if "compute" in i["traffic"]), None)
    return f"ConvergedSwitch({intent['name']})" if intent else None


def logical_networks(model, facts, cluster) -> list:
    """[{name, vlan, prefix, prefix6, gateway, gateway6, dns, method, pool, vm_switch, path}] of one azure_local
    cluster (``prefix6``/``gateway6`` None on an IPv4-only network)."""
    resolvers = {fam: [d for d in model.site["dns_servers"] if ipaddress.ip_address(d).version == fam] for fam in (4, 6)}
    switch = compute_switch(cluster)
    out = []
    for name in lnet_names(model, cluster):
        net = model.networks[name]
        gateway, gateway6 = gateway_address(net, 4), gateway_address(net, 6)
        dns = resolvers[4] + (resolvers[6] if net["ipv6"] else [])
        dynamic = bool(net["dhcp"]["enabled"])
        pool = None
        if not dynamic:
            start, end = derived_range(net["ipv4"], used_addresses(model, facts, name)[4])
            pool = {"start": str(ipaddress.IPv4Address(start)), "end": str(ipaddress.IPv4Address(end))}
        out.append({"name": name, "vlan": net["vlan"], "prefix": net["ipv4"], "prefix6": net["ipv6"] or None,
                    "gateway": gateway, "gateway6": gateway6, "dns": dns,
                    "method": "Dynamic" if dynamic else "Static", "pool": pool, "vm_switch": switch,
                    "path": f"networks[{name}]"})
    return out


def azure_vm_section(model, facts, cluster_name, _nodes=None) -> dict:
    """The ``azure_vm_networks`` key of an azure_local cluster's structured config."""
    return {"azure_vm_networks": {"logical_networks": logical_networks(model, facts, model.clusters[cluster_name])}}


def _slug(text) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def nsg_name(groups) -> str:
    """The NSG of a set of application groups: ``nsg-<group>``, or the groups joined when a VM is in several."""
    return ("nsg-" + "-".join(sorted(groups)))[:64].rstrip("-._")


def vm_nics(model, cluster_name, seg) -> list:
    """[{name, vm, nic, network, mac, ipv4, ipv6, groups, path}] of the VM NICs on an azure_local cluster's logical
    networks, in model order; ``groups`` are the VM's segmented groups whose NSG the NIC carries (empty: none)."""
    cluster = model.clusters[cluster_name]
    lnets = set(lnet_names(model, cluster))
    enforced = {g for g, group in (seg.get("groups") or {}).items() if group["default"] != "allow"}
    out = []
    for name in sorted(model.vms):
        vm = model.vms[name]
        if vm.get("cluster") != cluster_name:
            continue
        groups = sorted(g for g in (seg.get("vm_groups") or {}).get(name, []) if g in enforced)
        for nic in vm["nics"]:
            if nic["network"] not in lnets:
                continue
            out.append({"name": f"{_slug(name)}-{_slug(nic['name'])}"[:64].rstrip("-._"), "vm": name,
                        "nic": nic["name"], "network": nic["network"], "mac": nic["mac"],
                        "ipv4": list(nic["ipv4"]), "ipv6": list(nic["ipv6"]) if model.networks[nic["network"]]["ipv6"] else [],
                        "groups": groups, "path": f"vms[{name}].nics[{nic['name']}]"})
    return out


def lnet_names(model, cluster) -> list:
    """The networks of a cluster that become logical networks: its VM networks with an IPv4 prefix."""
    return [n for n in cluster["networks"] if model.networks[n]["role"] == "vm" and model.networks[n]["ipv4"]]
