# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The topology picture of a site, as Graphviz DOT (and SVG where ``dot`` is installed).

Spines on top, each leaf pair (MLAG/vPC/CLAG) as a box of its two leaves with
its peer link, server clusters below the pairs they are cabled to; every edge
says how many links it stands for, so a 5,000-server site stays one readable
picture (one node per cluster, not per server).  Built from the structured
configs; the text is deterministic, so the picture only changes with the site.
"""

from __future__ import annotations

import shutil
import subprocess

from .errors import DcnetError

PLATFORM_COLOURS = {"ove": "#fde2c8", "azure_local": "#d6e8fa", "linux": "#e6e6e6"}


def _q(text) -> str:
    """A DOT string; a newline becomes DOT's own line break."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _links(design: dict):
    """({(spine, leaf): links}, {(cluster, leaf): links}, {rack: [leaves]}, {rack: peer-link members})."""
    switches, nodes = design.get("switches") or {}, design.get("nodes") or {}
    fabric, pairs, peer_links = {}, {}, {}
    pair_of = {}
    for name, sw in sorted(switches.items()):
        if sw.get("role") != "leaf":
            continue
        rack = sw.get("rack")
        pairs.setdefault(rack, []).append(name)
        pair_of[name] = rack
        members = ((sw.get("mlag") or {}).get("peer_link") or {}).get("members") or []
        peer_links[rack] = max(peer_links.get(rack, 0), len(members))
        for link in sw.get("fabric_links") or []:
            fabric[(link["peer"], name)] = fabric.get((link["peer"], name), 0) + 1
    servers = {}  # (cluster, leaf) -> server links
    for node in nodes.values():
        for nic in node.get("nics") or []:
            if nic.get("leaf") in pair_of:
                key = (node.get("cluster"), nic["leaf"])
                servers[key] = servers.get(key, 0) + 1
    return fabric, servers, pairs, peer_links


def to_dot(design: dict, site: str) -> str:
    switches = design.get("switches") or {}
    clusters = design.get("clusters") or {}
    nodes = design.get("nodes") or {}
    fabric, servers, pairs, peer_links = _links(design)
    lines = [f"digraph {_q(site)} {{",
             f"  label={_q(f'{site}: {len(switches)} switches, {len(nodes)} servers')}; labelloc=t; fontsize=18;",
             "  rankdir=TB; newrank=true; nodesep=0.3; ranksep=1.0; splines=line;",
             "  node [fontname=\"Helvetica\", fontsize=11]; edge [dir=none, fontname=\"Helvetica\", fontsize=9];"]
    spines = sorted(n for n, s in switches.items() if s.get("role") == "spine")
    lines.append("  { rank=same;")
    for name in spines:
        label = _q(f"{name}\n{switches[name].get('platform')} AS {switches[name].get('asn')}")
        lines.append(f"    {_q(name)} [shape=box, style=filled, fillcolor=\"#cfe3cf\", label={label}];")
    lines.append("  }")
    lines.append("  { rank=same;")
    for rack in sorted(pairs, key=lambda r: (r is None, r)):
        leaves = sorted(pairs[rack])
        lines.append(f"    subgraph {_q(f'cluster_rack{rack}')} {{ label={_q(f'rack {rack}')}; style=rounded; color=\"#888888\";")
        for name in leaves:
            label = _q(f"{name}\n{switches[name].get('platform')} AS {switches[name].get('asn')}")
            lines.append(f"      {_q(name)} [shape=box, style=filled, fillcolor=\"#fff4c2\", label={label}];")
        if len(leaves) == 2 and peer_links.get(rack):
            lines.append(f"      {_q(leaves[0])} -> {_q(leaves[1])} [style=dashed, constraint=false, "
                         f"label={_q(f'peer link x{peer_links[rack]}')}];")
        lines.append("    }")
    lines.append("  }")
    for (spine, leaf), count in sorted(fabric.items()):
        lines.append(f"  {_q(spine)} -> {_q(leaf)} [label={_q(f'x{count}' if count > 1 else '')}];")
    lines.append("  { rank=same;")
    for name, cluster in sorted(clusters.items()):
        members = cluster.get("nodes") or []
        colour = PLATFORM_COLOURS.get(cluster.get("platform"), "#eeeeee")
        label = _q(f"{name}\n{cluster.get('platform')}, {len(members)} nodes")
        lines.append(f"    {_q('cluster:' + name)} [shape=box3d, style=filled, fillcolor={_q(colour)}, label={label}];")
    lines.append("  }")
    for (cluster, leaf), count in sorted(servers.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        lines.append(f"  {_q(leaf)} -> {_q('cluster:' + str(cluster))} [label={_q(f'{count} links')}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available() -> bool:
    return shutil.which("dot") is not None


def to_svg(dot_text: str, timeout: int = 120) -> str:
    """Lay out with Graphviz ``dot``; DcnetError when it fails (the DOT file is kept either way)."""
    binary = shutil.which("dot")
    if binary is None:
        raise DcnetError("Graphviz 'dot' is not installed (Debian/RPM package graphviz)")
    proc = subprocess.run([binary, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=timeout,
                          check=False)
    if proc.returncode != 0:
        raise DcnetError(f"dot -Tsvg failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout
