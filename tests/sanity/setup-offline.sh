#!/usr/bin/env bash
# Let `ansible-test sanity --venv` bootstrap pip without the internet.
#
# ansible-test builds its own virtual environments and first downloads a
# get-pip script (get-pip-<version>.py) from a CI file server this machine
# cannot reach. It looks in ~/.ansible/test/cache/get_pip_<version>.py first,
# so we put a stand-in there: it bootstraps pip with the standard library's
# ensurepip, then installs the pip release ansible-test asked for from the
# package index configured for pip (PyPI or a local mirror).
#
# Usage: tests/sanity/setup-offline.sh [PYTHON]   (default: .venv/bin/python)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
py=${1:-$root/.venv/bin/python}
marker='# dcnet.fabric offline get-pip stand-in'

# The pip version(s) this ansible-test bootstraps; parsed from its source so an
# ansible-core upgrade that moves pip does not break us silently.
versions=$("$py" - <<'PY'
import os
import re

import ansible_test

src = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
with open(src, encoding="utf-8") as handle:
    found = sorted(set(re.findall(r"pip=['\"]([0-9][0-9.]*)['\"]", handle.read())))
print(" ".join(found or ["24.2"]))
PY
)

cache=${ANSIBLE_TEST_CACHE:-$HOME/.ansible/test/cache}
mkdir -p "$cache"
for v in $versions; do
    target=$cache/get_pip_${v//./_}.py
    if [[ -f $target ]] && ! grep -qF "$marker" "$target"; then
        echo "setup-offline: keeping the real get-pip script at $target"
        continue
    fi
    cat >"$target" <<PY
$marker (pip $v).
# Written by tests/sanity/setup-offline.sh; safe to delete.
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"],
                      stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + args)
PY
    echo "setup-offline: get-pip stand-in for pip $v at $target"
done
