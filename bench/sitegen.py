"""Synthetic sites of N devices for benchmarks.

Shape: 4 spines; a leaf pair per ~40 servers; servers grouped into clusters
of 8 racks (OVE with LACP bonds and MetalLB, every third one a plain Linux
cluster with active-backup bonds), 200 VM VLANs shared by all clusters plus
management, storage and live-migration VLANs per cluster, dual-stack, EVPN.
"""

from __future__ import annotations

import math

SERVERS_PER_PAIR = 40
RACKS_PER_CLUSTER = 8
VM_VLANS = 200
PLATFORMS = ("eos", "nxos", "frr")


def _port(platform, n):
    return {"eos": f"Ethernet{n}", "nxos": f"Ethernet1/{n}", "frr": f"swp{n}"}[platform]


def make_site(devices: int, name: str = "bench") -> dict:
    """Model variables (dcnet_*) of a site with about ``devices`` switches + servers."""
    pairs = max(1, math.ceil((devices - 4) / (SERVERS_PER_PAIR + 2)))
    servers = max(1, devices - 4 - 2 * pairs)
    fabric = {
        "platform": "eos", "overlay": "evpn_vxlan", "mtu": 9216,
        "asn": {"spine": 65000, "leaf_base": 65100},
        "pools": {"loopback4": "10.255.0.0/22", "loopback6": "fd00:255::/64", "p2p4": "10.254.0.0/20",
                  "p2p6": "fd00:254::/64", "vtep4": "10.253.0.0/22", "mlag4": "10.252.0.0/22",
                  "leaf_offset": 64, "max_spines": 4},
        "bgp": {"maximum_paths": 4}, "mlag": {"peer_link_ports": [53, 54]},
        "spines": [{"name": f"spine{i}", "id": i} for i in range(1, 5)],
        "leaf_pairs": [{"rack": r, "leaves": [f"leaf{r:03d}a", f"leaf{r:03d}b"], "platform": PLATFORMS[r % 3]}
                       for r in range(1, pairs + 1)],
    }
    networks = [{"name": f"vm-{100 + i}", "vlan": 100 + i, "role": "vm", "ipv4": f"10.64.{i}.0/24",
                 "ipv6": f"fd00:64:{100 + i:x}::/64"} for i in range(VM_VLANS)]
    clusters = []
    node_id = 0
    n_clusters = math.ceil(pairs / RACKS_PER_CLUSTER)
    for c in range(n_clusters):
        cname = f"c{c:02d}"
        racks = range(c * RACKS_PER_CLUSTER + 1, min(pairs, (c + 1) * RACKS_PER_CLUSTER) + 1)
        base_vlan = 1000 + 3 * c
        second = c // 2
        networks += [
            {"name": f"{cname}-mgmt", "vlan": base_vlan, "role": "management", "ipv4": f"10.{16 + c}.0.0/22",
             "ipv6": f"fd00:{0x1000 + c:x}::/64"},
            {"name": f"{cname}-storage", "vlan": base_vlan + 1, "role": "storage", "ipv4": f"10.{128 + second}.{(c % 2) * 64}.0/22",
             "mtu": 9000, "gateway_on": "none", "single_stack": True},
            {"name": f"{cname}-livemig", "vlan": base_vlan + 2, "role": "live_migration",
             "ipv4": f"10.{128 + second}.{(c % 2) * 64 + 32}.0/22", "mtu": 9000, "gateway_on": "none",
             "single_stack": True},
        ]
        nodes = []
        for rack in racks:
            plat = PLATFORMS[rack % 3]
            for p in range(1, SERVERS_PER_PAIR + 1):
                if node_id >= servers:
                    break
                node_id += 1
                nodes.append({"name": f"n{node_id:05d}", "id": len(nodes) + 1, "nics": {
                    "ens1f0": f"leaf{rack:03d}a:{_port(plat, p)}", "ens1f1": f"leaf{rack:03d}b:{_port(plat, p)}"},
                    "macs": {f"ens1f{i}": f"02:be:{node_id >> 16:02x}:{(node_id >> 8) & 0xff:02x}:{node_id & 0xff:02x}:{i:02x}"
                             for i in (0, 1)}})
        if not nodes:
            continue
        ove = c % 3 != 2
        cluster = {"name": cname, "platform": "ove" if ove else "linux",
                   "networks": [f"{cname}-mgmt", f"{cname}-storage", f"{cname}-livemig"] + [f"vm-{100 + i}" for i in range(VM_VLANS)],
                   "bond": {"name": "bond0", "profile": "lacp" if ove else "ab"}, "nodes": nodes}
        if ove:
            # OVE shared VM layout: the machine network untagged on the bond under br-ex
            cluster.update(native_network=f"{cname}-mgmt", ove={"vm_layout": "shared"})
            cluster["metallb"] = {"asn": 65300 + c, "pools": [{"name": "vips", "ipv4": f"10.{200 + c}.0.0/24",
                                                              "ipv6": f"fd00:{0x2000 + c:x}::/120"}]}
        clusters.append(cluster)
    return {
        "dcnet_site": {"name": name, "dns_servers": ["10.0.0.53"]},
        "dcnet_fabric": fabric,
        "dcnet_networks": networks,
        "dcnet_bond_profiles": {"lacp": {"mode": "802.3ad", "lacp_rate": "fast", "xmit_hash_policy": "layer3+4"},
                                "ab": {"mode": "active-backup"}},
        "dcnet_clusters": clusters,
    }


def device_count(variables: dict) -> int:
    fabric = variables["dcnet_fabric"]
    return len(fabric["spines"]) + sum(len(p["leaves"]) for p in fabric["leaf_pairs"]) + \
        sum(len(c["nodes"]) for c in variables["dcnet_clusters"])
