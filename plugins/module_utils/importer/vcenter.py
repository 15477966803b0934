"""Read a live vCenter with pyVmomi into the same Estate records as the RVTools reader.

Two steps, so the second is tested without a vCenter:

1. ``collect(...)`` connects, asks the PropertyCollector once per object type
   for the properties in ``PROPERTIES`` and turns pyVmomi objects into plain
   data (``to_plain``): {"type", "moref", "props": {property path: value}}.
   Each host's CDP/LLDP neighbours are not a property: ``QueryNetworkHint``
   of its network system returns them, recorded as the host's pseudo
   property ``networkHint``.  These are the "recorded property data" tests
   replay.
2. ``estate_from_properties(objects)`` maps recorded objects to records.

pyVmomi is only needed for step 1; it is imported there, with a clear error
when it is missing.
"""

from __future__ import annotations

import ipaddress

from .records import (POWER_STATES, Estate, Host, HostNic, ImportInputError, Origin, PortGroup, Security, Switch, Vm,
                      VmNic)

PROPERTIES = {
    "VirtualMachine": ("name", "runtime.powerState", "config.template", "config.hardware.device", "guest.net",
                       "runtime.host", "parent", "config.instanceUuid"),
    "HostSystem": ("name", "parent", "config.network.vswitch", "config.network.portgroup", "config.network.pnic",
                   "config.network.proxySwitch", "configManager.networkSystem"),
    "ClusterComputeResource": ("name", "parent"),
    "Folder": ("name", "parent"),
    "Datacenter": ("name", "parent"),
    "DistributedVirtualPortgroup": ("name", "key", "config.distributedVirtualSwitch", "config.defaultPortConfig",
                                    "config.uplink"),
    "VmwareDistributedVirtualSwitch": ("name", "config.maxMtu", "config.lacpGroupConfig"),
}


def to_plain(value):
    """pyVmomi data objects -> dicts with "_type", managed objects -> {"_moref"}, arrays -> lists."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "_moId"):
        return {"_moref": value._moId}
    if isinstance(value, (list, tuple)) or type(value).__name__.endswith("[]"):
        return [to_plain(v) for v in value]
    if hasattr(value, "_GetPropertyList"):  # a data object: every property, inherited ones included
        out = {"_type": getattr(type(value), "_wsdlName", type(value).__name__)}
        for prop in value._GetPropertyList():
            item = getattr(value, prop.name, None)
            if item is not None and item != []:
                out[prop.name] = to_plain(item)
        return out
    return str(value)


def collect(host: str, user: str, password: str, port: int = 443, validate_certs: bool = True) -> list:
    """Recorded property data of every object the import reads, from a live vCenter."""
    try:
        from pyVim.connect import Disconnect, SmartConnect
        from pyVmomi import vim, vmodl
    except ImportError:
        raise ImportInputError("import_vcenter needs the Python package pyVmomi on the controller "
                               "(pip install pyvmomi); an RVTools export needs only openpyxl") from None
    import ssl

    context = None if validate_certs else ssl._create_unverified_context()  # noqa: S323 - the user's choice
    try:
        si = SmartConnect(host=host, user=user, pwd=password, port=port, sslContext=context)
    except (vim.fault.InvalidLogin, OSError, ssl.SSLError) as exc:
        raise ImportInputError(f"vCenter {host}: cannot connect ({type(exc).__name__}: {getattr(exc, 'msg', exc)})") from None
    try:
        content = si.RetrieveContent()
        objects = []
        for type_name, paths in PROPERTIES.items():
            kind = getattr(vim, type_name)
            view = content.viewManager.CreateContainerView(content.rootFolder, [kind], True)
            spec = vmodl.query.PropertyCollector.FilterSpec(
                objectSet=[vmodl.query.PropertyCollector.ObjectSpec(
                    obj=view, skip=True, selectSet=[vmodl.query.PropertyCollector.TraversalSpec(
                        name="view", path="view", skip=False, type=vim.view.ContainerView)])],
                propSet=[vmodl.query.PropertyCollector.PropertySpec(type=kind, pathSet=list(paths))])
            result = content.propertyCollector.RetrievePropertiesEx([spec], vmodl.query.PropertyCollector.RetrieveOptions())
            while result:
                for obj in result.objects:
                    props = {p.name: to_plain(p.val) for p in obj.propSet}
                    if type_name == "HostSystem":
                        props["networkHint"] = _network_hint(obj.propSet, vmodl)
                    objects.append({"type": type_name, "moref": obj.obj._moId, "props": props})
                token = result.token
                result = content.propertyCollector.ContinueRetrievePropertiesEx(token) if token else None
            view.Destroy()
        return objects
    finally:
        Disconnect(si)


def _network_hint(prop_set, vmodl):
    """The host's CDP/LLDP neighbours per vmnic (QueryNetworkHint), or [] when the host cannot answer."""
    system = next((p.val for p in prop_set if p.name == "configManager.networkSystem"), None)
    if system is None:
        return []
    try:
        return to_plain(system.QueryNetworkHint())
    except vmodl.MethodFault:  # a disconnected host, a missing privilege: no neighbours, the cabling stays a decision
        return []


