"""examples/dc1 against its reviewed golden files (tests/tools/regen_dc1.py): every switch platform, one node
of each kind, the structured configs."""

from __future__ import annotations

import gc
import os

import pytest
import yaml
from example_models import built_example  # tests/example_models.py: one build of dc1 per session

from . import dc1_golden

pytestmark = pytest.mark.skipif(not os.path.isdir(dc1_golden.INVENTORY), reason="examples/dc1 is not in this checkout")


@pytest.fixture(scope="module")
def rendered():
    return dc1_golden.rendered(built_example("dc1"))


def test_golden_files_are_the_rendered_selection(rendered):
    golden = dc1_golden.committed()
    assert sorted(rendered) == sorted(golden), "run tests/tools/regen_dc1.py (make regen) and review the diff"
    for rel in sorted(golden):
        assert rendered[rel] == golden[rel], f"{rel} differs from its golden file"


# libyaml's safe loader when PyYAML has it: dc1's structured configs are 7 MB of YAML
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _structured(files: dict) -> dict:
    """{path: parsed structured config} of ``files``, each parsed once, with the cyclic collector paused (the
    parsed trees are millions of objects it would rescan while they are built)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return {rel: yaml.load(text, Loader=_LOADER)  # nosec B506 - a safe loader
                for rel, text in sorted(files.items()) if rel.startswith("structured/")}
    finally:
        if enabled:
            gc.enable()


def _kinds(parsed: dict) -> dict:
    """{(platform, OVE layout or None): [structured file of that kind]} over parsed structured configs."""
    kinds = {}
    for rel, data in sorted(parsed.items()):
        layout = (data.get("ove") or {}).get("layout") if data.get("platform") == "ove" else None
        kinds.setdefault((data.get("platform"), layout), []).append(rel)
    return kinds


def test_the_selection_covers_every_platform_and_kind(rendered):
    """Every switch platform, cluster kind (OVE per VM layout) and node kind dc1 renders has golden files."""
    parsed = _structured(built_example("dc1")["files"])
    clusters = {rel: data for rel, data in parsed.items() if rel.startswith("structured/clusters/")}
    in_site, in_selection = _kinds(clusters), _kinds({rel: clusters[rel] for rel in rendered if rel in clusters})
    assert sorted(in_selection) == sorted(in_site), "a cluster kind of dc1 has no golden files"
    assert ("ove", "dedicated") in in_site and ("ove", "shared") in in_site, "dc1 renders both OVE VM layouts"
    devices = {rel: data for rel, data in parsed.items() if "/clusters/" not in rel}
    platforms = {platform for platform, _layout in _kinds(devices)}
    selected = {platform for platform, _layout in _kinds({rel: devices[rel] for rel in rendered if rel in devices})}
    assert selected == platforms == {"eos", "nxos", "frr", "ove", "linux", "azure_local"}
    nodes_by_cluster = {rel: data["nodes"] for rel, data in clusters.items()}
    for kind, rels in sorted(in_selection.items()):
        assert any(f"structured/{node}.yml" in rendered for rel in rels for node in nodes_by_cluster[rel]), \
            f"no node of a {kind} cluster has golden files"
    assert {"switches/leaf11a.interfaces", "switches/leaf12a.interfaces", "hosts/w001.nmstate.yml",
            "hosts/e01.nmstate.yml", "hosts/infra1.nmstate.yml", "azure_local/azl-a/hostNetwork.json",
            "ove/ove-prod/10-nncp-ove-prod-vm-networks.yaml", "ove/ove-prod/11-nncp-ove-prod-w001.yaml",
            "ove/ove-edge/10-nncp-ove-edge-vm-networks.yaml", "ove/ove-edge/vms/app01.yaml",
            "ove/ove-edge/30-nad-app01-vm-292.yaml", "ove/ove-edge/install/agent-config.yaml"} <= set(rendered)
