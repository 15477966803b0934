"""The DNS/DHCP design: records, reverse cuts, pools, reservations, relays, RA, serials, PowerShell."""

from __future__ import annotations

import copy
import csv
import io
import ipaddress
import json

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.design import dhcp as dhcp_design
from ansible_collections.dcnet.fabric.plugins.module_utils.design.dns import reverse_cuts
from ansible_collections.dcnet.fabric.plugins.module_utils.render import dhcp as dhcp_render

from errors.harness import TODAY, example

from .models import KEA4, KEA6, served_small


def build(raw):
    result = pipeline.build(raw, from_vars=False, today=TODAY)
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    return result


@pytest.mark.parametrize("prefix, zones", [
    ("10.20.0.0/24", ["10.20.0.0/24"]),
    ("10.0.0.0/8", ["10.0.0.0/8"]),
    ("10.64.0.0/22", ["10.64.0.0/24", "10.64.1.0/24", "10.64.2.0/24", "10.64.3.0/24"]),
    ("10.40.0.0/26", ["10.40.0.0/24"]),
    ("10.254.0.4/31", ["10.254.0.0/24"]),
    ("10.255.0.1/32", ["10.255.0.0/24"]),
    ("fd00:10::/64", ["fd00:10::/64"]),
    ("fd00:40::/120", ["fd00:40::/120"]),
    ("fd00:40::/122", ["fd00:40::/120"]),
    ("fd00:10::/63", ["fd00:10::/64", "fd00:10:0:1::/64"]),
    ("2001:db8::/30", ["2001:db8::/32", "2001:db9::/32", "2001:dba::/32", "2001:dbb::/32"]),
])
def test_reverse_cuts(prefix, zones):
    assert reverse_cuts(prefix) == zones
    for zone in zones:  # together they hold exactly the prefix (split) or enclose it (longer prefixes)
        assert ipaddress.ip_network(zone).overlaps(ipaddress.ip_network(prefix))


def test_carve_and_parse_range():
    ip = ipaddress.ip_address
    holes = [(ip("10.0.0.5"), ip("10.0.0.5")), (ip("10.0.0.8"), ip("10.0.0.12")), (ip("10.0.0.30"), ip("10.0.0.40"))]
    assert dhcp_design.carve(ip("10.0.0.1"), ip("10.0.0.20"), holes) == [
        (ip("10.0.0.1"), ip("10.0.0.4")), (ip("10.0.0.6"), ip("10.0.0.7")), (ip("10.0.0.13"), ip("10.0.0.20"))]
    assert dhcp_design.carve(ip("10.0.0.5"), ip("10.0.0.5"), holes) == []
    assert dhcp_design.parse_range("fd00::10-fd00::1", "fd00::/64", 6) == "range fd00::10-fd00::1 is reversed"
    assert "not inside" in dhcp_design.parse_range("10.1.0.1-10.1.0.9", "10.0.0.0/24", 4)
    assert "is not IPv4" in dhcp_design.parse_range("fd00::1", "10.0.0.0/24", 4)
    assert dhcp_design.parse_range("10.0.0.7", "10.0.0.0/24", 4) == (ip("10.0.0.7"), ip("10.0.0.7"))


def test_records_names_and_one_ptr_per_address():
    services = build(served_small())["design"]["services"]
    names = {(r["name"], r["address"]) for r in services["records"]}
    for expected in [("ove-w1", "10.10.10.11"), ("ove-w1.storage", "10.20.0.11"), ("gw.mgmt", "10.10.10.1"),
                     ("leaf01a.mgmt", "10.10.10.254"), ("leaf01a", "10.255.0.65"), ("infra1", KEA4), ("infra1", KEA6),
                     ("ns1", KEA4), ("ns2", KEA6)]:
        assert expected in names
    ptrs = [r["address"] for zone in services["dns"]["reverse"] for r in zone["records"]]
    assert len(ptrs) == len(set(ptrs))
    # the name server shares infra1's address: the PTR names the node (listed first)
    zone = next(z for z in services["dns"]["reverse"] if z["name"] == "0.13.10.in-addr.arpa")
    assert {r["name"]: r["value"] for r in zone["records"]}["11"] == "infra1.small.example.net."


