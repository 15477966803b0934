"""The one mapping core: Estate records -> model draft (networks, bond profiles, VMs) + conflicts.

Decisions it makes, each reported with its evidence:

* one network per access VLAN; its port groups (standard and distributed, any
  host) are listed under ``port_groups``; MTU from the switch the port group
  sits on;
* subnets are inferred from the VMs' addresses on the network: addresses are
  grouped by /24 (IPv4) and /64 (IPv6); the largest group is the subnet, a
  second group of two or more addresses is a second subnet on one VLAN, a lone
  address elsewhere is an address outside the subnet;
* teaming -> bond mode and hash policy (``TEAMING``), with a warning where
  Linux bonding or Network ATC has no clean equivalent;
* port groups on VLAN 0, 4095, VLAN ranges or private VLANs get no network:
  they need a decision.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections import Counter, defaultdict

from .conflicts import Conflict, sort_conflicts
from .hosts import draft_clusters

_INVALID = re.compile(r"[^A-Za-z0-9_.-]+")
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")

# vSphere teaming policy -> (Linux bond mode, hash policy, Linux exact?, Network ATC equivalent or None, ATC exact?, note)
TEAMING = {
    "loadbalance_srcid": ("active-backup", "layer2+3", False, "HyperVPort", True,
                          "route based on originating virtual port spreads VMs over uplinks without switch config; "
                          "a Linux bond does that only in active-backup (one active link) or as OVS balance-slb"),
    "loadbalance_srcmac": ("active-backup", "layer2+3", False, "HyperVPort", False,
                           "source-MAC hash pins each VM to an uplink without switch config; Linux balance-xor would "
                           "need a static port-channel, so the draft uses active-backup"),
    "loadbalance_loadbased": ("active-backup", "layer2+3", False, "Dynamic", False,
                              "load-based teaming moves VMs between uplinks by load; no Linux bond mode does that"),
    "loadbalance_ip": ("802.3ad", "layer3+4", False, None, False,
                       "IP hash needs a static port-channel (mode on) on the switch; the target uses LACP, so the "
                       "leaf port-channel changes from static to LACP at cut-over; Network ATC (SET) has no "
                       "port-channel at all"),
    "failover_explicit": ("active-backup", "layer2+3", True, "HyperVPort", False,
                          "explicit failover order is active-backup; Network ATC (SET) has no standby adapters"),
    "lacp": ("802.3ad", None, True, None, False,
             "LACP maps to 802.3ad with the same hash; Network ATC (SET) does not support LACP"),
}


def model_name(text: str, lower: bool = False) -> str:
    """A model name (ASCII letters, digits, '-', '_', '.') for a vCenter name; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = _INVALID.sub("-", ascii_text).strip("-_.")
    name = re.sub(r"-{2,}", "-", name)
    return name.lower() if lower else name


def classify_vlan(text: str):
    """(kind, vlan): access/none/trunk/private/bad for a port group's VLAN cell."""
    value = (text or "").strip()
    low = value.lower()
    if not value or value == "0":
        return "none", 0
    if value.isdigit():
        number = int(value)
        if number == 4095:
            return "trunk", number
        return ("access", number) if 1 <= number <= 4094 else ("bad", value)
    if "pvlan" in low or "private" in low:
        return "private", value
    if re.fullmatch(r"\d+\s*-\s*\d+(\s*,\s*\d+(\s*-\s*\d+)?)*", value) or re.fullmatch(r"\d+(\s*,\s*\d+)+", value):
        return "trunk", value
    return "bad", value


def _hash_from_lacp(alg: str) -> str:
    low = alg.lower()
    if "port" in low:
        return "layer3+4"
    if "ip" in low:
        return "layer2+3"
    if "mac" in low:
        return "layer2"
    return "layer3+4"


class _Names:
    """Unique model names, with the renames reported."""

    def __init__(self, conflicts, lower=False, fallback="x"):
        self.used, self.conflicts, self.lower, self.fallback = set(), conflicts, lower, fallback

    def take(self, original: str, origin, what: str) -> str:
        base = model_name(original, self.lower) or self.fallback
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}-{n}", n + 1
        self.used.add(name)
        if name != original:
            self.conflicts.append(Conflict("renamed", f"{what} {original}", f"'{original}' -> '{name}'", (origin,)))
        return name


def build_draft(estate, ipv4_prefix: int = 24, ipv6_prefix: int = 64) -> dict:
    """The draft of dcnet_networks, dcnet_bond_profiles and dcnet_vms, the conflicts and the counts."""
    conflicts = []
    vms_all = [vm for vm in estate.vms if not vm.template]
    templates = {vm.name for vm in estate.vms if vm.template} - {vm.name for vm in vms_all}
    nics = [n for n in estate.nics if n.vm not in templates]

    groups = _port_groups(estate, conflicts)
    switch_mtu = _switch_mtus(estate)
    nic_count = Counter(n.network for n in nics)
    networks, pg_network = _networks(groups, switch_mtu, nic_count, conflicts)
    _infer_subnets(networks, pg_network, nics, conflicts, ipv4_prefix, ipv6_prefix)
    teaming = switch_teaming(estate, groups)
    profiles = _bond_profiles(teaming, switch_mtu, conflicts)
    clusters, cluster_names = draft_clusters(
        estate, groups, pg_network, {n["model"]["name"]: n["model"] for n in networks.values()},
        {key: (policy, sw) for key, (policy, sw, _origin) in teaming.items()}, switch_mtu, conflicts)
    vms = _vms(vms_all, nics, groups, pg_network, cluster_names, conflicts)
    _duplicates(vms, conflicts)
    conflicts = sort_conflicts(conflicts)
    counts = {
        "vms": len(vms), "templates_skipped": len(estate.vms) - len(vms_all),
        "nics": sum(len(vm["nics"]) for vm in vms), "port_groups": len(groups),
        "networks": len(networks), "bond_profiles": len(profiles),
        "hosts": sum(len(c["nodes"]) for c in clusters), "vmware_clusters": len(clusters),
        "conflicts": dict(sorted(Counter(c.kind for c in conflicts).items())),
    }
    return {
        "source": estate.source,
        "networks": [n["model"] for n in sorted(networks.values(), key=lambda n: n["model"]["vlan"])],
        "evidence": {n["model"]["name"]: n["evidence"] for n in networks.values()},
        "bond_profiles": {name: p["model"] for name, p in sorted(profiles.items())},
        "teaming": {name: p["evidence"] for name, p in sorted(profiles.items())},
        "clusters": clusters, "vms": vms, "conflicts": conflicts, "counts": counts, "notes": list(estate.notes),
    }


def _common_prefix(addrs, start):
    """The longest prefix (at least ``start`` long) holding every address: evidence of how full a subnet is."""
    net = ipaddress.ip_network(f"{addrs[0]}/{start}", strict=False)
    for length in range(start + 1, net.max_prefixlen + 1):
        inner = ipaddress.ip_network(f"{addrs[0]}/{length}", strict=False)
        if addrs[-1] not in inner:
            break
        net = inner
    return net


