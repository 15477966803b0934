"""Bond and LACP rules: the host bond and the leaf port-channel are one link seen from two ends."""

from __future__ import annotations

from ..addressing import nth_host
from ..design.facts import one_switch_or_pair
from ..errors import InputError
from ..findings import Finding
from ..hashing import spread
from . import context
from .registry import check

LAG_KIND = {"802.3ad": "active", "balance-xor": "on", "balance-rr": "on"}
HASHED_MODES = ("802.3ad", "balance-xor", "balance-tlb")

# The synthetic population the hash rules measure (documented in docs/checks.md through BOND005):
VMS_PER_NETWORK = 64
FLOWS_PER_VM = 8
MAX_NETWORKS = 4  # the first VM networks of the cluster (model order): enough for a spread, bounded work
GATEWAY_MAC = "02:5e:00:00:00:01"


def _bond_nodes(model, facts, design, clusters=None):
    """(cluster, node, link, config, cables) of every bonded node of ``clusters`` ((name, cluster) pairs;
    default: every cluster, by name)."""
    designed = design["nodes"]
    for cname, cluster in clusters or sorted(model.clusters.items()):
        for node in cluster["nodes"]:
            link = facts.node_links.get((cname, node["name"]))
            cfg = designed[node["name"]] if link else None  # what context.nodes holds for a cabled node
            if link and cfg and link["kind"] == "bond" and cfg.get("bond"):
                cables = list(facts.node_cables.get((cname, node["name"]), ()))
                vm_link = link.get("vm_bond")
                if not vm_link or not cfg.get("vm_bond"):
                    yield cluster, node, link, cfg, cables
                    continue
                # OVE dedicated layout: the cluster bond and the VM bond, each with its own cables
                yield cluster, node, link, cfg, [c for c in cables if c["nic"] in link["members"]]
                yield cluster, node, vm_link, {**cfg, "bond": cfg["vm_bond"]}, \
                    [c for c in cables if c["nic"] in vm_link["members"]]


def _one_switch_or_pair(model, cables) -> bool:
    return one_switch_or_pair(model, sorted({c["leaf"] for c in cables}))


@check("BOND002", "error", "Bond members on unrelated switches", "bond")
def members_one_pair(model, facts, design):
    """The members of an aggregating bond (802.3ad, balance-xor, balance-rr) are cabled to one leaf or one MLAG/vPC pair.

    A link aggregate ends on one system: members on two independent switches (two racks, or a pair
    with `mlag: false`) get two LACP partners, one member stays out of the bundle or, with static
    modes, the switches see the host's MAC flap between ports and drop traffic.

    Cable both NICs to the two leaves of one rack and keep `mlag: true` on that pair, or use
    `mode: active-backup`.
    """
    for cluster, node, link, cfg, cables in _bond_nodes(model, facts, design):
        if cfg["bond"]["mode"] not in LAG_KIND or _one_switch_or_pair(model, cables):
            continue
        leaves = sorted({c["leaf"] for c in cables})
        racks = sorted({model.leaves[lf]["rack"] for lf in leaves})
        why = (f"rack {racks[0]} pair has mlag: false" if len(racks) == 1 else
               f"racks {', '.join(map(str, racks))} are different pairs")
        yield Finding("BOND002", context.node_path(cluster["name"], node["name"]) + ".nics",
                      f"{cfg['bond']['mode']} bond {cfg['bond']['name']} has members on {', '.join(leaves)} ({why})",
                      "cable the members to one leaf or one MLAG pair, or use mode active-backup",
                      related=tuple(context.leaf_path(model, lf) for lf in leaves))


