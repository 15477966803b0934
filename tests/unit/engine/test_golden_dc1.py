"""examples/dc1 against its reviewed golden files (tests/tools/regen_dc1.py): every switch platform, one node
of each kind, the structured configs."""

from __future__ import annotations

import os

import pytest
from conftest import built_example  # tests/conftest.py: one build of dc1 per session

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


def test_the_selection_covers_every_platform_and_kind(rendered):
    structured = {rel: text for rel, text in rendered.items() if rel.startswith("structured/")}
    platforms = {line.split(": ", 1)[1] for text in structured.values() for line in text.splitlines()
                 if line.startswith("platform: ")}
    assert platforms == {"eos", "nxos", "frr", "ove", "linux", "azure_local"}
    assert {"switches/leaf11a.interfaces", "hosts/w001.nmstate.yml", "hosts/infra1.nmstate.yml",
            "azure_local/azl-a/hostNetwork.json", "ove/ove-prod/10-nncp-ove-prod-vm-networks.yaml",
            "ove/ove-prod/11-nncp-ove-prod-w001.yaml"} <= set(rendered)
