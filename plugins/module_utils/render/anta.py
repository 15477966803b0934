"""The post-deploy checks of an EOS switch as an ANTA catalogue (Arista Network Test Automation).

Each neutral check of design/verification.py becomes the ANTA tests that verify it, with the inputs
ANTA's own models take (module -> list of {TestName: inputs}); ``result_overwrite.custom_field`` carries
the neutral check id, so an ANTA result reads back to the check it proves.  The file is run against the
one device it is named after (``anta nrfu --catalog catalogues/<device>.anta.yml``); tests that only read
the switch's own consistency (MLAG and VXLAN config-sanity) need no inputs.
"""

from __future__ import annotations

_SAFI = {"ipv4": "unicast", "ipv6": "unicast"}


def _test(name, check_id, **inputs):
    return {name: dict(inputs, result_overwrite={"custom_field": f"dcnet:{check_id}"})}


def _bgp(check):
    tests = []
    for kind in sorted({p["kind"] for p in check["expect"]["peers"]}):
        peers = [p for p in check["expect"]["peers"] if p["kind"] == kind]
        families = {}
        for peer in peers:
            if peer["address"] is None:
                continue
            for fam in peer["families"]:
                families.setdefault((fam, peer["vrf"]), []).append(peer["address"])
        afs = []
        for (fam, vrf), addresses in families.items():
            af = {"afi": fam}
            if fam in _SAFI:
                af["safi"] = _SAFI[fam]
            af["vrf"] = vrf
            af["peers"] = addresses
            afs.append(af)
        if afs:
            tests.append(_test("VerifyBGPSpecificPeers", f"bgp-sessions:{kind}", address_families=afs))
        by_interface = [{"interface": p["interface"], "vrf": p["vrf"]} for p in peers if p["address"] is None]
        if by_interface:
            tests.append(_test("VerifyBGPPeerSession", f"bgp-sessions:{kind}", bgp_peers=by_interface))
    return {"anta.tests.routing.bgp": tests}


def _bfd(check):
    peers = [p for p in check["expect"]["peers"] if p["address"] is not None]
    return {"anta.tests.bfd": [
        _test("VerifyBFDSpecificPeers", check["id"], bfd_peers=[{"peer_address": p["address"], "vrf": p["vrf"]} for p in peers]),
        _test("VerifyBFDPeersIntervals", check["id"], bfd_peers=[
            {"peer_address": p["address"], "vrf": p["vrf"], "tx_interval": p["interval_ms"], "rx_interval": p["interval_ms"],
             "multiplier": p["multiplier"]} for p in peers]),
    ]}


def _mlag(check):
    return {"anta.tests.mlag": [_test("VerifyMlagStatus", check["id"]), _test("VerifyMlagConfigSanity", check["id"]),
                                _test("VerifyMlagInterfaces", check["id"])]}


def _reload_delay(check):
    return {"anta.tests.mlag": [_test("VerifyMlagReloadDelay", check["id"], **check["expect"])]}


def _interfaces(check):
    return {"anta.tests.interfaces": [_test("VerifyInterfacesStatus", check["id"], interfaces=check["expect"]["interfaces"])]}


def _vnis(check):
    bindings = {b["vni"]: b["vlan"] for b in check["expect"]["bindings"]}
    return {"anta.tests.vxlan": [_test("VerifyVxlan1Interface", check["id"]), _test("VerifyVxlanConfigSanity", check["id"]),
                                 _test("VerifyVxlanVniBinding", check["id"], bindings=bindings)]}


def _vteps(check):
    return {"anta.tests.vxlan": [_test("VerifyVxlanVtep", check["id"], vteps=check["expect"]["remote"])]}


def _gateway_mac(check):
    return {"anta.tests.interfaces": [_test("VerifyIpVirtualRouterMac", check["id"], mac_address=check["expect"]["mac"])]}


BY_CHECK = {
    "bgp-sessions": _bgp, "bfd-peers": _bfd, "mlag": _mlag, "mlag-reload-delay": _reload_delay,
    "interfaces-fabric": _interfaces, "interfaces-hosts": _interfaces, "vxlan-vnis": _vnis, "vxlan-vteps": _vteps,
    "gateway-mac": _gateway_mac,
}


def catalogue(checks: dict) -> dict:
    """{ANTA test module: [{TestName: inputs}]} for one device's checks (design/verification.switch_checks)."""
    out = {}
    for check in checks["checks"]:
        for module, tests in BY_CHECK[check["id"]](check).items():
            out.setdefault(module, []).extend(tests)
    return out
