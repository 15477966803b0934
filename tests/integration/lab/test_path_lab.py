"""The explained path (dcnet.fabric.path) checked against a real FRR fabric in network namespaces:
the leaf and spine the packets cross, the largest packet that passes, the FRR verification commands.
Needs root, FRR, nftables and network namespaces; skips with the exact reason otherwise."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import path_lab  # noqa: E402

REASON = path_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module")
def seen():
    return path_lab.run(f"dcnet-pth-{os.getpid()}")


def _path(seen, direction):
    return next(p for p in seen["explained"]["paths"] if p["direction"] == direction)


def test_nothing_left(seen):
    assert seen["teardown_problems"] == [] and seen["leftovers"] == []


def test_probe_ran_on_a_converged_stable_fabric(seen):
    """The count is taken on the converged fabric (every BGP/BFD session up, every host route on the next hops the
    design implies, the leaves' at full ECMP) and nothing changed while it ran."""
    assert seen["stable"], seen["attempts"]
    assert all(len(hops) == 2 for prefix_hops in (seen["expected_next_hops"]["leaf01"],
                                                  seen["expected_next_hops"]["leaf02"]) for hops in prefix_hops.values())
    assert seen["pings_ok"] and seen["received"] == path_lab.PINGS


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_devices_crossed_match_the_explanation(seen, direction):
    """Per direction, every probe packet (and nothing else: the counters match the probe's ICMP type and size only)
    enters the explained first leaf from the host, crosses exactly one spine among the explained equal-cost
    candidates, and reaches the explained last leaf from that spine; no other switch interface sees any."""
    assert seen["stable"], seen["attempts"]
    path = _path(seen, direction)
    assert path["status"] == "complete"
    first_leaf = next(h for h in path["hops"] if h["kind"] == "leaf-ingress")["device"]
    last_leaf = next(h for h in path["hops"] if h["kind"] == "leaf-egress")["device"]
    uplink = next(h for h in path["hops"] if h["kind"] == "uplink")      # the leaf's equal-cost choice of spine
    spine_hop = next(h for h in path["hops"] if h["kind"] == "spine")    # the spine's choice of leaf
    counts = seen["probe"][direction]
    # every counted interface saw every probe packet: one path, no split, no loss
    assert set(counts.values()) == {path_lab.PINGS}, counts
    entered = [key for key in counts if key.startswith(first_leaf + ":") and key not in seen["links"]]
    assert len(entered) == 1, counts                                      # from the host, on the first leaf
    spines = [key for key in counts if seen["links"].get(key) == first_leaf]
    assert len(spines) == 1, counts                                       # one spine, from the first leaf
    spine = spines[0].split(":")[0]
    assert spine in uplink["choice"]["candidates"] and uplink["choice"]["chosen"] is None
    assert last_leaf in spine_hop["choice"]["candidates"]
    arrived = [key for key in counts if key.startswith(last_leaf + ":") and seen["links"].get(key) == spine]
    assert len(arrived) == 1, counts                                      # the last leaf, from that spine
    assert len(counts) == 3, counts                                       # and nowhere else
    explained = {h["device"] for h in path["hops"]} | set(uplink["choice"]["candidates"])
    assert {key.split(":")[0] for key in counts} <= explained


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
