"""Import benchmark: an N-VM RVTools export through the importer, side by side with reading it alone.

One run, one file, three readers measured in turn (best of --repeat):
  openpyxl   openpyxl read-only, every row of the sheets the importer reads (the floor)
  pandas     pandas.read_excel of the same sheets (when pandas is installed)
  import     the whole import: read, map, conflicts, write the draft to a temp folder
Ratios are what matter on a shared machine; absolute seconds are noise.

    python bench/import_bench.py --vms 5000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, HERE)
import conftest  # noqa: E402,F401  pylint: disable=unused-import
import rvtools_gen  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils.importer.run import import_rvtools  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.rvtools import SHEETS  # noqa: E402


def read_openpyxl(path):
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for name in SHEETS if name in workbook.sheetnames for _row in workbook[name].iter_rows(values_only=True))
    workbook.close()
    return rows


def read_pandas(path):
    import pandas

    frames = pandas.read_excel(path, sheet_name=list(SHEETS), engine="openpyxl")
    return sum(len(f) for f in frames.values())


def _best(func, repeat):
    times = []
    for _round in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dcnet-import-bench-") as tmp:
        path = os.path.join(tmp, f"rvtools-{args.vms}.xlsx")
        rvtools_gen.write_xlsx(rvtools_gen.estate(args.vms), path)
        row = {"vms": args.vms, "file_mb": round(os.path.getsize(path) / 1048576, 2)}
        row["openpyxl_s"] = _best(lambda: read_openpyxl(path), args.repeat)
        try:
            import pandas  # noqa: F401
            row["pandas_s"] = _best(lambda: read_pandas(path), args.repeat)
        except ImportError:
            row["pandas_s"] = None
        counter = iter(range(1000))
        row["import_s"] = _best(lambda: import_rvtools(path, os.path.join(tmp, f"draft{next(counter)}")), args.repeat)
    row["import_over_openpyxl"] = round(row["import_s"] / row["openpyxl_s"], 2)
    if row["pandas_s"]:
        row["import_over_pandas"] = round(row["import_s"] / row["pandas_s"], 2)
    print(" | ".join(f"{k}={round(v, 3) if isinstance(v, float) else v}" for k, v in row.items()))
    return row


if __name__ == "__main__":
    main()
