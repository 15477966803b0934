"""East-west micro-segmentation of the VMs, decided once for every platform.

One policy model (``segmentation`` + ``vms``): application groups (from each
VM's application, folder or tags, plus groups listed in the model), flows
allowed between groups, everything allowed inside a group, and between
groups the default of the destination group (deny unless it says allow).
The OVE renderer lays it out as MultiNetworkPolicy (secondary networks) and
NetworkPolicy (pod network), the Azure Local renderer as NSG security rules;
both read the same ``rules`` records, so the families render alike.

Every rule exists once per address family the members have: a flow limited
to one family (``flows[].families``) leaves the other to the default deny,
which the dual-stack parity rule reports when both ends are dual-stack.
"""

from __future__ import annotations

import ipaddress

FAMILIES = (4, 6)


def _groups_of(model, seg, vm) -> list:
    by = seg["group_by"]
    if by == "application":
        names = [vm["application"]] if vm["application"] else []
    elif by == "folder":
        last = vm["folder"].rstrip("/").rsplit("/", 1)[-1] if vm["folder"] else ""
        names = [last] if last else []
    else:
        names = [t[len(seg["tag_prefix"]):] for t in vm["tags"] if t.startswith(seg["tag_prefix"])]
    return [_label(n) for n in names if _label(n)]


def _label(name) -> str:
    """A group name usable as a Kubernetes label key part and an NSG name: lower case, letters, digits, '-'."""
    out = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return out[:50]


def _addresses(vm) -> dict:
    out = {4: [], 6: []}
    for nic in vm["nics"]:
        for fam in FAMILIES:
            out[fam] += list(nic[f"ipv{fam}"])
    return out


def segmentation(model) -> dict:
    """{groups, vm_groups, flows, rules, audit} of the whole site (see the module docstring)."""
    seg = model.data.get("segmentation") or {}
    if not seg:
        return {"enabled": False, "groups": {}, "vm_groups": {}, "flows": [], "budget": None}
    groups = {}
    vm_groups = {}
    for name in sorted(model.vms):
        vm = model.vms[name]
        for group in _groups_of(model, seg, vm):
            groups.setdefault(group, {"name": group, "vms": [], "default": "deny", "listed": False, "path": None})
            groups[group]["vms"].append(name)
            vm_groups.setdefault(name, []).append(group)
    for listed in seg["groups"]:
        group = groups.setdefault(listed["name"], {"name": listed["name"], "vms": [], "default": "deny", "listed": True})
        group.update(default=listed["default"], listed=True, path=f"segmentation.groups[{listed['name']}]")
        for name in listed["vms"]:
            if name in model.vms and name not in group["vms"]:
                group["vms"].append(name)
                vm_groups.setdefault(name, []).append(listed["name"])
    for group in groups.values():
        group["vms"] = sorted(group["vms"])
        members = {4: [], 6: []}
        for name in group["vms"]:
            for fam, addrs in _addresses(model.vms[name]).items():
                members[fam] += addrs
        group["members"] = {fam: sorted(set(a), key=ipaddress.ip_address) for fam, a in members.items()}
    flows = []
    for flow in seg["flows"]:
        flows.append({"name": flow["name"], "from": flow["from"], "to": flow["to"], "protocol": flow["protocol"],
                      "ports": [_port_range(p) for p in flow["ports"]], "families": sorted(flow["families"]),
                      "path": f"segmentation.flows[{flow['name']}]"})
    return {"enabled": True, "groups": dict(sorted(groups.items())), "vm_groups": dict(sorted(vm_groups.items())),
            "flows": flows, "budget": seg["rule_budget"]}


def _port_range(text):
    first, _dash, last = str(text).partition("-")
    return [int(first), int(last or first)]


def ingress_rules(seg, group_name) -> list:
    """What a group's VMs accept, per family: [{family, kind, sources, protocol, ports, name}] (empty: open group)."""
    group = seg["groups"][group_name]
    if group["default"] == "allow":
        return []
    rules = []
    for fam in FAMILIES:
        if group["members"][fam]:
            rules.append({"name": f"{group_name}-intra-v{fam}", "family": fam, "kind": "intra",
                          "sources": group["members"][fam], "protocol": "any", "ports": []})
    for flow in seg["flows"]:
        if flow["to"] != group_name or flow["from"] not in seg["groups"]:
            continue
        for fam in flow["families"]:
            sources = seg["groups"][flow["from"]]["members"][fam]
            if sources and group["members"][fam]:
                rules.append({"name": f"{flow['name']}-v{fam}", "family": fam, "kind": "flow", "sources": sources,
                              "protocol": flow["protocol"], "ports": flow["ports"], "flow": flow["name"]})
    return rules


def allowed(seg, model, src, dst, protocol, port, family) -> tuple:
    """(allowed, by what) of one VM-to-VM packet under the policy model: the reference the tests compare with."""
    dst_groups = seg["vm_groups"].get(dst, [])
    if not dst_groups:
        return True, "destination not segmented"
    src_groups = set(seg["vm_groups"].get(src, []))
    for name in dst_groups:
        if seg["groups"][name]["default"] == "allow":
            return True, f"group {name} default allow"
        if name in src_groups:
            return True, f"inside group {name}"
    for flow in seg["flows"]:
        if flow["to"] in dst_groups and flow["from"] in src_groups and family in flow["families"] and \
                flow["protocol"] in ("any", protocol) and \
                (not flow["ports"] or any(lo <= port <= hi for lo, hi in flow["ports"])):
            return True, f"flow {flow['name']}"
    return False, "default deny"


def audit(seg) -> list:
    """Group x group: whether traffic is allowed and by which rule (intra, flows, default)."""
    rows = []
    names = list(seg["groups"])
    by_pair = {}  # (from, to) -> its flows in model order: one pass instead of a scan per pair of groups
    for flow in seg["flows"]:
        by_pair.setdefault((flow["from"], flow["to"]), []).append(flow)
    for src in names:
        for dst in names:
            if src == dst:
                rows.append({"from": src, "to": dst, "allowed": "all", "by": "inside the group"})
                continue
            if seg["groups"][dst]["default"] == "allow":
                rows.append({"from": src, "to": dst, "allowed": "all", "by": f"{dst} default allow"})
                continue
            flows = by_pair.get((src, dst))
            if flows:
                rows.append({"from": src, "to": dst, "allowed": "; ".join(_flow_text(f) for f in flows),
                             "by": ", ".join(f["name"] for f in flows)})
    return rows


def _flow_text(flow):
    ports = ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in flow["ports"]) or "all"
    return f"{flow['protocol']}/{ports} IPv{'+'.join(str(f) for f in flow['families'])}"
