"""deploy/frr.py against one real FRR 8.4 instance in a network namespace (no fabric needed).

The config is the lab's hand-written underlay of spine1 (tests/lab/handwritten.py) over the structured
config captured in tests/unit/state/fixtures; the point is the deploy mechanics: check mode changes
nothing, apply, idempotence, a rejected config and a failing reload leave the running config as it was.
"""

import json
import os
import sys

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import fabric_lab  # noqa: E402
import handwritten  # noqa: E402

REASON = fabric_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
FIX = os.path.join(ROOT, "tests", "unit", "state", "fixtures", "small")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    with open(os.path.join(FIX, "structured.json"), encoding="utf-8") as handle:
        switches = json.load(handle)
    state = str(tmp_path_factory.mktemp("lab") / "state.json")
    lab = fabric_lab.Lab({"spine1": switches["spine1"]}, state, prefix=f"dcnet-dt-{os.getpid()}")
    config = handwritten.underlay_config(switches["spine1"])
    try:
        lab.up({"spine1": config})
        yield frr.FrrTarget(pathspace=lab.ns("spine1")), config
    finally:
        assert fabric_lab.teardown(state) == []
        assert fabric_lab.leftovers(lab.prefix) == []


def test_check_mode_then_apply_then_idempotent(instance):
    target, config = instance
    before = frr.running_config(target)
    planned = frr.deploy(target, config, check_mode=True)
    assert planned["changed"] and not planned["applied"]
    assert " neighbor LEAVES remote-as external" in planned["plan"]["add"]
    assert frr.running_config(target) == before
    applied = frr.deploy(target, config)
    assert applied["applied"] and applied["changed"]
    assert "router bgp 65000" in frr.running_config(target)
    again = frr.deploy(target, config)
    assert not again["changed"] and again["plan"] == {"delete": [], "add": []}


def test_rejected_config_changes_nothing(instance):
    target, config = instance
    frr.deploy(target, config)
    before = frr.running_config(target)
    with pytest.raises(frr.DeployError) as err:
        frr.deploy(target, config.replace(" bgp router-id", " bgp router-idd"))
    assert "rejected by vtysh -C (nothing was changed)" in str(err.value)
    assert "% Unknown command" in str(err.value) and "bgp router-idd" in str(err.value)
    assert frr.running_config(target) == before


def test_failed_reload_is_rolled_back(instance):
    target, config = instance
    frr.deploy(target, config)
    before = frr.running_config(target)
    # Parses (vtysh -C accepts it), but bgpd refuses a remote-as on a member of a 'remote-as external' group.
    bad = config.replace(" neighbor 10.254.0.1 peer-group LEAVES",
                         " neighbor 10.254.0.1 peer-group LEAVES\n neighbor 10.254.0.1 remote-as 64999")
    assert frr.validate(target, bad) == []
    with pytest.raises(frr.DeployError) as err:
        frr.deploy(target, bad)
    assert "rolled back (previous running config restored)" in str(err.value)
    assert "neighbor 10.254.0.1 remote-as 64999" in str(err.value)
    assert frr.running_config(target) == before
