"""A day-2 plan applied phase by phase on a live FRR + Open vSwitch lab (tests/lab/plan_lab.py, issue #16).

VLAN 500 is added to the OVE cluster of examples/small while a 10 ms ping probe runs between two
stand-in VMs on the existing VLAN 100: zero loss; VLAN 500 passes only after the switch phases and
the host phase; the host phase applied first is refused by the plan's gate; the reverse plan removes
VLAN 500 again, with zero loss on VLAN 100.  Needs root, network namespaces, FRR and Open vSwitch;
skips with the exact reason otherwise.  ~60 s on an idle machine."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import fabric_lab  # noqa: E402
import plan_lab  # noqa: E402

REASON = plan_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module", name="lab")
def _lab():
    prefix = f"dcnet-pl-{os.getpid()}"
    out = plan_lab.run(prefix)
    assert fabric_lab.leftovers(prefix) == [] and out["teardown"] == []
    return out


def test_the_plan_is_switches_then_hosts_then_nads(lab):
    domains = [p["domain"] for p in lab["plan"]["phases"]]
    assert domains == ["switch", "switch", "host", "cluster", "vm"]
    assert [p["domain"] for p in lab["back"]["phases"]] == ["vm", "cluster", "host", "switch", "switch"]


def test_zero_loss_on_the_existing_vlan(lab):
    probe = lab["probe"]
    assert probe["sent"] > 500 and probe["lost"] == 0, probe
    assert lab["vlan100_after_forward"]


def test_the_new_vlan_passes_only_after_switch_and_host_phases(lab):
    assert lab["vlan500_before"] is False
    after = lab["vlan500_after"]
    host = next(n for n, (domain, _ok) in after.items() if domain == "host")
    assert all(ok is False for n, (_d, ok) in after.items() if n < host)
    assert all(ok is True for n, (_d, ok) in after.items() if n >= host)


def test_the_host_phase_first_is_refused_by_the_gate(lab):
    assert lab["wrong_order"].startswith("phase 3 ") and "refused" in lab["wrong_order"]
    assert "VLANs [500] not carried yet" in lab["wrong_order"]
    assert all(500 not in vlans for vlans in lab["host_trunks_after_refusal"].values())


def test_the_reverse_plan_removes_the_vlan(lab):
    assert lab["vlan500_after_reverse"] is False
    assert any(line.startswith("phase 5 applied: switch side: remove/lower prefix-list") for line in lab["log"])
