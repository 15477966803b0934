"""DHCP relay in tenant VRFs (examples/dc1): each platform's relay reaches the server from the gateway's VRF.

Same VRF: the plain relay line (the switch relays in the SVI's VRF). Server in another VRF's network: EOS
`ip helper-address A vrf V` and NX-OS `ip dhcp relay address A use-vrf V` with the relay agent option
(VSS / VPN) turned on; FRR (isc-dhcp-relay runs inside one VRF) cannot, and the relay rule says so.
Server behind the VRF's exit: reached when an external session of the VRF brings in a route to it.
"""

from __future__ import annotations

from errors.harness import apply, example  # tests/unit is on sys.path (rootdir-relative test packages)

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline


def _build(*ops):
    raw = example("dc1")
    for op in ops:
        apply(raw, op)
    return pipeline.build(raw, from_vars=False, targets=["switches"])


def _relay_findings(result):
    return [f for f in result["findings"] if f["rule"] == "DHCP006"]


def _svi_lines(cfg, vlan):
    """The lines of `interface Vlan<vlan>` in an EOS or NX-OS config."""
    block = cfg.split(f"\ninterface Vlan{vlan}\n", 1)[1].split("\n!", 1)[0]
    return [line.strip() for line in block.splitlines()]


def test_same_vrf_relay_is_the_plain_line():
    """dc1 as shipped: vm-100 (VRF prod) relays to Kea on infra-mgmt (VRF prod): no VRF named, no finding."""
    result = _build()
    assert not _relay_findings(result)
    eos = result["files"]["switches/leaf01a.cfg"]
    assert "ip helper-address 10.13.0.11" in _svi_lines(eos, 100) and "vrf prod" in _svi_lines(eos, 100)
    assert "ip dhcp relay information option" not in eos
    nxos = result["files"]["switches/leaf09a.cfg"]
    assert "ip dhcp relay address 10.13.0.11" in _svi_lines(nxos, 11)


def test_server_in_another_vrf_is_named_on_eos_and_nxos():
    """vm-100 (prod, EOS racks 1-6 and NX-OS rack 9) relays to a server on ove-mgmt (VRF ove)."""
    result = _build({"op": "set", "path": "networks[vm-100].dhcp.servers", "value": ["10.10.0.5", "fd00:10::5"]})
    assert not _relay_findings(result)
    eos = result["files"]["switches/leaf01a.cfg"]
    assert {"ip helper-address 10.10.0.5 vrf ove", "ipv6 dhcp relay destination fd00:10::5 vrf ove"} <= set(_svi_lines(eos, 100))
    assert "\nip dhcp relay information option\n" in eos
    # vm-101 keeps its server in its own VRF: no VRF on its lines
    assert "ip helper-address 10.13.0.11" in _svi_lines(eos, 101)
    nxos = result["files"]["switches/leaf09a.cfg"]
    assert {"ip dhcp relay address 10.10.0.5 use-vrf ove", "ipv6 dhcp relay address fd00:10::5 use-vrf ove"} <= set(
        _svi_lines(nxos, 100))
    assert "\nip dhcp relay information option vpn\n" in nxos and "\nipv6 dhcp relay option vpn\n" in nxos


def test_leaked_vrf_needs_no_vrf_on_the_line():
    """prod imports ove's routes (leak_from): the server is in prod's own table, the relay line stays plain."""
    result = _build({"op": "set", "path": "networks[vm-100].dhcp.servers", "value": ["10.10.0.5", "fd00:10::5"]},
                    {"op": "set", "path": "vrfs[prod].leak_from", "value": ["ove"]})
    assert not _relay_findings(result)
    lines = _svi_lines(result["files"]["switches/leaf01a.cfg"], 100)
    assert "ip helper-address 10.10.0.5" in lines and "ipv6 dhcp relay destination fd00:10::5" in lines


def test_frr_leaves_cannot_relay_into_another_vrf():
    """vm-150 on azl-b's FRR pair (rack 11) with its server in VRF ove: the rule names the FRR leaves."""
    result = _build({"op": "set", "path": "networks[vm-150].dhcp", "value": {"enabled": True, "servers": ["10.10.0.5"]}})
    found = _relay_findings(result)
    assert [f["path"] for f in found] == ["networks[vm-150].dhcp.servers[0]"]
    assert "VRF ove" in found[0]["message"] and "frr" in found[0]["message"] and found[0]["related"] == ["networks[ove-mgmt]"]


def test_frr_relay_runs_inside_the_gateway_vrf():
    """vm-150 (prod) relayed by leaf11a to Kea in prod: the relay files are prod's instance, upstream its L3 VNI."""
    result = _build({"op": "set", "path": "networks[vm-150].dhcp", "value": {"enabled": True, "servers": ["10.13.0.11"]}})
    assert not _relay_findings(result)
    files = result["files"]
    assert "switches/leaf11a.isc-dhcp-relay" not in files       # the default VRF relays nothing
    text = files["switches/leaf11a.isc-dhcp-relay-prod"]
    assert "ip vrf exec prod dhcrelay" in text and 'SERVERS="10.13.0.11"' in text
    assert 'OPTIONS="-id vlan150 -iu vlan3002"' in text


def test_server_behind_the_exit():
    """A server outside the fabric is reached through prod's exit (wan1 accepts 10.0.0.0/23, fw1 the default
    route); ove's exit (fw1) accepts the default route too, so only a VRF without a route to it is refused."""
    reached = _build({"op": "set", "path": "networks[vm-100].dhcp.servers", "value": ["10.0.0.67", "fd00:13::b"]})
    assert not _relay_findings(reached)
    no_default = _build({"op": "set", "path": "networks[vm-100].dhcp.servers", "value": ["198.51.100.5", "fd00:13::b"]},
                        {"op": "set", "path": "external_peers[fw1].vrfs[vrf=prod].accept_default", "value": False})
    assert [f["path"] for f in _relay_findings(no_default)] == ["networks[vm-100].dhcp.servers[0]"]
