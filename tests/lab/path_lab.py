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
the leaves and the one spine the pings actually cross, the largest packet that passes
(``ping -M do``) and the FRR verification commands of the explanation (their output must
match).

What makes the crossing count deterministic on a busy machine:

* the probe starts only once the fabric has converged: every BGP session Established,
  every BFD session up, and every switch's kernel route to the hosts' networks on exactly
  the next hops the design implies (a leaf: all its uplinks, the equal-cost set; a spine:
  the link to the leaf announcing it). Probing as soon as one ping passes is not enough:
  the second spine's routes may still be on their way, and when they land the kernel's
  multipath hash moves the flow to the other spine in the middle of the count;
* only the probe's packets are counted: an nftables counter per switch interface and
  direction matches ICMP echo request (h1 -> h2) or reply (h2 -> h1) of the probe's exact
  IP length, so BGP keepalives and BFD packets on the same links never enter the count;
* the fabric state (BGP session and BFD session counters, the next hops) is read before
  and after the probe; if a session flapped or a route moved meanwhile, the count is
  void and the probe is repeated (at most ``ATTEMPTS`` times, each attempt recorded).
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
ATTEMPTS = 3            # probes tried while the fabric keeps changing under them
CONVERGE_S = 120        # BGP + BFD + ECMP on a busy 2-core machine: ~5-40 s seen
PROBE_TABLE = "dcnet_probe"


def why_not_possible():
    """None when this machine can run the path lab, else the exact reason (the FRR lab's, or nftables')."""
    reason = fabric_lab.why_not_possible()
    if reason:
        return reason
    if shutil.which("nft") is None:
        return "nft is missing (install the Debian package nftables): the lab counts the probe's packets with it"
    probe = f"dcnet-nftprobe-{os.getpid()}"
    try:
        sh(["ip", "netns", "add", probe])
        res = sh(["ip", "netns", "exec", probe, "nft", "add", "table", "inet", PROBE_TABLE], check=False)
        if res.returncode != 0:
            return f"nftables does not work in a network namespace here: {res.stderr.strip()}"
    finally:
        sh(["ip", "netns", "del", probe], check=False)
    return None


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
        lab.add_namespace(ns)
        sh(["ip", "-n", lab.ns(leaf), "addr", "add",
            f"{svi['gateway4']}/{ipaddress.ip_network(net['ipv4']).prefixlen}", "dev", vlan_if])
        sh(["ip", "-n", lab.ns(leaf), "link", "set", f"{vlan_if}-srv", "netns", ns])
        sh(["ip", "-n", ns, "link", "set", f"{vlan_if}-srv", "name", "eth0"])
        sh(["ip", "-n", ns, "link", "set", "eth0", "mtu", str(net["mtu"]), "up"])
        sh(["ip", "-n", ns, "addr", "add", facts.addresses[(cluster, node, net_name)]["ipv4"], "dev", "eth0"])
        sh(["ip", "-n", ns, "route", "add", "default", "via", svi["gateway4"]])


def _interfaces(lab, device):
    links = json.loads(sh(["ip", "-n", lab.ns(device), "-j", "link", "show"]).stdout)
    return sorted(link["ifname"] for link in links if link["ifname"] != "lo")


def _install_probe_counters(lab, devices, a, b, length):
    """An nftables counter per switch interface and direction: ICMP echo a -> b ("forward") and its
    reply b -> a ("reverse") of exactly ``length`` bytes of IP packet, counted where they enter."""
    for device in sorted(devices):
        rules = []
        for ifname in _interfaces(lab, device):
            rules.append(f'    iifname "{ifname}" ip saddr {a} ip daddr {b} icmp type echo-request ip length {length} '
                         f'counter comment "forward:{ifname}"')
            rules.append(f'    iifname "{ifname}" ip saddr {b} ip daddr {a} icmp type echo-reply ip length {length} '
                         f'counter comment "reverse:{ifname}"')
        lines = [f"table inet {PROBE_TABLE} {{", "  chain count {",
                 "    type filter hook prerouting priority raw; policy accept;", *rules, "  }", "}", ""]
        text = "\n".join(lines)
        sh(["ip", "netns", "exec", lab.ns(device), "nft", "-f", "-"], data=text)


