"""Synthetic RVTools exports: the sheet layout of RVTools 4.x, N VMs, written with openpyxl.

Headers are the full lists of ../shared/reference/RVTOOLS.md (every column RVTools writes on the
sheets the importer reads, plus vMetaData and vSource), in RVTools' order; cells the importer does
not read are filled with plausible values so the file has the size and shape of a real export.

    python bench/rvtools_gen.py --vms 5000 --out /tmp/rvtools-5000.xlsx
    python bench/rvtools_gen.py --example examples/vmware/rvtools-small.xlsx

``estate(...)`` returns the rows as {sheet: [ {column: value} ]} so tests can edit rows before
``write_xlsx`` writes them (a conflict is one edited row).
"""

from __future__ import annotations

import argparse
import random
import sys

HEADERS = {
    "vInfo": (
        "VM|Powerstate|Template|SRM Placeholder|Config status|DNS Name|Connection state|Guest state|Heartbeat|"
        "Consolidation Needed|PowerOn|Suspended To Memory|Suspend time|Suspend Interval|Creation date|Change Version|"
        "CPUs|Overall Cpu Readiness|Memory|Active Memory|NICs|Disks|Total disk capacity MiB|Fixed Passthru HotPlug|"
        "min Required EVC Mode Key|Latency Sensitivity|Op Notification Timeout|EnableUUID|CBT|Primary IP Address|"
        "Network #1|Network #2|Network #3|Network #4|Network #5|Network #6|Network #7|Network #8|Num Monitors|"
        "Video Ram KiB|Resource pool|Folder ID|Folder|vApp|DAS protection|FT State|FT Role|FT Latency|FT Bandwidth|"
        "FT Sec. Latency|Vm Failover In Progress|Provisioned MiB|In Use MiB|Unshared MiB|HA Restart Priority|"
        "HA Isolation Response|HA VM Monitoring|Cluster rule(s)|Cluster rule name(s)|Boot Required|Boot delay|"
        "Boot retry delay|Boot retry enabled|Boot BIOS setup|Reboot PowerOff|EFI Secure boot|Firmware|HW version|"
        "HW upgrade status|HW upgrade policy|HW target|Path|Log directory|Snapshot directory|Suspend directory|"
        "Annotation|Backup status|ClusterInvariantVMMId|Last backup|Datacenter|Cluster|Host|"
        "OS according to the configuration file|OS according to the VMware Tools|Customization Info|"
        "Guest Detailed Data|VM ID|SMBIOS UUID|VM UUID|VI SDK Server type|VI SDK API Version|VI SDK Server|VI SDK UUID"),
    "vNetwork": (
        "VM|Powerstate|Template|SRM Placeholder|NIC label|Adapter|Network|Switch|Connected|Starts Connected|"
        "Mac Address|Type|IPv4 Address|IPv6 Address|Direct Path IO|Internal Sort Column|Annotation|Backup status|"
        "ClusterInvariantVMMId|Last backup|Datacenter|Cluster|Host|Folder|OS according to the configuration file|"
        "OS according to the VMware Tools|VM ID|VM UUID|VI SDK Server|VI SDK UUID"),
    "vSwitch": (
        "Host|Datacenter|Cluster|Switch|# Ports|Free Ports|Promiscuous Mode|Mac Changes|Forged Transmits|"
        "Traffic Shaping|Width|Peak|Burst|Policy|Reverse Policy|Notify Switch|Rolling Order|Offload|TSO|"
        "Zero Copy Xmit|MTU|VI SDK Server|VI SDK UUID"),
    "vPort": (
        "Host|Datacenter|Cluster|Port Group|Switch|VLAN|Promiscuous Mode|Mac Changes|Forged Transmits|"
        "Traffic Shaping|Width|Peak|Burst|Policy|Reverse Policy|Notify Switch|Rolling Order|Offload|TSO|"
        "Zero Copy Xmit|VI SDK Server|VI SDK UUID"),
    "dvSwitch": (
        "Switch|Datacenter|Name|Vendor|Version|Description|Created|Host members|Max Ports|# Ports|# VMs|"
        "In Traffic Shaping|In Avg|In Peak|In Burst|Out Traffic Shaping|Out Avg|Out Peak|Out Burst|CDP Type|"
        "CDP Operation|LACP Name|LACP Mode|LACP Load Balance Alg.|Max MTU|Contact|Admin Name|Object ID|"
        "Backup status|ClusterInvariantVMMId|Last backup|VI SDK Server|VI SDK UUID"),
    "dvPort": (
        "Port|Switch|Type|# Ports|VLAN|Speed|Full Duplex|Blocked|Allow Promiscuous|Mac Changes|Active Uplink|"
        "Standby Uplink|Policy|Forged Transmits|In Traffic Shaping|In Avg|In Peak|In Burst|Out Traffic Shaping|"
        "Out Avg|Out Peak|Out Burst|Reverse Policy|Notify Switch|Rolling Order|Check Beacon|Live Port Moving|"
        "Check Duplex|Check Error %|Check Speed|Percentage|Block Override|Config Reset|Shaping Override|"
        "Vendor Config Override|Sec. Policy Override|Teaming Override|Vlan Override|Object ID|VI SDK Server|"
        "VI SDK UUID"),
    "vHost": (
        "Host|Datacenter|Cluster|Config status|Compliance Check State|in Maintenance Mode|in Quarantine Mode|"
        "vSAN Fault Domain Name|CPU Model|Speed|HT Available|HT Active|# CPU|Cores per CPU|# Cores|CPU usage %|"
        "# Memory|Memory Tiering Type|Memory usage %|Console|# NICs|# HBAs|# VMs total|# VMs|VMs per Core|# vCPUs|"
        "vCPUs per Core|vRAM|VM Used memory|VM Memory Swapped|VM Memory Ballooned|VMotion support|"
        "Storage VMotion support|Current EVC|Max EVC|Assigned License(s)|ATS Heartbeat|ATS Locking|"
        "Current CPU power man. policy|Supported CPU power man.|Host Power Policy|ESX Version|Boot time|DNS Servers|"
        "DHCP|Domain|Domain List|DNS Search Order|NTP Server(s)|NTPD running|Time Zone|Time Zone Name|GMT Offset|"
        "Vendor|Model|Serial number|Service tag|OEM specific string|BIOS Vendor|BIOS Version|BIOS Date|"
        "Certificate Issuer|Certificate Start Date|Certificate Expiry Date|Certificate Status|Certificate Subject|"
        "Object ID|AutoDeploy.MachineIdentity|Backup status|ClusterInvariantVMMId|Last backup|UUID|VI SDK Server|"
        "VI SDK UUID"),
    "vNIC": ("Host|Datacenter|Cluster|Network Device|Driver|Speed|Duplex|MAC|Switch|Uplink port|PCI|WakeOn|"
             "VI SDK Server|VI SDK UUID"),
    "vSource": ("Name|OS type|API type|API version|Version|Patch level|Build|Fullname|Product name|Product version|"
                "Product line|Vendor|VI SDK Server|VI SDK UUID"),
    "vMetaData": "RVTools major version|RVTools version|xlsx creation datetime|Server",
}
HEADERS = {sheet: tuple(text.split("|")) for sheet, text in HEADERS.items()}
VCENTER = "vc01.dc1.example.net"
SDK_UUID = "5f1c2a9e-0d7b-4e53-9d2e-1a2b3c4d5e6f"
APPS = ("shop", "crm", "erp", "hr", "billing", "portal", "search", "mail", "wiki", "ci", "dwh", "api")
TIERS = (("web", 2), ("app", 3), ("db", 4))


