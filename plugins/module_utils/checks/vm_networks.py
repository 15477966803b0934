"""Where VMs attach on their target cluster: networks the cluster carries, NADs in the VM's namespace."""

from __future__ import annotations

from ..findings import Finding
from .registry import check

FAMILY = "vms"


@check("VMN001", "error", "VM on a network its cluster does not carry", FAMILY)
def vm_network_on_cluster(model, facts, design):
    """A NIC of a VM is on a network that the VM's cluster does not carry.

    The cluster's nodes and leaf ports only carry the cluster's networks: on OVE the VM gets no
    NetworkAttachmentDefinition for that NIC, on Azure Local no logical network, and once moved the
    VM is cut off on that NIC.

    Add the network to the cluster's `networks` (hosts and leaf ports follow), or move the VM to a
    cluster that carries it.
    """
    for name in sorted(model.vms):
        vm = model.vms[name]
        cluster = model.clusters.get(vm.get("cluster") or "")
        if not cluster or cluster["platform"] not in ("ove", "azure_local"):
            continue
        for nic in vm["nics"]:
            if nic["network"] and nic["network"] in model.networks and nic["network"] not in cluster["networks"]:
                yield Finding("VMN001", f"vms[{name}].nics[{nic['name']}].network",
                              f"network {nic['network']} is not carried by cluster {cluster['name']}",
                              f"add {nic['network']} to clusters[{cluster['name']}].networks or move the VM",
                              related=(f"clusters[{cluster['name']}].networks",))


@check("VMN002", "error", "VM namespace without the NAD of its network", FAMILY)
def vm_namespace_has_nad(model, facts, design):
    """A VM's namespace on an OVE cluster has no NetworkAttachmentDefinition of a network one of its NICs uses.

    Multus resolves a VM's network in the VM's own namespace: without the NAD there the virt-launcher
    pod is never scheduled and the VM does not start. The design puts a NAD of every network into the
    namespace of every VM using it, so this catches design bugs and hand-edited configs.

    Set the VM's `namespace` (or application) and render again, or list the namespace in
    `ove.namespaces` of the network.
    """
    for cname, cluster in sorted((design or {}).get("clusters", {}).items()):
        ove = cluster.get("ove")
        if not ove:
            continue
        nads = {(n["namespace"], n["name"]) for n in ove["nads"]}
        for record in ove["vms"]:
            for iface in record["interfaces"]:
                if (record["namespace"], iface["network"]) not in nads:
                    yield Finding("VMN002", iface["path"],
                                  f"namespace {record['namespace']} of cluster {cname} has no NetworkAttachmentDefinition "
                                  f"{iface['network']}", f"add {record['namespace']} to "
                                  f"clusters[{cname}].ove.namespaces[{iface['network']}]")
