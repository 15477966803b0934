"""What ``path_from`` / ``path_to`` name: a node, a VM, a pod, a VIP, an address, an external prefix.

Accepted forms (``docs/path.md``):

* ``w001``                     the node itself (its address on the shared or named network)
* ``shop-web01``               a VM of the inventory (``dcnet_vms``) by name: its NIC's network, MAC and
                               addresses; it runs on the only node of its cluster, else name the node:
* ``shop-web01@w001``          that VM on node w001 (a node of its cluster, or of the target of a wave
                               that moves it: then the NIC's network and addresses after the wave)
* ``shop-web01:Network adapter 1[@w001]``  one NIC of a VM with several
* ``10.64.0.21@w001``          a VM with this address on node w001 (several addresses: comma-separated);
                               an address of an inventory VM names that VM
* ``vm-100@w001``              a VM on network vm-100 on node w001, address unknown
* ``pod@w001``                 a pod on node w001 (OVN-Kubernetes pod network)
* ``10.10.0.11``               an address: a node's, a MetalLB VIP, an inventory VM's, one inside a
                               modelled network, or outside the site (an external destination)
* ``203.0.113.0/24``           an external prefix

The model says which cluster a VM runs in, never which node (the platform places
and moves VMs): a VM whose node is not given is "unplaced", and a path stops
where it would need that node, saying so.
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
          "addresses": {}, "pool": None, "prefix": None, "vm": None, "nic": None, "mac": None, "placement": None,
          "wave": None}
    ep.update(kw)
    return ep


def _node(model, arg, name):
    cluster = view.node_cluster(model, name)
    if cluster is None:
        raise PathError(f"{arg}: '{name}' is not a node of the model; {did_you_mean(name, view.node_names(model))}")
    return cluster


def _vm_ref(model, arg, text):
    """(VM name, NIC name or None) when ``text`` is 'vm' or 'vm:nic' of the inventory, else None."""
    if view.vm(model, text):
        return text, None
    name, sep, nic = text.partition(":")
    if not sep or not view.vm(model, name):
        return None
    nics = [n["name"] for n in view.vm(model, name)["nics"]]
    if nic not in nics:
        raise PathError(f"{arg}: VM {name} has no NIC '{nic}'; {did_you_mean(nic, nics)}")
    return name, nic


def _check_vm_network(model, arg, ep):
    """A placed VM's network must be a VM network its node's cluster carries."""
    network, cluster, where = ep["network"], ep["cluster"], ep.get("where") or ep["spec"]
    if network not in model.clusters[cluster]["networks"]:
        raise PathError(f"{arg}: {where}: network {network} is not carried by cluster {cluster} of node {ep['node']}")
    role = view.network(model, network)["role"]
    if role != "vm":
        raise PathError(f"{arg}: {where} is on {network}, a {role} network, not a VM network; "
                        f"name the node ({ep['node']}) for its own address")


def _vm_endpoint(model, design, arg, spec, name, nic_name, node):
    """An inventory VM: its cluster (or a wave's target), node, NIC(s), MAC and addresses."""
    vm = view.vm(model, name)
    moves = view.vm_moves(design, name)
    wave = None
    if node:
        cluster = view.node_cluster(model, node)
        if vm["cluster"] != cluster:
            wave = next((m for m in moves if m["cluster"] == cluster), None)
            if wave is None and (vm["cluster"] or moves):
                where = [f"runs in cluster {vm['cluster']} (vms[{name}].cluster)"] if vm["cluster"] else []
                where += [f"moves to cluster {m['cluster']} in wave {m['wave']}" for m in moves if m["cluster"]]
                raise PathError(f"{arg}: VM {name} {' and '.join(where)}; {node} is a node of cluster {cluster}")
        placement = "given"
    else:
        cluster = vm["cluster"] if vm["cluster"] in model.clusters else None
        nodes = view.cluster_nodes(model, cluster) if cluster else []
        node, placement = (nodes[0], f"the only node of cluster {cluster}") if len(nodes) == 1 else (None, None)
    nics = []
    for nic in vm["nics"]:
        plan = (wave or {}).get("nics", {}).get(nic["name"])
        network = plan["target_network"] if plan else nic["network"]
        if not network or (nic_name and nic["name"] != nic_name):
            continue
        addresses = plan["addresses_after"] if plan else {"ipv4": nic["ipv4"], "ipv6": nic["ipv6"]}
        nics.append({"nic": nic["name"], "network": network, "mac": nic["mac"],
                     "addresses": {fam: addresses[f"ipv{fam}"][0] for fam in (4, 6) if addresses[f"ipv{fam}"]},
                     "where": f"vms[{name}].nics[{nic['name']}]"})
    if not nics:
        which = f"NIC '{nic_name}'" if nic_name else "no NIC"
        raise PathError(f"{arg}: VM {name} has {which} on a network" + (" (vms[" + name + "].nics)" if not nic_name else
                                                                        " (its network is unset)"))
    unplaced = None
    if node is None:
        how = f"runs in cluster {cluster}" if cluster else "has no cluster in the model"
        detail = ([] if cluster else [f"vms[{name}].cluster"]) + [
            f"wave {m['wave']} moves it to cluster {m['cluster']}" for m in moves if m["cluster"]]
        unplaced = (f"VM {name} {how}" + (f" ({'; '.join(detail)})" if detail else "")
                    + f" and the model does not say on which node it runs: name it as {name}@<node>")
    ep = _endpoint(spec, "vm", node=node, cluster=cluster,
                   platform=model.clusters[cluster]["platform"] if cluster else None, vm=name, placement=placement,
                   wave={"name": wave["wave"], "start": wave["start"], "cluster": wave["cluster"]} if wave else None,
                   unplaced=unplaced, nic_choices=nics)
    if len(nics) == 1 or nic_name:
        choose_nic(model, arg, ep, nics[0])
    return ep


def choose_nic(model, arg, ep, nic):
    """Fix the NIC a VM endpoint sends and receives by."""
    ep.update(nic=nic["nic"], network=nic["network"], mac=nic["mac"], addresses=dict(nic["addresses"]),
              where=nic["where"])
    if ep["node"]:
        _check_vm_network(model, arg, ep)


def _address_owner(model, design, arg, spec, ips, node):
    """The inventory VM whose NIC holds every address in ``ips``, as an endpoint; None when no NIC does."""
    owners = {view.vm_of_address(model, str(ip)) for ip in ips}
    if len(owners) != 1 or None in owners:
        return None
    name, nic = owners.pop()
    ep = _vm_endpoint(model, design, arg, spec, name, nic, node)
    if ep["wave"]:
        return None          # the VM is re-addressed by the wave: these are its addresses before it moves
    return ep


def resolve(model, facts, design, arg, spec) -> dict:
    """The endpoint named by ``spec`` (see the module docstring); PathError names ``arg`` when it is not one."""
    if not isinstance(spec, str) or not spec.strip():
        raise PathError(f"{arg}: give a node, a VM, address@node, network@node, pod@node, an address or a prefix")
    spec = spec.strip()
    if "@" in spec:
        return _resolve_at(model, design, arg, spec)
    ref = _vm_ref(model, arg, spec)
    if spec in dict.fromkeys(view.node_names(model)):
        if ref:
            raise PathError(f"{arg}: '{spec}' is both a node and a VM: name the VM with its NIC "
                            f"({spec}:<nic>) or the node by its address")
        cluster = view.node_cluster(model, spec)
        return _endpoint(spec, "node", node=spec, cluster=cluster, platform=model.clusters[cluster]["platform"])
    if ref:
        return _vm_endpoint(model, design, arg, spec, ref[0], ref[1], None)
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
        raise PathError(f"{arg}: '{spec}' is neither a node, a VM, address@node, network@node, pod@node, an address "
                        f"nor a prefix; {did_you_mean(spec, view.node_names(model) + view.vm_names(model))}")
    owner = view.node_of_address(facts, str(ip))
    if owner:
        cluster, node, network = owner
        return _endpoint(spec, "node", node=node, cluster=cluster, platform=model.clusters[cluster]["platform"],
                         network=network, addresses={ip.version: str(ip)})
    pool = view.metallb_pool_of(model, str(ip))
    if pool:
        return _endpoint(spec, "vip", cluster=pool[0], pool=pool[1], addresses={ip.version: str(ip)})
    vm = _address_owner(model, design, arg, spec, [ip], None)
    if vm:
        vm["addresses"] = {ip.version: str(ip)} | {f: a for f, a in vm["addresses"].items() if f != ip.version}
        return vm
    network = view.network_of_address(model, str(ip))
    if network:
        return _endpoint(spec, "address", network=network, addresses={ip.version: str(ip)})
    return _endpoint(spec, "external", prefix=str(ipaddress.ip_network(ip)), addresses={ip.version: str(ip)})


def _resolve_at(model, design, arg, spec):
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
        owner = _address_owner(model, design, arg, spec, ips, node)
        if owner:
            owner["addresses"] = {ip.version: str(ip) for ip in ips}
            return owner
        ep = _endpoint(spec, "vm", node=node, cluster=cluster, platform=platform, network=nets.pop(),
                       addresses={ip.version: str(ip) for ip in ips}, placement="given")
        _check_vm_network(model, arg, ep)
        return ep
    ref = _vm_ref(model, arg, what)
    if ref and what in model.networks:
        raise PathError(f"{arg}: '{what}' is both a network and a VM: name the VM with its NIC ({what}:<nic>@{node}) "
                        f"or the network by an address ({'<address>'}@{node})")
    if ref:
        return _vm_endpoint(model, design, arg, spec, ref[0], ref[1], node)
    if what not in model.networks:
        raise PathError(f"{arg}: '{what}' before @{node} is neither an address, a VM nor a network; "
                        f"{did_you_mean(what, sorted(model.networks) + view.vm_names(model))}")
    ep = _endpoint(spec, "vm", node=node, cluster=cluster, platform=platform, network=what, placement="given")
    _check_vm_network(model, arg, ep)
    return ep


def node_addresses(model, facts, ep, network) -> dict:
    """{4: address, 6: address} of a node endpoint on ``network`` (no prefix length)."""
    entry = view.node_address(facts, ep["cluster"], ep["node"], network)
    return {int(k[-1]): v.split("/")[0] for k, v in entry.items() if v}


def pick_nics(model, facts, src, dst) -> None:
    """Fix the NIC of a VM with several: the one on the other end's network (or one the other node is on)."""
    for arg, ep, other in (("path_from", src, dst), ("path_to", dst, src)):
        if ep["kind"] != "vm" or ep["network"]:
            continue
        choices = ep["nic_choices"]
        if other.get("network"):
            wanted = [other["network"]]
        elif other["kind"] == "node":
            wanted = view.addressed_networks(model, facts, other["cluster"], other["node"])
        elif other["kind"] == "vm":
            wanted = [c["network"] for c in other.get("nic_choices") or []]
        else:
            wanted = []
        on = [c for c in choices if c["network"] in wanted]
        if len({c["network"] for c in on}) != 1 or len(on) != 1:
            names = ", ".join(f"{c['nic']} ({c['network']})" for c in choices)
            raise PathError(f"{arg}: VM {ep['vm']} has several NICs ({names}) and "
                            + ("none" if not on else "more than one") + " shares a network with the other end: "
                            f"name one, {ep['vm']}:<nic>")
        choose_nic(model, arg, ep, on[0])


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
    pick_nics(model, facts, src, dst)
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
