"""examples/dc1's own exits (docs/north_south.md): out of VRF prod by the firewall or the WAN router, and from
prod to ove through the firewall. They run once dc1 carries its border pair and external peers."""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain

from .conftest import example_raw

NO_BORDER = "examples/dc1 has no border pair and external peers yet (issue #14 brings them)"
pytestmark = pytest.mark.skipif(not example_raw("dc1").get("external_peers"), reason=NO_BORDER)


def path_of(result, direction="forward", family=4):
    return next(p for p in result["paths"] if p["direction"] == direction and p["family"] == family)


def kinds(path):
    return [h["kind"] for h in path["hops"]]


def test_to_the_outside_by_the_firewall_and_to_the_wan_prefix(dc1):
    fwd = path_of(explain(*dc1, "10.64.0.11@w001", "203.0.113.10"))
    assert fwd["status"] == "complete"
    assert kinds(fwd)[-6:] == ["l3vni-encap", "spine", "l3vni-decap", "vrf", "handover", "external"]
    assert fwd["hops"][-1]["device"] == "fw1" and fwd["hops"][-2]["device"] in ("leaf13a", "leaf13b")
    assert "0.0.0.0/0 (default route of fw1)" in next(h for h in fwd["hops"] if h["kind"] == "vrf")["what"]
    wan = path_of(explain(*dc1, "10.64.0.11@w001", "10.0.0.53"))
    assert wan["hops"][-1]["device"] == "wan1" and "10.0.0.0/23 (accepted prefix of wan1)" in wan["hops"][6]["what"]
    handover = next(h for h in wan["hops"] if h["kind"] == "handover")
    assert handover["mtu"] == 1500 and "MSS clamped to 1360" in handover["what"]
    back = path_of(explain(*dc1, "10.64.0.11@w001", "10.0.0.53"), "reverse")
    assert back["status"] == "complete" and back["hops"][0]["device"] == "wan1"


def test_prod_to_ove_through_the_firewall(dc1):
    result = explain(*dc1, "10.64.0.11@w001", "w120")
    for path in (path_of(result), path_of(result, "reverse")):
        assert path["status"] == "complete"
        assert [h["device"] for h in path["hops"] if h["kind"] == "external"] == ["fw1"]
        assert len([h for h in path["hops"] if h["kind"] == "handover"]) == 2
