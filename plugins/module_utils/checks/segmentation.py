"""Micro-segmentation rules: flows between real groups, one default per VM, both families alike, rule budget."""

from __future__ import annotations

from ..design.segmentation import ingress_rules
from ..findings import Finding
from .registry import check


def _seg(design):
    seg = (design or {}).get("segmentation") or {}
    return seg if seg.get("enabled") else None


@check("SEG001", "error", "Flow to or from a group without VMs", "segmentation")
def flow_groups_have_vms(model, facts, design):
    """A flow names an application group that has no VM (or does not exist).

    A flow from an empty group allows nothing; a flow to one protects nothing: most often the group name
    is misspelt or the VMs' application/folder/tags changed, and the traffic the flow was meant to allow
    is silently denied after the migration.

    Fix the group name, or give the group its VMs (`vms[].application`, `segmentation.groups[].vms`).
    """
    seg = _seg(design)
    if not seg:
        return
    for flow in seg["flows"]:
        for end in ("from", "to"):
            group = seg["groups"].get(flow[end])
            if not group or not group["vms"]:
                yield Finding("SEG001", f"{flow['path']}.{end}", f"group {flow[end]} has no VMs",
                              "fix the group name or give the group its VMs")


@check("SEG002", "error", "VM in groups with conflicting defaults", "segmentation")
def one_default_per_vm(model, facts, design):
    """A VM belongs to two groups whose defaults differ (one denies other groups, one allows them).

    The VM's policies cannot say both: on OVE it would be selected by a MultiNetworkPolicy of one group
    and stay open through the other, on Azure Local its NSG rules would contradict each other, so the
    enforced result depends on the platform.

    Keep the VM in one group, or give both groups the same `default`.
    """
    seg = _seg(design)
    if not seg:
        return
    for vm, groups in seg["vm_groups"].items():
        defaults = {seg["groups"][g]["default"] for g in groups}
        if len(defaults) > 1:
            yield Finding("SEG002", f"vms[{vm}]", f"{vm} is in groups {', '.join(groups)} with defaults "
                          f"{' and '.join(sorted(defaults))}", "keep the VM in one group or align the defaults")


@check("DS006", "error", "Flow open in one family, filtered in the other", "dualstack")
def flow_family_parity(model, facts, design):
    """A flow between two dual-stack groups is allowed in one address family only.

    Both groups' VMs have IPv4 and IPv6 addresses, so clients pick either family: the flow works over
    IPv4 and is dropped by the default deny over IPv6 (or the reverse), the classic dual-stack outage
    that appears only for some clients.

    Allow the flow in both families (`families: [4, 6]`), or remove the other family's addresses.
    """
    seg = _seg(design)
    if not seg:
        return
    for flow in seg["flows"]:
        src, dst = seg["groups"].get(flow["from"]), seg["groups"].get(flow["to"])
        if not src or not dst:
            continue
        dual = all(g["members"][4] and g["members"][6] for g in (src, dst))
        if dual and len(flow["families"]) == 1:
            missing = 6 if flow["families"] == [4] else 4
            yield Finding("DS006", f"{flow['path']}.families", f"{flow['name']} is allowed over IPv{flow['families'][0]} "
                          f"but filtered over IPv{missing} between dual-stack groups {src['name']} and {dst['name']}",
                          "set families: [4, 6]")


@check("SEG003", "warning", "Host above the rule budget", "segmentation")
def rule_budget(model, facts, design):
    """The micro-segmentation rules a host must carry exceed `segmentation.rule_budget`.

    A VM may run on any node of its cluster, so every node carries the rules of every group on the
    cluster (one per source address and port range); past the budget, policy updates slow down and
    some platforms refuse rules.

    Merge groups, list flows by range rather than by port, or raise the budget after testing.
    """
    seg = _seg(design)
    if not seg:
        return
    for cname, cluster in sorted(model.clusters.items()):
        groups = {g for name, vm in model.vms.items() if vm.get("cluster") == cname for g in seg["vm_groups"].get(name, [])}
        count = sum(len(r["sources"]) * max(1, len(r["ports"])) for g in groups for r in ingress_rules(seg, g))
        if count > seg["budget"]:
            yield Finding("SEG003", f"clusters[{cname}]", f"every node of {cname} carries {count} segmentation rules "
                          f"(budget {seg['budget']})", "merge groups or raise segmentation.rule_budget")