def neighbor_of(hint) -> tuple:
    """(system name, port id, protocol) of a recorded PhysicalNicHintInfo: LLDP first, else CDP; () if neither."""
    lldp = (hint or {}).get("lldpInfo") or {}
    params = {p.get("key"): p.get("value") for p in lldp.get("parameter") or []}
    if lldp.get("portId") and (params.get("System Name") or lldp.get("chassisId")):
        return (str(params.get("System Name") or lldp.get("chassisId")), str(lldp["portId"]), "LLDP")
    cdp = (hint or {}).get("connectedSwitchPort") or {}
    if cdp.get("portId") and (cdp.get("systemName") or cdp.get("devId")):
        return (str(cdp.get("systemName") or cdp.get("devId")), str(cdp["portId"]), "CDP")
    return ()


def _host(estate, obj, origin, cluster_of, datacenter_of):
    """An ESXi host, its vmnics and the switch each is an uplink of (standard vSwitch or distributed switch)."""
    props = obj["props"]
    host = props.get("name", "")
    parent = props.get("parent") or {}
    estate.hosts.append(Host(name=host, cluster=cluster_of(parent), datacenter=datacenter_of(parent), origin=origin))
    devices = {p.get("key"): p.get("device", "") for p in props.get("config.network.pnic") or []}
    macs = {p.get("device", ""): str(p.get("mac", "")).lower() for p in props.get("config.network.pnic") or []}
    switch_of = {}
    for vswitch in props.get("config.network.vswitch") or []:
        for key in vswitch.get("pnic") or []:
            switch_of[devices.get(key, "")] = vswitch.get("name", "")
    for proxy in props.get("config.network.proxySwitch") or []:
        for key in proxy.get("pnic") or []:
            switch_of[devices.get(key, "")] = proxy.get("dvsName", "")
    hints = {h.get("device"): h for h in props.get("networkHint") or []}
    for device in sorted(d for d in devices.values() if d):
        estate.host_nics.append(HostNic(host=host, device=device, switch=switch_of.get(device, ""),
                                        mac=macs.get(device, ""), neighbor=neighbor_of(hints.get(device)),
                                        origin=origin))


def _bool_value(policy):
    """A BoolPolicy ({"value": x}) or a plain bool."""
    if isinstance(policy, dict):
        return policy.get("value")
    return policy


def _vlan_text(vlan) -> str:
    if not isinstance(vlan, dict):
        return ""
    kind = vlan.get("_type", "")
    if "Pvlan" in kind:
        return f"PVLAN {vlan.get('pvlanId', '')}"
    value = vlan.get("vlanId")
    if isinstance(value, list):  # trunk: NumericRange list
        return ",".join(f"{r.get('start')}-{r.get('end')}" for r in value)
    return str(value if value is not None else "")


