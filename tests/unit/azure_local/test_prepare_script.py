"""The per-node pre-registration scripts (prepare/<node>.ps1), parsed with tree-sitter-powershell.

Microsoft's order before Arc registration (network considerations for cloud deployments; proxy
settings for Azure Local): the management VLAN on the physical adapters (Set-NetAdapter -VlanID) or,
with a vSwitch created beforehand, on the management vNIC (New-VMSwitch ConvergedSwitch(<intent>),
renamed to vManagement(<intent>), tagged only with Set-VMNetworkAdapterIsolation); the node's address
with the only default gateway and the DNS servers; the same proxy for WinInet (Set-WinInetProxy),
WinHTTP (Set-WinhttpProxy) and the HTTP(S)_PROXY/NO_PROXY machine variables, each bypass list in its
own syntax. Checked here: no syntax error; every cmdlet and parameter exists in Microsoft's cmdlet
reference; every change runs inside the dry-run guard; the values are the model's.
"""

from __future__ import annotations

import ipaddress
import re

import pytest

from ._helpers import build, clean_build, build_example, cluster, example_vars, has_example
from .test_powershell import COMMON, CORE, ancestors, command_name, command_params, functions, nodes, param_value, \
    parse, syntax_errors

# Cmdlets of the prepare script with their parameters (learn.microsoft.com: modules NetAdapter, Hyper-V,
# NetTCPIP, DnsClient, WinHttpProxy; WinInetProxy from the PowerShell Gallery as Microsoft's proxy page uses it).
PREPARE = {
    "Get-NetAdapter": {"Name", "InterfaceDescription", "InterfaceIndex", "IncludeHidden", "Physical", "CimSession",
                       "ThrottleLimit", "AsJob"},
    "Set-NetAdapter": {"Name", "InterfaceDescription", "InputObject", "VlanID", "MacAddress", "NoRestart",
                       "IncludeHidden", "PassThru", "CimSession", "ThrottleLimit", "AsJob"},
    "Rename-NetAdapter": {"Name", "NewName", "InterfaceDescription", "InputObject", "IncludeHidden", "PassThru",
                          "CimSession", "ThrottleLimit", "AsJob"},
    "Get-VMSwitch": {"Name", "Id", "ResourcePoolName", "SwitchType", "ComputerName", "Credential", "CimSession"},
    "New-VMSwitch": {"Name", "NetAdapterName", "NetAdapterInterfaceDescription", "SwitchType", "AllowManagementOS",
                     "EnableEmbeddedTeaming", "EnableIov", "EnablePacketDirect", "MinimumBandwidthMode", "Notes",
                     "ComputerName", "Credential", "CimSession"},
    "Get-VMNetworkAdapter": {"ManagementOS", "Name", "SwitchName", "VMName", "VM", "All", "IsLegacy", "ComputerName",
                             "Credential", "CimSession"},
    "Rename-VMNetworkAdapter": {"ManagementOS", "Name", "NewName", "VMName", "VMNetworkAdapter", "VM", "Passthru",
                                "ComputerName", "Credential", "CimSession"},
    "Get-VMNetworkAdapterIsolation": {"ManagementOS", "VMNetworkAdapterName", "VMName", "VMNetworkAdapter", "VM",
                                      "ComputerName", "Credential", "CimSession"},
    "Set-VMNetworkAdapterIsolation": {"ManagementOS", "VMNetworkAdapterName", "IsolationMode", "AllowUntaggedTraffic",
                                      "DefaultIsolationID", "MultiTenantStack", "VMName", "VMNetworkAdapter", "VM",
                                      "Passthru", "ComputerName", "Credential", "CimSession"},
    "Get-NetIPAddress": {"IPAddress", "InterfaceIndex", "InterfaceAlias", "AddressFamily", "Type", "PrefixLength",
                         "PrefixOrigin", "SuffixOrigin", "AddressState", "SkipAsSource", "PolicyStore",
                         "IncludeAllCompartments", "CimSession", "ThrottleLimit", "AsJob"},
    "New-NetIPAddress": {"IPAddress", "InterfaceAlias", "InterfaceIndex", "DefaultGateway", "AddressFamily", "Type",
                         "PrefixLength", "ValidLifetime", "PreferredLifetime", "SkipAsSource", "PolicyStore",
                         "CimSession", "ThrottleLimit", "AsJob"},
    "Get-DnsClientServerAddress": {"InterfaceAlias", "InterfaceIndex", "AddressFamily", "CimSession", "ThrottleLimit",
                                   "AsJob"},
    "Set-DnsClientServerAddress": {"InterfaceAlias", "InterfaceIndex", "ServerAddresses", "ResetServerAddresses",
                                   "Validate", "InputObject", "PassThru", "CimSession", "ThrottleLimit", "AsJob"},
    "Get-WinhttpProxy": {"Default", "Advanced"},
    "Set-WinhttpProxy": {"ProxyServer", "BypassList", "SettingScope", "Proxy", "ProxyBypass", "AutoconfigUrl",
                         "AutoDetect"},
    "Set-WinInetProxy": {"ProxySettingsPerUser", "ProxyServer", "ProxyBypass"},
}
CHANGING = {"Set-NetAdapter", "Rename-NetAdapter", "New-VMSwitch", "Rename-VMNetworkAdapter",
            "Set-VMNetworkAdapterIsolation", "New-NetIPAddress", "Set-DnsClientServerAddress", "Set-WinhttpProxy",
            "Set-WinInetProxy"}


