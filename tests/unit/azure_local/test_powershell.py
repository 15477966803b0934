"""Set-NetworkIntents.ps1: parsed with a real PowerShell grammar, then checked against the cmdlet reference.

PowerShell itself is not installable here (not in Debian; its installers
download a binary), so the script is parsed with tree-sitter-powershell (the
grammar editors use, from PyPI) and its syntax tree is checked:

* no syntax error anywhere (and a broken script is reported, so the parser can fail);
* every command is a known cmdlet or one of the script's own functions, and
  every parameter used exists for that cmdlet (NetworkATC parameter sets from
  the Windows Server 2025 cmdlet reference, see docs/platforms/azure_local.md);
* Add-NetIntent passes the switch override as -SwitchPropertyOverrides,
  Set-NetIntent as -SwitchOverrides;
* override objects only get properties their New-NetIntent*Overrides cmdlet has;
* every changing cmdlet runs only inside an ``Invoke-IntentChange -Action``
  block, and Invoke-IntentChange returns before running the block in dry-run mode.

What this does NOT prove: that the script runs on a Windows host (no Windows
here), nor the property names Get-NetIntent reports (read, not executed).
"""

from __future__ import annotations

import re

import pytest

from ._helpers import build, clean_build, build_example, cluster, example_vars, has_example, host_network

tree_sitter = pytest.importorskip("tree_sitter", reason="tree-sitter (requirements-dev.txt) is not installed")
tsp = pytest.importorskip("tree_sitter_powershell", reason="tree-sitter-powershell (requirements-dev.txt) is not installed")

COMMON = {"Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable",
          "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"}

# NetworkATC cmdlets: parameters of all their parameter sets (learn.microsoft.com, module networkatc, ws2025).
ATC = {
    "Get-NetIntent": {"ComputerName", "ClusterName", "Name", "GlobalOverrides"},
    "Get-NetIntentStatus": {"ComputerName", "ClusterName", "Name", "GlobalOverrides"},
    "Add-NetIntent": {"ComputerName", "ClusterName", "AdapterName", "Name", "Wait", "Compute", "Management", "Storage",
                      "Switchless", "Stretch", "AdapterPropertyOverrides", "QoSPolicyOverrides",
                      "AdapterRssPropertyOverrides", "SwitchPropertyOverrides", "StorageOverrides", "SiteOverrides",
                      "StorageVlans", "ManagementVlan", "SkipNetworkInterfaceValidation", "PutGlobal",
                      "GlobalProxyOverrides", "GlobalClusterOverrides"},
    "Set-NetIntent": {"Name", "ComputerName", "ClusterName", "AdapterPropertyOverrides", "QoSPolicyOverrides",
                      "AdapterRssOverrides", "SwitchOverrides", "StorageOverrides", "SiteOverrides", "StorageVlans",
                      "ManagementVlan", "Wait", "GlobalProxyOverrides", "GlobalClusterOverrides"},
    "Update-NetIntentAdapter": {"AdapterName", "ClusterName", "ComputerName", "Name", "Wait"},
    "New-NetIntentAdapterPropertyOverrides": set(),
    "New-NetIntentQosPolicyOverrides": set(),
    "New-NetIntentSwitchConfigurationOverrides": set(),
    "New-NetIntentStorageOverrides": set(),
}
# Microsoft.PowerShell.Utility / Core cmdlets the script may use, with the parameters it may pass.
CORE = {
    "Write-Output": set(), "Write-Warning": set(), "Write-Verbose": set(),
    "Where-Object": set(), "ForEach-Object": set(), "Select-Object": {"First", "Property"},
    "Sort-Object": {"Property"}, "Format-Table": {"AutoSize", "Property"}, "Out-String": {"Width"},
    "Get-Variable": {"Name", "Scope"}, "Set-StrictMode": {"Version"},
}
MUTATING = {"Add-NetIntent", "Set-NetIntent", "Update-NetIntentAdapter", "Remove-NetIntent", "Update-NetIntentType"}
OVERRIDE_PROPERTIES = {
    "New-NetIntentAdapterPropertyOverrides": {"JumboPacket", "NetworkDirect", "NetworkDirectTechnology", "EncapOverhead",
                                              "FlowControl", "InterruptModeration", "NumaNodeId", "PacketDirect",
                                              "PriorityVLANTag", "QOS", "QosOffload", "ReceiveBuffers", "TransmitBuffers",
                                              "Sriov", "VMQ", "VlanID"},
    "New-NetIntentQosPolicyOverrides": {"PriorityValue8021Action_SMB", "PriorityValue8021Action_Cluster",
                                        "BandwidthPercentage_SMB", "BandwidthPercentage_Cluster",
                                        "NetDirectPortMatchCondition"},
    "New-NetIntentSwitchConfigurationOverrides": {"EnableSoftwareRsc", "EnableIov", "EnableEmbeddedTeaming",
                                                  "LoadBalancingAlgorithm", "DefaultQueueVrssMaxQueuePairs",
                                                  "DefaultQueueVrssMinQueuePairs", "DefaultQueueVrssQueueSchedulingMode"},
    "New-NetIntentStorageOverrides": {"EnableAutomaticIPGeneration"},
}


