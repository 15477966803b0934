"""The explained path (dcnet.fabric.path) checked against a real FRR fabric in network namespaces:
the leaf and spine the packets cross, the largest packet that passes, the FRR verification commands.
Needs root, FRR and network namespaces; skips with the exact reason otherwise."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import fabric_lab  # noqa: E402
import path_lab  # noqa: E402

REASON = fabric_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module")
def seen():
    return path_lab.run(f"dcnet-pth-{os.getpid()}")


def _path(seen, direction):
    return next(p for p in seen["explained"]["paths"] if p["direction"] == direction)


def test_nothing_left(seen):
    assert seen["teardown_problems"] == [] and seen["leftovers"] == []


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_devices_crossed_match_the_explanation(seen, direction):
    """Per direction: the packets enter the explained first leaf, cross exactly one spine among the explained
    equal-cost candidates, and leave by the explained last leaf; no other switch carries them."""
    assert seen["pings_ok"]
    path = _path(seen, direction)
    assert path["status"] == "complete"
    first_leaf = next(h for h in path["hops"] if h["kind"] == "leaf-ingress")["device"]
    last_leaf = next(h for h in path["hops"] if h["kind"] == "leaf-egress")["device"]
    uplink = next(h for h in path["hops"] if h["kind"] == "uplink")      # the leaf's equal-cost choice of spine
    spine_hop = next(h for h in path["hops"] if h["kind"] == "spine")    # the spine's choice of leaf
    # a spine interface facing the first leaf receives this direction's packets
    spines = sorted({key.split(":")[0] for key in seen["rx_bytes"]
                     if key in seen["links"] and seen["links"][key] == first_leaf and key.startswith("spine")})
    assert len(spines) == 1, seen["rx_bytes"]
    assert spines[0] in uplink["choice"]["candidates"] and uplink["choice"]["chosen"] is None
    assert last_leaf in spine_hop["choice"]["candidates"]
    # the last leaf receives them from that spine
    assert any(seen["links"].get(key) == spines[0] and key.startswith(last_leaf + ":") for key in seen["rx_bytes"])
    crossed = {key.split(":")[0] for key in seen["rx_bytes"]}
    explained = {h["device"] for h in path["hops"]} | set(uplink["choice"]["candidates"])
    assert crossed <= explained


def test_largest_packet_matches_the_path_mtu(seen):
    mtu = seen["mtu"]
    predicted = mtu["predicted"]
    # h1 sends 9000-byte packets on net-a; net-b's SVI on leaf02 is 1500: a routed hop, so ICMP "frag needed"
    assert predicted["sender_mtu"] == 9000 and predicted["path_mtu"] == 1500 and not predicted["silent_drop"]
    assert mtu["largest_passes"] and mtu["one_more_fails"], mtu
    assert "mtu = 1500" in mtu["one_more_output"] or "mtu=1500" in mtu["one_more_output"] or \
        "Frag needed" in mtu["one_more_output"], mtu


def test_frr_verification_commands_show_what_the_explanation_says(seen):
    assert len(seen["verify"]) >= 4
    failed = [v for v in seen["verify"] if not v["matched"]]
    assert not failed, failed
