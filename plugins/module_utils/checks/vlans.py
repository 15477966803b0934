"""VLAN rules: both ends of every cable carry the same VLANs, within switch limits."""

from __future__ import annotations

from .. import platforms
from ..findings import Finding
from ..vlans import expand_vlans
from . import context
from .registry import check, declare

VLAN_OUT_OF_RANGE = declare(
    "VLAN001", "error", "VLAN id out of range", "vlan",
    "802.1Q VLAN ids are 1..4094; 0 and 4095 are reserved and NetworkManager rejects >= 4095.")
VLAN_TWICE = declare(
    "VLAN002", "error", "VLAN id used twice", "vlan",
    "Two networks with the same VLAN id would be one broadcast domain.")
PLACED_ON_UNKNOWN_LEAF = declare(
    "VLAN009", "error", "Network placed on a switch that is not a leaf", "vlan",
    """`networks[].leaves` names a switch that is not a leaf of `fabric.leaf_pairs` (a typo, or a spine).

    A reserved VLAN is placed on leaves ahead of a wave; a misspelt name would leave the rack without
    the VLAN and its gateway on cut-over day. Spines route only and carry no VLAN.

    Use the leaf names of `fabric.leaf_pairs`.""")


def _vlan(model, name):
    return model.networks[name]["vlan"]


def _missing_on_port(need, allowed, channel):
    """The networks of ``need`` ({name: VLAN}) a leaf port (and its port-channel: (name, VLANs)) does not allow."""
    allowed = set(allowed)
    missing = sorted(n for n, v in need.items() if v not in allowed)
    if channel is not None:
        ch_allowed = set(channel[1])
        missing += sorted(f"{n} (on {channel[0]})" for n, v in need.items() if v not in ch_allowed and n not in missing)
    return missing


