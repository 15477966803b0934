"""What DNS, DHCP and IPAM add to a site's render, measured side by side in one run.

For each size, ``pipeline.build`` (validate, facts, design, checks, render in memory) runs with every
renderer and with every renderer but dns/dhcp/ipam; the ratio of the two is the result (absolute
seconds on a shared 2-core machine are noise).  The design of the services (records, zones, scopes)
is part of both runs: the design stage builds it for every run; its own time is printed apart.

    python bench/services_bench.py [--sizes 1000,5000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import conftest  # noqa: E402,F401  pylint: disable=unused-import
import sitegen  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.design.services import services  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.render.registry import RENDERERS  # noqa: E402

SERVICES = ("dns", "dhcp", "ipam")


def _best(repeat, func):
    times = []
    for _round in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    others = [name for name, _renderer in RENDERERS if name not in SERVICES]
    for size in (int(s) for s in args.sizes.split(",")):
        variables = sitegen.make_site(size)
        raw, _extra = model_from_vars(variables)
        without, _result = _best(args.repeat, lambda: pipeline.build(variables, targets=others))
        full, result = _best(args.repeat, lambda: pipeline.build(variables))
        model = load_model(raw)
        facts = site_facts(model)
        designed = design(model, facts)
        alone, built = _best(args.repeat, lambda: services(model, facts, designed))
        files = sum(1 for path in result["files"] if path.split("/")[0] in SERVICES)
        print(f"{sitegen.device_count(variables):>6} devices: build {without:6.2f} s without dns/dhcp/ipam, {full:6.2f} s "
              f"with them (x{full / without:.2f}; {files} files, {len(built['records'])} records); "
              f"services design {alone:.2f} s ({alone / full:.0%} of the build)")


if __name__ == "__main__":
    main()