def test_switch_management_ports_get_records_reverse_zones_and_ipam_rows():
    result = build(served_small([{"op": "set", "path": "fabric.management",
                                  "value": {"pool4": "192.168.0.0/24", "pool6": "fd00:168::/64"}}]))
    services = result["design"]["services"]
    mgmt = {(r["name"], r["address"]) for r in services["records"] if r["kind"] == "management"}
    spine = result["design"]["switches"]["spine1"]["management"]
    assert ("spine1-mgmt", spine["ipv4"].split("/")[0]) in mgmt and ("spine1-mgmt", spine["ipv6"].split("/")[0]) in mgmt
    assert len(mgmt) == 2 * len(result["design"]["switches"])
    # derived reverse zones hold the out-of-band addresses (the management pools are addressed prefixes)
    reverse = {z["name"]: z for z in services["dns"]["reverse"]}
    assert "0.168.192.in-addr.arpa" in reverse
    assert any(r["value"] == "spine1-mgmt.small.example.net." for r in reverse["0.168.192.in-addr.arpa"]["records"])
    assert any(z["prefix"] == "fd00:168::/64" for z in reverse.values())
    # IPAM: the address sits on the switch's management interface, marked management-only, with the pool's length
    files = result["files"]
    interfaces = [row for row in csv.DictReader(io.StringIO(files["ipam/netbox/06-interfaces.csv"]))
                  if row["device"] == "spine1" and row["mgmt_only"]]
    assert [row["name"] for row in interfaces] == [result["design"]["switches"]["spine1"]["management"]["interface"]]
    rows = [(row["address"], row["device"], row["interface"])
            for row in csv.DictReader(io.StringIO(files["ipam/netbox/09-ip-addresses.csv"]))
            if row["dns_name"] == "spine1-mgmt.small.example.net"]
    assert sorted(rows) == sorted((spine[f"ipv{fam}"], "spine1", interfaces[0]["name"]) for fam in (4, 6))


def test_pools_leave_out_reserved_and_static_addresses():
    raw = served_small([{"op": "set", "path": "networks[mgmt].dhcp.range4", "value": "10.10.10.100-10.10.10.199"},
                        {"op": "set", "path": "waivers", "value": [
                            {"rule": "DHCP002", "path": "networks[mgmt].dhcp.range4", "reason": "test", "expires": "2030-01-01"},
                            # the Azure Local infrastructure pool (.105-.110) lies in this widened range too
                            {"rule": "ATC018", "path": "clusters[azl-small].azure_local.infra_pool", "reason": "test",
                             "expires": "2030-01-01"}]}])
    scope = build(raw)["design"]["services"]["dhcp"]["scopes4"][0]
    # azl-n1/azl-n2 hold .111/.112 (DHCP002, waived here): the pool still never hands them out
    assert scope["pools"] == ["10.10.10.100 - 10.10.10.110", "10.10.10.113 - 10.10.10.169", "10.10.10.180 - 10.10.10.199"]
    assert scope["routers"] == ["10.10.10.1"] and scope["dns_servers"] == [KEA4] and scope["domain"] == "small.example.net"


def test_reservations_from_plain_records_and_from_dcnet_vms():
    model_raw = served_small()
    result = build(model_raw)
    # the reservation code takes plain records; dcnet_vms is one adapter in front of it
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

    model = load_model(copy.deepcopy(model_raw))
    facts = site_facts(model)
    designed = design(model, facts)
    plain = [{"name": "app1", "mac": "00:50:56:AA:00:01", "network": "mgmt", "ipv4": "10.10.10.60",
              "ipv6": "fd00:10::60", "path": "inventory[app1]"},
             {"name": "elsewhere", "mac": "00:50:56:aa:00:02", "network": "mgmt", "ipv4": "10.99.0.1", "ipv6": None,
              "path": "inventory[elsewhere]"}]
    service = dhcp_design.dhcp_service(model, facts, designed, plain)
    assert service["scopes4"][0]["reservations"] == [
        {"name": "app1", "mac": "00:50:56:aa:00:01", "address": "10.10.10.60", "path": "inventory[app1]"}]
    assert [r["address"] for r in service["scopes6"][0]["reservations"]] == ["fd00:10::60"]
    kea = dhcp_render.kea_config(service["scopes4"], 4)["Dhcp4"]["subnet4"][0]["reservations"]
    assert kea == [{"hw-address": "00:50:56:aa:00:01", "ip-address": "10.10.10.60", "hostname": "app1"}]
    assert result["design"]["services"]["dhcp"]["reservations"] == []

    with_vms = served_small([{"op": "set", "path": "vms", "value": [
        {"name": "shop-web01", "nics": [{"name": "Network adapter 1", "network": "mgmt", "mac": "00:50:56:01:02:03",
                                         "ipv4": ["10.10.10.61"], "ipv6": ["fd00:10::61"]}]}]}])
    files = build(with_vms)["files"]
    kea4 = json.loads(files["dhcp/kea-dhcp4.json"])["Dhcp4"]["subnet4"][0]["reservations"]
    kea6 = json.loads(files["dhcp/kea-dhcp6-infra1.json"])["Dhcp6"]["subnet6"][0]["reservations"]
    assert kea4 == [{"hw-address": "00:50:56:01:02:03", "ip-address": "10.10.10.61", "hostname": "shop-web01"}]
    assert kea6 == [{"hw-address": "00:50:56:01:02:03", "ip-addresses": ["fd00:10::61"], "hostname": "shop-web01"}]


