"""Benchmark: dcnet.fabric address-math filters against their ansible.utils equivalents.

Both sides get the same calls in one run (the same pools, indexes and lists,
IPv4 and IPv6), every answer is compared, and the time ratio is printed per
case. Two comparisons:

* filter vs filter -- what a playbook author calls: our filter plugin
  function against the ansible.utils filter function (which validates its
  arguments against its DOCUMENTATION, then calls netaddr);
* filter vs core -- our filter against ansible.utils' inner function alone
  (no argument validation), a stricter bound on the address math itself.

The engine caches parsed prefixes; the caches are cleared before every timed
repetition, so each repetition pays for parsing every distinct pool once.

ansible.utils is a dev/bench dependency only: bench/install_ansible_utils.sh
puts it into .collections-bench/. Usage:

    .venv/bin/python bench/filters_bench.py [-n 2000] [--repeat 3] [--min-ratio 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_COLLECTIONS = os.path.join(ROOT, ".collections-bench")
COLLECTIONS = os.path.join(ROOT, ".collections")


def _setup_paths():
    link = os.path.join(COLLECTIONS, "ansible_collections", "dcnet", "fabric")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(ROOT, link)
        except FileExistsError:
            pass
    for path in (COLLECTIONS, BENCH_COLLECTIONS):
        if path not in sys.path:
            sys.path.insert(0, path)


def ansible_utils_version():
    manifest = os.path.join(BENCH_COLLECTIONS, "ansible_collections", "ansible", "utils", "MANIFEST.json")
    with open(manifest, encoding="utf-8") as fh:
        return json.load(fh)["collection_info"]["version"]


def load():
    """(ours, theirs, core): filter functions by name."""
    _setup_paths()
    import importlib

    ours = {}
    for name in ("nth_subnet", "nth_host", "loopback", "gateway", "merge", "eui64", "p2p_link"):
        ours[name] = getattr(importlib.import_module(f"ansible_collections.dcnet.fabric.plugins.filter.{name}"), name)
    from ansible_collections.dcnet.fabric.plugins.module_utils import addressing

    ours["prefixlen"] = addressing.prefixlen
    ours["contains"] = addressing.contains
    theirs, core = {}, {}
    for name in ("ipaddr", "ipsubnet", "ipmath", "nthhost", "next_nth_usable", "cidr_merge",
                 "network_in_network", "slaac"):
        module = importlib.import_module(f"ansible_collections.ansible.utils.plugins.filter.{name}")
        flt = module.FilterModule().filters()[name]
        # ansible.utils filters take the Jinja environment first (pass_environment)
        theirs[name] = functools.partial(flt, None)
        core[name] = getattr(module, name)
    return ours, theirs, core, addressing


def cases(n):
    """[(label, ours(args) -> answer, theirs name, theirs(args) -> answer, inputs)]"""
    v4_24 = [f"10.{i % 200}.{(i * 7) % 256}.0/24" for i in range(n)]
    v6_64 = [f"2001:db8:{i % 4096:x}:{(i * 7) % 65536:x}::/64" for i in range(n)]
    v4_16 = [f"10.{i % 256}.0.0/16" for i in range(n)]
    v6_48 = [f"2001:db8:{i % 65536:x}::/48" for i in range(n)]
    merge_lists = []
    for i in range(max(1, n // 20)):
        items = [f"10.{i % 256}.{j}.0/25" for j in range(0, 40)] + [f"10.{i % 256}.{j}.128/25" for j in range(0, 40, 2)]
        items += [f"2001:db8:{i:x}:{j:x}::/64" for j in range(20)]
        merge_lists.append(items)
    macs = [":".join(f"{(i * 2654435761 >> s) & 255:02x}" for s in range(0, 48, 8)) for i in range(n)]
    return [
        ("nth_subnet /24 of a /16 vs ipsubnet", "nth_subnet", lambda o, p, i: o(p, 24, i % 256),
         "ipsubnet", lambda t, p, i: t(p, "24", i % 256), [(p, i) for i, p in enumerate(v4_16)]),
        ("nth_subnet /64 of a /48 vs ipsubnet", "nth_subnet", lambda o, p, i: o(p, 64, i * 31 % 65536),
         "ipsubnet", lambda t, p, i: t(p, "64", i * 31 % 65536), [(p, i) for i, p in enumerate(v6_48)]),
        ("p2p_link(n).subnet vs ipsubnet(31, n)", "p2p_link", lambda o, p, i: o(p, i % 128)["subnet"],
         "ipsubnet", lambda t, p, i: t(p, "31", i % 128), [(p, i) for i, p in enumerate(v4_24)]),
        ("nth_host IPv4 vs nthhost", "nth_host", lambda o, p, i: o(p, 1 + i % 250),
         "nthhost", lambda t, p, i: t(p, 1 + i % 250), [(p, i) for i, p in enumerate(v4_24)]),
        ("nth_host IPv6 vs nthhost", "nth_host", lambda o, p, i: o(p, 1 + i * 977),
         "nthhost", lambda t, p, i: t(p, 1 + i * 977), [(p, i) for i, p in enumerate(v6_64)]),
        ("nth_host vs next_nth_usable", "nth_host", lambda o, p, i: o(p, 1 + i % 250),
         "next_nth_usable", lambda t, p, i: t(p, 1 + i % 250), [(p, i) for i, p in enumerate(v4_24)]),
        ("loopback vs ipmath", "loopback", lambda o, p, i: o(p, i % 256),
         "ipmath", lambda t, p, i: t(p.split("/")[0], i % 256), [(p, i) for i, p in enumerate(v4_24)]),
        ("gateway first vs ipaddr('first_usable')", "gateway", lambda o, p, i: o(p, "first"),
         "ipaddr", lambda t, p, i: t(p, "first_usable"),
         [(p, i) for i, p in enumerate(v4_24[: n // 2] + v6_64[: n - n // 2])]),
        ("gateway last IPv4 vs ipaddr('last_usable')", "gateway", lambda o, p, i: o(p, "last"),
         "ipaddr", lambda t, p, i: t(p, "last_usable"), [(p, i) for i, p in enumerate(v4_24)]),
        ("prefixlen vs ipaddr('prefix')", "prefixlen", lambda o, p, i: o(p),
         "ipaddr", lambda t, p, i: t(p, "prefix"), [(p, i) for i, p in enumerate(v4_24[: n // 2] + v6_64[: n - n // 2])]),
        ("contains vs network_in_network", "contains", lambda o, p, i: o(p, v4_16[i].replace("/16", "/24") if i % 2 else p),
         "network_in_network", lambda t, p, i: t(p, v4_16[i].replace("/16", "/24") if i % 2 else p),
         [(p, i) for i, p in enumerate(v4_16)]),
        ("eui64 vs slaac", "eui64", lambda o, p, i: o(p, macs[i]),
         "slaac", lambda t, p, i: t(p, macs[i]), [(p, i) for i, p in enumerate(v6_64)]),
        ("merge (100 prefixes) vs cidr_merge", "merge", lambda o, p, i: o(p),
         "cidr_merge", lambda t, p, i: t(p, "merge"), [(p, i) for i, p in enumerate(merge_lists)]),
    ]


def _time_side_by_side(funcs, inputs, repeat, before=None):
    """Best time and answers of each function over ``inputs``, the functions timed in turn within each
    repetition, so a burst of load on the shared machine falls on every side of a ratio, not on one."""
    best, answers = [math.inf] * len(funcs), [None] * len(funcs)
    for _rep in range(repeat):
        for index, func in enumerate(funcs):
            if before and index == 0:
                before()
            start = time.perf_counter()
            answers[index] = [func(*args) for args in inputs]
            best[index] = min(best[index], time.perf_counter() - start)
    return best, answers


def run(n=2000, repeat=3):
    ours, theirs, core, addressing = load()

    def clear_caches():
        addressing._prefix_cached.cache_clear()
        addressing._address_cached.cache_clear()
        addressing._interface_cached.cache_clear()
        addressing._v6_text.cache_clear()

    rows = []
    for label, our_name, our_call, their_name, their_call, inputs in cases(n):
        (t_ours, t_theirs, t_core), (a_ours, a_theirs, a_core) = _time_side_by_side(
            [lambda *a, f=ours[our_name], c=our_call: c(f, *a),
             lambda *a, f=theirs[their_name], c=their_call: c(f, *a),
             lambda *a, f=core[their_name], c=their_call: c(f, *a)], inputs, repeat, clear_caches)
        mismatches = [(args, x, y) for args, x, y in zip(inputs, a_ours, a_theirs) if x != y]
        mismatches += [(args, x, y) for args, x, y in zip(inputs, a_ours, a_core) if x != y]
        rows.append({
            "case": label, "calls": len(inputs), "ours_s": t_ours, "filter_s": t_theirs, "core_s": t_core,
            "ratio_filter": t_theirs / t_ours, "ratio_core": t_core / t_ours,
            "identical": not mismatches, "mismatches": [repr(m) for m in mismatches[:3]],
        })
    return {
        "ansible_utils": ansible_utils_version(),
        "python": sys.version.split()[0],
        "n": n,
        "repeat": repeat,
        "rows": rows,
        "geomean_filter": math.exp(sum(math.log(r["ratio_filter"]) for r in rows) / len(rows)),
        "geomean_core": math.exp(sum(math.log(r["ratio_core"]) for r in rows) / len(rows)),
        "min_filter": min(r["ratio_filter"] for r in rows),
        "min_core": min(r["ratio_core"] for r in rows),
        "identical": all(r["identical"] for r in rows),
    }


def report(result) -> str:
    lines = [
        f"dcnet.fabric filters vs ansible.utils {result['ansible_utils']} (Python {result['python']}, "
        f"n={result['n']}, best of {result['repeat']})",
        "",
        "| case | calls | ours ms | ansible.utils filter ms | ratio | ansible.utils core ms | ratio | same answers |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['case']} | {r['calls']} | {r['ours_s'] * 1e3:.1f} | {r['filter_s'] * 1e3:.1f} | "
                     f"{r['ratio_filter']:.1f}x | {r['core_s'] * 1e3:.1f} | {r['ratio_core']:.1f}x | "
                     f"{'yes' if r['identical'] else 'NO'} |")
    lines += ["",
              f"geometric mean: {result['geomean_filter']:.1f}x vs the filters, {result['geomean_core']:.1f}x vs the "
              f"core functions; slowest case: {result['min_filter']:.1f}x / {result['min_core']:.1f}x"]
    for r in result["rows"]:
        for m in r["mismatches"]:
            lines.append(f"MISMATCH {r['case']}: {m}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per case (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions, best kept (default 3)")
    parser.add_argument("--min-ratio", type=float, default=3.0,
                        help="fail when a case is less than this many times faster than the ansible.utils filter")
    parser.add_argument("--json", help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    manifest = os.path.join(BENCH_COLLECTIONS, "ansible_collections", "ansible", "utils", "MANIFEST.json")
    if not os.path.exists(manifest):
        print("ansible.utils is not in .collections-bench/: run bench/install_ansible_utils.sh", file=sys.stderr)
        return 2
    result = run(args.n, args.repeat)
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2, sort_keys=True)
    if not result["identical"]:
        print("FAIL: answers differ", file=sys.stderr)
        return 1
    if result["min_filter"] < args.min_ratio:
        print(f"FAIL: slowest case is {result['min_filter']:.1f}x, below {args.min_ratio}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
