"""examples/small renders exactly the reviewed golden files (regenerate: tests/tools/regen_ove.py)."""

import glob
import os

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

from .conftest import ROOT, inventory_vars

GOLDEN = os.path.join(ROOT, "tests", "unit", "golden", "small")
PREFIXES = ("hosts/", "ove/")


def _golden():
    out = {}
    for prefix in PREFIXES:
        for path in glob.glob(os.path.join(GOLDEN, prefix, "**", "*"), recursive=True):
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    out[os.path.relpath(path, GOLDEN)] = handle.read()
    return out


def test_small_matches_golden(small):
    golden = _golden()
    rendered = {k: v for k, v in small.items() if k.startswith(PREFIXES)}
    assert sorted(rendered) == sorted(golden), "file set differs: run tests/tools/regen_ove.py and review"
    for rel in sorted(golden):
        assert rendered[rel] == golden[rel], f"{rel} differs from the golden file"


def test_render_is_byte_identical_on_rerun(small):
    again = pipeline.build(inventory_vars("small"))["files"]
    assert {k: v for k, v in again.items() if k.startswith(PREFIXES)} == \
        {k: v for k, v in small.items() if k.startswith(PREFIXES)}


def test_dc1_renders_every_ove_artifact(dc1):
    """The bundled datacenter: install-time NMState per node, one group NNCP and one per node, NADs, MetalLB
    CRs, live migration and the OVN MTU."""
    ove = sorted(k for k in dc1 if k.startswith("ove/ove-prod/"))
    assert sum(1 for k in ove if "/10-nncp-" in k) == 1
    assert sum(1 for k in ove if "/11-nncp-" in k) == 120
    assert "ove/ove-prod/install/agent-config.yaml" in dc1 and "ove/ove-prod/39-metallb.yaml" in dc1
    assert "ove/ove-prod/36-hyperconverged-live-migration.yaml" in dc1
    assert sum(1 for k in ove if "/30-nad-" in k) > 0
    for kind in ("bfdprofile", "ipaddresspool", "bgppeer", "bgpadvertisement", "community"):
        assert any(f"-metallb-{kind}-" in k for k in ove), kind
    assert "ove/ove-prod/install/cluster-network-03-config.yml" in dc1
    assert "ove/ove-prod/install/install-config-networking.yaml" in dc1
    assert sum(1 for k in dc1 if k.startswith("hosts/")) >= 120