def test_relays_and_router_advertisements():
    dhcp = build(served_small())["design"]["services"]["dhcp"]
    mgmt = next(e for e in dhcp["gateways"]["leaf01a"] if e["network"] == "mgmt")
    assert mgmt["relay4"] == [KEA4] and mgmt["relay6"] == [KEA6]
    assert mgmt["ra"] == {"enabled": True, "managed": True, "other": True, "prefix": "fd00:10::/64", "autonomous": False,
                          "on_link": True, "router_lifetime": 1800, "interval": 200}
    infra = next(e for e in dhcp["gateways"]["leaf01a"] if e["network"] == "infra")
    assert infra["relay4"] == [] and infra["ra"] == {"enabled": False}
    files = dhcp_render.relay_files(dhcp["gateways"]["leaf01a"], dhcp["relay_uplinks"]["leaf01a"])
    assert 'SERVERS="10.13.0.11"' in files["isc-dhcp-relay"]
    assert 'OPTIONS="-id vlan10 -iu swp49 -iu swp50 -iu vlan13"' in files["isc-dhcp-relay"]
    assert 'SERVERS="-u fd00:13::b%vlan13"' in files["isc-dhcp-relay6"] and 'INTF_CMD="-l vlan10"' in files["isc-dhcp-relay6"]
    # leaf01b carries no infra SVI: the server is reached over the fabric uplinks
    other = dhcp_render.relay_files(dhcp["gateways"]["leaf01b"], dhcp["relay_uplinks"]["leaf01b"])
    assert 'SERVERS="-u fd00:13::b%swp49"' in other["isc-dhcp-relay6"]
    # the same files from a leaf's structured config (what the switch renderer has)
    switch = build(served_small())["design"]["switches"]["leaf01a"]
    for vlan in switch["vlans"]:
        if vlan["svi"]:
            vlan["svi"]["dhcp_relay"] = [s for e in dhcp["gateways"]["leaf01a"] if e["network"] == vlan["name"]
                                         for s in e["relay4"] + e["relay6"]]
    assert dhcp_render.relay_files(*dhcp_render.relay_entries(switch)) == files
    for mode, flags in (("slaac", (False, False, True)), ("stateless", (False, True, True)), ("dhcpv6", (True, True, False))):
        assert tuple(dhcp_design.RA_FLAGS[mode][k] for k in ("managed", "other", "autonomous")) == flags


def test_serials_follow_content_not_the_clock():
    first = build(served_small())["files"]
    again = build(served_small())["files"]
    dns = {k: v for k, v in first.items() if k.startswith(("dns/", "dhcp/"))}
    assert dns == {k: again[k] for k in dns}  # byte-identical
    moved = build(served_small([{"op": "set", "path": "clusters[ove-small].nodes[ove-w2].id", "value": 7}]))["files"]

    def serial(files, zone):
        text = files[f"dns/zones/{zone}.zone"]
        return int(text.split("(")[1].split(";")[0])

    assert serial(moved, "small.example.net") != serial(first, "small.example.net")
    assert serial(moved, "10.10.10.in-addr.arpa") != serial(first, "10.10.10.in-addr.arpa")
    assert serial(moved, "0.255.10.in-addr.arpa") == serial(first, "0.255.10.in-addr.arpa")  # loopbacks unchanged


