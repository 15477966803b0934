"""Write examples/dc1's model files (the bundled 5,000-VM datacenter).

The model is long (156 nodes, 210 networks) but regular; this script is how
it was written and how it is changed.  The YAML it writes is the source of
truth that users read and edit: run it again only to regenerate the whole
example (python tools/gen_dc1.py).
"""

from __future__ import annotations

import os

import yaml

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "dc1", "inventory")

HEADER = "---\n# examples/dc1: {what}. Generated once by tools/gen_dc1.py; edit freely.\n"


class _IndentedDumper(yaml.SafeDumper):
    """Indent list items under their key, as yamllint (ansible-lint) expects."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump(name, what, data, comments=None, tail=""):
    """Write one group_vars file; ``comments`` maps a value line to the comment kept beside it and ``tail`` is
    YAML text (keys with their explanation) written as is after the generated keys: dumpers drop comments."""
    text = yaml.dump(data, Dumper=_IndentedDumper, sort_keys=False, default_flow_style=False, width=150)
    for line, comment in (comments or {}).items():
        assert text.count(line + "\n") == 1, line
        text = text.replace(line + "\n", f"{line}   # {comment}\n")
    text += tail
    with open(os.path.join(OUT, "group_vars", "all", name), "w", encoding="utf-8") as handle:
        handle.write(HEADER.format(what=what) + text)


def platform_of(rack):
    return "eos" if rack <= 6 else ("nxos" if rack <= 10 else "frr")


def port(rack, n):
    return {"eos": f"Ethernet{n}", "nxos": f"Ethernet1/{n}", "frr": f"swp{n}"}[platform_of(rack)]


def leaves(rack):
    return [f"leaf{rack:02d}a", f"leaf{rack:02d}b"]


APPLICATIONS = 60
VMS = 1200


def vms(clusters):
    """1,200 VMs in 60 applications, each application on one target cluster and two of its VM networks."""
    targets = [c for c in clusters if c["platform"] in ("ove", "azure_local")]
    used = {}
    out = []
    for n in range(VMS):
        app = n % APPLICATIONS
        cluster = targets[app % len(targets)]
        vm_nets = [net for net in cluster["networks"] if net.startswith("vm-")]
        nets = [vm_nets[(2 * app) % len(vm_nets)], vm_nets[(2 * app + 1) % len(vm_nets)]]
        nics = []
        for i, net in enumerate(nets[: 1 + n % 2]):
            host = used[net] = used.get(net, 19) + 1
            index = int(net.split("-")[1]) - 100
            nics.append({"name": f"Network adapter {i + 1}", "network": net,
                         "mac": f"00:50:56:{n >> 8:02x}:{n & 0xff:02x}:{i:02x}",
                         "ipv4": [f"10.64.{index}.{host}"], "ipv6": [f"fd00:64:{100 + index:x}::{host:x}"]})
        out.append({"name": f"app{app:02d}-vm{n:04d}", "cluster": cluster["name"], "application": f"app{app:02d}",
                    "folder": f"/Prod/app{app:02d}", "tags": [f"tier:{('web', 'app', 'db')[n % 3]}"], "nics": nics})
    return out


def segmentation():
    """Application groups from the VMs' application; each application talks to the next one on 443 and 8000-8080."""
    flows = [{"name": f"app{a:02d}-to-app{(a + 1) % APPLICATIONS:02d}", "from": f"app{a:02d}",
              "to": f"app{(a + 1) % APPLICATIONS:02d}", "protocol": "tcp", "ports": ["443", "8000-8080"]}
             for a in range(APPLICATIONS)]
    flows.append({"name": "monitoring", "from": "app00", "to": "app30", "protocol": "udp", "ports": ["161"]})
    return {"group_by": "application", "groups": [{"name": "app59", "default": "allow"}], "flows": flows,
            "rule_budget": 5000}


