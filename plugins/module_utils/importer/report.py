"""The import report: counts, every conflict with its evidence, the inferred subnets and teaming, as Markdown and JSON."""

from __future__ import annotations

import json

from ..design.facts import vswitch_leaf_ports
from .conflicts import KINDS


def as_data(draft: dict) -> dict:
    return {
        "source": draft["source"], "counts": draft["counts"],
        "conflicts": [c.as_dict() for c in draft["conflicts"]],
        "networks": draft["evidence"], "teaming": draft["teaming"], "notes": draft["notes"],
        "vmware_clusters": [{"name": c["name"], "hosts": [n["name"] for n in c["nodes"]], "networks": c["networks"],
                             "vswitches": c["vswitches"]} for c in draft["clusters"]],
    }


def to_json(draft: dict) -> str:
    return json.dumps(as_data(draft), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(draft: dict) -> str:
    counts = draft["counts"]
    lines = [f"# VMware import: {draft['source']}", "",
             "A draft for review: decide every conflict below, edit the drafts, then load them with the rest of the "
             "model (see docs/migration.md).", "",
             "| what | count |", "|---|---|"]
    for key in ("vms", "templates_skipped", "nics", "port_groups", "networks", "bond_profiles", "vmware_clusters", "hosts"):
        lines.append(f"| {key.replace('_', ' ')} | {counts[key]} |")
    total = sum(counts["conflicts"].values())
    lines += ["", f"## Conflicts ({total})", ""]
    if not total:
        lines.append("None.")
    for kind, (severity, title, decision) in KINDS.items():
        found = [c for c in draft["conflicts"] if c.kind == kind]
        if not found:
            continue
        lines += [f"### {title} ({len(found)}, {severity})", "", f"Decision: {decision}.", "",
                  "| subject | what | evidence |", "|---|---|---|"]
        for c in found:
            lines.append(f"| {_cell(c.subject)} | {_cell(c.message)} | {_cell(', '.join(str(o) for o in c.evidence))} |")
        lines.append("")
    lines += ["## Networks: inferred subnets", "", "| network | VLAN | port groups | IPv4 | IPv6 | MTU |", "|---|---|---|---|---|---|"]
    for net in draft["networks"]:
        ev = draft["evidence"][net["name"]]

        def fam(key, ev=ev):
            e = ev.get(key)
            return f"{e['subnet']} ({e['addresses']} addresses {e['first']}..{e['last']}, all in {e['common_prefix']})" if e else "-"
        lines.append(f"| {net['name']} | {net['vlan']} | {_cell(', '.join(ev['port_groups']))} | {fam('ipv4')} | "
                     f"{fam('ipv6')} | {ev['mtu']} |")
    lines += ["", "## Teaming -> bond profiles", "", "| profile | switch | vSphere policy | Linux bond | Network ATC | note |",
              "|---|---|---|---|---|---|"]
    for name, ev in draft["teaming"].items():
        linux = ev["linux"] + ("" if ev["linux_exact"] else " (approximate)")
        atc = ev["network_atc"] + ("" if ev["network_atc_exact"] else " (approximate)" if ev["network_atc"] != "none" else "")
        lines.append(f"| {name} | {_cell(ev['switch'])} | {ev['vsphere_policy']} | {linux} | {atc} | {_cell(ev['note'])} |")
    lines += ["", "## VMware hosts: clusters of platform vmware", "",
              "| cluster | hosts | vSwitch | kind | uplinks | teaming -> leaf ports | MTU |", "|---|---|---|---|---|---|---|"]
    for cluster in draft["clusters"]:
        for vs in cluster["vswitches"]:
            leaf = vswitch_leaf_ports(vs["teaming"])
            lines.append(f"| {cluster['name']} | {len(cluster['nodes'])} | {_cell(vs['name'])} | {vs['kind']} | "
                         f"{', '.join(vs['uplinks'])} | {vs['teaming']} -> {leaf} | {vs['mtu']} |")
    if draft["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in draft["notes"]]
    return "\n".join(lines) + "\n"
