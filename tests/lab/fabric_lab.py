# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""An FRR fabric in Linux network namespaces, built from the structured config of a site.

One namespace per switch (``<prefix>-<device>``), one veth pair per fabric link named
exactly as the structured config's ``fabric_links[].interface`` on each end, the MTU of
the link, the loopback on ``lo``. A switch's SVIs (``vlans[].svi``) become a veth end
named like the SVI (``vlan10``) inside the leaf's namespace -- this kernel has no 8021q
or bridge-with-VLANs devices -- so ``redistribute connected`` announces the server
subnets as the design intends. Addresses are put on interfaces with ``ip addr`` (on a
switch ifupdown2 does that from ``<device>.interfaces``).

FRR: ``zebra``, ``bgpd``, ``bfdd``, ``staticd`` per namespace, each started as
``ip netns exec NS unshare --uts sh -c 'hostname DEV; exec DAEMON -N NS -d ...'``: ``-N``
gives every instance its own sockets and pid files under ``/var/run/frr/NS/`` (owned by
user frr), the UTS namespace gives it the switch's hostname, and ``/etc/frr/NS/vtysh.conf``
names vtysh's side the same, so ``hostname`` round-trips through ``frr-reload.py``.
Daemons start with an empty config; the deploy role pushes the rendered one.