def _inside_guard(node):
    guard = [a for a in ancestors(node) if a.type == "command" and command_name(a) == "Invoke-NodeChange"]
    action = param_value(guard[0], "Action") if guard else None
    return action is not None and action.start_byte <= node.start_byte and node.end_byte <= action.end_byte


def problems(text: str) -> list:
    root = parse(text)
    out = list(syntax_errors(root))
    known = {**CORE, **PREPARE, **functions(root)}
    lower = {k.lower(): k for k in known}
    for cmd in nodes(root, "command"):
        name = command_name(cmd)
        if name is None:
            continue
        if name.lower() not in lower:
            out.append(f"unknown command {name}")
            continue
        allowed = {p.lower() for p in known[lower[name.lower()]] | COMMON}
        for param in command_params(cmd):
            if param.rstrip(":").lower() not in allowed:
                out.append(f"{name} has no parameter -{param}")
        if name in CHANGING and not _inside_guard(cmd):
            out.append(f"line {cmd.start_point[0] + 1}: {name} runs outside Invoke-NodeChange -Action")
    for match in re.finditer(r"SetEnvironmentVariable", text):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if not _inside_guard(node):
            out.append(f"SetEnvironmentVariable outside Invoke-NodeChange at byte {match.start()}")
    if not re.search(r"if \(\$script:DryRunMode\) \{[^}]*return[^}]*\}\s*Write-Output \$Description\s*& \$Action", text):
        out.append("Invoke-NodeChange does not return before running the action in dry-run mode")
    return out


def prepared(result, cluster_name, node):
    return result["files"][f"azure_local/{cluster_name}/prepare/{node}.ps1"]


def variants():
    out = {"small": example_vars("small")}
    v = example_vars("small")
    cluster(v, "azl-small")["azure_local"] = {"management_vlan_on": "vnic",
                                              "proxy": {"server": "http://10.10.10.80:8080", "bypass": ["*.corp.example"]}}
    out["vnic_proxy"] = v
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["native_network"] = "mgmt"
    c["azure_local"] = {"use_dhcp": True}
    out["untagged_dhcp"] = v
    return out


VARIANTS = variants()


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def rendered(request):
    return request.param, clean_build(VARIANTS[request.param])


def test_the_checks_can_fail():
    bad = ("function Invoke-NodeChange { param([string] $Description, [scriptblock] $Action) & $Action }\n"
           "Set-NetAdapter -Name 'p1' -VLANIdentifier 5\n"
           "Invoke-NodeChange -Description 'x' -Action { New-VMSwitch -Name 's' -TeamingMode 1 }\n"
           "[Environment]::SetEnvironmentVariable('NO_PROXY', 'x', 'Machine')\n")
    found = problems(bad)
    assert "Set-NetAdapter has no parameter -VLANIdentifier" in found
    assert any("Set-NetAdapter runs outside" in p for p in found)
    assert "New-VMSwitch has no parameter -TeamingMode" in found
    assert any(p.startswith("SetEnvironmentVariable outside") for p in found)
    assert any("dry-run mode" in p for p in found)


def test_every_node_script_is_well_formed(rendered):
    _name, result = rendered
    scripts = {k: v for k, v in result["files"].items() if "/prepare/" in k}
    assert sorted(scripts) == ["azure_local/azl-small/prepare/azl-n1.ps1", "azure_local/azl-small/prepare/azl-n2.ps1"]
    for text in scripts.values():
        assert problems(text) == []
        assert "[CmdletBinding(SupportsShouldProcess)]" in text and "[switch] $DryRun" in text


