"""ECN on the RDMA queue of the Linux/FRR leaf (issue #24 item 5), read with the documented semantics.

The expected side is the documentation, never our template:

* tc-ets(8): ``ets bands N [strict S] [quanta Q...] priomap B...``; priority p goes to band ``priomap[p]``,
  priorities the map leaves out go to the last band; the first S bands are strict, the quanta belong to the
  bandwidth-sharing bands that follow and must be > 0; band b is class ``<major>:<b + 1>``.
* mlxsw (Spectrum) band numbering: band b is traffic class ``7 - b`` (mlxsw wiki "Queues Management",
  "Band Number Mapping"; spectrum_qdisc.c ``MLXSW_SP_PRIO_BAND_TO_TCLASS``), so the class a priority
  lands in is ``7 - priomap[p]``.
* sch_ets offload: the weight a driver programs for band i is the running percent of the quanta sum,
  rounded down, minus the running percent before it (net/sched/sch_ets.c, ets_offload_change).
* tc-red(8): sizes in bytes (tc(8): a bare number is bytes, ``k``/``kb`` 1024 bytes), marking probability
  maximal at ``max``, ``limit`` higher than max + burst (burst in packets of avpkt bytes), ``ecn`` marks
  instead of dropping, ``harddrop`` would drop ECN traffic above max (so it must be absent).
* Microsoft's Azure Local ToR QoS reference (test_dcb_reference.MS_NXOS_GLOBAL): the RDMA queue marks ECN
  at ``minimum-threshold 300 kbytes maximum-threshold 300 kbytes drop-probability 100``; PFC, ETS shares and
  classes as in MS_REQUIREMENTS; no other queue marks.

The ``dcb ets`` line of the same port is read with dcb-ets(8) grammar, so the qdisc is also held to restate
the traffic class map and shares that DCB sets.
"""

from __future__ import annotations

import functools
import os
import platform
import re
import shutil
import subprocess

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.render import linux_qos

from . import models
from .test_dcb_reference import MS_NXOS_GLOBAL, MS_REQUIREMENTS

TCS = 8
_SIZE = re.compile(r"^(\d+)(b|k|kb|m|mb)?$", re.I)
_UNIT = {None: 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 * 1024, "mb": 1024 * 1024}
_MAP = re.compile(r"^(all|[0-7]):(\S+)$")


def _bytes(text):
    """A tc size (tc(8) units) in bytes."""
    number, unit = _SIZE.match(text).groups()
    return int(number) * _UNIT[unit and unit.lower()]


def _microsoft_ecn():
    """min / max bytes and the marking probability of Microsoft's RDMA queue (1 kbyte = 1024 bytes)."""
    line = [x for x in MS_NXOS_GLOBAL.splitlines() if "random-detect" in x][0]
    found = re.search(r"minimum-threshold (\d+) kbytes maximum-threshold (\d+) kbytes drop-probability (\d+)", line)
    low, high, prob = (int(g) for g in found.groups())
    return low * 1024, high * 1024, prob / 100


@functools.lru_cache(maxsize=None)
def _render():
    """examples/small on FRR, built once (the tests only read it)."""
    result = models.build(models.small("frr"))
    assert not models.errors(result), models.errors(result)
    return result, models.switch_files(result)


def _port_commands(text, name):
    block = re.search(rf"^iface {re.escape(name)}\n((?:    .*\n)+)", text, re.M).group(1)
    return [line.strip()[len("post-up "):] for line in block.splitlines() if line.strip().startswith("post-up ")]


def _dcb_ets(cmds, name):
    """dcb-ets(8): {traffic class of priority p}, {percent of traffic class}."""
    words = [c for c in cmds if c.startswith(f"dcb ets set dev {name} ")][0].split()[5:]
    maps, key = {}, None
    for word in words:
        if _MAP.match(word):
            maps.setdefault(key, {}).update([_MAP.match(word).groups()])
        else:
            key = word
    tc_of = {p: int(maps["prio-tc"].get(str(p), maps["prio-tc"].get("all", 0))) for p in range(TCS)}
    bw = {tc: int(maps["tc-bw"].get(str(tc), maps["tc-bw"].get("all", 0))) for tc in range(TCS)}
    return tc_of, bw


def _qdiscs(cmds, name):
    """{'root': {...}, 'children': [{...}]} of the port's ``tc qdisc replace`` lines, parsed per tc-ets(8)/tc-red(8)."""
    prefix = f"tc qdisc replace dev {name} "
    root, children = None, []
    for cmd in cmds:
        if not cmd.startswith(prefix):
            continue
        words = cmd[len(prefix):].split()
        if words[0] == "root":
            assert root is None, "two root qdiscs"
            assert words[1] == "handle" and words[3] == "ets", words
            root = {"handle": words[2].rstrip(":"), "strict": 0}
            key = None
            for word in words[4:]:
                if word in ("bands", "strict", "quanta", "priomap"):
                    key = word
                    root.setdefault(key, [])
                    continue
                root[key].append(int(word))
            root["bands"] = root["bands"][0]
            root["strict"] = root["strict"][0] if root["strict"] else 0
        else:
            assert words[0] == "parent", words
            kind_at = words.index("handle") + 2
            child = {"parent": words[1], "kind": words[kind_at], "flags": set(), "params": {}}
            rest = words[kind_at + 1:]
            i = 0
            while i < len(rest):
                if rest[i] in ("ecn", "harddrop", "nodrop", "adaptive"):
                    child["flags"].add(rest[i])
                    i += 1
                else:
                    child["params"][rest[i]] = rest[i + 1]
                    i += 2
            children.append(child)
    return root, children


def _tc_of_band(band):
    return TCS - 1 - band                         # mlxsw: band 0 is traffic class 7


def _offload_weights(quanta, strict):
    """sch_ets: per band weight = floor(running percent of the quanta sum) - the previous running percent."""
    total = sum(quanta)
    weights, running, before = [0] * strict, 0, 0
    for quantum in quanta:
        running += quantum
        now = running * 100 // total
        weights.append(now - before)
        before = now
    return weights


def check_port(cmds, name):
    """Every documented property of the port's ECN qdiscs; an AssertionError names the first one broken."""
    req = MS_REQUIREMENTS
    root, children = _qdiscs(cmds, name)
    assert root, f"{name}: no ETS root qdisc"
    bands, strict, quanta, priomap = root["bands"], root["strict"], root.get("quanta", []), root["priomap"]
    assert bands == TCS, f"{name}: {bands} bands, one per traffic class wanted"
    assert len(quanta) == bands - strict and all(q > 0 for q in quanta), f"{name}: quanta {quanta}"
    band_of = {p: (priomap[p] if p < len(priomap) else bands - 1) for p in range(16)}
    dcb_tc, dcb_bw = _dcb_ets(cmds, name)
    # the queue each priority lands in is the traffic class dcb ets gives it
    for prio in range(TCS):
        assert _tc_of_band(band_of[prio]) == dcb_tc[prio], (name, prio, band_of[prio], dcb_tc[prio])
    storage_band = band_of[req["storage_cos"]]
    assert _tc_of_band(storage_band) == req["storage_cos"], f"{name}: priority 3 in band {storage_band}"
    assert band_of[req["cluster_cos"]] not in (storage_band, band_of[0]), f"{name}: CoS 7 not in its own band"
    # the shares the driver programs are the dcb ets shares; classes no priority uses get nothing
    weights = _offload_weights(quanta, strict)
    used = {band_of[p] for p in range(TCS)}
    for band in range(bands):
        expected = dcb_bw[_tc_of_band(band)] if band in used else 0
        assert weights[band] == expected, (name, band, weights[band], expected)
    assert weights[storage_band] >= req["storage_min_bw"]
    assert weights[band_of[req["cluster_cos"]]] in req["cluster_bw"]
    # RED with ecn on the storage band, nothing on any other band
    assert len(children) == 1, f"{name}: {len(children)} child qdiscs, RED on the RDMA band only wanted"
    red = children[0]
    assert red["kind"] == "red", red
    assert red["parent"] == f"{root['handle']}:{storage_band + 1}", f"{name}: RED under {red['parent']}"
    assert "ecn" in red["flags"] and "harddrop" not in red["flags"], red["flags"]
    low, high, prob = _microsoft_ecn()
    params = red["params"]
    assert (_bytes(params["min"]), _bytes(params["max"])) == (low, high), params
    assert float(params["probability"]) == prob, params
    assert _bytes(params["limit"]) > high + int(params["burst"]) * _bytes(params["avpkt"]), params


