"""examples/small on FRR, EOS and NX-OS against the reviewed golden files (tests/tools/regen_switches.py)."""

from __future__ import annotations

import os

import pytest

from . import models

VARIANTS = {"": "frr", "eos": "eos", "nxos": "nxos"}


@pytest.mark.parametrize("folder", sorted(VARIANTS))
def test_golden(folder):
    platform = VARIANTS[folder]
    result = models.build(models.small(platform), targets=("switches",))
    assert not models.errors(result)
    rendered = models.switch_files(result)
    golden_dir = os.path.join(models.GOLDEN, folder)
    golden = {n: open(os.path.join(golden_dir, n), encoding="utf-8").read()
              for n in sorted(os.listdir(golden_dir)) if os.path.isfile(os.path.join(golden_dir, n))}
    assert sorted(rendered) == sorted(golden), "run tests/tools/regen_switches.py and review the diff"
    for name in sorted(golden):
        assert rendered[name] == golden[name], f"{folder or 'frr'}/{name} differs from its golden file"


def test_rendering_twice_is_byte_identical():
    first = models.switch_files(models.build(models.small("eos", overlay="evpn_vxlan", second_rack=True)))
    second = models.switch_files(models.build(models.small("eos", overlay="evpn_vxlan", second_rack=True)))
    assert first == second


def test_small_is_frr_and_has_both_files_per_switch():
    files = models.switch_files(models.build(models.small("frr"), targets=("switches",)))
    assert sorted(files) == sorted(f"{d}.{s}" for d in ("leaf01a", "leaf01b", "spine1", "spine2")
                                   for s in ("cfg", "interfaces"))
