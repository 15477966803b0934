"""playbooks/render.yml writes the provider handover documents, as a user runs it (render_targets: [handover]).

The inventory is examples/small with the provider peers and the wave of tests/unit/switches/test_handover.py
(one group_vars file); the documents on disk are the pipeline's, a second run changes nothing, and
--check writes nothing.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from test_render_playbook import PLAYBOOK, play, snapshot  # noqa: E402
from ansible_collections.dcnet.fabric.tests.unit.switches import models  # noqa: E402
from ansible_collections.dcnet.fabric.tests.unit.switches.test_handover import site  # noqa: E402

pytestmark = pytest.mark.skipif(PLAYBOOK is None, reason="ansible-playbook is not installed")


def _inventory(tmp_path):
    inv = tmp_path / "inventory"
    (inv / "group_vars" / "all").mkdir(parents=True)
    with open(os.path.join(models.SMALL, "hosts.yml"), encoding="utf-8") as handle:
        (inv / "hosts.yml").write_text(handle.read())
    (inv / "group_vars" / "all" / "site.yml").write_text(yaml.safe_dump(site("eos"), sort_keys=False))
    return inv


def test_render_playbook_writes_the_handover_documents(tmp_path):
    inv = _inventory(tmp_path)
    targets = ("-e", '{"render_targets": ["handover"]}')
    rc, changed, failed, out = play(tmp_path, inv, "render.yml", *targets)
    assert (rc, changed, failed) == (0, 1, 0), out
    tree = snapshot(tmp_path / "build" / "small")
    written = sorted(p for p in tree if p.startswith("handover"))
    assert written == [os.path.join("handover", f) for f in ("cloud2.json", "cloud2.md", "esc.json", "esc.md")], written
    expected = models.build(site("eos"), targets=["handover"])["files"]
    for path in written:
        assert tree[path].decode() == expected[path.replace(os.sep, "/")], path
    assert json.loads(tree[os.path.join("handover", "esc.json")])["schema_version"] == 1
    rc, changed, failed, out = play(tmp_path, inv, "render.yml", *targets)
    assert (rc, changed, failed) == (0, 0, 0), out                       # idempotent
    rc, changed, failed, out = play(tmp_path, inv, "render.yml", "--check", *targets)
    assert (rc, failed) == (0, 0), out
    assert snapshot(tmp_path / "build" / "small") == tree                  # check mode wrote nothing
