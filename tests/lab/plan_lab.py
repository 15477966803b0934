# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""A day-2 plan applied phase by phase on a live FRR + Open vSwitch lab (issue #16, the live proof).

examples/small's switches run FRR in network namespaces (fabric_lab.Lab, eBGP with BFD), each
leaf has an OVS bridge whose ports are what the design says (drift_lab.ovs_leaf: LACP port-channels
with the pair's CLAG system id, the designed trunks and MTU), and the OVE nodes ove-w1 / ove-w2
are namespaces with an OVS LACP bond to both leaves (drift_lab.ovs_host).  On each node two
internal ports stand for VMs: one on the existing VLAN 100 (vm-web), one on the new VLAN 500.

The plan is ``make_plan(small, small + VLAN 500 on ove-small)``; it is applied as an operator
would, phase by phase and batch by batch, with the plan's own gate before each phase:

* switch steps: the step's frr.conf through ``frr-reload.py --reload`` (deploy/frr.py, the real
  FRR), and the step's ifupdown2 ``bridge-vids`` onto the leaf's OVS ports (this kernel has no
  VLAN-aware bridge: OVS stands in for ``ifreload -a``);
* host steps: the NNCP's desired state -- its VLAN interfaces and VM bridge trunk -- onto the
  node's OVS bond (standing in for kubernetes-nmstate);
* gates: switch batches by dcnet.fabric's FRR state check (sessions, BFD, routes) and the
  plan's expected ports read back from OVS (gates.evaluate_ports); host batches by the bond's
  VLANs read back.  A phase starts only when the previous phase's gate passes on the live lab.

Throughout, a ping probe (every 10 ms) runs between the VLAN-100 "VMs"; the test asserts zero
loss on it, that VLAN 500 passes only after both the switch and the host phases, that the host
phase applied first is refused by the gate, and that the reverse plan removes VLAN 500 again
with zero loss on VLAN 100.  Everything is recorded in a state file and torn down.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, ".collections"))

import drift_lab  # noqa: E402
import fabric_lab  # noqa: E402
from fabric_lab import sh  # noqa: E402

HOSTS = ("ove-w1", "ove-w2")
LEAVES = ("leaf01a", "leaf01b")
CLUSTER = "ove-small"
VLAN500 = {"name": "vm-500", "vlan": 500, "role": "vm", "ipv4": "10.50.0.0/24", "ipv6": "fd00:50::/64"}
VMS = {100: ("10.100.0.{}", 24), 500: ("10.50.0.{}", 24)}   # a stand-in VM per node and VLAN: .11, .12
PROBE_INTERVAL = 0.01


class Refused(Exception):
    """A phase's precondition (the previous phase's gate) does not hold on the live lab."""


def why_not_possible():
    return drift_lab.why_not_possible()


def models():
    """(small, small + VLAN 500 on ove-small) as plain model dicts.

    The cluster runs OpenShift 4.17 here: one OVN localnet bridge mapping per VM network, so adding a
    VLAN changes the node group's NNCP and the plan has a host phase between the switches and the NAD
    (from 4.18 the mapping is shared and the plan goes from the switches straight to the NAD).
    """
    raw = {}
    folder = os.path.join(ROOT, "examples", "small", "inventory", "group_vars", "all")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            raw.update({k[6:]: v for k, v in yaml.safe_load(handle).items() if k.startswith("dcnet_")})
    next(c for c in raw["clusters"] if c["name"] == CLUSTER).setdefault("ove", {})["ocp_version"] = "4.17"
    new = copy.deepcopy(raw)
    new["networks"].append(dict(VLAN500))
    next(c for c in new["clusters"] if c["name"] == CLUSTER)["networks"].append("vm-500")
    return raw, new


# ------------------------------------------------------------------------------------------ live state
def _trunks(vsctl, port):
    text = vsctl("get", "port", port, "trunks").stdout.strip()
    return sorted(int(v) for v in re.findall(r"\d+", text))