def _probe_counts(lab, devices):
    """{"forward"|"reverse": {"device:interface": packets}} of the probe counters."""
    out = {"forward": {}, "reverse": {}}
    for device in sorted(devices):
        listing = json.loads(sh(["ip", "netns", "exec", lab.ns(device), "nft", "-j", "list", "table", "inet",
                                 PROBE_TABLE]).stdout)
        for item in listing["nftables"]:
            rule = item.get("rule")
            if not rule or ":" not in rule.get("comment", ""):
                continue
            direction, ifname = rule["comment"].split(":", 1)
            packets = next(e["counter"]["packets"] for e in rule["expr"] if "counter" in e)
            out[direction][f"{device}:{ifname}"] = packets
    return out


def _vtysh_json(ns, command, default):
    res = sh(["vtysh", "-N", ns, "-c", command], check=False)
    try:
        return json.loads(res.stdout) if res.returncode == 0 and res.stdout.strip() else default
    except ValueError:
        return default


def expected_next_hops(model, facts):
    """{device: {host prefix: sorted next-hop interfaces}} the converged design implies: a leaf reaches a remote
    host network over all its uplinks (ECMP), a spine over its link to the leaf announcing it."""
    prefixes = {leaf: [model.networks[net]["ipv4"] for net in svis] for leaf, svis in facts.svis.items()}
    out = {}
    for leaf in prefixes:
        for other, nets in prefixes.items():
            if other != leaf:
                for prefix in nets:
                    out.setdefault(leaf, {})[prefix] = sorted(lk["leaf_port"] for lk in facts.links if lk["leaf"] == leaf)
    for lk in facts.links:
        for prefix in prefixes.get(lk["leaf"], []):
            out.setdefault(lk["spine"], {}).setdefault(prefix, []).append(lk["spine_port"])
    return {dev: {p: sorted(v) for p, v in routes.items()} for dev, routes in out.items()}


def fabric_state(lab, expected):
    """What must not change while the probe is counted: per switch, each BGP session (state, connections
    established and dropped), each BFD session (status, ups, downs) and the kernel next hops of the hosts' networks."""
    state = {}
    for device in sorted(expected):
        ns = lab.ns(device)
        peers = _vtysh_json(ns, "show bgp summary json", {}).get("ipv4Unicast", {}).get("peers", {})
        status = {p["peer"]: p.get("status") for p in _vtysh_json(ns, "show bfd peers json", [])}
        counters = _vtysh_json(ns, "show bfd peers counters json", [])
        state[device] = {
            "bgp": {peer: [p.get("state"), p.get("connectionsEstablished"), p.get("connectionsDropped")]
                    for peer, p in sorted(peers.items())},
            "bfd": {c["peer"]: [status.get(c["peer"]), c.get("session-up"), c.get("session-down")] for c in counters},
            "routes": {prefix: fabric_lab.kernel_nexthops(ns, prefix) for prefix in sorted(expected[device])}}
    return state


def not_converged(state, expected):
    """Why ``state`` is not the converged fabric (a list, empty when it is)."""
    why = []
    for device, seen in sorted(state.items()):
        if not seen["bgp"]:
            why.append(f"{device}: no BGP session yet")
        why += [f"{device}: BGP {peer} {v[0]}" for peer, v in seen["bgp"].items() if v[0] != "Established"]
        if not seen["bfd"]:
            why.append(f"{device}: no BFD session yet")
        why += [f"{device}: BFD {peer} {v[0]}" for peer, v in seen["bfd"].items() if v[0] != "up"]
        why += [f"{device}: {prefix} via {seen['routes'].get(prefix)}, expected {want}"
                for prefix, want in expected[device].items() if seen["routes"].get(prefix) != want]
    return why