def test_vlan_on_each_management_adapter_then_the_address():
    text = prepared(build(VARIANTS["small"]), "azl-small", "azl-n2")
    assert re.findall(r"Set-NetAdapter -Name '(\w+)' -VlanID (\d+)", text) == [("pNIC01", "10"), ("pNIC02", "10")]
    assert "New-NetIPAddress -InterfaceAlias 'pNIC01' -IPAddress '10.10.10.112' -PrefixLength 24 " \
           "-DefaultGateway '10.10.10.1'" in text
    assert "Set-DnsClientServerAddress -InterfaceAlias 'pNIC01' -ServerAddresses @('10.10.10.53')" in text
    assert text.index("Set-NetAdapter") < text.index("New-NetIPAddress")
    assert "Proxy" not in text.split("#>", 1)[1]


def test_vnic_mode_uses_network_atc_names_and_isolation():
    text = prepared(build(VARIANTS["vnic_proxy"]), "azl-small", "azl-n1")
    assert "New-VMSwitch -Name 'ConvergedSwitch(mgmt_compute)' -NetAdapterName @('pNIC01', 'pNIC02') " \
           "-EnableEmbeddedTeaming $true -AllowManagementOS $true" in text
    assert "Rename-VMNetworkAdapter -ManagementOS -Name 'ConvergedSwitch(mgmt_compute)' -NewName 'vManagement(mgmt_compute)'" in text
    assert "Rename-NetAdapter -Name 'vEthernet (ConvergedSwitch(mgmt_compute))' -NewName 'vManagement(mgmt_compute)'" in text
    assert "-AllowUntaggedTraffic $true -IsolationMode Vlan -DefaultIsolationID 10" in text
    assert "Set-NetAdapter" not in text.split("#>", 1)[1]        # the only supported way is the isolation cmdlet
    assert "New-NetIPAddress -InterfaceAlias 'vManagement(mgmt_compute)'" in text


def test_proxy_bypass_lists_follow_each_components_syntax():
    text = prepared(build(VARIANTS["vnic_proxy"]), "azl-small", "azl-n1")
    windows = re.search(r"Set-WinInetProxy -ProxySettingsPerUser 0 -ProxyServer 'http://10.10.10.80:8080' -ProxyBypass '([^']+)'",
                        text).group(1)
    assert re.search(r"Set-WinhttpProxy -ProxyServer 'http://10.10.10.80:8080' -BypassList '([^']+)'", text).group(1) == windows
    entries = windows.split(";")
    # WinInet/WinHTTP: ';' separated, '*' wildcards, no CIDR, no <local>; nodes, cluster, infra subnet, domain
    assert "/" not in windows and "<local>" not in windows and "," not in windows
    assert {"localhost", "127.0.0.1", "azl-n1", "azl-n2", "azl-small", "10.10.10.*", "*.small.example.net",
            "*.corp.example"} <= set(entries)
    no_proxy = re.search(r"SetEnvironmentVariable\('NO_PROXY', '([^']+)', 'Machine'\)", text).group(1).split(",")
    # NO_PROXY: ',' separated, CIDR, '.domain' and '.svc', no '*'
    assert not [e for e in no_proxy if "*" in e and e != "*.corp.example"]
    assert {".svc", "10.10.10.0/24", ".small.example.net", "azl-n1", "azl-n2", "azl-small"} <= set(no_proxy)
    ipaddress.ip_network("10.10.10.0/24")
    for var in ("HTTP_PROXY", "HTTPS_PROXY"):
        assert f"SetEnvironmentVariable('{var}', 'http://10.10.10.80:8080', 'Machine')" in text


def test_untagged_management_with_dhcp_prepares_nothing_but_reports():
    text = prepared(build(VARIANTS["untagged_dhcp"]), "azl-small", "azl-n1")
    body = text.split("#>", 1)[1]
    assert not re.search(r"Set-NetAdapter|New-VMSwitch|New-NetIPAddress|Set-WinhttpProxy", body)
    assert "nothing to prepare" in text and "dcnet: changed=$changed" in text


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_node_scripts():
    result = build_example("dc1")
    names = sorted(k for k in result["files"] if "/prepare/" in k)
    assert len(names) == 32
    for name in names:
        assert problems(result["files"][name]) == [], name
    assert "Set-NetAdapter -Name 'pNIC01' -VlanID 11" in prepared(result, "azl-a", "azl-a-n01")
    assert "-DefaultIsolationID 12" in prepared(result, "azl-b", "azl-b-n16")
