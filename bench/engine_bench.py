"""Engine and end-to-end timings on synthetic sites, with the ratios that matter.

Prints, for N = 200, 1000, 5000 devices: the engine time (validate + checks +
design + render + write, via pipeline.run) and, for the same site, the time of
``ansible-playbook playbooks/render.yml``; then the growth ratio (5x devices ->
time ratio) and the ansible/engine ratio.  Absolute seconds on a shared 2-core
machine are noise; the ratios, measured side by side in one run, are the result.

Both write their build trees under the same folder: by default a tmpfs
(/dev/shm) when there is one, so that the figures are the work of the engine
and not the write-back of a virtual disk (15,678 files, ~220 MB at 5,000
devices); ``--out-dir`` measures any other storage.

    python bench/engine_bench.py [--sizes 200,1000,5000] [--repeat 3] [--no-ansible] [--out-dir D] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
# conftest makes ansible_collections.dcnet.fabric importable
import conftest  # noqa: E402  pylint: disable=unused-import
import sitegen  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # noqa: E402


def default_out_dir():
    """A tmpfs when the machine has one (see the module docstring), else the system's temporary folder."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    return tempfile.gettempdir()


def best_render(variables, repeat, base, prefix="dcnet-bench-"):
    """(best CPU s, best wall s, files written) of ``repeat`` pipeline.run of the site, each into a fresh folder under ``base``.

    CPU time is this process's (time.process_time: what the engine itself spends, which other jobs on a
    shared machine do not add to); wall-clock time includes the writes.  A site with error findings
    stops the bench: its figures would not be a render's.
    """
    best_cpu = best_wall = None
    files = 0
    for _attempt in range(repeat):
        out = tempfile.mkdtemp(prefix=prefix, dir=base)
        try:
            cpu, wall = time.process_time(), time.perf_counter()
            result = pipeline.run(variables, out)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if result["failed"]:
                raise SystemExit(f"bench site failed: {result['findings'][:3]}")
            files = len(result["paths"])
        finally:
            shutil.rmtree(out, ignore_errors=True)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        best_wall = wall if best_wall is None else min(best_wall, wall)
    return best_cpu, best_wall, files


def engine_time(variables, repeat, base):
    """(best wall s, files written) of the engine on the site."""
    _cpu, wall, files = best_render(variables, repeat, base)
    return wall, files


def ansible_time(variables, repeat, base):
    import yaml

    best = None
    work = tempfile.mkdtemp(prefix="dcnet-bench-inv-", dir=base)
    try:
        inv = os.path.join(work, "inventory")
        os.makedirs(os.path.join(inv, "group_vars", "all"))
        with open(os.path.join(inv, "hosts.yml"), "w", encoding="utf-8") as handle:
            handle.write("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
        with open(os.path.join(inv, "group_vars", "all", "model.yml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(variables, handle, sort_keys=False)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"),
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1")
        for _attempt in range(repeat):
            out = os.path.join(work, "build")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inv,
                   os.path.join(ROOT, "playbooks", "render.yml"), "-e", f"render_build_dir={out}"]
            start = time.perf_counter()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"ansible-playbook failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}")
            best = elapsed if best is None else min(best, elapsed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,1000,5000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-ansible", action="store_true")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--out-dir", default=None, help="where the build trees are written (default: tmpfs if any)")
    args = parser.parse_args(argv)
    base = args.out_dir or default_out_dir()
    print(f"build trees under {base}", flush=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        variables = sitegen.make_site(size)
        devices = sitegen.device_count(variables)
        engine, files = engine_time(variables, args.repeat, base)
        playbook = None if args.no_ansible else ansible_time(variables, args.repeat, base)
        rows.append({"target": size, "devices": devices, "files": files, "out_dir": base, "engine_s": round(engine, 3),
                     "ansible_s": playbook and round(playbook, 3),
                     "ansible_over_engine": playbook and round(playbook / engine, 2)})
        print(f"N={size:5d} devices={devices:5d} files={files:6d} engine={engine:7.2f}s"
              + (f" ansible-playbook={playbook:7.2f}s ratio={playbook / engine:4.2f}" if playbook else ""), flush=True)
    for small, big in zip(rows, rows[1:]):
        growth = (big["engine_s"] / small["engine_s"]) / (big["devices"] / small["devices"])
        print(f"growth {small['devices']}->{big['devices']} devices: time x{big['engine_s'] / small['engine_s']:.2f} "
              f"for devices x{big['devices'] / small['devices']:.2f} (per-device cost ratio {growth:.2f})")
        big["per_device_growth"] = round(growth, 3)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)
    return rows


if __name__ == "__main__":
    main()
