"""IPv6 router advertisements from the rendered frr.conf, seen live by hosts in network namespaces.

The FRR leaf leaf01a of ``served_small()`` runs the rendered frr.conf (zebra sends the RAs) in
``dcnet-ra-<pid>-leaf01a``; each SVI is an untagged veth named like the SVI (this kernel has no
8021q devices), and its far end is ``eth0`` of a host namespace on that VLAN. The networks cover
every kind of RA policy the model has:

* mgmt (VLAN 10): mode dhcpv6, M and O flags set, prefix advertised on-link but not for SLAAC;
* vm-web (VLAN 100): mode slaac with a router lifetime and interval of its own;
* vm-db (VLAN 101): mode stateless (O flag only, prefix for SLAAC);
* infra (VLAN 13): mode static, RA suppressed: a solicitation gets no answer.

A host solicits with ``rdisc6`` (Debian ndisc6) and must see exactly the flags, prefix and lifetime
the design rendered; nothing leaves the namespaces the test creates.
"""

from __future__ import annotations

import os
import re
import shutil
import sys

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit"))

import fabric_lab  # noqa: E402
from dns_dhcp.models import served_small  # noqa: E402
from errors.harness import TODAY  # noqa: E402

RDISC6 = "/usr/bin/rdisc6"

# the RA policies under test, on top of served_small() (mgmt is dhcpv6 there, infra static by default)
POLICIES = [
    {"op": "set", "path": "networks[vm-web].ipv6_hosts", "value": {"mode": "slaac", "router_lifetime": 600, "ra_interval": 30}},
    {"op": "set", "path": "networks[vm-db].ipv6_hosts", "value": {"mode": "stateless", "router_lifetime": 0}},
    # stateless DHCPv6 needs a server and a relay to it (DHCPv6 server or relay rule)
    {"op": "set", "path": "networks[vm-db].dhcp", "value": {"servers": ["fd00:13::b"]}},
]


def _why_not():
    reason = fabric_lab.why_not_possible()
    if reason:
        return reason
    if not os.path.exists(RDISC6):
        return f"{RDISC6} missing (Debian ndisc6; make system-deps installs it)"
    return None


REASON = _why_not()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def rdisc6(ns, iface="eth0"):
    """{field: value} of the first RA answering a solicitation on ``iface``, or None when none came."""
    proc = fabric_lab.sh(["ip", "netns", "exec", ns, RDISC6, "-1", "-w", "1500", "-r", "3", iface], check=False, timeout=30)
    if proc.returncode != 0:
        return None
    out, prefixes, current = {}, [], None
    for line in proc.stdout.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "Prefix":
            current = {"prefix": value}
            prefixes.append(current)
        elif current is not None and key in ("On-link", "Autonomous address conf.", "Valid time", "Pref. time"):
            current[key] = value
        else:
            out.setdefault(key, value)
    out["prefixes"] = prefixes
    return out


def seconds(text):
    """'1800 (0x00000708) seconds' -> 1800."""
    return int(re.match(r"\s*(\d+)", text).group(1))


def test_hosts_see_the_rendered_router_advertisements(tmp_path):
    result = pipeline.build(served_small(POLICIES), from_vars=False, today=TODAY)
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert not errors, errors
    files, design = result["files"], result["design"]
    leaf = design["switches"]["leaf01a"]
    svis = {v["name"]: v["svi"] for v in leaf["vlans"] if v["svi"]}
    expected = {name: svi["ipv6_ra"] for name, svi in svis.items() if svi["ipv6_ra"] is not None}
    assert {n: (p["enabled"] and (p["managed"], p["other"], p["autonomous"])) for n, p in expected.items()} == {
        "mgmt": (True, True, False), "vm-web": (False, False, True), "vm-db": (False, True, True), "infra": False}

    scratch = str(tmp_path)
    prefix = f"dcnet-ra-{os.getpid()}"
    state = os.path.join(scratch, "lab.json")
    lab = fabric_lab.Lab({"leaf01a": leaf}, state, prefix=prefix)
    try:
        lab.up({"leaf01a": files["switches/leaf01a.cfg"]})
        leaf_ns = lab.ns("leaf01a")
        conf = os.path.join(scratch, "frr.conf")
        with open(conf, "w", encoding="utf-8") as handle:
            handle.write(files["switches/leaf01a.cfg"])
        fabric_lab.sh(["vtysh", "-N", leaf_ns, "-f", conf], timeout=60, check=False)
        running = fabric_lab.sh(["vtysh", "-N", leaf_ns, "-c", "show running-config"], timeout=30).stdout
        # every RA line the file holds is in zebra's running config (frr-reload.py then sees no difference)
        rendered = [ln.strip() for ln in files["switches/leaf01a.cfg"].splitlines() if ln.strip().startswith(("ipv6 nd", "no ipv6 nd"))]
        assert rendered and all(f" {ln}\n" in running for ln in rendered), (rendered, running)

        hosts = {}
        for name in expected:
            ns = f"{prefix}-{name}"
            lab.add_namespace(ns)  # recorded in the state file: teardown removes it
            for key in ("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"):
                fabric_lab.sh(["ip", "netns", "exec", ns, "sysctl", "-qw", key])  # solicit at once from the link-local
            fabric_lab.sh(["ip", "-n", leaf_ns, "link", "set", f"{svis[name]['interface']}-srv", "netns", ns, "name", "eth0"])
            fabric_lab.sh(["ip", "-n", ns, "link", "set", "eth0", "up"])
            hosts[name] = ns

        # the suppressed ones last: by then the leaf has answered on the others, so silence is the policy
        for name, policy in sorted(expected.items(), key=lambda item: (not item[1]["enabled"], item[0])):
            seen = rdisc6(hosts[name])
            if not policy["enabled"]:
                assert seen is None, f"{name}: RA suppressed in the design, but the leaf answered: {seen}"
                continue
            assert seen is not None, f"{name}: no router advertisement within 3 solicitations"
            assert seen["Stateful address conf."] == ("Yes" if policy["managed"] else "No"), (name, seen)
            assert seen["Stateful other conf."] == ("Yes" if policy["other"] else "No"), (name, seen)
            assert seconds(seen["Router lifetime"]) == policy["router_lifetime"], (name, seen)
            advertised = {p["prefix"]: p for p in seen["prefixes"]}
            assert list(advertised) == [policy["prefix"]], (name, seen)
            info = advertised[policy["prefix"]]
            assert info["On-link"] == "Yes" and info["Autonomous address conf."] == ("Yes" if policy["autonomous"] else "No"), \
                (name, info)
    finally:
        problems = fabric_lab.teardown(state)
        assert fabric_lab.leftovers(prefix) == [] and not problems, problems
        if os.environ.get("DCNET_KEEP_LOGS"):
            shutil.copytree(scratch, os.environ["DCNET_KEEP_LOGS"], dirs_exist_ok=True)
