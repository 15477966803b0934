"""The platform table is the only place that knows a platform by name (plugins/module_utils/platforms)."""

from __future__ import annotations

import os
import re

from ansible_collections.dcnet.fabric.plugins.module_utils import platforms
from ansible_collections.dcnet.fabric.plugins.module_utils.model import schema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, "plugins")
TABLE = os.path.join(PLUGINS, "module_utils", "platforms")
TEMPLATES = os.path.join(PLUGINS, "module_utils", "render", "templates")


def _quoted_name(names):
    return re.compile(r"""["'](%s)["']""" % "|".join(map(re.escape, names)))


def test_no_platform_name_outside_the_table():
    """No code compares, maps or defaults on a platform's name: a quoted name is a test of it."""
    pattern = _quoted_name(platforms.names())
    found = []
    for folder, dirs, files in os.walk(PLUGINS):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        if folder.startswith(TABLE) or folder.startswith(TEMPLATES):
            continue  # the table itself; templates live in a folder per platform and never test one
        for name in files:
            if not name.endswith((".py", ".j2")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if pattern.search(line):
                        found.append(f"{os.path.relpath(path, ROOT)}:{number}: {line.strip()}")
    assert found == [], "platform names outside plugins/module_utils/platforms:\n" + "\n".join(found)


def test_the_grep_would_see_a_test_of_a_name():
    pattern = _quoted_name(platforms.names())
    assert pattern.search('if config["platform"] != "frr":')
    assert not pattern.search("frr version 8.4")


def test_the_model_accepts_exactly_the_table():
    spec = schema.FABRIC.fields["platform"].spec
    assert spec.choices == platforms.names() == ("frr", "eos", "nxos")


def test_derived_limits():
    assert platforms.get("nxos").max_vlans == 3967 and platforms.get("eos").max_vlans == 4094
    assert platforms.get("nxos").reserves(3968) and platforms.get("nxos").reserves(4094)
    assert not platforms.get("nxos").reserves(3967) and not platforms.get("eos").reserves(4000)
    assert platforms.get("frr").loopback_name(0) == "lo" and platforms.get("frr").loopback_name(1) == "lo1"
    assert platforms.get("eos").port_number("Ethernet7/1") == 7 and platforms.get("eos").port_number("swp7") is None
    assert {p.name: p.management_interface for p in platforms.PLATFORMS.values()} == {
        "frr": "eth0", "eos": "Management1", "nxos": "mgmt0"}
