"""IPAM exports: NetBox bulk-import CSV per object type, netbox.netbox module data, Infoblox CSV import.

From ``design/ipam.py``'s object lists:

* ``ipam/netbox/NN-<type>.csv``: NetBox's bulk import (Import tab of each list
  view, or ``netbox`` scripts), one file per object type, numbered in the order
  NetBox needs them (sites before devices, interfaces before IP addresses and
  cables). Columns are the import forms' field names; related objects go by
  name (``site``, ``device``, ``manufacturer``), VLANs by VID.
* ``ipam/netbox/netbox.json``: the same objects shaped as the ``data`` of the
  ``netbox.netbox`` modules, read by ``playbooks/netbox.yml``.
* ``ipam/infoblox.csv``: Infoblox NIOS CSV import: networks (IPv4 and IPv6),
  host records (A/AAAA and their PTRs) and IPv4 DHCP ranges, each section under
  its own HEADER row. IPv6 DHCP ranges are left out: NIOS exports them to CSV but
  does not import them (CSV Import Reference, "IPv6 DHCP Range").
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json

from ..design.ipam import ipam_objects
from .base import Artifact

# (file, object type, columns) in import order; columns are NetBox import-form fields.
NETBOX_FILES = (
    ("01-sites.csv", "sites", ("name", "slug", "status", "description")),
    ("02-manufacturers.csv", "manufacturers", ("name", "slug")),
    ("03-device-roles.csv", "device_roles", ("name", "slug", "color")),
    ("04-device-types.csv", "device_types", ("manufacturer", "model", "slug", "u_height")),
    ("05-devices.csv", "devices", ("name", "role", "manufacturer", "device_type", "site", "status", "description")),
    ("06-interfaces.csv", "interfaces", ("device", "name", "type", "mtu", "lag", "parent", "mode", "mgmt_only",
                                         "description")),
    ("07-vlans.csv", "vlans", ("site", "vid", "name", "status", "description")),
    ("08-prefixes.csv", "prefixes", ("prefix", "scope_type", "scope_name", "vlan_site", "vlan", "status", "is_pool",
                                     "description")),
    ("09-ip-addresses.csv", "ip_addresses", ("address", "status", "role", "device", "interface", "dns_name", "description")),
    ("10-cables.csv", "cables", ("side_a_device", "side_a_type", "side_a_name", "side_b_device", "side_b_type",
                                 "side_b_name", "status")),
)


# one encoder for every item: json.dumps with an argument builds a new encoder per call (225,000 calls on a
# 5,000-device site with its VMs)
_ITEM_JSON = json.JSONEncoder(sort_keys=True).encode


def json_lines(data: dict) -> str:
    """{key: [items]} as JSON with one compact item per line: diff-friendly and written by json's C encoder."""
    parts = []
    for key, items in data.items():
        body = ",\n".join(map(_ITEM_JSON, items))
        parts.append(f"{json.dumps(key)}: [\n{body}\n]" if items else f"{json.dumps(key)}: []")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return value if type(value) is str else str(value)  # pylint: disable=unidiomatic-typecheck


def _csv(rows, columns) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return buf.getvalue()


def netbox_rows(objects) -> dict:
    """{object type: rows with the import columns filled} (scope and termination types made explicit)."""
    out = {}
    for _file, kind, _columns in NETBOX_FILES:
        rows = []
        for obj in objects[kind]:
            row = dict(obj)
            if kind == "devices":
                row["manufacturer"] = objects["manufacturers"][0]["name"]
            elif kind == "prefixes":
                row.update(scope_type="dcim.site", scope_name=row.pop("site"))
                if row.get("vlan") is not None:
                    row["vlan_site"] = row["scope_name"]
            elif kind == "cables":
                row.update(side_a_type="dcim.interface", side_b_type="dcim.interface")
            rows.append(row)
        out[kind] = rows
    return out


# netbox.netbox modules in the order their objects depend on each other (playbooks/netbox.yml runs them so)
MODULE_ORDER = ("netbox_site", "netbox_manufacturer", "netbox_device_role", "netbox_device_type", "netbox_device",
                "netbox_device_interface", "netbox_vlan", "netbox_prefix", "netbox_ip_address", "netbox_cable")


MODULE_IP_ROLES = {"loopback": "Loopback", "anycast": "Anycast", "vip": "VIP"}