@check("BOND001", "error", "LACP on one end only", "bond")
def lacp_both_ends(model, facts, design):
    """An LACP (802.3ad) bond faces an LACP port-channel, a static bond a static channel, other modes plain ports.

    LACP on one side only leaves the host bond with no partner (members stay down or fall back to
    one link), or a port-channel whose members the host treats as independent NICs: the switch
    hashes a node's traffic onto a member the host is not listening on and frames vanish.
    The design derives both ends from the bond profile, so a mismatch comes from a design bug or an
    override; tests inject it into the facts.

    Use the same mode on both ends: 802.3ad with an LACP (active) port-channel.
    """
    for cluster, node, link, cfg, cables in _bond_nodes(model, facts, design):
        if not _one_switch_or_pair(model, cables):
            continue  # BOND002
        want = LAG_KIND.get(cfg["bond"]["mode"])
        for cable in cables:
            port = facts.host_ports.get(cable["leaf"], {}).get(cable["port"])
            if not port:
                continue
            channel = port.get("channel")
            ch = facts.port_channels.get(cable["leaf"], {}).get(channel["id"]) if channel else None
            have = ch["lacp"] if ch else None
            if have != want:
                leaf_side = f"{ch['name']} with LACP mode {have}" if ch else "a plain port (no port-channel)"
                host_side = f"{cfg['bond']['mode']} bond" + (f" (needs a channel with mode {want})" if want else "")
                yield Finding("BOND001", f"{context.node_path(cluster['name'], node['name'])}.nics[{cable['nic']}]",
                              f"host runs a {host_side}; {cable['leaf']} {cable['port']} is {leaf_side}",
                              "use mode 802.3ad with an LACP port-channel on the leaves",
                              related=(context.leaf_path(model, cable["leaf"]),))


@check("BOND003", "warning", "Bond with a single member", "bond")
def single_member(model, facts, design):
    """A bond has only one member NIC.

    One cable, one optic or one leaf reboot takes the node off the network: with a single member the
    bond gives no redundancy, and a leaf upgrade becomes a node outage.

    Cable a second NIC to the other leaf of the pair.
    """
    for cluster, node, link, cfg, cables in _bond_nodes(model, facts, design):
        if len(cfg["bond"]["ports"]) == 1:
            yield Finding("BOND003", context.node_path(cluster["name"], node["name"]) + ".nics",
                          f"{cfg['bond']['name']} has one member ({cfg['bond']['ports'][0]}): no redundancy",
                          "cable a second NIC to the other leaf of the pair")


@check("BOND004", "error", "LACP rate differs between host and switch", "bond")
def lacp_rate_agrees(model, facts, design):
    """The LACP rate (slow 30 s / fast 1 s) is the same on the host bond and on the leaf port-channel.

    With fast on one side and slow on the other, a dead member is noticed after 3 s on one end and
    90 s on the other: for over a minute one side keeps sending into a dead link. Some switches also
    flap the bundle on the mismatch. Both ends come from the bond profile's `lacp_rate`, so a mismatch
    is a design bug or an override; tests inject it into the facts.

    Set `lacp_rate` once in the bond profile (fast recommended) and remove switch overrides.
    """
    for cluster, node, link, cfg, cables in _bond_nodes(model, facts, design):
        if cfg["bond"]["mode"] != "802.3ad":
            continue
        host = cfg["bond"]["options"].get("lacp_rate", "slow")
        seen = set()
        for cable in cables:
            port = facts.host_ports.get(cable["leaf"], {}).get(cable["port"])
            channel = port and port.get("channel")
            ch = facts.port_channels.get(cable["leaf"], {}).get(channel["id"]) if channel else None
            if not ch or (cable["leaf"], ch["id"]) in seen:
                continue
            seen.add((cable["leaf"], ch["id"]))
            if ch.get("lacp_rate") != host:
                yield Finding("BOND004", context.node_path(cluster["name"], node["name"]),
                              f"bond {cfg['bond']['name']} uses lacp_rate {host}, {cable['leaf']} {ch['name']} uses "
                              f"{ch.get('lacp_rate')}", "set lacp_rate in the bond profile and drop switch overrides",
                              related=(context.leaf_path(model, cable["leaf"]), f"bond_profiles[{link['profile']}].lacp_rate"))


# ----------------------------------------------------------------------------------------------- hashing
def _mac(prefix: int, a: int, b: int) -> str:
    return f"02:5e:{prefix:02x}:{(a >> 8) & 255:02x}:{a & 255:02x}:{b & 255:02x}"


def _sport(index: int) -> int:
    return 32768 + (index * 7919) % 28232  # Linux default ephemeral range 32768-60999, spread deterministically


