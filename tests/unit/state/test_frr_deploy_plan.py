"""deploy/frr.py without FRR: plan parsing, secret masking, and the order of steps (fake runner).

The end-to-end behaviour against real FRR is in tests/integration/lab/.
"""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr

# Output of frr-reload.py --test as FRR 8.4 prints it (captured in the lab).
TEST_OUTPUT = """
Lines To Delete
===============
router bgp 65101
 no neighbor SPINES remote-as 65000

Lines To Add
============
frr version 8.4
service integrated-vtysh-config
router bgp 65101
 neighbor SPINES remote-as 65001
router bgp 65101
 neighbor 10.10.10.11 password s3cret
"""

EMPTY_OUTPUT = "\nLines To Delete\n===============\n\nLines To Add\n============\n"


def test_parse_plan_drops_file_only_lines():
    plan = frr.parse_plan(TEST_OUTPUT)
    assert plan.delete == ["router bgp 65101", " no neighbor SPINES remote-as 65000"]
    assert plan.add == ["router bgp 65101", " neighbor SPINES remote-as 65001", "router bgp 65101",
                        " neighbor 10.10.10.11 password s3cret"]
    assert frr.parse_plan(EMPTY_OUTPUT).empty


def test_prepared_diff_masks_passwords():
    text = frr.parse_plan(TEST_OUTPUT).prepared_diff()
    assert "s3cret" not in text
    assert "+  neighbor 10.10.10.11 password ********" in text
    assert text.startswith("- router bgp 65101\n-  no neighbor SPINES remote-as 65000\n+ router bgp 65101\n")


class FakeFrr:
    """Answers like vtysh/frr-reload.py; records the calls."""

    def __init__(self, check_rc=0, check_out="", reload_rc=0, plans=(TEST_OUTPUT, EMPTY_OUTPUT)):
        self.calls, self.check_rc, self.check_out, self.reload_rc = [], check_rc, check_out, reload_rc
        self.plans = list(plans)

    def __call__(self, argv, data=None):
        self.calls.append(argv)
        if "-C" in argv:
            return self.check_rc, self.check_out, ""
        if "--test" in argv:
            return 0, self.plans.pop(0) if len(self.plans) > 1 else self.plans[0], ""
        if "--reload" in argv:
            rc, self.reload_rc = self.reload_rc, 0      # the rollback reload succeeds
            return rc, "", "line 2: Failure to communicate[13] to bgpd" if rc else ""
        if "show running-config" in argv:
            return 0, "Building configuration...\n\nCurrent configuration:\n!\nhostname x\nend\n", ""
        raise AssertionError(argv)

    def kinds(self):
        return [next(k for k in ("-C", "--test", "--reload", "show running-config") if k in a) for a in self.calls]


TARGET = frr.FrrTarget(pathspace="lab-leaf01a", vtysh="/v", reload="/r")


def test_check_mode_plans_only():
    fake = FakeFrr()
    result = frr.deploy(TARGET, "hostname x\n", check_mode=True, runner=fake)
    assert result["changed"] and not result["applied"]
    assert fake.kinds() == ["-C", "--test"]
    assert fake.calls[1][:3] == ["/r", "-N", "lab-leaf01a"]


def test_apply_then_verify():
    fake = FakeFrr()
    result = frr.deploy(TARGET, "hostname x\n", runner=fake)
    assert result["applied"] and result["changed"]
    assert fake.kinds() == ["-C", "--test", "show running-config", "--reload", "--test"]


def test_nothing_to_do_is_unchanged():
    fake = FakeFrr(plans=(EMPTY_OUTPUT,))
    result = frr.deploy(TARGET, "hostname x\n", runner=fake)
    assert not result["changed"] and not result["applied"]
    assert fake.kinds() == ["-C", "--test"]


def test_validation_failure_touches_nothing():
    fake = FakeFrr(check_rc=2, check_out="line 3: % Unknown command[25]:  neighbour 10.1.1.1 remote-as 1\n")
    with pytest.raises(frr.DeployError, match=r"rejected by vtysh -C \(nothing was changed\):\nline 3: % Unknown"):
        frr.deploy(TARGET, "x\n", runner=fake)
    assert fake.kinds() == ["-C"]


def test_reload_failure_rolls_back():
    fake = FakeFrr(reload_rc=1, plans=(TEST_OUTPUT, EMPTY_OUTPUT))
    with pytest.raises(frr.DeployError) as err:
        frr.deploy(TARGET, "hostname x\n", runner=fake)
    assert "rolled back (previous running config restored)" in str(err.value)
    assert "Failure to communicate[13] to bgpd" in str(err.value)
    assert fake.kinds() == ["-C", "--test", "show running-config", "--reload", "--reload", "--test"]


def test_residual_difference_is_reported():
    residual = "\nLines To Delete\n===============\nrouter bgp 1\n no neighbor X bfd\n\nLines To Add\n============\n"
    fake = FakeFrr(plans=(TEST_OUTPUT, residual))
    with pytest.raises(frr.DeployError, match="not idempotent") as err:
        frr.deploy(TARGET, "hostname x\n", runner=fake)
    assert err.value.details["applied"] is True
    assert err.value.details["residual"]["delete"] == ["router bgp 1", " no neighbor X bfd"]