def module_data(objects) -> dict:
    """{module: [data]} for playbooks/netbox.yml, in the argument shapes of the netbox.netbox modules."""
    def pick(obj, *keys):
        return {k: obj[k] for k in keys if obj.get(k) not in (None, "")}

    out = {
        "netbox_site": [pick(o, "name", "slug", "status", "description") for o in objects["sites"]],
        "netbox_manufacturer": [pick(o, "name", "slug") for o in objects["manufacturers"]],
        "netbox_device_role": [pick(o, "name", "slug", "color") for o in objects["device_roles"]],
        "netbox_device_type": [pick(o, "manufacturer", "model", "slug", "u_height") for o in objects["device_types"]],
        "netbox_device": [{**pick(o, "name", "device_type", "site", "status", "description"), "device_role": o["role"]}
                          for o in objects["devices"]],
        "netbox_vlan": [pick(o, "site", "vid", "name", "status", "description") for o in objects["vlans"]],
    }
    interfaces = []
    for o in objects["interfaces"]:
        data = pick(o, "device", "name", "type", "mtu", "mode", "mgmt_only", "description")
        if o.get("lag"):
            data["lag"] = {"name": o["lag"]}
        if o.get("parent"):
            data["parent_interface"] = {"name": o["parent"]}
        interfaces.append(data)
    # LAGs and parents first: a member refers to its LAG, a VLAN interface to its parent
    out["netbox_device_interface"] = sorted(interfaces, key=lambda d: ("lag" in d or "parent_interface" in d))
    prefixes = []
    for o in objects["prefixes"]:
        data = pick(o, "prefix", "site", "status", "description", "is_pool")
        if o.get("vlan") is not None:
            data["vlan"] = {"vid": o["vlan"], "site": o["site"]}
        prefixes.append(data)
    out["netbox_prefix"] = prefixes
    addresses = []
    for o in objects["ip_addresses"]:
        data = pick(o, "address", "status", "dns_name", "description")
        if o.get("role"):
            data["role"] = MODULE_IP_ROLES[o["role"]]  # the module takes NetBox's labels, the CSV import its values
        if o.get("device"):
            data["assigned_object"] = {"device": o["device"], "name": o["interface"]}
        addresses.append(data)
    out["netbox_ip_address"] = addresses
    out["netbox_cable"] = [{"termination_a_type": "dcim.interface", "termination_a": {"device": o["side_a_device"], "name": o["side_a_name"]},
                            "termination_b_type": "dcim.interface", "termination_b": {"device": o["side_b_device"], "name": o["side_b_name"]},
                            "status": o["status"]} for o in objects["cables"]]
    return {module: out[module] for module in MODULE_ORDER}


# Infoblox NIOS CSV import: a HEADER-<object> row names the fields (required ones starred), data rows
# start with the object type; a trailing empty field still carries its separator. Objects and field
# names as the NIOS CSV Import Reference lists them ("IPv4 Network", "IPv6 Network", "Host Record",
# "DHCP Range"); the reference's "IPv6 DHCP Range" is export-only, so DHCPv6 pools are not here.
INFOBLOX_SECTIONS = (
    ("network", ("address*", "netmask*", "comment")),
    ("ipv6network", ("address*", "cidr*", "comment")),
    ("hostrecord", ("fqdn*", "addresses", "ipv6_addresses", "configure_for_dns", "comment")),
    ("dhcprange", ("start_address*", "end_address*", "comment")),
)


def infoblox_rows(model, design) -> dict:
    """{section: [[values in the section's field order]]}."""
    out = {name: [] for name, _fields in INFOBLOX_SECTIONS}
    for net in sorted(model.networks.values(), key=lambda n: n["vlan"]):
        if net["ipv4"]:
            prefix = ipaddress.ip_network(net["ipv4"])
            out["network"].append([str(prefix.network_address), str(prefix.netmask), net["name"]])
        if net["ipv6"]:
            prefix = ipaddress.ip_network(net["ipv6"])
            out["ipv6network"].append([str(prefix.network_address), str(prefix.prefixlen), net["name"]])
    domain = model.site["domain"].rstrip(".")
    hosts = {}
    held = {r["address"] for r in design["services"]["records"] if r["kind"] != "nameserver"}
    for rec in design["services"]["records"]:
        if rec["kind"] == "nameserver" and rec["address"] in held:
            continue  # the host that runs the name server already holds the address
        host = hosts.setdefault(rec["name"].lower(), {"name": rec["name"], 4: [], 6: [], "path": rec["path"]})
        if rec["address"] not in host[rec["family"]]:
            host[rec["family"]].append(rec["address"])
    if domain:
        for host in hosts.values():
            out["hostrecord"].append([f"{host['name']}.{domain}", ",".join(host[4]), ",".join(host[6]), "TRUE", host["path"]])
    for scope in design["services"]["dhcp"]["scopes4"]:
        for pool in scope["pools"]:
            first, last = (p.strip() for p in pool.split(" - "))
            out["dhcprange"].append([first, last, scope["network"]])
    return out


def infoblox_csv(rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for name, fields in INFOBLOX_SECTIONS:
        if not rows[name]:
            continue
        writer.writerow([f"header-{name}"] + list(fields))
        for values in rows[name]:
            writer.writerow([name] + values)
    return buf.getvalue()


def render(ctx):
    if "services" not in ctx.design:
        return
    objects = ipam_objects(ctx.model, ctx.facts, ctx.design)
    rows = netbox_rows(objects)
    for name, kind, columns in NETBOX_FILES:
        yield Artifact(f"ipam/netbox/{name}", _csv(rows[kind], columns), kind="netbox-csv")
    yield Artifact("ipam/netbox/netbox.json", json_lines(module_data(objects)), kind="netbox-data")
    yield Artifact("ipam/infoblox.csv", infoblox_csv(infoblox_rows(ctx.model, ctx.design)), kind="infoblox-csv")