# waivers are decisions with their reasons: kept as written, comment included
WAIVERS = """
# vm-100 hands out addresses by DHCPv6 (mode dhcpv6: prefix advertised without SLAAC). The NX-OS leaves of
# racks 7-9 are rendered without prefix flags (docs/dns_dhcp.md), so the operators clear the prefix's
# autonomous flag on their Vlan100 by hand; the rule that reports it is accepted here.
dcnet_waivers:
  - rule: DHCP011
    path: networks[vm-100].ipv6_hosts
    reason: NX-OS leaves of racks 7-9 get the vm-100 prefix's no-autoconfig by hand (not rendered for NX-OS)
    expires: "2099-12-31"
"""


def mac(cluster, node, nic):
    """A locally administered MAC, unique per (cluster, node, NIC): the example's stand-in for the real ones."""
    return f"02:dc:{cluster:02x}:{node >> 8:02x}:{node & 0xff:02x}:{nic:02x}"


def main():
    site = {
        "name": "dc1",
        "description": "Production datacenter: 5,000+ VMs moving from VMware to OpenShift Virtualization and Azure Local",
        "domain": "dc1.example.net",
        "dns_servers": ["10.0.0.53", "10.0.1.53", "fd00:0:0:53::53"],
        # authoritative for the rendered zones: the infra hosts (docs/dns_dhcp.md)
        "dns": {"nameservers": [{"name": "ns1", "ipv4": "10.13.0.11", "ipv6": "fd00:13::b"},
                                {"name": "ns2", "ipv4": "10.13.0.12", "ipv6": "fd00:13::c"}],
                "reverse_zones": ["10.0.0.0/8", "fd00::/16", "192.168.0.0/24"]},
    }
    fabric = {
        "platform": "eos",
        "mtu": 9216,
        "overlay": "evpn_vxlan",
        "vni_base": 10000,
        "asn": {"spine": 65000, "leaf_base": 65100, "private_required": True},
        "pools": {"loopback4": "10.255.0.0/24", "loopback6": "fd00:255::/64", "p2p4": "10.254.0.0/23",
                  "p2p6": "fd00:254::/64", "vtep4": "10.253.0.0/24", "mlag4": "10.252.0.0/24",
                  "leaf_offset": 64, "max_spines": 4},
        "bfd": {"enabled": True, "interval_ms": 300, "multiplier": 3},
        "bgp": {"keepalive": 3, "hold": 9, "maximum_paths": 4, "password_var": "dcnet_bgp_password"},
        "uplinks": {"leaf_first_port": 49, "spine_first_port": 1},
        "mlag": {"peer_link_ports": [53, 54]},  # peer VLAN: each platform's default (NX-OS below 3968)
        # untagged frames on host trunks without a native network are dropped, never VLAN 1 (below NX-OS's reserved range)
        "blackhole_vlan": 3900,
        "management": {
            "pool4": "192.168.0.0/24", "vrf": "MGMT", "ntp_servers": ["10.0.0.123", "10.0.1.123"],
            "syslog_servers": ["10.0.0.51"],
            "users": [{"name": "admin", "role": "network-admin", "password_var": "dcnet_switch_admin_hash",
                       "ssh_key_var": "dcnet_switch_admin_ssh_key"},
                      {"name": "monitor", "role": "network-operator", "password_var": "dcnet_switch_monitor_hash"}],
            "tacacs": {"servers": ["10.0.0.49", "10.0.1.49"], "key_var": "dcnet_tacacs_key"},
            "api": True, "gnmi": True,
            "snmp": {"community_var": "dcnet_snmp_ro_community", "location": "dc1", "contact": "network-team@example.net"},
        },
        "spines": [{"name": f"spine{i}", "id": i} for i in range(1, 5)],
        "leaf_pairs": [{"rack": r, "leaves": leaves(r), "mlag": True,
                        **({"platform": platform_of(r)} if platform_of(r) != "eos" else {})} for r in range(1, 13)]
        # the border pair: no servers, the firewall cluster, the WAN router and the provider interconnect (docs/north_south.md)
        + [{"rack": 13, "leaves": leaves(13), "mlag": True, "role": "border"}],
    }
    # Tenants: the OVE machine networks and their VIPs in ove; shared services, Azure Local management and
    # the VM networks in prod. They meet only through the firewall; prod reaches the corporate WAN directly.
    vrfs = [{"name": "ove", "id": 1, "description": "OVE machine networks and MetalLB VIPs"},
            {"name": "prod", "id": 2, "description": "shared services, Azure Local management, VM networks",
             # what the border announces: the VM range as one block per family, not 200 /64s
             "aggregates": ["10.11.0.0/24", "10.12.0.0/24", "10.13.0.0/24", "10.64.0.0/16", "10.65.44.0/24",
                            "fd00:11::/64", "fd00:12::/64", "fd00:13::/64", "fd00:64::/32"]}]
    external_peers = [
        {"name": "fw1", "kind": "firewall", "description": "perimeter firewall cluster (one floating address per VRF)",
         "asn": 65400, "attach": "svi", "mtu": 9000, "password_var": "dcnet_fw_bgp_password",
         "links": [{"leaf": "leaf13a", "port": "Ethernet47"}, {"leaf": "leaf13b", "port": "Ethernet47"}],
         "vrfs": [{"vrf": "ove", "vlan": 3101, "ipv4": "10.199.1.0/29", "ipv6": "fd00:199:1::/64"},
                  {"vrf": "prod", "vlan": 3102, "ipv4": "10.199.2.0/29", "ipv6": "fd00:199:2::/64"}]},
        {"name": "wan1", "kind": "router", "description": "corporate WAN router: the corporate DNS and NTP servers",
         "asn": 65500, "attach": "subinterface", "mtu": 1500, "tcp_mss": 1360, "password_var": "dcnet_wan_bgp_password",
         "links": [{"leaf": "leaf13a", "port": "Ethernet48"}, {"leaf": "leaf13b", "port": "Ethernet48"}],
         "vrfs": [{"vrf": "prod", "vlan": 3201, "ipv4": "10.199.3.0/30", "ipv6": "fd00:199:3::/126",
                   "accept_default": False, "accept": ["10.0.0.0/23", "fd00::/48"]}]},
        # the managed cloud the migration waves may also target: its handover document is rendered for the
        # provider's change request (render target handover)
        {"name": "esc", "kind": "provider", "description": "Swisscom Enterprise Service Cloud interconnect",
         "asn": 65510, "attach": "subinterface", "mtu": 1500, "tcp_mss": 1360,
         "links": [{"leaf": "leaf13a", "port": "Ethernet46"}, {"leaf": "leaf13b", "port": "Ethernet46"}],
         "vrfs": [{"vrf": "prod", "vlan": 3301, "ipv4": "10.199.4.0/30", "ipv6": "fd00:199:4::/126",
                   "accept_default": False, "accept": ["10.210.0.0/16", "fd00:210::/48"]}],
         "provider": {"name": "Swisscom Enterprise Service Cloud", "contact": "esc-noc@example.net",
                      "reference": "ESC-0001", "dns_zones": ["esc.example.net"],
                      "dns_servers": ["10.210.0.53", "fd00:210::53"]}},
    ]
    networks = [
        {"name": "ove-mgmt", "vlan": 10, "role": "management", "ipv4": "10.10.0.0/24", "ipv6": "fd00:10::/64", "mtu": 9000,
         "description": "OVE machine network (br-ex, jumbo so the Geneve pod network keeps 8900), MetalLB peering"},
        {"name": "ove-storage", "vlan": 20, "role": "storage", "ipv4": "10.20.0.0/24", "ipv6": "fd00:20::/64",
         "mtu": 9000, "gateway_on": "none", "description": "ODF / NFS storage"},
        {"name": "ove-livemig", "vlan": 30, "role": "live_migration", "ipv4": "10.30.0.0/24", "ipv6": "fd00:30::/64",
         "mtu": 9000, "gateway_on": "none", "description": "KubeVirt live migration"},
        {"name": "ove-edge-mgmt", "vlan": 14, "role": "management", "ipv4": "10.14.0.0/24", "ipv6": "fd00:14::/64",
         "mtu": 9000, "description": "machine network of ove-edge, untagged on its bond (br-ex shares it with the VM networks)"},
        # azl-a's nodes boot from the network: DHCP/PXE from the infra hosts, relayed by the rack-9 leaves
        {"name": "azl-a-mgmt", "vlan": 11, "role": "management", "ipv4": "10.11.0.0/24", "ipv6": "fd00:11::/64", "mtu": 1500,
         "dhcp": {"enabled": True, "servers": ["10.13.0.11"]}},
        {"name": "azl-b-mgmt", "vlan": 12, "role": "management", "ipv4": "10.12.0.0/24", "ipv6": "fd00:12::/64", "mtu": 1500},
        {"name": "infra-mgmt", "vlan": 13, "role": "management", "ipv4": "10.13.0.0/24", "ipv6": "fd00:13::/64", "mtu": 1500,
         "dhcp": {"enabled": False, "servers": ["10.0.0.67"]}},
        {"name": "azl-a-storage1", "vlan": 711, "role": "storage", "ipv4": "10.71.1.0/24", "mtu": 9000, "gateway_on": "none",
         "single_stack": True},
        {"name": "azl-a-storage2", "vlan": 712, "role": "storage", "ipv4": "10.71.2.0/24", "mtu": 9000, "gateway_on": "none",
         "single_stack": True},
        {"name": "azl-b-storage1", "vlan": 713, "role": "storage", "ipv4": "10.71.3.0/24", "mtu": 9000, "gateway_on": "none",
         "single_stack": True},
        {"name": "azl-b-storage2", "vlan": 714, "role": "storage", "ipv4": "10.71.4.0/24", "mtu": 9000, "gateway_on": "none",
         "single_stack": True},
    ]
    for i in range(200):
        vlan = 100 + i
        networks.append({"name": f"vm-{vlan}", "vlan": vlan, "role": "vm", "ipv4": f"10.64.{i}.0/24",
                         "ipv6": f"fd00:64:{vlan:x}::/64", "mtu": 1500})
    # reserved for a coming wave: VLAN, anycast gateway and VNI on racks 1 (EOS), 10 (NX-OS) and 12 (FRR) before any
    # cluster there uses it (one leaf named per pair: the MLAG pair-mate follows)
    networks.append({"name": "vm-300", "vlan": 300, "role": "vm", "ipv4": "10.65.44.0/24", "ipv6": "fd00:64:12c::/64",
                     "mtu": 1500, "leaves": ["leaf01a", "leaf10a", "leaf12a"],
                     "description": "reserved for the next wave: placed on racks 1, 10 and 12 ahead of the cut-over"})
    for net in networks:
        if net.get("gateway_on", "fabric") == "fabric":
            net["vrf"] = "ove" if net["name"].startswith("ove-") else "prod"
    # VMs of the first two VM networks take DHCP from Kea on infra1/infra2, relayed by the leaves
    kea = ["10.13.0.11", "10.13.0.12", "fd00:13::b", "fd00:13::c"]
    by_name = {net["name"]: net for net in networks}
    by_name["vm-100"]["dhcp"] = {"enabled": True, "servers": list(kea), "range4": "10.64.0.100-10.64.0.199",
                                 "range6": "fd00:64:64::1000-fd00:64:64::1fff"}
    by_name["vm-100"]["ipv6_hosts"] = {"mode": "dhcpv6"}
    by_name["vm-101"]["dhcp"] = {"enabled": True, "servers": list(kea), "range4": "10.64.1.100-10.64.1.199",
                                 "reserved": ["10.64.1.150-10.64.1.159"]}
    by_name["vm-101"]["ipv6_hosts"] = {"mode": "stateless"}
    bond_profiles = {
        "lacp-25g": {"mode": "802.3ad", "xmit_hash_policy": "layer3+4", "lacp_rate": "fast", "miimon": 100, "mtu": 9000},
        "active-backup": {"mode": "active-backup", "miimon": 100, "mtu": 9000},
        "lacp-edge": {"mode": "802.3ad", "xmit_hash_policy": "layer3+4", "lacp_rate": "fast", "miimon": 100, "mtu": 9000},
    }
    ove_nodes = []
    for n in range(1, 121):
        rack = (n - 1) // 15 + 1               # racks 1-8, 15 workers each
        p = (n - 1) % 15 + 1                   # host ports 1-15
        la, lb = leaves(rack)
        ove_nodes.append({"name": f"w{n:03d}", "id": n, "nics": {
            "ens1f0": f"{la}:{port(rack, p)}", "ens1f1": f"{lb}:{port(rack, p)}",
            "ens2f0": f"{la}:{port(rack, 16 + p)}", "ens2f1": f"{lb}:{port(rack, 16 + p)}"},
            "macs": {nic: mac(1, n, i) for i, nic in enumerate(("ens1f0", "ens1f1"))}})
    clusters = [{
        "name": "ove-prod", "platform": "ove",
        "description": "OpenShift Virtualization, 120 workers across racks 1-8",
        "networks": ["ove-mgmt", "ove-storage", "ove-livemig"] + [f"vm-{100 + i}" for i in range(200)],
        "bond": {"name": "bond0", "profile": "lacp-25g"}, "overlay": "geneve", "ipsec": False,
        "metallb": {"asn": 65300, "password_secret": "metallb-bgp-md5",
                    "pools": [{"name": "prod-vips", "ipv4": "10.250.0.0/24", "ipv6": "fd00:250::/120",
                               "communities": ["65000:100"],
                               "vips": [{"name": "api", "ipv4": "10.250.0.10", "ipv6": "fd00:250::a"},
                                        {"name": "apps", "ipv4": "10.250.0.11", "ipv6": "fd00:250::b"}]},
                              {"name": "internal-vips", "ipv4": "10.251.0.0/24", "ipv6": "fd00:251::/120",
                               "communities": ["65000:200"], "auto_assign": False, "export": False}]},
        "ove": {"vm_namespace": "vm-networks", "cni": "localnet", "ovs_bridge": "br-vms", "nncp_max_unavailable": "10%",
                "ocp_version": "4.18", "vm_layout": "dedicated",
                "vm_bond": {"name": "bond1", "profile": "lacp-25g", "nics": ["ens2f0", "ens2f1"]}},
        "nodes": ove_nodes,
    }, {
        "name": "ove-edge", "platform": "ove",
        "description": "OpenShift Virtualization edge cluster in rack 12: one bond shared by br-ex and the VM networks",
        "networks": ["ove-edge-mgmt"] + [f"vm-{290 + i}" for i in range(10)],
        "native_network": "ove-edge-mgmt",
        "bond": {"name": "bond0", "profile": "lacp-edge"}, "overlay": "geneve", "ipsec": False,
        "ove": {"vm_namespace": "vm-networks", "cni": "localnet", "nncp_max_unavailable": "1", "ocp_version": "4.17",
                "vm_layout": "shared"},
        "nodes": [{"name": f"e{n:02d}", "id": n, "nics": {"ens1f0": f"leaf12a:swp{n}", "ens1f1": f"leaf12b:swp{n}"},
                   "macs": {nic: mac(2, n, i) for i, nic in enumerate(("ens1f0", "ens1f1"))}} for n in range(1, 7)],
    }]
    # Azure Local: every machine of an instance on one ToR pair (Microsoft's placement rule), 16 nodes a rack;
    # azl-a takes Network ATC's automatic storage IPs, azl-b its own storage subnets (auto IP off).
    for cname, rack, mgmt, stor, vm_range, offset in (
            ("azl-a", 9, "azl-a-mgmt", ["azl-a-storage1", "azl-a-storage2"], range(100, 150), 0),
            ("azl-b", 11, "azl-b-mgmt", ["azl-b-storage1", "azl-b-storage2"], range(150, 200), 0)):
        nodes = []
        la, lb = leaves(rack)
        for n in range(1, 17):
            nodes.append({"name": f"{cname}-n{n:02d}", "id": n, "nics": {
                "pNIC01": f"{la}:{port(rack, n)}", "pNIC02": f"{lb}:{port(rack, n)}",
                "pNIC03": f"{la}:{port(rack, 20 + n)}", "pNIC04": f"{lb}:{port(rack, 20 + n)}"}})
        clusters.append({
            "name": cname, "platform": "azure_local",
            "description": f"Azure Local, 16 nodes on the ToR pair of rack {rack}",
            "networks": [mgmt] + stor + [f"vm-{v}" for v in vm_range], "address_offset": offset,
            "intents": [
                {"name": "mgmt_compute", "traffic": ["management", "compute"], "adapters": ["pNIC01", "pNIC02"],
                 "jumbo_packet": 1514, "switch": {"load_balancing": "HyperVPort", "enable_iov": False}},
                {"name": "storage", "traffic": ["storage"], "adapters": ["pNIC03", "pNIC04"], "storage_networks": stor,
                 "jumbo_packet": 9014, "rdma": "roce_v2",
                 "qos": {"priority_smb": 3, "priority_cluster": 7, "bandwidth_smb": 50, "override": True}},
            ],
            "storage": {"switchless": False, "auto_ip": cname == "azl-a"},
            "azure_local": {
                "azl-a": {"pxe": True, "infra_pool": {"size": 8},
                          "proxy": {"server": "http://10.0.0.80:3128", "bypass": ["*.corp.example.net"]}},
                "azl-b": {"naming_prefix": "azlb", "domain_fqdn": "ad.dc1.example.net",
                          "adou_path": "OU=azl-b,OU=AzureLocal,DC=ad,DC=dc1,DC=example,DC=net",
                          "infra_pool": {"start": "10.12.0.200", "end": "10.12.0.215"}, "management_vlan_on": "vnic",
                          "sdn": {"enabled": True, "mac_pool_start": "02:00:5e:12:00:00",
                                  "mac_pool_stop": "02:00:5e:12:ff:ff"}},
            }[cname],
            "nodes": nodes,
        })
    clusters.append({
        "name": "infra", "platform": "linux", "description": "Infrastructure hosts (DNS, DHCP, jump hosts) in rack 12",
        "networks": ["infra-mgmt"], "native_network": "infra-mgmt", "bond": {"name": "bond0", "profile": "active-backup"},
        "overlay": "none",
        "nodes": [{"name": f"infra{n}", "id": n, "nics": {"eno1": f"leaf12a:swp{40 + n}", "eno2": f"leaf12b:swp{40 + n}"}}
                  for n in range(1, 5)],
    })
    dump("vms.yml", "virtual machines (the migration inventory, as import_vmware would draft it)", {"dcnet_vms": vms(clusters)})
    dump("segmentation.yml", "east-west micro-segmentation of the VMs", {"dcnet_segmentation": segmentation()})
    dump("site.yml", "site and fabric", {"dcnet_site": site, "dcnet_fabric": fabric},
         comments={"      - 192.168.0.0/24": "fabric.management.pool4"}, tail=WAIVERS)
    dump("north_south.yml", "tenants (VRFs) and the way out", {"dcnet_vrfs": vrfs, "dcnet_external_peers": external_peers})
    dump("networks.yml", "networks and bond profiles", {"dcnet_networks": networks, "dcnet_bond_profiles": bond_profiles})
    dump("clusters.yml", "server clusters", {"dcnet_clusters": clusters})


if __name__ == "__main__":
    main()
