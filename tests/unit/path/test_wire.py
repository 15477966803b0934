"""Header stacks add up to the overheads mtu.py defines (one source of the MTU arithmetic)."""

from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as mtumath
from ansible_collections.dcnet.fabric.plugins.module_utils.path import wire

FLOW = {"src_ip": "10.0.0.1", "dst_ip": "10.0.0.2", "proto": 6, "src_port": 1000, "dst_port": 443}


def test_vxlan_stack_is_the_vxlan_overhead():
    stack = wire.vxlan("10.253.0.1", "10.253.0.2", 10100) + wire.inner(4, FLOW)
    assert wire.encap_bytes(stack) == mtumath.VXLAN_OVERHEAD == 50
    # the outer Ethernet header is not counted against the IP MTU, the rest is
    assert wire.l3_size(stack, 1500) == 1550
    assert wire.frame_size(stack, 1500) == 1564


def test_geneve_stack_is_the_ovn_kubernetes_reservation():
    for fam in (4, 6):
        stack = [wire.ethernet()] + wire.geneve(fam, "a", "b", mtumath.OVN_K_OVERHEAD) + wire.inner(fam, FLOW)
        assert wire.encap_bytes(stack) == mtumath.OVN_K_OVERHEAD
        assert wire.l3_size(stack, 8900) == 9000


def test_tagged_frame_and_ping_sizes():
    stack = [wire.ethernet(), wire.dot1q(100)] + wire.inner(4, FLOW)
    assert wire.encap_bytes(stack) == 0
    assert wire.frame_size(stack, 1500) == mtumath.frame_size(1500, 1) == 1518
    assert wire.ping_payload(4, 1500) == 1472 and wire.ping_payload(6, 1500) == 1452