def _parser():
    return tree_sitter.Parser(tree_sitter.Language(tsp.language()))


def parse(text: str):
    return _parser().parse(text.encode("utf-8")).root_node


def syntax_errors(root):
    out = []

    def walk(node):
        if node.type == "ERROR" or node.is_missing:
            out.append(f"line {node.start_point[0] + 1}: {node.text.decode()[:60]!r}")
        for child in node.children:
            walk(child)
    walk(root)
    return out


def nodes(root, kind):
    stack, out = [root], []
    while stack:
        node = stack.pop()
        if node.type == kind:
            out.append(node)
        stack.extend(reversed(node.children))
    return out


def child(node, kind):
    return next((c for c in node.children if c.type == kind), None)


def command_name(cmd):
    name = child(cmd, "command_name")
    return name.text.decode() if name else None


def command_params(cmd):
    elements = child(cmd, "command_elements")
    return [p.text.decode()[1:] for p in (elements.children if elements else []) if p.type == "command_parameter"]


def param_value(cmd, param):
    """The syntax node following -<param> in a command (skipping separators)."""
    elements = child(cmd, "command_elements")
    items = [c for c in elements.children if c.type != "command_argument_sep"] if elements else []
    for i, item in enumerate(items):
        if item.type == "command_parameter" and item.text.decode()[1:].lower() == param.lower():
            return items[i + 1] if i + 1 < len(items) else None
    return None


def functions(root):
    """{name: set of parameter names} of the script's own functions."""
    out = {}
    for fn in nodes(root, "function_statement"):
        name = child(fn, "function_name").text.decode()
        out[name] = {v.text.decode()[1:] for p in nodes(fn, "script_parameter") for v in p.children if v.type == "variable"}
    return out


def ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def script_problems(text: str):
    """Every structural problem of a rendered script, as readable lines (empty = good)."""
    root = parse(text)
    problems = list(syntax_errors(root))
    own = functions(root)
    known = {**ATC, **CORE, **own}
    lower = {k.lower(): k for k in known}
    for cmd in nodes(root, "command"):
        name = command_name(cmd)
        if name is None:
            continue  # '& $Action' and other invocations by expression
        if name.lower() not in lower:
            problems.append(f"unknown command {name}")
            continue
        allowed = {p.lower() for p in known[lower[name.lower()]] | COMMON}
        for param in command_params(cmd):
            if param.lower() not in allowed:
                problems.append(f"{name} has no parameter -{param}")
        if name in MUTATING:
            guard = [a for a in ancestors(cmd) if a.type == "command" and command_name(a) == "Invoke-IntentChange"]
            action = param_value(guard[0], "Action") if guard else None
            inside_action = action is not None and action.text.decode().lstrip().startswith("{") and \
                action.start_byte <= cmd.start_byte and cmd.end_byte <= action.end_byte
            if not inside_action:
                problems.append(f"line {cmd.start_point[0] + 1}: {name} runs outside Invoke-IntentChange -Action")
    # override objects: $x = New-NetIntent*Overrides, then $x.Property = value
    made = {}
    for assign in nodes(root, "assignment_expression"):
        left = assign.children[0].text.decode().strip()
        rhs = [c for c in nodes(assign, "command") if command_name(c) in OVERRIDE_PROPERTIES]
        if rhs and "." not in left:
            made[left.lower()] = command_name(rhs[0])
    for assign in nodes(root, "assignment_expression"):
        left = assign.children[0].text.decode().strip()
        match = re.fullmatch(r"(\$\w+)\.(\w+)", left)
        if match and match.group(1).lower() in made:
            cmdlet = made[match.group(1).lower()]
            if match.group(2) not in OVERRIDE_PROPERTIES[cmdlet]:
                problems.append(f"{cmdlet} objects have no property {match.group(2)}")
    return problems


