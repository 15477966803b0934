# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""North-south on FRR in network namespaces: a border pair, its two VRFs and an external router.

The site is examples/small with tenants and a border (:func:`north_south_small`): VRFs infra and prod, rack 1
as the border pair, WAN router wan1 on a routed sub-interface per VRF (docs/north_south.md, exits table).

What stands for what (this kernel has no ``vrf``, 8021q or bond device, so a VRF cannot be a kernel VRF here):

* **A VRF of a border leaf** is a namespace of its own, ``<prefix>-<leaf>-<vrf>``, running FRR (zebra, bgpd,
  bfdd, staticd). It loads the leaf's frr.conf as the collection renders it (``switches/<leaf>.cfg`` of the
  pipeline, BGP passwords injected by ``deploy/secrets.py`` as the deploy role does), reduced to that VRF by
  :func:`vrf_config`: the ``router bgp <asn> vrf <vrf>`` block becomes the instance's ``router bgp <asn>``;
  the default VRF's BGP block (underlay, MLAG peering), the other VRFs' blocks, the ``vrf`` stanzas and the
  default VRF's ``interface`` blocks are left out; prefix lists, community lists, route maps and the BFD profile
  are loaded unchanged. VRF isolation inside a leaf is therefore the namespace boundary, not a kernel VRF
  with its route table: what the lab proves is the routing of the rendered config (which sessions come up,
  what goes out and comes in per VRF and family, where the default route comes from) and that traffic
  between VRFs has a path only through the external router.