@pytest.mark.parametrize("storage,cluster", [(50, 1), (50, 2), (60, 2), (70, 1)])
def test_offloaded_weights_are_the_shares_of_any_qos_override(storage, cluster):
    """Other SMB / cluster shares (qos.override, 2 % cluster at 10G): the weights sch_ets hands the driver stay exact."""
    dcb = {"bandwidth": {"storage": storage, "cluster": cluster}, "storage_priority": 3, "cluster_priority": 7,
           "mtu": 9216, "ecn": {"min_kbytes": 300, "max_kbytes": 300}}
    root = linux_qos.ecn_qdiscs(dcb)["root"].split()
    quanta = [int(q) for q in root[root.index("quanta") + 1:root.index("priomap")]]
    assert all(q > 0 for q in quanta)
    weights = _offload_weights(quanta, 0)
    assert {_tc_of_band(b): w for b, w in enumerate(weights) if w} == {3: storage, 7: cluster, 0: 100 - storage - cluster}


def _rdma_ports(result, leaf):
    return [p["name"] for p in result["design"]["switches"][leaf]["ethernet_interfaces"] if p["dcb"]]


def test_linux_leaf_marks_ecn_on_the_rdma_queue_only():
    result, files = _render()
    for leaf in ("leaf01a", "leaf01b"):
        ports = _rdma_ports(result, leaf)
        assert ports
        for name in ports:
            check_port(_port_commands(files[f"{leaf}.interfaces"], name), name)


@pytest.mark.parametrize("broken", [
    ("parent 1:5 ", "parent 1:1 "),                  # RED on the cluster band
    (" ecn", ""),                                    # RED that drops
    ("probability 1 ecn", "probability 1 ecn harddrop"),
    ("min 307200", "min 102400"),                    # threshold not Microsoft's
    ("priomap 7 7 7 4 7 7 7 0", "priomap 7 7 7 3 7 7 7 0"),   # priority 3 in traffic class 4
    (" 9216 1 1 1 460800 ", " 9216 1 1 1 9216 "),   # storage share below 50 %
])
def test_the_check_refuses_a_wrong_script(broken):
    """check_port is no rubber stamp: each broken variant of the rendered lines is refused."""
    result, files = _render()
    name = _rdma_ports(result, "leaf01a")[0]
    cmds = _port_commands(files["leaf01a.interfaces"], name)
    old, new = broken
    assert any(old in c for c in cmds), old
    mutated = [c.replace(old, new) for c in cmds]
    with pytest.raises(AssertionError):
        check_port(mutated, name)


def _netns(tag):
    ns = f"dcnet-ecn-{tag}-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    subprocess.run(["ip", "-n", ns, "link", "add", "swp21", "type", "veth", "peer", "name", "host21"], check=True)
    subprocess.run(["ip", "-n", ns, "link", "set", "swp21", "up"], check=True)
    return ns


def _tc(ns, args):
    return subprocess.run(["ip", "netns", "exec", ns, "tc"] + args, capture_output=True, text=True, check=False)


