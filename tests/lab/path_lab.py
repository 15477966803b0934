# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The explained path against a real FRR fabric in network namespaces (issue #22, item 4).

A two-rack site (one FRR leaf per rack, two spines, eBGP with BFD, rendered by the
collection and loaded with vtysh) and two hosts: h1 on net-a (VLAN 10, MTU 9000) in
rack 1 and h2 on net-b (VLAN 20, MTU 1500) in rack 2. Each host is a namespace whose
interface is the far end of the leaf's SVI veth (this kernel has no 8021q or VLAN-aware
bridge, so the VLAN itself is not on the wire here), with the node address of the model,
its default route to the anycast gateway, which the lab puts on the SVI.

Then ``dcnet.fabric.path`` explains h1 -> h2 and the lab checks it against reality:
the leaves and the one spine the pings actually cross (byte counters of every switch
interface, per direction), the largest packet that passes (``ping -M do``) and the
FRR verification commands of the explanation (their output must match).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fabric_lab  # noqa: E402
from fabric_lab import sh  # noqa: E402

SITE = {
    "site": {"name": "pathlab"},
    "fabric": {"platform": "frr", "mtu": 9216, "overlay": "none", "asn": {"spine": 65000, "leaf_base": 65100},
               "pools": {"loopback4": "10.255.0.0/24", "p2p4": "10.254.0.0/24"},
               "bfd": {"interval_ms": 300, "multiplier": 3},
               "spines": [{"name": "spine1", "id": 1}, {"name": "spine2", "id": 2}],
               "leaf_pairs": [{"rack": 1, "leaves": ["leaf01"]}, {"rack": 2, "leaves": ["leaf02"]}]},
    "networks": [{"name": "net-a", "vlan": 10, "role": "management", "ipv4": "10.1.10.0/24", "mtu": 9000},
                 {"name": "net-b", "vlan": 20, "role": "management", "ipv4": "10.1.20.0/24", "mtu": 1500}],
    "bond_profiles": {"single": {"mode": "active-backup", "mtu": 9000}},
    "clusters": [
        {"name": "lab-a", "platform": "linux", "networks": ["net-a"], "native_network": "net-a",
         "bond": {"name": "bond0", "profile": "single"}, "overlay": "none",
         "nodes": [{"name": "h1", "id": 1, "nics": {"eth0": "leaf01:swp1"}}]},
        {"name": "lab-b", "platform": "linux", "networks": ["net-b"], "native_network": "net-b",
         "bond": {"name": "bond0", "profile": "single"}, "overlay": "none",
         "nodes": [{"name": "h2", "id": 1, "nics": {"eth0": "leaf02:swp1"}}]},
    ],
}
PINGS, SIZE = 40, 1200


def build():
    """(model, facts, design, {device: rendered frr.conf}) of SITE, through the collection's own pipeline."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

    result = pipeline.build(SITE, from_vars=False, targets=["switches"])
    assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
    model = load_model(SITE)
    facts = site_facts(model)
    configs = {path.split("/")[1][:-4]: text for path, text in result["files"].items() if path.endswith(".cfg")}
    return model, facts, design(model, facts), configs


def _hosts(lab, model, facts, designed):
    """A namespace per node on the far end of its leaf's SVI veth: node address, default route to the gateway."""
    for (cluster, node), link in sorted(facts.node_links.items()):
        net_name = model.clusters[cluster]["networks"][0]
        net = model.networks[net_name]
        leaf = link["leaves"][0]
        svi = facts.svis[leaf][net_name]
        vlan_if = designed["switches"][leaf]["vlans"][0]["svi"]["interface"]
        ns = lab.ns(node)
        lab._add_ns(ns)
        sh(["ip", "-n", lab.ns(leaf), "addr", "add",
            f"{svi['gateway4']}/{ipaddress.ip_network(net['ipv4']).prefixlen}", "dev", vlan_if])
        sh(["ip", "-n", lab.ns(leaf), "link", "set", f"{vlan_if}-srv", "netns", ns])
        sh(["ip", "-n", ns, "link", "set", f"{vlan_if}-srv", "name", "eth0"])
        sh(["ip", "-n", ns, "link", "set", "eth0", "mtu", str(net["mtu"]), "up"])
        sh(["ip", "-n", ns, "addr", "add", facts.addresses[(cluster, node, net_name)]["ipv4"], "dev", "eth0"])
        sh(["ip", "-n", ns, "route", "add", "default", "via", svi["gateway4"]])


def _counters(lab, devices):
    """{(device, interface): rx_bytes} of every interface of the switches."""
    out = {}
    for device in devices:
        links = json.loads(sh(["ip", "-n", lab.ns(device), "-j", "-s", "link", "show"]).stdout)
        for link in links:
            out[(device, link["ifname"])] = link["stats64"]["rx"]["bytes"]
    return out


def _ping(ns, dst, size, count=1, interval=None):
    argv = ["ip", "netns", "exec", ns, "ping", "-n", "-c", str(count), "-W", "1", "-M", "do", "-s", str(size)]
    if interval:
        argv += ["-i", interval]
    return sh(argv + [dst], check=False, timeout=30)


def _vtysh(ns, command):
    inner = re.match(r"vtysh -c '(.*)'$", command)
    return sh(["vtysh", "-N", ns, "-c", inner.group(1)], check=False).stdout if inner else None


def run(prefix=None):
    """Build, explain, measure, tear down. Returns a dict of what was predicted and what was seen."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain

    model, facts, designed, configs = build()
    switches = dict(designed["switches"])
    prefix = prefix or f"dcnet-path-{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
    state = os.path.join(workdir, "state.json")
    lab = fabric_lab.Lab(switches, state, prefix=prefix)
    out = {"prefix": prefix}
    try:
        lab.up(configs)
        for device, text in sorted(configs.items()):
            path = os.path.join(workdir, f"{device}.cfg")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            res = sh(["vtysh", "-N", lab.ns(device), "-f", path], check=False)
            if res.returncode != 0:
                raise fabric_lab.LabError(f"vtysh -f {device}: {res.stdout[-500:]} {res.stderr[-500:]}")
        _hosts(lab, model, facts, designed)
        h1, h2 = lab.ns("h1"), lab.ns("h2")
        dst = facts.addresses[("lab-b", "h2", "net-b")]["ipv4"].split("/")[0]
        deadline = time.monotonic() + 60
        while _ping(h1, dst, 56).returncode != 0:
            if time.monotonic() > deadline:
                raise fabric_lab.LabError("h1 cannot reach h2 within 60 s (BGP not up?)")
            time.sleep(0.5)
        out["explained"] = explained = explain(model, facts, designed, "h1", "h2", flow="icmp")
        before = _counters(lab, switches)
        res = _ping(h1, dst, SIZE, PINGS, "0.02")
        after = _counters(lab, switches)
        out["pings_ok"] = res.returncode == 0
        out["rx_bytes"] = {f"{d}:{i}": after[(d, i)] - before.get((d, i), 0) for d, i in sorted(after)
                           if after[(d, i)] - before.get((d, i), 0) >= PINGS * SIZE}
        fwd = next(p for p in explained["paths"] if p["direction"] == "forward")
        mtu = fwd["mtu"]
        ok, bad = _ping(h1, dst, mtu["largest_ping"]), _ping(h1, dst, mtu["largest_ping"] + 1)
        out["mtu"] = {"predicted": mtu, "largest_passes": ok.returncode == 0, "one_more_fails": bad.returncode != 0,
                      "one_more_output": (bad.stdout + bad.stderr)[-300:]}
        out["verify"] = []
        for path in explained["paths"]:
            for hop in path["hops"]:
                if hop["platform"] != "frr":
                    continue
                for cmd in hop["verify"]:
                    if cmd.get("pattern"):
                        text = _vtysh(lab.ns(hop["device"]), cmd["command"])
                        out["verify"].append({"device": hop["device"], "command": cmd["command"],
                                              "pattern": cmd["pattern"], "matched": bool(text and re.search(
                                                  cmd["pattern"], text)), "output": (text or "")[-400:]})
        out["links"] = {f"{lk['spine']}:{lk['spine_port']}": lk["leaf"] for lk in facts.links}
        out["links"].update({f"{lk['leaf']}:{lk['leaf_port']}": lk["spine"] for lk in facts.links})
    finally:
        out["teardown_problems"] = fabric_lab.teardown(state)
        out["leftovers"] = fabric_lab.leftovers(prefix)
        shutil.rmtree(workdir, ignore_errors=True)
    return out
