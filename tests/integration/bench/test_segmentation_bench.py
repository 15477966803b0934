"""Micro-segmentation at scale, smaller: VMs in application groups cost at most the site's own CPU time.

bench/segmentation_bench.py renders the bench site alone and with VMs in groups side by side and measures
the CPU time of this process (time.process_time), which other jobs on a shared 2-core machine do not add
to. The issue's target is 5,000 VMs in 200 groups with the 5,000-device site in at most 10 s, the site
alone taking about 4.3 s (docs/performance.md): the VMs may cost at most about the site's own time, a
ratio (site + VMs) / site <= 2. Asserted here on 1,000 devices and 1,000 VMs in 40 groups (the full run
is `python bench/segmentation_bench.py`, recorded in docs/performance.md).
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import segmentation_bench  # noqa: E402


def test_vms_in_groups_cost_at_most_the_site_itself():
    row = segmentation_bench.main(["--devices", "1000", "--vms", "1000", "--groups", "40", "--repeat", "2"])
    assert row["files_with_vms"] > row["files_site"], row       # the VMs' objects were rendered
    assert row["ratio"] <= 2.0, row
