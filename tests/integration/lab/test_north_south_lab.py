"""North-south on FRR (issue #14 proof): the border pair leaf01a/leaf01b of examples/small with tenants
(examples/small/inventory/group_vars/all/north_south.yml: VRFs infra and prod, WAN router wan1 on a sub-interface
per VRF), its VRFs and the WAN router in network namespaces.

What stands for what (tests/lab/north_south_lab.py says how each is built):

* each border leaf's VRF (leaf01a-infra, leaf01a-prod, leaf01b-infra, leaf01b-prod) is a namespace running FRR
  with the leaf's RENDERED frr.conf reduced to that VRF (its ``router bgp 65101 vrf <vrf>`` block as the
  namespace's BGP instance, the rendered prefix lists, community lists, route maps and BFD profile; BGP
  passwords injected by the collection's deploy code), and the VRF's interfaces from the RENDERED ifupdown2
  file: SVIs vlan10 (infra), vlan100/vlan101 (prod) with the anycast gateway as a macvlan, sub-interfaces
  swp47.3101 (infra) and swp47.3102 (prod) as veths to wan1. No kernel VRF exists here: a VRF is a namespace;
* each network's VLAN across the MLAG pair is a bridge in a wire namespace joining both leaves' SVIs and the hosts;
* wan1 is a namespace with the hand-written FRR config below (AS 65500, one session per VRF, link and family,
  BFD, MD5, default route originated in both families, 203.0.113.0/24 and 2001:db8:113::/64 behind it);
* ext1 is a host behind wan1 (203.0.113.10, 2001:db8:113::10): "an address behind the external router";
* ove-w1 is the OVE node on the machine network mgmt (VRF infra) and stands for its MetalLB speaker: a
  hand-written FRR (AS 65200) peering with both leaves' SVI addresses and announcing the VIP 10.40.0.10/32 /
  fd00:40::10/128 (in the pool ``vips``) and 10.41.0.1/32 / fd00:41::1/128 (in no pool), the VIPs on its lo;
* web1 is a VM on vm-web (VRF prod), 10.100.0.10 / fd00:100::10.

Not in this lab: the default VRF (underlay, spines, MLAG peering; tests/integration/lab/test_lab.py), the overlay
(small has none: each VRF's gateways are all on the border pair).
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import north_south_lab  # noqa: E402

REASON = north_south_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

PASSWORD = "lab-md5-4711"
# wan1's ends of the transfer links: the odd address of each /31 and /127 (docs/north_south.md, exits table)
WAN1_LINKS = {"leaf01a.3101": ("10.199.1.1/31", "fd00:199:1::1/127"), "leaf01b.3101": ("10.199.1.3/31", "fd00:199:1::3/127"),
              "leaf01a.3102": ("10.199.2.1/31", "fd00:199:2::1/127"), "leaf01b.3102": ("10.199.2.3/31", "fd00:199:2::3/127")}
LEAF_ENDS = {"infra": ["10.199.1.0", "10.199.1.2", "fd00:199:1::", "fd00:199:1::2"],
             "prod": ["10.199.2.0", "10.199.2.2", "fd00:199:2::", "fd00:199:2::2"]}
WAN1 = "\n".join(
    ["frr defaults traditional", "hostname wan1", "log syslog informational", "!"]
    + [line for name, (v4, v6) in sorted(WAN1_LINKS.items())
       for line in (f"interface {name}", f" ip address {v4}", f" ipv6 address {v6}", "exit", "!")]
    + ["interface ext0", " ip address 203.0.113.1/24", " ipv6 address 2001:db8:113::1/64", "exit", "!",
       "router bgp 65500", " bgp router-id 192.0.2.1", " no bgp ebgp-requires-policy", " no bgp default ipv4-unicast",
       " no bgp network import-check"]
    + [line for fam in ("4", "6") for line in (
        f" neighbor BORDER{fam} peer-group", f" neighbor BORDER{fam} remote-as 65101",
        f" neighbor BORDER{fam} password {PASSWORD}", f" neighbor BORDER{fam} bfd", f" neighbor BORDER{fam} timers 3 9")]
    + [f" neighbor {ip} peer-group BORDER{6 if ':' in ip else 4}" for ends in LEAF_ENDS.values() for ip in ends]
    + [line for fam, afi, net in (("4", "ipv4", "203.0.113.0/24"), ("6", "ipv6", "2001:db8:113::/64")) for line in (
        f" address-family {afi} unicast", f"  network {net}", f"  neighbor BORDER{fam} activate",
        f"  neighbor BORDER{fam} default-originate", f"  neighbor BORDER{fam} soft-reconfiguration inbound",
        "  maximum-paths 8", " exit-address-family")]
    + ["exit", ""])
LEAF_SVI = {"leaf01a": ("10.10.10.254", "fd00:10::ffff:ffff:ffff:ffff"), "leaf01b": ("10.10.10.253", "fd00:10::ffff:ffff:ffff:fffe")}
SPEAKER = "\n".join(
    ["frr defaults traditional", "hostname ove-w1", "!", "router bgp 65200", " bgp router-id 10.10.10.11",
     " no bgp ebgp-requires-policy", " no bgp default ipv4-unicast", " no bgp network import-check"]
    + [line for addrs in LEAF_SVI.values() for ip in addrs for line in (
        f" neighbor {ip} remote-as 65101", f" neighbor {ip} password {PASSWORD}", f" neighbor {ip} bfd")]
    + [line for afi, nets, fam in (("ipv4", ("10.40.0.10/32", "10.41.0.1/32"), 0), ("ipv6", ("fd00:40::10/128", "fd00:41::1/128"), 1))
       for line in ([f" address-family {afi} unicast"] + [f"  network {n}" for n in nets]
                    + [f"  neighbor {addrs[fam]} activate" for addrs in LEAF_SVI.values()] + [" exit-address-family"])]
    + ["exit", ""])
SPEC = {
    "router": {"name": "wan1", "frr": WAN1,
               "behind": {"name": "ext1", "router_if": "ext0", "ipv4": "203.0.113.10/24", "ipv6": "2001:db8:113::10/64",
                          "gw4": "203.0.113.1", "gw6": "2001:db8:113::1"}},
    "hosts": [{"name": "ove-w1", "vlan": 10, "ipv4": "10.10.10.11/24", "ipv6": "fd00:10::b/64", "gw4": "10.10.10.1",
               "gw6": "fd00:10::1", "loopbacks": ["10.40.0.10/32", "fd00:40::10/128", "10.41.0.1/32", "fd00:41::1/128"],
               "frr": SPEAKER},
              {"name": "web1", "vlan": 100, "ipv4": "10.100.0.10/24", "ipv6": "fd00:100::10/64", "gw4": "10.100.0.1",
               "gw6": "fd00:100::1"}],
}
# what wan1 must receive per VRF and family: the VRF's aggregates (small: its subnets, none adjacent) and, in infra,
# the exported VIP the speaker announces; nothing else (not the transfer links, loopbacks, 10.41.0.1, the default)
EXPECTED_AT_WAN1 = {("infra", 4): ["10.10.10.0/24", "10.40.0.10/32"], ("infra", 6): ["fd00:10::/64", "fd00:40::10/128"],
                    ("prod", 4): ["10.100.0.0/24", "10.101.0.0/24"], ("prod", 6): ["fd00:100::/64", "fd00:101::/64"]}
# what each border leaf's VRF keeps in BGP: its own subnets (redistributed through the connected map), the default
# from wan1, infra the VIP from the speaker; no route of the other VRF, not wan1's 203.0.113.0/24
EXPECTED_AT_LEAF = {("infra", 4): ["0.0.0.0/0", "10.10.10.0/24", "10.40.0.10/32"],
                    ("infra", 6): ["::/0", "fd00:10::/64", "fd00:40::10/128"],
                    ("prod", 4): ["0.0.0.0/0", "10.100.0.0/24", "10.101.0.0/24"],
                    ("prod", 6): ["::/0", "fd00:100::/64", "fd00:101::/64"]}
BORDER = ("leaf01a", "leaf01b")


def _not_converged(lab):
    why = []
    sessions, bfd = lab.sessions("wan1"), lab.bfd("wan1")
    for ip in (ip for ends in LEAF_ENDS.values() for ip in ends):
        if sessions.get(ip) != "Established":
            why.append(f"wan1: BGP {ip} {sessions.get(ip)}")
        if bfd.get(ip) != "up":
            why.append(f"wan1: BFD {ip} {bfd.get(ip)}")
    for leaf in BORDER:
        state = lab.sessions(f"{leaf}-infra")
        why += [f"{leaf}-infra: speaker {ip} {state.get(ip)}" for ip in ("10.10.10.11", "fd00:10::b")
                if state.get(ip) != "Established"]
        for vrf, afi, default in (("infra", "ipv4", "0.0.0.0/0"), ("infra", "ipv6", "::/0"),
                                  ("prod", "ipv4", "0.0.0.0/0"), ("prod", "ipv6", "::/0")):
            if not lab.bgp_table(f"{leaf}-{vrf}", afi).get(default):
                why.append(f"{leaf}-{vrf}: no {default} yet")
    for (vrf, fam), want in EXPECTED_AT_WAN1.items():
        for ip in (i for i in LEAF_ENDS[vrf] if (":" in i) == (fam == 6)):
            got = lab.received("wan1", ip)
            if not set(want) <= set(got):       # arrived; that nothing else did is the tests' to judge
                why.append(f"wan1 from {ip}: {got}")
    return why


@pytest.fixture(scope="module")
def lab():
    rendered = north_south_lab.render(password=PASSWORD)
    assert north_south_lab.border_vrfs(rendered["structured"]) == {"leaf01a": ["infra", "prod"],
                                                                   "leaf01b": ["infra", "prod"]}
    built = north_south_lab.NorthSouthLab(f"dcnet-ns-{os.getpid()}", rendered, SPEC)
    try:
        built.up()
        built.converged_s = built.wait(lambda: _not_converged(built), 120, "BGP, BFD and routes at wan1")
        yield built
    finally:
        problems, leftovers = built.down()
        assert problems == [] and leftovers == []


def test_rendered_config_is_what_the_border_leaves_run(lab):
    """Each VRF namespace runs the rendered BGP instance of its VRF, with the rendered edge policy."""
    for leaf in BORDER:
        for vrf in ("infra", "prod"):
            loaded = lab.loaded[f"{leaf}-{vrf}"]
            assert "router bgp 65101\n" in loaded and f"RM-{vrf.upper()}-WAN1-OUT-V4" in loaded
            running = lab.vtysh(f"{leaf}-{vrf}", "show running-config")
            assert "neighbor EXT-WAN1 remote-as 65500" in running and "bfd profile fabric" in running


def test_every_session_up_with_bfd(lab):
    sessions, bfd = lab.sessions("wan1"), lab.bfd("wan1")
    ends = [ip for e in LEAF_ENDS.values() for ip in e]
    assert {ip: sessions.get(ip) for ip in ends} == {ip: "Established" for ip in ends}
    assert {ip: bfd.get(ip) for ip in ends} == {ip: "up" for ip in ends}


@pytest.mark.parametrize("vrf, fam", sorted(EXPECTED_AT_WAN1))
def test_external_router_receives_only_aggregates_and_vips(lab, vrf, fam):
    """wan1's view of each session (received routes, before any policy of its own): exactly the expected prefixes."""
    for ip in (i for i in LEAF_ENDS[vrf] if (":" in i) == (fam == 6)):
        assert lab.received("wan1", ip) == EXPECTED_AT_WAN1[(vrf, fam)], ip


