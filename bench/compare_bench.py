"""The engine of this checkout against an older commit, on the same synthetic site, side by side.

Extracts the base commit's tree (``git archive``, no worktree), builds the site once with
``bench/sitegen.py`` of the tree ``--site-from`` names (the same intent for both engines), then runs
``pipeline.run`` (validate + checks + design + render + write) alternately with the base engine and
this one, each in a fresh interpreter, for several pairs. Each pair's ratio (this / base) is printed
with the median; absolute seconds on a shared machine are noise, the ratios of neighbouring runs are
the result.

    python bench/compare_bench.py [--base 28b522e] [--devices 5000] [--pairs 5] [--json out.json]

With ``--vms N`` the site also holds N VMs in ``--groups`` application groups (bench/segmentation_bench.py);
``--same-site`` gives the base engine the site unchanged (a base that accepts this checkout's model, e.g. main).
Each run reports wall-clock and CPU seconds (``time.process_time``); the ratios of both are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# one timed run in a fresh interpreter: argv = collections folder, variables JSON, output folder
WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
with open(sys.argv[2], encoding="utf-8") as handle:
    variables = json.load(handle)
start, cpu = time.perf_counter(), time.process_time()
result = pipeline.run(variables, sys.argv[3])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
if result["failed"]:
    raise SystemExit("site failed: %s" % [f["rule"] for f in result["findings"] if f["severity"] == "error"][:5])
print(json.dumps({"seconds": elapsed, "cpu": cpu, "files": len(result["paths"])}))
"""


def _collections(tree, work, name):
    """A folder holding ansible_collections/dcnet/fabric -> tree, for the worker's sys.path."""
    coll = os.path.join(work, f"coll-{name}")
    os.makedirs(os.path.join(coll, "ansible_collections", "dcnet"))
    os.symlink(tree, os.path.join(coll, "ansible_collections", "dcnet", "fabric"))
    return coll


def _extract(rev, dest):
    os.makedirs(dest)
    archive = subprocess.run(["git", "-C", ROOT, "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)


def _site(base_tree, devices, path, vms=0, groups=200):
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import sitegen; "
            "site = sitegen.make_site(int(sys.argv[2])); vms, groups = int(sys.argv[4]), int(sys.argv[5])\n"
            "if vms:\n"
            "    sys.path.insert(0, sys.argv[6]); import segmentation_bench\n"
            "    site = segmentation_bench.with_vms(site, vms, groups)\n"
            "json.dump(site, open(sys.argv[3], 'w', encoding='utf-8'))")
    subprocess.run([sys.executable, "-c", code, os.path.join(base_tree, "bench"), str(devices), path, str(vms),
                    str(groups), os.path.join(ROOT, "bench")], check=True)


def _older(path, dest):
    """The site without the fields an older model refuses and that restate its defaults of then.

    Node MACs (written by the VMware import since #15) and the OVE VM layout (#23: ``shared``, the only
    layout before); the OVE machine network goes tagged, as the older engine required on a bond under the
    VM bridge. The same switches, nodes, networks and sessions for both engines.
    """
    with open(path, encoding="utf-8") as handle:
        variables = json.load(handle)
    for cluster in variables.get("dcnet_clusters", []):
        (cluster.get("ove") or {}).pop("vm_layout", None)
        if cluster.get("platform") == "ove":
            cluster.pop("native_network", None)     # refused then on a bond under the VM bridge (tagged instead)
        for node in cluster["nodes"]:
            node.pop("macs", None)
    with open(dest, "w", encoding="utf-8") as handle:
        json.dump(variables, handle)
    return dest


def _run(coll, variables, out):
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-c", WORKER, coll, variables, out], capture_output=True, text=True, check=False)
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench run failed ({coll}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="28b522e", help="the commit to compare with (default: main before #13)")
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--site-from", choices=("base", "this"), default="this",
                        help="whose bench/sitegen.py makes the site (both engines must accept it)")
    parser.add_argument("--vms", type=int, default=0, help="VMs added to the site (segmentation bench)")
    parser.add_argument("--groups", type=int, default=200, help="application groups of those VMs")
    parser.add_argument("--same-site", action="store_true",
                        help="the base engine gets the site unchanged (it accepts this checkout's model)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)

    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="dcnet-compare-", dir=shm)
    try:
        base_tree = os.path.join(work, "base")
        _extract(args.base, base_tree)
        variables = os.path.join(work, "site.json")
        _site(base_tree if args.site_from == "base" else ROOT, args.devices, variables, args.vms, args.groups)
        sites = {"base": variables, "this": variables}
        if args.site_from == "this" and not args.same_site:
            sites["base"] = _older(variables, os.path.join(work, "site-base.json"))
        engines = {"base": _collections(base_tree, work, "base"), "this": _collections(ROOT, work, "this")}
        pairs = []
        for n in range(args.pairs):
            order = ("base", "this") if n % 2 == 0 else ("this", "base")   # neither always runs first
            times = {name: _run(engines[name], sites[name], os.path.join(work, "out")) for name in order}
            ratio = times["this"]["seconds"] / times["base"]["seconds"]
            cpu_ratio = times["this"]["cpu"] / times["base"]["cpu"]
            pairs.append({"base": times["base"], "this": times["this"], "ratio": ratio, "cpu_ratio": cpu_ratio})
            print(f"pair {n + 1}: base {times['base']['seconds']:.2f} s / {times['base']['cpu']:.2f} CPU s "
                  f"({times['base']['files']} files), this {times['this']['seconds']:.2f} s / "
                  f"{times['this']['cpu']:.2f} CPU s ({times['this']['files']} files), ratio {ratio:.3f}, "
                  f"CPU ratio {cpu_ratio:.3f}", flush=True)
        median = statistics.median(p["ratio"] for p in pairs)
        cpu_median = statistics.median(p["cpu_ratio"] for p in pairs)
        print(f"{args.devices} devices, {args.vms} VMs, {args.pairs} pairs: this / {args.base} = {median:.3f} (median), "
              f"min {min(p['ratio'] for p in pairs):.3f}, max {max(p['ratio'] for p in pairs):.3f}; "
              f"CPU {cpu_median:.3f} (median)")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump({"base": args.base, "devices": args.devices, "vms": args.vms, "pairs": pairs,
                           "median_ratio": median, "median_cpu_ratio": cpu_median}, handle,
                          indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
