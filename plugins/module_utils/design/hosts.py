"""Structured config of a server node, from the site facts.

Platform-neutral: NICs with their cables, the bond (Linux/OVE) or the
Network ATC adapters (Azure Local), one VLAN interface per network the node
has an address on, routes and DNS.  The NMState, NNCP and ATC renderers all
read this same record.
"""

from __future__ import annotations

from ..vlans import ranges_text


def cluster_nodes(model, facts, cluster_name) -> dict:
    """{node name: structured config} of every node of a cluster, in the model's order."""
    cluster = model.clusters[cluster_name]
    shared = _cluster_networks(model, cluster)
    return {node["name"]: _node_config(model, facts, cluster, node, shared) for node in cluster["nodes"]}


def _node_config(model, facts, cluster, node, shared) -> dict:
    cluster_name, node_name = cluster["name"], node["name"]
    link = facts.node_links[(cluster_name, node_name)]
    cables = {c["nic"]: c for c in facts.node_cables.get((cluster_name, node_name), ())}
    native = cluster["native_network"]
    config = {
        "hostname": node_name, "cluster": cluster_name, "platform": cluster["platform"], "node_id": node["id"],
        "model_path": f"clusters[{cluster_name}].nodes[{node_name}]",
        "nics": [], "bond": None, "vm_bond": None, "vlan_interfaces": [], "adapters": None, "routes": [],
        "dns": {"servers": list(model.site["dns_servers"]), "search": [model.site["domain"]] if model.site["domain"] else []},
        "vm_vlans": "",
    }
    vm_vlans, host_networks = shared
    addressed = []
    for net in host_networks:
        addrs = facts.addresses.get((cluster_name, node_name, net["name"]))
        if addrs is not None:
            addressed.append((net, addrs))
    # VM networks are a cluster fact (clusters/<name>.yml lists them); the node only records the
    # VLANs its uplinks carry for VMs, in trunk syntax, e.g. "100-299"
    config["vm_vlans"] = vm_vlans
    if link["kind"] == "bond":
        config["bond"] = _bond(model, link, cables, config["nics"])
        # OVE dedicated layout: the second bond, port of the VM bridge, carries no host address
        config["vm_bond"] = _bond(model, link["vm_bond"], cables, config["nics"]) if link.get("vm_bond") else None
        parent = link["name"]
    else:
        config["adapters"] = []
        for adapter in link["adapters"]:
            cab = cables.get(adapter["name"])
            config["adapters"].append({**adapter, "leaf": cab["leaf"] if cab else None,
                                       "leaf_port": cab["port"] if cab else None})
            config["nics"].append({"name": adapter["name"], "mtu": None, "leaf": cab["leaf"] if cab else None,
                                   "leaf_port": cab["port"] if cab else None, "bond": None})
        parent = None
    for net, addrs in addressed:
        entry = {"network": net["name"], "role": net["role"], "vlan": net["vlan"], "mtu": net["mtu"],
                 "ipv4": [addrs["ipv4"]] if addrs.get("ipv4") else [], "ipv6": [addrs["ipv6"]] if addrs.get("ipv6") else [],
                 "gateway4": None, "gateway6": None}
        if net["gateway_on"] != "none":
            entry["gateway4"] = net["gateway4"] or (net["ipv4"] and _first(net["ipv4"]))
            entry["gateway6"] = net["gateway6"] or (net["ipv6"] and _first(net["ipv6"]))
        if parent and net["name"] == native:
            config["bond"].update(ipv4=entry["ipv4"], ipv6=entry["ipv6"], network=net["name"])
            iface = parent
        elif parent:
            iface = f"{parent}.{net['vlan']}"
            config["vlan_interfaces"].append({"name": iface, "base": parent, **entry})
        else:
            iface = f"vNIC-{net['name']}"
            config["vlan_interfaces"].append({"name": iface, "base": None, **entry})
        if net["role"] == "management" and not any(r["destination"] == "0.0.0.0/0" for r in config["routes"]):
            for fam, default in (("4", "0.0.0.0/0"), ("6", "::/0")):
                if entry[f"gateway{fam}"] and entry[f"ipv{fam}"]:
                    config["routes"].append({"destination": default, "next_hop": entry[f"gateway{fam}"],
                                             "interface": iface, "metric": 100})
    return config


def _bond(model, link, cables, nics) -> dict:
    """A bond's structured config from its link facts; its member NICs are appended to ``nics``."""
    profile = model.bond_profiles[link["profile"]]
    for nic in link["members"]:
        cab = cables[nic]
        nics.append({"name": nic, "mtu": profile["mtu"], "leaf": cab["leaf"], "leaf_port": cab["port"],
                     "bond": link["name"]})
    options = {"miimon": profile["miimon"]}
    if profile["mode"] == "802.3ad":
        options["lacp_rate"] = profile["lacp_rate"] or "slow"
    if profile["mode"] in ("802.3ad", "balance-xor", "balance-tlb"):
        options["xmit_hash_policy"] = profile["xmit_hash_policy"]
    return {"name": link["name"], "mode": profile["mode"], "ports": list(link["members"]),
            "options": options, "mtu": profile["mtu"], "profile": link["profile"],
            "ipv4": [], "ipv6": [], "network": None, "channel_id": link["channel_id"]}


def _cluster_networks(model, cluster):
    """(VM VLANs in trunk syntax, the other networks in model order): the same for every node of a cluster."""
    nets = [model.networks[n] for n in cluster["networks"]]
    vm_vlans = tuple(n["vlan"] for n in nets if n["role"] == "vm")
    return ranges_text(vm_vlans), [n for n in nets if n["role"] != "vm"]


def _first(prefix):
    from ..addressing import nth_host
    return nth_host(prefix, 1)