def vm_population(model, cluster) -> list:
    """Synthetic VM->gateway flows of the cluster's VM networks: a list of (vm id, flow).

    Per VM network (role vm, with a prefix and a gateway; the first MAX_NETWORKS of them in the
    cluster's order): VMS_PER_NETWORK VMs, VM k with MAC
    02:5e:01:VV:VV:kk (VV = VLAN id, kk = k: sequential, as KubeMacPool hands them out) and address
    host 100 + k of the network; each opens FLOWS_PER_VM TCP connections from ephemeral ports to
    port 443 of the network's gateway (MAC GATEWAY_MAC, the gateway address).
    """
    flows, used = [], 0
    for net_name in cluster["networks"]:
        net = model.networks[net_name]
        if net["role"] != "vm" or net["gateway_on"] == "none" or used >= MAX_NETWORKS:
            continue
        fam = "4" if net["ipv4"] else "6" if net["ipv6"] else None
        if not fam:
            continue
        prefix = net[f"ipv{fam}"]
        try:
            gw = net[f"gateway{fam}"] or nth_host(prefix, 1)
            vms = [(k, nth_host(prefix, 100 + k)) for k in range(VMS_PER_NETWORK)]
        except InputError:
            continue  # a network too small for the population: nothing to measure
        used += 1
        for k, ip in vms:
            for j in range(FLOWS_PER_VM):
                flows.append(((net_name, k), {"src_mac": _mac(1, net["vlan"], k), "dst_mac": GATEWAY_MAC,
                                              "src_ip": ip, "dst_ip": gw, "proto": 6,
                                              "src_port": _sport(k * FLOWS_PER_VM + j), "dst_port": 443}))
    return flows


def pod_population(model, facts, cluster, node) -> list:
    """Pod-network (masquerade) VM flows of one OVE node: they leave with the node's MAC and address.

    VMS_PER_NETWORK VMs x FLOWS_PER_VM TCP flows to port 443 of the management network's gateway,
    source MAC 02:5e:02:NN:NN:00 (NN = node id), source address the node's management address.
    """
    net_name = context.cluster_underlay_network(model, cluster)
    if not net_name or cluster["platform"] != "ove" or cluster["overlay"] == "none":
        return []
    addrs = facts.addresses.get((cluster["name"], node["name"], net_name), {})
    net = model.networks[net_name]
    fam = "4" if addrs.get("ipv4") else "6" if addrs.get("ipv6") else None
    if not fam or net["gateway_on"] == "none":
        return []
    gw = net[f"gateway{fam}"] or nth_host(net[f"ipv{fam}"], 1)
    src = addrs[f"ipv{fam}"].split("/")[0]
    mac = _mac(2, node["id"], 0)
    return [((net_name, k), {"src_mac": mac, "dst_mac": GATEWAY_MAC, "src_ip": src, "dst_ip": gw, "proto": 6,
                             "src_port": _sport(k * FLOWS_PER_VM + j), "dst_port": 443})
            for k in range(VMS_PER_NETWORK) for j in range(FLOWS_PER_VM)]


def measure(policy: str, population: list, members: int) -> dict:
    """Per-link share (%) of all flows and the mean share of a VM's flows on its busiest link (%)."""
    if not population or members < 1:
        return {"links": [], "per_vm": 0, "flows": 0}
    links = spread(policy, [flow for _vm, flow in population], members)
    per_vm = {}
    for vm, flow in population:
        per_vm.setdefault(vm, []).append(flow)
    busiest = [max(spread(policy, flows, members)) / len(flows) for flows in per_vm.values()]
    total = len(population)
    return {"links": [round(100 * n / total) for n in links], "per_vm": round(100 * sum(busiest) / len(busiest)),
            "flows": total}


def _first_bond(model, facts, design, cluster):
    """The first bonded node of ``cluster`` and its config (walks that cluster only)."""
    for _c, node, _link, cfg, _cables in _bond_nodes(model, facts, design, [(cluster["name"], cluster)]):
        return node, cfg
    return None, None