@pytest.mark.parametrize("vrf, fam", sorted(EXPECTED_AT_LEAF))
def test_each_vrf_takes_only_the_default_route_from_outside(lab, vrf, fam):
    """The border leaves' VRF tables: own subnets, the VIP (infra), the default via wan1; nothing of the other VRF,
    nothing else wan1 sends (it sends 203.0.113.0/24 and re-advertises the other VRF's prefixes)."""
    default = "0.0.0.0/0" if fam == 4 else "::/0"
    afi = f"ipv{fam}"
    for leaf in BORDER:
        table = lab.bgp_table(f"{leaf}-{vrf}", afi)
        assert sorted(table) == EXPECTED_AT_LEAF[(vrf, fam)], (leaf, table)
        wan1_end = {"infra": {4: "10.199.1.", 6: "fd00:199:1::"}, "prod": {4: "10.199.2.", 6: "fd00:199:2::"}}[vrf][fam]
        assert table[default] and all(h.startswith(wan1_end) for h in table[default]), (leaf, table[default])
        assert "default" in lab.kernel_routes(f"{leaf}-{vrf}", fam)
    # wan1 does send more than the default: the leaves' inbound map is what keeps it out
    leaf_end = LEAF_ENDS[vrf][0 if fam == 4 else 2]
    sent = lab.vtysh_json("wan1", f"show bgp {afi} unicast neighbors {leaf_end} advertised-routes json", {}) or {}
    assert ("203.0.113.0/24" if fam == 4 else "2001:db8:113::/64") in (sent.get("advertisedRoutes") or {})


