"""NMState trunk-tags: consecutive VLANs become one id-range entry (200 VM VLANs -> 1 entry)."""

from ansible_collections.dcnet.fabric.plugins.module_utils.render.nmstate import trunk_tags


def test_runs_and_singletons():
    assert trunk_tags([102, 100, 101, 200, 300, 301]) == [
        {"id-range": {"min": 100, "max": 102}}, {"id": 200}, {"id-range": {"min": 300, "max": 301}}]


def test_covers_exactly_the_input():
    vlans = [5, 7, 8, 9, 4094, 1, 2]
    covered = set()
    for tag in trunk_tags(vlans):
        span = tag.get("id-range")
        covered |= set(range(span["min"], span["max"] + 1)) if span else {tag["id"]}
    assert covered == set(vlans)
    assert trunk_tags([]) == []