@check("VLAN003", "error", "Cluster network missing on a node or leaf port", "vlan")
def network_everywhere(model, facts, design):
    """Every network of a cluster is on every node's bond and on every leaf port (and port-channel) the node is cabled to.

    A VM live-migrates to any node of its cluster; if one node's bond or one leaf port lacks the VLAN,
    the VM arrives cut off (or half of its traffic is black-holed by one member of an LACP bond).
    Azure Local adapters carry the networks of their intent and ESXi uplinks those of their vSwitch, so a
    network no intent (no vSwitch) carries is missing too.
    The design derives both ends from one model, so this catches design bugs and hand-edited configs;
    tests inject the fault into the facts.

    Add the network to the cluster's `networks` (both ends follow), or find the override that removed
    it from one port; for Azure Local, give the network a role an intent carries or list it in `storage_networks`;
    for VMware hosts, put it on a vSwitch (`vswitches[].networks`, or a port group naming the switch).
    """
    node_cfgs = context.nodes(model, facts, design)
    port_verdicts = {}  # (cluster, networks the member carries, port VLANs, port-channel) -> missing networks
    vm_vlans = {}       # a bond's VM trunk (text) -> its VLAN ids: thousands of nodes share a few
    bond_verdicts = {}  # (cluster, VLANs on the bond) -> missing networks: most nodes of a cluster are alike
    for cname, cluster in sorted(model.clusters.items()):
        wanted = {n: _vlan(model, n) for n in cluster["networks"] if n in model.networks}
        for node in cluster["nodes"]:
            key = (cname, node["name"])
            link, cfg = facts.node_links.get(key), node_cfgs.get(key)
            if not link or not cfg:
                continue
            npath = context.node_path(cname, node["name"])
            if link["kind"] == "bond":
                trunk = cfg["vm_vlans"]
                if trunk and trunk not in vm_vlans:
                    vm_vlans[trunk] = frozenset(expand_vlans(trunk))
                on_host = {i["vlan"] for i in cfg["vlan_interfaces"]} | (vm_vlans[trunk] if trunk else frozenset())
                if cfg["bond"].get("network"):
                    on_host.add(_vlan(model, cfg["bond"]["network"]))
                bond_key = (cname, frozenset(on_host))
                if bond_key not in bond_verdicts:
                    bond_verdicts[bond_key] = sorted(n for n, v in wanted.items() if v not in on_host)
                missing = bond_verdicts[bond_key]
                if missing:
                    yield Finding("VLAN003", npath, f"network(s) {', '.join(missing)} of the cluster are not on "
                                  f"{cfg['bond']['name']}", "check the node's configuration against the cluster's networks")
                expect = wanted   # a bond member carries every network of the cluster
                members = [(c["nic"], c["leaf"], c["port"]) for c in facts.node_cables.get((cname, node["name"]), ())]
            elif link["kind"] == "vswitches":
                expect = None
                cables = {c["nic"]: c for c in facts.node_cables.get((cname, node["name"]), ())}
                members = [(nic, cables[nic]["leaf"], cables[nic]["port"], vs["networks"])
                           for vs in link["vswitches"] for nic in vs["uplinks"] if nic in cables]
                carried = {n for vs in link["vswitches"] for n in vs["networks"]}
                for idx, net in enumerate(cluster["networks"]):
                    if net in wanted and net not in carried and node is cluster["nodes"][0]:
                        yield Finding("VLAN003", f"clusters[{cname}].networks[{idx}]",
                                      f"network {net} (VLAN {wanted[net]}) is on no vSwitch of the hosts",
                                      "list it under a vSwitch's networks, or name the vSwitch in one of the network's "
                                      "port_groups")
            else:
                expect = None
                members = []
                carried = set()
                for adapter in link["adapters"]:
                    carried.update(adapter["networks"])
                    if adapter["leaf"]:
                        members.append((adapter["name"], adapter["leaf"], adapter["port"], adapter["networks"]))
                switchless = set()
                if cluster["storage"]["switchless"]:
                    for intent in cluster["intents"]:
                        switchless.update(intent["storage_networks"])
                for idx, net in enumerate(cluster["networks"]):
                    if net in wanted and net not in carried and net not in switchless and node is cluster["nodes"][0]:
                        yield Finding("VLAN003", f"clusters[{cname}].networks[{idx}]",
                                      f"network {net} (VLAN {wanted[net]}) is carried by no intent adapter",
                                      "give it a role an intent carries (management, vm, live_migration, cluster) or "
                                      "list it in a storage intent's storage_networks")
            per_nic = link.get("nic_networks") or {}  # OVE dedicated layout: each bond carries its own networks
            for member in members:
                nic, leaf, pname = member[:3]
                port = facts.host_ports.get(leaf, {}).get(pname)
                if not port:
                    continue
                if nic in per_nic:
                    carries = ("networks", tuple(per_nic[nic]))
                else:
                    carries = ("cluster",) if expect is not None else ("networks", tuple(member[3]))
                channel = port.get("channel")
                ch = facts.port_channels.get(leaf, {}).get(channel["id"]) if channel else None
                key = (cname, carries, tuple(port["allowed_vlans"]),
                       None if ch is None else (ch["name"], tuple(ch.get("allowed_vlans", []))))
                if key not in port_verdicts:   # most ports of a cluster allow the same VLANs
                    need = wanted if carries == ("cluster",) else {n: wanted[n] for n in carries[1] if n in wanted}
                    port_verdicts[key] = _missing_on_port(need, key[2], key[3])
                missing = port_verdicts[key]
                if missing:
                    yield Finding("VLAN003", f"{npath}.nics[{nic}]",
                                  f"{leaf} {pname} does not allow network(s) {', '.join(missing)}",
                                  "the leaf port must allow every VLAN of the cluster",
                                  related=(context.leaf_path(model, leaf),))


@check("VLAN004", "error", "Native VLAN differs between host and switch", "vlan")
def native_vlan_agrees(model, facts, design):
    """The untagged (native) VLAN of a host link is the same at the host and on the leaf port and port-channel.

    If the host sends a network untagged but the leaf maps untagged frames to another VLAN (or drops
    them), the host's native network lands in the wrong broadcast domain: PXE, DHCP and the node's
    management address fail, often only after a switch replacement reverts a hand-set native VLAN.
    The model states the native network once (`clusters[].native_network`), so this catches design
    bugs and overrides; tests inject the fault into the facts.

    Set `native_network` on the cluster and remove per-port native VLAN overrides.
    """
    for cname, cluster in sorted(model.clusters.items()):
        for node in cluster["nodes"]:
            link = facts.node_links.get((cname, node["name"]))
            if not link:
                continue
            host_native = link.get("native_vlan")
            for cable in facts.node_cables.get((cname, node["name"]), ()):
                port = facts.host_ports.get(cable["leaf"], {}).get(cable["port"])
                if not port:
                    continue
                # a bond sends the native network on every member; an Azure adapter only if its intent carries it
                expected = host_native if link["kind"] == "bond" or host_native in port["allowed_vlans"] else None
                sides = [(port.get("native_vlan"), f"{cable['leaf']} {cable['port']}")]
                channel = port.get("channel")
                ch = facts.port_channels.get(cable["leaf"], {}).get(channel["id"]) if channel else None
                if ch is not None:
                    sides.append((ch.get("native_vlan"), f"{cable['leaf']} {ch['name']}"))
                for value, where in sides:
                    if value != expected:
                        yield Finding("VLAN004", f"{context.node_path(cname, node['name'])}.nics[{cable['nic']}]",
                                      f"host sends native VLAN {expected or 'none'} but {where} has native VLAN {value or 'none'}",
                                      "set clusters[].native_network and remove the port override",
                                      related=(context.leaf_path(model, cable["leaf"]),))


