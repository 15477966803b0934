"""KubeVirt interfaces of the VMs (``vms``) that run on an OVE cluster.

One record per VM: its namespace (design/vm_placement.py ``vm_namespace_of``) and one
interface per NIC on a VM network the cluster carries, with the MAC kept from
the import and the NetworkAttachmentDefinition of that network in the VM's
own namespace.  Secondary networks (OVN-Kubernetes localnet, bridge CNI) use
KubeVirt's ``bridge`` binding: the VM's MAC reaches the wire unchanged, which
a migrated VM needs for its DHCP reservations and licences.  A NIC on a network
the cluster does not carry gets no interface; a VM rule reports it.
"""

from __future__ import annotations

from .ove import vm_networks
from .vm_placement import vm_namespace_of

# KubeVirt interface binding per secondary-network CNI (ove.cni)
BINDING = {"localnet": "bridge", "bridge": "bridge"}


def vm_interfaces(model, cluster) -> list:
    """[{vm, namespace, path, interfaces: [{name, source, network, nad, mac, binding}]}] of one OVE cluster."""
    carried = {n["name"] for n in vm_networks(model, cluster)}
    binding = BINDING[cluster["ove"]["cni"]]
    out = []
    for name in sorted(model.vms):
        vm = model.vms[name]
        if vm.get("cluster") != cluster["name"]:
            continue
        namespace = vm_namespace_of(model, cluster, vm)
        interfaces = []
        for index, nic in enumerate(vm["nics"], 1):
            if nic["network"] not in carried:
                continue
            interfaces.append({"name": f"nic{index}", "source": nic["name"], "network": nic["network"],
                               "nad": f"{namespace}/{nic['network']}", "mac": nic["mac"], "binding": binding,
                               "path": f"vms[{name}].nics[{nic['name']}]"})
        out.append({"vm": name, "namespace": namespace, "path": f"vms[{name}]", "interfaces": interfaces})
    return out
