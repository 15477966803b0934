"""The vCenter path: pyVmomi objects -> recorded property data -> the same records and mapping as RVTools.

No vCenter runs here: the objects are real pyVmomi data objects built offline, exactly what the
PropertyCollector returns, turned into recorded property data by vcenter.to_plain.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.importer import vcenter
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.mapping import build_draft
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.records import ImportInputError
from ansible_collections.dcnet.fabric.plugins.module_utils.importer.run import import_vcenter

vim = pytest.importorskip("pyVmomi", reason="pyVmomi is a development dependency (requirements-dev.txt)").vim
vmodl = pytest.importorskip("pyVmomi").vmodl


def _obj(kind, moref, **props):
    return {"type": kind, "moref": moref, "props": {k.replace("__", "."): vcenter.to_plain(v) for k, v in props.items()}}


def _recording():
    dvs = vim.dvs.VmwareDistributedVirtualSwitch
    lag = vim.dvs.VmwareDistributedVirtualSwitch.LacpGroupConfig(name="lag1", mode="active", timeoutMode="fast",
                                                                 loadbalanceAlgorithm="srcDestIpTcpUdpPort")

    def portgroup_config(vlan, policy="loadbalance_srcid"):
        return dvs.VmwarePortConfigPolicy(
            vlan=vlan,
            securityPolicy=dvs.SecurityPolicy(allowPromiscuous=vim.BoolPolicy(value=False),
                                              macChanges=vim.BoolPolicy(value=False),
                                              forgedTransmits=vim.BoolPolicy(value=False)),
            uplinkTeamingPolicy=dvs.UplinkPortTeamingPolicy(policy=vim.StringPolicy(value=policy)))

    def nic(key, label, mac, backing):
        return vim.vm.device.VirtualVmxnet3(key=key, macAddress=mac, backing=backing,
                                            deviceInfo=vim.Description(label=label, summary=""),
                                            connectable=vim.vm.device.VirtualDevice.ConnectInfo(connected=True))

    def on_dvpg(key):
        return vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo(
            port=vim.dvs.PortConnection(portgroupKey=key, switchUuid="50 1a"))

    def guest(key, *addresses):
        return vim.vm.GuestInfo.NicInfo(deviceConfigId=key, ipConfig=vim.net.IpConfigInfo(ipAddress=[
            vim.net.IpConfigInfo.IpAddress(ipAddress=a, prefixLength=24) for a in addresses]))

    pnics = [vim.host.PhysicalNic(key=f"key-vim.host.PhysicalNic-vmnic{n}", device=f"vmnic{n}",
                                  mac=f"B0:26:28:00:00:0{n}", driver="bnxtnet") for n in range(4)]
    proxy = vim.host.HostProxySwitch(dvsName="dvs-prod", dvsUuid="50 1a", key="50 1a",
                                     pnic=["key-vim.host.PhysicalNic-vmnic2", "key-vim.host.PhysicalNic-vmnic3"])
    lldp = vim.host.PhysicalNic.LldpInfo(chassisId="00:1c:73:aa:bb:cc", portId="Ethernet5", timeToLive=120, parameter=[
        vmodl.KeyAnyValue(key="System Name", value="leaf01a.dc1.example.net"),
        vmodl.KeyAnyValue(key="Port Description", value="esx001:vmnic0")])
    cdp = vim.host.PhysicalNic.CdpInfo(devId="leaf01b", portId="Ethernet7", systemName="")
    hints = [vim.host.PhysicalNic.NetworkHint(device="vmnic0", lldpInfo=lldp),
             vim.host.PhysicalNic.NetworkHint(device="vmnic1"),
             vim.host.PhysicalNic.NetworkHint(device="vmnic2", connectedSwitchPort=cdp),
             vim.host.PhysicalNic.NetworkHint(device="vmnic3")]
    host_vswitch = vim.host.VirtualSwitch(name="vSwitch0", mtu=1500, pnic=[p.key for p in pnics[:2]],
                                          spec=vim.host.VirtualSwitch.Specification(
        policy=vim.host.NetworkPolicy(nicTeaming=vim.host.NetworkPolicy.NicTeamingPolicy(policy="failover_explicit"))))
    host_pg = vim.host.PortGroup(spec=vim.host.PortGroup.Specification(
        name="Legacy Web", vlanId=100, vswitchName="vSwitch0", policy=vim.host.NetworkPolicy(
            security=vim.host.NetworkPolicy.SecurityPolicy(allowPromiscuous=False, macChanges=True, forgedTransmits=False))))
    return [
        _obj("Datacenter", "datacenter-1", name="DC1"),
        _obj("Folder", "group-v3", name="vm", parent=vim.Datacenter("datacenter-1")),
        _obj("Folder", "group-v10", name="Prod", parent=vim.Folder("group-v3")),
        _obj("Folder", "group-v11", name="shop", parent=vim.Folder("group-v10")),
        _obj("ClusterComputeResource", "domain-c8", name="Prod-Cluster-01"),
        _obj("HostSystem", "host-12", name="esx001.dc1.example.net", parent=vim.ClusterComputeResource("domain-c8"),
             config__network__vswitch=[host_vswitch], config__network__portgroup=[host_pg],
             config__network__pnic=pnics, config__network__proxySwitch=[proxy], networkHint=hints),
        _obj("VmwareDistributedVirtualSwitch", "dvs-21", name="dvs-prod", config__maxMtu=9000, config__lacpGroupConfig=[lag]),
        _obj("DistributedVirtualPortgroup", "dvportgroup-1000", name="DPG-SHOP-WEB-100", key="dvportgroup-1000",
             config__distributedVirtualSwitch=vim.DistributedVirtualSwitch("dvs-21"),
             config__defaultPortConfig=portgroup_config(dvs.VlanIdSpec(vlanId=100)), config__uplink=False),
        _obj("DistributedVirtualPortgroup", "dvportgroup-1090", name="DPG-FW-TRUNK", key="dvportgroup-1090",
             config__distributedVirtualSwitch=vim.DistributedVirtualSwitch("dvs-21"),
             config__defaultPortConfig=portgroup_config(dvs.TrunkVlanSpec(vlanId=[vim.NumericRange(start=0, end=4094)])),
             config__uplink=False),
        _obj("DistributedVirtualPortgroup", "dvportgroup-22", name="dvs-prod-DVUplinks", key="dvportgroup-22",
             config__distributedVirtualSwitch=vim.DistributedVirtualSwitch("dvs-21"), config__uplink=True),
        _obj("VirtualMachine", "vm-10001", name="shop-vm00001", runtime__powerState="poweredOn", config__template=False,
             parent=vim.Folder("group-v11"), runtime__host=vim.HostSystem("host-12"),
             config__hardware__device=[vim.vm.device.VirtualDisk(key=2000),
                                       nic(4000, "Network adapter 1", "00:50:56:00:00:01", on_dvpg("dvportgroup-1000"))],
             guest__net=[guest(4000, "10.100.0.10", "fe80::250:56ff:fe00:1", "2001:db8:64::a")]),
        _obj("VirtualMachine", "vm-10002", name="shop-vm00002", runtime__powerState="poweredOff", config__template=False,
             parent=vim.Folder("group-v11"), runtime__host=vim.HostSystem("host-12"),
             config__hardware__device=[nic(4000, "Network adapter 1", "00:50:56:00:00:02",
                                           vim.vm.device.VirtualEthernetCard.NetworkBackingInfo(deviceName="Legacy Web"))],
             guest__net=[guest(4000, "10.100.0.11")]),
        _obj("VirtualMachine", "vm-10003", name="fw01", runtime__powerState="poweredOn", config__template=False,
             parent=vim.Folder("group-v10"), runtime__host=vim.HostSystem("host-12"),
             config__hardware__device=[nic(4000, "Network adapter 1", "00:50:56:00:10:01", on_dvpg("dvportgroup-1090"))]),
    ]


def test_recorded_properties_are_plain_json():
    recording = _recording()
    assert json.loads(json.dumps(recording)) == recording
    vm = recording[-3]["props"]
    assert vm["config.hardware.device"][1]["backing"]["port"]["portgroupKey"] == "dvportgroup-1000"
    assert vm["runtime.host"] == {"_moref": "host-12"}


def test_vcenter_records_go_through_the_same_mapping():
    draft = build_draft(vcenter.estate_from_properties(_recording(), "vc01"))
    [web] = draft["networks"]
    assert web["vlan"] == 100 and web["ipv4"] == "10.100.0.0/24" and web["ipv6"] == "2001:db8:64::/64"
    assert web["port_groups"] == [{"name": "DPG-SHOP-WEB-100", "switch": "dvs-prod", "id": "dvportgroup-1000"},
                                  {"name": "Legacy Web", "switch": "vSwitch0"}]
    assert web["mtu"] == 1500  # the standard vSwitch's 1500 beats the dvSwitch's 9000 (and is a conflict)
    assert draft["bond_profiles"]["vmw-dvs-prod"]["mode"] == "802.3ad"
    assert draft["bond_profiles"]["vmw-dvs-prod"]["xmit_hash_policy"] == "layer3+4"
    vms = {vm["name"]: vm for vm in draft["vms"]}
    assert vms["shop-vm00001"]["application"] == "shop" and vms["shop-vm00001"]["folder"] == "/Prod/shop"
    assert vms["shop-vm00001"]["source"] == {"datacenter": "DC1", "cluster": "Prod-Cluster-01",
                                             "host": "esx001.dc1.example.net", "id": "vm-10001"}
    assert vms["shop-vm00001"]["nics"] == [{"name": "Network adapter 1", "network": "dpg-shop-web-100",
                                            "mac": "00:50:56:00:00:01", "ipv4": ["10.100.0.10"], "ipv6": ["2001:db8:64::a"]}]
    assert vms["shop-vm00002"]["power_state"] == "off"
    assert vms["fw01"]["nics"][0]["network"] is None
    kinds = {c.kind: c for c in draft["conflicts"]}
    assert str(kinds["vlan_trunk"].evidence[0]) == "vcenter dvportgroup-1090" and "0-4094" in kinds["vlan_trunk"].message
    assert {str(o) for o in kinds["vlan_mtu"].evidence} == {"vcenter dvportgroup-1000", "vcenter host-12"}
    assert "does not support LACP" in next(c.message for c in draft["conflicts"]
                                           if c.kind == "teaming" and c.subject == "switch dvs-prod")


def test_hosts_are_cabled_from_their_lldp_and_cdp_neighbours():
    draft = build_draft(vcenter.estate_from_properties(_recording(), "vc01"))
    [cluster] = draft["clusters"]
    assert cluster["name"] == "prod-cluster-01" and cluster["networks"] == ["dpg-shop-web-100"]
    assert cluster["vswitches"] == [
        {"name": "dvs-prod", "kind": "distributed", "uplinks": ["vmnic2", "vmnic3"], "teaming": "lacp",
         "lacp": {"mode": "active", "rate": "fast"}, "mtu": 9000},
        {"name": "vSwitch0", "kind": "standard", "uplinks": ["vmnic0", "vmnic1"], "teaming": "failover_explicit",
         "mtu": 1500}]
    # LLDP system name (short) and port id; CDP device id; no neighbour: a decision
    assert cluster["nodes"] == [{"name": "esx001", "id": 1, "nics": {
        "vmnic0": "leaf01a:Ethernet5", "vmnic1": "?", "vmnic2": "leaf01b:Ethernet7", "vmnic3": "?"}}]
    found = {c.subject: c for c in draft["conflicts"] if c.kind in ("cabled_from_neighbor", "uplink_cabling")}
    assert "from LLDP (leaf01a.dc1.example.net port Ethernet5)" in found["host esx001.dc1.example.net vmnic0"].message
    assert "from CDP" in found["host esx001.dc1.example.net vmnic2"].message
    assert "2 uplink(s) on 1 host(s)" in found["cluster prod-cluster-01"].message
    assert str(found["cluster prod-cluster-01"].evidence[0]) == "vcenter host-12"
    assert {vm["cluster"] for vm in draft["vms"]} == {"prod-cluster-01"}


def test_replaying_a_recording_writes_the_draft(tmp_path):
    path = tmp_path / "vc.json"
    path.write_text(json.dumps(_recording()), encoding="utf-8")
    result = import_vcenter(str(tmp_path / "draft"), recording=str(path))
    assert (tmp_path / "draft" / "vms.yml").is_file() and result["draft"]["counts"]["vms"] == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(ImportInputError, match="not a vCenter recording"):
        import_vcenter(str(tmp_path / "other"), recording=str(bad))
    with pytest.raises(ImportInputError, match="needs the host, a user and a password"):
        import_vcenter(str(tmp_path / "other"), host="vc01")
    assert not (tmp_path / "other").exists()
