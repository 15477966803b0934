"""Where the VMs of ``vms`` land: the VMs a wave moves, the VMs on a cluster, their OVE namespace.

Shared by the OVE design (which namespaces need a NetworkAttachmentDefinition of
which network) and the migration waves (one MTV NetworkMap per namespace), so
both read one answer.
"""

from __future__ import annotations

import re

_NAMESPACE_RE = re.compile(r"[^a-z0-9-]+")


def wave_vms(model, wave) -> list:
    """Names of the VMs a wave moves, in model order: listed ones and those of its applications."""
    wanted = set(wave["vms"])
    apps = set(wave["applications"])
    return [name for name, vm in model.vms.items() if name in wanted or (vm["application"] and vm["application"] in apps)]


def vm_networks_on_cluster(model, cluster_name) -> list:
    """[(VM, [its networks there])] of the VMs that run on a cluster now (their ``cluster``) or once a wave has
    moved them there (then each NIC's network after the wave's ``network_map``), in model order."""
    vms = getattr(model, "vms", {})
    moved = {}
    for wave in getattr(model, "waves", {}).values():
        if wave["target"]["cluster"] == cluster_name:
            for name in wave_vms(model, wave):
                moved[name] = wave["network_map"]
    out = []
    for name, vm in vms.items():
        if vm.get("cluster") == cluster_name:
            out.append((vm, [nic["network"] for nic in vm["nics"]]))
        elif name in moved:
            out.append((vm, [moved[name].get(nic["network"], nic["network"]) for nic in vm["nics"]]))
    return out


def vm_namespace_of(model, cluster, vm) -> str:  # pylint: disable=unused-argument
    """The namespace a VM of ``vms`` runs in on an OVE cluster: its own, else its application's, else vm_namespace."""
    if vm.get("namespace"):
        return vm["namespace"]
    if vm.get("application"):
        slug = _NAMESPACE_RE.sub("-", vm["application"].lower()).strip("-")[:63].strip("-")
        if slug:
            return slug
    return cluster["ove"]["vm_namespace"]
