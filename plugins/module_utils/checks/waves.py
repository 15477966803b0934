"""Migration wave rules: waves that name what exists, land VMs on carried networks and keep addresses."""

from __future__ import annotations

from ..findings import Finding
from ..model.spec import did_you_mean
from .registry import check

TARGET_PLATFORMS = ("ove", "azure_local")


@check("WAVE001", "error", "Wave with a bad reference", "migration")
def wave_references(model, facts, design):
    """A wave names VMs, applications, networks and one target that exist, and moves each VM once.

    Exactly one of `target.cluster` (an ove or azure_local cluster) or `target.provider` is set; every
    listed VM exists, every application selects at least one VM, `network_map` and `readdress` name
    existing networks and VMs of the wave, and no VM is in two waves (it cannot cut over twice).

    Fix the name, or remove the VM from all but one wave.
    """
    first_wave = {}
    for wave in model.waves.values():
        path = f"waves[{wave['name']}]"
        target = wave["target"]
        if bool(target["cluster"]) == bool(target["provider"]):
            yield Finding("WAVE001", f"{path}.target", "set exactly one of target.cluster or target.provider",
                          "a wave goes to one cluster or one provider")
        elif target["cluster"]:
            cluster = model.clusters.get(target["cluster"])
            if cluster is None:
                yield Finding("WAVE001", f"{path}.target.cluster", f"unknown cluster '{target['cluster']}'; "
                              f"{did_you_mean(target['cluster'], model.clusters)}", "define the target cluster")
            elif cluster["platform"] not in TARGET_PLATFORMS:
                yield Finding("WAVE001", f"{path}.target.cluster", f"cluster '{target['cluster']}' is "
                              f"{cluster['platform']}; waves go to {' or '.join(TARGET_PLATFORMS)} clusters",
                              "target an ove or azure_local cluster, or a provider")
        for idx, name in enumerate(wave["vms"]):
            if name not in model.vms:
                yield Finding("WAVE001", f"{path}.vms[{idx}]", f"unknown VM '{name}'; {did_you_mean(name, model.vms)}",
                              "list VMs of dcnet_vms")
        apps = {vm["application"] for vm in model.vms.values()}
        for idx, app in enumerate(wave["applications"]):
            if app not in apps:
                yield Finding("WAVE001", f"{path}.applications[{idx}]", f"no VM has application '{app}'",
                              "fix the application name or set it on the VMs")
        for source, dest in wave["network_map"].items():
            for name in (source, dest):
                if name not in model.networks:
                    yield Finding("WAVE001", f"{path}.network_map[{source}]",
                                  f"unknown network '{name}'; {did_you_mean(name, model.networks)}", "map existing networks")
        moved = set(design["waves"][wave["name"]]["vms"])
        for vm_name in wave["readdress"]:
            if vm_name not in moved:
                yield Finding("WAVE001", f"{path}.readdress[{vm_name}]", f"VM '{vm_name}' does not move in this wave",
                              "readdress only VMs the wave moves")
        for vm_name in design["waves"][wave["name"]]["vms"]:
            if vm_name in first_wave:
                yield Finding("WAVE001", path, f"VM {vm_name} also moves in {first_wave[vm_name]}",
                              "move each VM in one wave", related=(first_wave[vm_name],))
            else:
                first_wave[vm_name] = path


@check("WAVE002", "error", "VM lands on a network its target does not carry", "migration")
def wave_networks_on_target(model, facts, design):
    """Every network a wave's VMs attach to (after `network_map`) is one of the target cluster's networks.

    MTV maps each source port group to a NetworkAttachmentDefinition on the target (OVE), and Azure Local
    needs a logical network per VLAN; a VM whose network the target does not carry would migrate
    with its NIC on nothing. The network must exist on the target before the wave starts.

    Add the network to the target cluster's networks, or map it to one the target carries (`network_map`).
    """
    for wave in design["waves"].values():
        for name in wave["missing_on_target"]:
            users = sorted({n["vm"] for n in wave["nics"] if n["target_network"] == name})
            yield Finding("WAVE002", f"{wave['path']}", f"VMs {', '.join(users[:5])}{' ...' if len(users) > 5 else ''} "
                          f"land on network {name}, which clusters[{wave['target']['cluster']}] does not carry",
                          f"add {name} to clusters[{wave['target']['cluster']}].networks or map it in network_map",
                          related=(f"clusters[{wave['target']['cluster']}].networks",))


