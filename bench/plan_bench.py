"""A day-2 plan against a full render, side by side, on the synthetic site (issue #16: at most 2x).

The change is one new VM VLAN (dual-stack, with an anycast gateway) added to one
cluster of the site: what "add VLAN 500 to the cluster" costs on a 5,000-device
site.  Each round times ``pipeline.run`` (load, facts, design, checks, render and
write of the whole site into a tmpfs) and ``plan.make_plan`` (both models
designed, the target checked, every changed device re-rendered per phase,
hier_config / frr-reload commands, host documents of the changed cluster), in
alternating order; the best of each is compared.  Both are timed in CPU seconds
(this process and the child processes it waited for: frr-reload runs as its own
process), which other jobs on a shared 2-core machine do not inflate the way they
inflate wall time; wall seconds are reported beside them.  Absolute seconds are
noise: the ratio is the result.

    python bench/plan_bench.py [--devices 5000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
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
from ansible_collections.dcnet.fabric.plugins.module_utils.plan import make_plan  # noqa: E402

LIMIT = 2.0


def one_vlan_more(variables: dict, cluster_index: int = 0) -> dict:
    """The site with VLAN 500 (vm-500, dual-stack) added to one cluster."""
    new = copy.deepcopy(variables)
    new["dcnet_networks"].append({"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.66.244.0/24",
                                  "ipv6": "fd00:66:244::/64"})
    new["dcnet_clusters"][cluster_index]["networks"].append("vm-500")
    return new


def _model(variables):
    return {k[len("dcnet_"):]: v for k, v in variables.items() if k.startswith("dcnet_")}


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and of its children that have been waited for."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class Clock:
    """CPU and wall seconds of one timed block."""

    def __init__(self):
        self.cpu, self.wall = 0.0, 0.0

    def __enter__(self):
        self.cpu, self.wall = cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = cpu_seconds() - self.cpu, time.perf_counter() - self.wall
        return False


def render_time(variables, base):
    """(CPU s, wall s) of a full render of the site into a fresh folder under ``base``."""
    out = tempfile.mkdtemp(prefix="dcnet-plan-bench-", dir=base)
    try:
        with Clock() as clock:
            result = pipeline.run(variables, out)
        if result["failed"]:
            raise SystemExit(f"bench site failed: {result['findings'][:3]}")
        return clock.cpu, clock.wall
    finally:
        shutil.rmtree(out, ignore_errors=True)


def plan_time(old, new):
    """(CPU s, wall s, plan) of the plan from ``old`` to ``new``."""
    with Clock() as clock:
        plan = make_plan(_model(old), _model(new))
    if plan["failed"]:
        raise SystemExit(f"plan failed: {plan['findings'][:3]}")
    return clock.cpu, clock.wall, plan


def measure(devices: int, repeat: int, base: str) -> dict:
    old = sitegen.make_site(devices)
    new = one_vlan_more(old)
    renders, plans, plan = [], [], None
    for attempt in range(repeat):
        if attempt % 2:
            cpu, wall, plan = plan_time(old, new)
            plans.append((cpu, wall))
            renders.append(render_time(new, base))
        else:
            renders.append(render_time(new, base))
            cpu, wall, plan = plan_time(old, new)
            plans.append((cpu, wall))
    render_cpu, plan_cpu = min(r[0] for r in renders), min(p[0] for p in plans)
    render_wall, plan_wall = min(r[1] for r in renders), min(p[1] for p in plans)
    return {"devices": sitegen.device_count(old), "render_cpu_s": round(render_cpu, 3),
            "plan_cpu_s": round(plan_cpu, 3), "ratio": round(plan_cpu / render_cpu, 3),
            "render_wall_s": round(render_wall, 3), "plan_wall_s": round(plan_wall, 3),
            "wall_ratio": round(plan_wall / render_wall, 3), "limit": LIMIT, "phases": len(plan["phases"]),
            "switches_changed": plan["counts"]["switches"], "objects_changed": plan["counts"]["objects_changed"],
            "vlans_added": plan["model_change"]["vlans"]["added"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out-dir", default=default_out_dir())
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    row = measure(args.devices, args.repeat, args.out_dir)
    print(f"{row['devices']} devices: full render {row['render_cpu_s']} CPU s ({row['render_wall_s']} s wall), "
          f"one-VLAN plan {row['plan_cpu_s']} CPU s ({row['plan_wall_s']} s wall; {row['phases']} phases, "
          f"{row['switches_changed']} switches changed): plan/render = {row['ratio']} CPU, {row['wall_ratio']} wall "
          f"(limit {LIMIT} on CPU)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(row, handle, indent=2)
    return 0 if row["ratio"] <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
