"""Stretched VLANs: EVPN-VXLAN when the model has an overlay, a located error when it has none; dc1 if present."""

from __future__ import annotations

import os

import pytest

from . import models


STRETCHED = sorted(f"networks[{n}]" for n in ("mgmt", "storage", "livemig", "vm-web", "vm-db"))


@pytest.mark.parametrize("platform", ("frr", "eos", "nxos"))
def test_stretch_without_overlay_is_an_error_not_rack_local(platform):
    result = models.build(models.small(platform, overlay="none", second_rack=True), targets=("switches",))
    errs = models.errors(result)
    # the consistency checks stop the run before rendering: VLAN005 per stretched network, and EDGE002 per
    # tenant VRF whose rack-2 gateways cannot reach the border pair's exit without an overlay
    assert errs and {e["rule"] for e in errs} == {"VLAN005", "EDGE002"}
    # the OVE cluster's five networks now span racks 1 and 2
    assert sorted({e["path"] for e in errs if e["rule"] == "VLAN005"}) == STRETCHED
    assert sorted(e["path"] for e in errs if e["rule"] == "EDGE002") == ["vrfs[infra]", "vrfs[prod]"]
    assert not models.switch_files(result)


def test_a_waived_stretch_renders_rack_local_and_raises_nothing():
    """Render only lays out the design: what the checks reject is theirs to stop (VLAN005), never the renderer's."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars
    from ansible_collections.dcnet.fabric.plugins.module_utils.render import switches
    from ansible_collections.dcnet.fabric.plugins.module_utils.render.base import RenderContext

    raw, extra = model_from_vars(models.small("eos", overlay="none", second_rack=True))
    model = load_model(raw, extra)
    facts = site_facts(model)
    files = {a.path: a.content for a in switches.render(RenderContext(model, facts, design(model, facts), "small"))}
    assert "interface Vxlan1" not in files["switches/leaf01a.cfg"]
    assert "vlan 100\n" in files["switches/leaf02a.cfg"]


@pytest.mark.parametrize("platform,needles", [
    ("eos", ["interface Vxlan1", "   vxlan source-interface Loopback1", "   vxlan vlan 100 vni 10100",
             "   address-family evpn", "      route-target both 10100:10100"]),
    ("nxos", ["interface nve1", "  member vni 10100", "  vn-segment 10100", "fabric forwarding mode anycast-gateway",
              "    address-family l2vpn evpn", "\nevpn\n", "  vni 10100 l2", "feature nv overlay"]),
])
def test_stretched_vlans_get_vnis(platform, needles):
    result = models.build(models.small(platform, overlay="evpn_vxlan", second_rack=True), targets=("switches",))
    assert not models.errors(result)
    leaf = models.switch_files(result)["leaf02a.cfg"]
    for needle in needles:
        assert needle in leaf, needle
    # VLAN 711 (Azure Local storage, rack 1 only) stays local: no VNI
    assert "10711" not in leaf


DC1 = os.path.join(models.ROOT, "examples", "dc1", "inventory")


@pytest.mark.skipif(not os.path.isdir(DC1), reason="examples/dc1/inventory is not there yet")
def test_dc1_renders_every_switch():
    variables = models.inventory_vars(DC1)
    result = models.built_dc1()
    assert not models.errors(result), models.errors(result)[:5]
    files = models.switch_files(result)
    fab = variables["dcnet_fabric"]
    names = [s["name"] for s in fab["spines"]] + [lf for p in fab["leaf_pairs"] for lf in p["leaves"]]
    for name in names:
        assert f"{name}.cfg" in files, name
    platforms = {c["platform"] for c in result["design"]["switches"].values()}
    for name, config in result["design"]["switches"].items():
        if config["platform"] == "frr":
            assert f"{name}.interfaces" in files
    assert platforms
