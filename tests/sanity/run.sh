#!/usr/bin/env bash
# Run `ansible-test sanity` offline on a copy of this checkout.
#
# ansible-test must run from a tree laid out as .../ansible_collections/dcnet/fabric.
# We copy the files git knows about (tracked, plus untracked ones that are not
# ignored) into a temporary tree of that shape, so .venv, build output and
# tests/output never reach the sanity tests, then run ansible-test there.
#
# Usage: tests/sanity/run.sh [extra ansible-test sanity arguments]
# Env:   PYTHON          venv python holding ansible-core (default .venv/bin/python)
#        SANITY_PYTHON   Python version to test (default: that of PYTHON)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
bindir=$(dirname "$py")
pyver=${SANITY_PYTHON:-$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}

"$here/setup-offline.sh" "$py"

work=$(mktemp -d "${TMPDIR:-/tmp}/dcnet-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest=$work/ansible_collections/dcnet/fabric
mkdir -p "$dest"

cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do
              if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
          done \
        | xargs -0 -r cp -P --parents -t "$dest"
else
    tar -C "$root" -cf - \
        --exclude=./.venv --exclude=./.collections --exclude=./collections \
        --exclude=./build --exclude=./tests/output --exclude=./.ansible \
        --exclude='__pycache__' --exclude=./.pytest_cache --exclude=./.hypothesis . \
        | tar -C "$dest" -xf -
fi

echo "sanity: $(find "$dest" -type f | wc -l) files in $dest (Python $pyver)"
rc=0
(
    cd "$dest"
    export PATH="$bindir:$PATH"
    "$bindir/ansible-test" sanity --venv --python "$pyver" --color no "$@"
) || rc=$?

# Keep the results where people look for them.
if [[ -d $dest/tests/output ]]; then
    mkdir -p "$root/tests/output"
    rm -rf "$root/tests/output/sanity"
    cp -r "$dest/tests/output" "$root/tests/output/sanity"
fi
if [[ $rc -ne 0 ]]; then
    echo "sanity: FAILED (exit $rc); results in tests/output/sanity/" >&2
else
    echo "sanity: passed"
fi
exit "$rc"
