# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The topology picture of a site, as Graphviz DOT (and SVG where ``dot`` is installed).

Spines on top, each leaf pair (MLAG/vPC/CLAG) as a box of its two leaves with
its peer link, server clusters below the pairs they are cabled to, border
leaves marked and their external peers (firewalls, WAN routers, provider
edges) beside them with the VRFs each handover carries; every edge
says how many links it stands for, so a 5,000-server site stays one readable
picture (one node per cluster, not per server).  Built from the structured
configs; the text is deterministic, so the picture only changes with the site.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from .errors import DcnetError

BORDER_COLOUR = "#f8c9c4"
PLATFORM_COLOURS = {"ove": "#fde2c8", "azure_local": "#d6e8fa", "linux": "#e6e6e6", "vmware": "#e2f0d9"}
# Above this many leaves the picture draws one box per rack and one for all spines: a full mesh of
# spine-leaf edges (8 x 240 on the 5,000-device bench site) takes Graphviz seconds and reads as a smear.
DETAIL_LEAVES = 32


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


def _exits(design: dict) -> dict:
    """{(leaf, external peer): [VRFs]} of the handovers (sub-interfaces and SVIs) of the border leaves."""
    out = {}
    for name, sw in (design.get("switches") or {}).items():
        for handover in list(sw.get("external_interfaces") or []) + list(sw.get("external_vlans") or []):
            if handover.get("peer"):
                vrfs = out.setdefault((name, handover["peer"]), [])
                if handover.get("vrf") not in vrfs:
                    vrfs.append(handover.get("vrf"))
    return out


def _exits_dot(exits: dict, node_of, lines):
    """External peers on their own rank, one edge per (border box, peer) naming the VRFs it carries."""
    if not exits:
        return
    lines.append("  { rank=same;")
    for peer in sorted({peer for _leaf, peer in exits}):
        lines.append(f"    {_q('external:' + peer)} [shape=ellipse, style=filled, fillcolor=\"#eeeeee\", "
                     f"label={_q(peer + chr(10) + 'external')}];")
    lines.append("  }")
    edges = {}
    for (leaf, peer), vrfs in exits.items():
        key = (node_of(leaf), peer)
        edges.setdefault(key, set()).update(str(v) for v in vrfs)
    for (node, peer), vrfs in sorted(edges.items()):
        lines.append(f"  {_q(node)} -> {_q('external:' + peer)} [style=bold, label={_q('VRF ' + ', '.join(sorted(vrfs)))}];")


def to_dot(design: dict, site: str) -> str:
    leaves = sum(1 for s in (design.get("switches") or {}).values() if s.get("role") == "leaf")
    return _detailed(design, site) if leaves <= DETAIL_LEAVES else _by_rack(design, site)


def _clusters_dot(clusters, lines):
    lines.append("  { rank=same;")
    for name, cluster in sorted(clusters.items()):
        members = cluster.get("nodes") or []
        colour = PLATFORM_COLOURS.get(cluster.get("platform"), "#eeeeee")
        label = _q(f"{name}\n{cluster.get('platform')}, {len(members)} nodes")
        lines.append(f"    {_q('cluster:' + name)} [shape=box3d, style=filled, fillcolor={_q(colour)}, label={label}];")
    lines.append("  }")