def estate_from_properties(objects: list, source: str = "vcenter") -> Estate:
    """Records of recorded vCenter property data (see collect)."""
    by_ref = {o["moref"]: o for o in objects}

    def name_of(ref):
        obj = by_ref.get((ref or {}).get("_moref", "")) if isinstance(ref, dict) else None
        return obj["props"].get("name", "") if obj else ""

    def folder_path(ref):
        parts = []
        while isinstance(ref, dict) and ref.get("_moref") in by_ref:
            obj = by_ref[ref["_moref"]]
            if obj["type"] == "Datacenter":
                break
            parts.append(obj["props"].get("name", ""))
            ref = obj["props"].get("parent")
        parts = [p for p in reversed(parts) if p != "vm"]  # the datacenter's hidden root VM folder
        return "/" + "/".join(parts) if parts else ""

    def cluster_of(ref):
        obj = by_ref.get(ref.get("_moref", "")) if isinstance(ref, dict) else None
        return obj["props"].get("name", "") if obj and obj["type"] == "ClusterComputeResource" else ""

    def datacenter_of(ref):
        while isinstance(ref, dict) and ref.get("_moref") in by_ref:
            obj = by_ref[ref["_moref"]]
            if obj["type"] == "Datacenter":
                return obj["props"].get("name", "")
            ref = obj["props"].get("parent")
        return ""

    estate = Estate(source=source)
    portgroup_names = {o["moref"]: o["props"].get("name", "") for o in objects if o["type"] == "DistributedVirtualPortgroup"}
    for obj in objects:
        props, origin = obj["props"], Origin("vcenter", ref=obj["moref"])
        kind = obj["type"]
        if kind == "VmwareDistributedVirtualSwitch":
            lacp = (props.get("config.lacpGroupConfig") or [None])[0]
            estate.switches.append(Switch(
                name=props.get("name", ""), kind="distributed", mtu=props.get("config.maxMtu"),
                teaming="lacp" if lacp else "", lacp_hash=(lacp or {}).get("loadbalanceAlgorithm", ""),
                lacp_mode=(lacp or {}).get("mode", ""), lacp_timeout=(lacp or {}).get("timeoutMode", ""),
                origin=origin))
        elif kind == "DistributedVirtualPortgroup":
            if props.get("config.uplink"):
                continue
            port = props.get("config.defaultPortConfig") or {}
            sec = port.get("securityPolicy") or {}
            estate.port_groups.append(PortGroup(
                name=props.get("name", ""), switch=name_of(props.get("config.distributedVirtualSwitch")),
                kind="distributed", vlan=_vlan_text(port.get("vlan")),
                security=Security(_bool_value(sec.get("allowPromiscuous")), _bool_value(sec.get("macChanges")),
                                  _bool_value(sec.get("forgedTransmits"))),
                teaming=_bool_value((port.get("uplinkTeamingPolicy") or {}).get("policy")) or "",
                object_id=props.get("key", obj["moref"]), origin=origin))
        elif kind == "HostSystem":
            _host(estate, obj, origin, cluster_of, datacenter_of)
            host = props.get("name", "")
            for vswitch in props.get("config.network.vswitch") or []:
                policy = ((vswitch.get("spec") or {}).get("policy") or {})
                estate.switches.append(Switch(
                    name=vswitch.get("name", ""), kind="standard", mtu=vswitch.get("mtu"),
                    teaming=(policy.get("nicTeaming") or {}).get("policy", ""), host=host, origin=origin))
            for pg in props.get("config.network.portgroup") or []:
                spec = pg.get("spec") or {}
                sec = (spec.get("policy") or {}).get("security") or {}
                estate.port_groups.append(PortGroup(
                    name=spec.get("name", ""), switch=spec.get("vswitchName", ""), kind="standard",
                    vlan=str(spec.get("vlanId", "")),
                    security=Security(sec.get("allowPromiscuous"), sec.get("macChanges"), sec.get("forgedTransmits")),
                    teaming=((spec.get("policy") or {}).get("nicTeaming") or {}).get("policy", ""),
                    host=host, origin=origin))
        elif kind == "VirtualMachine":
            _vm(estate, obj, origin, name_of, folder_path, datacenter_of, portgroup_names, by_ref)
    return estate


def _vm(estate, obj, origin, name_of, folder_path, datacenter_of, portgroup_names, by_ref):
    props = obj["props"]
    name = props.get("name", "")
    host_ref = props.get("runtime.host")
    host = by_ref.get((host_ref or {}).get("_moref", ""))
    cluster = name_of(host["props"].get("parent")) if host else ""
    estate.vms.append(Vm(
        name=name, power=POWER_STATES.get(str(props.get("runtime.powerState", "")).lower(), "off"),
        template=bool(props.get("config.template")), folder=folder_path(props.get("parent")),
        datacenter=datacenter_of(props.get("parent")), cluster=cluster, host=name_of(host_ref),
        object_id=obj["moref"], origin=origin))
    guest = {n.get("deviceConfigId"): n for n in props.get("guest.net") or []}
    for dev in props.get("config.hardware.device") or []:
        if "macAddress" not in dev or "backing" not in dev:
            continue  # not an Ethernet card
        backing = dev.get("backing") or {}
        if "port" in backing:
            network = portgroup_names.get((backing["port"] or {}).get("portgroupKey", ""), "")
        else:
            network = backing.get("deviceName", "")
        ips = ((guest.get(dev.get("key")) or {}).get("ipConfig") or {}).get("ipAddress") or []
        addrs = [ipaddress.ip_address(a["ipAddress"]) for a in ips if a.get("ipAddress")]
        usable = [a for a in addrs if not (a.is_link_local or a.is_loopback)]
        estate.nics.append(VmNic(
            vm=name, label=(dev.get("deviceInfo") or {}).get("label", f"key {dev.get('key')}"), network=network,
            switch="", mac=str(dev.get("macAddress", "")).lower(),
            ipv4=tuple(str(a) for a in usable if a.version == 4), ipv6=tuple(str(a) for a in usable if a.version == 6),
            connected=(dev.get("connectable") or {}).get("connected"), origin=origin))
