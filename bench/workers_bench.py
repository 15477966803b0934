"""Do render workers pay for themselves?  One process against N, side by side, on the same site.

Runs ``pipeline.run`` on a synthetic site (bench/sitegen.py, 5,000 devices by
default) alternately with ``workers=1`` and ``workers=N`` (ABAB..., so that
other load on a shared machine hits both alike), each time into a fresh
folder on a tmpfs, and prints the best and the median of each and their
ratio.  Also prints the CPU time of the whole run (this process and its
children), which shows what the extra processes cost.

    python bench/workers_bench.py [--devices 5000] [--repeat 5] [--workers 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import conftest  # noqa: E402  pylint: disable=unused-import
import sitegen  # noqa: E402
from engine_bench import default_out_dir  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # noqa: E402


def _cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def one_run(variables, workers, base):
    out = tempfile.mkdtemp(prefix="dcnet-workers-", dir=base)
    try:
        cpu, start = _cpu(), time.perf_counter()
        result = pipeline.run(variables, out, workers=workers)
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
        if result["failed"]:
            raise SystemExit(f"bench site failed: {result['findings'][:3]}")
        return elapsed, cpu, len(result["paths"])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)
    base = default_out_dir()
    variables = sitegen.make_site(args.devices)
    devices = sitegen.device_count(variables)
    times = {1: [], args.workers: []}
    cpus = {1: [], args.workers: []}
    files = 0
    one_run(variables, 1, base)  # warm-up: imports, template compilation, caches
    for _round in range(args.repeat):
        for count in (1, args.workers):
            elapsed, cpu, files = one_run(variables, count, base)
            times[count].append(elapsed)
            cpus[count].append(cpu)
            print(f"workers={count} wall={elapsed:6.2f}s cpu={cpu:6.2f}s", flush=True)
    row = {"devices": devices, "files": files, "repeat": args.repeat, "load_average": os.getloadavg()[0]}
    for count in times:
        row[f"w{count}_best_s"] = round(min(times[count]), 3)
        row[f"w{count}_median_s"] = round(statistics.median(times[count]), 3)
        row[f"w{count}_cpu_median_s"] = round(statistics.median(cpus[count]), 3)
    row["speedup_best"] = round(row["w1_best_s"] / row[f"w{args.workers}_best_s"], 2)
    row["speedup_median"] = round(row["w1_median_s"] / row[f"w{args.workers}_median_s"], 2)
    print(json.dumps(row, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(row, handle, indent=2)
    return row


if __name__ == "__main__":
    main()
