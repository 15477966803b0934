"""Rendered configs read back (ciscoconfparse2 for EOS/NX-OS; frr.conf + ifupdown2 for FRR).

Expectations come from the model itself (cables, cluster networks, VLAN ids)
and from the structured config's sessions, never from the rendered text.
"""

from __future__ import annotations

import pytest

from . import models, parse

PLATFORMS = ("frr", "eos", "nxos")
VARIANTS = {"plain": dict(), "evpn-two-racks": dict(overlay="evpn_vxlan", second_rack=True)}


def _render(platform, variant):
    pytest.importorskip("ciscoconfparse2")
    variables = models.small(platform, **VARIANTS[variant])
    result = models.build(variables)
    assert not models.errors(result), models.errors(result)
    return variables, result, models.switch_files(result)


def _cables(variables):
    """(leaf, port) -> (cluster, node, nic) from the model's nics maps."""
    out = {}
    for cluster in variables["dcnet_clusters"]:
        for node in cluster["nodes"]:
            for nic, cable in node["nics"].items():
                leaf, port = cable.split(":")
                out[(leaf, port)] = (cluster, node["name"], nic)
    return out


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_cabled_interface_and_port_channel_is_present(platform, variant):
    variables, result, files = _render(platform, variant)
    cables = _cables(variables)
    leaves = sorted({leaf for leaf, _port in cables})
    for leaf in leaves:
        parsed = parse.read(platform, files, leaf)
        mine = {port: owner for (lf, port), owner in cables.items() if lf == leaf}
        assert set(mine) <= set(parsed["ports"]), f"{leaf}: cabled ports missing: {set(mine) - set(parsed['ports'])}"
        # bonds of LACP clusters: one port-channel per node on each leaf, LACP active, the cabled member in it
        for port, (cluster, node, nic) in mine.items():
            if cluster.get("bond"):
                cid = parsed["ports"][port]["channel"]
                assert cid is not None, f"{leaf} {port} ({node}) is not in a port-channel"
                channel = parsed["channels"][cid]
                assert port in channel["members"]
                assert "active" in (channel["lacp"], parsed["ports"][port]["lacp"]), f"{leaf} {port}: LACP not active"
                assert channel["mlag"] == cid, f"{leaf} port-channel {cid}: MLAG/vPC/CLAG id missing"
            else:
                assert parsed["ports"][port]["channel"] is None


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_trunked_vlan_is_defined_and_mtu_is_jumbo(platform, variant):
    variables, result, files = _render(platform, variant)
    expected_mtu = {"frr": 9216, "eos": 9214, "nxos": 9216}[platform]
    model_vlans = {n["vlan"] for n in variables["dcnet_networks"]}
    for leaf in sorted({lf for lf, _port in _cables(variables)}):
        parsed = parse.read(platform, files, leaf)
        trunked = set()
        for info in list(parsed["ports"].values()) + list(parsed["channels"].values()):
            if info["channel"] is None:
                trunked |= info["vlans"]
        host_ports = [p for (lf, p) in _cables(variables) if lf == leaf]
        for port in host_ports:
            info = parsed["ports"][port]
            carrier = parsed["channels"][info["channel"]] if info["channel"] is not None else info
            assert carrier["mtu"] == expected_mtu or info["mtu"] == expected_mtu, f"{leaf} {port}: MTU"
        data_vlans = trunked & model_vlans
        assert data_vlans, leaf
        assert data_vlans <= parsed["vlans"], f"{leaf}: trunked VLANs not defined: {data_vlans - parsed['vlans']}"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_bgp_neighbor_is_present(platform, variant):
    variables, result, files = _render(platform, variant)
    fab = variables["dcnet_fabric"]
    for name, config in result["design"]["switches"].items():
        parsed = parse.read(platform, files, name)
        expected = {n["interface"] or n["ip"] for n in config["bgp"]["neighbors"]}
        assert set(parsed["neighbors"]) == expected, name
        # the spine AS on every leaf uplink, the leaf pair's AS on every spine session
        for nb in config["bgp"]["neighbors"]:
            key = nb["interface"] or nb["ip"]
            want = nb["remote_as"]
            if platform == "frr":
                got = parsed["neighbors"][key]
                assert got in (str(want), "external"), (name, key, got)
            else:
                assert parsed["neighbors"][key] == want, (name, key)
        if config["role"] == "leaf":
            asns = {nb["remote_as"] for nb in config["bgp"]["neighbors"] if nb["kind"] == "underlay"}
            assert asns == {fab["asn"]["spine"]}
    # MetalLB: every OVE node peers with both of its leaves, from the cluster's metallb.asn
    ove = next(c for c in variables["dcnet_clusters"] if c["platform"] == "ove")
    for leaf in ("leaf01a", "leaf01b"):
        nbs = [n for n in result["design"]["switches"][leaf]["bgp"]["neighbors"] if n["kind"] == "metallb"]
        assert {n["remote_as"] for n in nbs} == {ove["metallb"]["asn"]}
        assert {n["description"].split()[0] for n in nbs} == {n["name"] for n in ove["nodes"]
                                                              if any(c.startswith(leaf + ":") for c in n["nics"].values())}
