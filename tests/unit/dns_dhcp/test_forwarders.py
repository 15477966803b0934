"""Provider zones in the site DNS outputs agree with the provider handover document.

The handover JSON (``handover/<peer>.json``, ``dns.forward_to_provider``) tells the provider which of
its zones the site forwards to which of its servers; ``dns/named.conf`` (BIND forward zones) and
``dns/Set-DnsRecords.ps1`` (Windows DNS conditional forwarders) must do exactly that. Each output is
read back from its text by a parser of its own and compared with the JSON: dc1 (provider ``esc``),
small with its WAN router made a provider (two zones), and a provider without DNS servers (nothing
written, while the handover still names the zone).
"""

from __future__ import annotations

import json
import re

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

from errors.harness import TODAY, apply, example
from example_models import built_example

TARGETS = ("dns", "handover")
FORWARD_ZONE = re.compile(r'zone\s+"([^"]+)"\s*\{\s*type\s+forward;\s*forward\s+only;\s*forwarders\s*\{([^}]*)\};\s*\};')
ANY_ZONE = re.compile(r'^zone\s+"([^"]+)"', re.M)
PS_FORWARDER = re.compile(r"^Confirm-ConditionalForwarder -Name '([^']+)' -Servers @\(([^)]*)\)$", re.M)


def build(raw):
    result = pipeline.build(raw, from_vars=False, today=TODAY, targets=TARGETS)
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    return result["files"]


def dc1_files() -> dict:
    """examples/dc1 as built once per test session (tests/example_models.py; shared, read only)."""
    return built_example("dc1")["files"]


def bind_forwarders(text: str) -> dict:
    """{zone: [servers]} of the `type forward; forward only;` zone statements of a named.conf."""
    out = {}
    for zone, servers in FORWARD_ZONE.findall(text):
        assert zone not in out, f"zone {zone} declared twice"
        out[zone] = [s.strip() for s in servers.split(";") if s.strip()]
    return out


def ps_forwarders(text: str) -> dict:
    """{zone: [servers]} of the Confirm-ConditionalForwarder calls of Set-DnsRecords.ps1."""
    out = {}
    for zone, servers in PS_FORWARDER.findall(text):
        assert zone not in out, f"zone {zone} forwarded twice"
        out[zone] = re.findall(r"'([^']+)'", servers)
    return out


def handover_forwarders(files: dict, with_servers: bool = True) -> dict:
    """{zone: [servers]} over every handover JSON's dns.forward_to_provider."""
    out = {}
    for path, text in files.items():
        if path.startswith("handover/") and path.endswith(".json"):
            for entry in json.loads(text)["dns"]["forward_to_provider"]:
                if entry["servers"] or not with_servers:
                    out[entry["zone"]] = entry["servers"]
    return out


def small_with_provider(**provider) -> dict:
    raw = example("small")
    apply(raw, {"op": "set", "path": "external_peers[wan1].provider", "value": dict({"name": "WAN provider"}, **provider)})
    return raw


def test_dc1_forwards_the_zones_the_handover_names():
    files = dc1_files()
    stated = handover_forwarders(files)
    assert stated == {"esc.example.net": ["10.210.0.53", "fd00:210::53"]}  # both families of the provider's servers
    assert bind_forwarders(files["dns/named.conf"]) == stated
    assert ps_forwarders(files["dns/Set-DnsRecords.ps1"]) == stated
    # the forward zone is not also a primary zone of the site
    assert ANY_ZONE.findall(files["dns/named.conf"]).count("esc.example.net") == 1


def test_two_zones_of_one_provider_in_name_order():
    files = build(small_with_provider(dns_zones=["b.wan.example.org", "a.wan.example.org"],
                                      dns_servers=["192.0.2.53", "2001:db8::53"]))
    stated = handover_forwarders(files)
    assert set(stated) == {"a.wan.example.org", "b.wan.example.org"}
    assert bind_forwarders(files["dns/named.conf"]) == stated
    assert ps_forwarders(files["dns/Set-DnsRecords.ps1"]) == stated
    text = files["dns/named.conf"]
    assert text.index('"a.wan.example.org"') < text.index('"b.wan.example.org"')  # stable order, not model order


@pytest.mark.parametrize("provider", [{"dns_zones": ["wan.example.org"]}, {}], ids=["zones-no-servers", "no-dns"])
def test_a_provider_without_dns_servers_writes_no_forwarder(provider):
    files = build(small_with_provider(**provider))
    assert "type forward" not in files["dns/named.conf"]
    assert "\nConfirm-ConditionalForwarder " not in files["dns/Set-DnsRecords.ps1"]
    assert bind_forwarders(files["dns/named.conf"]) == ps_forwarders(files["dns/Set-DnsRecords.ps1"]) == {}
    # the handover still tells the provider which zones it serves, with no server to forward to
    assert handover_forwarders(files, with_servers=False) == {z: [] for z in provider.get("dns_zones", [])}


def test_the_parsers_are_not_blind():
    """A forwarder list that differs by one server or a missing statement is seen."""
    files = dc1_files()
    conf, script = files["dns/named.conf"], files["dns/Set-DnsRecords.ps1"]
    stated = handover_forwarders(files)
    assert bind_forwarders(conf.replace("fd00:210::53; ", "")) != stated
    assert bind_forwarders(conf.replace("forward only;", "forward first;")) != stated
    assert ps_forwarders(script.replace(", 'fd00:210::53'", "")) != stated
    assert ps_forwarders(script.replace("\nConfirm-ConditionalForwarder ", "\n# ")) != stated


def test_windows_forwarders_parse_as_powershell():
    """dc1's script parsed by tree-sitter-powershell: each call passes the function's own parameters, and the
    zone and servers read from the syntax tree are the handover's."""
    pytest.importorskip("tree_sitter", reason="tree-sitter (requirements-dev.txt) is not installed")
    pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell (requirements-dev.txt) is not installed")
    from azure_local.test_powershell import command_name, command_params, functions, nodes, param_value, parse, syntax_errors

    # tree-sitter-powershell takes no digits in parameter names (-IPv4Address is valid PowerShell): renamed for
    # the parser; the thousands of Set-Record lines (test_design.py parses them) are left out to keep this quick
    text = dc1_files()["dns/Set-DnsRecords.ps1"].replace("-IPv4Address", "-IPvFourAddress").replace("-IPv6Address", "-IPvSixAddress")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Set-Record -Zone "))
    root = parse(text)
    assert not syntax_errors(root)
    declared = functions(root)["Confirm-ConditionalForwarder"]
    found = {}
    for cmd in nodes(root, "command"):
        if command_name(cmd) != "Confirm-ConditionalForwarder":
            continue
        assert set(command_params(cmd)) == declared == {"Name", "Servers"}
        zone = param_value(cmd, "Name").text.decode().strip("'")
        found[zone] = re.findall(r"'([^']+)'", param_value(cmd, "Servers").text.decode())
    assert found == handover_forwarders(dc1_files())