Everything the lab creates is recorded in a JSON state file as it is created, so
:func:`teardown` (also ``run_lab.py --teardown STATE``) removes it even after a crash:
kill by pid file and by ``ip netns pids``, delete the namespaces and the FRR directories.
"""

from __future__ import annotations

import glob
import ipaddress
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time

import yaml

FRR_BIN = "/usr/lib/frr"
DAEMONS = ("zebra", "bgpd", "bfdd", "staticd")
RUN_ROOT = "/var/run/frr"
ETC_ROOT = "/etc/frr"


class LabError(Exception):
    pass


def sh(argv, check=True, data=None, timeout=30):
    proc = subprocess.run(argv, input=data, capture_output=True, text=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise LabError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


def why_not_possible():
    """None when this machine can run the lab, else the exact reason."""
    if os.geteuid() != 0:
        return "the FRR lab needs root (network namespaces, veth pairs, FRR daemons); running as uid %d" % os.geteuid()
    for tool in ("/usr/bin/vtysh", f"{FRR_BIN}/frr-reload.py", f"{FRR_BIN}/zebra", f"{FRR_BIN}/bgpd",
                 f"{FRR_BIN}/bfdd", "/usr/bin/unshare"):
        if not os.path.exists(tool):
            return f"{tool} is missing (install the Debian packages frr frr-pythontools util-linux)"
    if shutil.which("ip") is None:
        return "iproute2 (ip) is missing"
    probe = f"dcnet-probe-{os.getpid()}"
    try:
        if sh(["ip", "netns", "add", probe], check=False).returncode != 0:
            return "cannot create network namespaces here (ip netns add failed)"
        res = sh(["ip", "-n", probe, "link", "add", "pa", "type", "veth", "peer", "name", "pb"], check=False)
        if res.returncode != 0:
            return f"the kernel cannot create veth pairs: {res.stderr.strip()}"
    finally:
        sh(["ip", "netns", "del", probe], check=False)
    return None


def load_structured(structured_dir):
    """{device: structured config} for the switches (role spine or leaf) of a site."""
    out = {}
    for path in sorted(glob.glob(os.path.join(structured_dir, "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if isinstance(data, dict) and data.get("role") in ("spine", "leaf"):
            out[data["hostname"]] = data
    if not out:
        raise LabError(f"no spine/leaf structured configs under {structured_dir} (render the site first)")
    return out


def frr_defaults(config_text):
    m = re.search(r"^frr defaults (\S+)", config_text, re.M)
    return m.group(1) if m else "traditional"


class Lab:
    """Namespaces + veths + FRR daemons for the switches in ``switches`` ({device: structured})."""

    def __init__(self, switches, state_file, prefix=None):
        self.switches = switches
        self.prefix = prefix or f"dcnet-lab-{os.getpid()}"
        self.state_file = state_file
        self.state = {"prefix": self.prefix, "namespaces": [], "dirs": [], "devices": {}}

    # -- bookkeeping ------------------------------------------------------------
    def ns(self, device):
        return f"{self.prefix}-{device}"

    def _save(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.state_file)), exist_ok=True)
        tmp = self.state_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.state, handle, indent=2, sort_keys=True)
        os.replace(tmp, self.state_file)

    def add_namespace(self, name):
        """A namespace with its loopback up, recorded in the state file first (teardown removes it and what runs in it)."""
        self.state["namespaces"].append(name)
        self._save()
        sh(["ip", "netns", "add", name])
        sh(["ip", "-n", name, "link", "set", "lo", "up"])

    def _add_dir(self, path, owner="frr"):
        self.state["dirs"].append(path)
        self._save()
        os.makedirs(path, exist_ok=True)
        shutil.chown(path, owner, owner)

    # -- build ------------------------------------------------------------------
    def load_frr(self, configs, workdir, suffix):
        """Apply each device's FRR config text (``{device: text}``) with ``vtysh -f``, from ``workdir/<device>.<suffix>``."""
        for device, text in sorted(configs.items()):
            path = os.path.join(workdir, f"{device}.{suffix}")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            res = sh(["vtysh", "-N", self.ns(device), "-f", path], check=False)
            if res.returncode != 0:
                raise LabError(f"vtysh -f {device}: {res.stdout[-500:]} {res.stderr[-500:]}")

    def up(self, configs):
        """Create namespaces and links, start FRR (configs: {device: frr.conf text}, read for 'frr defaults')."""
        for device in sorted(self.switches):
            ns = self.ns(device)
            self.add_namespace(ns)
            self.state["devices"][device] = ns
            for key in ("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                        "net.ipv6.conf.default.keep_addr_on_down=1", "net.ipv6.conf.all.keep_addr_on_down=1",
                        "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2",
                        "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0"):
                sh(["ip", "netns", "exec", ns, "sysctl", "-qw", key])
        self._links()
        self._svis()
        self._addresses()
        for device in sorted(self.switches):
            self._start_frr(device, frr_defaults(configs.get(device, "")))
        self._save()
        return self

    def _links(self):
        """Each fabric link: switch veth <-> bridge in the wire namespace <-> switch veth.

        The bridge is the patch panel: taking both of its ports down is a cut cable (both switches
        lose carrier); taking one port out of the bridge is a silent failure (carrier stays up on
        both switches, frames are lost) that only BFD or the BGP hold timer can detect.
        """
        wire = f"{self.prefix}-wire"
        self.add_namespace(wire)
        self.state["wire"] = wire
        self.state["links"] = []
        done = set()
        for device in sorted(self.switches):
            for link in self.switches[device].get("fabric_links") or []:
                peer = link["peer"]
                key = tuple(sorted([(device, link["interface"]), (peer, link["peer_interface"])]))
                if peer not in self.switches:
                    # The peer is not part of this lab: an unconnected port (veth to a stub in the same namespace).
                    ns, name = self.ns(device), link["interface"]
                    sh(["ip", "-n", ns, "link", "add", name, "type", "veth", "peer", "name", f"{name}-x"])
                    for dev in (f"{name}-x", name):
                        sh(["ip", "-n", ns, "link", "set", dev, "mtu", str(link["mtu"]), "up"])
                    continue
                if key in done:
                    continue
                done.add(key)
                (a, ia), (b, ib) = key
                self._wire(a, ia, b, ib, link["mtu"])
        # the MLAG / CLAG peer VLAN's SVI of each leaf pair (the pair's routed iBGP peering runs over it): one
        # more wire between the two leaves, its ends named like the SVI (no 8021q devices here)
        pairs = set()
        for device in sorted(self.switches):
            mlag = self.switches[device].get("mlag")
            if mlag and mlag.get("peer") in self.switches and mlag.get("local_ip"):
                pairs.add(tuple(sorted((device, mlag["peer"]))))
        for a, b in sorted(pairs):
            self._wire(a, self.switches[a]["mlag"]["vlan_interface"], b, self.switches[b]["mlag"]["vlan_interface"],
                       self.switches[a]["mtu"], kind="mlag-peer-vlan")
        self._save()

    def _wire(self, a, ia, b, ib, mtu, kind="fabric"):
        """Switch veth <-> bridge in the wire namespace <-> switch veth, recorded in the state file."""
        wire = self.state["wire"]
        n = len(self.state["links"]) + 1
        record = {"a": a, "a_interface": ia, "b": b, "b_interface": ib, "bridge": f"br{n}",
                  "wire_a": f"l{n}a", "wire_b": f"l{n}b", "mtu": mtu, "kind": kind}
        sh(["ip", "-n", wire, "link", "add", record["bridge"], "type", "bridge", "mcast_snooping", "0"])
        for dev, name, wname in ((a, ia, record["wire_a"]), (b, ib, record["wire_b"])):
            sh(["ip", "link", "add", name, "netns", self.ns(dev), "type", "veth", "peer", "name", wname,
                "netns", wire])
            sh(["ip", "-n", wire, "link", "set", wname, "mtu", str(mtu), "master", record["bridge"], "up"])
            sh(["ip", "-n", self.ns(dev), "link", "set", name, "mtu", str(mtu), "up"])
        sh(["ip", "-n", wire, "link", "set", record["bridge"], "up"])
        self.state["links"].append(record)

    def link(self, x, y):
        """The wire record of the link between switches x and y."""
        return next(r for r in self.state["links"] if {r["a"], r["b"]} == {x, y})

    def _svis(self):
        """A veth end named like each SVI (vlan10) in the leaf's namespace (no 8021q devices here)."""
        for device in sorted(self.switches):
            for vlan in self.switches[device].get("vlans") or []:
                svi = vlan.get("svi")
                if not svi:
                    continue
                ns, name = self.ns(device), svi["interface"]
                sh(["ip", "-n", ns, "link", "add", name, "type", "veth", "peer", "name", f"{name}-srv"])
                sh(["ip", "-n", ns, "link", "set", f"{name}-srv", "up"])
                sh(["ip", "-n", ns, "link", "set", name, "mtu", str(svi.get("mtu") or 1500), "up"])
                sh(["ip", "-n", ns, "link", "set", f"{name}-srv", "mtu", str(svi.get("mtu") or 1500)])

    def _addresses(self):
        for device in sorted(self.switches):
            cfg, ns = self.switches[device], self.ns(device)
            wanted = []
            for lo in cfg.get("loopbacks") or []:
                wanted += [(lo.get("name") or "lo", lo.get(k)) for k in ("ipv4", "ipv6")]
            for link in cfg.get("fabric_links") or []:
                if not link.get("unnumbered"):
                    wanted += [(link["interface"], link.get(k)) for k in ("ipv4", "ipv6")]
            for vlan in cfg.get("vlans") or []:
                if vlan.get("svi"):
                    wanted += [(vlan["svi"]["interface"], vlan["svi"].get(k)) for k in ("ipv4", "ipv6")]
            mlag = cfg.get("mlag")
            if mlag and mlag.get("peer") in self.switches and mlag.get("local_ip"):
                wanted.append((mlag["vlan_interface"], mlag["local_ip"]))
            for ifname, addr in wanted:
                if addr:
                    sh(["ip", "-n", ns, "addr", "add", addr, "dev", ifname, "nodad"]
                       if ":" in addr else ["ip", "-n", ns, "addr", "add", addr, "dev", ifname])

    def _start_frr(self, device, defaults):
        ns = self.ns(device)
        run_dir, etc_dir = os.path.join(RUN_ROOT, ns), os.path.join(ETC_ROOT, ns)
        self._add_dir(run_dir)
        self._add_dir(etc_dir)
        with open(os.path.join(etc_dir, "vtysh.conf"), "w", encoding="utf-8") as handle:
            handle.write(f"hostname {device}\n")
        shutil.chown(os.path.join(etc_dir, "vtysh.conf"), "frr", "frr")
        for daemon in DAEMONS:
            pid_file = os.path.join(run_dir, f"{daemon}.pid")
            cmd = (f"hostname {device} && exec {FRR_BIN}/{daemon} -N {ns} -d -F {defaults} -f /dev/null "
                   f"-i {pid_file} -A 127.0.0.1")
            if daemon == "bgpd":
                cmd += " -p 179"
            sh(["ip", "netns", "exec", ns, "unshare", "--uts", "sh", "-c", cmd])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if all(os.path.exists(os.path.join(run_dir, f"{d}.vty")) for d in DAEMONS):
                if sh(["vtysh", "-N", ns, "-c", "show version"], check=False).returncode == 0:
                    return
            time.sleep(0.05)
        raise LabError(f"FRR in {ns} did not come up within 10 s")


