"""Drift on a live FRR fabric with an Open vSwitch edge (tests/lab/drift_lab.py): four faults made by hand
with ovs-vsctl and one with vtysh are reported by playbooks/drift.yml with the model checks' rule ids and
both ends. Needs root, network namespaces, FRR and Open vSwitch; skips with the exact reason otherwise.
~30 s on an idle machine."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import drift_lab  # noqa: E402
import fabric_lab  # noqa: E402

REASON = drift_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

LEAF_A, LEAF_B = "fabric.leaf_pairs[1].leaves[0]", "fabric.leaf_pairs[1].leaves[1]"
W1, W2 = "clusters[ove-small].nodes[ove-w1]", "clusters[ove-small].nodes[ove-w2]"


@pytest.fixture(scope="module", name="lab")
def _lab():
    prefix = f"dcnet-dr-{os.getpid()}"
    out = drift_lab.run(prefix)
    assert fabric_lab.leftovers(prefix) == [] and out["teardown"] == []
    return out


def test_the_lab_matches_the_design_before_the_faults(lab):
    assert lab["lacp_before"] == {"ove-w1": ["ens1f0", "ens1f1"], "ove-w2": ["ens1f0", "ens1f1"]}
    assert lab["bgp_before"] == {"10.254.0.0": "Established", "10.254.0.2": "Established"}
    code, out, result = lab["before"]
    assert code == 0 and result["findings"] == [], out


def test_each_fault_is_reported_with_both_ends(lab):
    code, out, result = lab["after"]
    assert code != 0, out
    found = {(f["rule"], f["path"], tuple(f["related"][:1])) for f in result["findings"]}
    expected = {
        ("VLAN003", f"{W2}.nics[ens1f0]", (LEAF_A,)),   # trunk: leaf01a swp2 lost VLAN 30
        ("VLAN004", f"{W1}.nics[ens1f1]", (LEAF_B,)),   # native VLAN 10 gone from leaf01b swp1, the host's only
        ("BOND001", f"{W1}.nics[ens1f0]", (LEAF_A,)),   # leaf01a swp1 out of its LACP port-channel
        ("MTU003", f"{W2}.nics[ens1f1]", (LEAF_B,)),    # leaf01b swp2 at MTU 1500 under a 9000 host
        ("BGP002", f"{LEAF_A} <-> fabric.spines[spine1]", ("fabric.spines[spine1]",)),   # remote AS by vtysh
        ("BGP002", f"{LEAF_A} <-> fabric.spines[spine2]", ("fabric.spines[spine2]",)),
    }
    assert expected <= found, "\n".join(sorted(map(str, found)))
    text = "\n".join(f["message"] for f in result["findings"])
    assert "leaf01a swp2 does not allow network(s) livemig" in text
    assert "host sends native VLAN 10 but leaf01b swp1 has native VLAN none" in text
    assert "leaf01a swp1 is a plain port (no port-channel)" in text
    assert "exceed leaf01b swp2 MTU 1500" in text
    assert "leaf01a expects AS 65099 from spine1, which runs AS 65000" in text


def test_the_faults_are_real(lab):
    """The same faults seen by Open vSwitch and FRR themselves: VLAN 30 dropped, the host's untagged machine network
    dropped, the LACP member detached, the spine sessions down."""
    assert "dropping VLAN 30 packet received on port swp2 not configured for trunking VLAN 30" in lab["trace_vlan30"]
    assert "dropping VLAN 0 packet received on port swp1 not configured for trunking VLAN 0" in lab["trace_untagged"]
    assert lab["lacp_after"]["ove-w1"] == ["ens1f1"]
    assert lab["bgp_after"] and "Established" not in lab["bgp_after"].values()
