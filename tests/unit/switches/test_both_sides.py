"""Host-facing trunks agree with the hosts, read from the rendered outputs of both sides.

Switch side: each leaf's rendered config parsed back (the port, or the
port-channel it belongs to).  Host side: the rendered NMState document of
each bonded node (VLAN interfaces on the bond plus the VM bridge's trunk on
the bond), or, for Azure Local, the networks of the adapter's intent.
"""

from __future__ import annotations

import pytest
import yaml

from . import models, parse

VARIANTS = {"plain": dict(), "evpn-two-racks": dict(overlay="evpn_vxlan", second_rack=True)}


def _ove_states(files, node):
    """(NNCP desiredStates that apply to an OVE node, VLAN ids of its cluster's VM NADs), from ove/<cluster>/."""
    states, nad_vlans = [], set()
    for rel, text in sorted(files.items()):
        if not rel.startswith("ove/") or "/install/" in rel:
            continue
        doc = yaml.safe_load(text.split("---\n", 1)[1])
        if doc["kind"] == "NodeNetworkConfigurationPolicy":
            values = set(doc["spec"]["nodeSelector"].values())
            if "" in values or node in values or any(v.startswith(node + ".") for v in values):
                states.append(doc["spec"]["desiredState"])
        elif doc["kind"] == "NetworkAttachmentDefinition" and doc["metadata"]["namespace"] != "openshift-cnv":
            config = yaml.safe_load(doc["spec"]["config"])
            nad_vlans.add(config.get("vlanID", config.get("vlan")))
    return states, nad_vlans


def _nmstate_vlans(files, node, nic):
    """(bond name, VLAN ids the host tags on the bond) read from the rendered NMState of the node.

    Tagged VLANs are the VLAN interfaces on the bond plus the trunk of the VM bridge port that is the
    bond (trunk-tags: ids and id-ranges); None when the NIC is not a bond member in that document.
    An OVE node's host file is its install-time network: its post-install NNCPs add VLAN interfaces
    and the VM side -- every VM NAD's VLAN on the bond that is the port of the VM bridge, or on the
    bond under br-ex when the bridge mappings go to br-ex (shared layout).
    """
    doc = yaml.safe_load(files[f"hosts/{node}.nmstate.yml"])
    states, nad_vlans = _ove_states(files, node)
    interfaces = list(doc["interfaces"]) + [i for s in states for i in s.get("interfaces", [])]
    doc = {"interfaces": interfaces}
    bonds = [i for i in doc["interfaces"] if i["type"] == "bond" and nic in i["link-aggregation"]["port"]]
    if not bonds:
        return None, set()
    bond = bonds[0]["name"]
    vlans = {i["vlan"]["id"] for i in doc["interfaces"] if i["type"] == "vlan" and i["vlan"]["base-iface"] == bond}
    bridged = any(p["name"] == bond for i in interfaces if i["type"] == "ovs-bridge"
                  for p in i.get("bridge", {}).get("port", []))
    to_br_ex = any(m["bridge"] == "br-ex" for s in states for m in s.get("ovn", {}).get("bridge-mappings", []))
    if bridged or (to_br_ex and bonds[0]["ipv4"].get("enabled")):     # br-ex sits on the addressed bond
        vlans |= nad_vlans
    for iface in doc["interfaces"]:
        for port in (iface.get("bridge") or {}).get("port", []):
            if port["name"] != bond:
                continue
            for tag in (port.get("vlan") or {}).get("trunk-tags", []):
                span = tag.get("id-range")
                vlans |= set(range(span["min"], span["max"] + 1)) if span else {tag["id"]}
    return bond, vlans


def _host_vlans(files, cluster, node, nic):
    """(VLAN ids tagged toward the switch, untagged VLAN or None) of one NIC, from the host's rendered files.

    Bonded hosts (Linux, OVE): the rendered NMState document; the native network is untagged on the bond
    itself, so its VLAN id comes from the cluster's structured file. Azure Local: the networks of the
    adapter's intent (the ATC side is compared with hostNetwork.json in tests/unit/azure_local).
    """
    clus = yaml.safe_load(files[f"structured/clusters/{cluster}.yml"])
    vlan_of = {n["name"]: n["vlan"] for n in clus["networks"]}
    if f"hosts/{node}.nmstate.yml" in files:
        bond, vlans = _nmstate_vlans(files, node, nic)
        assert bond, f"{node} {nic} is not a bond member in hosts/{node}.nmstate.yml"
        native = vlan_of[clus["native_network"]] if clus.get("native_network") else None
        return vlans | ({native} if native else set()), native
    host = yaml.safe_load(files[f"structured/{node}.yml"])
    adapter = next(a for a in host["adapters"] if a["name"] == nic)
    return {vlan_of[n] for n in adapter["networks"]}, (vlan_of[clus["native_network"]]
                                                       if clus.get("native_network") in adapter["networks"] else None)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("platform", ("frr", "eos", "nxos"))
def test_leaf_trunk_vlans_equal_the_hosts_networks(platform, variant):
    pytest.importorskip("ciscoconfparse2")
    variables = models.small(platform, **VARIANTS[variant])
    result = models.build(variables, targets=("structured", "switches", "nmstate", "ove"))
    assert not models.errors(result), models.errors(result)
    files = result["files"]
    switch_files = models.switch_files(result)
    checked = 0
    for cluster in variables["dcnet_clusters"]:
        for node in cluster["nodes"]:
            for nic, cable in sorted(node["nics"].items()):
                leaf, port = cable.split(":")
                parsed = parse.read(platform, switch_files, leaf)
                info = parsed["ports"][port]
                carrier = parsed["channels"][info["channel"]] if info["channel"] is not None else info
                host_vlans, host_native = _host_vlans(files, cluster["name"], node["name"], nic)
                assert carrier["vlans"] == host_vlans, (
                    f"{leaf} {port} carries {sorted(carrier['vlans'])}, {node['name']} {nic} uses {sorted(host_vlans)}")
                assert carrier["native"] == host_native, f"{leaf} {port}: native VLAN"
                checked += 1
    assert checked == sum(len(n["nics"]) for c in variables["dcnet_clusters"] for n in c["nodes"])


def test_a_missing_vlan_would_be_caught():
    """Guard: the comparison sees a VLAN removed from one rendered trunk."""
    pytest.importorskip("ciscoconfparse2")
    result = models.build(models.small("eos"), targets=("structured", "switches", "nmstate"))
    text = models.switch_files(result)["leaf01a.cfg"].replace(
        "switchport trunk allowed vlan 10,20,30,100-101\n   mlag 1", "switchport trunk allowed vlan 10,20,100-101\n   mlag 1")
    parsed = parse.eos(text)
    host_vlans, _native = _host_vlans(result["files"], "ove-small", "ove-w1", "ens1f0")
    assert parsed["channels"][1]["vlans"] != host_vlans