@check("VLAN005", "error", "VLAN stretched across leaf pairs without an overlay", "vlan")
def stretch_without_overlay(model, facts, design):
    """A network is carried on more than one leaf pair while `fabric.overlay` is `none`.

    In a routed spine-leaf fabric the spines do not bridge: the VLAN exists as separate islands in each
    rack, so VMs and nodes in different racks on "the same" network cannot reach each other and a VM
    live-migrated to another rack drops off the network.

    Set `fabric.overlay: evpn_vxlan` (the VLAN becomes a VNI on every pair), or keep the network's
    nodes on one leaf pair.
    """
    if model.fabric["overlay"] != "none":
        return
    for net, racks in sorted(facts.stretched.items()):
        yield Finding("VLAN005", f"networks[{net}]",
                      f"VLAN {model.networks[net]['vlan']} is on leaf pairs of racks {', '.join(map(str, racks))} "
                      "but the fabric has no overlay",
                      "set fabric.overlay: evpn_vxlan or cable the network's nodes to one leaf pair",
                      related=tuple(f"fabric.leaf_pairs[{r}]" for r in racks))


@check("VLAN006", "error", "Too many VLANs on a leaf", "vlan")
def vlan_count(model, facts, design):
    """The VLANs a leaf must carry (host networks plus the MLAG peer and black-hole VLANs) exceed the platform limit.

    NX-OS reserves VLANs 3968-4094 and creates at most 3967; no platform carries more than 4094. The
    switch refuses the configuration beyond the limit, so whichever networks come last are missing.

    Spread the clusters over more leaf pairs, or move networks to a routed overlay.
    """
    for leaf in sorted(facts.leaf_vlans):
        plat = facts.switches[leaf]["platform"]
        limit = platforms.get(plat).max_vlans
        vlans = set(facts.leaf_vlans[leaf])
        if facts.switches[leaf].get("mlag_vlan"):
            vlans.add(facts.switches[leaf]["mlag_vlan"])
        vlans.update(p["blackhole_vlan"] for p in facts.host_ports.get(leaf, {}).values() if p["blackhole_vlan"])
        if len(vlans) > limit:
            yield Finding("VLAN006", context.leaf_path(model, leaf),
                          f"{leaf} ({plat}) needs {len(vlans)} VLANs, the platform allows {limit}",
                          "spread clusters over more leaf pairs")


