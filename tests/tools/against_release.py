"""Run today's tests against an older engine: do they fail on its output?

Issue #13 asks that every test of its items 1-8 fail on the 0.1 output. This extracts the engine of a
commit (``git archive``, default d1f96ee = 0.1), copies the named test modules (with their helpers and
examples/) beside a conftest that imports that engine instead, and runs pytest there. Model keys the old
engine does not know (management, anycast MAC, ...) are dropped before it renders, so each test meets the
old output of the same intent and fails on its own assertion, not on the model. Prints one line per test.

    .venv/bin/python tests/tools/against_release.py [--rev d1f96ee] [tests/unit/switches/test_push_as_is.py ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_TESTS = ("tests/unit/switches/test_push_as_is.py", "tests/unit/switches/test_dcb_reference.py")

CONFTEST = '''"""Import the older engine; drop the model keys it does not know before it renders."""
import re
import sys

sys.path.insert(0, {coll!r})

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline  # noqa: E402

_TOP = {{"clusters": "dcnet_clusters", "fabric": "dcnet_fabric", "networks": "dcnet_networks", "site": "dcnet_site"}}
_REAL_BUILD = pipeline.build


def _owner(variables, path):
    parts = re.findall(r"([A-Za-z_0-9]+)((?:\\[[^\\]]+\\])*)", path)
    node, parent, key = variables, None, None
    for number, (name, selectors) in enumerate(parts):
        parent, key = node, (_TOP.get(name, name) if number == 0 else name)
        node = node[key]
        for sel in re.findall(r"\\[([^\\]]+)\\]", selectors):
            parent = node
            if isinstance(node, list):
                hit = [i for i, item in enumerate(node) if isinstance(item, dict) and str(item.get("name")) == sel]
                key = hit[0] if hit else int(sel)
            else:
                key = sel
            node = node[key]
    return parent, key


def build(variables, *args, **kwargs):
    result = _REAL_BUILD(variables, *args, **kwargs)
    for _round in range(50):
        unknown = [f for f in result["findings"] if f["rule"] == "MODEL001" and "unknown key" in f["message"]]
        if not unknown:
            break
        for finding in unknown:
            parent, key = _owner(variables, finding["path"])
            if isinstance(parent, dict):
                parent.pop(key, None)
        result = _REAL_BUILD(variables, *args, **kwargs)
    return result


pipeline.build = build
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="d1f96ee", help="the older commit (default: release 0.1)")
    parser.add_argument("tests", nargs="*", default=list(DEFAULT_TESTS))
    args = parser.parse_args(argv)
    work = tempfile.mkdtemp(prefix="dcnet-release-")
    try:
        old = os.path.join(work, "old")
        os.makedirs(old)
        archive = subprocess.run(["git", "-C", ROOT, "archive", args.rev], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        coll = os.path.join(work, "coll")
        os.makedirs(os.path.join(coll, "ansible_collections", "dcnet"))
        os.symlink(old, os.path.join(coll, "ansible_collections", "dcnet", "fabric"))
        run = os.path.join(work, "run")
        shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(run, "examples"))
        for test in args.tests:
            folder = os.path.dirname(test)
            dest = os.path.join(run, folder)
            if not os.path.isdir(dest):
                shutil.copytree(os.path.join(ROOT, folder), dest, ignore=shutil.ignore_patterns("test_*.py", "__pycache__"))
            shutil.copy(os.path.join(ROOT, test), dest)
        with open(os.path.join(run, "tests", "conftest.py"), "w", encoding="utf-8") as handle:
            handle.write(CONFTEST.format(coll=coll))
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "--tb=line", "-p", "no:cacheprovider", *args.tests],
                              cwd=run, capture_output=True, text=True, check=False)
        lines = [line for line in proc.stdout.splitlines()
                 if line.startswith(("PASSED", "FAILED", "ERROR", "SKIPPED")) or line.startswith(run)]
        print("\n".join(line.replace(run + os.sep, "") for line in lines))
        print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-2000:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
