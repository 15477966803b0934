# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The gate after each batch of a plan: what must hold before the next step starts.

A gate is data: the checks to run, per target, and the expected state they
compare with.  The next phase's precondition is the previous phase's gate, so a
phase applied out of order is refused by the very check that would have let it
through (``evaluate_ports`` is that check for switch ports, from any record of
live port state: OVS in the lab, a parsed ``show`` elsewhere).

* FRR switches: ``dcnet.fabric.fabric_state`` on the batch (sessions, BFD, routes)
  and the expected VLANs and MTU of every port the batch changed;
* EOS: the ANTA catalogue of each changed device (``catalogues/<device>.anta.yml``
  in the build tree, written by the ``catalogues`` render target) run with ``anta nrfu``;
* NX-OS: the BGP neighbour commands of the rolling deploy and ``show vlan`` /
  ``show interface ... trunk`` of the changed VLANs and ports;
* NNCP: the conditions kubernetes-nmstate sets, as the ``oc wait`` and
  ``kubernetes.core.k8s_info`` calls the operator runs;
* Network ATC: ``Get-NetIntentStatus`` of the changed intents;
* other cluster objects: ``oc get`` of each applied object.
"""

from __future__ import annotations

from .. import platforms
from ..deploy import rolling

ANTA_CATALOGUE = "catalogues/{device}.anta.yml"  # render/catalogues: the device's ANTA catalogue
NNCE_API = "nmstate.io/v1beta1"


def _port_expectations(changes):
    """{device: {"ports": {name: {...} | None}, "vlans": {id: name | None}}} the batch must show afterwards."""
    out = {}
    for change in changes:
        domain, device, kind, name = change["key"]
        new = change["new"]
        entry = out.setdefault(device, {"ports": {}, "vlans": {}})
        if kind == "port":
            value = new["value"] if new else None
            entry["ports"][name] = None if value is None else {
                "allowed_vlans": sorted(value.get("allowed_vlans") or []), "native_vlan": value.get("native_vlan"),
                "mtu": value.get("mtu"), "mode": value.get("mode")}
        elif kind == "vlan":
            entry["vlans"][name] = new["value"]["name"] if new else None
    return {d: e for d, e in out.items() if e["ports"] or e["vlans"]}


def switch_gate(site: str, devices: list, configs: dict, changes: list) -> dict:
    """The gate after one batch of switches (``configs``: the new structured configs)."""
    expect = _port_expectations(changes)
    checks = []
    for device in devices:
        config = configs[device]
        platform = config.get("platform")
        mine = expect.get(device, {"ports": {}, "vlans": {}})
        kind = platforms.get(platform).plan_gate
        if kind == "anta":
            catalogue = f"build/{site}/" + ANTA_CATALOGUE.format(device=device)
            checks.append({"device": device, "platform": platform, "tool": "anta", "catalogue": catalogue,
                           "command": f"anta nrfu --inventory anta_inventory.yml --catalog {catalogue} "
                                      f"--device {device} table"})
        elif kind == "show":
            commands = rolling.gate_checks(config)
            extra = [f"show vlan id {vid}" for vid, name in sorted(mine["vlans"].items(), key=lambda kv: int(kv[0])) if name]
            extra += [f"show interface {port} switchport" for port, want in sorted(mine["ports"].items()) if want]
            checks.append({"device": device, "platform": platform, "tool": "nxos_command",
                           "commands": commands["commands"] + extra, "wait_for": commands["wait_for"]})
        else:
            checks.append({"device": device, "platform": platform, "tool": "dcnet.fabric.fabric_state",
                           "args": {"structured": "the switches' structured configs after this batch "
                                                  "(steps/phase-<n>/<device>.yml of this plan, the last render for "
                                                  "the switches it has not changed)",
                                    "devices": {device: device}, "scope": "underlay", "wait": 60},
                           "also": "bridge vlan show; ip -d link show (the ports below)"})
    return {"kind": "switches", "devices": list(devices), "checks": checks, "expect": expect}


def host_gate(site: str, batch: dict) -> dict:
    """The gate after one batch of host policies (NNCPs, nmstate files, Network ATC intents)."""
    checks = []
    for change in batch["changes"]:
        obj = change["new"] or change["old"]
        kind = change["key"][2]
        if kind == "nncp":
            name = change["key"][1]
            if change["action"] == "remove":
                checks.append({"tool": "oc", "command": f"oc wait nncp/{name} --for=delete --timeout=10m"})
                continue
            checks.append({"tool": "oc", "command": f"oc wait nncp/{name} --for=condition=Available --timeout=10m"})
            for node in obj.get("nodes") or []:
                checks.append({"tool": "kubernetes.core.k8s_info", "args": {
                    "api_version": NNCE_API, "kind": "NodeNetworkConfigurationEnactment", "name": f"{node}.{name}",
                    "wait": True, "wait_timeout": 600,
                    "wait_condition": {"type": "Available", "status": "True"}}})
        elif kind == "atc-intents":
            for intent in obj.get("intents") or []:
                checks.append({"tool": "powershell", "command":
                               f"Get-NetIntentStatus -ClusterName {obj['cluster']} -Name {intent}",
                               "expect": "ConfigurationStatus Success and ProvisioningStatus Completed on every node"})
        else:
            for node in obj.get("nodes") or []:
                checks.append({"tool": "nmstatectl", "host": node,
                               "command": "nmstatectl show (nmstatectl apply verifies the desired state and rolls "
                                          "back on a mismatch)"})
    return {"kind": "hosts", "cluster": batch["cluster"], "checks": checks}


def cluster_gate(changes: list) -> dict:
    checks = []
    for change in changes:
        obj = change["new"] or change["old"]
        kind, name, ns = obj.get("doc_kind") or "file", obj.get("name"), obj.get("namespace")
        where = f" -n {ns}" if ns else ""
        if change["key"][2] == "ARM template":
            stem = name.rsplit(".", 1)[0]
            checks.append({"tool": "az", "command": f"az deployment group show --resource-group <resource group of "
                                                    f"{obj['cluster']}> --name {stem} --query properties.provisioningState",
                           "expect": "Succeeded"})
            continue
        if change["key"][2] in ("Bicep", "script"):
            continue
        if change["action"] == "remove":
            checks.append({"tool": "oc", "command": f"oc wait {kind.lower()}/{name}{where} --for=delete --timeout=5m"})
        else:
            checks.append({"tool": "oc", "command": f"oc get {kind.lower()}/{name}{where}"})
    return {"kind": "cluster", "checks": checks}


def evaluate_ports(expect: dict, observed: dict) -> list:
    """Differences between a switch gate's expected ports/VLANs and observed ones, as sentences.

    ``observed``: {device: {"ports": {name: {"allowed_vlans": [...], "mtu": N, ...}}}} read from the live
    devices.  An empty list is a passed gate.
    """
    problems = []
    for device, want in sorted(expect.items()):
        seen = (observed.get(device) or {}).get("ports") or {}
        for port, spec in sorted(want["ports"].items()):
            have = seen.get(port)
            if spec is None:
                continue
            if have is None:
                problems.append(f"{device} {port}: not found")
                continue
            missing = sorted(set(spec["allowed_vlans"]) - set(have.get("allowed_vlans") or []))
            extra = sorted(set(have.get("allowed_vlans") or []) - set(spec["allowed_vlans"]))
            if missing:
                problems.append(f"{device} {port}: VLANs {missing} not carried yet")
            if extra:
                problems.append(f"{device} {port}: still carries VLANs {extra}")
            if spec.get("mtu") and have.get("mtu") and int(have["mtu"]) != int(spec["mtu"]):
                problems.append(f"{device} {port}: MTU {have['mtu']}, expected {spec['mtu']}")
    return problems