@pytest.mark.parametrize("src, dst", [
    ("web1", "203.0.113.10"), ("web1", "2001:db8:113::10"), ("ext1", "10.100.0.10"), ("ext1", "fd00:100::10"),
    ("ove-w1", "203.0.113.10"), ("ove-w1", "2001:db8:113::10"), ("ext1", "10.10.10.11"), ("ext1", "fd00:10::b"),
    ("ext1", "10.40.0.10"), ("ext1", "fd00:40::10"),
])
def test_tenant_hosts_reach_behind_the_external_router_and_back(lab, src, dst):
    """Both directions, both families, both VRFs; and the exported VIP from outside."""
    assert lab.reach(src, dst), f"{src} -> {dst}"


def test_vip_outside_every_pool_is_not_reachable_from_outside(lab):
    assert not lab.ping("ext1", "10.41.0.1", wait=1) and not lab.ping("ext1", "fd00:41::1", wait=1)


PROHIBIT = [("-4", "10.100.0.0/24", "10.10.10.0/24"), ("-4", "10.10.10.0/24", "10.100.0.0/24"),
            ("-6", "fd00:100::/64", "fd00:10::/64"), ("-6", "fd00:10::/64", "fd00:100::/64")]


def test_vrfs_meet_only_through_the_external_router(lab):
    """prod (web1) reaches infra (ove-w1) and back, across three routers (prod leaf, wan1, infra leaf: hop limit 3
    is not enough, 4 is); when wan1 stops routing between the two VRFs' prefixes, there is no other path."""
    pairs = [("web1", "10.10.10.11"), ("web1", "fd00:10::b"), ("ove-w1", "10.100.0.10"), ("ove-w1", "fd00:100::10")]
    for src, dst in pairs:
        assert lab.reach(src, dst), f"{src} -> {dst} through wan1"
        assert not lab.ping(src, dst, ttl=3), f"{src} -> {dst} in fewer than 3 routed hops"
        assert lab.ping(src, dst, ttl=4), f"{src} -> {dst} with hop limit 4"
    for fam, src, dst in PROHIBIT:
        lab.run("wan1", "ip", fam, "rule", "add", "from", src, "to", dst, "prohibit")
    try:
        for src, dst in pairs:
            assert not lab.ping(src, dst, count=2, wait=1), f"{src} -> {dst} without wan1 routing between the VRFs"
        assert lab.ping("web1", "203.0.113.10") and lab.ping("ove-w1", "2001:db8:113::10")   # the exit still works
    finally:
        for fam, src, dst in PROHIBIT:
            lab.run("wan1", "ip", fam, "rule", "del", "from", src, "to", dst, "prohibit")
    for src, dst in pairs:
        assert lab.reach(src, dst), f"{src} -> {dst} after wan1 routes again"