def _pids_of(ns, run_dir):
    pids = set()
    for pid_file in glob.glob(os.path.join(run_dir, "*.pid")):
        try:
            with open(pid_file, encoding="utf-8") as handle:
                pids.add(int(handle.read().strip()))
        except (OSError, ValueError):
            pass
    res = sh(["ip", "netns", "pids", ns], check=False)
    pids |= {int(p) for p in res.stdout.split() if p.isdigit()}
    return pids


def teardown(state_file):
    """Remove everything recorded in ``state_file``; safe to call twice. Returns a list of what failed."""
    if not os.path.exists(state_file):
        return []
    with open(state_file, encoding="utf-8") as handle:
        state = json.load(handle)
    problems = []
    pids = set()
    for ns in state.get("namespaces", []):
        pids |= _pids_of(ns, os.path.join(RUN_ROOT, ns))
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in sorted(pids):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while pids and time.monotonic() < deadline:
            pids = {p for p in pids if os.path.exists(f"/proc/{p}")}
            time.sleep(0.02)
        if not pids:
            break
    if pids:
        problems.append(f"processes {sorted(pids)} survived SIGKILL")
    for ns in state.get("namespaces", []):
        if os.path.exists(f"/run/netns/{ns}"):
            res = sh(["ip", "netns", "del", ns], check=False)
            if res.returncode != 0:
                problems.append(f"ip netns del {ns}: {res.stderr.strip()}")
    for path in state.get("scratch", []):
        if state["prefix"] in path:
            shutil.rmtree(path, ignore_errors=True)
    for path in state.get("dirs", []):
        # Only the per-namespace directories the lab created itself.
        if os.path.basename(path).startswith(state["prefix"]) and os.path.dirname(path) in (RUN_ROOT, ETC_ROOT):
            shutil.rmtree(path, ignore_errors=True)
    if not problems:
        os.unlink(state_file)
    return problems