* **The interfaces of a VRF** come from the rendered ifupdown2 file (``switches/<leaf>.interfaces``): every
  ``iface`` with ``vrf <vrf>``, its addresses and MTU (:func:`vrf_interfaces`). An SVI (``vlanN``) is a veth
  whose far end is a port of the bridge ``vlanN`` in the wire namespace, shared by both border leaves' SVIs
  and the hosts on that network: the VLAN across the MLAG pair. Its ``address-virtual`` (the anycast gateway)
  is a macvlan ``vlanN-v0`` on the SVI with the virtual MAC and addresses, as ifupdown2 builds it on a
  switch (``noprefixroute``: the subnet's connected route stays on the SVI, as there). A routed
  sub-interface (``swp47.3101``) is a veth whose far end is in the external router's namespace, named
  ``<leaf>.<vlan>`` there (no 802.1Q tag on the wire).
* **Not built**: the default VRF (underlay to the spines, MLAG peering; tests/integration/lab/test_lab.py
  deploys and checks it). small has no overlay, so a VRF does not cross the spines and every gateway of a
  VRF is on the border pair itself (docs/north_south.md).
* **The external router, the MetalLB speaker and the hosts** are namespaces configured by the caller (the
  test): their FRR configs are written by hand, not rendered by the collection.
"""

from __future__ import annotations

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
from fabric_lab import LabError, sh  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
SYSCTLS = ("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.default.accept_dad=0",
           "net.ipv6.conf.all.accept_dad=0", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2",
           "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
           "net.ipv6.conf.default.keep_addr_on_down=1", "net.ipv6.conf.all.keep_addr_on_down=1")


def why_not_possible():
    """None when this machine can run the lab, else the exact reason (the FRR lab's, or macvlan's)."""
    reason = fabric_lab.why_not_possible()
    if reason:
        return reason
    probe = f"dcnet-mvprobe-{os.getpid()}"
    try:
        sh(["ip", "netns", "add", probe])
        sh(["ip", "-n", probe, "link", "add", "pa", "type", "veth", "peer", "name", "pb"])
        res = sh(["ip", "-n", probe, "link", "add", "link", "pa", "name", "pa-v0", "type", "macvlan", "mode", "bridge"],
                 check=False)
        if res.returncode != 0:
            return f"the kernel cannot create macvlan devices (the anycast gateway): {res.stderr.strip()}"
    finally:
        sh(["ip", "netns", "del", probe], check=False)
    return None


# ------------------------------------------------------------------------------------------ rendered side
def north_south_small():
    """The group variables of examples/small (dcnet_site, dcnet_fabric, ...): the example itself has the tenants
    and the border pair (group_vars/all/north_south.yml), the same site the switch tests and the corpus use."""
    import glob

    import yaml

    variables = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "small", "inventory", "group_vars", "all", "*.yml"))):
        with open(path, encoding="utf-8") as handle:
            variables.update(yaml.safe_load(handle) or {})
    return variables


def render(variables=None, password="lab-md5-4711"):
    """{"configs": {leaf: frr.conf with passwords}, "interfaces": {leaf: ifupdown2 text}, "structured": {...}}
    of the site's FRR leaves (default: :func:`north_south_small`), through the collection's own pipeline and
    deploy-time secret injection."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import secrets

    result = pipeline.build(variables or north_south_small(), targets=["structured", "switches"])
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    if errors:
        raise LabError(f"the site does not render: {errors}")
    out = {"configs": {}, "interfaces": {}, "structured": {}}
    for name, structured in sorted(result["design"]["switches"].items()):
        if structured["role"] != "leaf" or structured["platform"] != "frr":
            continue
        values = {var: password for var in secrets.variables(structured)}
        out["configs"][name] = secrets.inject(result["files"][f"switches/{name}.cfg"], structured, values)[0]
        out["interfaces"][name] = result["files"][f"switches/{name}.interfaces"]
        out["structured"][name] = structured
    return out


def vrf_config(text, vrf):
    """The rendered frr.conf reduced to one VRF, whose BGP instance becomes the namespace's default instance."""
    out, skipping, found = [], False, False
    for line in text.splitlines():
        if skipping:
            skipping = line not in ("exit", "exit-vrf")
            continue
        bgp = re.match(r"router bgp (\d+)(?: vrf (\S+))?$", line)
        if bgp:
            if bgp.group(2) == vrf:
                out.append(f"router bgp {bgp.group(1)}")
                found = True
            else:
                skipping = True
            continue
        if line.startswith(("interface ", "vrf ")):
            skipping = True
            continue
        out.append(line)
    if not found:
        raise LabError(f"the rendered config has no 'router bgp ... vrf {vrf}' block")
    return "\n".join(out) + "\n"


def vrf_interfaces(text, vrf):
    """[{name, kind (svi | subinterface), vlan, addresses, virtual, mtu}] of the ifupdown2 stanzas in ``vrf``."""
    stanzas, current = [], None
    for line in text.splitlines():
        words = line.split()
        if line.startswith("iface "):
            current = {"name": words[1], "addresses": [], "virtual": None, "mtu": None, "vrf": None, "vlan": None}
            stanzas.append(current)
        elif line.startswith("auto ") or (line and not line[0].isspace()):
            current = None
        elif current is not None and words and not words[0].startswith("#"):
            key, values = words[0], words[1:]
            if key == "address":
                current["addresses"] += values
            elif key == "address-virtual":
                current["virtual"] = {"mac": values[0], "addresses": values[1:]}
            elif key == "mtu":
                current["mtu"] = int(values[0])
            elif key == "vrf":
                current["vrf"] = values[0]
            elif key == "vlan-id":
                current["vlan"] = int(values[0])
    out = []
    for stanza in stanzas:
        if stanza["vrf"] != vrf:
            continue
        if stanza["vlan"] is not None:
            stanza["kind"] = "svi"
        elif "." in stanza["name"]:
            stanza["kind"], stanza["vlan"] = "subinterface", int(stanza["name"].rsplit(".", 1)[1])
        else:
            raise LabError(f"{stanza['name']} in VRF {vrf}: neither an SVI nor a sub-interface")
        del stanza["vrf"]
        out.append(stanza)
    return out


def border_vrfs(structured):
    """{leaf: [VRF names]} of the border leaves (structured ``vrfs[].border``)."""
    return {leaf: [v["name"] for v in cfg.get("vrfs") or []] for leaf, cfg in sorted(structured.items())
            if any(v.get("border") for v in cfg.get("vrfs") or [])}


# ------------------------------------------------------------------------------------------ the lab
def _addr(ns, address, dev, extra=()):
    argv = ["ip", "-n", ns, "addr", "add", address, "dev", dev, *extra]
    if ":" in address:
        argv.append("nodad")
    sh(argv)


class NorthSouthLab:
    """The border leaves' VRFs, the external router, the hosts; built by :meth:`up`, removed by :meth:`down`.

    ``spec``: {"router": {"name", "frr": config text, "behind": {"name", "ipv4", "ipv6", "gw4", "gw6",
    "router_if"}}, "hosts": [{"name", "vlan", "ipv4", "ipv6", "gw4", "gw6", "loopbacks": [...],
    "frr": config text or None}]}. The router's interface toward each leaf's sub-interface is named
    ``<leaf>.<vlan>``; addresses on it come from the router's own config.
    """

    def __init__(self, prefix, rendered, spec):
        self.prefix, self.rendered, self.spec = prefix, rendered, spec
        self.workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
        self.lab = fabric_lab.Lab({}, os.path.join(self.workdir, "state.json"), prefix=prefix)
        self.vrfs = border_vrfs(rendered["structured"])
        self.loaded = {}

    def ns(self, name):
        return self.lab.ns(name)

    def _node(self, name):
        self.lab.add_namespace(self.ns(name))
        for key in SYSCTLS:
            sh(["ip", "netns", "exec", self.ns(name), "sysctl", "-qw", key])

    def up(self):
        router = self.spec["router"]
        wire = "wire"
        for name in [wire, router["name"], router["behind"]["name"]] + [h["name"] for h in self.spec["hosts"]]:
            self._node(name)
        bridges = set()
        for leaf, vrfs in self.vrfs.items():
            for vrf in vrfs:
                device = f"{leaf}-{vrf}"
                self._node(device)
                for iface in vrf_interfaces(self.rendered["interfaces"][leaf], vrf):
                    self._interface(device, leaf, iface, wire, router["name"], bridges)
        behind = router["behind"]
        sh(["ip", "link", "add", behind["router_if"], "netns", self.ns(router["name"]), "type", "veth", "peer",
            "name", "eth0", "netns", self.ns(behind["name"])])
        sh(["ip", "-n", self.ns(router["name"]), "link", "set", behind["router_if"], "up"])
        self._host_side(behind)
        for host in self.spec["hosts"]:
            bridge = f"vlan{host['vlan']}"
            if bridge not in bridges:
                raise LabError(f"host {host['name']}: no border leaf has an SVI in VLAN {host['vlan']}")
            port = f"h-{host['name']}"[:15]
            sh(["ip", "link", "add", "eth0", "netns", self.ns(host["name"]), "type", "veth", "peer", "name", port,
                "netns", self.ns(wire)])
            sh(["ip", "-n", self.ns(wire), "link", "set", port, "master", bridge, "up"])
            self._host_side(host)
        for leaf, vrfs in self.vrfs.items():
            for vrf in vrfs:
                self.load(f"{leaf}-{vrf}", vrf_config(self.rendered["configs"][leaf], vrf))
        self.load(router["name"], router["frr"])
        for host in self.spec["hosts"]:
            if host.get("frr"):
                self.load(host["name"], host["frr"])
        return self

    def _interface(self, device, leaf, iface, wire, router, bridges):
        ns, name, mtu = self.ns(device), iface["name"], str(iface["mtu"] or 1500)
        if iface["kind"] == "svi":
            bridge = name
            if bridge not in bridges:
                sh(["ip", "-n", self.ns(wire), "link", "add", bridge, "type", "bridge", "mcast_snooping", "0"])
                sh(["ip", "-n", self.ns(wire), "link", "set", bridge, "up"])
                bridges.add(bridge)
            port = f"{leaf}-{iface['vlan']}"[:15]
            sh(["ip", "link", "add", name, "netns", ns, "type", "veth", "peer", "name", port, "netns", self.ns(wire)])
            sh(["ip", "-n", self.ns(wire), "link", "set", port, "mtu", mtu, "master", bridge, "up"])
        else:
            far = f"{leaf}.{iface['vlan']}"
            sh(["ip", "link", "add", name, "netns", ns, "type", "veth", "peer", "name", far, "netns", self.ns(router)])
            sh(["ip", "-n", self.ns(router), "link", "set", far, "mtu", mtu, "up"])
        sh(["ip", "-n", ns, "link", "set", name, "mtu", mtu, "up"])
        for address in iface["addresses"]:
            _addr(ns, address, name)
        if iface["virtual"]:
            virtual = f"{name}-v0"
            sh(["ip", "-n", ns, "link", "add", "link", name, "name", virtual, "address", iface["virtual"]["mac"],
                "type", "macvlan", "mode", "private"])
            sh(["ip", "-n", ns, "link", "set", virtual, "mtu", mtu, "up"])
            for address in iface["virtual"]["addresses"]:
                _addr(ns, address, virtual, ["noprefixroute"])

    def _host_side(self, host):
        ns = self.ns(host["name"])
        sh(["ip", "-n", ns, "link", "set", "eth0", "up"])
        for fam in ("ipv4", "ipv6"):
            if host.get(fam):
                _addr(ns, host[fam], "eth0")
        for address in host.get("loopbacks") or []:
            _addr(ns, address, "lo")
        for fam, gw in (("-4", host.get("gw4")), ("-6", host.get("gw6"))):
            if gw:
                sh(["ip", "-n", ns, fam, "route", "add", "default", "via", gw])

    def load(self, device, config):
        """Start FRR in the device's namespace and load ``config`` with vtysh (as frr-reload would push it)."""
        self.lab._start_frr(device, fabric_lab.frr_defaults(config))
        self.lab.load_frr({device: config}, self.workdir, "conf")
        self.loaded[device] = config

    # -- observing ------------------------------------------------------------------------------------
    def vtysh(self, device, command):
        return sh(["vtysh", "-N", self.ns(device), "-c", command], check=False).stdout

    def vtysh_json(self, device, command, default=None):
        text = self.vtysh(device, command)
        try:
            return json.loads(text) if text.strip() else default
        except ValueError:
            return default

    def sessions(self, device):
        """{peer address: BGP state} of a device, both families."""
        out = {}
        for afi in ("ipv4", "ipv6"):
            summary = self.vtysh_json(device, f"show bgp {afi} unicast summary json", {}) or {}
            out.update({peer: p.get("state") for peer, p in (summary.get("peers") or {}).items()})
        return out

    def bfd(self, device):
        """{peer address: BFD status} of a device."""
        return {p["peer"]: p.get("status") for p in self.vtysh_json(device, "show bfd peers json", []) or []}

    def received(self, device, peer):
        """Sorted prefixes a device received from ``peer`` (before its own inbound policy; soft-reconfiguration)."""
        afi = "ipv6" if ":" in peer else "ipv4"
        data = self.vtysh_json(device, f"show bgp {afi} unicast neighbors {peer} received-routes json", {}) or {}
        return sorted((data.get("receivedRoutes") or {}).keys())

    def bgp_table(self, device, afi):
        """{prefix: sorted global next hops} of a device's BGP table (best and multipath entries)."""
        data = self.vtysh_json(device, f"show bgp {afi} unicast json", {}) or {}
        out = {}
        for prefix, paths in (data.get("routes") or {}).items():
            hops = set()
            for path in paths:
                if path.get("valid") and (path.get("bestpath") or path.get("multipath")):
                    # an IPv6 next hop is listed twice: its global and its link-local address
                    hops |= {h["ip"] for h in path.get("nexthops") or []
                             if h.get("ip") and h.get("scope") != "link-local" and not h["ip"].startswith("fe80:")}
            out[prefix] = sorted(hops)
        return out

    def kernel_routes(self, device, family):
        """Sorted destinations of a namespace's kernel main table (``default`` for the default route)."""
        routes = json.loads(sh(["ip", "-n", self.ns(device), "-j", f"-{family}", "route", "show"]).stdout or "[]")
        return sorted({r["dst"] for r in routes if not r["dst"].startswith("fe80")})

    def ping(self, device, dst, count=1, ttl=None, wait=1):
        argv = ["ip", "netns", "exec", self.ns(device), "ping", "-n", "-c", str(count), "-W", str(wait)]
        if ttl:
            argv += ["-t", str(ttl)]
        if ":" in dst:
            argv.insert(5, "-6")
        return sh(argv + [dst], check=False, timeout=30).returncode == 0

    def reach(self, device, dst, timeout=20):
        """True once ``device`` pings ``dst`` (neighbour entries settle), False after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while not self.ping(device, dst):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True

    def run(self, device, *argv):
        return sh(["ip", "netns", "exec", self.ns(device), *argv])

    def wait(self, condition, timeout, what):
        """Poll ``condition()`` (a list of reasons, empty when met) until met; seconds taken, or LabError."""
        t0 = time.monotonic()
        while True:
            why = condition()
            if not why:
                return round(time.monotonic() - t0, 1)
            if time.monotonic() - t0 > timeout:
                raise LabError(f"{what} not within {timeout} s: {'; '.join(why)}")
            time.sleep(0.5)

    def down(self):
        """Remove everything; returns (teardown problems, leftovers)."""
        problems = fabric_lab.teardown(self.lab.state_file)
        shutil.rmtree(self.workdir, ignore_errors=True)
        return problems, fabric_lab.leftovers(self.prefix)
