"""execution-environment.yml builds a context (ansible-builder create, no container engine needed), and
requirements.yml names every collection the playbooks and roles call."""

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILDER = shutil.which("ansible-builder", path=os.path.dirname(sys.executable))


def _fqcns():
    """Every module/role FQCN used in playbooks/ and roles/ (task keys and include_role names)."""
    found = set()
    for path in glob.glob(os.path.join(ROOT, "playbooks", "*.yml")) + glob.glob(
            os.path.join(ROOT, "roles", "*", "tasks", "*.yml")):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        found |= set(re.findall(r"^\s*-?\s*([a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+):", text, re.M))
        found |= set(re.findall(r"^\s*(?:name|role):\s*([a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+)\s*$", text, re.M))
    return found


def test_requirements_yml_names_every_collection_used():
    with open(os.path.join(ROOT, "requirements.yml"), encoding="utf-8") as handle:
        named = {c["name"] for c in yaml.safe_load(handle)["collections"]}
    used = {".".join(f.split(".")[:2]) for f in _fqcns()} - {"ansible.builtin", "dcnet.fabric"}
    assert used, "no FQCN found: the scan is broken"
    assert used <= named, sorted(used - named)
    assert {"arista.eos", "cisco.nxos", "kubernetes.core", "ansible.windows", "ansible.netcommon"} <= named


@pytest.mark.skipif(BUILDER is None, reason="ansible-builder is not installed (requirements-dev.txt)")
def test_ansible_builder_create(tmp_path):
    proc = subprocess.run([BUILDER, "create", "-f", os.path.join(ROOT, "execution-environment.yml"),
                           "-c", str(tmp_path / "context"), "--output-filename", "Containerfile"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    context = tmp_path / "context"
    containerfile = (context / "Containerfile").read_text()
    for name in ("requirements.yml", "requirements.txt", "bindep.txt"):
        assert (context / "_build" / name).read_text() == open(os.path.join(ROOT, name), encoding="utf-8").read()
    assert "ARG EE_BASE_IMAGE=\"docker.io/redhat/ubi9:latest\"" in containerfile and "FROM $EE_BASE_IMAGE" in containerfile
    assert "ansible-galaxy collection install" in containerfile and "requirements.yml" in containerfile
    assert re.search(r"ansible-core>=2\.16,<2\.20", containerfile)
    assert "/output/scripts/assemble" in containerfile or "assemble" in containerfile
    assert (context / "_build" / "scripts" / "introspect.py").is_file()


@pytest.mark.skipif(BUILDER is None, reason="ansible-builder is not installed (requirements-dev.txt)")
def test_builder_introspection_merges_our_requirements_with_the_collections(tmp_path):
    """What the image build's introspect step computes from the collections and our files."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import install_collections  # pylint: disable=import-outside-toplevel

    install_collections.install(os.path.join(ROOT, "requirements.yml"), str(tmp_path / "collections"))
    subprocess.run([BUILDER, "create", "-f", os.path.join(ROOT, "execution-environment.yml"), "-c",
                    str(tmp_path / "context")], cwd=ROOT, capture_output=True, check=True, timeout=300)
    proc = subprocess.run([sys.executable, str(tmp_path / "context" / "_build" / "scripts" / "introspect.py"),
                           "introspect", "--user-pip", os.path.join(ROOT, "requirements.txt"), "--user-bindep",
                           os.path.join(ROOT, "bindep.txt"), str(tmp_path / "collections")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(proc.stdout)
    python = " ".join(data["python"])
    assert "kubernetes" in python and "from collection kubernetes.core" in python
    assert "graphviz [platform:rpm platform:dpkg]  # from collection user" in data["system"]