def _defaults(text):
    """The variables of an /etc/default shell fragment (KEY="value" lines) as word lists."""
    out = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            out[key.strip()] = " ".join(shlex.split(value)).split()
    return out


def dhcrelay_argv(name, text):
    """The dhcrelay command line of a rendered relay file (``<leaf>.isc-dhcp-relay`` or ``.isc-dhcp-relay6``).

    DHCPv4 as Debian's /etc/init.d/isc-dhcp-relay builds it (``-q $OPTIONS -i <each of $INTERFACES>
    $SERVERS``), DHCPv6 as the dhcrelay6 service of Linux switch distributions does (``-6 $INTF_CMD
    $SERVERS $OPTIONS``); both in the foreground (``-d``) and without a pid file, for the lab.
    """
    env = _defaults(text)
    if name.endswith("isc-dhcp-relay6"):
        return ["dhcrelay", "-d", "--no-pid", "-6"] + env.get("INTF_CMD", []) + env.get("SERVERS", []) + env.get("OPTIONS", [])
    interfaces = [w for i in env.get("INTERFACES", []) for w in ("-i", i)]
    return ["dhcrelay", "-d", "--no-pid", "-4", "-q"] + env.get("OPTIONS", []) + interfaces + env.get("SERVERS", [])


def leftovers(prefix):
    """Namespaces or FRR dirs with this prefix that still exist (should be none after teardown)."""
    found = [n for n in os.listdir("/run/netns") if n.startswith(prefix)] if os.path.isdir("/run/netns") else []
    found += [p for root in (RUN_ROOT, ETC_ROOT) for p in glob.glob(os.path.join(root, prefix + "*"))]
    return sorted(found)


def kernel_nexthops(ns, prefix):
    """Next-hop interfaces of ``prefix`` in the namespace's kernel FIB (sorted list)."""
    net = ipaddress.ip_network(prefix)
    res = sh(["ip", "-n", ns, "-j", "-6" if net.version == 6 else "-4", "route", "show", "exact", str(net)],
             check=False)
    routes = json.loads(res.stdout or "[]")
    devs = []
    for route in routes:
        hops = route.get("nexthops") or [route]
        devs += [h.get("dev") for h in hops if h.get("dev")]
    return sorted(devs)


