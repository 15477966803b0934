"""The NMState rule validator: every rule rejects its bad input and accepts the fix;
nmstate's own examples and every rendered host document pass."""

import copy
import glob
import os

import pytest
import yaml

from .oracle_nmstate import validate

from .conftest import load

BASE = {
    "interfaces": [
        {"name": "eth1", "type": "ethernet", "state": "up", "mtu": 9000},
        {"name": "eth2", "type": "ethernet", "state": "up", "mtu": 9000},
        {"name": "bond0", "type": "bond", "state": "up", "mtu": 9000, "ipv4": {"enabled": False},
         "ipv6": {"enabled": False},
         "link-aggregation": {
             "mode": "802.3ad", "options": {"miimon": 100, "lacp_rate": "fast", "xmit_hash_policy": "layer3+4"},
             "port": ["eth1", "eth2"]}},
        {"name": "bond0.100", "type": "vlan", "state": "up", "mtu": 1500,
         "vlan": {"base-iface": "bond0", "id": 100, "protocol": "802.1q"},
         "ipv4": {"enabled": True, "dhcp": False, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]},
         "ipv6": {"enabled": True, "dhcp": False, "autoconf": False,
                  "address": [{"ip": "2001:db8:100::10", "prefix-length": 64}]}},
        {"name": "br-vms", "type": "ovs-bridge", "state": "up",
         "bridge": {"options": {"stp": {"enabled": False}},
                    "port": [{"name": "bond0", "vlan": {"mode": "trunk", "trunk-tags": [{"id": 200}]}}]}},
    ],
    "routes": {"config": [{"destination": "0.0.0.0/0", "next-hop-address": "192.0.2.1",
                           "next-hop-interface": "bond0.100", "metric": 100, "table-id": 254}]},
    "dns-resolver": {"config": {"server": ["192.0.2.53"], "search": ["example.com"], "options": ["rotate"]}},
    "ovn": {"bridge-mappings": [{"localnet": "vm-200", "bridge": "br-vms", "state": "present"}]},
}


def _iface(doc, name):
    return next(i for i in doc["interfaces"] if i["name"] == name)


def _opts(doc):
    return _iface(doc, "bond0")["link-aggregation"]["options"]


def test_base_document_is_valid():
    assert validate(BASE) == []