def wait_converged(lab, expected, timeout=CONVERGE_S):
    """Poll until the fabric is converged; returns (seconds, state). LabError with the reasons on timeout."""
    t0 = time.monotonic()
    while True:
        state = fabric_state(lab, expected)
        why = not_converged(state, expected)
        if not why:
            return round(time.monotonic() - t0, 1), state
        if time.monotonic() - t0 > timeout:
            raise fabric_lab.LabError(f"the fabric did not converge within {timeout} s: {'; '.join(why)}")
        time.sleep(0.5)


def _changes(before, after):
    """What differs between two fabric states (a list of 'device: what' strings)."""
    out = []
    for device in sorted(set(before) | set(after)):
        b, a = before.get(device, {}), after.get(device, {})
        for part in ("bgp", "bfd", "routes"):
            for key in sorted(set(b.get(part, {})) | set(a.get(part, {}))):
                if b.get(part, {}).get(key) != a.get(part, {}).get(key):
                    out.append(f"{device}: {part} {key} {b.get(part, {}).get(key)} -> {a.get(part, {}).get(key)}")
    return out


def _ping(ns, dst, size, count=1, interval=None, wait=1):
    argv = ["ip", "netns", "exec", ns, "ping", "-n", "-c", str(count), "-W", str(wait), "-M", "do", "-s", str(size)]
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
        lab.load_frr(configs, workdir, "cfg")
        _hosts(lab, model, facts, designed)
        h1 = lab.ns("h1")
        src = facts.addresses[("lab-a", "h1", "net-a")]["ipv4"].split("/")[0]
        dst = facts.addresses[("lab-b", "h2", "net-b")]["ipv4"].split("/")[0]
        expected = expected_next_hops(model, facts)
        out["expected_next_hops"] = expected
        out["converged_s"] = wait_converged(lab, expected)[0]
        deadline = time.monotonic() + 30
        while _ping(h1, dst, 56).returncode != 0:      # neighbour entries on the way; routes are in place
            if time.monotonic() > deadline:
                raise fabric_lab.LabError("h1 cannot reach h2 within 30 s of convergence")
            time.sleep(0.2)
        out["explained"] = explained = explain(model, facts, designed, "h1", "h2", flow="icmp")
        _install_probe_counters(lab, switches, src, dst, SIZE + 28)      # + ICMP 8 + IPv4 20
        out["attempts"] = []
        for _attempt in range(ATTEMPTS):
            fabric = fabric_state(lab, expected)
            before = _probe_counts(lab, switches)
            res = _ping(h1, dst, SIZE, PINGS, "0.02")
            after = _probe_counts(lab, switches)
            changed = _changes(fabric, fabric_state(lab, expected))
            changed += [f"not converged: {w}" for w in not_converged(fabric, expected)]
            out["attempts"].append(changed)
            out["pings_ok"] = res.returncode == 0
            out["received"] = int(m.group(1)) if (m := re.search(r"(\d+) received", res.stdout)) else 0
            out["probe"] = {d: {k: n - before[d].get(k, 0) for k, n in sorted(after[d].items()) if n > before[d].get(k, 0)}
                            for d in after}
            if not changed:
                break
        out["stable"] = not out["attempts"][-1]
        fwd = next(p for p in explained["paths"] if p["direction"] == "forward")
        mtu = fwd["mtu"]
        # a few tries with a longer wait each: one reply is enough to pass, and the refusal (ICMP "frag needed",
        # then the cached path MTU: "message too long") is in the output however late it comes
        ok = _ping(h1, dst, mtu["largest_ping"], count=3, interval="0.2", wait=3)
        bad = _ping(h1, dst, mtu["largest_ping"] + 1, count=2, interval="0.2", wait=3)
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
