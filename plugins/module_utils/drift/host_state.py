"""``nmstatectl show`` output (YAML or JSON) -> the node record of the structured config.

What the rules compare on a host: its bonds (mode, LACP rate, members, MTU), the NIC MTUs,
the VLAN interfaces on a bond (VLAN id, MTU), and how VMs reach a bond: the bridges whose
port the bond is (with the VLANs that port lets through) and the ``ovn.bridge-mappings``
that hand OVN localnets to a bridge.  Interfaces that are down or absent count as missing.

An installed OVE node reports more than its install-time file: configure-ovs has put the
machine-network interface under the OVS bridge ``br-ex`` (an ``ovs-bridge`` and an
``ovs-interface`` both named br-ex), and the post-install policies added the VLAN
interfaces, the VM bond and bridge (dedicated layout) and the bridge mappings.  Which VLANs
those mappings carry is a cluster fact (the NADs), so this parser reports the mappings and
the bridge ports as they are, and ``compare`` resolves them against the design.
"""

from __future__ import annotations

from ..errors import DcnetError

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core on the controller
    yaml = None

BRIDGE_TYPES = ("ovs-bridge", "linux-bridge")


def _ranges(tags) -> list:
    out = set()
    for tag in tags or ():
        if "id" in tag:
            out.add(int(tag["id"]))
        elif "id-range" in tag:
            out.update(range(int(tag["id-range"]["min"]), int(tag["id-range"]["max"]) + 1))
    return sorted(out)


def port_vlans(port: dict):
    """The VLANs a bridge port lets through, or None for every VLAN (a port without a VLAN filter).

    nmstate's port ``vlan``: ``access`` with ``tag``; ``trunk`` with ``trunk-tags`` and, when
    ``tag`` is set (Linux bridges: with ``enable-native``), the native VLAN sent untagged.
    """
    vlan = port.get("vlan") or {}
    if not vlan:
        return None
    tag = vlan.get("tag")
    if vlan.get("mode") == "access":
        return [int(tag)] if tag is not None else []
    carried = set(_ranges(vlan.get("trunk-tags")))
    if tag is not None:
        carried.add(int(tag))
    return sorted(carried)


def _bond(iface, by_name) -> dict:
    agg = iface.get("link-aggregation") or {}
    options = agg.get("options") or {}
    ports = agg.get("port") or agg.get("ports") or []
    return {"name": iface["name"], "mode": agg.get("mode"), "mtu": iface.get("mtu"),
            "ports": [p for p in ports if p in by_name],
            "options": {"lacp_rate": options.get("lacp_rate"), "miimon": options.get("miimon"),
                        "xmit_hash_policy": options.get("xmit_hash_policy")}}


def _load(text_or_doc):
    if not isinstance(text_or_doc, str):
        return text_or_doc
    if yaml is None:
        raise DcnetError("reading YAML needs PyYAML (it comes with ansible-core)")
    try:
        return yaml.safe_load(text_or_doc)
    except yaml.YAMLError as exc:
        raise DcnetError(f"nmstatectl show output is not YAML/JSON: {exc}") from None


def parse_nmstate(text_or_doc, bond_name: str | None = None) -> dict:
    """The running record of one host.

    {"bond": the bond named ``bond_name`` (else the first) or None, "bonds": {name: bond},
    "nics": [...], "vlan_interfaces": [...], "bridges": [{"name", "type", "ports": [{"name", "vlans"}]}],
    "bridge_mappings": [{"localnet", "bridge"}]}; a port's ``vlans`` is None when it carries every VLAN.
    """
    doc = _load(text_or_doc)
    if not isinstance(doc, dict) or not isinstance(doc.get("interfaces"), list):
        raise DcnetError("nmstatectl show output has no 'interfaces' list")
    up = [i for i in doc["interfaces"] if isinstance(i, dict) and i.get("state", "up") == "up" and i.get("name")]
    by_name = {i["name"]: i for i in up}
    bonds = {i["name"]: _bond(i, by_name) for i in up if i.get("type") == "bond"}
    bond = bonds.get(bond_name) if bond_name else next(iter(bonds.values()), None)
    nics = [{"name": i["name"], "mtu": i.get("mtu")} for i in up if i.get("type") == "ethernet"]
    vlans = []
    for iface in up:
        vlan = iface.get("vlan") or {}
        if iface.get("type") == "vlan" and "id" in vlan:
            vlans.append({"name": iface["name"], "base": vlan.get("base-iface"), "vlan": int(vlan["id"]),
                          "mtu": iface.get("mtu")})
    bridges = []
    for iface in up:
        if iface.get("type") not in BRIDGE_TYPES:
            continue
        ports = [{"name": p["name"], "vlans": port_vlans(p)}
                 for p in (iface.get("bridge") or {}).get("port") or () if isinstance(p, dict) and p.get("name")]
        bridges.append({"name": iface["name"], "type": iface["type"], "ports": ports})
    mappings = [{"localnet": m["localnet"], "bridge": m.get("bridge")}
                for m in ((doc.get("ovn") or {}).get("bridge-mappings") or ())
                if isinstance(m, dict) and m.get("localnet") and m.get("state", "present") != "absent"]
    return {"bond": bond, "bonds": bonds, "nics": nics, "vlan_interfaces": vlans, "bridges": bridges,
            "bridge_mappings": mappings}
