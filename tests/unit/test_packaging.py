"""The collection's packaging metadata agrees with itself and builds cleanly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


def _yaml(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _requirements(rel):
    """Requirement lines of a pip requirements file, without comments and -r includes."""
    reqs, includes = [], []
    with open(os.path.join(ROOT, rel), encoding="utf-8") as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("-r "):
                includes.append(line[3:].strip())
                continue
            assert not line.startswith("-"), f"{rel}: unexpected pip option {line!r}"
            reqs.append(Requirement(line))
    return reqs, includes


@pytest.fixture(scope="module")
def galaxy():
    return _yaml("galaxy.yml")


def test_galaxy_identity(galaxy):
    assert galaxy["namespace"] == "dcnet"
    assert galaxy["name"] == "fabric"
    assert SEMVER.match(str(galaxy["version"])), galaxy["version"]
    assert galaxy["version"] == "0.1.0"
    assert galaxy["readme"] == "README.md"
    assert os.path.isfile(os.path.join(ROOT, galaxy["readme"]))
    assert galaxy["authors"]
    assert galaxy.get("dependencies", {}) == {}


def test_license_is_apache(galaxy):
    assert galaxy["license"] == ["Apache-2.0"]
    assert "license_file" not in galaxy, "license and license_file are mutually exclusive"
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as handle:
        text = handle.read()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_build_ignore_keeps_local_state_out(galaxy):
    ignored = set(galaxy["build_ignore"])
    for path in (".venv", ".collections", "build", "tests/output", ".ansible"):
        assert path in ignored, f"galaxy.yml build_ignore lacks {path}"


def test_runtime_requires_same_ansible_as_requirements():
    runtime = _yaml("meta/runtime.yml")
    spec = runtime["requires_ansible"]
    match = re.fullmatch(r">=\s*(\d+\.\d+)(?:\.\d+)?", str(spec))
    assert match, f"meta/runtime.yml requires_ansible {spec!r} is not '>=X.Y[.Z]'"
    floor = Version(match.group(1))
    assert floor >= Version("2.16")

    reqs = _requirements("requirements.txt")[0]
    core = [r for r in reqs if r.name == "ansible-core"]
    assert len(core) == 1, "requirements.txt must name ansible-core once"
    lower = [Version(s.version) for s in core[0].specifier if s.operator == ">="]
    assert lower == [floor], (
        f"requirements.txt ansible-core floor {lower} != meta/runtime.yml {spec}"
    )


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("requirements.txt", {"ansible-core", "jinja2", "netaddr", "jmespath", "ciscoconfparse2"}),
        (
            "requirements-dev.txt",
            {
                "pytest",
                "hypothesis",
                "jsonschema",
                "ansible-lint",
                "molecule",
                "pyyaml",
                "antsibull-changelog",
            },
        ),
    ],
)
def test_requirements_are_pinned_ranges(rel, expected):
    reqs, includes = _requirements(rel)
    names = {r.name.lower() for r in reqs}
    assert expected <= names, f"{rel} lacks {sorted(expected - names)}"
    assert len(names) == len(reqs), f"{rel} names a package twice"
    for req in reqs:
        ops = {s.operator for s in req.specifier}
        assert ">=" in ops and "<" in ops, f"{rel}: {req} is not a '>=low,<high' range"
        low = max(Version(s.version) for s in req.specifier if s.operator == ">=")
        high = min(Version(s.version) for s in req.specifier if s.operator == "<")
        assert low < high, f"{rel}: {req} is an empty range"
    if rel == "requirements-dev.txt":
        assert includes == ["requirements.txt"]


def test_changelog_layout():
    config = _yaml("changelogs/config.yaml")
    assert config["notesdir"] == "fragments"
    assert config["changes_file"] == "changelog.yaml"
    fragment = _yaml("changelogs/fragments/initial.yml")
    assert fragment.get("release_summary")
    sections = {name for name, _title in config["sections"]}
    for key in fragment:
        assert key in sections or key == config["prelude_section_name"], key


@pytest.mark.skipif(
    not shutil.which("ansible-galaxy", path=os.path.dirname(sys.executable)),
    reason="ansible-galaxy is not installed next to this Python",
)
def test_collection_builds_without_local_state(tmp_path):
    galaxy_bin = shutil.which("ansible-galaxy", path=os.path.dirname(sys.executable))
    subprocess.run(
        [galaxy_bin, "collection", "build", "--output-path", str(tmp_path), ROOT],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    tarball = tmp_path / "dcnet-fabric-0.1.0.tar.gz"
    assert tarball.is_file(), sorted(os.listdir(tmp_path))
    with tarfile.open(tarball) as tar:
        names = tar.getnames()
    for required in ("MANIFEST.json", "FILES.json", "LICENSE", "README.md", "meta/runtime.yml"):
        assert required in names
    leaked = [n for n in names if n.split("/")[0] in {".venv", ".collections", "build", ".git", ".ansible"}
              or n.startswith("tests/output")]
    assert not leaked, leaked[:10]