# (rule id, expected path, how to break the base document, how to fix the broken one)
CASES = [
    ("NMS001", "interfaces[bond0].link-aggregation.slaves",
     lambda d: _iface(d, "bond0")["link-aggregation"].update(slaves=["eth1"]),
     lambda d: _iface(d, "bond0")["link-aggregation"].pop("slaves")),
    ("NMS001", "interfaces[bond0.100].ipv4.adress",
     lambda d: _iface(d, "bond0.100")["ipv4"].update(adress=[]),
     lambda d: _iface(d, "bond0.100")["ipv4"].pop("adress")),
    ("NMS001", "dns_resolver", lambda d: d.update(dns_resolver={}), lambda d: d.pop("dns_resolver")),
    ("NMS001", "interfaces[bond0].link-aggregation.options.lacp-rate",
     lambda d: _opts(d).update({"lacp-rate": _opts(d).pop("lacp_rate")}),
     lambda d: _opts(d).update(lacp_rate=_opts(d).pop("lacp-rate"))),
    ("NMS002", "interfaces[eth1].type", lambda d: _iface(d, "eth1").update(type="nic"),
     lambda d: _iface(d, "eth1").update(type="ethernet")),
    ("NMS003", "interfaces[bond0].link-aggregation.mode",
     lambda d: _iface(d, "bond0")["link-aggregation"].update(mode="lacp"),
     lambda d: _iface(d, "bond0")["link-aggregation"].update(mode="802.3ad")),
    ("NMS003", "interfaces[bond0].link-aggregation.mode",
     lambda d: _iface(d, "bond0")["link-aggregation"].pop("mode"),
     lambda d: _iface(d, "bond0")["link-aggregation"].update(mode="802.3ad")),
    ("NMS004", "interfaces[bond0].link-aggregation.options.lacp_rate",
     lambda d: _iface(d, "bond0")["link-aggregation"].update(mode="active-backup"),
     lambda d: _opts(d).pop("lacp_rate")),
    ("NMS004", "interfaces[bond0].link-aggregation.options.lacp_rate",
     lambda d: (_iface(d, "bond0")["link-aggregation"].update(mode=2), _opts(d).update(lacp_rate=1)),
     lambda d: _opts(d).update(lacp_rate="slow")),
    ("NMS005", "interfaces[bond0].link-aggregation.options.arp_interval",
     lambda d: _opts(d).update(arp_interval=1000, arp_ip_target="192.0.2.1"),
     lambda d: _opts(d).update(miimon=0)),
    ("NMS006", "interfaces[bond0].link-aggregation.options.xmit_hash_policy",
     lambda d: _opts(d).update(xmit_hash_policy="layer4"),
     lambda d: _opts(d).update(xmit_hash_policy="layer2+3")),
    ("NMS006", "interfaces[bond0].link-aggregation.options.arp_ip_target",
     lambda d: _opts(d).update(miimon=0, arp_interval=500),
     lambda d: _opts(d).update(arp_ip_target="192.0.2.1")),
    ("NMS006", "interfaces[bond0].link-aggregation.options.updelay",
     lambda d: _opts(d).update(miimon=0, updelay=200),
     lambda d: _opts(d).update(miimon=100)),
    ("NMS006", "interfaces[bond0].link-aggregation.options.primary",
     lambda d: _opts(d).update(primary="eth1"),
     lambda d: (_iface(d, "bond0")["link-aggregation"].update(mode="active-backup"), _opts(d).pop("lacp_rate"))),
    ("NMS007", "interfaces[bond0.100].vlan.id", lambda d: _iface(d, "bond0.100")["vlan"].update(id=4095),
     lambda d: _iface(d, "bond0.100")["vlan"].update(id=4094)),
    ("NMS007", "interfaces[bond0.100].vlan.id", lambda d: _iface(d, "bond0.100")["vlan"].update(id=-1),
     lambda d: _iface(d, "bond0.100")["vlan"].update(id=0)),
    ("NMS007", "interfaces[bond0.100].vlan.base-iface", lambda d: _iface(d, "bond0.100")["vlan"].pop("base-iface"),
     lambda d: _iface(d, "bond0.100")["vlan"].update({"base-iface": "bond0"})),
    ("NMS008", "interfaces[bond0.100].mtu", lambda d: _iface(d, "bond0.100").update(mtu=1279),
     lambda d: _iface(d, "bond0.100")["ipv6"].update(enabled=False, address=[])),
    ("NMS009", "interfaces[bond0.100].ipv4.address[0].ip",
     lambda d: _iface(d, "bond0.100")["ipv4"]["address"][0].update(ip="2001:db8::1"),
     lambda d: _iface(d, "bond0.100")["ipv4"]["address"][0].update(ip="192.0.2.11")),
    ("NMS009", "interfaces[bond0.100].ipv6.address[0].prefix-length",
     lambda d: _iface(d, "bond0.100")["ipv6"]["address"][0].update({"prefix-length": 129}),
     lambda d: _iface(d, "bond0.100")["ipv6"]["address"][0].update({"prefix-length": 64})),
    ("NMS009", "interfaces[bond0.100].ipv4.autoconf", lambda d: _iface(d, "bond0.100")["ipv4"].update(autoconf=True),
     lambda d: _iface(d, "bond0.100")["ipv4"].pop("autoconf")),
    ("NMS010", "interfaces[br-vms].bridge.port[bond0].vlan.trunk-tags",
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"].update({"trunk-tags": []}),
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"].update({"trunk-tags": [{"id": 200}]})),
    ("NMS010", "interfaces[br-vms].bridge.port[bond0].vlan.trunk-tags[1]",
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"]["trunk-tags"].append(
         {"id-range": {"min": 100, "max": 300}}),
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"]["trunk-tags"][1].update(
         {"id-range": {"min": 201, "max": 300}})),
    ("NMS010", "interfaces[br-vms].bridge.port[bond0].vlan.trunk-tags[0]",
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"]["trunk-tags"][0].update(id=4095),
     lambda d: _iface(d, "br-vms")["bridge"]["port"][0]["vlan"]["trunk-tags"][0].update(id=4094)),
    ("NMS011", "routes.config[0].next-hop-interface", lambda d: d["routes"]["config"][0].pop("next-hop-interface"),
     lambda d: d["routes"]["config"][0].update({"next-hop-interface": "bond0.100"})),
    ("NMS011", "routes.config[0].next-hop-address",
     lambda d: d["routes"]["config"][0].update({"next-hop-address": "2001:db8::1"}),
     lambda d: d["routes"]["config"][0].update({"destination": "::/0"})),
    ("NMS012", "dns-resolver.config.options[0]", lambda d: d["dns-resolver"]["config"].update(options=["fast"]),
     lambda d: d["dns-resolver"]["config"].update(options=["timeout:2"])),
    ("NMS013", "interfaces[bond0.100].mtu", lambda d: _iface(d, "bond0.100").update(mtu=9100),
     lambda d: _iface(d, "bond0").update(mtu=9100)),
    ("NMS014", "ovn.bridge-mappings[0].bridge", lambda d: d["ovn"]["bridge-mappings"][0].pop("bridge"),
     lambda d: d["ovn"]["bridge-mappings"][0].update(state="absent")),
    ("NMS015", "interfaces[br-vms].mtu", lambda d: _iface(d, "br-vms").update(mtu=9000),
     lambda d: _iface(d, "br-vms").pop("mtu")),
]


