"""Lossless storage (DCB) on each switch platform against Microsoft's published reference for it.

Issue #13 item 7 / issue #24 item 5: one DCB design (design/dcb.py) rendered three ways. The expected side
of every comparison is Microsoft's reference, recorded below with its source, never our templates:

* NX-OS: "Azure Local - QoS Policy", Microsoft's reference ToR QoS configuration for Cisco Nexus,
  https://github.com/Azure/AzureLocal-Supportability/blob/main/TSG/Networking/Top-Of-Rack-Switch/Reference-TOR-QOS-Policy-Configuration.md
  (its class maps, qos / network-qos / queuing policy maps, system qos and the storage interface lines).
* EOS: "Physical switch configuration for converged NIC", Arista section,
  https://learn.microsoft.com/en-us/windows-server/networking/technologies/conv-nic/cnic-app-switch-config
  (per port: dcbx mode ieee, PFC on, priority 3 no-drop, qos trust cos). The ETS and ECN lines that page
  does not give are held to the requirements table of the NX-OS reference and to AVD's EOS syntax
  (tests/unit/switches/test_eos_reference.py).
* Linux/FRR: Microsoft publishes no Linux switch reference; the requirements table of the NX-OS reference
  (CoS 3 no-drop, CoS 7 its own class, ETS storage 50 % / cluster 1 %, ECN, DCBX IEEE non-willing) is the
  expected side, and the commands are read with iproute2 dcb-ets(8) / dcb-pfc(8) / dcb-dcbx(8) grammar.
"""

from __future__ import annotations

import re

import pytest

from . import models

# Microsoft's NX-OS reference (URL above), as published; policy names are theirs.
MS_NXOS_GLOBAL = """
policy-map type network-qos QOS_NETWORK
  class type network-qos c-8q-nq3
    mtu 9216
    pause pfc-cos 3
  class type network-qos c-8q-nq-default
    mtu 9216
  class type network-qos c-8q-nq7
    mtu 9216
class-map type qos match-all RDMA
  match cos 3
class-map type qos match-all CLUSTER
  match cos 7
policy-map type qos AZLocal_SERVICES
  class RDMA
    set qos-group 3
  class CLUSTER
    set qos-group 7
policy-map type queuing QOS_EGRESS_PORT
  class type queuing c-out-8q-q3
    bandwidth remaining percent 50
    random-detect minimum-threshold 300 kbytes maximum-threshold 300 kbytes drop-probability 100 weight 0 ecn
  class type queuing c-out-8q-q-default
    bandwidth remaining percent 48
  class type queuing c-out-8q-q7
    bandwidth percent 1
  class type queuing c-out-8q-q1
    bandwidth remaining percent 0
  class type queuing c-out-8q-q2
    bandwidth remaining percent 0
  class type queuing c-out-8q-q4
    bandwidth remaining percent 0
  class type queuing c-out-8q-q5
    bandwidth remaining percent 0
  class type queuing c-out-8q-q6
    bandwidth remaining percent 0
system qos
  service-policy type queuing output QOS_EGRESS_PORT
  service-policy type network-qos QOS_NETWORK
"""
MS_NXOS_PORT = ["priority-flow-control mode on send-tlv", "service-policy type qos input AZLocal_SERVICES",
                "mtu 9216", "spanning-tree port type edge trunk", "switchport mode trunk"]
# Our policy names for Microsoft's (the only accepted difference: names are local to the config).
NXOS_NAMES = {"QOS_NETWORK": "DCNET-NETWORK-QOS", "AZLocal_SERVICES": "DCNET-QOS-IN", "QOS_EGRESS_PORT": "DCNET-EGRESS"}

# Microsoft's Arista reference (URL above), per storage port. EOS 4.13's `priority-flow-control mode on`
# is `priority-flow-control on` in current EOS (the same command renamed; AVD renders the new form).
MS_EOS_PORT = ["dcbx mode ieee", "priority-flow-control on", "priority-flow-control priority 3 no-drop", "qos trust cos"]
# The requirements table of Microsoft's QoS reference, for what the Arista page leaves out.
MS_REQUIREMENTS = {"storage_cos": 3, "cluster_cos": 7, "storage_min_bw": 50, "cluster_bw": (1, 2), "pfc": [3],
                   "ecn_on_storage": True, "dcbx_willing": False, "no_drop_mtu": 9216}


