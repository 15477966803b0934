# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Install the collections requirements.yml names without Galaxy, from the PyPI `ansible` package.

Galaxy is not reachable from every machine (CI here, air-gapped controllers), but PyPI is, and
the `ansible` community package ships each collection it includes under ``ansible_collections/``.
This script downloads that one wheel with pip (cached in .cache/wheels/), checks that every
collection of requirements.yml is in it at a version its range admits, and copies those
collections (and the collections they depend on) into ``DEST/ansible_collections/<ns>/<name>``.

    python tools/install_collections.py [-r requirements.yml] [--dest .collections] [--wheel FILE]

Exits 1 naming the collection when one is missing or outside its range.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The community package built for ansible-core 2.19 (the core version requirements.txt pins).
ANSIBLE_PACKAGE = "ansible==12.3.0"
WHEELS = os.path.join(ROOT, ".cache", "wheels")


class InstallError(Exception):
    pass


def _version(text):
    return tuple(int(p) for p in text.split("-")[0].split("+")[0].split(".")[:3])


def admits(spec: str, version: str) -> bool:
    """Whether a Galaxy version range ('>=1.2.0,<2.0.0', '*', '1.2.3') admits ``version``."""
    spec = str(spec or "*").strip()
    if spec in ("*", ""):
        return True
    have = _version(version)
    for part in spec.split(","):
        part = part.strip()
        for op in (">=", "<=", "!=", "==", ">", "<"):
            if part.startswith(op):
                want = _version(part[len(op):].strip())
                ok = {">=": have >= want, "<=": have <= want, "!=": have != want, "==": have == want,
                      ">": have > want, "<": have < want}[op]
                break
        else:
            ok = have == _version(part)
        if not ok:
            return False
    return True


def read_requirements(path: str) -> list:
    import yaml

    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    out = []
    for item in data.get("collections") or []:
        if isinstance(item, str):
            item = {"name": item}
        out.append({"name": item["name"], "version": str(item.get("version", "*"))})
    return out


def wheel_path(wheel=None) -> str:
    if wheel:
        return wheel
    found = sorted(glob.glob(os.path.join(WHEELS, "ansible-1*.whl")))
    if found:
        return found[-1]
    os.makedirs(WHEELS, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "-d", WHEELS, ANSIBLE_PACKAGE], check=True)
    found = sorted(glob.glob(os.path.join(WHEELS, "ansible-1*.whl")))
    if not found:
        raise InstallError(f"pip downloaded no wheel of {ANSIBLE_PACKAGE}")
    return found[-1]


def _manifest(wheel: zipfile.ZipFile, name: str):
    ns, coll = name.split(".", 1)
    try:
        return json.loads(wheel.read(f"ansible_collections/{ns}/{coll}/MANIFEST.json"))["collection_info"]
    except KeyError:
        return None


def install(requirements: str, dest: str, wheel=None) -> list:
    """[(name, version)] installed into ``dest`` (an existing copy of the same version is kept)."""
    wanted = read_requirements(requirements)
    path = wheel_path(wheel)
    done = []
    with zipfile.ZipFile(path) as archive:
        queue = [(w["name"], w["version"]) for w in wanted]
        seen = {}
        while queue:
            name, spec = queue.pop(0)
            info = _manifest(archive, name)
            if info is None:
                raise InstallError(f"{name} is not in {os.path.basename(path)}")
            if not admits(spec, info["version"]):
                raise InstallError(f"{name} {info['version']} in {os.path.basename(path)} is outside {spec}")
            if name in seen:
                continue
            seen[name] = info["version"]
            queue += list((info.get("dependencies") or {}).items())
        names = archive.namelist()
        for name, version in sorted(seen.items()):
            ns, coll = name.split(".", 1)
            target = os.path.join(dest, "ansible_collections", ns, coll)
            manifest = os.path.join(target, "MANIFEST.json")
            if os.path.exists(manifest):
                with open(manifest, encoding="utf-8") as handle:
                    if json.load(handle)["collection_info"]["version"] == version:
                        done.append((name, version))
                        continue
            prefix = f"ansible_collections/{ns}/{coll}/"
            os.makedirs(os.path.dirname(target), exist_ok=True)
            staging = tempfile.mkdtemp(prefix=f".{coll}-", dir=os.path.dirname(target))
            try:
                archive.extractall(staging, [m for m in names if m.startswith(prefix)])
                if os.path.lexists(target):
                    shutil.rmtree(target)
                os.rename(os.path.join(staging, *prefix.strip("/").split("/")), target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            done.append((name, version))
    return done


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("-r", "--requirements", default=os.path.join(ROOT, "requirements.yml"))
    parser.add_argument("--dest", default=os.path.join(ROOT, ".collections"))
    parser.add_argument("--wheel", help="a downloaded ansible-*.whl (default: download it with pip)")
    args = parser.parse_args(argv)
    try:
        for name, version in install(args.requirements, args.dest, args.wheel):
            print(f"{name} {version} -> {args.dest}")
    except (InstallError, subprocess.CalledProcessError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
