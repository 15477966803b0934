"""Every addressed thing of the site, once: the records DNS, DHCP and IPAM are rendered from.

``address_records(model, facts)`` lists one record per (name, address):
switch loopbacks and management ports, leaf SVI addresses, the gateway of every routed network,
node addresses per network, the MetalLB VIPs the model names and the site's
name servers.  Names are relative to ``site.domain``:

==========================  =====================  ==========================================
what                        name                   example
==========================  =====================  ==========================================
switch loopback (router id) ``<switch>``           ``leaf01a``
switch management port      ``<switch>-mgmt``      ``leaf01a-mgmt``
leaf SVI address            ``<leaf>.<network>``   ``leaf01a.ove-mgmt``
gateway (anycast/external)  ``gw.<network>``       ``gw.ove-mgmt``
node, management network    ``<node>``             ``w001``
node, other networks        ``<node>.<network>``   ``w001.ove-storage``
named MetalLB VIP           ``<vip>.<cluster>``    ``api.ove-prod``
name server                 ``<name>``             ``ns1``
==========================  =====================  ==========================================

Every address has exactly one name, so its PTR record is unambiguous; a
name may carry one address per family (A and AAAA).  Nothing here decides
whether two records collide or whether a name is a valid host name: the
``dns`` checks do, over these same records.
"""

from __future__ import annotations

from ..addressing import nth_host

KINDS = ("loopback", "management", "svi", "gateway", "node", "vip", "nameserver")


def _record(name, address, family, kind, path, network=None, owner=None, source=None):
    """One record; ``source`` names the model object it comes from (both families of one object share it)."""
    return {"name": name, "address": address, "family": family, "kind": kind, "network": network,
            "owner": owner or name.split(".")[0], "path": path, "source": source or path}


def management_network(model, cluster):
    """The network whose node address carries the bare node name: the cluster's first management network."""
    return next((n for n in cluster["networks"] if model.networks[n]["role"] == "management"), None)


def gateway_address(net, family: int):
    """The gateway of a routed network: explicit, else the first host (as the hosts' default route uses)."""
    if net["gateway_on"] == "none" or not net[f"ipv{family}"]:
        return None
    return net[f"gateway{family}"] or nth_host(net[f"ipv{family}"], 1)


def nameservers(model) -> list:
    """Authoritative name servers: ``site.dns.nameservers``, else ns1, ns2, ... at ``site.dns_servers``.

    Returns [{"name", "ipv4", "ipv6", "path"}]; a derived name server holds one address.
    """
    dns = model.site["dns"]
    if dns["nameservers"]:
        return [{**ns, "path": f"site.dns.nameservers[{ns['name']}]"} for ns in dns["nameservers"]]
    out = []
    for idx, address in enumerate(model.site["dns_servers"]):
        fam = 6 if ":" in address else 4
        out.append({"name": f"ns{idx + 1}", "ipv4": address if fam == 4 else None, "ipv6": address if fam == 6 else None,
                    "path": f"site.dns_servers[{idx}]"})
    return out


def _bare(address: str) -> str:
    return address.split("/")[0]


def address_records(model, facts) -> list:
    """Every (name, address) of the site, in a stable order (switches, networks, clusters, name servers)."""
    out = []
    for name, sw in sorted(facts.switches.items()):
        for fam in (4, 6):
            if sw.get(f"loopback{fam}"):
                out.append(_record(name, sw[f"loopback{fam}"], fam, "loopback", sw["path"], owner=name))
        for fam in (4, 6):
            # out-of-band port (fabric.management): a name of its own, as it lives in the management VRF
            address = (sw.get("management") or {}).get(f"ipv{fam}")
            if address:
                out.append(_record(f"{name}-mgmt", _bare(address), fam, "management", sw["path"], owner=name))
    for leaf, svis in sorted(facts.svis.items()):
        for net_name, svi in sorted(svis.items()):
            for fam in (4, 6):
                if svi.get(f"ipv{fam}"):
                    out.append(_record(f"{leaf}.{net_name}", _bare(svi[f"ipv{fam}"]), fam, "svi",
                                       model.leaves[leaf]["path"], net_name, leaf))
    for net_name, net in model.networks.items():
        routed = net["gateway_on"] == "external" or (net["gateway_on"] == "fabric" and facts.network_leaves.get(net_name))
        if not routed:
            continue
        for fam in (4, 6):
            address = gateway_address(net, fam)
            if address:
                path = f"networks[{net_name}].gateway{fam}" if net[f"gateway{fam}"] else f"networks[{net_name}]"
                out.append(_record(f"gw.{net_name}", address, fam, "gateway", path, net_name, "gw", f"networks[{net_name}]"))
    by_node = {}  # (cluster, node) -> {network: addresses}: a node is addressed on a few of its cluster's networks
    for (cname, nname, net_name), addrs in facts.addresses.items():
        by_node.setdefault((cname, nname), {})[net_name] = addrs
    for cluster in model.clusters.values():
        mgmt = management_network(model, cluster)
        position = {n: i for i, n in enumerate(cluster["networks"])}
        for node in cluster["nodes"]:
            held = by_node.get((cluster["name"], node["name"]), {})
            for net_name in sorted((n for n in held if n in position), key=position.get):  # the cluster's order
                addrs = held[net_name]
                if not addrs:
                    continue
                name = node["name"] if net_name == mgmt else f"{node['name']}.{net_name}"
                path = f"clusters[{cluster['name']}].nodes[{node['name']}].addresses[{net_name}]"
                for fam in (4, 6):
                    if addrs.get(f"ipv{fam}"):
                        out.append(_record(name, _bare(addrs[f"ipv{fam}"]), fam, "node", path, net_name, node["name"]))
        if cluster["metallb"]:
            for pool in cluster["metallb"]["pools"]:
                for vip in pool["vips"]:
                    path = f"clusters[{cluster['name']}].metallb.pools[{pool['name']}].vips[{vip['name']}]"
                    for fam in (4, 6):
                        if vip[f"ipv{fam}"]:
                            out.append(_record(f"{vip['name']}.{cluster['name']}", vip[f"ipv{fam}"], fam, "vip", path,
                                               owner=cluster["name"]))
    for ns in nameservers(model):
        if ns["name"].endswith("."):
            continue  # outside the site domain: its own zone holds its addresses
        for fam in (4, 6):
            if ns[f"ipv{fam}"]:
                out.append(_record(ns["name"], ns[f"ipv{fam}"], fam, "nameserver", ns["path"]))
    return out
