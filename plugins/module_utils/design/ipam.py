"""IPAM objects of the site, one plain list per object type, for NetBox and Infoblox exports.

``ipam_objects(model, facts, design)`` reads the design (switch and node
structured configs, the address records of ``design["services"]``) and the
cabling facts, and returns::

    {"sites", "manufacturers", "device_roles", "device_types", "devices",
     "interfaces", "vlans", "prefixes", "ip_addresses", "cables"}

Every row is a dict of plain values with names, not ids: the renderers lay
them out as NetBox bulk-import CSV, as ``netbox.netbox`` module data and as
Infoblox CSV.  The model knows no hardware models, so device types are one
per platform and role (``dcnet-eos-leaf``, ``dcnet-ove-node``) under one
manufacturer, documented as placeholders to map onto real ones.
"""

from __future__ import annotations

MANUFACTURER = "dcnet"  # placeholder: the model does not name hardware vendors
ROLE_COLORS = {"spine": "2196f3", "leaf": "4caf50", "server": "9e9e9e"}


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.lower())


def _device_type(platform, role):
    return f"dcnet-{platform}-{role}"


def _switch_interfaces(name, config):
    rows = []
    for lo in config["loopbacks"]:
        rows.append({"device": name, "name": lo["name"], "type": "virtual", "description": lo["purpose"]})
    if config.get("management"):
        rows.append({"device": name, "name": config["management"]["interface"], "type": "other", "mgmt_only": True,
                     "description": "out-of-band management"})
    for link in config["fabric_links"]:
        rows.append({"device": name, "name": link["interface"], "type": "other", "mtu": link["mtu"],
                     "description": link["description"]})
    for channel in config.get("port_channels") or []:
        rows.append({"device": name, "name": channel["name"], "type": "lag", "mtu": channel["mtu"], "mode": "tagged",
                     "description": channel["description"]})
    for port in config.get("ethernet_interfaces") or []:
        row = {"device": name, "name": port["name"], "type": "other", "mtu": port["mtu"], "description": port["description"]}
        if port["channel"]:
            row["lag"] = port["channel"]["name"]
        else:
            row["mode"] = "access" if port["mode"] == "access" else "tagged"
        rows.append(row)
    for vlan in config.get("vlans") or []:
        if vlan["svi"]:
            rows.append({"device": name, "name": vlan["svi"]["interface"], "type": "virtual", "mtu": vlan["svi"]["mtu"],
                         "description": vlan["name"]})
    return rows


def _node_interfaces(name, config):
    rows = []
    for nic in config["nics"]:
        row = {"device": name, "name": nic["name"], "type": "other", "description": f"{nic['leaf']}:{nic['leaf_port']}"}
        if nic["mtu"]:
            row["mtu"] = nic["mtu"]
        if nic["bond"]:
            row["lag"] = nic["bond"]
        rows.append(row)
    if config["bond"]:
        rows.append({"device": name, "name": config["bond"]["name"], "type": "lag", "mtu": config["bond"]["mtu"],
                     "description": config["bond"]["mode"]})
    for vif in config["vlan_interfaces"]:
        row = {"device": name, "name": vif["name"], "type": "virtual", "mtu": vif["mtu"], "description": vif["network"]}
        if vif["base"]:
            row["parent"] = vif["base"]
        rows.append(row)
    return rows


def _interface_index(design):
    """{(kind, owner, network): interface} of every addressed interface, built once (records look it up)."""
    index = {}
    for name, config in design["switches"].items():
        index[("loopback", name, None)] = config["loopbacks"][0]["name"]
        if config.get("management"):
            index[("management", name, None)] = config["management"]["interface"]
        for vlan in config.get("vlans") or []:
            if vlan["svi"]:
                index[("svi", name, vlan["name"])] = vlan["svi"]["interface"]
    for name, config in design["nodes"].items():
        for vif in config["vlan_interfaces"]:
            index[("node", name, vif["network"])] = vif["name"]
        if config["bond"] and config["bond"]["network"]:
            index[("node", name, config["bond"]["network"])] = config["bond"]["name"]
    return index


MANAGEMENT = "fabric.management"  # not a network name (names have no dots): the key of the management pools


def _prefix_lengths(model):
    """{(network, family): prefix length} of every network, and of the switch management pools (MANAGEMENT)."""
    out = {}
    for fam in (4, 6):
        pool = (model.fabric["management"] or {}).get(f"pool{fam}")
        if pool:
            out[(MANAGEMENT, fam)] = int(pool.rsplit("/", 1)[1])
    for name, net in model.networks.items():
        for fam in (4, 6):
            if net[f"ipv{fam}"]:
                out[(name, fam)] = int(net[f"ipv{fam}"].rsplit("/", 1)[1])
    return out