# --------------------------------------------------------------------------- failure test

def _kernel_devs(ns):
    """{prefix: sorted next-hop devs} of the namespace's kernel FIB, both families (one ip call each)."""
    out = {}
    for fam in ("-4", "-6"):
        res = sh(["ip", "-n", ns, "-j", fam, "route", "show"], check=False)
        for r in json.loads(res.stdout or "[]"):
            if r.get("dst") in (None, "default"):
                continue
            net = str(ipaddress.ip_network(r["dst"], strict=False))
            out.setdefault(net, []).extend(h.get("dev") for h in (r.get("nexthops") or [r]) if h.get("dev"))
    return {k: sorted(v) for k, v in out.items()}


def _wait_for(ns, targets, timeout):
    """Poll the kernel until every prefix has exactly the target devs ([] = absent).

    Returns (seconds until all matched or None, polls, {prefix: seconds when it last started matching}).
    """
    t0 = time.monotonic()
    polls, since = 0, {}
    while True:
        devs = _kernel_devs(ns)
        now = time.monotonic() - t0
        polls += 1
        for p, want in targets.items():
            if devs.get(p, []) == want:
                since.setdefault(p, now)
            else:
                since.pop(p, None)
        if len(since) == len(targets):
            return now, polls, {p: round(v * 1000) for p, v in sorted(since.items())}
        if now > timeout:
            return None, polls, {p: round(v * 1000) for p, v in sorted(since.items())}


def failover(lab, leaf, spine, routes, how="link-down", timeout=15.0):
    """Fail the spine end of the leaf-spine link, time until the leaf's kernel FIB has converged on
    the remaining spine(s), restore, time until it is back. ``routes``: the leaf's expected BGP routes
    (frr_state.expected_state()[leaf]["routes"]).

    how = "link-down": both patch-panel ports of the link go down -- a cut cable, both switches lose carrier.
    how = "silent": the spine's patch-panel port leaves the bridge -- carriers stay up, frames are lost both
    ways; only BFD (or the BGP hold timer) can tell.
    """
    link = next(l for l in lab.switches[leaf]["fabric_links"] if l["peer"] == spine)
    leaf_if, spine_if = link["interface"], link["peer_interface"]
    leaf_ns = lab.ns(leaf)
    watched = [r for r in routes if r["protocol"] == "bgp"]
    full = {r["prefix"]: r["interfaces"] for r in watched}
    # a route that only the failed link carried stays reachable through the pair-mate when the pair peers over the
    # peer VLAN in that family (the mate re-advertises what it learns from the spine); otherwise it goes away
    mlag = lab.switches[leaf].get("mlag") or {}
    over_peer_vlan = {af for nb in lab.switches[leaf]["bgp"]["neighbors"] if nb.get("kind") == "mlag"
                      for af in nb.get("address_families") or []} if mlag.get("peer") in lab.switches else set()
    degraded = {}
    for r in watched:
        left = [i for i in r["interfaces"] if i != leaf_if]
        degraded[r["prefix"]] = left or ([mlag["vlan_interface"]] if r["family"] in over_peer_vlan else [])
    before = _wait_for(leaf_ns, full, 30)[0]
    if before is None:
        raise LabError(f"{leaf}: routes not at full ECMP before the failure test")
    ecmp = sorted(p for p, devs in full.items() if len(devs) > 1)
    wire, rec = lab.state["wire"], lab.link(leaf, spine)
    t_fail = time.monotonic()
    if how == "link-down":          # cut cable: both switches lose carrier
        for port in (rec["wire_a"], rec["wire_b"]):
            sh(["ip", "-n", wire, "link", "set", port, "down"])
    else:                           # silent: the spine's side leaves the patch panel, carriers stay up
        sh(["ip", "-n", wire, "link", "set", rec["wire_b"] if rec["b"] == spine else rec["wire_a"], "nomaster"])
    down_s, polls, per_prefix = _wait_for(leaf_ns, degraded, timeout)
    failed_at = time.monotonic() - t_fail
    bfd = json.loads(sh(["vtysh", "-N", leaf_ns, "-c", "show bfd peers json"], check=False).stdout or "[]")
    diag = sorted({p.get("diagnostic", "?") for p in bfd if p.get("interface") == leaf_if and p.get("status") != "up"})
    if how == "link-down":
        for port in (rec["wire_a"], rec["wire_b"]):
            sh(["ip", "-n", wire, "link", "set", port, "up"])
    else:
        sh(["ip", "-n", wire, "link", "set", rec["wire_b"] if rec["b"] == spine else rec["wire_a"],
            "master", rec["bridge"]])
    up_s = _wait_for(leaf_ns, full, 60)[0]
    return {"how": how, "leaf": leaf, "spine": spine, "leaf_interface": leaf_if, "spine_interface": spine_if,
            "routes_watched": len(watched), "ecmp_routes": len(ecmp),
            "converged_ms": None if down_s is None else round(down_s * 1000),
            "gave_up_after_ms": None if down_s is not None else round(failed_at * 1000),
            "polls": polls, "bfd_diagnostic": diag, "per_prefix_ms": per_prefix,
            "restored_ms": None if up_s is None else round(up_s * 1000)}


