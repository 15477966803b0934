"""MTU rules: every hop of every path carries the frames the hosts send.

Convention (see ``module_utils/mtu.py``): every MTU compared here is an IP
MTU, as Linux, NMState, FRR, EOS and NX-OS configure it; frame sizes in the
messages add the 14-byte Ethernet header and one 802.1Q tag.
"""

from __future__ import annotations

from .. import hopmtu
from .. import mtu as mtumath
from ..findings import Finding
from . import context
from .registry import check

JUMBO = 1500          # an MTU above this is a jumbo frame
INNER_MINIMUM = 1500  # what applications and guests assume


def _underlay(model, cluster):
    """(MTU, model path, description) of the hop that bounds the cluster's tunnels."""
    hops = []
    net = context.cluster_underlay_network(model, cluster)
    if net:
        hops.append((model.networks[net]["mtu"], f"networks[{net}].mtu", f"network {net} MTU"))
    if cluster["bond"] and cluster["bond"]["profile"] in model.bond_profiles:
        prof = cluster["bond"]["profile"]
        hops.append((model.bond_profiles[prof]["mtu"], f"bond_profiles[{prof}].mtu", f"bond profile {prof} MTU"))
    return min(hops, key=lambda hop: hop[0]) if hops else None  # on a tie, the network (listed first)


def _overlay_clusters(model):
    for cluster in model.clusters.values():
        if cluster["platform"] in ("ove", "linux") and cluster["overlay"] != "none":
            yield cluster


@check("MTU001", "error", "Overlay MTU does not fit the underlay", "mtu")
def overlay_fits_underlay(model, facts, design):
    """A cluster's overlay (OVN-Kubernetes Geneve, VXLAN, plus IPsec) needs underlay MTU >= overlay MTU + overhead.

    Encapsulation adds 100 bytes on OVN-Kubernetes (Geneve), 50 for VXLAN and 46 more with IPsec. When
    `overlay_mtu` is set above what the underlay (the cluster's management network and bond) can carry,
    large packets are dropped or fragmented between nodes: small pings work, TLS handshakes and image pulls hang.

    Lower `clusters[].overlay_mtu` to the underlay MTU minus the overhead, or raise the management
    network and bond MTU (jumbo frames), or leave `overlay_mtu` unset to derive it.
    """
    for cluster in _overlay_clusters(model):
        if cluster["overlay_mtu"] is None:
            continue
        under = _underlay(model, cluster)
        if not under:
            continue
        overhead = hopmtu.cluster_overhead(cluster)
        if cluster["overlay_mtu"] + overhead > under[0]:
            yield Finding("MTU001", f"clusters[{cluster['name']}].overlay_mtu",
                          f"overlay MTU {cluster['overlay_mtu']} + {overhead} bytes of {cluster['overlay']}"
                          f"{' + IPsec' if cluster['ipsec'] else ''} overhead = {cluster['overlay_mtu'] + overhead} "
                          f"> {under[2]} {under[0]}",
                          f"set overlay_mtu <= {under[0] - overhead} or raise {under[1]}", related=(under[1],))


@check("MTU005", "warning", "Overlay MTU below 1500", "mtu")
def overlay_below_1500(model, facts, design):
    """The MTU left inside a cluster's overlay is below 1500.

    Guests and applications assume 1500: a VM on the pod network with a 1500-byte interface, or a
    container that ignores the interface MTU, sends packets the overlay cannot carry; with PMTUD
    blocked by firewalls, connections stall after the handshake.

    Give the cluster's management network (the tunnels' underlay) and bond jumbo frames (e.g. 9000),
    so the derived overlay MTU is 8900, or waive the finding where 1400 is accepted.
    """
    for cluster in _overlay_clusters(model):
        under = _underlay(model, cluster)
        if not under:
            continue
        overhead = hopmtu.cluster_overhead(cluster)
        inner = cluster["overlay_mtu"] if cluster["overlay_mtu"] is not None else under[0] - overhead
        if inner < INNER_MINIMUM:
            where = "overlay_mtu" if cluster["overlay_mtu"] is not None else "overlay"
            yield Finding("MTU005", f"clusters[{cluster['name']}].{where}",
                          f"the {cluster['overlay']} overlay leaves MTU {inner} inside ({under[2]} {under[0]} - "
                          f"{overhead}), below {INNER_MINIMUM}",
                          f"raise {under[1]} to at least {INNER_MINIMUM + overhead}", related=(under[1],))


def _group(items):
    out = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out


