"""Load the inventory model: types first, then references, all errors at once.

``load_model(raw)`` takes the model as a plain dict (top keys ``site``,
``fabric``, ``networks``, ...) and returns a ``Model`` or raises
``ModelError`` carrying every finding with its model path.  Nothing here
allocates addresses; that is the design stage's job.
"""

from __future__ import annotations

import difflib
import ipaddress

from ..checks import azure_local as atc
from ..checks import cabling
from ..checks import foundation as addr_rules
from ..checks import limits as limit_rules
from ..checks import model as model_rules
from ..checks import vlans as vlan_rules
from ..checks import vmware as vmw
from .. import platforms
from ..findings import ModelError
from . import bounds, north_south, schema
from .spec import did_you_mean


class Model:
    """The validated, normalized model with name indexes.

    ``data`` is the normalized dict (defaults filled in); the indexes answer
    the questions every later stage asks ("which network is 'mgmt'?").
    """

    def __init__(self, data: dict):
        self.data = data
        self.site = data["site"]
        self.fabric = data["fabric"]
        self.networks = {n["name"]: n for n in data["networks"]}
        self.networks_by_vlan = {}  # VLAN id -> the first network with it, as the model lists them
        for net in data["networks"]:
            self.networks_by_vlan.setdefault(net["vlan"], net)
        self.bond_profiles = data["bond_profiles"]
        self.clusters = {c["name"]: c for c in data["clusters"]}
        self.nodes = {(c["name"], n["name"]): n for c in data["clusters"] for n in c["nodes"]}
        self.spines = {s["name"]: s for s in self.fabric["spines"]}
        self.leaves = {}
        for pair in self.fabric["leaf_pairs"]:
            for side, name in enumerate(pair["leaves"]):
                self.leaves[name] = {
                    "name": name, "rack": pair["rack"], "side": "ab"[side], "id": 2 * pair["rack"] - 1 + side,
                    "pair": pair, "platform": pair["platform"] or self.fabric["platform"],
                    "port_count": pair["port_count"] or platforms.get(pair["platform"] or self.fabric["platform"]).port_count,
                    "peer": next((x for x in pair["leaves"] if x != name), None),
                    "path": f"fabric.leaf_pairs[{pair['rack']}].leaves[{side}]",
                }
        self.waivers = data["waivers"]
        self.vms = {v["name"]: v for v in data["vms"]}
        self.waves = {w["name"]: w for w in data["waves"]}
        self.vrfs = {v["name"]: v for v in data["vrfs"]}
        self.external_peers = {p["name"]: p for p in data["external_peers"]}

    def switch_platform(self, name: str) -> str:
        if name in self.leaves:
            return self.leaves[name]["platform"]
        return self.spines[name]["platform"] or self.fabric["platform"]