def _by_rack(design: dict, site: str) -> str:
    """One box per rack (its leaves, platform, ASN) and one for the spines; edges count the links."""
    switches, nodes = design.get("switches") or {}, design.get("nodes") or {}
    fabric, servers, pairs, peer_links = _links(design)
    spines = sorted(n for n, s in switches.items() if s.get("role") == "spine")
    rack_of = {leaf: rack for rack, members in pairs.items() for leaf in members}
    exits = _exits(design)
    lines = [f"digraph {_q(site)} {{",
             f"  label={_q(f'{site}: {len(switches)} switches, {len(nodes)} servers (one box per rack)')}; "
             "labelloc=t; fontsize=18;",
             "  rankdir=TB; nodesep=0.2; ranksep=1.2; splines=line;",
             "  node [fontname=\"Helvetica\", fontsize=10]; edge [dir=none, fontname=\"Helvetica\", fontsize=8];"]
    asns = sorted({str(switches[s].get("asn")) for s in spines})
    label = _q(f"{len(spines)} spines\n{', '.join(spines[:4])}{' ...' if len(spines) > 4 else ''}\nAS {', '.join(asns)}")
    lines.append(f"  \"spines\" [shape=box, style=filled, fillcolor=\"#cfe3cf\", label={label}];")
    lines.append("  { rank=same;")
    for rack in sorted(pairs, key=lambda r: (r is None, r)):
        leaves = sorted(pairs[rack])
        first = switches[leaves[0]]
        peer = f", peer link x{peer_links[rack]}" if peer_links.get(rack) else ""
        border = any(leaf == b for b, _peer in exits for leaf in leaves)
        label = _q(f"rack {rack}{' (border)' if border else ''}\n{' / '.join(leaves)}\n"
                   f"{first.get('platform')} AS {first.get('asn')}{peer}")
        colour = BORDER_COLOUR if border else "#fff4c2"
        lines.append(f"    {_q(f'rack:{rack}')} [shape=box, style=filled, fillcolor={_q(colour)}, label={label}];")
    lines.append("  }")
    uplinks = {}
    for (_spine, leaf), count in fabric.items():
        uplinks[rack_of[leaf]] = uplinks.get(rack_of[leaf], 0) + count
    for rack, count in sorted(uplinks.items(), key=lambda kv: (kv[0] is None, kv[0])):
        lines.append(f"  \"spines\" -> {_q(f'rack:{rack}')} [label={_q(f'x{count}')}];")
    _clusters_dot(design.get("clusters") or {}, lines)
    per_rack = {}
    for (cluster, leaf), count in servers.items():
        key = (str(cluster), rack_of[leaf])
        per_rack[key] = per_rack.get(key, 0) + count
    for (cluster, rack), count in sorted(per_rack.items(), key=lambda kv: (kv[0][0], kv[0][1] is None, kv[0][1])):
        lines.append(f"  {_q(f'rack:{rack}')} -> {_q('cluster:' + cluster)} [label={_q(f'{count} links')}];")
    _exits_dot(exits, lambda leaf: f"rack:{rack_of[leaf]}", lines)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _detailed(design: dict, site: str) -> str:
    """Every switch a box: spines, leaf pairs with their peer link, clusters."""
    switches = design.get("switches") or {}
    clusters = design.get("clusters") or {}
    nodes = design.get("nodes") or {}
    fabric, servers, pairs, peer_links = _links(design)
    exits = _exits(design)
    borders = {leaf for leaf, _peer in exits}
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
            role = "\nborder" if name in borders else ""
            label = _q(f"{name}\n{switches[name].get('platform')} AS {switches[name].get('asn')}{role}")
            colour = BORDER_COLOUR if name in borders else "#fff4c2"
            lines.append(f"      {_q(name)} [shape=box, style=filled, fillcolor={_q(colour)}, label={label}];")
        if len(leaves) == 2 and peer_links.get(rack):
            lines.append(f"      {_q(leaves[0])} -> {_q(leaves[1])} [style=dashed, constraint=false, "
                         f"label={_q(f'peer link x{peer_links[rack]}')}];")
        lines.append("    }")
    lines.append("  }")
    for (spine, leaf), count in sorted(fabric.items()):
        lines.append(f"  {_q(spine)} -> {_q(leaf)} [label={_q(f'x{count}' if count > 1 else '')}];")
    _clusters_dot(clusters, lines)
    for (cluster, leaf), count in sorted(servers.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        lines.append(f"  {_q(leaf)} -> {_q('cluster:' + str(cluster))} [label={_q(f'{count} links')}];")
    _exits_dot(exits, lambda leaf: leaf, lines)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available() -> bool:
    return shutil.which("dot") is not None


def to_svg(dot_text: str, timeout: int = 120) -> str:
    """Lay out with Graphviz ``dot``; DcnetError when it fails (the DOT file is kept either way)."""
    binary = shutil.which("dot")
    if binary is None:
        raise DcnetError("Graphviz 'dot' is not installed (Debian/RPM package graphviz)")
    return _layout(binary, dot_text, timeout)


@functools.lru_cache(maxsize=8)
def _layout(binary: str, dot_text: str, timeout: int) -> str:
    """``dot -Tsvg`` of one DOT text, once per process: the same text lays out to the same SVG, and starting
    ``dot`` costs more than rendering a small site (a process that renders a site again, or many variants of
    one topology, reuses the picture)."""
    proc = subprocess.run([binary, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=timeout,
                          check=False)
    if proc.returncode != 0:
        raise DcnetError(f"dot -Tsvg failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout
