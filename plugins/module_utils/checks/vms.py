"""VM inventory rules: references, addresses inside their networks, MACs and addresses used once."""

from __future__ import annotations

import ipaddress

from ..findings import Finding
from ..model.spec import did_you_mean
from .registry import check


def _nic_paths(model):
    for vm in model.vms.values():
        for nic in vm["nics"]:
            yield vm, nic, f"vms[{vm['name']}].nics[{nic['name']}]"


@check("VM001", "error", "Unknown network or cluster of a VM", "vms")
def vm_references(model, facts, design):
    """A VM's cluster and each NIC's network name a cluster and a network of the model.

    The VM inventory is usually an import draft; a network renamed or dropped during review leaves
    NICs pointing at nothing, and the migration would have nowhere to attach them.

    Define the network (or cluster), or fix the name in `vms`.
    """
    for vm in model.vms.values():
        if vm["cluster"] and vm["cluster"] not in model.clusters:
            yield Finding("VM001", f"vms[{vm['name']}].cluster",
                          f"unknown cluster '{vm['cluster']}'; {did_you_mean(vm['cluster'], model.clusters)}",
                          "define the cluster under clusters or fix the name")
    for vm, nic, path in _nic_paths(model):
        if nic["network"] and nic["network"] not in model.networks:
            yield Finding("VM001", f"{path}.network",
                          f"unknown network '{nic['network']}'; {did_you_mean(nic['network'], model.networks)}",
                          "define the network under networks or fix the name")


@check("VM002", "error", "VM address outside its network", "vms")
def vm_address_in_network(model, facts, design):
    """Every address of a VM NIC lies inside its network's prefix of that family.

    An address outside the subnet is a guest misconfiguration or a NIC on the wrong network: after the
    migration the gateway will not answer it. A network without a prefix of the family cannot hold it.

    Correct the address, move the NIC to the network that holds it, or give the network the prefix.
    """
    parsed = {}  # prefix -> network, parsed once for the thousands of VMs on it
    for vm, nic, path in _nic_paths(model):
        net = model.networks.get(nic["network"] or "")
        if net is None:
            continue
        for fam in ("4", "6"):
            prefix = net[f"ipv{fam}"]
            if prefix and nic[f"ipv{fam}"] and prefix not in parsed:
                parsed[prefix] = ipaddress.ip_network(prefix)
            for idx, addr in enumerate(nic[f"ipv{fam}"]):
                if not prefix:
                    yield Finding("VM002", f"{path}.ipv{fam}[{idx}]",
                                  f"{addr} is on network {net['name']}, which has no ipv{fam} prefix",
                                  f"add ipv{fam} to networks[{net['name']}]", related=(f"networks[{net['name']}]",))
                elif ipaddress.ip_address(addr) not in parsed[prefix]:
                    yield Finding("VM002", f"{path}.ipv{fam}[{idx}]", f"{addr} is outside {prefix} of network {net['name']}",
                                  "correct the address or attach the NIC to the network holding it",
                                  related=(f"networks[{net['name']}].ipv{fam}",))


@check("VM003", "error", "MAC address used twice", "vms")
def vm_mac_unique(model, facts, design):
    """No two VM NICs share a MAC address.

    MACs move with the VMs (DHCP reservations and licenses are keyed by them); two NICs with one MAC
    on one VLAN make the switches' MAC tables flap and both VMs lose traffic.

    Give one of the NICs a new MAC (and update what is keyed by it).
    """
    seen = {}
    for vm, nic, path in _nic_paths(model):
        mac = nic["mac"]
        if not mac:
            continue
        if mac in seen:
            yield Finding("VM003", f"{path}.mac", f"MAC {mac} is also used by {seen[mac]}",
                          "give one of the NICs a new MAC", related=(f"{seen[mac]}.mac",))
        else:
            seen[mac] = path


@check("VM004", "error", "IP address used twice", "vms")
def vm_address_unique(model, facts, design):
    """No two VM NICs hold the same IP address.

    A duplicate address in an inventory is a stale clone or a misconfigured guest; whichever VM moves
    first takes the address with it and the other one breaks.

    Keep the address on one NIC and re-address the other.
    """
    seen = {}
    for vm, nic, path in _nic_paths(model):
        for fam in ("ipv4", "ipv6"):
            for idx, addr in enumerate(nic[fam]):
                here = f"{path}.{fam}[{idx}]"
                if addr in seen:
                    yield Finding("VM004", here, f"{addr} is also used by {seen[addr]}",
                                  "re-address one of the VMs", related=(seen[addr],))
                else:
                    seen[addr] = here