@check("BOND005", "error", "layer2 hashing on a bond with VM traffic", "bond")
def layer2_hash(model, facts, design):
    """A bond that carries VM traffic hashes with `xmit_hash_policy: layer2`.

    layer2 picks the member from the MAC addresses only (src MAC[5] XOR dst MAC[5] XOR EtherType,
    modulo the member count, as the kernel's bonding documentation gives it): every flow between a VM
    and its gateway uses one link, so one VM never gets more than one link's bandwidth, and traffic
    that leaves the node with the node's own MAC (pod-network VMs behind OVN-Kubernetes) all lands on
    one link. The message gives the spread measured with the driver's formulas over a synthetic
    population: per VM network (the cluster's first four) 64 VMs (sequential MACs, addresses from host 100 on), 8 TCP flows each
    from ephemeral ports to port 443 of the gateway, plus the same count of pod-network flows from the
    node's management address.

    Use `xmit_hash_policy: layer3+4` (or `encap3+4` for overlay traffic) in the bond profile.
    """
    for cname, cluster in sorted(model.clusters.items()):
        node, cfg = _first_bond(model, facts, design, cluster)
        if not cfg:
            continue
        bond = cfg["bond"]
        policy = bond["options"].get("xmit_hash_policy")
        if bond["mode"] not in HASHED_MODES or policy != "layer2":
            continue
        vms, pods = vm_population(model, cluster), pod_population(model, facts, cluster, node)
        if not vms and not pods:
            continue
        members = len(bond["ports"])
        parts = []
        if vms:
            l2, l34 = measure("layer2", vms, members), measure("layer3+4", vms, members)
            parts.append(f"each VM sends {l2['per_vm']}% of its VM->gateway flows on one link (links carry "
                         f"{'/'.join(f'{x}%' for x in l2['links'])} of {l2['flows']} flows; layer3+4: {l34['per_vm']}% "
                         f"per VM)")
        if pods:
            l2p = measure("layer2", pods, members)
            parts.append(f"pod-network VM flows leave with the node's MAC: {max(l2p['links'])}% of {l2p['flows']} on one link")
        yield Finding("BOND005", f"bond_profiles[{bond['profile']}].xmit_hash_policy",
                      f"cluster {cname}: layer2 on the {members} links of {bond['name']} ({node['name']}): " + "; ".join(parts),
                      "use xmit_hash_policy: layer3+4 (encap3+4 for overlay traffic)",
                      related=(f"clusters[{cname}].bond.profile",))


@check("BOND006", "info", "Overlay traffic hashed without ports", "bond")
def overlay_hash(model, facts, design):
    """A cluster with a host overlay hashes its bond with `layer2+3`/`encap2+3`, which ignore ports.

    Overlay packets between two nodes carry the same outer addresses; the per-flow entropy is in the
    ports (Geneve/VXLAN set the outer UDP source port from the inner flow). Without ports, all traffic
    between two nodes, or from a node to its gateway, stays on one link.

    Use `xmit_hash_policy: encap3+4` (inner headers when the driver can see them, else layer3+4).
    """
    for cname, cluster in sorted(model.clusters.items()):
        if cluster["overlay"] == "none":
            continue
        node, cfg = _first_bond(model, facts, design, cluster)
        if not cfg:
            continue
        bond = cfg["bond"]
        policy = bond["options"].get("xmit_hash_policy")
        if bond["mode"] not in HASHED_MODES or policy not in ("layer2+3", "encap2+3") or len(bond["ports"]) < 2:
            continue
        pods = pod_population(model, facts, cluster, node)
        detail = ""
        if pods:
            now, better = measure(policy, pods, len(bond["ports"])), measure("encap3+4", pods, len(bond["ports"]))
            detail = (f": {max(now['links'])}% of the node's {now['flows']} overlay/pod flows on one link, "
                      f"encap3+4 {max(better['links'])}%")
        yield Finding("BOND006", f"bond_profiles[{bond['profile']}].xmit_hash_policy",
                      f"cluster {cname} runs a {cluster['overlay']} overlay over {policy}{detail}",
                      "use xmit_hash_policy: encap3+4", related=(f"clusters[{cname}].overlay",))