def observed_ports(leaves, switches):
    """{leaf: {"ports": {design port name: {"allowed_vlans": [...]}}}} read from the leaves' OVS."""
    out = {}
    for leaf, vsctl in leaves.items():
        cfg = switches[leaf]
        ports = {}
        for eth in cfg.get("ethernet_interfaces") or []:
            if re.fullmatch(r"swp\d+", eth["name"]) and eth.get("mode") == "trunk":
                ports[eth["name"]] = {"allowed_vlans": _trunks(vsctl, eth["name"])}
        for pc in cfg.get("port_channels") or []:
            members = [m for m in pc["members"] if m in ports]
            if members:
                ports[pc["name"]] = {"allowed_vlans": ports[members[0]]["allowed_vlans"]}
        out[leaf] = {"ports": ports}
    return out


def _ifupdown_vids(text):
    """{OVS port: [VLAN ids]} of an ifupdown2 file: each stanza's bridge-vids, on its bond's slaves."""
    out = {}
    for stanza in re.split(r"\n(?=auto )", text):
        name = re.search(r"^iface (\S+)", stanza, re.M)
        vids = re.search(r"^\s+bridge-vids (.+)$", stanza, re.M)
        if not name or not vids:
            continue
        slaves = re.search(r"^\s+bond-slaves (.+)$", stanza, re.M)
        ids = []
        for part in vids.group(1).split():
            lo, _sep, hi = part.partition("-")
            ids += list(range(int(lo), int(hi or lo) + 1))
        for port in (slaves.group(1).split() if slaves else [name.group(1)]):
            out[port] = sorted(ids)
    return out


def _frr_rows(lab, switches, devices):
    from ansible_collections.dcnet.fabric.plugins.module_utils.state import frr_state

    expected = frr_state.expected_state({d: switches[d] for d in switches}, scope="underlay")
    snaps = {d: frr_state.snapshot(_run, namespace=lab.ns(d)) for d in devices}
    rows = frr_state.compare({d: expected[d] for d in devices}, snaps)
    return [r for r in rows if r["status"] == "fail"]


def _run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
    return proc.returncode, proc.stdout, proc.stderr