def _filler(column: str, rng: random.Random):
    """A plausible value for a column the importer does not read (keeps the file's size realistic)."""
    if column in ("VI SDK Server",):
        return VCENTER
    if column == "VI SDK UUID":
        return SDK_UUID
    if column.startswith("#") or column in ("CPUs", "Memory", "Disks", "NICs", "Max Ports", "Speed", "Percentage"):
        return rng.choice((2, 4, 8, 16, 128))
    if "MiB" in column or "KiB" in column:
        return rng.randrange(1024, 512000)
    if column in ("Datacenter",):
        return "DC1"
    if column.endswith("date") or column.endswith("datetime") or column == "Created":
        return "2024-05-17 10:21:33"
    return ""


def add_vmnic(rows, host, cluster, h, n, switch):
    """A vNIC row: physical NIC vmnic<n> of host number h, an uplink of ``switch``."""
    rows["vNIC"].append({"Host": host, "Datacenter": "DC1", "Cluster": cluster, "Network Device": f"vmnic{n}",
                         "Driver": "bnxtnet", "Speed": 25000, "Duplex": True,
                         "MAC": f"b0:26:28:{h >> 8:02x}:{h & 255:02x}:{n:02x}", "Switch": switch,
                         "Uplink port": f"uplink{n - 1}" if switch.startswith("dvs") else "",
                         "PCI": f"0000:3b:00.{n}"})


