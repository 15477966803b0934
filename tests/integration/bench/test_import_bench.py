"""The import benchmark, at the issue's scale: a 5,000-VM export imported in seconds.

Bounded by the ratio to reading the same file with openpyxl alone (measured side by side in one
run), never by absolute seconds: the import reads with openpyxl, so it may add mapping and writing
but must not cost a multiple of the read.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import import_bench  # noqa: E402


def test_5000_vm_import_costs_little_more_than_reading_it():
    row = import_bench.main(["--vms", "5000", "--repeat", "1"])
    assert row["vms"] == 5000
    assert row["import_over_openpyxl"] <= 1.6, row