def _tree(lines):
    """{(parent path..., line)}: the hierarchical commands of an indented config, order-free within a parent."""
    out, stack = set(), []
    for raw in lines:
        if not raw.strip() or raw.strip().startswith("!"):
            continue
        indent = len(raw) - len(raw.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = tuple(s[1] for s in stack) + (raw.strip(),)
        out.add(path)
        stack.append((indent, raw.strip()))
    return out


def _rename(tree):
    def sub(text):
        for theirs, ours in NXOS_NAMES.items():
            text = re.sub(rf"\b{theirs}\b", ours, text)
        return text
    return {tuple(sub(part) for part in path) for path in tree}


def _render(platform):
    result = models.build(models.small(platform))
    assert not models.errors(result), models.errors(result)
    return result, models.switch_files(result)


def _rdma_ports(result, leaf):
    return [p for p in result["design"]["switches"][leaf]["ethernet_interfaces"] if p["dcb"]]


def test_nxos_global_qos_is_microsofts_reference():
    result, files = _render("nxos")
    ours = _tree(files["leaf01a.cfg"].splitlines())
    expected = _rename(_tree(MS_NXOS_GLOBAL.splitlines()))
    missing = sorted(expected - ours)
    assert not missing, f"Microsoft's NX-OS reference commands missing: {missing}"
    # nothing of our own inside those blocks either
    roots = {path[0] for path in expected}
    extra = sorted(p for p in ours if p[0] in roots and p not in expected)
    assert not extra, f"commands Microsoft's reference does not have: {extra}"


def test_nxos_storage_ports_have_microsofts_interface_lines():
    result, files = _render("nxos")
    ours = _tree(files["leaf01a.cfg"].splitlines())
    ports = _rdma_ports(result, "leaf01a")
    assert ports
    for port in ports:
        for line in MS_NXOS_PORT:
            line = line.replace("AZLocal_SERVICES", NXOS_NAMES["AZLocal_SERVICES"])
            assert (f"interface {port['name']}", line) in ours, (port["name"], line)
    # a port without RDMA storage gets no lossless class
    plain = [p for p in result["design"]["switches"]["leaf01a"]["ethernet_interfaces"] if not p["dcb"]][0]
    assert not [p for p in ours if p[0] == f"interface {plain['name']}" and "priority-flow-control" in p[-1]]
    assert "feature lldp\n" in files["leaf01a.cfg"]


def test_eos_storage_ports_have_microsofts_lines_and_the_required_ets_ecn():
    result, files = _render("eos")
    ours = _tree(files["leaf01a.cfg"].splitlines())
    req = MS_REQUIREMENTS
    for port in _rdma_ports(result, "leaf01a"):
        iface = f"interface {port['name']}"
        own = {p[1:] for p in ours if p[0] == iface and len(p) > 1}
        # what the port applies: its own lines plus those of its QoS profile (service-profile)
        profiles = [p[0].split()[1] for p in own if p[0].startswith("service-profile ")]
        assert len(profiles) == 1, (port["name"], profiles)
        lines = own | {p[1:] for p in ours if p[0] == f"qos profile {profiles[0]}" and len(p) > 1}
        for line in MS_EOS_PORT:
            assert (line,) in lines, (port["name"], line)
        pfc = sorted(p[0] for p in lines if p[0].startswith("priority-flow-control priority"))
        assert pfc == [f"priority-flow-control priority {c} no-drop" for c in req["pfc"]]   # PFC on 3 only
        storage_q = [p[1] for p in lines if p[0] == f"tx-queue {req['storage_cos']}" and len(p) == 2]
        cluster_q = [p[1] for p in lines if p[0] == f"tx-queue {req['cluster_cos']}" and len(p) == 2]
        bw = int(re.search(r"bandwidth guaranteed percent (\d+)", " ".join(storage_q)).group(1))
        assert bw >= req["storage_min_bw"]
        assert any(line.startswith("random-detect ecn ") for line in storage_q)          # ECN on the RDMA queue
        assert f"bandwidth guaranteed percent {req['cluster_bw'][0]}" in cluster_q
    text = files["leaf01a.cfg"]
    for cos in (req["storage_cos"], req["cluster_cos"]):
        assert f"qos map cos {cos} to traffic-class {cos}\n" in text
        assert f"qos map traffic-class {cos} to tx-queue {cos}\n" in text
    assert "dcbx application" not in text                     # not an EOS command (issue #13 item 7)


_MAP = re.compile(r"^(all|[0-7]):(\S+)$")


def test_linux_leaf_dcb_meets_microsofts_requirements():
    result, files = _render("frr")
    text = files["leaf01a.interfaces"]
    req = MS_REQUIREMENTS
    for port in _rdma_ports(result, "leaf01a"):
        name = port["name"]
        block = re.search(rf"^iface {re.escape(name)}\n((?:    .*\n)+)", text, re.M).group(1)
        cmds = [line.strip()[len("post-up "):] for line in block.splitlines() if line.strip().startswith("post-up ")]
        dcbx = [c for c in cmds if c.startswith(f"dcb dcbx set dev {name} ")]
        assert dcbx == [f"dcb dcbx set dev {name} ieee"]
        ets = [c for c in cmds if c.startswith(f"dcb ets set dev {name} ")][0].split()[5:]
        assert ets[:2] == ["willing", "off"] and not req["dcbx_willing"]
        maps = {}
        key = None
        for word in ets[2:]:
            if _MAP.match(word):
                maps.setdefault(key, {}).update([_MAP.match(word).groups()])
            else:
                key = word
        assert set(maps) == {"prio-tc", "tc-tsa", "tc-bw"}
        tc_of = {p: int(maps["prio-tc"].get(str(p), maps["prio-tc"]["all"])) for p in range(8)}
        assert tc_of[req["storage_cos"]] != tc_of[0] and tc_of[req["cluster_cos"]] not in (tc_of[0], tc_of[3])
        bw = {tc: int(maps["tc-bw"].get(str(tc), maps["tc-bw"]["all"])) for tc in range(8)}
        assert sum(bw.values()) == 100                         # dcb-ets(8): ETS bandwidths add up to 100
        assert bw[tc_of[req["storage_cos"]]] >= req["storage_min_bw"] and bw[tc_of[req["cluster_cos"]]] in req["cluster_bw"]
        pfc = [c for c in cmds if c.startswith(f"dcb pfc set dev {name} ")][0].split()[5:]
        assert pfc[0] == "prio-pfc"
        on = sorted(int(k) for k, v in (_MAP.match(w).groups() for w in pfc[1:]) if v == "on" and k != "all")
        assert on == req["pfc"] and "all:off" in pfc
        assert f"lldptool -T -i {name} -V PFC enableTx=yes willing=no enabled=3" in cmds


def test_linux_dcbx_command_parses_with_iproute2(tmp_path):
    """`dcb dcbx set` is parsed before the device is asked: a real iproute2 refuses a wrong keyword."""
    import os
    import shutil
    import subprocess

    if not shutil.which("dcb") or os.geteuid() != 0:
        pytest.skip("iproute2 dcb and root (network namespace) needed")
    result, files = _render("frr")
    ns = f"dcnet-dcb-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "add", "swp21", "type", "veth", "peer", "name", "host21"], check=True)
        line = [c for c in files["leaf01a.interfaces"].splitlines() if "dcb dcbx set dev swp21" in c][0]
        cmd = line.strip()[len("post-up "):].split()
        proc = subprocess.run(["ip", "netns", "exec", ns] + cmd, capture_output=True, text=True, check=False)
        # veth has no DCB: the kernel answers "Operation not supported" only after the arguments parsed
        assert "Operation not supported" in proc.stderr, proc.stderr
        bad = subprocess.run(["ip", "netns", "exec", ns] + cmd[:-1] + ["ieeee"], capture_output=True, text=True,
                             check=False)
        assert "What is" in bad.stderr
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


@pytest.mark.parametrize("platform", ["eos", "nxos", "frr"])
def test_no_dcb_without_rdma_storage(platform):
    variables = models.small(platform)
    for cluster in variables["dcnet_clusters"]:
        for intent in cluster.get("intents", []):
            intent["rdma"] = "disabled"
    files = models.switch_files(models.build(variables))
    text = files["leaf01a.cfg"] + files.get("leaf01a.interfaces", "")
    for word in ("priority-flow-control", "dcb pfc", "qos-group", "tx-queue", "dcbx"):
        assert word not in text, word