def dry_run_guard_problems(text: str):
    """Invoke-IntentChange must return in dry-run mode before '& $Action'."""
    root = parse(text)
    fn = next((f for f in nodes(root, "function_statement") if child(f, "function_name").text.decode() == "Invoke-IntentChange"), None)
    if fn is None:
        return ["no Invoke-IntentChange function"]
    body = fn.text.decode()
    guard = re.search(r"if \(\$script:DryRunMode\) \{(?P<block>[^}]*)\}", body)
    run = body.find("& $Action")
    problems = []
    if not guard or "return" not in guard.group("block") or "$Action" in guard.group("block"):
        problems.append("no dry-run guard that returns without running the action")
    elif run < guard.end():
        problems.append("the action runs before the dry-run guard")
    if "[CmdletBinding(SupportsShouldProcess)]" not in text or "[switch] $DryRun" not in text:
        problems.append("script lacks SupportsShouldProcess (check mode) or the -DryRun switch")
    if not re.search(r"\$script:DryRunMode = \$DryRun\.IsPresent -or \[bool\] \$WhatIfPreference", text):
        problems.append("dry-run mode is not taken from -DryRun and -WhatIf")
    return problems


def script(result, name):
    return result["files"][f"azure_local/{name}/Set-NetworkIntents.ps1"]


def variants():
    """examples/small and variations of its Azure Local cluster that exercise every override."""
    out = {"small": example_vars("small")}
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["intents"][0]["switch"] = {"load_balancing": "HyperVPort", "enable_iov": True}
    c["intents"][1]["qos"] = {"priority_smb": 4, "priority_cluster": 6, "bandwidth_smb": 60, "override": True}
    out["overrides"] = v
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["storage"] = {"switchless": True, "auto_ip": False}
    out["switchless"] = v
    v = example_vars("small")
    c = cluster(v, "azl-small")
    c["intents"] = [{"name": "converged", "traffic": ["management", "compute", "storage"],
                     "adapters": ["pNIC01", "pNIC02"], "storage_networks": ["azl-storage1", "azl-storage2"],
                     "jumbo_packet": 9014, "rdma": "roce_v2"}]
    for node in c["nodes"]:
        node["nics"] = {k: v for k, v in node["nics"].items() if k in ("pNIC01", "pNIC02")}
    out["converged"] = v
    return out


VARIANTS = variants()


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def rendered(request):
    return clean_build(VARIANTS[request.param])


def test_parser_reports_broken_scripts():
    good = "if ($x) { Write-Output 'a' }\n"
    assert syntax_errors(parse(good)) == []
    assert syntax_errors(parse("if ($x) { Write-Output 'a'\n"))
    assert syntax_errors(parse("$a = @('x', 'y'\n"))


def test_structure_checks_can_fail():
    bad = ("function Invoke-IntentChange { param([string] $Description, [scriptblock] $Action) & $Action }\n"
           "$s = New-NetIntentSwitchConfigurationOverrides\n$s.LoadBalancing = 'Dynamic'\n"
           "Add-NetIntent -Name 'a' -Storage -AdapterName @('p1') -SwitchOverrides $s\n"
           "Invoke-IntentChange -Description 'x' -Action { Set-NetIntent -Name 'a' -SwitchPropertyOverrides $s }\n"
           "Get-NetIntnet -ClusterName 'c'\n")
    problems = script_problems(bad)
    assert "Add-NetIntent has no parameter -SwitchOverrides" in problems
    assert "Set-NetIntent has no parameter -SwitchPropertyOverrides" in problems
    assert "unknown command Get-NetIntnet" in problems
    assert "New-NetIntentSwitchConfigurationOverrides objects have no property LoadBalancing" in problems
    assert any("Add-NetIntent runs outside Invoke-IntentChange" in p for p in problems)
    assert dry_run_guard_problems(bad)


def test_rendered_script_is_well_formed(rendered):
    text = script(rendered, "azl-small")
    assert script_problems(text) == []
    assert dry_run_guard_problems(text) == []


def test_every_intent_is_read_added_and_set(rendered):
    text = script(rendered, "azl-small")
    root = parse(text)
    intents = [i["name"] for i in host_network(rendered, "azl-small")["intents"]]
    cmds = [(command_name(c), c) for c in nodes(root, "command") if command_name(c)]
    assert [n for n, _c in cmds].count("Get-NetIntent") == 1
    for verb in ("Add-NetIntent", "Set-NetIntent", "Update-NetIntentAdapter"):
        names = [param_value(c, "Name").text.decode().strip("'") for n, c in cmds if n == verb]
        assert names == intents, verb
    status = [c for n, c in cmds if n == "Get-NetIntentStatus"]
    assert len(status) == 1 and status[0].start_byte > max(c.start_byte for n, c in cmds if n in MUTATING)


