"""The day-2 plan benchmark: a one-VLAN plan on the 5,000-device site costs at most twice a full render.

bench/plan_bench.py, side by side in one run: a full render of the 5,000-device synthetic site and the
plan that adds one VM VLAN to one of its clusters, in alternating order, the best of two each.  The bound
is a ratio of CPU seconds (this process and the frr-reload processes it waited for), never absolute
seconds: other jobs on the shared machine stretch wall time, not the work done.  ~3 min on an idle machine.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import plan_bench  # noqa: E402
from engine_bench import default_out_dir  # noqa: E402


def test_one_vlan_plan_on_5000_devices_within_twice_a_render():
    row = plan_bench.measure(5000, 2, default_out_dir())
    print(row)
    assert row["devices"] >= 5000 and row["vlans_added"] == [500], row
    # the plan did the work it is timed for: the switch, cluster and VM phases, switches with commands
    assert row["phases"] >= 3 and row["switches_changed"] > 0, row
    assert row["ratio"] <= plan_bench.LIMIT, row