def estate(vms: int = 100, vlans: int | None = None, hosts: int | None = None) -> dict:
    """Rows of every sheet for an estate of ``vms`` VMs on one dvSwitch and per-host standard vSwitches."""
    hosts = hosts or max(2, vms // 25)
    vlans = vlans or max(3, min(400, vms // 12))
    host_names = [f"esx{h:03d}.dc1.example.net" for h in range(1, hosts + 1)]
    clusters = {h: f"Prod-Cluster-{(i // 16) + 1:02d}" for i, h in enumerate(host_names)}
    rows = {sheet: [] for sheet in HEADERS}
    rows["vMetaData"].append({"RVTools major version": 4, "RVTools version": "4.7.1.4",
                              "xlsx creation datetime": "2026-11-30 08:00:00", "Server": VCENTER})
    rows["vSource"].append({"Name": VCENTER, "API type": "VirtualCenter", "API version": "8.0.3.0",
                            "Product name": "VMware vCenter Server"})
    rows["dvSwitch"].append({"Switch": "dvs-prod", "Name": "dvs-prod", "Vendor": "VMware, Inc.", "Version": "8.0.0",
                             "Host members": hosts, "Max MTU": 9000, "Object ID": "dvs-21"})
    for h, host in enumerate(host_names, 1):
        rows["vHost"].append({"Host": host, "Datacenter": "DC1", "Cluster": clusters[host], "# NICs": 4,
                              "ESX Version": "VMware ESXi 8.0.3 build-24022510", "Vendor": "Dell Inc.",
                              "Model": "PowerEdge R760", "Object ID": f"host-{100 + h}"})
        for n, switch in enumerate(("vSwitch0", "vSwitch0", "dvs-prod", "dvs-prod")):
            add_vmnic(rows, host, clusters[host], h, n, switch)
        rows["vSwitch"].append({"Host": host, "Cluster": clusters[host], "Switch": "vSwitch0", "MTU": 1500,
                                "Policy": "failover_explicit", "Promiscuous Mode": False, "Mac Changes": False,
                                "Forged Transmits": False})
        rows["vPort"].append({"Host": host, "Cluster": clusters[host], "Port Group": "Management Network",
                              "Switch": "vSwitch0", "VLAN": 10, "Promiscuous Mode": False, "Mac Changes": False,
                              "Forged Transmits": False, "Policy": "failover_explicit"})
    port_groups = []
    for i in range(vlans):
        vlan = 100 + i
        app, (tier, octet2) = APPS[i % len(APPS)], TIERS[(i // len(APPS)) % len(TIERS)]
        name = f"DPG-{app.upper()}-{tier.upper()}-{vlan}"
        port_groups.append((name, vlan, f"10.{100 + i // 256}.{i % 256}.", f"2001:db8:{vlan:x}::", app))
        rows["dvPort"].append({"Port": name, "Switch": "dvs-prod", "Type": "earlyBinding", "# Ports": 128, "VLAN": vlan,
                               "Allow Promiscuous": False, "Mac Changes": False, "Forged Transmits": False,
                               "Policy": "loadbalance_srcid", "Object ID": f"dvportgroup-{1000 + i}"})
    for n in range(1, vms + 1):
        pg, vlan, net4, net6, app = port_groups[(n - 1) % vlans]
        host = host_names[(n - 1) % hosts]
        name = f"{app}-vm{n:05d}"
        power = "poweredOn" if n % 17 else "poweredOff"
        moref = f"vm-{10000 + n}"
        uuid = f"42{n:06x}-aaaa-bbbb-cccc-{n:012x}"
        host_part = 10 + (n - 1) // vlans
        ipv4 = f"{net4}{host_part}"
        ipv6 = f"{net6}{host_part:x}"
        mac = f"00:50:56:{(n >> 16) & 0xff:02x}:{(n >> 8) & 0xff:02x}:{n & 0xff:02x}"
        rows["vInfo"].append({"VM": name, "Powerstate": power, "Template": False, "Folder": f"/Prod/{app}",
                              "Datacenter": "DC1", "Cluster": clusters[host], "Host": host, "VM ID": moref,
                              "VM UUID": uuid, "Primary IP Address": ipv4, "Network #1": pg, "NICs": 1,
                              "OS according to the configuration file": "Red Hat Enterprise Linux 9 (64-bit)"})
        rows["vNetwork"].append({"VM": name, "Powerstate": power, "Template": False, "NIC label": "Network adapter 1",
                                 "Adapter": "vmxnet3", "Network": pg, "Switch": "dvs-prod", "Connected": power == "poweredOn",
                                 "Starts Connected": True, "Mac Address": mac, "Type": "Assigned",
                                 "IPv4 Address": ipv4 if power == "poweredOn" else "",
                                 "IPv6 Address": ipv6 if power == "poweredOn" else "",
                                 "Datacenter": "DC1", "Cluster": clusters[host], "Host": host, "Folder": f"/Prod/{app}",
                                 "VM ID": moref, "VM UUID": uuid})
    return rows


def example() -> dict:
    """The small estate of examples/vmware: a dozen VMs and one of each conflict the import reports."""
    rows = estate(vms=12, vlans=3, hosts=2)
    app = rows["dvPort"][1]["Port"]
    # a standard port group on the web VLAN, with IP hash teaming and a 1500 MTU vSwitch
    for h, host in enumerate(("esx001.dc1.example.net", "esx002.dc1.example.net"), 1):
        for n in (4, 5):
            add_vmnic(rows, host, "Prod-Cluster-01", h, n, "vSwitch1")
        rows["vSwitch"].append({"Host": host, "Cluster": "Prod-Cluster-01", "Switch": "vSwitch1", "MTU": 1500,
                                "Policy": "loadbalance_ip", "Promiscuous Mode": False, "Mac Changes": False,
                                "Forged Transmits": False})
        rows["vPort"].append({"Host": host, "Cluster": "Prod-Cluster-01", "Port Group": "Legacy Web", "Switch": "vSwitch1",
                              "VLAN": 100, "Promiscuous Mode": False, "Mac Changes": True, "Forged Transmits": False,
                              "Policy": "loadbalance_ip"})
    rows["dvPort"].append({"Port": "DPG-FW-TRUNK", "Switch": "dvs-prod", "Type": "earlyBinding", "VLAN": "4095",
                           "Allow Promiscuous": True, "Mac Changes": True, "Forged Transmits": True,
                           "Policy": "loadbalance_srcid", "Object ID": "dvportgroup-1090"})
    # a firewall VM on the trunk, a VM with a non-ASCII name on the legacy port group, a stray address
    extra = [("fw01", "DPG-FW-TRUNK", "", "00:50:56:00:10:01", "/Prod/network"),
             ("café-web13", "Legacy Web", "10.100.0.13", "00:50:56:00:10:02", "/Prod/shop"),
             ("crm-vm00014", app, "10.100.7.250", "00:50:56:00:10:03", "/Prod/crm")]
    for name, pg, ipv4, mac, folder in extra:
        rows["vInfo"].append({"VM": name, "Powerstate": "poweredOn", "Template": False, "Folder": folder,
                              "Datacenter": "DC1", "Cluster": "Prod-Cluster-01", "Host": "esx001.dc1.example.net",
                              "VM ID": f"vm-2{len(rows['vInfo']):04d}"})
        rows["vNetwork"].append({"VM": name, "Powerstate": "poweredOn", "Template": False,
                                 "NIC label": "Network adapter 1", "Adapter": "vmxnet3", "Network": pg,
                                 "Switch": "dvs-prod" if pg.startswith("DPG") else "vSwitch1", "Connected": True,
                                 "Mac Address": mac, "IPv4 Address": ipv4, "IPv6 Address": ""})
    rows["vNetwork"].append({"VM": "fw01", "Powerstate": "poweredOn", "NIC label": "Network adapter 2",
                             "Adapter": "vmxnet3", "Network": "", "Connected": False, "Mac Address": "00:50:56:00:10:04",
                             "IPv4 Address": "", "IPv6 Address": ""})
    # a VM template (not migrated) that shares a MAC with a real VM would hide nothing: templates are skipped
    rows["vInfo"].append({"VM": "rhel9-template", "Powerstate": "poweredOff", "Template": True, "Folder": "/Templates"})
    return rows


def write_xlsx(rows: dict, path: str, fill: bool = True, seed: int = 1, headers: dict | None = None) -> None:
    """Write the rows as an RVTools-layout workbook (write-only openpyxl: fast and small in memory).

    ``headers`` replaces the sheets and their header rows (tests drop a sheet or rename a column).
    """
    import openpyxl

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    for sheet, header in (HEADERS if headers is None else headers).items():
        ws = workbook.create_sheet(sheet)
        ws.append(list(header))
        for row in rows.get(sheet, ()):
            ws.append([row[c] if c in row else (_filler(c, rng) if fill else None) for c in header])
    workbook.save(path)


def _fix_zip_times(path: str) -> None:
    """Rewrite the archive with fixed timestamps so the same rows give the same bytes (a committed example)."""
    import zipfile

    with zipfile.ZipFile(path) as src:
        items = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in items:
            if name == "docProps/core.xml":
                import re
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<", rb"<dcterms:\1\2>2026-01-01T00:00:00Z<", data)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=5000)
    parser.add_argument("--out", default="rvtools.xlsx")
    parser.add_argument("--example", metavar="PATH", help="write the small example estate to PATH")
    args = parser.parse_args(argv)
    if args.example:
        write_xlsx(example(), args.example)
        _fix_zip_times(args.example)
        print(f"wrote {args.example}")
    else:
        write_xlsx(estate(args.vms), args.out)
        _fix_zip_times(args.out)
        print(f"wrote {args.out} ({args.vms} VMs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
