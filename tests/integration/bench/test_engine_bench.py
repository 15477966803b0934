"""The engine benchmark, small: linear growth and ansible-playbook within 2x of the engine.

bench/engine_bench.py measures both side by side in one run; here on 200 and
1000 devices (the full 200/1000/5000 run is `make bench`, recorded in
docs/performance.md).  Bounds are ratios, never absolute seconds.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import engine_bench  # noqa: E402


def test_engine_grows_linearly_and_ansible_adds_little():
    rows = engine_bench.main(["--sizes", "200,1000", "--repeat", "2"])
    small, big = rows
    assert small["devices"] == 200 and big["devices"] == 1000
    # 5x the devices may cost at most 5.5x the time (per-device cost ratio <= 1.1) plus noise headroom
    assert big["per_device_growth"] <= 1.3, rows
    assert big["ansible_over_engine"] <= 2.0, rows