def plain(value):
    """A copy made of plain dict/list/str/int/float/bool/None.

    Ansible hands variables over as its own subclasses (tagged str, int, ...);
    the engine and YAML dumping want the builtin types.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def model_from_vars(variables: dict) -> tuple:
    """Pick the model out of Ansible variables named dcnet_<key>.

    Other dcnet_ variables are settings of roles (dcnet_build_dir, ...) and are
    ignored, except those that look like a misspelt model key, e.g.
    dcnet_netwroks, which are errors with a suggestion.
    """
    raw, problems, names = {}, [], {}
    for name, value in variables.items():
        if not isinstance(name, str) or not name.startswith(schema.VAR_PREFIX):
            continue
        key = name[len(schema.VAR_PREFIX):]
        if key in schema.TOP_KEYS:
            raw[key], names[key] = value, name
        elif difflib.get_close_matches(key, schema.TOP_KEYS, n=1, cutoff=0.75):
            close = difflib.get_close_matches(key, schema.TOP_KEYS, n=1, cutoff=0.75)[0]
            problems.append(model_rules.UNKNOWN_KEY.at(name, f"unknown model variable '{name}'; did you mean "
                                                       f"'{schema.VAR_PREFIX}{close}'?"))
    # measured before plain() copies anything: a copy would expand every YAML alias
    refused = bounds.check(raw, names)
    if refused:
        site = raw.get("site")
        name = site.get("name") if isinstance(site, dict) else None
        keep = {"site": {"name": name}} if isinstance(name, str) and len(name) <= 63 else {}
        return keep, problems + refused
    return {key: plain(value) for key, value in raw.items()}, problems


def _refused(problems) -> bool:
    return any(p.rule in limit_rules.REFUSALS for p in problems)


def load_model(raw: dict, extra_problems=(), measured: bool = False) -> Model:
    """The checked Model of a raw model dict; ``measured`` when ``model_from_vars`` made ``raw`` (its bounds were
    checked on the shared graph before the copy, and the copy expands to exactly what was measured)."""
    problems = list(extra_problems)
    if not measured and not _refused(problems) and isinstance(raw, dict):
        problems += bounds.check(raw)
    if _refused(problems):
        raise ModelError(problems, "limits")
    data = schema.MODEL.check(raw, "", problems)
    if problems:
        raise ModelError(problems, "schema")
    _check_references(data, problems)
    north_south.check_references(data, problems)
    if problems:
        raise ModelError(problems, "references")
    return Model(data)


def _check_references(data: dict, problems: list) -> None:
    """Cross-field rules that need no allocation: ids, references, cabling."""
    add = problems.append
    fabric = data["fabric"]
    nets = {n["name"]: n for n in data["networks"]}

    # networks: VLAN ids and gateways
    seen_vlan = {}
    for net in data["networks"]:
        path = f"networks[{net['name']}]"
        if not 1 <= net["vlan"] <= 4094:
            add(vlan_rules.VLAN_OUT_OF_RANGE.at(f"{path}.vlan", f"VLAN id {net['vlan']} is outside 1..4094",
                                                "use a VLAN id between 1 and 4094 (0 and 4095 are reserved by 802.1Q)"))
        elif net["vlan"] in seen_vlan:
            add(vlan_rules.VLAN_TWICE.at(f"{path}.vlan", f"VLAN {net['vlan']} is also used by network '{seen_vlan[net['vlan']]}'",
                                         "give every network its own VLAN id", related=(f"networks[{seen_vlan[net['vlan']]}].vlan",)))
        else:
            seen_vlan[net["vlan"]] = net["name"]
        for fam in ("4", "6"):
            gw, prefix = net[f"gateway{fam}"], net[f"ipv{fam}"]
            if gw and not prefix:
                add(addr_rules.GATEWAY_OUTSIDE.at(f"{path}.gateway{fam}", f"gateway {gw} is set but the network has no ipv{fam} prefix",
                                                  f"add ipv{fam} or remove gateway{fam}"))
            elif gw and ipaddress.ip_address(gw) not in ipaddress.ip_network(prefix):
                add(addr_rules.GATEWAY_OUTSIDE.at(f"{path}.gateway{fam}", f"gateway {gw} is outside {prefix}", "use an address inside the prefix"))
        if not net["ipv4"] and not net["ipv6"] and net["role"] != "vm":
            add(addr_rules.NO_PREFIX.at(path, f"{net['role']} network has neither ipv4 nor ipv6",
                                        "hosts need an address on non-VM networks: add ipv4 and/or ipv6"))

    # switches: unique names and ids
    names = {}

    def claim(name, path):
        if name in names:
            add(model_rules.NAME_TWICE.at(path, f"name '{name}' is already used by {names[name]}", "device names must be unique site-wide",
                                          related=(names[name],)))
        else:
            names[name] = path

    def claim_id(what, item, path, ids, hint):
        """Claim the item's name site-wide and its id among ``ids`` (id -> name of its holder)."""
        claim(item["name"], path)
        if item["id"] in ids:
            add(model_rules.ID_TWICE.at(f"{path}.id", f"{what} id {item['id']} is also used by {ids[item['id']]}", hint))
        ids[item["id"]] = item["name"]

    spine_ids = {}
    for spine in fabric["spines"]:
        path = f"fabric.spines[{spine['name']}]"
        claim_id("spine", spine, path, spine_ids, "spine ids must be unique (they key loopbacks and uplink ports)")
        if spine["id"] > fabric["pools"]["max_spines"]:
            add(model_rules.SPINE_ID_BEYOND_MAX.at(f"{path}.id", f"spine id {spine['id']} exceeds fabric.pools.max_spines "
                                                   f"({fabric['pools']['max_spines']})", "raise max_spines before allocating (it renumbers links)"))
    leaves, port_counts = {}, {}  # leaf -> its Platform; leaf -> (port count, where it comes from)
    for pair in fabric["leaf_pairs"]:
        path = f"fabric.leaf_pairs[{pair['rack']}]"
        if not 1 <= len(pair["leaves"]) <= 2:
            add(model_rules.BAD_PAIR_SIZE.at(f"{path}.leaves", f"a leaf pair has 1 or 2 leaves, got {len(pair['leaves'])}",
                                             "list one leaf, or the two leaves of the rack"))
        for side, leaf in enumerate(pair["leaves"]):
            claim(leaf, f"{path}.leaves[{side}]")
            leaves[leaf] = platforms.get(pair["platform"] or fabric["platform"])
            port_counts[leaf] = (pair["port_count"] or leaves[leaf].port_count,
                                 f"{path}.port_count" if pair["port_count"] else f"the {leaves[leaf].name} default")
    if not fabric["spines"]:
        add(model_rules.NO_SPINES.at("fabric.spines", "the fabric has no spines", "add at least one spine"))

    for net in data["networks"]:
        for idx, leaf in enumerate(net["leaves"]):
            if leaf not in leaves:
                what = "a spine (spines carry no VLAN)" if leaf in spine_ids.values() else f"not a leaf; {did_you_mean(leaf, leaves)}"
                add(vlan_rules.PLACED_ON_UNKNOWN_LEAF.at(f"networks[{net['name']}].leaves[{idx}]", f"'{leaf}' is {what}",
                                                         "name leaves of fabric.leaf_pairs"))

    reserved_ports = {fabric["uplinks"]["leaf_first_port"] + i for i in range(fabric["pools"]["max_spines"])}
    reserved_ports |= set(fabric["mlag"]["peer_link_ports"])

    profiles = data["bond_profiles"]
    cabled = {}
    for cluster in data["clusters"]:
        cpath = f"clusters[{cluster['name']}]"
        claim(cluster["name"], cpath)
        for idx, name in enumerate(cluster["networks"]):
            if name not in nets:
                add(model_rules.UNKNOWN_NETWORK.at(f"{cpath}.networks[{idx}]", f"unknown network '{name}'; {did_you_mean(name, nets)}",
                                                   "define the network under networks or fix the name"))
        for key in ("native_network",):
            if cluster[key] and cluster[key] not in cluster["networks"]:
                add(model_rules.UNKNOWN_NETWORK.at(f"{cpath}.{key}", f"'{cluster[key]}' is not one of the cluster's networks",
                                                   "add it to the cluster's networks"))
        plat = cluster["platform"]
        if plat in ("ove", "linux"):
            if not cluster["bond"]:
                add(model_rules.CLUSTER_WITHOUT_BOND.at(f"{cpath}.bond", f"a {plat} cluster needs a bond", "add bond: {name: bond0, profile: ...}"))
            elif cluster["bond"]["profile"] not in profiles:
                add(model_rules.UNKNOWN_PROFILE.at(f"{cpath}.bond.profile", f"unknown bond profile '{cluster['bond']['profile']}'; "
                                                   f"{did_you_mean(cluster['bond']['profile'], profiles)}", "define it under bond_profiles"))
            if cluster["intents"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.intents", "intents are Azure Local only", "remove intents or set platform azure_local"))
        if plat == "vmware":
            if cluster["bond"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.bond", "ESXi hosts team their uplinks per vSwitch, "
                                                          "not in a bond", "remove bond and describe the vswitches"))
            if cluster["intents"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.intents", "intents are Azure Local only", "remove intents"))
            if not cluster["vswitches"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.vswitches", "a vmware cluster needs its vSwitches",
                                                          "add vswitches: [{name: ..., uplinks: [vmnic0, vmnic1]}]"))
            _check_vswitches(cluster, cpath, add)
        elif cluster["vswitches"]:
            add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.vswitches", "vswitches are for vmware clusters",
                                                      "remove vswitches or set platform vmware"))
        if plat == "azure_local":
            # Azure Local clusters and nodes are Windows computer (NetBIOS) names: at most 15 characters, not all digits
            for what, name, where in [("cluster", cluster["name"], cpath)] + [
                    ("node", n["name"], f"{cpath}.nodes[{n['name']}]") for n in cluster["nodes"]]:
                if len(name) > 15 or name.isdigit():
                    add(model_rules.NOT_ALLOWED.at(f"{where}.name", f"'{name}' is not a valid Azure Local {what} name "
                                                   "(a Windows computer name: at most 15 characters, not only digits)",
                                                   "shorten the name"))
            if not cluster["intents"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.intents", "an azure_local cluster needs Network ATC intents", "add intents"))
            if cluster["metallb"]:
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.metallb", "MetalLB is for ove clusters", "remove metallb"))
        if cluster["metallb"] and plat != "ove":
            if plat != "azure_local":
                add(model_rules.OTHER_PLATFORM_SETTING.at(f"{cpath}.metallb", "MetalLB is for ove clusters", "remove metallb or set platform ove"))
        mlb = cluster["metallb"]
        if mlb and mlb["peer_network"] and mlb["peer_network"] not in cluster["networks"]:
            add(model_rules.UNKNOWN_NETWORK.at(f"{cpath}.metallb.peer_network",
                                               f"'{mlb['peer_network']}' is not one of the cluster's networks", "add it to the cluster's networks"))
        for intent in cluster["intents"]:
            for idx, name in enumerate(intent["storage_networks"]):
                if name not in cluster["networks"]:
                    add(model_rules.UNKNOWN_NETWORK.at(f"{cpath}.intents[{intent['name']}].storage_networks[{idx}]",
                                                       f"'{name}' is not one of the cluster's networks", "add it to the cluster's networks"))
        node_ids = {}
        for node in cluster["nodes"]:
            npath = f"{cpath}.nodes[{node['name']}]"
            claim_id("node", node, npath, node_ids, "node ids must be unique within a cluster (they key addresses)")
            for net in node["addresses"]:
                if net not in cluster["networks"]:
                    add(model_rules.UNKNOWN_NETWORK.at(f"{npath}.addresses[{net}]", f"'{net}' is not one of the cluster's networks",
                                                       "address only networks the cluster uses"))
            if not node["nics"]:
                add(cabling.NO_CABLE.at(f"{npath}.nics", "node has no cabled NIC", "add nics: {nic: 'leaf:port'}"))
            for nic, cable in node["nics"].items():
                path = f"{npath}.nics[{nic}]"
                leaf, sep, port = cable.partition(":")
                if not sep or not port:
                    add(cabling.BAD_CABLE.at(path, f"cable '{cable}' is not 'leaf:port'", "write e.g. leaf01a:Ethernet1"))
                    continue
                if leaf not in leaves:
                    add(cabling.BAD_CABLE.at(path, f"unknown leaf '{leaf}'; {did_you_mean(leaf, leaves)}",
                                             "cable NICs to leaves listed under fabric.leaf_pairs"))
                    continue
                number = leaves[leaf].port_number(port)
                if number is None:
                    add(cabling.BAD_PORT.at(path, f"'{port}' is not a front-panel port name on {leaf} ({leaves[leaf].name})",
                                            f"use {leaves[leaf].ethernet_name(1)}-style names"))
                    continue
                count, origin = port_counts[leaf]
                if not 1 <= number <= count:
                    add(cabling.BAD_PORT.at(path, f"{leaf} has ports 1-{count} ({origin}), not {port}",
                                            "fix the port number, or set port_count on the leaf pair"))
                    continue
                if number in reserved_ports:
                    add(cabling.BAD_PORT.at(path, f"{leaf} {port} is reserved for spine uplinks or the MLAG peer link",
                                            "pick a port below fabric.uplinks.leaf_first_port"))
                    continue
                key = (leaf, number)
                if key in cabled:
                    add(cabling.PORT_TWICE.at(path, f"{leaf} {port} is already cabled to {cabled[key][1]}",
                                              "each leaf port takes one cable", related=(cabled[key][0],)))
                else:
                    cabled[key] = (path, f"{node['name']} {nic}")
        if plat == "azure_local":
            for intent in cluster["intents"]:
                for adapter in intent["adapters"]:
                    for node in cluster["nodes"]:
                        if adapter not in node["nics"] and not (cluster["storage"]["switchless"] and "storage" in intent["traffic"]):
                            add(atc.ADAPTER_NOT_CABLED.at(f"{cpath}.nodes[{node['name']}].nics",
                                                          f"adapter '{adapter}' of intent '{intent['name']}' is not cabled on this node",
                                                          "cable every intent adapter on every node (adapter names are identical on all nodes)"))


def _check_vswitches(cluster, cpath, add) -> None:
    """ESXi vSwitches: networks of the cluster, what vSphere allows, every uplink cabled on every host."""
    owner = {}
    for vs in cluster["vswitches"]:
        vpath = f"{cpath}.vswitches[{vs['name']}]"
        for idx, name in enumerate(vs["networks"]):
            if name not in cluster["networks"]:
                add(model_rules.UNKNOWN_NETWORK.at(f"{vpath}.networks[{idx}]", f"'{name}' is not one of the cluster's networks",
                                                   "add it to the cluster's networks"))
        if vs["teaming"] == "lacp" and vs["kind"] == "standard":
            add(vmw.NOT_IN_VSPHERE.at(f"{vpath}.teaming", f"standard vSwitch {vs['name']} cannot run LACP (only a "
                                      "distributed switch has link aggregation groups)",
                                      "use teaming loadbalance_ip with a static port-channel, or a distributed switch"))
        for idx, uplink in enumerate(vs["uplinks"]):
            if uplink in owner:
                add(vmw.NOT_IN_VSPHERE.at(f"{vpath}.uplinks[{idx}]", f"{uplink} is already an uplink of {owner[uplink]}",
                                          "a vmnic is the uplink of one switch"))
                continue
            owner[uplink] = vs["name"]
            for node in cluster["nodes"]:
                if uplink not in node["nics"]:
                    add(vmw.UPLINK_NOT_CABLED.at(f"{cpath}.nodes[{node['name']}].nics",
                                                 f"uplink {uplink} of vSwitch {vs['name']} is not cabled on this host",
                                                 f"add {uplink}: 'leaf:port' (uplink names are the same on every host)"))
