"""nmstate's own Python library (libnmstate), usable here without NetworkManager.

No NetworkManager can run in these test machines (no systemd or system D-Bus, and the kernel makes no bond
or 802.1Q devices), and Debian ships no nmstate package for this release.  The PyPI ``nmstate`` 2.0.0
wheel is nmstate's pure-Python library: its ``NetState(desired, current_state=...)`` merges a desired
state into a current one and runs nmstate's validation and metadata steps (controller/port
relations, VLAN base interfaces, bond options, OVS bridges and ports) -- the work ``nmstatectl apply``
does before it hands the result to NetworkManager.  The current state is given, never read from the
kernel, so the live-state reader ``nispor`` (a Rust library the wheel only imports) is replaced by a
stub that fails if anything calls it.

``load()`` downloads the wheel once (no dependencies; .cache/wheels/, git-ignored) with pip, extracts
``libnmstate/`` into .cache/libnmstate-<version>/ and imports it.  Run by hand:
.venv/bin/python tests/unit/ove/libnmstate_offline.py
"""

import glob
import importlib
import os
import subprocess
import sys
import types
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
VERSION = "2.0.0"
WHEELS = os.path.join(ROOT, ".cache", "wheels")
TARGET = os.path.join(ROOT, ".cache", f"libnmstate-{VERSION}")


class _NoLiveState:
    """nispor's entry point: reading the running kernel is not what these tests do."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("libnmstate tried to read the live kernel state; the tests pass current_state")

    @classmethod
    def retrieve(cls, *args, **kwargs):
        raise RuntimeError("libnmstate tried to read the live kernel state; the tests pass current_state")


def _extract():
    wheels = sorted(glob.glob(os.path.join(WHEELS, f"nmstate-{VERSION}-*.whl")))
    if not wheels:
        os.makedirs(WHEELS, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "-d", WHEELS, f"nmstate=={VERSION}"], check=True)
        wheels = sorted(glob.glob(os.path.join(WHEELS, f"nmstate-{VERSION}-*.whl")))
    tmp = TARGET + ".tmp"
    with zipfile.ZipFile(wheels[-1]) as wheel:
        for member in wheel.namelist():
            if member.startswith("libnmstate/") and not member.endswith("/"):
                dest = os.path.join(tmp, member)
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with wheel.open(member) as src, open(dest, "wb") as out:
                    out.write(src.read())
    os.replace(tmp, TARGET)


def load():
    """The imported ``libnmstate`` package (nmstate 2.0.0, Python)."""
    if not os.path.isdir(os.path.join(TARGET, "libnmstate")):
        _extract()
    if TARGET not in sys.path:
        sys.path.insert(0, TARGET)
    try:
        importlib.import_module("nispor")
    except ImportError:
        stub = types.ModuleType("nispor")
        stub.NisporNetState = _NoLiveState
        sys.modules["nispor"] = stub
    return importlib.import_module("libnmstate")


if __name__ == "__main__":
    print(load().__file__)