def _need_root_and_tc():
    if not shutil.which("tc") or os.geteuid() != 0:
        pytest.skip("iproute2 tc and root (network namespace) needed")


# what the kernel (not tc's parser) answers when a qdisc module is missing or the parent it names is not there
_KERNEL_ANSWERS = ("Specified qdisc kind is unknown", "Failed to find specified qdisc")


def test_linux_tc_lines_parse_with_iproute2():
    """Every rendered tc line passes iproute2's own parser (it answers "What is", "Usage", "Illegal", "out of
    bounds" or "too small" before it asks the kernel); a misspelt keyword is refused, so the check can fail."""
    _need_root_and_tc()
    result, files = _render()
    cmds = [c for c in _port_commands(files["leaf01a.interfaces"], "swp21") if c.startswith("tc ")]
    assert len(cmds) == 2
    ns = _netns("parse")
    try:
        for cmd in cmds:
            proc = _tc(ns, cmd.split()[1:])
            assert proc.returncode == 0 or any(a in proc.stderr for a in _KERNEL_ANSWERS), (cmd, proc.stderr)
        bad = _tc(ns, cmds[1].replace(" ecn", " ecnn").split()[1:])
        assert bad.returncode != 0 and "What is" in bad.stderr, bad.stderr
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


def _missing_qdiscs(ns):
    """The qdisc kinds of the script this kernel lacks, with tc's answer."""
    missing = []
    for kind, args in (("ets", ["root", "handle", "9:", "ets", "bands", "2"]),
                       ("red", ["root", "handle", "9:", "red", "limit", "400000", "min", "30000", "max", "90000",
                                "avpkt", "1000", "burst", "55", "ecn"])):
        proc = _tc(ns, ["qdisc", "replace", "dev", "swp21"] + args)
        if proc.returncode != 0:
            missing.append(f"sch_{kind} ({proc.stderr.strip().splitlines()[-1]})")
        _tc(ns, ["qdisc", "del", "dev", "swp21", "root"])
    return missing


def test_linux_ecn_qdiscs_apply_in_a_namespace():
    """The rendered tc lines applied to a port in a namespace (software qdiscs: veth has no DCB, so the dcb lines
    are left out; offload needs the switch ASIC), read back with ``tc qdisc show``."""
    _need_root_and_tc()
    result, files = _render()
    cmds = [c for c in _port_commands(files["leaf01a.interfaces"], "swp21") if c.startswith("tc ")]
    ns = _netns("live")
    try:
        missing = _missing_qdiscs(ns)
        if missing:
            pytest.skip(f"kernel {platform.release()} lacks {', '.join(missing)}: the ETS + RED qdiscs cannot be "
                        "applied here (tc parses them: test_linux_tc_lines_parse_with_iproute2)")
        for cmd in cmds:
            proc = _tc(ns, cmd.split()[1:])
            assert proc.returncode == 0, (cmd, proc.stderr)
        shown = _tc(ns, ["qdisc", "show", "dev", "swp21"]).stdout
        root, children = _qdiscs(cmds, "swp21")
        assert re.search(rf"qdisc ets {root['handle']}: root .*bands 8 .*priomap {' '.join(map(str, root['priomap']))}",
                         shown), shown
        red = children[0]
        low, high = _microsoft_ecn()[:2]
        line = [x for x in shown.splitlines() if x.startswith("qdisc red ")]
        assert len(line) == 1 and f"parent {red['parent']} " in line[0], shown
        found = re.search(r" min (\S+) max (\S+)", line[0])
        assert (_bytes(found.group(1)), _bytes(found.group(2))) == (low, high), line[0]
        assert re.search(r"\becn\b", line[0]), line[0]
        # replace is idempotent: a second run leaves the same qdiscs
        for cmd in cmds:
            assert _tc(ns, cmd.split()[1:]).returncode == 0
        assert _tc(ns, ["qdisc", "show", "dev", "swp21"]).stdout == shown
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)