def test_switch_override_parameter_names_differ():
    text = script(build(VARIANTS["overrides"]), "azl-small")
    root = parse(text)
    add = [c for c in nodes(root, "command") if command_name(c) == "Add-NetIntent"]
    sett = [c for c in nodes(root, "command") if command_name(c) == "Set-NetIntent"]
    assert "SwitchPropertyOverrides" in command_params(add[0]) and "SwitchOverrides" in command_params(sett[0])
    assert "$switchOverrides.EnableIov = $true" in text
    assert "$qosOverrides.PriorityValue8021Action_SMB = 4" in text
    assert "-QoSPolicyOverrides $qosOverrides" in text


def test_script_values_match_the_json(rendered):
    """The two renderings agree: storage VLANs, adapters, jumbo packet, RDMA, switchless."""
    text = script(rendered, "azl-small")
    doc = host_network(rendered, "azl-small")
    root = parse(text)
    adds = {param_value(c, "Name").text.decode().strip("'"): c
            for c in nodes(root, "command") if command_name(c) == "Add-NetIntent"}
    vlans = [int(n["vlanId"]) for n in doc["storageNetworks"]]
    rdma = {"RoCEv2": "4", "RoCE": "3", "iWARP": "1"}
    for intent in doc["intents"]:
        cmd = adds[intent["name"]]
        params = command_params(cmd)
        assert [t for t in ("Management", "Compute", "Storage") if t in params] == intent["trafficType"]
        assert re.findall(r"'([^']+)'", param_value(cmd, "AdapterName").text.decode()) == intent["adapter"]
        if "Storage" in intent["trafficType"]:
            assert [int(x) for x in re.findall(r"\d+", param_value(cmd, "StorageVlans").text.decode())] == vlans
            assert ("Switchless" in params) == doc["storageConnectivitySwitchless"]
        block = text[text.index(f"# ---- intent {intent['name']}:"):cmd.start_byte]
        ap = intent["adapterPropertyOverrides"]
        if ap["jumboPacket"]:
            assert f"$adapterOverrides.JumboPacket = {ap['jumboPacket']}" in block
        assert f"$adapterOverrides.NetworkDirect = {1 if ap['networkDirect'] == 'Enabled' else 0}" in block
        if ap["networkDirectTechnology"]:
            assert f"$adapterOverrides.NetworkDirectTechnology = {rdma[ap['networkDirectTechnology']]}" in block


def test_management_vlan_comes_from_the_management_network():
    text = script(build(example_vars("small")), "azl-small")
    assert "-Management -Compute -AdapterName @('pNIC01', 'pNIC02') -ManagementVlan 10" in text
    v = example_vars("small")
    cluster(v, "azl-small")["native_network"] = "mgmt"
    text = script(build(v), "azl-small")
    assert "ManagementVlan" not in text.split("#>", 1)[1]


@pytest.mark.skipif(not has_example("dc1"), reason="examples/dc1 is not in this checkout")
def test_dc1_scripts_are_well_formed():
    result = build_example("dc1")
    names = [k.split("/")[1] for k in result["files"] if k.endswith("Set-NetworkIntents.ps1")]
    assert len(names) == 2
    for name in names:
        assert script_problems(script(result, name)) == []
        assert dry_run_guard_problems(script(result, name)) == []


# Properties of the objects Get-NetIntent returns (Microsoft's Azure Local supportability scripts read
# AdapterAdvancedParametersOverride, RssConfigOverride, QosPolicyOverride, SwitchConfigOverride and
# IPOverride; its storage-IP troubleshooting guide reads $intent.IPOverride.EnableAutomaticIPGeneration).
GET_NETINTENT_PROPERTIES = {"IntentName", "IsManagementIntentSet", "IsComputeIntentSet", "IsStorageIntentSet",
                            "NetAdapterNamesAsList", "ManagementVLAN", "StorageVLANs",
                            "AdapterAdvancedParametersOverride", "RssConfigOverride", "QosPolicyOverride",
                            "SwitchConfigOverride", "IPOverride"}


def test_compared_properties_are_the_ones_get_netintent_reports(rendered):
    text = script(rendered, "azl-small")
    paths = re.findall(r"-Path '([^']+)'", text)
    assert paths and {p.split(".")[0] for p in paths} <= GET_NETINTENT_PROPERTIES, sorted(set(paths))
    # the storage override (automatic IPs) is read back from IPOverride, not from a StorageOverride property
    assert "'IPOverride.EnableAutomaticIPGeneration'" in text and "StorageOverride." not in text