class Applier:
    """Applies a plan's phases to the lab, each behind the previous phase's gate."""

    def __init__(self, lab, leaves, hosts, plan, switches, log):
        self.lab, self.leaves, self.hosts, self.plan = lab, leaves, hosts, plan
        self.view, self.log = dict(switches), log   # every switch's structured config as it stands now

    # gates ---------------------------------------------------------------------------------
    def gate_problems(self, phase):
        """The phase's gates on the live lab: the switches as they should stand after it (``self.view``)."""
        problems = []
        for batch in phase["batches"]:
            gate = batch["gate"]
            if gate["kind"] == "switches":
                problems += gates_evaluate(gate["expect"], observed_ports(
                    {d: self.leaves[d] for d in gate["expect"] if d in self.leaves}, self.view))
                frr = _frr_rows(self.lab, self.view, [d for d in batch["devices"] if d in self.view])
                problems += [f"{r['device']} {r['check']} {r['item']}: {r['observed']}" for r in frr]
            elif gate["kind"] == "hosts":
                for node in batch["nodes"]:
                    added, removed = self.host_expect.get(node, (set(), set()))
                    have = set(_trunks(self.hosts[node][0], "bond0"))
                    if added - have or removed & have:
                        problems.append(f"{node} bond0 carries {sorted(have)}: the policy adds {sorted(added)}, "
                                        f"removes {sorted(removed)}")
        return problems

    # phases --------------------------------------------------------------------------------
    def apply(self, number):
        phase = self.plan["phases"][number - 1]
        if number > 1:
            before = self.plan["phases"][number - 2]
            problems = self.gate_problems(before) if before["batches"] else []
            if problems:
                raise Refused(f"phase {number} ({phase['title']}) refused: the gate of phase {number - 1} fails: "
                              + "; ".join(problems[:6]))
        for batch in phase["batches"]:
            if phase["domain"] == "switch":
                for device, step in sorted(batch["steps"].items()):
                    self._switch_step(device, step)
            elif phase["domain"] == "host":
                for change in phase["changes"]:
                    if any(n in batch["nodes"] for n in change.get("nodes") or []):
                        self._host_step(change)
            deadline = time.monotonic() + 60
            while True:   # the batch's own gate, before the next batch
                problems = self.gate_problems({**phase, "batches": [batch]})
                if not problems or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            if problems:
                raise fabric_lab.LabError(f"phase {number} batch gate fails: {problems[:6]}")
        self.log.append(f"phase {number} applied: {phase['title']}")

    def _switch_step(self, device, step):
        from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr as frr_deploy

        intended = step["intended"]
        if "interfaces" in intended:
            peer_vlan = (self.view.get(device, {}).get("mlag") or {}).get("vlan_interface")
            _svis(self.lab.ns(device), intended["interfaces"], keep={peer_vlan} if peer_vlan else set())
        if step["tool"] == "frr-reload.py":
            frr_deploy.deploy(frr_deploy.FrrTarget(pathspace=self.lab.ns(device)), intended["cfg"])
        self.view[device] = step["config"]
        if device in self.leaves and "interfaces" in intended:
            for port, vids in sorted(_ifupdown_vids(intended["interfaces"]).items()):
                if sh(["ip", "-n", self.lab.ns(device), "link", "show", port], check=False).returncode == 0:
                    self.leaves[device]("set", "port", port, f"trunks={','.join(map(str, vids))}")

    def _host_step(self, change):
        """The policy's change on the node's OVS bond (kubernetes-nmstate stand-in): the VLANs the old document
        gave the node go, the new document's come (VLAN interfaces, VM bridge trunk tags, and the VLAN of every
        OVN localnet it maps to a bridge)."""
        before = self.policy_vlans(self.old_docs.get(change["path"]))
        after = self.policy_vlans(self.new_docs.get(change["path"]))
        for node in change["nodes"]:
            vsctl = self.hosts[node][0]
            trunks = (set(_trunks(vsctl, "bond0")) - (before - after)) | after
            vsctl("set", "port", "bond0", f"trunks={','.join(map(str, sorted(trunks)))}")
            self.host_expect[node] = (after, before - after)

    def policy_vlans(self, text):
        if not text:
            return set()
        state = yaml.safe_load(text)["spec"]["desiredState"]
        vlans = set()
        for iface in state.get("interfaces") or []:
            if iface.get("type") == "vlan":
                vlans.add(iface["vlan"]["id"])
            for port in (iface.get("bridge") or {}).get("port") or []:
                for tag in ((port.get("vlan") or {}).get("trunk-tags")) or []:
                    if "id" in tag:
                        vlans.add(tag["id"])
                    else:
                        vlans |= set(range(tag["id-range"]["min"], tag["id-range"]["max"] + 1))
        for mapping in ((state.get("ovn") or {}).get("bridge-mappings")) or []:
            if mapping.get("state", "present") == "present" and mapping["localnet"] in self.vlan_of:
                vlans.add(self.vlan_of[mapping["localnet"]])
        return vlans


def _svis(ns, text, keep=frozenset()):
    """ifreload stand-in for the SVIs of an ifupdown2 file: a veth end per ``iface vlanN`` with its addresses
    (as fabric_lab makes them at start), removed when the file no longer has it.  ``keep``: the MLAG peer
    VLAN's interface, which fabric_lab wires to the mate (the file names it as a bond sub-interface)."""
    wanted = {}
    for stanza in re.split(r"\n(?=auto )", text):
        name = re.search(r"^iface (vlan\d+)$", stanza, re.M)
        if name:
            mtu = re.search(r"^\s+mtu (\d+)$", stanza, re.M)
            wanted[name.group(1)] = (re.findall(r"^\s+address (\S+)$", stanza, re.M), mtu.group(1) if mtu else "1500")
    present = set(re.findall(r"^\d+: (vlan\d+)@", sh(["ip", "-n", ns, "-o", "link", "show"]).stdout, re.M))
    for name in sorted(present - set(wanted) - set(keep)):
        sh(["ip", "-n", ns, "link", "del", name])
    for name in sorted(set(wanted) - present):
        addresses, mtu = wanted[name]
        sh(["ip", "-n", ns, "link", "add", name, "type", "veth", "peer", "name", f"{name}-srv"])
        sh(["ip", "-n", ns, "link", "set", f"{name}-srv", "mtu", mtu, "up"])
        sh(["ip", "-n", ns, "link", "set", name, "mtu", mtu, "up"])
        for addr in addresses:
            sh(["ip", "-n", ns, "addr", "add", addr, "dev", name] + (["nodad"] if ":" in addr else []))