# --------------------------------------------------------------------------- MTU probe

def _ping(ns, dst, size):
    argv = ["ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "-M", "do", "-s", str(size), dst]
    if ":" in dst:
        argv.insert(5, "-6")
    return sh(argv, check=False, timeout=10)


def _reassembled(ns, fam):
    """Datagrams the namespace reassembled from fragments so far (IPv4 or IPv6 counters)."""
    path, key = ("/proc/net/snmp6", "Ip6ReasmOKs") if fam == 6 else ("/proc/net/snmp", "ReasmOKs")
    text = sh(["ip", "netns", "exec", ns, "cat", path]).stdout
    if fam == 6:
        m = re.search(rf"^{key}\s+(\d+)", text, re.M)
        return int(m.group(1)) if m else 0
    lines = [line.split() for line in text.splitlines() if line.startswith("Ip:")]
    return int(lines[1][lines[0].index(key)]) if len(lines) >= 2 else 0


def mtu_probe(prefix, underlay_mtu, predicted, addresses, state_file, vni=100):
    """Two namespaces joined by a veth at the underlay MTU, a VXLAN (df set) between them per
    underlay family; ``ping -M do`` at the predicted inner MTU must pass, one byte more must fail.

    predicted: {4: inner MTU over IPv4 underlay, 6: over IPv6}; addresses: {"u4": (a, b, plen), "u6": ...,
    "inner": (a, b, plen)} -- addresses from the design, only inside these two namespaces.
    """
    lab = Lab({}, state_file, prefix=prefix)
    a, b = f"{prefix}-mtu-a", f"{prefix}-mtu-b"
    results = []
    try:
        for ns in (a, b):
            lab.add_namespace(ns)
            sh(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0"])
        sh(["ip", "link", "add", "uplink", "netns", a, "type", "veth", "peer", "name", "uplink", "netns", b])
        for idx, ns in enumerate((a, b)):
            sh(["ip", "-n", ns, "link", "set", "uplink", "mtu", str(underlay_mtu), "up"])
            for fam in ("u4", "u6"):
                sh(["ip", "-n", ns, "addr", "add", f"{addresses[fam][idx]}/{addresses[fam][2]}", "dev", "uplink"]
                   + (["nodad"] if fam == "u6" else []))
        for fam, key in ((4, "u4"), (6, "u6")):
            dev = f"vxlan{fam}"
            inner_a, inner_b = (ipaddress.ip_network(addresses["inner"][2]).network_address + n for n in (fam, fam + 8))
            plen = ipaddress.ip_network(addresses["inner"][2]).prefixlen
            for idx, ns in enumerate((a, b)):
                local, remote = addresses[key][idx], addresses[key][1 - idx]
                # df set: never fragment the outer packet, so an inner packet too big for the underlay is
                # dropped (with an ICMP "fragmentation needed" to the sender) instead of silently fragmented.
                sh(["ip", "-n", ns, "link", "add", dev, "type", "vxlan", "id", str(vni + fam), "local", local,
                    "remote", remote, "dstport", "4789", "df", "set"])
                # The VXLAN device's own MTU is left at the underlay's so the kernel does not refuse
                # locally: the probe shows what the underlay carries.
                sh(["ip", "-n", ns, "link", "set", dev, "mtu", str(underlay_mtu), "up"])
                sh(["ip", "-n", ns, "addr", "add", f"{(inner_a, inner_b)[idx]}/{plen}", "dev", dev])
            inner = predicted[fam]
            ok_size, bad_size = inner - 28, inner - 27       # ICMP echo: 20 IP + 8 ICMP header
            _ping(a, str(inner_b), 56)                         # learn the neighbor first
            r0 = _reassembled(b, fam)
            good = _ping(a, str(inner_b), ok_size)
            r1 = _reassembled(b, fam)
            bad = _ping(a, str(inner_b), bad_size)
            r2 = _reassembled(b, fam)
            again = _ping(a, str(inner_b), bad_size)          # after the ICMP "frag needed" the kernel knows the PMTU
            pmtu = re.search(r"mtu=(\d+)", again.stdout + again.stderr)
            # A fabric does not reassemble: an outer packet that had to be fragmented counts as a failure too.
            fragmented = r2 - r1 > 0
            results.append({"underlay_family": fam, "underlay_mtu": underlay_mtu, "predicted_inner_mtu": inner,
                            "ping_ok_size": ok_size,
                            "ping_ok_passed": good.returncode == 0 and r1 == r0,
                            "ping_plus_one_size": bad_size,
                            "ping_plus_one_failed": bad.returncode != 0 or fragmented,
                            "plus_one_outcome": ("outer packet fragmented by the sender (receiver reassembled it)"
                                                 if fragmented else "dropped" if bad.returncode != 0 else "passed"),
                            "kernel_learned_pmtu": int(pmtu.group(1)) if pmtu else None})
            for ns in (a, b):   # one overlay at a time: both use the same inner subnet
                sh(["ip", "-n", ns, "link", "del", dev])
        # The underlay itself: the full MTU passes, one byte more is refused.
        u_ok = _ping(a, addresses["u4"][1], underlay_mtu - 28)
        u_bad = _ping(a, addresses["u4"][1], underlay_mtu - 27)
        results.append({"underlay_family": 4, "underlay_mtu": underlay_mtu, "predicted_inner_mtu": None,
                        "ping_ok_size": underlay_mtu - 28, "ping_ok_passed": u_ok.returncode == 0,
                        "ping_plus_one_size": underlay_mtu - 27, "ping_plus_one_failed": u_bad.returncode != 0,
                        "kernel_learned_pmtu": None, "what": "underlay without overlay"})
    finally:
        teardown(state_file)
    return results


# --------------------------------------------------------------------------- LACP with OVS

OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def why_no_ovs():
    for tool in ("/usr/sbin/ovsdb-server", "/usr/sbin/ovs-vswitchd", "/usr/bin/ovs-vsctl", "/usr/bin/ovs-appctl",
                 "/usr/bin/ovsdb-tool", OVS_SCHEMA):
        if not os.path.exists(tool):
            return f"{tool} is missing (install the Debian package openvswitch-switch)"
    return None


def ovs_start(lab, ns, scratch):
    """One ovsdb-server + ovs-vswitchd pair inside ``ns`` (userspace datapath), sockets under scratch/ns."""
    d = os.path.join(scratch, ns)
    os.makedirs(d, exist_ok=True)
    sh(["ovsdb-tool", "create", f"{d}/conf.db", OVS_SCHEMA])
    sh(["ip", "netns", "exec", ns, "ovsdb-server", f"{d}/conf.db", f"--remote=punix:{d}/db.sock",
        f"--pidfile={d}/ovsdb.pid", f"--unixctl={d}/ovsdb.ctl", "--detach", f"--log-file={d}/ovsdb.log"])
    sh(["ovs-vsctl", f"--db=unix:{d}/db.sock", "--no-wait", "init"])
    sh(["ip", "netns", "exec", ns, "ovs-vswitchd", f"unix:{d}/db.sock", f"--pidfile={d}/vswitchd.pid",
        f"--unixctl={d}/vswitchd.ctl", "--detach", f"--log-file={d}/vswitchd.log"])
    return (lambda *args: sh(["ovs-vsctl", f"--db=unix:{d}/db.sock", *args]),
            lambda *args: sh(["ovs-appctl", "-t", f"{d}/vswitchd.ctl", *args], check=False))


def _lacp_members(text):
    members = {}
    for block in text.split("member: ")[1:]:
        name = block.split(":")[0]
        partner = re.search(r"partner sys_id: (\S+)", block)
        state = re.search(r"partner state: (.*)", block)
        members[name] = {"status": block.split("\n")[0].split(": ", 1)[1].strip(),
                         "partner_sys_id": partner.group(1) if partner else None,
                         "partner_state": state.group(1).strip() if state else ""}
    return members


def lacp_probe(prefix, switches, host, state_file, scratch):
    """The host's LACP bond (OVS, userspace) against its leaf pair's port-channel.

    Each leaf's side is an OVS port with LACP active/fast and the pair's CLAG system MAC as LACP
    system id (what CLAG does: both leaves speak as one system); the host's side is an OVS bond of
    its NICs. Returns what ``ovs-appctl lacp/show`` and ``bond/show`` report on the host.
    """
    lab = Lab({}, state_file, prefix=prefix)
    lab.state["scratch"] = [scratch]
    ends = []        # (leaf, leaf port, host nic, system mac, port-channel)
    for leaf in sorted(d for d, c in switches.items() if c.get("role") == "leaf"):
        cfg = switches[leaf]
        for pc in cfg.get("port_channels") or []:
            if pc.get("description", "").split(":")[0] != host:
                continue
            for member in pc["members"]:
                eth = next(e for e in cfg["ethernet_interfaces"] if e["name"] == member)
                ends.append((leaf, member, eth["description"].split(":")[1], (cfg.get("mlag") or {}).get("system_mac"),
                             pc))
    if not ends:
        raise LabError(f"{host} has no port-channel on any leaf")
    try:
        h = f"{prefix}-lacp-{host}"
        for ns in [h] + [f"{prefix}-lacp-{leaf}" for leaf in sorted({e[0] for e in ends})]:
            lab.add_namespace(ns)
        for leaf, port, nic, *_rest in ends:
            sh(["ip", "link", "add", nic, "netns", h, "type", "veth", "peer", "name", port, "netns",
                f"{prefix}-lacp-{leaf}"])
            sh(["ip", "-n", h, "link", "set", nic, "up"])
            sh(["ip", "-n", f"{prefix}-lacp-{leaf}", "link", "set", port, "up"])
        host_vsctl, host_appctl = ovs_start(lab, h, scratch)
        host_vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev")
        host_vsctl("add-bond", "br0", "bond0", *[e[2] for e in ends], "lacp=active", "bond_mode=balance-tcp",
                   "other_config:lacp-time=fast")
        for leaf in sorted({e[0] for e in ends}):
            vsctl = ovs_start(lab, f"{prefix}-lacp-{leaf}", scratch)[0]
            vsctl("add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev")
            for e in ends:
                if e[0] == leaf:
                    rate = "fast" if e[4].get("lacp_rate") == "fast" else "slow"
                    mode = "active" if e[4].get("lacp") == "active" else "passive"
                    extra = [f"other_config:lacp-system-id={e[3]}"] if e[3] else []
                    vsctl("add-port", "br1", e[1], "--", "set", "port", e[1], f"lacp={mode}",
                          f"other_config:lacp-time={rate}", *extra)
        t0 = time.monotonic()
        want = {e[3] for e in ends if e[3]}
        while True:
            members = _lacp_members(host_appctl("lacp/show", "bond0").stdout)
            done = len(members) == len(ends) and all(
                m["status"] == "current attached" and m["partner_sys_id"] in want
                and "collecting distributing" in m["partner_state"]
                and not {"expired", "defaulted"} & set(m["partner_state"].split()) for m in members.values())
            if done or time.monotonic() - t0 > 10:
                break
            time.sleep(0.02)
        negotiated_s = time.monotonic() - t0
        bond = host_appctl("bond/show", "bond0").stdout
        return {"host": host, "bond": "bond0", "leaves": sorted({e[0] for e in ends}),
                "expected_system_id": sorted({e[3] for e in ends if e[3]}),
                "lacp_status": (re.search(r"lacp_status: (\S+)", bond) or [None, "?"])[1],
                "negotiated_ms": round(negotiated_s * 1000) if done else None, "members": members,
                "enabled_members": sorted(re.findall(r"member (\S+): enabled", bond))}
    finally:
        teardown(state_file)