@check("MTU002", "error", "VLAN interface MTU above its parent's", "mtu")
def vlan_above_parent(model, facts, design):
    """A network's MTU on a host is larger than the MTU of the bond (or adapter, or ESXi vSwitch) below it.

    The kernel refuses a VLAN interface MTU above its parent's (NMState/NNCP fails to apply and the
    node keeps its old network), and an OVS localnet/bridge network above the bond drops every large frame.
    On an ESXi host the vSwitch MTU caps every VM and VMkernel adapter of the network: during the
    coexistence period VMs still on VMware cannot take the frames their migrated peers send.

    Lower the network's `mtu`, or raise the bond profile `mtu` (Azure Local: the intent's `jumbo_packet`;
    VMware: the vSwitch `mtu`).
    """
    bad = []
    vm_networks = {cname: [(n, model.networks[n]["mtu"]) for n in cluster["networks"]
                           if n in model.networks and model.networks[n]["role"] == "vm"]
                   for cname, cluster in model.clusters.items()}
    for (cname, nname), cfg in sorted(context.nodes(model, facts, design).items()):
        bond = cfg.get("bond")
        if bond:
            vm_bond = hopmtu.host_bond(cfg, vm_network=True)   # OVE dedicated layout: the VM networks' own bond
            entries = []
            if bond["mtu"]:   # only the interfaces above their bond are named
                entries += [(i["network"], i["name"], i["mtu"], bond) for i in cfg["vlan_interfaces"] if i["mtu"] and i["mtu"] > bond["mtu"]]
            if vm_bond["mtu"]:
                entries += [(n, f"{vm_bond['name']} ({n})", mtu, vm_bond) for n, mtu in vm_networks[cname] if mtu and mtu > vm_bond["mtu"]]
            for net, iface, mtu, parent in entries:
                if mtu and parent["mtu"] and mtu > parent["mtu"]:
                    bad.append(((cname, net, f"bond_profiles[{parent['profile']}].mtu", parent["name"], parent["mtu"]),
                                (nname, iface, mtu)))
        elif cfg.get("vswitches"):
            for vs in cfg["vswitches"]:
                for net in vs["networks"]:
                    mtu = model.networks[net]["mtu"]
                    if mtu > vs["mtu"]:
                        bad.append(((cname, net, f"clusters[{cname}].vswitches[{vs['name']}].mtu", vs["name"], vs["mtu"]),
                                    (nname, f"{vs['name']} ({net})", mtu)))
        else:
            for iface in cfg["vlan_interfaces"]:
                carriers = [a for a in (cfg.get("adapters") or []) if iface["network"] in a.get("networks", [])]
                for adapter in carriers:
                    limit = adapter.get("mtu") or 1500
                    if iface["mtu"] and iface["mtu"] > limit:
                        bad.append(((cname, iface["network"], f"clusters[{cname}].intents[{adapter['intent']}].jumbo_packet",
                                     adapter["name"], limit), (nname, iface["name"], iface["mtu"])))
                        break
    for (cname, net, parent_path, parent, limit), hosts in sorted(_group(bad).items()):
        names = sorted({h[0] for h in hosts})
        first = hosts[0]
        yield Finding("MTU002", f"networks[{net}].mtu",
                      f"cluster {cname}: {first[1]} MTU {first[2]} > {parent} MTU {limit} on {len(names)} node(s) "
                      f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''})",
                      f"lower networks[{net}].mtu to {limit} or raise {parent_path}",
                      related=(parent_path, context.node_path(cname, names[0])))


@check("MTU003", "error", "Switch port MTU below the host's frames", "mtu")
def port_below_host(model, facts, design):
    """A leaf port's MTU is below the MTU the host's bond (or ESXi vSwitch) sends on it.

    The host sends frames of its MTU plus the Ethernet header and VLAN tag; a leaf port with a smaller
    MTU drops them silently (no ICMP from a layer-2 hop), so storage and live migration hang while ping works.

    Raise `fabric.mtu` (capped at the platform maximum: EOS 9214) or lower the bond profile `mtu` (the
    vSwitch `mtu`).
    """
    bad = []
    for (cname, nname), cfg in sorted(context.nodes(model, facts, design).items()):
        if not cfg.get("bond") and not cfg.get("vswitches"):
            continue
        for nic in cfg["nics"]:
            port = facts.host_ports.get(nic["leaf"], {}).get(nic["leaf_port"])
            if port and nic["mtu"] and nic["mtu"] > port["mtu"]:
                bad.append(((cname, nic["leaf"]), (context.node_path(cname, nname) + f".nics[{nic['name']}]",
                                                   nic, port)))
    for (cname, leaf), items in sorted(_group(bad).items()):
        path, nic, port = sorted(items, key=lambda x: x[0])[0]
        frame = mtumath.frame_size(nic["mtu"], 1)
        host = f"the vSwitch {nic['vswitch']} mtu" if nic.get("vswitch") else "the bond profile mtu"
        yield Finding("MTU003", path,
                      f"host frames of {frame} bytes (MTU {nic['mtu']} + Ethernet + 802.1Q) exceed {leaf} {port['name']} "
                      f"MTU {port['mtu']} (frame {mtumath.frame_size(port['mtu'], 1)}); {len(items)} port(s) of cluster "
                      f"{cname} on {leaf}",
                      f"raise fabric.mtu or lower {host}", related=(context.leaf_path(model, leaf), "fabric.mtu"))