@check("VLAN007", "error", "VLAN reserved on the switch", "vlan")
def reserved_vlan(model, facts, design):
    """A network, or a fabric-internal VLAN (the MLAG/vPC peer VLAN, the black-hole native VLAN), uses a
    VLAN the leaf reserves.

    Reusing the peer VLAN merges the network with the MLAG control plane (peer adjacency flaps, both
    leaves go active); NX-OS rejects VLANs in its reserved range 3968-4094, so a network there is never
    created and a vPC peer VLAN there is refused (the pair loses its routed peering). A black-hole VLAN
    that is the peer VLAN or reserved makes the host trunks' native VLAN the control plane's, or is refused.

    Give the network another VLAN id, or set `fabric.mlag.vlan` / `fabric.blackhole_vlan` outside the
    platform's reserved range (the peer VLAN's default is already outside).
    """
    yield from _blackhole_reserved(model, facts)
    peer_vlans = {}
    for name, sw in sorted(facts.switches.items()):
        if sw.get("mlag_vlan"):
            peer_vlans.setdefault(sw["mlag_vlan"], []).append(name)
            plat = platforms.get(sw["platform"])
            if plat.reserves(sw["mlag_vlan"]) and sw["side"] == "a":
                first, last = [r for r in plat.reserved_vlans if r[0] <= sw["mlag_vlan"] <= r[1]][0]
                yield Finding("VLAN007", "fabric.mlag.vlan",
                              f"MLAG peer VLAN {sw['mlag_vlan']} of {name} and {sw['peer']} is in {plat.title}'s reserved "
                              f"range {first}-{last}", f"set fabric.mlag.vlan outside {first}-{last}",
                              related=(context.leaf_path(model, name),))
    for net, leaves in sorted(facts.network_leaves.items()):
        vid = model.networks[net]["vlan"]
        mlag = [lf for lf in leaves if lf in peer_vlans.get(vid, ())]
        if mlag:
            yield Finding("VLAN007", f"networks[{net}].vlan",
                          f"VLAN {vid} is the MLAG peer VLAN of {', '.join(mlag)}",
                          "choose another VLAN id or change fabric.mlag.vlan", related=("fabric.mlag.vlan",))
            continue
        reserving = {}
        for lf in leaves:
            plat = platforms.get(facts.switches[lf]["platform"])
            if plat.reserves(vid):
                reserving.setdefault(plat, []).append(lf)
        for plat, where in sorted(reserving.items(), key=lambda kv: kv[0].name):
            first, last = [r for r in plat.reserved_vlans if r[0] <= vid <= r[1]][0]
            yield Finding("VLAN007", f"networks[{net}].vlan",
                          f"VLAN {vid} is in {plat.title}'s reserved range {first}-{last} on {', '.join(where)}",
                          f"choose a VLAN id outside {first}-{last}",
                          related=tuple(context.leaf_path(model, lf) for lf in where[:1]))


def _blackhole_reserved(model, facts):
    """VLAN007 for the black-hole VLAN: on the peer VLAN, or in the reserved range of a leaf whose trunks use it."""
    vid = model.fabric["blackhole_vlan"]
    if not vid:
        return
    users = sorted(lf for lf, ports in facts.host_ports.items() if any(p["blackhole_vlan"] for p in ports.values()))
    mlag = [lf for lf in users if facts.switches[lf].get("mlag_vlan") == vid]
    if mlag:
        yield Finding("VLAN007", "fabric.blackhole_vlan", f"black-hole VLAN {vid} is the MLAG peer VLAN of {', '.join(mlag)}",
                      "choose another fabric.blackhole_vlan or change fabric.mlag.vlan", related=("fabric.mlag.vlan",))
        return
    reserving = {}
    for lf in users:
        plat = platforms.get(facts.switches[lf]["platform"])
        if plat.reserves(vid):
            reserving.setdefault(plat, []).append(lf)
    for plat, where in sorted(reserving.items(), key=lambda kv: kv[0].name):
        first, last = [r for r in plat.reserved_vlans if r[0] <= vid <= r[1]][0]
        yield Finding("VLAN007", "fabric.blackhole_vlan",
                      f"black-hole VLAN {vid} is in {plat.title}'s reserved range {first}-{last} on {', '.join(where)}",
                      f"choose a VLAN id outside {first}-{last}", related=(context.leaf_path(model, where[0]),))


@check("VLAN008", "error", "Network on the black-hole VLAN", "vlan")
def network_on_blackhole(model, facts, design):
    """A network uses the VLAN id of `fabric.blackhole_vlan`, the native VLAN of host trunks that send nothing untagged.

    The black-hole VLAN is never allowed on a trunk, stretched, routed or given a VNI: untagged frames
    from a host are dropped at the leaf. A network on the same id either gets the hosts' stray untagged
    frames (a host misconfigured without its VLAN tag lands in that network) or loses its own traffic
    on every trunk where the leaf treats the id as the drop VLAN.

    Give the network another VLAN id, or choose another `fabric.blackhole_vlan`.
    """
    vid = model.fabric["blackhole_vlan"]
    net = model.networks_by_vlan.get(vid) if vid else None
    if net:
        yield Finding("VLAN008", f"networks[{net['name']}].vlan",
                      f"VLAN {vid} is the fabric's black-hole native VLAN (fabric.blackhole_vlan)",
                      "give the network another VLAN id or change fabric.blackhole_vlan", related=("fabric.blackhole_vlan",))
