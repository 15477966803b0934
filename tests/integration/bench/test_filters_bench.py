"""The benchmark, small: same answers as ansible.utils, and at least 3x faster.

ansible.utils is a dev/bench dependency: when .collections-bench/ lacks it,
this test installs it with bench/install_ansible_utils.sh (Galaxy, else the
'ansible' wheel on PyPI) and skips, with the installer's reason, only when
that is impossible offline.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MANIFEST = os.path.join(ROOT, ".collections-bench", "ansible_collections", "ansible", "utils", "MANIFEST.json")

pytestmark = pytest.mark.bench


def _ensure_ansible_utils():
    if os.path.exists(MANIFEST):
        return
    env = dict(os.environ, PYTHON=sys.executable)
    proc = subprocess.run(["bash", os.path.join(ROOT, "bench", "install_ansible_utils.sh")], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0 or not os.path.exists(MANIFEST):
        reason = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        pytest.skip("ansible.utils could not be installed offline (bench/install_ansible_utils.sh exit "
                    f"{proc.returncode}): {' | '.join(reason)}")


def _bench_module():
    spec = importlib.util.spec_from_file_location("filters_bench", os.path.join(ROOT, "bench", "filters_bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_small():
    _ensure_ansible_utils()
    bench = _bench_module()
    result = bench.run(n=300, repeat=5)
    text = bench.report(result)
    print(text)
    assert result["identical"], text
    assert len(result["rows"]) >= 10
    assert result["min_filter"] >= 3.0, text
