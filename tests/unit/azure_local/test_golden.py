"""Golden files: examples/small's Azure Local artifacts are byte-identical to the reviewed copies.

Regenerate with tests/tools/regen_azure_local.py (``make regen``) and review the diff.
"""

from __future__ import annotations

import glob
import os

import pytest

from ._helpers import GOLDEN, build, example_vars


@pytest.fixture(scope="module")
def rendered():
    result = build(example_vars("small"))
    return {k[len("azure_local/"):]: v for k, v in result["files"].items() if k.startswith("azure_local/")}


def golden_files():
    return sorted(os.path.relpath(p, GOLDEN) for p in glob.glob(os.path.join(GOLDEN, "**", "*"), recursive=True)
                  if os.path.isfile(p))


def test_same_file_set(rendered):
    assert golden_files() == sorted(rendered) == [
        "azl-small/Set-NetworkIntents.ps1", "azl-small/deploymentData.json", "azl-small/hostNetwork.json",
        "azl-small/prepare/azl-n1.ps1", "azl-small/prepare/azl-n2.ps1"]


@pytest.mark.parametrize("rel", golden_files())
def test_matches_golden(rendered, rel):
    with open(os.path.join(GOLDEN, rel), encoding="utf-8") as handle:
        assert rendered[rel] == handle.read(), f"{rel} differs; run tests/tools/regen_azure_local.py and review"


def test_rendering_is_deterministic(rendered):
    again = build(example_vars("small"))
    assert {k[len("azure_local/"):]: v for k, v in again["files"].items() if k.startswith("azure_local/")} == rendered
