"""Reference rules of the north-south model: VRFs, the networks in them, the external peers and their cables.

Called by the loader after the schema (``check_references``); every error carries its model path, and all
of them are reported at once.  Cross-device judgements (ASN collisions, exits, the edge policy) are checks
(checks/edge.py) that run on the designed site.
"""

from __future__ import annotations

import ipaddress

from .. import platforms
from ..checks import edge as rules
from ..checks import model as model_rules
from .spec import did_you_mean

# names a tenant VRF cannot take: the global table and every platform's management VRF
RESERVED_VRFS = ("default", "global")


def _reserved(fabric):
    names = set(RESERVED_VRFS) | {p.management_vrf for p in platforms.PLATFORMS.values()}
    mgmt = fabric.get("management") or {}
    if mgmt.get("vrf"):
        names.add(mgmt["vrf"])
    return {n.lower() for n in names}


def _leaf_platforms(fabric):
    out = {}
    for pair in fabric["leaf_pairs"]:
        for leaf in pair["leaves"]:
            out[leaf] = (pair, platforms.get(pair["platform"] or fabric["platform"]))
    return out


def _host_cables(data, leaves):
    """(leaf, port number) -> path of every server NIC cable (the loader reports bad ones itself)."""
    out = {}
    for cluster in data["clusters"]:
        for node in cluster["nodes"]:
            for nic, cable in node["nics"].items():
                leaf, _sep, port = cable.partition(":")
                if leaf in leaves:
                    number = leaves[leaf][1].port_number(port)
                    if number is not None:
                        out.setdefault((leaf, number), f"clusters[{cluster['name']}].nodes[{node['name']}].nics[{nic}]")
    return out


def check_references(data: dict, problems: list) -> None:
    add = problems.append
    fabric = data["fabric"]
    vrfs = {v["name"]: v for v in data["vrfs"]}
    reserved = _reserved(fabric)
    ids = {}
    for vrf in data["vrfs"]:
        path = f"vrfs[{vrf['name']}]"
        if vrf["name"].lower() in reserved:
            add(model_rules.NOT_ALLOWED.at(f"{path}.name", f"'{vrf['name']}' is the global table or a management VRF",
                                           "give the tenant VRF another name"))
        if vrf["id"] in ids:
            add(model_rules.ID_TWICE.at(f"{path}.id", f"VRF id {vrf['id']} is also used by VRF '{ids[vrf['id']]}'",
                                        "VRF ids key the L3 VNI, its VLAN and the route target: give each VRF its own"))
        ids.setdefault(vrf["id"], vrf["name"])
        for idx, other in enumerate(vrf["leak_from"]):
            if other not in vrfs or other == vrf["name"]:
                add(rules.UNKNOWN_VRF.at(f"{path}.leak_from[{idx}]", f"'{other}' is not another VRF; "
                                         f"{did_you_mean(other, set(vrfs) - {vrf['name']})}", "name a VRF of vrfs"))
    if (data["vrfs"] or data["external_peers"]) and fabric["asn"]["spine"] > 65535:
        for key in ("fabric", "external", "vip"):
            if not fabric["communities"][key]:
                add(model_rules.NOT_ALLOWED.at(f"fabric.communities.{key}", f"the spine ASN {fabric['asn']['spine']} does "
                                               "not fit a standard community, so the default cannot be derived",
                                               "set fabric.communities explicitly (AA:NN, 16 bits each)"))
    for net in data["networks"]:
        if not net["vrf"]:
            continue
        path = f"networks[{net['name']}].vrf"
        if net["vrf"] not in vrfs:
            add(rules.UNKNOWN_VRF.at(path, f"unknown VRF '{net['vrf']}'; {did_you_mean(net['vrf'], vrfs)}",
                                     "define it under vrfs or fix the name"))
        elif net["gateway_on"] != "fabric":
            add(rules.L2_NETWORK_IN_VRF.at(path, f"the network's gateway is '{net['gateway_on']}', not on the fabric: it "
                                           "stays layer 2 and has no SVI in a VRF", "remove vrf, or set gateway_on: fabric"))
    _peers(data, vrfs, add)