IP_ROLES = {"loopback": "loopback", "gateway": "anycast", "vip": "vip"}


def ipam_objects(model, facts, design) -> dict:
    site = model.site["name"]
    domain = model.site["domain"].rstrip(".")
    out = {key: [] for key in ("sites", "manufacturers", "device_roles", "device_types", "devices", "interfaces", "vlans",
                               "prefixes", "ip_addresses", "cables")}
    out["sites"].append({"name": site, "slug": slug(site), "status": "active", "description": model.site["description"]})
    out["manufacturers"].append({"name": MANUFACTURER, "slug": MANUFACTURER})
    types = set()
    for name, config in sorted(design["switches"].items()):
        types.add((config["platform"], config["role"]))
        out["devices"].append({"name": name, "role": config["role"], "device_type": _device_type(config["platform"], config["role"]),
                               "site": site, "status": "active", "description": config["model_path"]})
        out["interfaces"] += _switch_interfaces(name, config)
    for name, config in sorted(design["nodes"].items()):
        types.add((config["platform"], "node"))
        out["devices"].append({"name": name, "role": "server", "device_type": _device_type(config["platform"], "node"),
                               "site": site, "status": "active", "description": config["model_path"]})
        out["interfaces"] += _node_interfaces(name, config)
    roles = sorted({d["role"] for d in out["devices"]})
    out["device_roles"] = [{"name": r, "slug": r, "color": ROLE_COLORS.get(r, "9e9e9e")} for r in roles]
    out["device_types"] = [{"manufacturer": MANUFACTURER, "model": _device_type(p, r), "slug": _device_type(p, r), "u_height": 1}
                           for p, r in sorted(types)]
    for net in sorted(model.networks.values(), key=lambda n: n["vlan"]):
        out["vlans"].append({"site": site, "vid": net["vlan"], "name": net["name"], "status": "active",
                             "description": net["description"] or net["role"]})
        for fam in (4, 6):
            if net[f"ipv{fam}"]:
                out["prefixes"].append({"prefix": net[f"ipv{fam}"], "site": site, "vlan": net["vlan"], "status": "active",
                                        "description": net["name"]})
    for key in ("loopback4", "loopback6", "p2p4", "p2p6", "vtep4", "mlag4"):
        prefix = model.fabric["pools"][key]
        if isinstance(prefix, str):
            out["prefixes"].append({"prefix": prefix, "site": site, "status": "active", "is_pool": True,
                                    "description": f"fabric pool {key}"})
    for fam in (4, 6):
        pool = (model.fabric["management"] or {}).get(f"pool{fam}")
        if pool:
            out["prefixes"].append({"prefix": pool, "site": site, "status": "active",
                                    "description": f"switch management pool{fam}"})
    for cluster in model.clusters.values():
        for pool in (cluster["metallb"] or {}).get("pools", []):
            for fam in (4, 6):
                if pool[f"ipv{fam}"]:
                    out["prefixes"].append({"prefix": pool[f"ipv{fam}"], "site": site, "status": "active", "is_pool": True,
                                            "description": f"MetalLB {cluster['name']}/{pool['name']}"})
    seen = set()
    interfaces = _interface_index(design)
    lengths = _prefix_lengths(model)
    for rec in design["services"]["records"]:
        if rec["kind"] == "nameserver" or rec["address"] in seen:
            continue  # a name server's address belongs to the host that runs it
        seen.add(rec["address"])
        key = (rec["kind"], rec["owner"], None if rec["kind"] == "loopback" else rec["network"])
        interface = interfaces.get(key)
        device = rec["owner"] if interface else None
        network = MANAGEMENT if rec["kind"] == "management" else rec["network"]
        plen = lengths.get((network, rec["family"]), 32 if rec["family"] == 4 else 128)
        row = {"address": f"{rec['address']}/{plen}", "status": "active",
               "dns_name": f"{rec['name']}.{domain}" if domain else "", "description": rec["path"]}
        if rec["kind"] in IP_ROLES:
            row["role"] = IP_ROLES[rec["kind"]]
        if device:
            row["device"], row["interface"] = device, interface
        out["ip_addresses"].append(row)
    for cable in sorted(facts.cables, key=lambda c: (c["node"], c["nic"])):
        out["cables"].append({"side_a_device": cable["node"], "side_a_name": cable["nic"],
                              "side_b_device": cable["leaf"], "side_b_name": cable["port"], "status": "connected"})
    for link in facts.links:
        out["cables"].append({"side_a_device": link["leaf"], "side_a_name": link["leaf_port"],
                              "side_b_device": link["spine"], "side_b_name": link["spine_port"], "status": "connected"})
    return out