def _port_groups(estate, conflicts):
    """Port groups unified across hosts: {(kind, switch-or-'', name): record}."""
    rows = defaultdict(list)
    for pg in estate.port_groups:
        key = (pg.kind, pg.switch if pg.kind == "distributed" else "", pg.name)
        rows[key].append(pg)
    groups = {}
    for key, members in rows.items():
        vlans = Counter(pg.vlan for pg in members)
        vlan = sorted(vlans.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if len(vlans) > 1:
            conflicts.append(Conflict(
                "port_group_vlan", f"port group {key[2]}",
                "VLAN " + " vs ".join(f"{v or '0'} on {', '.join(sorted({pg.host or pg.switch for pg in members if pg.vlan == v}))}"
                                      for v in sorted(vlans)),
                tuple(pg.origin for pg in members if pg.vlan != vlan)[:20]))
        first = members[0]
        groups[key] = {"name": key[2], "kind": key[0], "switch": first.switch, "vlan": vlan,
                       "class": classify_vlan(vlan), "security": Counter(pg.security for pg in members).most_common(1)[0][0],
                       "object_id": first.object_id, "origins": [pg.origin for pg in members],
                       "hosts": sorted({pg.host for pg in members if pg.host}),
                       "teaming": Counter(pg.teaming for pg in members if pg.teaming).most_common(1)[0][0]
                       if any(pg.teaming for pg in members) else ""}
    return groups


def _switch_mtus(estate):
    """{(kind, switch name): smallest MTU seen} (standard switches share a name across hosts)."""
    out = {}
    for sw in estate.switches:
        if sw.mtu:
            key = (sw.kind, sw.name)
            out[key] = min(out.get(key, sw.mtu), sw.mtu)
    return out


def _networks(groups, switch_mtu, nic_count, conflicts):
    by_vlan = defaultdict(list)
    pg_network = {}
    for key, group in sorted(groups.items()):
        kind, value = group["class"]
        subject = f"port group {group['name']}"
        origins = tuple(group["origins"][:5])
        if kind == "none":
            conflicts.append(Conflict("vlan_none", subject, "VLAN 0: frames leave untagged (the uplink's native VLAN)", origins))
        elif kind == "trunk":
            conflicts.append(Conflict("vlan_trunk", subject, f"VLAN {value}: the guest tags its own VLANs (VGT)", origins))
        elif kind == "private":
            conflicts.append(Conflict("private_vlan", subject, f"private VLAN '{value}'", origins))
        elif kind == "bad":
            conflicts.append(Conflict("vlan_trunk", subject, f"VLAN '{value}' is not a VLAN id; treated as a trunk", origins))
        else:
            by_vlan[value].append((key, group))
    networks, names = {}, set()
    for vlan, members in sorted(by_vlan.items()):
        members.sort(key=lambda kg: (-nic_count.get(kg[1]["name"], 0), kg[1]["name"]))
        base = model_name(members[0][1]["name"], lower=True) or f"vlan{vlan}"
        name = base if base not in names else f"{base}-v{vlan}"
        names.add(name)
        mtus = {}
        for key, group in members:
            mtu = switch_mtu.get((group["kind"], group["switch"]))
            if mtu:
                mtus.setdefault(mtu, []).append(group)
        mtu = min(mtus) if mtus else 1500
        if len(mtus) > 1:
            conflicts.append(Conflict("vlan_mtu", f"VLAN {vlan}", "MTU " + " vs ".join(
                f"{m} ({', '.join(sorted(g['name'] + ' on ' + g['switch'] for g in gs))})" for m, gs in sorted(mtus.items())),
                tuple(g["origins"][0] for gs in mtus.values() for g in gs)))
        securities = {}
        for key, group in members:
            securities.setdefault(group["security"], []).append(group)
        if len(securities) > 1:
            conflicts.append(Conflict("vlan_security", f"VLAN {vlan}", " vs ".join(
                f"{sec.text()} ({', '.join(sorted(g['name'] for g in gs))})" for sec, gs in securities.items()),
                tuple(g["origins"][0] for gs in securities.values() for g in gs)))
        port_groups = []
        for key, group in sorted(members, key=lambda kg: (kg[1]["name"], kg[1]["switch"])):
            entry = {"name": group["name"], "switch": group["switch"]}
            if group["object_id"]:
                entry["id"] = group["object_id"]
            port_groups.append(entry)
            pg_network[group["name"]] = name
        model = {"name": name, "vlan": vlan, "role": "vm", "ipv4": None, "ipv6": None, "mtu": min(max(mtu, 68), 9216),
                 "port_groups": port_groups}
        networks[name] = {"model": model, "evidence": {"port_groups": [group["name"] for _key, group in members],
                                                       "mtu": f"{mtu} from the switch" if mtus else "1500 (no switch MTU)"}}
    return networks, pg_network


def _infer_subnets(networks, pg_network, nics, conflicts, ipv4_prefix, ipv6_prefix):
    seen = defaultdict(lambda: {4: defaultdict(list), 6: defaultdict(list)})
    for nic in nics:
        name = pg_network.get(nic.network)
        if name is None:
            continue
        for fam, addrs, plen in ((4, nic.ipv4, ipv4_prefix), (6, nic.ipv6, ipv6_prefix)):
            for addr in addrs:
                subnet = ipaddress.ip_network(f"{addr}/{plen}", strict=False)
                seen[name][fam][subnet].append((addr, nic))
    for name, net in networks.items():
        for fam in (4, 6):
            clusters = seen[name][fam]
            if not clusters:
                continue
            ranked = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            subnet, members = ranked[0]
            addrs = sorted((ipaddress.ip_address(a) for a, _nic in members))
            tight = _common_prefix(addrs, subnet.prefixlen)
            net["model"][f"ipv{fam}"] = str(subnet)
            net["evidence"][f"ipv{fam}"] = {
                "subnet": str(subnet), "addresses": len(addrs), "first": str(addrs[0]), "last": str(addrs[-1]),
                "common_prefix": str(tight), "assumed_length": subnet.prefixlen,
                "rows": [str(n.origin) for _addr, n in members[:5]]}
            for other, others in ranked[1:]:
                if len(others) >= 2:
                    conflicts.append(Conflict(
                        "vlan_subnets", f"VLAN {net['model']['vlan']}",
                        f"network {name}: {len(members)} address(es) in {subnet} and {len(others)} in {other}",
                        tuple(n.origin for _addr, n in (members[:3] + others[:3]))))
                else:
                    for addr, nic in others:
                        conflicts.append(Conflict(
                            "address_outside", f"VM {nic.vm} {nic.label}",
                            f"{addr} is outside {subnet}, the subnet of network {name} ({len(members)} other addresses)",
                            (nic.origin,)))


def switch_teaming(estate, groups) -> dict:
    """{(kind, switch): (vSphere policy, the LACP switch record or None, first origin)}.

    A distributed switch with a LAG teams by LACP; otherwise the policy most of its port groups (or, for
    standard vSwitches, most hosts) use.  The bond profiles and the VMware cluster draft both read it.
    """
    policies = defaultdict(Counter)
    origins = {}
    lacp = {}
    for sw in estate.switches:
        key = (sw.kind, sw.name)
        origins.setdefault(key, sw.origin)
        if sw.teaming == "lacp":
            lacp[key] = sw
        elif sw.teaming:
            policies[key][sw.teaming] += 1
    for group in groups.values():
        if group["kind"] == "distributed" and group["teaming"]:
            policies[("distributed", group["switch"])][group["teaming"]] += 1
            origins.setdefault(("distributed", group["switch"]), group["origins"][0])
    out = {}
    for key in sorted(set(policies) | set(lacp)):
        if key in lacp:
            out[key] = ("lacp", lacp[key], origins[key])
        else:
            out[key] = (policies[key].most_common(1)[0][0], None, origins[key])
    return out


def _bond_profiles(teaming, switch_mtu, conflicts):
    profiles, names = {}, set()
    for key, (policy, sw, origin) in teaming.items():
        kind, switch = key
        if policy not in TEAMING:
            conflicts.append(Conflict("teaming", f"switch {switch}", f"teaming policy '{policy}' is unknown; no profile drafted",
                                      (origin,)))
            continue
        mode, xmit, linux_exact, atc, atc_exact, note = TEAMING[policy]
        if policy == "lacp":
            xmit = _hash_from_lacp(sw.lacp_hash)
        mtu = min(max(switch_mtu.get(key, 1500), 1280), 9216)
        name = f"vmw-{model_name(switch, lower=True) or 'switch'}"
        while name in names:
            name += "-2"
        names.add(name)
        model = {"mode": mode, "xmit_hash_policy": xmit, "miimon": 100, "mtu": mtu}
        if mode == "802.3ad":
            model["lacp_rate"] = "fast" if policy != "lacp" or sw.lacp_mode != "passive" else "slow"
        profiles[name] = {"model": model, "evidence": {
            "switch": switch, "kind": kind, "vsphere_policy": policy, "linux": f"{mode} {xmit}",
            "linux_exact": linux_exact, "network_atc": atc or "none", "network_atc_exact": atc_exact, "note": note}}
        if not (linux_exact and atc_exact):
            conflicts.append(Conflict("teaming", f"switch {switch}",
                                      f"{policy} -> bond profile {name} ({mode}, {xmit}); Network ATC: {atc or 'none'}. {note}",
                                      (origin,)))
    return profiles


def _vms(vms_all, nics, groups, pg_network, cluster_names, conflicts):
    by_vm = defaultdict(list)
    for nic in nics:
        by_vm[nic.vm].append(nic)
    pg_names = {g["name"] for g in groups.values()}
    names = _Names(conflicts, fallback="vm")
    seen_vm = {}
    out = []
    for vm in vms_all:
        duplicate = vm.name in seen_vm
        if duplicate:  # the NICs go to the first VM of the name: vNetwork names VMs, not their ids
            conflicts.append(Conflict("duplicate_vm", f"VM {vm.name}", f"also at {seen_vm[vm.name]}",
                                      (vm.origin,)))
        seen_vm.setdefault(vm.name, str(vm.origin))
        name = names.take(vm.name, vm.origin, "VM")
        entry = {"name": name, "power_state": vm.power}
        if vm.cluster in cluster_names:
            entry["cluster"] = cluster_names[vm.cluster]
        folder = vm.folder.strip()
        if folder:
            entry["application"] = folder.rstrip("/").split("/")[-1]
            entry["folder"] = folder
        source = {k: v for k, v in (("vcenter", vm.vcenter), ("datacenter", vm.datacenter), ("cluster", vm.cluster),
                                    ("host", vm.host), ("id", vm.object_id)) if v}
        if source:
            entry["source"] = source
        entry["nics"] = _vm_nics(vm, [] if duplicate else by_vm.get(vm.name, []), pg_names, pg_network, conflicts)
        out.append(entry)
    return out


def _vm_nics(vm, nics, pg_names, pg_network, conflicts):
    out, labels = [], set()
    for nic in nics:
        label = nic.label
        n = 2
        while label in labels:
            label, n = f"{nic.label} ({n})", n + 1
        labels.add(label)
        subject = f"VM {vm.name} {nic.label}"
        entry = {"name": label, "network": pg_network.get(nic.network)}
        if not nic.network:
            conflicts.append(Conflict("nic_no_network", subject, "the NIC is on no network", (nic.origin,)))
        elif nic.network not in pg_names:
            conflicts.append(Conflict("unknown_port_group", subject,
                                      f"port group '{nic.network}' is in no vPort/dvPort row", (nic.origin,)))
        if _MAC.match(nic.mac):
            entry["mac"] = nic.mac
        entry["ipv4"] = list(nic.ipv4)
        entry["ipv6"] = list(nic.ipv6)
        entry["_origin"] = nic.origin
        out.append(entry)
    return out


def _duplicates(vms, conflicts):
    macs, addrs = defaultdict(list), defaultdict(list)
    for vm in vms:
        for nic in vm["nics"]:
            if nic.get("mac"):
                macs[nic["mac"]].append((vm["name"], nic))
            for addr in nic["ipv4"] + nic["ipv6"]:
                addrs[addr].append((vm["name"], nic))
    for kind, table in (("duplicate_mac", macs), ("duplicate_address", addrs)):
        for value, users in sorted(table.items()):
            if len(users) > 1:
                conflicts.append(Conflict(kind, value, "used by " + ", ".join(f"{v} {n['name']}" for v, n in users),
                                          tuple(n["_origin"] for _vm, n in users)))
    for vm in vms:
        for nic in vm["nics"]:
            nic.pop("_origin", None)
