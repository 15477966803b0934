#!/usr/bin/env bash
# Install ansible.utils -- a dev/bench dependency only, never a runtime one --
# into .collections-bench/ at the top of the checkout, for bench/filters_bench.py.
#
# 1. ansible-galaxy collection install ansible.utils (when Galaxy is reachable);
# 2. otherwise take ansible_collections/ansible/utils out of the wheel of the
#    'ansible' package on PyPI (the community bundle ships it), without
#    installing that package.
# ansible.utils' ipaddr filters need netaddr, installed into the same Python.
#
# Usage: bench/install_ansible_utils.sh [--force]
# Env:   PYTHON (default .venv/bin/python), ANSIBLE_BUNDLE_SPEC (default 'ansible>=12,<13'),
#        SKIP_GALAXY=1 to go straight to the PyPI wheel.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.collections-bench"
TARGET="$DEST/ansible_collections/ansible/utils"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY="$(command -v python3)"
SPEC="${ANSIBLE_BUNDLE_SPEC:-ansible>=12,<13}"

if [[ "${1:-}" == "--force" ]]; then
    rm -rf "$TARGET"
fi

if ! "$PY" -c 'import netaddr' 2>/dev/null; then
    echo "installing netaddr (ansible.utils needs it)"
    "$PY" -m pip install --quiet netaddr
fi

if [[ -f "$TARGET/MANIFEST.json" ]]; then
    echo "ansible.utils already installed in $DEST"
    exit 0
fi
mkdir -p "$DEST"

GALAXY="$(dirname "$PY")/ansible-galaxy"
[[ -x "$GALAXY" ]] || GALAXY="$(command -v ansible-galaxy || true)"
if [[ -z "${SKIP_GALAXY:-}" && -n "$GALAXY" ]]; then
    echo "trying: ansible-galaxy collection install ansible.utils -p $DEST"
    if timeout 45 "$GALAXY" collection install ansible.utils -p "$DEST" --timeout 15 >/dev/null 2>&1 \
            && [[ -f "$TARGET/MANIFEST.json" ]]; then
        echo "ansible.utils installed from Galaxy into $DEST"
        exit 0
    fi
    echo "Galaxy not reachable; extracting ansible.utils from the PyPI package '$SPEC'"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$PY" -m pip download --quiet --no-deps --only-binary=:all: -d "$TMP" "$SPEC"
WHEELS=("$TMP"/ansible-*.whl)
WHEEL="${WHEELS[0]}"
"$PY" - "$WHEEL" "$DEST" <<'PYEOF'
import json, os, sys, zipfile

wheel, dest = sys.argv[1], sys.argv[2]
prefix = "ansible_collections/ansible/utils/"
with zipfile.ZipFile(wheel) as zf:
    members = [m for m in zf.namelist() if m.startswith(prefix)]
    if not members:
        sys.exit(f"{wheel} has no {prefix}")
    for member in members:
        zf.extract(member, dest)
with open(os.path.join(dest, prefix, "MANIFEST.json")) as fh:
    version = json.load(fh)["collection_info"]["version"]
print(f"ansible.utils {version} extracted from {os.path.basename(wheel)} into {dest}")
PYEOF
