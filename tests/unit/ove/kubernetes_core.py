"""Install the kubernetes.core collection offline from the PyPI `ansible` wheel.

Galaxy is not reachable from CI, but the PyPI index is, and the `ansible`
community package ships every collection it includes under
``ansible_collections/``.  ``ensure()`` downloads that one wheel (no
dependencies; cached in .cache/wheels/) with pip and extracts only
``ansible_collections/kubernetes/core/`` into
``.collections/ansible_collections/kubernetes/core`` -- the collections path
`make` exports, so ansible-playbook --syntax-check and ansible-lint resolve
``kubernetes.core.k8s``.  Both folders are git-ignored.

Run by hand: .venv/bin/python tests/unit/ove/kubernetes_core.py
"""

import glob
import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# ansible 12.x is the community package built for ansible-core 2.19 (the core version we pin).
ANSIBLE_PACKAGE = "ansible>=12,<13"
WHEELS = os.path.join(ROOT, ".cache", "wheels")
TARGET = os.path.join(ROOT, ".collections", "ansible_collections", "kubernetes", "core")
PREFIX = "ansible_collections/kubernetes/core/"


def ensure(collection: str = "kubernetes.core") -> str:
    """Path of the installed collection (any collection the wheel ships); downloads and extracts it on first use."""
    namespace, name = collection.split(".")
    TARGET = os.path.join(ROOT, ".collections", "ansible_collections", namespace, name)  # noqa: N806
    PREFIX = f"ansible_collections/{namespace}/{name}/"  # noqa: N806
    if os.path.exists(os.path.join(TARGET, "MANIFEST.json")):
        return TARGET
    wheels = sorted(glob.glob(os.path.join(WHEELS, "ansible-1*.whl")))
    if not wheels:
        os.makedirs(WHEELS, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "-d", WHEELS, ANSIBLE_PACKAGE], check=True)
        wheels = sorted(glob.glob(os.path.join(WHEELS, "ansible-1*.whl")))
    with zipfile.ZipFile(wheels[-1]) as wheel:
        members = [m for m in wheel.namelist() if m.startswith(PREFIX)]
        if not members:
            raise RuntimeError(f"{wheels[-1]} does not contain {PREFIX}")
        tmp = TARGET + ".tmp"
        for member in members:
            dest = os.path.join(tmp, member[len(PREFIX):])
            if member.endswith("/"):
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with wheel.open(member) as src, open(dest, "wb") as out:
                out.write(src.read())
    os.makedirs(os.path.dirname(TARGET), exist_ok=True)
    os.replace(tmp, TARGET)
    return TARGET


if __name__ == "__main__":
    print(ensure())
