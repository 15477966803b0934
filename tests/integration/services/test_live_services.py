"""DHCP and DNS from the rendered files, live in network namespaces.

What stands for what (everything stays inside namespaces this test creates, prefix dcnet-svc-<pid>):

* ``<prefix>-leaf01a``: the FRR leaf leaf01a of ``served_small()`` (examples/small plus an infra
  cluster serving DHCP/DNS), built by tests/lab/fabric_lab.py from its structured config and running
  the rendered frr.conf. Its SVIs are veth ends named like the SVIs (``vlan10``, ``vlan13``): this
  kernel has no 8021q devices, so an untagged veth stands for each VLAN. The anycast gateway addresses
  (``address-virtual`` on a real leaf) are added to the same veth. isc-dhcp-relay runs there with the
  arguments of the relay files the build writes beside the leaf's config (``switches/leaf01a.isc-dhcp-relay``
  for DHCPv4 dhcrelay, ``switches/leaf01a.isc-dhcp-relay6`` for dhcrelay -6), with the command lines
  the services build from them (``fabric_lab.dhcrelay_argv``).
* ``<prefix>-infra1``: the node infra1 on network infra (VLAN 13) with its derived addresses
  (10.13.0.11, fd00:13::b) on a veth named as the model names its interface (``bond0.13``), running Kea DHCPv4, Kea DHCPv6 and BIND (named) with the rendered
  configs and zones.
* ``<prefix>-client``: a host on network mgmt (VLAN 10), ``eth0``, running dhclient -4 and dhclient -6 with a
  script that only records the lease (no change to the machine's resolv.conf).

The client must get an address from the rendered pools, the router/DNS/domain options, and resolve
a node forward and reverse through the BIND instance, over the leaf.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.render import dhcp as dhcp_render

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit"))

import fabric_lab  # noqa: E402
from dns_dhcp.models import KEA4, KEA6, served_small  # noqa: E402
from errors.harness import TODAY  # noqa: E402

TOOLS = ("/usr/sbin/kea-dhcp4", "/usr/sbin/kea-dhcp6", "/usr/sbin/named", "/usr/sbin/dhcrelay", "/usr/sbin/dhclient",
         "/usr/bin/dig")


def _why_not():
    reason = fabric_lab.why_not_possible()
    if reason:
        return reason
    missing = [t for t in TOOLS if not os.path.exists(t)]
    if missing:
        return (f"{', '.join(missing)} missing (Debian kea-dhcp4-server kea-dhcp6-server bind9 isc-dhcp-relay "
                "isc-dhcp-client bind9-dnsutils; make system-deps installs them)")
    return None


REASON = _why_not()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

LEASE_SCRIPT = """#!/bin/sh
# dhclient script of the test: record what the server handed out, change nothing on the machine
env | grep -E '^(reason|new_|interface)' | sort > "$(dirname "$0")/lease-$reason-$$.env"
exit 0
"""


def sh(argv, timeout=30, check=True):
    return fabric_lab.sh(argv, check=check, timeout=timeout)


def _bg(procs, ns, argv, log):
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(["ip", "netns", "exec", ns] + argv, stdout=handle, stderr=subprocess.STDOUT)
    procs.append((proc, handle))
    return proc


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _leases(scratch, reason):
    found = []
    for name in sorted(os.listdir(scratch)):
        if name.startswith(f"lease-{reason}-"):
            with open(os.path.join(scratch, name), encoding="utf-8") as handle:
                found.append(dict(line.rstrip("\n").split("=", 1) for line in handle if "=" in line))
    return found


def test_relayed_dhcp_and_dns(tmp_path):
    result = pipeline.build(served_small(), from_vars=False, today=TODAY)
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert not errors, errors
    files, design = result["files"], result["design"]
    leaf = design["switches"]["leaf01a"]
    services = design["services"]
    relay = {name: files[f"switches/leaf01a.{name}"] for name in ("isc-dhcp-relay", "isc-dhcp-relay6")}
    # the files the FRR renderer wrote from the leaf's structured config are the ones the site design gives
    assert relay == dhcp_render.relay_files(services["dhcp"]["gateways"]["leaf01a"],
                                            services["dhcp"]["relay_uplinks"]["leaf01a"])
    scratch = str(tmp_path)
    prefix = f"dcnet-svc-{os.getpid()}"
    state = os.path.join(scratch, "lab.json")
    lab = fabric_lab.Lab({"leaf01a": leaf}, state, prefix=prefix)
    procs = []
    try:
        lab.up({"leaf01a": files["switches/leaf01a.cfg"]})
        leaf_ns, server_ns, client_ns = lab.ns("leaf01a"), f"{prefix}-infra1", f"{prefix}-client"
        for ns in (server_ns, client_ns):
            lab.add_namespace(ns)  # recorded in the state file: teardown removes it and kills what runs there
            for key in ("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"):
                sh(["ip", "netns", "exec", ns, "sysctl", "-qw", key])
        sh(["vtysh", "-N", leaf_ns, "-f", os.path.join(scratch, _write(scratch, "frr.conf", files["switches/leaf01a.cfg"]))],
           timeout=60, check=False)
        svis = {v["name"]: v["svi"] for v in leaf["vlans"] if v["svi"]}
        # the far end of each SVI veth goes to the host namespace on that VLAN, named as the host names it
        infra = design["nodes"]["infra1"]["vlan_interfaces"][0]
        for ns, net, name in ((server_ns, "infra", infra["name"]), (client_ns, "mgmt", "eth0")):
            iface = svis[net]["interface"]
            sh(["ip", "-n", leaf_ns, "link", "set", f"{iface}-srv", "netns", ns, "name", name])
            sh(["ip", "-n", ns, "link", "set", name, "up"])
            for cidr in (svis[net]["gateway4_cidr"], svis[net]["gateway6_cidr"]):
                sh(["ip", "-n", leaf_ns, "addr", "add", cidr, "dev", iface] + (["nodad"] if ":" in cidr else []))
        sh(["ip", "-n", server_ns, "addr", "add", infra["ipv4"][0], "dev", infra["name"]])
        sh(["ip", "-n", server_ns, "addr", "add", infra["ipv6"][0], "dev", infra["name"], "nodad"])
        sh(["ip", "-n", server_ns, "route", "add", "default", "via", infra["gateway4"]])
        sh(["ip", "-n", server_ns, "-6", "route", "add", "default", "via", infra["gateway6"]])
        assert infra["ipv4"][0].split("/")[0] == KEA4 and infra["ipv6"][0].split("/")[0] == KEA6

        # Kea with the rendered configs; only the lease and DUID files move to the test's scratch directory
        env = f"KEA_PIDFILE_DIR={scratch} KEA_LOCKFILE_DIR={scratch}"
        for fam in (4, 6):
            config = json.loads(files["dhcp/kea-dhcp4.json" if fam == 4 else "dhcp/kea-dhcp6-infra1.json"])
            config[f"Dhcp{fam}"]["lease-database"]["name"] = os.path.join(scratch, f"leases{fam}.csv")
            if fam == 6:
                config["Dhcp6"]["data-directory"] = scratch  # the server DUID file (/var/lib/kea on a server)
            path = _write(scratch, f"kea{fam}.json", json.dumps(config))
            _bg(procs, server_ns, ["sh", "-c", f"{env} exec kea-dhcp{fam} -c {path}"], os.path.join(scratch, f"kea{fam}.log"))

        # BIND with the rendered zone statements and zones
        zones = os.path.join(scratch, "bind")
        for name, text in files.items():
            if name.startswith("dns/"):
                _write(zones, name[len("dns/"):], text)
        named_conf = _write(scratch, "named.conf", (
            f'options {{ directory "{zones}"; pid-file "{scratch}/named.pid"; listen-on {{ {KEA4}; }};\n'
            f'  listen-on-v6 {{ {KEA6}; }}; recursion no; allow-query {{ any; }}; }};\n'
            f'include "{zones}/named.conf";\n'))
        sh(["named-checkconf", "-z", named_conf])
        _bg(procs, server_ns, ["named", "-g", "-c", named_conf], os.path.join(scratch, "named.log"))

        # the relays, with the arguments of the rendered files (as /etc/init.d/isc-dhcp-relay builds them)
        argv4 = fabric_lab.dhcrelay_argv("isc-dhcp-relay", relay["isc-dhcp-relay"])
        argv6 = fabric_lab.dhcrelay_argv("isc-dhcp-relay6", relay["isc-dhcp-relay6"])
        assert argv4[-1] == KEA4 and "-id" in argv4 and "vlan10" in argv4, argv4
        _bg(procs, leaf_ns, argv4, os.path.join(scratch, "relay4.log"))
        _bg(procs, leaf_ns, argv6, os.path.join(scratch, "relay6.log"))
        _wait(lambda: _listening(server_ns, "67") and _listening(server_ns, "547") and _listening(server_ns, "53"),
              20, "Kea and BIND to listen")

        # the client on VLAN 10
        script = _write(scratch, "lease.sh", LEASE_SCRIPT)
        os.chmod(script, 0o755)
        conf = _write(scratch, "dhclient.conf", "timeout 30;\nretry 1;\n"
                      "request subnet-mask, routers, domain-name-servers, domain-name, dhcp6.name-servers, dhcp6.domain-search;\n")
        for fam in ("-4", "-6"):
            sh(["ip", "netns", "exec", client_ns, "dhclient", fam, "-1", "-v", "-cf", conf, "-sf", script,
                "-lf", os.path.join(scratch, f"client{fam}.leases"), "-pf", os.path.join(scratch, f"client{fam}.pid"),
                "eth0"], timeout=60)
        bound4 = _leases(scratch, "BOUND")
        bound6 = _leases(scratch, "BOUND6")
        assert bound4 and bound6, os.listdir(scratch)
        lease4, lease6 = bound4[0], bound6[0]
        scope4 = services["dhcp"]["scopes4"][0]
        scope6 = services["dhcp"]["scopes6"][0]
        assert _in_pools(lease4["new_ip_address"], scope4["pools"]), (lease4, scope4["pools"])
        assert lease4["new_routers"] == "10.10.10.1"
        assert lease4["new_domain_name_servers"] == KEA4
        assert lease4["new_domain_name"] == "small.example.net"
        assert _in_pools(lease6["new_ip6_address"], scope6["pools"]), (lease6, scope6["pools"])
        assert lease6["new_dhcp6_name_servers"] == KEA6

        # DNS through the leaf: the client takes its lease and asks the BIND instance for a node
        sh(["ip", "-n", client_ns, "addr", "add", f"{lease4['new_ip_address']}/24", "dev", "eth0"])
        sh(["ip", "-n", client_ns, "route", "add", "default", "via", lease4["new_routers"]])

        def dig(*args):
            return sh(["ip", "netns", "exec", client_ns, "dig", "+short", "+time=2", "+tries=3", f"@{KEA4}"] + list(args)
                      ).stdout.split()

        assert dig("ove-w1.small.example.net", "A") == ["10.10.10.11"]
        assert dig("ove-w1.small.example.net", "AAAA") == ["fd00:10::b"]
        assert dig("-x", "10.10.10.11") == ["ove-w1.small.example.net."]
        assert dig("-x", "fd00:10::b") == ["ove-w1.small.example.net."]
        assert dig("leaf01a.small.example.net", "A") == ["10.255.0.65"]
    finally:
        for proc, handle in procs:
            proc.terminate()
        for proc, handle in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
            handle.close()
        problems = fabric_lab.teardown(state)
        assert fabric_lab.leftovers(prefix) == [] and not problems, problems
        if os.environ.get("DCNET_KEEP_LOGS"):
            shutil.copytree(scratch, os.environ["DCNET_KEEP_LOGS"], dirs_exist_ok=True)


def _write(folder, name, text):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _listening(ns, port):
    out = sh(["ip", "netns", "exec", ns, "ss", "-lnu"], check=False).stdout
    return f":{port} " in out


def _in_pools(address, pools):
    ip = ipaddress.ip_address(address)
    for pool in pools:
        first, last = (ipaddress.ip_address(p.strip()) for p in pool.split(" - "))
        if first <= ip <= last:
            return True
    return False