def test_large_zones_are_split_into_update_messages():
    files = build(example("dc1"))["files"]
    text = files["dns/nsupdate.txt"]
    sends = text.count("\nsend\n")
    names = {line.split()[2] for line in text.splitlines() if line.startswith("update delete")}
    assert sends >= len(names) // 200 and max(len(chunk) for chunk in text.split("\nsend\n")) < 60000


tree_sitter = pytest.importorskip("tree_sitter", reason="tree-sitter (requirements-dev.txt) is not installed")
pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell (requirements-dev.txt) is not installed")

# DnsServer module cmdlets (learn.microsoft.com, dnsserver module) and core ones, with the parameters the script may use.
DNS_CMDLETS = {
    "Get-DnsServerZone": {"ComputerName", "Name"},
    "Add-DnsServerPrimaryZone": {"ComputerName", "Name", "NetworkId", "ReplicationScope"},
    "Get-DnsServerResourceRecord": {"ComputerName", "ZoneName", "Name", "RRType"},
    "Remove-DnsServerResourceRecord": {"ComputerName", "ZoneName", "InputObject", "Force"},
    "Add-DnsServerResourceRecord": {"ComputerName", "ZoneName", "Name", "A", "IPv4Address", "AAAA", "IPv6Address",
                                    "TimeToLive"},
    "Add-DnsServerResourceRecordPtr": {"ComputerName", "ZoneName", "Name", "PtrDomainName", "TimeToLive"},
    "Add-DnsServerConditionalForwarderZone": {"ComputerName", "Name", "MasterServers", "ReplicationScope"},
    "Set-DnsServerConditionalForwarderZone": {"ComputerName", "Name", "MasterServers"},
    "New-TimeSpan": {"Seconds"}, "Write-Output": set(), "ForEach-Object": set(), "Set-StrictMode": {"Version"},
}
COMMON = {"ErrorAction", "WhatIf", "Confirm", "Verbose"}
MUTATING = {"Add-DnsServerPrimaryZone", "Remove-DnsServerResourceRecord", "Add-DnsServerResourceRecord",
            "Add-DnsServerResourceRecordPtr", "Add-DnsServerConditionalForwarderZone", "Set-DnsServerConditionalForwarderZone"}


def test_windows_dns_script_parses_and_uses_documented_parameters():
    from azure_local.test_powershell import command_name, command_params, functions, nodes, parse, syntax_errors

    rendered = build(served_small())["files"]["dns/Set-DnsRecords.ps1"]
    # tree-sitter-powershell does not take digits in parameter names (-IPv4Address is valid PowerShell):
    # those two are renamed for the parser and mapped back when parameters are compared
    digits = {"-IPv4Address": "-IPvFourAddress", "-IPv6Address": "-IPvSixAddress"}
    text = rendered
    for real, stand_in in digits.items():
        text = text.replace(real, stand_in)
    back = {stand_in[1:]: real[1:] for real, stand_in in digits.items()}
    root = parse(text)
    assert not syntax_errors(root)
    assert syntax_errors(parse(text.replace("function Set-Record {", "function Set-Record {{")))
    own = set(functions(root))
    assert {"Invoke-DnsChange", "Confirm-Zone", "Set-Record", "Confirm-ConditionalForwarder"} <= own
    used = set()
    for cmd in nodes(root, "command"):
        name = command_name(cmd)
        if name in own or (name is None and cmd.text.decode().startswith("& $Action")):
            continue  # the script's functions; Invoke-DnsChange running its -Action block
        assert name in DNS_CMDLETS, name
        params = {back.get(p, p) for p in command_params(cmd)}
        assert params <= DNS_CMDLETS[name] | COMMON, (name, params)
        used.add(name)
        if name in MUTATING:  # every change runs inside Invoke-DnsChange -Action { ... } (dry-run aware)
            assert "Invoke-DnsChange" in {command_name(a) for a in _ancestors(cmd) if a.type == "command"}, name
    assert MUTATING <= used
    assert {"IPv4Address", "IPv6Address"} <= {back.get(p, p) for c in nodes(root, "command") for p in command_params(c)}
    records = build(served_small())["design"]["services"]["dns"]
    count = sum(len(z["records"]) for z in [records["forward"]] + records["reverse"])
    assert rendered.count("\nSet-Record -Zone ") == count


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node
