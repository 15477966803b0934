"""``nmstatectl show`` output (YAML or JSON) -> the node record of the structured config.

What the rules compare on a host: the bond (mode, LACP rate, members, MTU), the NIC MTUs,
the VLAN interfaces on the bond (VLAN id, MTU) and the VLANs the OVS bridge trunks to VMs
over the bond (OVE localnet). Interfaces that are down or absent count as missing.
"""

from __future__ import annotations

from ..errors import DcnetError

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core on the controller
    yaml = None


def _ranges(tags) -> list:
    out = set()
    for tag in tags or ():
        if "id" in tag:
            out.add(int(tag["id"]))
        elif "id-range" in tag:
            out.update(range(int(tag["id-range"]["min"]), int(tag["id-range"]["max"]) + 1))
    return sorted(out)


def parse_nmstate(text_or_doc, bond_name: str | None = None) -> dict:
    """{"bond": {...} or None, "nics": [...], "vlan_interfaces": [...], "vm_vlans": [...]} of one host."""
    doc = text_or_doc
    if isinstance(text_or_doc, str):
        if yaml is None:
            raise DcnetError("reading YAML needs PyYAML (it comes with ansible-core)")
        try:
            doc = yaml.safe_load(text_or_doc)
        except yaml.YAMLError as exc:
            raise DcnetError(f"nmstatectl show output is not YAML/JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("interfaces"), list):
        raise DcnetError("nmstatectl show output has no 'interfaces' list")
    up = [i for i in doc["interfaces"] if isinstance(i, dict) and i.get("state", "up") == "up"]
    by_name = {i.get("name"): i for i in up}
    bonds = [i for i in up if i.get("type") == "bond" and (bond_name is None or i.get("name") == bond_name)]
    bond = None
    if bonds:
        agg = bonds[0].get("link-aggregation") or {}
        options = agg.get("options") or {}
        ports = agg.get("port") or agg.get("ports") or []
        bond = {"name": bonds[0]["name"], "mode": agg.get("mode"), "mtu": bonds[0].get("mtu"),
                "ports": [p for p in ports if p in by_name],
                "options": {"lacp_rate": options.get("lacp_rate"), "miimon": options.get("miimon"),
                            "xmit_hash_policy": options.get("xmit_hash_policy")}}
    nics = [{"name": i["name"], "mtu": i.get("mtu")} for i in up if i.get("type") == "ethernet"]
    vlans = []
    for iface in up:
        vlan = iface.get("vlan") or {}
        if iface.get("type") == "vlan" and "id" in vlan:
            vlans.append({"name": iface["name"], "base": vlan.get("base-iface"), "vlan": int(vlan["id"]),
                          "mtu": iface.get("mtu")})
    vm_vlans = []
    for iface in up:
        if iface.get("type") != "ovs-bridge":
            continue
        for port in (iface.get("bridge") or {}).get("port") or []:
            if bond and port.get("name") == bond["name"]:
                vlan = port.get("vlan") or {}
                if vlan.get("mode") == "trunk":
                    vm_vlans += _ranges(vlan.get("trunk-tags"))
    return {"bond": bond, "nics": nics, "vlan_interfaces": vlans, "vm_vlans": sorted(set(vm_vlans))}
