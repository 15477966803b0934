"""Topology picture, cabling plan and device pages of examples/small, from the structured configs."""

import csv
import io
import os
import shutil

import pytest


from ansible_collections.dcnet.fabric.plugins.module_utils import cabling, pipeline, report_topology
from conftest import example_model  # tests/conftest.py: the examples' group variables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


example = example_model


@pytest.fixture(scope="module")
def small():
    result = pipeline.build(example("small"), from_vars=False, targets=["docs"])
    assert not [f for f in result["findings"] if f["severity"] == "error"]
    return result


def test_cabling_lists_every_cable_once_with_both_ends(small):
    table = cabling.rows(small["design"])
    kinds = [r["kind"] for r in table]
    assert kinds.count("fabric") == 4 and kinds.count("peer-link") == 2
    # every server NIC of the model is one row, at the leaf port the model cables it to
    model = example("small")
    nics = {(n["name"], nic, cable) for c in model["clusters"] for n in c["nodes"] for nic, cable in n["nics"].items()}
    rows = {(r["peer"], r["peer port"], f"{r['device']}:{r['port']}") for r in table if r["kind"] == "server"}
    assert rows == nics
    web = next(r for r in table if r["peer"] == "ove-w1" and r["peer port"] == "ens1f0")
    assert (web["vlans"], web["mtu"], web["peer mtu"]) == ("10,20,30,100-101", 9216, 9000)
    parsed = list(csv.DictReader(io.StringIO(cabling.to_csv(table))))
    assert len(parsed) == len(table) and list(parsed[0]) == list(cabling.COLUMNS)


def test_topology_has_spines_pairs_clusters_and_link_counts(small):
    dot = report_topology.to_dot(small["design"], "small")
    for needle in ('"spine1"', '"leaf01a" -> "leaf01b" [style=dashed', 'label="peer link x2"',
                   '"cluster:ove-small"', '"leaf01a" -> "cluster:azl-small" [label="4 links"]',
                   '"spine2" -> "leaf01b"', 'subgraph "cluster_rack1"'):
        assert needle in dot, needle
    assert report_topology.to_dot(small["design"], "small") == dot          # deterministic


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (Debian package graphviz)")
def test_svg_and_the_report_shows_it(small):
    svg = small["files"]["docs/topology.svg"]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "leaf01a" in svg
    pipeline.add_reports(small)
    assert "![Topology of the site](docs/topology.svg)" in small["files"]["report.md"]
    assert "<img src='docs/topology.svg'" in small["files"]["report.html"]


def test_device_page_like_avd(small):
    page = small["files"]["docs/devices/leaf01a.md"]
    for section in ("# leaf01a", "## Management summary", "## Fabric links", "## CLAG pair", "## Host ports",
                    "## Port-channels", "## VLANs and SVIs", "### Peer groups", "### Neighbors"):
        assert section in page, section
    assert "variable dcnet_bgp_password" in page
    assert "| swp49 | spine1 | swp1 | 10.254.0.1/31 |" in page


def test_large_sites_draw_one_box_per_rack(small, monkeypatch):
    monkeypatch.setattr(report_topology, "DETAIL_LEAVES", 1)
    dot = report_topology.to_dot(small["design"], "small")
    assert '"spines" -> "rack:1" [label="x4"]' in dot
    assert '"rack:1" -> "cluster:ove-small" [label="4 links"]' in dot
    assert '"leaf01a"' not in dot


def test_topology_marks_the_border_and_its_external_peers(monkeypatch):
    """With tenants and a border pair, the border leaves are marked and each external peer is drawn with the
    VRFs its handovers carry; without them nothing external is drawn."""
    # examples/small has VRFs and a border pair toward wan1
    from switches import models   # pylint: disable=import-outside-toplevel
    result = pipeline.build(models.small(), targets=["docs"])
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"][:3]
    dot = report_topology.to_dot(result["design"], "small")
    assert '"external:wan1" [shape=ellipse' in dot
    assert '"leaf01a" -> "external:wan1" [style=bold, label="VRF infra, prod"]' in dot, dot
    assert 'label="leaf01a\\nfrr AS 65101\\nborder"' in dot
    monkeypatch.setattr(report_topology, "DETAIL_LEAVES", 1)
    by_rack = report_topology.to_dot(result["design"], "small")
    assert '"rack:1" -> "external:wan1" [style=bold, label="VRF infra, prod"]' in by_rack
    assert "rack 1 (border)" in by_rack


def test_topology_without_a_border_draws_nothing_external():
    from switches import models   # pylint: disable=import-outside-toplevel
    flat = models.small()
    for key in ("dcnet_vrfs", "dcnet_external_peers"):
        del flat[key]
    for net in flat["dcnet_networks"]:
        net.pop("vrf", None)
    flat["dcnet_fabric"]["leaf_pairs"][0].pop("role")
    result = pipeline.build(flat, targets=["docs"])
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"][:3]
    dot = report_topology.to_dot(result["design"], "small")
    assert '"leaf01a"' in dot and "external:" not in dot