@pytest.mark.parametrize("rule,path,breaker,fixer", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule_rejects_then_fix_passes(rule, path, breaker, fixer):
    doc = copy.deepcopy(BASE)
    breaker(doc)
    found = [(f.rule, f.path) for f in validate(doc)]
    assert (rule, path) in found, found
    fixer(doc)
    assert validate(doc) == [], [str(f) for f in validate(doc)]


def test_every_rule_has_a_failing_case():
    from . import oracle_nmstate as mod
    documented = {line.split()[0] for line in mod.__doc__.splitlines() if line[:3] == "NMS" and line[3:6].isdigit()}
    assert documented == {c[0] for c in CASES}


def test_findings_collect_everything():
    doc = copy.deepcopy(BASE)
    _iface(doc, "bond0.100")["vlan"]["id"] = 5000
    _iface(doc, "bond0")["link-aggregation"]["mode"] = "lacp"
    doc["routes"]["config"][0].pop("next-hop-interface")
    assert {f.rule for f in validate(doc)} == {"NMS003", "NMS007", "NMS011"}


def _examples(schemas):
    base = os.path.join(schemas, "nmstate-examples")
    if not os.path.isdir(base):
        pytest.skip(f"{base} is absent")
    return sorted(glob.glob(os.path.join(base, "*.yml")) + glob.glob(os.path.join(base, "policy", "*", "*.yml")))


def test_nmstate_examples_are_accepted(schemas):
    """nmstate's own example states (and the policy examples' states) are valid: the validator is not too strict."""
    checked = 0
    for path in _examples(schemas):
        if path.endswith("policy.yml"):
            continue  # nmpolicy templates, not states
        with open(path, encoding="utf-8") as handle:
            for doc in yaml.safe_load_all(handle):
                if doc:
                    assert validate(doc) == [], (path, [str(f) for f in validate(doc)])
                    checked += 1
    assert checked > 60


def test_rendered_host_documents_are_valid(small, dc1):
    count = 0
    for files in (small, dc1):
        for rel, text in files.items():
            if rel.startswith("hosts/"):
                assert validate(load(text)) == [], rel
                count += 1
    assert count >= 2 + 120


def test_rendered_bonds_follow_the_profile_and_mtu_chain(small):
    """Independent reading of examples/small: bond0 802.3ad over ens1f0/ens1f1, profile lacp, MTUs 9000 >= VLANs.

    The host file is the install-time network (machine network untagged on bond0); storage and live
    migration come with the node's post-install NNCP.
    """
    doc = load(small["hosts/ove-w1.nmstate.yml"])
    bond = _iface(doc, "bond0")
    assert bond["link-aggregation"] == {"mode": "802.3ad", "port": ["ens1f0", "ens1f1"],
                                        "options": {"miimon": 100, "lacp_rate": "fast",
                                                    "xmit_hash_policy": "layer3+4"}}
    assert bond["mtu"] == 9000
    assert bond["ipv4"]["address"] == [{"ip": "10.10.10.11", "prefix-length": 24}]  # host_offset 10 + id 1
    assert not [i for i in doc["interfaces"] if i["type"] == "vlan"]
    post = load(small["ove/ove-small/11-nncp-ove-small-ove-w1.yaml"])["spec"]["desiredState"]
    vlans = {i["vlan"]["id"]: i for i in post["interfaces"] if i["type"] == "vlan"}
    assert sorted(vlans) == [20, 30]          # storage, livemig: the addressed networks besides the machine network
    assert {v: i["mtu"] for v, i in vlans.items()} == {20: 9000, 30: 9000}
    assert vlans[30]["ipv6"] == {"enabled": False}  # livemig has no IPv6 prefix
    assert all(i["mtu"] == 9000 for i in doc["interfaces"] if i["type"] == "ethernet")