@check("MTU007", "error", "JumboPacket above the switch port MTU", "mtu")
def jumbo_above_port(model, facts, design):
    """An Azure Local adapter's JumboPacket is larger than its leaf port accepts.

    JumboPacket counts the 14-byte Ethernet header (9014 = MTU 9000). A port with a smaller MTU drops
    the large SMB Direct / live-migration frames: RDMA storage stalls and nodes fall out of the cluster.

    Lower the intent's `jumbo_packet` (1514, 4088 or 9014) or raise `fabric.mtu`.
    """
    bad = []
    for leaf, ports in sorted(facts.host_ports.items()):
        for name, port in sorted(ports.items()):
            host = port.get("host_mtu")
            if host and port.get("intent") and host > port["mtu"]:
                bad.append(((port["cluster"], port["intent"]), (leaf, name, host, port["mtu"])))
    for (cname, intent), items in sorted(_group(bad).items()):
        leaf, name, host, limit = items[0]
        path = f"clusters[{cname}].intents[{intent}].jumbo_packet"
        yield Finding("MTU007", path,
                      f"JumboPacket {host + mtumath.ETHERNET_HEADER} (IP MTU {host}) > {leaf} {name} MTU {limit}; "
                      f"{len(items)} port(s)",
                      f"set jumbo_packet <= {limit + mtumath.ETHERNET_HEADER} or raise fabric.mtu",
                      related=(context.leaf_path(model, leaf), "fabric.mtu"))


@check("MTU004", "warning", "Storage or live-migration network without jumbo frames", "mtu")
def storage_without_jumbo(model, facts, design):
    """A storage or live-migration network used by a cluster has an MTU of 1500 or less.

    Bulk transfers at 1500 cost several times the packets and CPU of jumbo frames: live migration of
    large VMs takes longer than the dirty-page rate allows and never converges; storage latency rises.

    Set the network's `mtu` to 9000 (and keep the bond profile and fabric MTU at or above it).
    """
    used = {n for c in model.clusters.values() for n in c["networks"]}
    for net in model.networks.values():
        if net["role"] in ("storage", "live_migration") and net["name"] in used and net["mtu"] <= JUMBO:
            yield Finding("MTU004", f"networks[{net['name']}].mtu",
                          f"{net['role'].replace('_', '-')} network with MTU {net['mtu']} (no jumbo frames)",
                          "set mtu: 9000")


@check("MTU006", "error", "IPv6 network with MTU below 1280", "mtu")
def ipv6_minimum(model, facts, design):
    """A network with an IPv6 prefix has an MTU below 1280.

    IPv6 requires every link to carry 1280-byte packets (RFC 8200); the kernel disables IPv6 on an
    interface with a smaller MTU, so the host silently loses its IPv6 address and routes.

    Raise the network's `mtu` to at least 1280 or remove its `ipv6` prefix.
    """
    for net in model.networks.values():
        if net["ipv6"] and net["mtu"] < mtumath.IPV6_MTU_MIN:
            yield Finding("MTU006", f"networks[{net['name']}].mtu",
                          f"MTU {net['mtu']} is below the IPv6 minimum {mtumath.IPV6_MTU_MIN} and the network has {net['ipv6']}",
                          "raise mtu to 1280 or more", related=(f"networks[{net['name']}].ipv6",))


def _lowest_per_network(hops):
    """{network: lowest hop} of ``(networks, (mtu, name, path))`` pairs.

    Many interfaces carry the same set of networks (every node of a cluster, every port of its hosts):
    the lowest hop is kept per set first, and each set is spread to its networks once.
    """
    by_networks = {}
    for networks, entry in hops:
        if networks and (networks not in by_networks or entry < by_networks[networks]):
            by_networks[networks] = entry
    lowest = {}
    for networks, entry in by_networks.items():
        for net_name in networks:
            if net_name not in lowest or entry < lowest[net_name]:
                lowest[net_name] = entry
    return lowest


