"""A day-2 plan against a full render, side by side, on the synthetic site (issue #16: at most 2x).

The change is one new VM VLAN (dual-stack, with an anycast gateway) added to one
cluster of the site: what "add VLAN 500 to the cluster" costs on a 5,000-device
site.  Each round times ``pipeline.run`` (load, facts, design, checks, render and
write of the whole site into a tmpfs) and ``plan.make_plan`` (both models
designed, the target checked, every changed device re-rendered per phase,
hier_config / frr-reload commands, host documents of the changed cluster), in
alternating order; the best of each is compared.  Absolute seconds on a shared
2-core machine are noise: the ratio is the result.

    python bench/plan_bench.py [--devices 5000] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
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


def render_time(variables, base):
    out = tempfile.mkdtemp(prefix="dcnet-plan-bench-", dir=base)
    try:
        start = time.perf_counter()
        result = pipeline.run(variables, out)
        elapsed = time.perf_counter() - start
        if result["failed"]:
            raise SystemExit(f"bench site failed: {result['findings'][:3]}")
        return elapsed
    finally:
        shutil.rmtree(out, ignore_errors=True)


def plan_time(old, new):
    start = time.perf_counter()
    plan = make_plan(_model(old), _model(new))
    elapsed = time.perf_counter() - start
    if plan["failed"]:
        raise SystemExit(f"plan failed: {plan['findings'][:3]}")
    return elapsed, plan


def measure(devices: int, repeat: int, base: str) -> dict:
    old = sitegen.make_site(devices)
    new = one_vlan_more(old)
    renders, plans, plan = [], [], None
    for attempt in range(repeat):
        if attempt % 2:
            elapsed, plan = plan_time(old, new)
            plans.append(elapsed)
            renders.append(render_time(new, base))
        else:
            renders.append(render_time(new, base))
            elapsed, plan = plan_time(old, new)
            plans.append(elapsed)
    best_render, best_plan = min(renders), min(plans)
    return {"devices": sitegen.device_count(old), "render_s": round(best_render, 3), "plan_s": round(best_plan, 3),
            "ratio": round(best_plan / best_render, 3), "limit": LIMIT, "phases": len(plan["phases"]),
            "switches_changed": plan["counts"]["switches"], "objects_changed": plan["counts"]["objects_changed"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out-dir", default=default_out_dir())
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    row = measure(args.devices, args.repeat, args.out_dir)
    print(f"{row['devices']} devices: full render {row['render_s']} s, one-VLAN plan {row['plan_s']} s "
          f"({row['phases']} phases, {row['switches_changed']} switches changed): plan/render = {row['ratio']} "
          f"(limit {LIMIT})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(row, handle, indent=2)
    return 0 if row["ratio"] <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
