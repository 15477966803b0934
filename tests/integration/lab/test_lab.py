"""The FRR lab end to end (tests/lab/run_lab.py): render examples/small, build namespaces, deploy the
rendered switch configs with the frr_deploy role, check mode, idempotence, fabric_state on a good and
a broken config, failover timing, MTU probe, teardown. Needs root, FRR and network namespaces; skips
with the exact reason otherwise."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import fabric_lab  # noqa: E402

REASON = fabric_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def test_lab_end_to_end(tmp_path):
    prefix = f"dcnet-pt-{os.getpid()}"
    configs = os.environ.get("DCNET_LAB_CONFIGS") or "auto"    # handwritten: the lab's own underlay configs
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "lab", "run_lab.py"), "--prefix", prefix,
                           "--configs", configs],
                          capture_output=True, text=True, timeout=600, check=False)
    # Whatever happened, nothing of the lab is left behind.
    assert fabric_lab.leftovers(prefix) == []
    with open(os.path.join(ROOT, "build", "lab", "results.json"), encoding="utf-8") as handle:
        results = json.load(handle)
    assert results["prefix"] == prefix
    failed = [f"{s['step']}: {s['detail']}" for s in results["steps"] if not s["ok"]]
    assert not failed, "lab steps failed:\n" + "\n".join(failed) + "\n--- output tail ---\n" + proc.stdout[-3000:]
    assert proc.returncode == 0
    names = [s["step"] for s in results["steps"]]
    for needed in ("deploy again: changed=0", "fabric_state on the deployed fabric passes",
                   "invalid config: fails with FRR's message, running config unchanged"):
        assert needed in names
    assert any(n.startswith("wrong peer AS") for n in names)
    silent = next(f for f in results["failover"] if f["how"] == "silent")
    assert silent["converged_ms"] is not None and silent["bfd_diagnostic"] == ["control detection time expired"]
    assert all(p["ping_ok_passed"] and p["ping_plus_one_failed"] for p in results["mtu_probe"])


def test_killed_run_leaves_nothing():
    """SIGTERM in the middle of a run (FRR up, deploying): teardown still removes everything."""
    import signal
    import time

    prefix = f"dcnet-kt-{os.getpid()}"
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "lab", "run_lab.py"), "--prefix", prefix,
                             "--skip-render" if os.path.isdir(os.path.join(ROOT, "build", "small", "structured"))
                             else "--configs=auto"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not os.path.exists(f"/var/run/frr/{prefix}-spine1/bgpd.pid"):
        time.sleep(0.1)
    assert os.path.exists(f"/var/run/frr/{prefix}-spine1/bgpd.pid"), "the lab did not come up within 60 s"
    assert fabric_lab.leftovers(prefix)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) != 0
    assert fabric_lab.leftovers(prefix) == []
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _in_lab(p, prefix)]


def _in_lab(pid, prefix):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return prefix.encode() in handle.read()
    except OSError:
        return False