@check("WAVE003", "error", "Address would change without the model saying so", "migration")
def wave_addresses_kept(model, facts, design):
    """A VM keeps its addresses across a wave unless the wave's `readdress` gives the new ones.

    When `network_map` moves a NIC to another network whose prefix does not hold the VM's address, the
    guest would come up with an address the new VLAN does not route. A re-addressing is a change with
    DNS, firewall and client consequences: the model states it (`readdress`), and the new addresses lie
    inside the target network.

    Add `readdress: {vm: {nic: {ipv4: ...}}}` to the wave, or map to a network holding the addresses.
    """
    for wave in design["waves"].values():
        for nic in wave["nics"]:
            path = f"{wave['path']}.vms[{nic['vm']}].nics[{nic['nic']}]"
            for change in nic["unannounced_changes"]:
                where = f"outside {change['target_prefix']} of" if change["target_prefix"] else \
                    f"on no {change['family']} prefix of"
                yield Finding("WAVE003", path, f"{change['address']} would be {where} network {nic['target_network']}: "
                              "the address would change", "add the new address under readdress")
            if nic["readdressed"]:
                net = model.networks.get(nic["target_network"] or "")
                for fam, addrs in nic["addresses_after"].items():
                    for addr in addrs:
                        prefix = net[fam] if net else None
                        if net and prefix and not _inside(addr, prefix):
                            yield Finding("WAVE003", f"{wave['path']}.readdress[{nic['vm']}][{nic['nic']}].{fam}",
                                          f"new address {addr} is outside {prefix} of network {nic['target_network']}",
                                          "pick an address inside the target network")


@check("WAVE004", "error", "Wave network missing on one side's leaves", "migration")
def wave_networks_on_both_sides(model, facts, design):
    """While a wave runs, each VM's network is on the leaves of the hosts it leaves and of the nodes it lands on.

    During the coexistence period a VM's peers run on both sides: a network the wave keeps is stretched
    over the leaves of the VMs' current hosts (`vms[].cluster`, e.g. the VMware cluster) and of the target
    nodes. If the leaf ports toward one side do not carry the VLAN (the VMware cluster does not list the
    network, or no vSwitch carries it), the VMs still there, or those already moved, are cut off from the
    others and from their gateway.

    Add the network to the cluster of that side (for VMware hosts: to the cluster's `networks`, on a vSwitch
    whose port group carries it), or fix the VM's `cluster`.
    """
    for wave in design["waves"].values():
        for net in wave["coexistence"]["networks"]:
            for miss in net["missing"]:
                vms = miss["vms"]
                where = "VMware hosts" if model.clusters[miss["cluster"]]["platform"] == "vmware" else "nodes"
                role = "run on" if miss["side"] == "source" else "land on"
                yield Finding("WAVE004", f"{wave['path']}",
                              f"VMs {', '.join(vms[:5])}{' ...' if len(vms) > 5 else ''} {role} clusters[{miss['cluster']}], "
                              f"but no leaf port toward its {where} carries network {net['name']} (VLAN {net['vlan']})",
                              f"add {net['name']} to clusters[{miss['cluster']}].networks (and a vSwitch or intent "
                              "that carries it), or fix the VMs' cluster",
                              related=(f"clusters[{miss['cluster']}].networks",))


@check("WAVE005", "warning", "Wave to a provider without a handover", "migration")
def wave_provider_handover(model, facts, design):
    """A wave's `target.provider` names no external peer of kind provider (or with a provider block).

    The VMs of a wave to a managed cloud keep their networks while the wave runs: the provider must
    extend those VLANs and route those prefixes, and learns it from the handover document of its
    external peer (`kind: provider`, or a `provider` block; docs/north_south.md). A wave whose
    `target.provider` names no such peer has its layer-2 extension needs in no document.

    Model the provider as an external peer of that name (`external_peers[].name`), or fix the name.
    """
    providers = design.get("handover") or {}
    for wave in model.waves.values():
        name = wave["target"]["provider"]
        if name and not wave["target"]["cluster"] and name not in providers:
            known = did_you_mean(name, providers) if providers else "the site models no provider peer"
            yield Finding("WAVE005", f"waves[{wave['name']}].target.provider",
                          f"no external provider peer is named '{name}' ({known}): no handover document states the "
                          "VLANs and prefixes this wave needs from it",
                          "add it to external_peers (kind: provider) under this name, or fix the name",
                          related=("external_peers",))


def _inside(addr, prefix):
    import ipaddress

    return ipaddress.ip_address(addr) in ipaddress.ip_network(prefix)
