"""What ``path_from`` / ``path_to`` name: a node, a VM on a node, a pod, a VIP, an address, an external prefix.

Accepted forms (``docs/path.md``):

* ``w001``                     the node itself (its address on the shared or named network)
* ``10.64.0.21@w001``          a VM with this address, running on node w001 (several addresses: comma-separated)
* ``vm-100@w001``              a VM on network vm-100 on node w001, address unknown
* ``pod@w001``                 a pod on node w001 (OVN-Kubernetes pod network)
* ``10.10.0.11``               an address: a node's, a MetalLB VIP, one inside a modelled network, or outside
                               the site (an external destination)
* ``203.0.113.0/24``           an external prefix

The model has no VM inventory yet (it comes with ``dcnet_vms``): where a VM
runs is given with ``@node``.
"""

from __future__ import annotations

import ipaddress

from ..errors import DcnetError
from ..model.spec import did_you_mean
from . import view


class PathError(DcnetError):
    """A path question the model cannot answer: names the argument and the value."""


def _ip(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _net(text):
    try:
        return ipaddress.ip_network(text, strict=False) if "/" in text else None
    except ValueError:
        return None


def _endpoint(spec, kind, **kw):
    ep = {"spec": spec, "kind": kind, "node": None, "cluster": None, "platform": None, "network": None,
          "addresses": {}, "pool": None, "prefix": None}
    ep.update(kw)
    return ep


def _node(model, arg, name):
    cluster = view.node_cluster(model, name)
    if cluster is None:
        raise PathError(f"{arg}: '{name}' is not a node of the model; {did_you_mean(name, view.node_names(model))}")
    return cluster


def resolve(model, facts, arg, spec) -> dict:
    """The endpoint named by ``spec`` (see the module docstring); PathError names ``arg`` when it is not one."""
    ep = _resolve(model, facts, arg, spec)
    if ep["cluster"] and model.clusters[ep["cluster"]]["vswitches"]:
        raise PathError(f"{arg}: {ep['node']} is an ESXi host of cluster {ep['cluster']}; paths through VMware vSwitches "
                        "are not modelled (the leaf side of its uplinks is: see structured/<leaf>.yml)")
    return ep


def _resolve(model, facts, arg, spec) -> dict:
    if not isinstance(spec, str) or not spec.strip():
        raise PathError(f"{arg}: give a node, address@node, network@node, pod@node, an address or a prefix")
    spec = spec.strip()
    if "@" in spec:
        what, _sep, node = spec.rpartition("@")
        cluster = _node(model, arg, node)
        platform = model.clusters[cluster]["platform"]
        if what == "pod":
            if platform != "ove":
                raise PathError(f"{arg}: pods run on OpenShift (ove) nodes; {node} is in {platform} cluster {cluster}")
            return _endpoint(spec, "pod", node=node, cluster=cluster, platform=platform,
                             network=view.management_network(model, cluster))
        addresses = [a.strip() for a in what.split(",") if a.strip()]
        ips = [_ip(a) for a in addresses]
        if addresses and all(ips):
            nets = {view.network_of_address(model, str(ip)) for ip in ips}
            if None in nets or len(nets) != 1:
                raise PathError(f"{arg}: {what} must be addresses of one modelled network")
            network = nets.pop()
            fams = {ip.version: str(ip) for ip in ips}
        elif what in model.networks:
            network, fams = what, {}
        else:
            raise PathError(f"{arg}: '{what}' before @{node} is neither an address nor a network; "
                            f"{did_you_mean(what, sorted(model.networks))}")
        if network not in model.clusters[cluster]["networks"]:
            raise PathError(f"{arg}: network {network} is not carried by cluster {cluster} of node {node}")
        if view.network(model, network)["role"] != "vm":
            raise PathError(f"{arg}: {network} is a {view.network(model, network)['role']} network, not a VM network; "
                            f"name the node ({node}) for its own address")
        return _endpoint(spec, "vm", node=node, cluster=cluster, platform=platform, network=network, addresses=fams)
    if spec in dict.fromkeys(view.node_names(model)):
        cluster = view.node_cluster(model, spec)
        return _endpoint(spec, "node", node=spec, cluster=cluster, platform=model.clusters[cluster]["platform"])
    prefix = _net(spec)
    ip = _ip(spec) if prefix is None else None
    if prefix is not None and prefix.num_addresses > 1:
        inside = view.network_of_address(model, str(prefix.network_address))
        if inside:
            raise PathError(f"{arg}: {spec} is inside network {inside}; give an address or a node")
        return _endpoint(spec, "external", prefix=str(prefix),
                         addresses={prefix.version: str(prefix.network_address)})
    if prefix is not None:
        ip = prefix.network_address
    if ip is None:
        raise PathError(f"{arg}: '{spec}' is neither a node, address@node, network@node, pod@node, an address nor a "
                        f"prefix; {did_you_mean(spec, view.node_names(model))}")
    owner = view.node_of_address(facts, str(ip))
    if owner:
        cluster, node, network = owner
        return _endpoint(spec, "node", node=node, cluster=cluster, platform=model.clusters[cluster]["platform"],
                         network=network, addresses={ip.version: str(ip)})
    pool = view.metallb_pool_of(model, str(ip))
    if pool:
        return _endpoint(spec, "vip", cluster=pool[0], pool=pool[1], addresses={ip.version: str(ip)})
    network = view.network_of_address(model, str(ip))
    if network:
        return _endpoint(spec, "address", network=network, addresses={ip.version: str(ip)})
    return _endpoint(spec, "external", prefix=str(ipaddress.ip_network(ip)), addresses={ip.version: str(ip)})


def node_addresses(model, facts, ep, network) -> dict:
    """{4: address, 6: address} of a node endpoint on ``network`` (no prefix length)."""
    entry = view.node_address(facts, ep["cluster"], ep["node"], network)
    return {int(k[-1]): v.split("/")[0] for k, v in entry.items() if v}


def pick_network(model, facts, src, dst, named, arg="path_network") -> None:
    """Fix the network of node endpoints: the named one, else the first both nodes have an address on."""
    nodes = [ep for ep in (src, dst) if ep["kind"] == "node"]
    if named:
        if named not in model.networks:
            raise PathError(f"{arg}: unknown network '{named}'; {did_you_mean(named, sorted(model.networks))}")
        for ep in nodes:
            if named not in view.addressed_networks(model, facts, ep["cluster"], ep["node"]):
                raise PathError(f"{arg}: node {ep['node']} has no address on network {named}")
            ep["network"] = named
    elif len(nodes) == 2 and not all(ep["network"] for ep in nodes):
        mine = view.addressed_networks(model, facts, src["cluster"], src["node"])
        theirs = set(view.addressed_networks(model, facts, dst["cluster"], dst["node"]))
        shared = [n for n in mine if n in theirs]
        given = [ep["network"] for ep in nodes if ep["network"] in shared]
        shared = given[:1] + [n for n in shared if n not in given[:1]]
        for ep in nodes:
            if not ep["network"]:
                own = view.addressed_networks(model, facts, ep["cluster"], ep["node"])
                ep["network"] = shared[0] if shared else (own[0] if own else None)
        src["also_shared"] = shared[1:]
    others = [ep for ep in (src, dst) if ep["kind"] != "node" and ep.get("network")]
    for ep in nodes:
        own = view.addressed_networks(model, facts, ep["cluster"], ep["node"])
        if not ep["network"] and others and others[0]["network"] in own:
            ep["network"] = others[0]["network"]     # the network of the other end, when the node is on it
        if not ep["network"]:
            if not own:
                raise PathError(f"{ep['spec']}: node {ep['node']} has no address on any network")
            ep["network"] = own[0]
        if not ep["addresses"]:
            ep["addresses"] = node_addresses(model, facts, ep, ep["network"])