def _host_hops(model, facts, design):
    """{network: lowest (mtu, name, path) of the host interfaces that send on it}.

    A bonded node sends every network of its cluster by one of two bonds (the VM networks by the VM bond of
    the OVE dedicated layout), an ESXi host by its vSwitches, an Azure Local node by its adapters.
    """
    bond_networks = {cname: _networks_by_bond(model, cname) for cname in model.clusters}
    hops = []
    for (cname, nname), cfg in context.nodes(model, facts, design).items():
        where = context.node_path(cname, nname)
        if cfg.get("bond"):
            hops += [(networks, (hopmtu.bond_mtu(cfg, vm_net), f"{nname}:{hopmtu.host_bond(cfg, vm_net)['name']}", where))
                     for vm_net, networks in bond_networks[cname].items()]
        elif cfg.get("vswitches"):
            hops += [(tuple(vs["networks"]), (vs["mtu"], f"{nname}:{vs['name']}", where)) for vs in cfg["vswitches"]]
        else:
            hops += [(tuple(adapter.get("networks", [])), (hopmtu.adapter_mtu(adapter), f"{nname}:{adapter['name']}", where))
                     for adapter in cfg.get("adapters") or []]
    return _lowest_per_network(hops)


def _networks_by_bond(model, cname):
    """{vm_network: the cluster's networks a bonded node sends by that bond (VM networks or the others)}."""
    split = {False: [], True: []}
    for net_name in model.clusters[cname]["networks"]:
        split[net_name in model.networks and model.networks[net_name]["role"] == "vm"].append(net_name)
    return {vm_net: tuple(networks) for vm_net, networks in split.items()}


def _port_hops(model, facts):
    """{network: lowest (mtu, name, path) of the leaf ports carrying it}."""
    return _lowest_per_network((tuple(port.get("networks", [])), (port["mtu"], f"{leaf}:{pname}", context.leaf_path(model, leaf)))
                               for leaf, ports in facts.host_ports.items() for pname, port in ports.items())


@check("MTU008", "error", "Path MTU below the network MTU", "mtu")
def path_bottleneck(model, facts, design):
    """The path host -> leaf -> spine -> leaf -> host of a network cannot carry the network's MTU.

    The rule walks every hop a packet of the network crosses: the sending host's bond or adapter, the
    leaf port, and for a network on several leaf pairs the leaf uplink and the spine (less 50 bytes of
    VXLAN when the fabric stretches it with EVPN), then back down. A switch hop below the network MTU
    drops large frames without an ICMP error: the classic "ping works, copy hangs" outage.

    Raise `fabric.mtu` (and spine/leaf platform maxima allow 9214-9216), or lower the network's `mtu`;
    the message names the bottleneck hop.
    """
    overhead = hopmtu.fabric_overhead(model)
    host_hops, port_hops = _host_hops(model, facts, design), _port_hops(model, facts)
    uplinks = {}
    for lk in facts.links:
        entry = (hopmtu.uplink_mtu(lk, overhead), f"{lk['leaf']}:{lk['leaf_port']}->{lk['spine']}:{lk['spine_port']}"
                 + (" (VXLAN)" if overhead else ""), context.leaf_path(model, lk["leaf"]))
        if lk["leaf"] not in uplinks or entry < uplinks[lk["leaf"]]:
            uplinks[lk["leaf"]] = entry
    spines = [(hopmtu.spine_mtu(facts, s, overhead), s, f"fabric.spines[{s}]") for s in sorted(model.spines)]
    for net_name in sorted(facts.network_leaves):
        net = model.networks[net_name]
        host = host_hops.get(net_name)
        if not host:
            continue
        leaves = facts.network_leaves[net_name]
        port = port_hops.get(net_name)
        path = [host] + ([port] if port else [])
        if net_name in facts.stretched:
            links = [uplinks[lf] for lf in leaves if lf in uplinks]
            if links:
                path += [min(links)]
            if spines:
                path += [min(spines)]
            if links:
                path += [min(links)]
        path += ([port] if port else []) + [host]
        # a hop with an impossible MTU (a JumboPacket that is no Ethernet size) is ATC004's finding, not a path
        path = [h for h in path if mtumath.MTU_MIN <= h[0] <= mtumath.MTU_MAX]
        if not path:
            continue
        hops = [{"name": name, "mtu": mtu} for mtu, name, _where in path]
        result = mtumath.path_mtu(hops)
        if result["mtu"] >= net["mtu"]:
            continue
        bottleneck = next((h for h in path if h[1] == result["bottleneck"]), path[0])
        if bottleneck[2].startswith("clusters["):
            continue  # the host itself is the limit: MTU002 / MTU007 report it
        shown = " -> ".join(f"{name} {mtu}" for mtu, name, _where in path)
        yield Finding("MTU008", f"networks[{net_name}].mtu",
                      f"network MTU {net['mtu']} > path MTU {result['mtu']}: bottleneck {result['bottleneck']} ({shown})",
                      "raise fabric.mtu or lower the network mtu", related=(bottleneck[2],))
