"""A new switch platform is a table row plus a renderer and its template: nothing else changes.

The test registers a platform the collection does not know ("scratch", with
Junos-like interface names) from here, with a renderer function and a template
folder of its own, and renders examples/small on it through the whole pipeline
(loader, site facts, checks, design, render).  No file of the collection is
touched for it.
"""

from __future__ import annotations

import copy
import os

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline, platforms
from ansible_collections.dcnet.fabric.plugins.module_utils.render import eos
from ansible_collections.dcnet.fabric.plugins.module_utils.render.base import add_template_folder, render_sections

from . import models

HERE = os.path.dirname(os.path.abspath(__file__))


SECTIONS = ("base", "interfaces", "bgp")  # templates in scratch_templates/scratch/


def _device(config):
    header = f"scratch config of {config['hostname']} ({config['model_path']})"
    return {"cfg": render_sections("scratch", SECTIONS, c=config, header=header)}


SCRATCH = platforms.Platform(
    name="scratch", title="Scratch OS", ethernet="xe-0/0/{n}", ethernet_re=r"^xe-0/0/(\d+)$",
    port_channel="ae{n}", loopback="lo0.{n}", vlan_interface="irb.{n}", management_interface="fxp0",
    port_count=48, max_mtu=9192, mlag_name="mc-lag", renderer=_device, reserved_vlans=((4000, 4094),),
    mlag_peer_vlan=3999)


@pytest.fixture()
def scratch():
    platforms.register(SCRATCH)
    add_template_folder(os.path.join(HERE, "scratch_templates"))
    try:
        yield SCRATCH
    finally:
        platforms.unregister(SCRATCH.name)


def _small_on(platform):
    variables = copy.deepcopy(models.inventory_vars(models.SMALL))
    variables["dcnet_fabric"]["platform"] = platform
    for cluster in variables["dcnet_clusters"]:
        for node in cluster["nodes"]:
            node["nics"] = {nic: cable.replace(":swp", ":xe-0/0/") for nic, cable in node["nics"].items()}
    for peer in variables.get("dcnet_external_peers", []):
        for link in peer["links"]:
            link["port"] = link["port"].replace("swp", "xe-0/0/")
    return variables


def test_small_renders_on_a_platform_registered_from_a_table_row(scratch):
    result = pipeline.build(_small_on("scratch"), targets=["structured", "switches"])
    assert models.errors(result) == []
    files = models.switch_files(result)
    assert sorted(files) == ["leaf01a.cfg", "leaf01b.cfg", "spine1.cfg", "spine2.cfg"]
    leaf = files["leaf01a.cfg"]
    # every name comes from the row: loopback, uplink port, port-channel, the spine's port toward the leaf
    assert "interface lo0.0 address 10.255.0.65/32" in leaf
    assert "interface xe-0/0/49 mtu 9192 " in leaf and "description spine1:xe-0/0/1" in leaf
    assert "interface ae1 members xe-0/0/1 vlans 10,20,30,100-101" in leaf
    assert "vlan 711 name azl-storage1" in leaf
    structured = result["files"]["structured/leaf01a.yml"]
    assert "platform: scratch" in structured and "kind: mc-lag" in structured and "interface: irb.10\n" in structured


def test_the_row_drives_the_loader_and_the_checks(scratch):
    variables = _small_on("scratch")
    ove = next(c for c in variables["dcnet_clusters"] if c["name"] == "ove-small")
    ove["nodes"][0]["nics"]["ens1f1"] = "leaf01b:xe-0/0/49"          # an uplink port
    ove["nodes"][1]["nics"]["ens1f1"] = "leaf01b:xe-0/0/77"          # beyond the row's 48 ports
    result = pipeline.build(variables, targets=["switches"])
    assert {(f["rule"], f["path"]) for f in models.errors(result)} == {
        ("CABLE002", "clusters[ove-small].nodes[ove-w1].nics[ens1f1]"),
        ("CABLE002", "clusters[ove-small].nodes[ove-w2].nics[ens1f1]")}
    variables = _small_on("scratch")
    next(n for n in variables["dcnet_networks"] if n["name"] == "vm-db")["vlan"] = 4001   # in the row's reserved range
    result = pipeline.build(variables, targets=["switches"])
    found = [f for f in models.errors(result) if f["rule"] == "VLAN007"]
    assert [f["path"] for f in found] == ["networks[vm-db].vlan"]
    assert "Scratch OS's reserved range 4000-4094" in found[0]["message"]


def test_an_unregistered_platform_is_a_model_error():
    result = pipeline.build(_small_on("scratch"), targets=["switches"])
    assert ("MODEL003", "fabric.platform") in {(f["rule"], f["path"]) for f in models.errors(result)}


def test_a_new_section_is_one_template_and_one_list_entry(tmp_path, monkeypatch):
    """What the next switch features do: a template of their own, one entry in the platform's list."""
    (tmp_path / "eos").mkdir()
    (tmp_path / "eos" / "banner.j2").write_text(
        "!\nbanner motd\nmanaged by dcnet.fabric: {{ c.hostname }}\nEOF\n", encoding="utf-8")
    add_template_folder(str(tmp_path))
    before = models.switch_files(models.build(models.small("eos"), targets=("switches",)))["spine1.cfg"]
    sections = list(eos.SECTIONS)
    sections.insert(sections.index("ip_routing"), "banner")
    monkeypatch.setattr(eos, "SECTIONS", tuple(sections))
    after = models.switch_files(models.build(models.small("eos"), targets=("switches",)))["spine1.cfg"]
    block = "!\nbanner motd\nmanaged by dcnet.fabric: spine1\nEOF\n"
    assert after.replace(block, "") == before and after.index(block) == before.index("!\nip routing\n")
