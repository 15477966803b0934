"""locations.py: build/ beside the inventory, never inside an installed collection."""

import os

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import locations
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError


def test_beside_an_inventory_folder_or_file(tmp_path):
    (tmp_path / "site" / "inventory").mkdir(parents=True)
    (tmp_path / "hosts.yml").write_text("all: {}\n")
    assert locations.build_root(None, [str(tmp_path / "site" / "inventory")]) == str(tmp_path / "site" / "build")
    assert locations.build_root(None, [str(tmp_path / "hosts.yml")]) == str(tmp_path / "build")
    # relative sources are read from the working directory of the run
    assert locations.build_root(None, ["site/inventory"], cwd=str(tmp_path)) == str(tmp_path / "site" / "build")


def test_without_a_usable_inventory_the_working_directory(tmp_path):
    for sources in (None, [], ["localhost,"], ["/etc/ansible/hosts"], [str(tmp_path / "missing")]):
        assert locations.build_root(None, sources, cwd=str(tmp_path)) == str(tmp_path / "build")


def test_explicit_folder_wins(tmp_path):
    assert locations.build_root("out", [str(tmp_path)], cwd=str(tmp_path)) == str(tmp_path / "out")


def test_never_inside_an_installed_collection(tmp_path):
    coll = tmp_path / "ansible_collections" / "dcnet" / "fabric"
    (coll / "examples" / "small" / "inventory").mkdir(parents=True)
    # a checkout (no MANIFEST.json) may hold its build folder
    assert locations.build_root(None, [str(coll / "examples" / "small" / "inventory")]).startswith(str(coll))
    (coll / "MANIFEST.json").write_text("{}")
    with pytest.raises(DcnetError, match="inside the installed collection .*set build_dir"):
        locations.build_root(None, [str(coll / "examples" / "small" / "inventory")])
    with pytest.raises(DcnetError, match="inside the installed collection"):
        locations.build_root(str(coll / "playbooks" / ".." / "build"), None)
    assert locations.installed_collection(str(tmp_path)) is None
    assert os.path.samefile(locations.installed_collection(str(coll / "roles")), coll)
