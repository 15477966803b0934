# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The objects a plan moves, and what each one needs, read from one designed site.

A plan does not diff device texts: it cuts each side's structured configs into
objects with a stable key ``(domain, device, kind, name)`` -- a VLAN on a leaf,
a leaf port, a BGP neighbour, a node's NMState policy, a NAD -- and records,
for every object, the keys of the objects it *needs* (its providers):

* a leaf port needs the leaf's VLANs it carries; a VNI and an SVI need their VLAN;
* an SVI needs every routing policy of the fabric that must accept its subnet;
* a node's host policy (NNCP, nmstate file, Network ATC intents) needs the leaf
  ports its NICs are cabled to;
* a NetworkAttachmentDefinition (and every other cluster object) needs the host
  policies of its cluster; a MetalLB BGPPeer needs the leaf neighbours of its cluster;
* a leaf's underlay neighbour needs the spine's neighbour of the same session
  (so the two ends of a session are never changed in one step).

Phase order is derived from these edges (plan/order.py); nothing here knows a
phase.  Domains: ``switch`` (device = switch), ``host`` (device = policy or
cluster, ``nodes`` lists the nodes it configures), ``cluster`` (Kubernetes /
Azure objects), ``install`` (install-time files: listed, never applied on day 2).
"""

from __future__ import annotations

import functools
import ipaddress

SWITCH, HOST, CLUSTER, INSTALL = "switch", "host", "cluster", "install"

# Switch config sections that are objects of their own; the rest of a switch config is one
# "system" object.  The keys of a section list are the item's name fields.
_SWITCH_SPLIT = ("vlans", "ethernet_interfaces", "port_channels", "fabric_links", "mlag", "vxlan", "bgp",
                 "prefix_lists", "route_maps")


def _obj(key, value, requires=(), **meta):
    return {"key": key, "value": value, "requires": list(requires), **meta}


@functools.lru_cache(maxsize=65536)
def _network_of(cidr):
    return str(ipaddress.ip_interface(cidr).network) if cidr else None


def switch_objects(name: str, config: dict) -> dict:
    """{key: object} of one switch's structured config.

    An SVI's need for the fabric's routing policies is recorded as the prefixes it
    announces (``needs_prefixes``); plan/order.py resolves them against the policies
    that change, so a site of thousands of switches is not cross-linked up front.
    """
    out = {}

    def add(kind, item, value, requires=(), **meta):
        key = (SWITCH, name, kind, str(item))
        out[key] = _obj(key, value, requires, platform=config.get("platform"), **meta)

    vlan_keys = {}
    for vlan in config.get("vlans") or []:
        svi = vlan.get("svi") or {}
        prefixes = [_network_of(c) for c in (svi.get("gateway4_cidr"), svi.get("gateway6_cidr")) if c]
        add("vlan", vlan["id"], vlan, (), section="vlans", vlan=vlan["id"], needs_prefixes=prefixes)
        vlan_keys[vlan["id"]] = (SWITCH, name, "vlan", str(vlan["id"]))
    mlag = config.get("mlag")
    if mlag:
        link = mlag.get("peer_link") or {}
        add("peer-link", link.get("name", "peer-link"), link,
            [vlan_keys[v] for v in link.get("allowed_vlans") or [] if v in vlan_keys], section="mlag.peer_link")
        add("mlag", "domain", {k: v for k, v in mlag.items() if k != "peer_link"}, section="mlag")
    vxlan = config.get("vxlan")
    if vxlan:
        for vni in vxlan.get("vnis") or []:
            add("vni", vni["vni"], vni, [vlan_keys[vni["vlan"]]] if vni["vlan"] in vlan_keys else [],
                section="vxlan.vnis", vlan=vni["vlan"])
        add("vtep", "vxlan", {k: v for k, v in vxlan.items() if k != "vnis"}, section="vxlan")
    # a host-facing port serves its VLANs with the VLAN's VNI and the MLAG peer link carrying it, and its
    # frames leave over the device's fabric links (the underlay MTU: raised before, lowered after the ports)
    underlay = [(SWITCH, name, "fabric-link", link["interface"]) for link in config.get("fabric_links") or []]
    underlay.append((SWITCH, name, "system", "base"))
    vni_keys = {o["vlan"]: k for k, o in out.items() if k[2] == "vni"}
    peer_link = next((k for k in out if k[2] == "peer-link"), None)
    carried = set((((config.get("mlag") or {}).get("peer_link")) or {}).get("allowed_vlans") or [])
    for section in ("ethernet_interfaces", "port_channels"):
        for port in config.get(section) or []:
            vids = list(port.get("allowed_vlans") or []) + ([port["native_vlan"]] if port.get("native_vlan") else [])
            needs = [vlan_keys[v] for v in vids if v in vlan_keys] + [vni_keys[v] for v in vids if v in vni_keys]
            if peer_link and carried.intersection(vids):
                needs.append(peer_link)
            needs += underlay
            add("port", port["name"], port, needs, section=section)
    for link in config.get("fabric_links") or []:
        add("fabric-link", link["interface"], link, section="fabric_links", peer=link.get("peer"))
    bgp = config.get("bgp")
    if bgp:
        add("bgp", "router", {k: v for k, v in bgp.items() if k not in ("neighbors", "peer_groups")}, section="bgp")
        for group in bgp.get("peer_groups") or []:
            add("bgp-group", group["name"], group, section="bgp.peer_groups")
        links = {link["interface"]: link for link in config.get("fabric_links") or []}
        for nb in bgp.get("neighbors") or []:
            ident = nb.get("interface") or nb.get("ip")
            needs = [(SWITCH, name, "bgp-group", nb["peer_group"])]
            if nb.get("interface") in links:
                needs.append((SWITCH, name, "fabric-link", nb["interface"]))
            add("bgp-neighbor", ident, nb, needs, section="bgp.neighbors", session_kind=nb.get("kind"),
                peer_group=nb.get("peer_group"))
    for kind, section in (("prefix-list", "prefix_lists"), ("route-map", "route_maps")):
        for item in config.get(section) or []:
            add(kind, item["name"], item, section=section)
    add("system", "base", {k: v for k, v in config.items() if k not in _SWITCH_SPLIT}, section="")
    return out


def policy_index(objects: dict) -> dict:
    """{prefix: [keys of the prefix-list objects that permit it]} over ``objects``."""
    index = {}
    for key, obj in objects.items():
        if key[0] == SWITCH and key[2] == "prefix-list":
            for entry in obj["value"].get("entries") or []:
                if entry.get("prefix"):
                    index.setdefault(entry["prefix"], []).append(key)
    return index


def _owners(switches: dict) -> dict:
    """{own fabric-link or loopback address, or (device, interface): device at that end}."""
    owner = {}
    for device, config in switches.items():
        for link in config.get("fabric_links") or []:
            for fam in ("ipv4", "ipv6"):
                if link.get(fam):
                    owner[link[fam].split("/")[0]] = device
            owner[(device, link["interface"])] = link.get("peer")
        for loopback in config.get("loopbacks") or []:
            for fam in ("ipv4", "ipv6"):
                if loopback.get(fam):
                    owner[loopback[fam].split("/")[0]] = device
    return owner


def session_edges(objects: dict, switches: dict) -> None:
    """The leaf end of an underlay session needs the spine end (spines carry the leaves' transit).

    The two ends of a session then never change in one step: one side first, the
    session keeps running (with BFD) on the side not touched.
    """
    owner = _owners(switches)
    ends = {}
    for key, obj in objects.items():
        if key[0] == SWITCH and key[2] == "bgp-neighbor" and obj.get("session_kind") == "underlay":
            nb = obj["value"]
            peer = owner.get((key[1], nb["interface"])) if nb.get("interface") else owner.get(str(nb.get("ip")))
            obj["peer_device"] = peer
            ends.setdefault((key[1], peer), []).append(key)
    for key, obj in objects.items():   # the leaf end of a fabric link needs the spine end (underlay MTU)
        if key[0] == SWITCH and key[2] == "fabric-link" and (switches.get(key[1]) or {}).get("role") == "leaf":
            far = (SWITCH, obj["value"].get("peer"), "fabric-link", obj["value"].get("peer_interface"))
            if far in objects:
                obj["requires"] = list(obj["requires"]) + [far]
        if key[0] == SWITCH and key[2] == "fabric-link":   # the device MTU carries its links
            obj["requires"] = list(obj["requires"]) + [(SWITCH, key[1], "system", "base")]
    for (device, peer), keys in ends.items():
        if (switches.get(device) or {}).get("role") != "leaf" or (switches.get(peer) or {}).get("role") != "spine":
            continue
        for key in keys:
            objects[key]["requires"] = sorted(set(objects[key]["requires"]) | set(ends.get((peer, device), ())))


def node_ports(node: dict, switches: dict) -> list:
    """Keys of the leaf ports (and their port-channels) a node's NICs are cabled to."""
    keys = []
    for nic in node.get("nics") or []:
        leaf, port = nic.get("leaf"), nic.get("leaf_port")
        if not leaf or leaf not in switches:
            continue
        keys.append((SWITCH, leaf, "port", port))
        for eth in switches[leaf].get("ethernet_interfaces") or []:
            if eth["name"] == port and eth.get("channel"):
                keys.append((SWITCH, leaf, "port", eth["channel"]["name"]))
    return keys


def assemble(objects: list, key_order=()) -> dict:
    """A switch's structured config from its objects (the inverse of ``switch_objects``), list items in the
    order given; used to render a device as it stands between two phases."""
    config, lists, singles = {}, {}, {}
    for obj in objects:
        section = obj["section"]
        if section == "":
            config.update(obj["value"])
        elif section in ("mlag", "vxlan", "bgp"):
            singles.setdefault(section, {}).update(obj["value"])
        elif section == "mlag.peer_link":
            singles.setdefault("mlag", {})["peer_link"] = obj["value"]
        else:
            lists.setdefault(section, []).append(obj["value"])
    for section in ("mlag", "vxlan", "bgp"):
        if section in singles:
            config[section] = singles[section]
    for section, items in lists.items():
        if "." in section:
            head, tail = section.split(".")
            config.setdefault(head, {})[tail] = items
        else:
            config[section] = items
    for head, tail in (("mlag", "peer_link"), ("vxlan", "vnis"), ("bgp", "neighbors"), ("bgp", "peer_groups")):
        if head in config and isinstance(config[head], dict):
            config[head].setdefault(tail, [] if tail != "peer_link" else None)
    for section in key_order:
        if section not in config:
            config[section] = None if section in ("mlag", "vxlan", "bgp") else []
    ordered = {k: config[k] for k in key_order if k in config}
    ordered.update({k: v for k, v in config.items() if k not in ordered})
    return ordered
