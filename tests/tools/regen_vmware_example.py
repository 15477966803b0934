"""Regenerate examples/vmware: the RVTools export, its import draft, and the reviewed inventory.

    examples/vmware/rvtools-small.xlsx       bench/rvtools_gen.py --example (the project's generator)
    examples/vmware/draft/                   what import_vmware writes from it (golden: tests compare)
    examples/vmware/inventory/group_vars/all the draft after the decisions of docs/migration.md
                                             (DECISIONS below), plus the site, the target clusters and waves

Run: .venv/bin/python tests/tools/regen_vmware_example.py
"""

from __future__ import annotations

import copy
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import conftest  # noqa: E402,F401  pylint: disable=unused-import
import rvtools_gen  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils.importer.run import import_rvtools  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.render import yamltext  # noqa: E402

EXAMPLE = os.path.join(ROOT, "examples", "vmware")
XLSX = os.path.join(EXAMPLE, "rvtools-small.xlsx")
DRAFT = os.path.join(EXAMPLE, "draft")
GROUP_VARS = os.path.join(EXAMPLE, "inventory", "group_vars", "all")

# The reviewer's decisions on the conflicts of draft/import_report.md (docs/migration.md walks through them).
DECISIONS = (
    "management-network (VLAN 10, ESXi vmkernel) is the site's mgmt network: its port group moves to mgmt",
    "10.100.0.13 used twice: cafe-web13 is the stale copy; it gets 10.100.0.14",
    "crm-vm00014 10.100.7.250 outside 10.100.1.0/24: a typo in the guest; the address is 10.100.1.250",
    "fw01 on the VGT trunk DPG-FW-TRUNK: stays on VMware (no wave); its NIC on no network is dropped",
    "VLAN 100 MTU 1500 vs 9000: 1500 kept (the legacy port group's VMs send 1500-byte frames)",
    "ESXi uplinks cabled from the rack elevation (RVTools has no CDP/LLDP): esx00N vmnic0-5 -> leaf01a/b swp3N, "
    "swp3(N+2), swp3(N+4)",
    "prod-cluster-01 address_offset 200: the hosts' vmk0 addresses on mgmt are 10.10.10.21N, as in vCenter",
)

# The migration targets beside the VMware cluster (not imported: the target design).
TARGET_CLUSTERS = [
    {"name": "ove-target", "platform": "ove",
     "networks": ["mgmt", "storage", "livemig", "dpg-shop-web-100", "dpg-crm-web-101", "dpg-erp-web-102"],
     "bond": {"name": "bond0", "profile": "lacp"}, "native_network": "mgmt", "ove": {"vm_layout": "shared"},
     "nodes": [{"name": f"ove-w{i}", "id": i, "nics": {"ens1f0": f"leaf01a:swp{i}", "ens1f1": f"leaf01b:swp{i}"}}
               for i in (1, 2)]},
    {"name": "azl-target", "platform": "azure_local",
     "networks": ["mgmt", "dpg-erp-web-102", "azl-storage1", "azl-storage2"], "address_offset": 100,
     "intents": [{"name": "mgmt_compute", "traffic": ["management", "compute"], "adapters": ["pNIC01", "pNIC02"],
                  "jumbo_packet": 1514},
                 {"name": "storage", "traffic": ["storage"], "adapters": ["pNIC03", "pNIC04"],
                  "storage_networks": ["azl-storage1", "azl-storage2"], "jumbo_packet": 9014, "rdma": "roce_v2"}],
     "nodes": [{"name": f"azl-n{i}", "id": i,
                "nics": {"pNIC01": f"leaf01a:swp{10 + i}", "pNIC02": f"leaf01b:swp{10 + i}",
                         "pNIC03": f"leaf01a:swp{20 + i}", "pNIC04": f"leaf01b:swp{20 + i}"}} for i in (1, 2)]},
]
UPLINK_PORTS = {"vmnic0": ("leaf01a", 0), "vmnic1": ("leaf01b", 0), "vmnic2": ("leaf01a", 2),
                "vmnic3": ("leaf01b", 2), "vmnic4": ("leaf01a", 4), "vmnic5": ("leaf01b", 4)}


def decide_clusters(clusters: list) -> list:
    """The drafted VMware cluster after DECISIONS (networks, cabling, address offset)."""
    out = []
    for cluster in copy.deepcopy(clusters):
        cluster["networks"] = ["mgmt" if n == "management-network" else n for n in cluster["networks"]]
        cluster["address_offset"] = 200
        for node in cluster["nodes"]:
            for nic in node["nics"]:
                leaf, step = UPLINK_PORTS[nic]
                node["nics"][nic] = f"{leaf}:swp{30 + node['id'] + step}"
        out.append(cluster)
    return out


def decide(networks: list, vms: list) -> tuple:
    """The draft after DECISIONS (pure: returns new lists); the management port groups go to mgmt (INFRA_NETWORKS)."""
    networks = [copy.deepcopy(n) for n in networks if n["name"] != "management-network"]
    vms = copy.deepcopy(vms)
    for vm in vms:
        for nic in vm.get("nics", []):
            if vm["name"] == "cafe-web13" and nic.get("ipv4") == ["10.100.0.13"]:
                nic["ipv4"] = ["10.100.0.14"]
            if vm["name"] == "crm-vm00014" and nic.get("ipv4") == ["10.100.7.250"]:
                nic["ipv4"] = ["10.100.1.250"]
        if vm["name"] == "fw01":
            vm["nics"] = [n for n in vm["nics"] if n.get("network") or n["name"] == "Network adapter 1"]
    return networks, vms


INFRA_NETWORKS = [
    {"name": "mgmt", "vlan": 10, "role": "management", "ipv4": "10.10.10.0/24", "ipv6": "fd00:10::/64", "mtu": 1500,
     "port_groups": [{"name": "Management Network", "switch": "vSwitch0"}]},
    {"name": "storage", "vlan": 20, "role": "storage", "ipv4": "10.20.0.0/24", "mtu": 9000, "gateway_on": "none",
     "single_stack": True},
    {"name": "livemig", "vlan": 30, "role": "live_migration", "ipv4": "10.30.0.0/24", "mtu": 9000, "gateway_on": "none",
     "single_stack": True},
    {"name": "azl-storage1", "vlan": 711, "role": "storage", "ipv4": "10.71.1.0/24", "mtu": 9000, "gateway_on": "none",
     "single_stack": True},
    {"name": "azl-storage2", "vlan": 712, "role": "storage", "ipv4": "10.71.2.0/24", "mtu": 9000, "gateway_on": "none",
     "single_stack": True},
]


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _write(path, header, data):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header + "---\n" + yamltext.dump(data))


def reviewed(draft_dir: str) -> dict:
    """{file name: data} of the reviewed inventory files built from a draft folder."""
    networks, vms = decide(_load(os.path.join(draft_dir, "networks.yml"))["dcnet_networks"],
                           _load(os.path.join(draft_dir, "vms.yml"))["dcnet_vms"])
    profiles = _load(os.path.join(draft_dir, "bond_profiles.yml"))["dcnet_bond_profiles"]
    profiles["lacp"] = {"mode": "802.3ad", "xmit_hash_policy": "layer3+4", "lacp_rate": "fast", "miimon": 100, "mtu": 9000}
    clusters = decide_clusters(_load(os.path.join(draft_dir, "clusters.yml"))["dcnet_clusters"])
    return {"networks.yml": {"dcnet_networks": INFRA_NETWORKS + networks, "dcnet_bond_profiles": profiles},
            "clusters.yml": {"dcnet_clusters": copy.deepcopy(TARGET_CLUSTERS) + clusters},
            "vms.yml": {"dcnet_vms": vms}}


def main():
    rvtools_gen.main(["--example", XLSX])
    os.makedirs(DRAFT, exist_ok=True)
    import_rvtools(XLSX, DRAFT)
    header = "# examples/vmware: the import draft after the decisions below (tests/tools/regen_vmware_example.py).\n" + \
        "".join(f"#  - {d}\n" for d in DECISIONS)
    for name, data in reviewed(DRAFT).items():
        _write(os.path.join(GROUP_VARS, name), header, data)
    print(f"wrote {XLSX}, {DRAFT}/ and {GROUP_VARS}/")


if __name__ == "__main__":
    main()
