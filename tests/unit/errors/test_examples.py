"""The bundled examples pass the checks, and one injected fault per rule family is found exactly.

examples/dc1 is the bundled datacenter: it must have no error and no warning (waived findings
aside). A copy with one fault per family (MTU, VLAN, bonds, BGP, dual-stack, DHCP, waivers) must
yield exactly the findings listed, one fault at a time and all at once.
"""

from __future__ import annotations

import os

import pytest

from .harness import ROOT, example, new_findings, run

SMALL_WARNINGS = set()  # MTU005 (the OVE machine network of small is 1500) is waived in the example


def _has_dc1():
    return os.path.isdir(os.path.join(ROOT, "examples", "dc1", "inventory", "group_vars", "all"))


def _severe(findings):
    return sorted((f.rule, f.path) for f in findings if f.severity in ("error", "warning"))


def test_small_has_no_errors():
    stage, findings = run(example("small"))
    assert stage == "checks"
    assert not [f for f in findings if f.severity == "error"], [str(f) for f in findings]
    assert set(_severe(findings)) == SMALL_WARNINGS, [str(f) for f in findings]


@pytest.mark.skipif(not _has_dc1(), reason="examples/dc1 is not in this checkout")
def test_dc1_is_clean():
    stage, findings = run(example("dc1"))
    assert stage == "checks", [str(f) for f in findings]
    assert _severe(findings) == [], "\n".join(str(f) for f in findings if f.severity != "info")


def _waiver_index():
    return len(example("dc1").get("waivers") or [])


def _faults():
    n = _waiver_index()
    return {
        "mtu": ([{"op": "set", "path": "networks[ove-storage].mtu", "value": 1500}],
                [("MTU004", "networks[ove-storage].mtu")]),
        "vlan": ([{"op": "set", "path": "networks[vm-101].vlan", "value": 4094}],
                 [("VLAN007", "networks[vm-101].vlan")]),
        "bond": ([{"op": "set", "path": "bond_profiles[lacp-25g].xmit_hash_policy", "value": "layer2"}],
                 [("BOND005", "bond_profiles[lacp-25g].xmit_hash_policy")]),
        "bgp": ([{"op": "set", "path": "fabric.bgp.keepalive", "value": 5}],
                [("BGP003", "fabric.bgp.keepalive")]),
        "dualstack": ([{"op": "delete", "path": "clusters[ove-prod].metallb.pools[prod-vips].ipv6"}]
                      + [{"op": "delete", "path": f"clusters[ove-prod].metallb.pools[prod-vips].vips[{vip}].ipv6"}
                         for vip in ("api", "apps")],
                      [("DS003", "clusters[ove-prod].metallb.pools[prod-vips]")]),
        "dhcp": ([{"op": "set", "path": "networks[infra-mgmt].dhcp",
                   "value": {"enabled": True, "servers": ["10.13.0.11"], "range4": "10.13.0.10-10.13.0.50"}}],
                 [("DHCP002", "networks[infra-mgmt].dhcp.range4")]),
        "waivers": ([{"op": "append", "path": "waivers",
                      "value": {"rule": "MTU004", "path": "networks[ove-storage].mtu", "reason": "test",
                                "expires": "2026-01-31"}}],
                    [("WAIVE002", f"waivers[{n}]")]),
    }


@pytest.mark.skipif(not _has_dc1(), reason="examples/dc1 is not in this checkout")
@pytest.mark.parametrize("family", ["mtu", "vlan", "bond", "bgp", "dualstack", "dhcp", "waivers"])
def test_dc1_one_fault_per_family(family):
    mutation, expected = _faults()[family]
    added, everything = new_findings("dc1", mutation)
    assert added == sorted(expected), "\n".join(str(f) for f in everything if f.severity != "info")


@pytest.mark.skipif(not _has_dc1(), reason="examples/dc1 is not in this checkout")
def test_dc1_all_faults_at_once():
    mutation, expected = [], []
    for ops, found in _faults().values():
        mutation += ops
        expected += found
    added, everything = new_findings("dc1", mutation)
    assert added == sorted(expected), "\n".join(str(f) for f in everything if f.severity != "info")