def gates_evaluate(expect, observed):
    from ansible_collections.dcnet.fabric.plugins.module_utils.plan import gates

    return gates.evaluate_ports(expect, observed)


# ------------------------------------------------------------------------------------------ probe
def _vm_ports(prefix, node, index, vsctl):
    ns = f"{prefix}-{node}"
    for sysctl in ("net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2"):
        sh(["ip", "netns", "exec", ns, "sysctl", "-qw", sysctl])
    for vlan, (pattern, plen) in VMS.items():
        name = f"vm{vlan}"
        vsctl("add-port", drift_lab.BR_EX, name, f"tag={vlan}", "--", "set", "interface", name, "type=internal",
              "mtu_request=1500")
        sh(["ip", "-n", ns, "addr", "add", f"{pattern.format(11 + index)}/{plen}", "dev", name])
        sh(["ip", "-n", ns, "link", "set", name, "up"])


def ping_ok(prefix, vlan, count=3):
    pattern = VMS[vlan][0]
    proc = sh(["ip", "netns", "exec", f"{prefix}-{HOSTS[0]}", "ping", "-c", str(count), "-i", "0.2", "-W", "1",
               "-I", f"vm{vlan}", pattern.format(12)], check=False, timeout=30)
    return proc.returncode == 0


class Probe:
    """A bounded ping every 10 ms on the existing VLAN while phases are applied.

    Stopped with SIGINT when the phases are done; the replies are counted by sequence number, and
    only the last few requests (sent in the 50 ms before the stop, still in flight) are not held
    against the network.
    """

    TAIL = 5

    def __init__(self, prefix, seconds):
        self.count = int(seconds / PROBE_INTERVAL)
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", f"{prefix}-{HOSTS[0]}", "ping", "-n", "-i", str(PROBE_INTERVAL), "-c",
             str(self.count), "-W", "1", "-I", "vm100", VMS[100][0].format(12)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(self):
        out, err = self.proc.communicate(timeout=self.count * PROBE_INTERVAL + 120)
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        if not m:
            raise fabric_lab.LabError(f"probe output: {out[-2000:]} {err}")
        sent = int(m.group(1))
        answered = {int(n) for n in re.findall(r"icmp_seq=(\d+) ttl=", out)}
        lost = sorted(set(range(1, sent + 1)) - answered)
        in_flight = [n for n in lost if n > sent - self.TAIL]
        return {"sent": sent, "received": len(answered), "lost": len(lost) - len(in_flight),
                "lost_seq": [n for n in lost if n not in in_flight][:50], "in_flight_at_stop": len(in_flight)}

    def stop_early(self):
        """The probe is bounded; when the phases end first, interrupt it (ping prints its summary on SIGINT)."""
        import signal
        self.proc.send_signal(signal.SIGINT)


