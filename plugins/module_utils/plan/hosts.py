# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Host and cluster objects of a plan: what the host-side renderers make of the designs that changed.

Which NNCPs, nmstate files, Network ATC intent scripts and NADs change is read
from the documents the collection's own renderers produce for the changed
clusters (parsed back into data and compared as data), never assumed from the
kind of model change: an OVE layout whose bridge mapping and VM bridge trunk
already carry a VLAN gets no NNCP change when the VLAN is added.
"""

from __future__ import annotations

import os
import re

from ..render.base import RenderContext
from ..render.registry import RENDERERS
from .objects import CLUSTER, HOST, INSTALL, SWITCH, node_ports

# The renderers of the switches and of site-wide services and documents; every other renderer's files
# configure servers and clusters (nmstate, ove, azure_local, and any cluster target added later).
SITE_TARGETS = ("structured", "switches", "dns", "dhcp", "ipam", "migration", "docs", "segmentation",
                "handover")
POLICY_KINDS = ("NodeNetworkConfigurationPolicy",)
# Cluster files that are not Kubernetes documents, by suffix (Azure Local logical networks and NSGs).
FILE_KINDS = {".json": "ARM template", ".bicep": "Bicep", ".sh": "script", ".ps1": "PowerShell"}
# Files a cluster reads once, at install or node preparation time.
_INSTALL_PARTS = ("install", "prepare")
_INSTALL_FILES = ("hostNetwork.json", "deploymentData.json")


def _scalar(text):
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _header(path, text):
    """kind / metadata name and namespace of a rendered Kubernetes document, from its first lines.

    The documents are compared as the renderer wrote them (deterministic text: equal text is
    equal data); only what the plan needs to place them is read, from the head of the file
    as the collection's YAML writer lays it out (top-level ``kind:``, ``metadata:`` block).
    """
    if not path.endswith((".yaml", ".yml")):
        return {}
    out, meta, in_meta = {}, {}, False
    for line in text.splitlines():
        if not line or line.startswith(("#", "---")):
            continue
        if line.startswith("kind:"):
            out["kind"] = _scalar(line[5:])
        elif line.startswith("metadata:"):
            in_meta = True
        elif in_meta and line.startswith("  ") and not line.startswith("   "):
            key, _sep, value = line.strip().partition(":")
            if key in ("name", "namespace") and value.strip():
                meta[key] = _scalar(value)
        elif not line.startswith(" "):
            in_meta = False
            if line.startswith(("spec:", "data:", "stringData:")):
                break
    out["metadata"] = meta
    return out


def _selected_host(text):
    for line in text.splitlines():
        if line.strip().startswith("kubernetes.io/hostname:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return None


def render_clusters(model, facts, designed: dict, clusters) -> dict:
    """{path: parsed document} of the host-side files of ``clusters`` only (a cut of the design)."""
    clusters = set(clusters)
    if not clusters:
        return {}
    cut = dict(designed)
    cut["switches"] = {}
    cut["clusters"] = {c: designed["clusters"][c] for c in sorted(clusters) if c in designed["clusters"]}
    cut["nodes"] = {n: cfg for n, cfg in designed["nodes"].items() if cfg.get("cluster") in clusters}
    ctx = RenderContext(model, facts, cut, model.site["name"])
    # an OVE node's NMState goes out in its NNCP: its hosts/ file is not rendered twice
    plain = dict(cut, nodes={n: c for n, c in cut["nodes"].items()
                             if (cut["clusters"].get(c.get("cluster")) or {}).get("platform") != "ove"})
    out = {}
    for target, renderer in RENDERERS:
        if target in SITE_TARGETS:
            continue
        for art in renderer(RenderContext(model, facts, plain, model.site["name"]) if target == "nmstate" else ctx):
            out[art.path] = art.content
    return out


def _cluster_of(path, clusters):
    """The cluster a file belongs to: the folder under its target folder named like a cluster."""
    parts = path.split("/")
    return next((p for p in parts[1:-1] if p in clusters), None)


_MAX_UNAVAILABLE = re.compile(r"^  maxUnavailable: ['\"]?([^'\"\s]+)", re.M)


def _policy(name, text, cluster_cfg):
    """(nodes, maxUnavailable) of an NNCP: its entry in the cluster's design, else its own nodeSelector."""
    ove = cluster_cfg.get("ove") or {}
    for policy in (ove.get("policies") or []) + ((ove.get("nncp") or {}).get("policies") or []):
        if policy.get("name") == name and policy.get("nodes"):
            return list(policy["nodes"]), policy.get("max_unavailable", (ove.get("nncp") or {}).get("max_unavailable"))
    host = _selected_host(text)
    found = _MAX_UNAVAILABLE.search(text)
    return ([host] if host else list(cluster_cfg.get("nodes") or [])), (found.group(1) if found else None)