def _peers(data, vrfs, add):
    fabric = data["fabric"]
    leaves = _leaf_platforms(fabric)
    reserved_ports = {fabric["uplinks"]["leaf_first_port"] + i for i in range(fabric["pools"]["max_spines"])}
    reserved_ports |= set(fabric["mlag"]["peer_link_ports"])
    cabled = _host_cables(data, leaves)
    for peer in data["external_peers"]:
        ppath = f"external_peers[{peer['name']}]"
        on_leaf = {}
        for idx, link in enumerate(peer["links"]):
            path = f"{ppath}.links[{idx}]"
            leaf = link["leaf"]
            if leaf not in leaves:
                add(rules.BAD_PEER_CABLE.at(path, f"unknown leaf '{leaf}'; {did_you_mean(leaf, leaves)}",
                                            "cable external peers to leaves of fabric.leaf_pairs"))
                continue
            plat = leaves[leaf][1]
            number = plat.port_number(link["port"])
            if number is None:
                add(rules.BAD_PEER_CABLE.at(path, f"'{link['port']}' is not a front-panel port name on {leaf} ({plat.name})",
                                            f"use {plat.ethernet_name(1)}-style names"))
                continue
            count = leaves[leaf][0]["port_count"] or plat.port_count
            if not 1 <= number <= count:
                add(rules.BAD_PEER_CABLE.at(path, f"{leaf} has ports 1-{count}, not {link['port']}", "fix the port number"))
            elif number in reserved_ports:
                add(rules.BAD_PEER_CABLE.at(path, f"{leaf} {link['port']} is reserved for spine uplinks or the MLAG peer link",
                                            "pick a port below fabric.uplinks.leaf_first_port"))
            elif (leaf, number) in cabled:
                add(rules.BAD_PEER_CABLE.at(path, f"{leaf} {link['port']} is already cabled to {cabled[(leaf, number)]}",
                                            "each leaf port takes one cable", related=(cabled[(leaf, number)],)))
            else:
                cabled[(leaf, number)] = path
            if leaf in on_leaf:
                add(rules.BAD_PEER_CABLE.at(path, f"a second link to {leaf} (also {on_leaf[leaf]})",
                                            "one link per border leaf; a second router is a second external peer",
                                            related=(on_leaf[leaf],)))
            on_leaf.setdefault(leaf, path)
        for entry in peer["vrfs"]:
            vpath = f"{ppath}.vrfs[{entry['vrf']}]"
            if entry["vrf"] not in vrfs:
                add(rules.UNKNOWN_VRF.at(f"{vpath}.vrf", f"unknown VRF '{entry['vrf']}'; {did_you_mean(entry['vrf'], vrfs)}",
                                         "define it under vrfs or fix the name"))
            _addresses(peer, entry, vpath, len(peer["links"]), add)


def _addresses(peer, entry, vpath, links, add):
    for fam in ("4", "6"):
        prefix, explicit = entry[f"ipv{fam}"], entry[f"peer_ipv{fam}"]
        if explicit and peer["attach"] == "subinterface":
            add(rules.BAD_HANDOVER_ADDRESS.at(f"{vpath}.peer_ipv{fam}", "a sub-interface handover takes the peer's address "
                                              "from the transfer prefix (the odd address of each link's /31 or /127)",
                                              "remove peer_ipv" + fam))
            continue
        if explicit and not prefix:
            add(rules.BAD_HANDOVER_ADDRESS.at(f"{vpath}.peer_ipv{fam}", f"peer_ipv{fam} is set but the handover has no "
                                              f"ipv{fam} transfer prefix", f"add ipv{fam}"))
            continue
        if not prefix:
            continue
        net = ipaddress.ip_network(prefix)
        if explicit and ipaddress.ip_address(explicit) not in net:
            add(rules.BAD_HANDOVER_ADDRESS.at(f"{vpath}.peer_ipv{fam}", f"{explicit} is outside the transfer prefix {prefix}",
                                              "use an address inside ipv" + fam))
        bits = net.max_prefixlen - net.prefixlen
        need = 2 * links if peer["attach"] == "subinterface" else 1 + links + (2 if fam == "4" and bits > 1 else 0)
        if (1 << bits) < need:
            add(rules.BAD_HANDOVER_ADDRESS.at(f"{vpath}.ipv{fam}", f"{prefix} holds {1 << bits} addresses; {links} link(s) "
                                              f"need {need}", "use a larger transfer prefix (a /29 or /64 is common)"))