# ------------------------------------------------------------------------------------------ the run
def run(prefix=None, probe_seconds=90):
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model
    from ansible_collections.dcnet.fabric.plugins.module_utils.plan import hosts as plan_hosts
    from ansible_collections.dcnet.fabric.plugins.module_utils.plan import make_plan

    old, new = models()
    plan = make_plan(old, new)
    back = make_plan(new, old)
    designed = {}
    docs = {}
    for label, raw in (("old", old), ("new", new)):
        model = load_model(raw)
        facts = site_facts(model)
        designed[label] = design(model, facts)
        docs.update(plan_hosts.render_clusters(model, facts, designed[label], [CLUSTER]) if label == "new" else {})
    back_docs = {}
    model = load_model(old)
    facts = site_facts(model)
    back_docs.update(plan_hosts.render_clusters(model, facts, designed["old"], [CLUSTER]))
    files = pipeline.build(old, from_vars=False, targets=["switches"])["files"]
    configs = {path.split("/")[1][:-4]: text for path, text in files.items() if path.endswith(".cfg")}

    prefix = prefix or f"dcnet-plan-{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
    state = os.path.join(tempfile.gettempdir(), f"{prefix}.lab-state.json")
    switches = dict(designed["old"]["switches"])
    lab = fabric_lab.Lab(switches, state, prefix=prefix)
    lab.state["scratch"] = [workdir]
    out = {"prefix": prefix, "log": [], "plan": plan, "back": back}
    try:
        lab.up(configs)
        lab.load_frr(configs, workdir, "frr.conf")
        for node in HOSTS:
            lab.add_namespace(f"{prefix}-{node}")
        for node in HOSTS:
            for nic in designed["old"]["nodes"][node]["nics"]:
                sh(["ip", "link", "add", nic["name"], "netns", f"{prefix}-{node}", "type", "veth", "peer", "name",
                    nic["leaf_port"], "netns", f"{prefix}-{nic['leaf']}"])
                sh(["ip", "-n", f"{prefix}-{node}", "link", "set", nic["name"], "up"])
        leaves = {leaf: drift_lab.ovs_leaf(lab, workdir, prefix, leaf, designed["old"]["switches"][leaf])
                  for leaf in LEAVES}
        vlan_of = {n["name"]: n["vlan"] for n in new["networks"]}
        hosts = {}
        for node in HOSTS:   # the installed node: bond0 under br-ex, the machine network untagged (native)
            native = designed["old"]["nodes"][node]["bond"]["network"]
            hosts[node] = drift_lab.ovs_host(lab, workdir, prefix, node, designed["old"]["nodes"][node],
                                             vlan_of[native] if native else None)
        for index, node in enumerate(HOSTS):
            _vm_ports(prefix, node, index, hosts[node][0])
        deadline = time.monotonic() + 90
        while not (ping_ok(prefix, 100, 1) and not _frr_rows(lab, switches, list(switches))):
            if time.monotonic() > deadline:
                raise fabric_lab.LabError(f"lab not up: VLAN 100 ping or FRR state: {_frr_rows(lab, switches, list(switches))[:5]}")
            time.sleep(1)
        out["vlan500_before"] = ping_ok(prefix, 500)

        forward = Applier(lab, leaves, hosts, plan, designed["old"]["switches"], out["log"])
        forward.old_docs, forward.new_docs, forward.vlan_of, forward.host_expect = back_docs, docs, vlan_of, {}
        host_phase = next(p["number"] for p in plan["phases"] if p["domain"] == "host")
        probe = Probe(prefix, probe_seconds)
        try:
            try:
                forward.apply(host_phase)
                out["wrong_order"] = "applied"
            except Refused as exc:
                out["wrong_order"] = str(exc)
            out["host_trunks_after_refusal"] = {n: _trunks(hosts[n][0], "bond0") for n in HOSTS}
            out["vlan500_after"] = {}
            for phase in plan["phases"]:
                if phase["domain"] == "vm":
                    continue
                forward.apply(phase["number"])
                time.sleep(1.0)
                out["vlan500_after"][phase["number"]] = (phase["domain"], ping_ok(prefix, 500))
            out["vlan100_after_forward"] = ping_ok(prefix, 100)

            reverse = Applier(lab, leaves, hosts, back, forward.view, out["log"])
            reverse.old_docs, reverse.new_docs, reverse.vlan_of, reverse.host_expect = docs, back_docs, vlan_of, {}
            for phase in back["phases"]:
                if phase["domain"] in ("vm", "cluster"):
                    continue
                reverse.apply(phase["number"])
            time.sleep(1.0)
            out["vlan500_after_reverse"] = ping_ok(prefix, 500)
        finally:
            probe.stop_early()
            out["probe"] = probe.result()
    finally:
        out["teardown"] = fabric_lab.teardown(state)
    return out


if __name__ == "__main__":
    import json
    result = run()
    result.pop("plan"), result.pop("back")
    print(json.dumps(result, indent=2, default=str))
