"""The day-2 plan benchmark, smaller: a one-VLAN plan costs at most twice a full render, side by side.

bench/plan_bench.py on a 1,000-device synthetic site (the 5,000-device run is `make bench`, recorded in
docs/performance.md).  The bound is a ratio of two timings taken in one run, never absolute seconds.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import plan_bench  # noqa: E402
from engine_bench import default_out_dir  # noqa: E402


def test_one_vlan_plan_within_twice_a_render():
    row = plan_bench.measure(1000, 2, default_out_dir())
    assert row["phases"] >= 3 and row["switches_changed"] > 0, row
    assert row["ratio"] <= plan_bench.LIMIT, row
