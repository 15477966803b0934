"""The checks of two engines profiled on the same synthetic site, side by side in one run.

Extracts ``--base`` (``git archive``, no worktree), builds each site once with this checkout's
``bench/sitegen.py``, then for every size runs the base engine and this one alternately, each in a
fresh interpreter: load, derive and design the site, then ``run_checks`` under cProfile.  Prints the
cumulative profiled seconds of the slowest check functions of each engine and whether both engines
found the same findings (rule, path, message, hint).  Profiled seconds are inflated by the profiler
and by the load of a shared machine: compare the two columns, not the seconds with another run.

    python bench/profile_checks.py [--base HEAD] [--sizes 1000,5000] [--top 8]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import compare_bench  # noqa: E402
import sitegen  # noqa: E402

# one profiled run in a fresh interpreter: argv = collections folder, variables JSON
WORKER = """
import cProfile, hashlib, json, pstats, sys, time
sys.path.insert(0, sys.argv[1])
from ansible_collections.dcnet.fabric.plugins.module_utils import checks
from ansible_collections.dcnet.fabric.plugins.module_utils.checks import registry
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars
with open(sys.argv[2], encoding="utf-8") as handle:
    raw, extra = model_from_vars(json.load(handle))
model = load_model(raw, extra)
facts = site_facts(model)
designed = design(model, facts)
registry._load_families()
profiler = cProfile.Profile()
start = time.perf_counter()
profiler.enable()
active, waived = checks.run_checks(model, facts, designed)
profiler.disable()
elapsed = time.perf_counter() - start
stats = pstats.Stats(profiler).stats
by_code = {(path, line, name): row[3] for (path, line, name), row in stats.items()}
rules = {}
for rule in registry.CHECKS.values():
    code = rule.func.__code__
    key = (code.co_filename, code.co_firstlineno, code.co_name)
    rules[f"{rule.func.__module__.rsplit('.', 1)[-1]}.{code.co_name}"] = by_code.get(key, 0.0)
found = sorted(json.dumps([f.rule, f.path, f.message, f.hint]) for f in active + [f for f, _w in waived])
print(json.dumps({"seconds": elapsed, "rules": rules, "findings": len(found),
                  "digest": hashlib.sha256("\\n".join(found).encode()).hexdigest()}))
"""


def _profile(coll, variables):
    proc = subprocess.run([sys.executable, "-c", WORKER, coll, variables], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"profile run failed ({coll}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD", help="the commit to compare with (default: HEAD, the last commit)")
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--top", type=int, default=8, help="check functions shown per size")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args(argv)

    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="dcnet-profile-", dir=shm)
    results = {}
    try:
        base_tree = os.path.join(work, "base")
        compare_bench._extract(args.base, base_tree)  # pylint: disable=protected-access
        engines = {"base": compare_bench._collections(base_tree, work, "base"),  # pylint: disable=protected-access
                   "this": compare_bench._collections(ROOT, work, "this")}  # pylint: disable=protected-access
        for n, devices in enumerate(int(s) for s in args.sizes.split(",")):
            variables = os.path.join(work, f"site-{devices}.json")
            with open(variables, "w", encoding="utf-8") as handle:
                json.dump(sitegen.make_site(devices), handle)
            order = ("base", "this") if n % 2 == 0 else ("this", "base")
            runs = {name: _profile(engines[name], variables) for name in order}
            results[devices] = runs
            same = runs["base"]["digest"] == runs["this"]["digest"]
            print(f"{devices} devices: checks profiled base {runs['base']['seconds']:.1f} s, this {runs['this']['seconds']:.1f} s "
                  f"(ratio {runs['this']['seconds'] / runs['base']['seconds']:.2f}); findings {runs['base']['findings']} / "
                  f"{runs['this']['findings']}, {'identical' if same else 'DIFFERENT'}")
            slowest = sorted(runs["base"]["rules"], key=lambda r: -max(runs["base"]["rules"][r], runs["this"]["rules"].get(r, 0)))
            for rule in slowest[:args.top]:
                print(f"  {rule:45s} base {runs['base']['rules'][rule]:7.2f} s  this {runs['this']['rules'].get(rule, 0.0):7.2f} s")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump({"base": args.base, "sizes": results}, handle, indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