def host_objects(documents: dict, designed: dict) -> dict:
    """{key: object} of the rendered host-side files (see the module docstring for the domains)."""
    switches, nodes, clusters = designed["switches"], designed["nodes"], designed["clusters"]
    ove_nodes = {n for n, cfg in nodes.items() if (clusters.get(cfg.get("cluster")) or {}).get("platform") == "ove"}
    out, cluster_hosts = {}, {}

    def add(key, value, requires=(), **meta):
        out[key] = {"key": key, "value": value, "requires": sorted(set(requires)), **meta}

    for path in sorted(documents):
        doc = documents[path]
        head = _header(path, doc)
        meta = head.get("metadata") or {}
        parts = path.split("/")
        if parts[0] == "hosts":  # hosts/<node>.nmstate.yml
            node = parts[1].split(".")[0]
            if node in ove_nodes:
                continue  # an OVE node gets the same document through its NNCP
            cluster = nodes[node]["cluster"]
            key = (HOST, node, "nmstate", path)
            add(key, doc, node_ports(nodes[node], switches), nodes=[node], cluster=cluster, path=path,
                platform=clusters[cluster]["platform"])
            cluster_hosts.setdefault(cluster, []).append(key)
            continue
        cluster = _cluster_of(path, clusters)
        cfg = clusters.get(cluster) or {}
        if any(p in _INSTALL_PARTS for p in parts[2:-1]) or parts[-1] in _INSTALL_FILES:
            add((INSTALL, cluster, "file", path), doc, cluster=cluster, path=path, platform=cfg.get("platform"))
            continue
        kind = head.get("kind")
        members = list(cfg.get("nodes") or [])
        if kind in POLICY_KINDS:
            policy_nodes, limit = _policy(meta.get("name"), doc, cfg)
            key = (HOST, meta.get("name"), "nncp", path)
            needs = [k for n in policy_nodes if n in nodes for k in node_ports(nodes[n], switches)]
            add(key, doc, needs, nodes=policy_nodes, cluster=cluster, path=path, platform=cfg.get("platform"),
                max_unavailable=limit, rolled_by=f"kubernetes-nmstate (maxUnavailable {limit})"
                if limit is not None and len(policy_nodes) > 1 else None)
            cluster_hosts.setdefault(cluster, []).append(key)
        elif path.endswith(".ps1"):  # Network ATC intents: the cluster's hosts, applied through one script
            needs = [k for n in members if n in nodes for k in node_ports(nodes[n], switches)]
            key = (HOST, cluster, "atc-intents", path)
            add(key, doc, needs, nodes=members, cluster=cluster, path=path, platform=cfg.get("platform"),
                intents=[i["name"] for i in (cfg.get("azure_local") or {}).get("intents") or []],
                rolled_by="Network ATC (cluster intents apply on every node of the cluster)")
            cluster_hosts.setdefault(cluster, []).append(key)
        else:
            name = meta.get("name") or os.path.basename(path)
            kind = kind or FILE_KINDS.get(os.path.splitext(path)[1], "file")
            add((CLUSTER, cluster, kind, path), doc, cluster=cluster, path=path, name=name,
                namespace=meta.get("namespace"), platform=cfg.get("platform"), doc_kind=kind)
    for key, obj in out.items():
        if key[0] != CLUSTER:
            continue
        needs = list(cluster_hosts.get(obj["cluster"], ()))
        if obj.get("doc_kind") == "BGPPeer":
            peers = (((clusters.get(obj["cluster"]) or {}).get("ove") or {}).get("metallb") or {}).get("peers") or []
            for peer in peers:
                if peer.get("name") == obj["name"]:
                    needs += [(SWITCH, peer["leaf"], "bgp-neighbor", ip) for ip in (peer.get("node_addresses") or {}).values()]
        obj["requires"] = sorted(set(needs))
    return out
