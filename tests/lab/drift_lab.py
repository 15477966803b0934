# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Drift against a live FRR fabric with an Open vSwitch edge in network namespaces (issue #21, item 5).

examples/small's switches run FRR in namespaces (fabric_lab.Lab, the rendered frr.conf loaded
with vtysh, eBGP up); each leaf namespace also gets an OVS bridge
(userspace datapath) whose ports are what the design says: a port-channel per OVE node
(LACP active, the rate of the bond profile, the pair's CLAG system id so both leaves speak
as one LACP system), trunks with the designed VLANs and native VLAN, the designed MTU. The OVE
nodes ove-w1/ove-w2 (shared VM layout) are namespaces laid out as configure-ovs and the
post-install policies leave an installed node: bond0, an OVS LACP bond over a veth to each leaf,
is the port of br-ex and sends the machine network (mgmt) untagged from br-ex's internal
interface; internal ports bond0.<vlan> are the VLAN interfaces. LACP negotiates for real.

The lab then captures the running state the way an operator would (``ovs-vsctl
--format=json list Port/Interface`` of each leaf; each host's state written as
``nmstatectl show`` YAML from its live OVS bridge, bond and VLAN ports, with the bridge mappings of
its cluster), breaks four things by hand
with ovs-vsctl -- a trunk, a native VLAN, an LACP member, an MTU -- captures again, and runs
playbooks/drift.yml on both captures. A fifth fault is made in FRR: the spines' remote AS on
leaf01a, captured from ``vtysh -c 'show running-config'``. Everything is recorded in a state file and torn down
(fabric_lab.teardown), also after a failure.
"""

from __future__ import annotations

import json
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
sys.path.insert(0, os.path.join(ROOT, ".collections"))   # the checkout as ansible_collections.dcnet.fabric

import fabric_lab  # noqa: E402
from fabric_lab import sh  # noqa: E402

LEAVES = ("leaf01a", "leaf01b")
BR_EX = "br-ex"
HOSTS = ("ove-w1", "ove-w2")
# The four faults, by hand, as (what, leaf, ovs-vsctl arguments).
BREAKS = (
    ("trunk: VLAN 30 (livemig) removed from leaf01a swp2", "leaf01a", ("set", "port", "swp2", "trunks=10,20,100,101")),
    ("native VLAN 10 removed from leaf01b swp1 (the host still sends mgmt untagged)", "leaf01b",
     ("set", "port", "swp1", "vlan_mode=trunk", "--", "clear", "port", "swp1", "tag")),
    ("LACP off on leaf01a swp1 (the member leaves its port-channel)", "leaf01a", ("set", "port", "swp1", "lacp=off")),
    ("MTU 1500 on leaf01b swp2", "leaf01b", ("set", "interface", "swp2", "mtu_request=1500")),
)


def why_not_possible():
    return fabric_lab.why_not_possible() or fabric_lab.why_no_ovs()


def _vtysh(lab, device, *commands):
    argv = ["vtysh", "-N", lab.ns(device)]
    for command in commands:
        argv += ["-c", command]
    return sh(argv, check=False)


def _bgp_states(lab, device):
    res = _vtysh(lab, device, "show bgp neighbors json")
    try:
        return {peer: info.get("bgpState") for peer, info in json.loads(res.stdout or "{}").items()}
    except ValueError:
        return {}


def _design():
    from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts
    from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

    raw = {}
    folder = os.path.join(ROOT, "examples", "small", "inventory", "group_vars", "all")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            raw.update({k[6:]: v for k, v in yaml.safe_load(handle).items() if k.startswith("dcnet_")})
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

    model = load_model(raw)
    facts = site_facts(model)
    files = pipeline.build(raw, from_vars=False, targets=["switches"])["files"]
    configs = {path.split("/")[1][:-4]: text for path, text in files.items() if path.endswith(".cfg")}
    return model, design(model, facts), configs


def ovs_leaf(lab, scratch, prefix, leaf, cfg):
    """A leaf's layer 2 as Open vSwitch in its namespace (ports and LACP port-channels of ``cfg``); returns its ovs-vsctl."""
    vsctl, _appctl = fabric_lab.ovs_start(lab, f"{prefix}-{leaf}", scratch)
    vsctl("add-br", "br-leaf", "--", "set", "bridge", "br-leaf", "datapath_type=netdev")
    system = (cfg.get("mlag") or {}).get("system_mac")
    channels = {m: pc for pc in cfg.get("port_channels") or [] for m in pc["members"]}
    for eth in cfg["ethernet_interfaces"]:
        name = eth["name"]
        if not re.fullmatch(r"swp\d+", name) or eth.get("mode") != "trunk":
            continue
        pc = channels.get(name)
        vlans = ",".join(str(v) for v in (pc or eth)["allowed_vlans"])
        native = (pc or eth).get("native_vlan")
        args = ["add-port", "br-leaf", name, "--", "set", "interface", name, f"mtu_request={eth['mtu']}",
                "--", "set", "port", name, f"trunks={vlans}"]
        args += ["vlan_mode=native-untagged", f"tag={native}"] if native else ["vlan_mode=trunk"]
        if pc:
            args += [f"lacp={pc['lacp']}", f"other_config:lacp-time={pc['lacp_rate'] or 'slow'}"]
            if system:
                args.append(f"other_config:lacp-system-id={system}")
        if sh(["ip", "-n", f"{prefix}-{leaf}", "link", "show", name], check=False).returncode != 0:
            # a port whose node is not in the lab (Azure Local adapters): a veth with a loose end
            sh(["ip", "-n", f"{prefix}-{leaf}", "link", "add", name, "type", "veth", "peer", "name", f"x{name}"])
            sh(["ip", "-n", f"{prefix}-{leaf}", "link", "set", f"x{name}", "up"])
        sh(["ip", "-n", f"{prefix}-{leaf}", "link", "set", name, "up"])
        vsctl(*args)
    return vsctl


def ovs_host(lab, scratch, prefix, node, cfg, native):
    """An installed OVE node: bond0 the port of br-ex, ``native`` (the machine network's VLAN, or None) untagged."""
    vsctl, appctl = fabric_lab.ovs_start(lab, f"{prefix}-{node}", scratch)
    bond = cfg["bond"]
    vsctl("add-br", BR_EX, "--", "set", "bridge", BR_EX, "datapath_type=netdev")
    from ansible_collections.dcnet.fabric.plugins.module_utils.vlans import expand_vlans

    vlans = sorted({v["vlan"] for v in cfg["vlan_interfaces"]} | set(expand_vlans(cfg["vm_vlans"]) if cfg["vm_vlans"] else [])
                   | ({native} if native else set()))
    vsctl("add-bond", BR_EX, bond["name"], *bond["ports"], "lacp=active", "bond_mode=balance-tcp",
          f"other_config:lacp-time={bond['options'].get('lacp_rate', 'slow')}", f"trunks={','.join(map(str, vlans))}",
          *(["vlan_mode=native-untagged", f"tag={native}"] if native else ["vlan_mode=trunk"]))
    if native:    # br-ex's internal interface holds the machine-network address: untagged on the bond
        vsctl("set", "port", BR_EX, f"tag={native}", "--", "set", "interface", BR_EX, f"mtu_request={bond['mtu']}")
    for nic in cfg["nics"]:
        vsctl("set", "interface", nic["name"], f"mtu_request={nic['mtu']}")
    for iface in cfg["vlan_interfaces"]:
        vsctl("add-port", BR_EX, iface["name"], f"tag={iface['vlan']}", "--", "set", "interface", iface["name"],
              "type=internal", f"mtu_request={iface['mtu']}")
    return vsctl, appctl


def _json(vsctl, table):
    return vsctl("--format=json", "list", table).stdout


def host_show(vsctl, cfg, mappings) -> str:
    """The host's live OVS state written as ``nmstatectl show`` reports an installed OVE node (YAML): the
    NICs, bond0 a port of the OVS bridge br-ex (with the VLANs its port lets through; native = sent
    untagged), br-ex's internal interface, the VLAN interfaces, and the cluster's bridge mappings."""
    from ansible_collections.dcnet.fabric.plugins.module_utils.drift import ovs

    one, many = ovs.scalar, ovs.set_values
    ports = {r["name"]: r for r in ovs.rows(_json(vsctl, "Port"))}
    ifaces = {r["name"]: r for r in ovs.rows(_json(vsctl, "Interface"))}
    bond = ports[cfg["bond"]["name"]]
    members = sorted(n for n in ifaces if ifaces[n]["_uuid"] in many(bond["interfaces"]))
    lacp = one(bond.get("lacp")) or "off"
    interfaces = [{"name": m, "type": "ethernet", "state": "up", "mtu": one(ifaces[m]["mtu"])} for m in members]
    interfaces.append({"name": bond["name"], "type": "bond", "state": "up", "controller": BR_EX,
                       "mtu": min(i["mtu"] for i in interfaces),
                       "link-aggregation": {"mode": "802.3ad" if lacp == "active" else "balance-xor", "port": members,
                                            "options": {"lacp_rate": bond["other_config"].get("lacp-time", "slow")}}})
    for name, port in sorted(ports.items()):
        tag = one(port.get("tag"))
        if name != BR_EX and tag is not None and name in ifaces and ifaces[name].get("type") == "internal":
            interfaces.append({"name": name, "type": "vlan", "state": "up", "mtu": one(ifaces[name]["mtu"]),
                               "vlan": {"base-iface": bond["name"], "id": tag}})
    vlan = {"mode": "trunk", "trunk-tags": [{"id": int(v)} for v in sorted(many(bond.get("trunks")))]}
    if one(bond.get("vlan_mode")) == "native-untagged":
        vlan.update(tag=one(bond.get("tag")), **{"enable-native": True})
    interfaces.append({"name": BR_EX, "type": "ovs-bridge", "state": "up",
                       "bridge": {"port": [{"name": bond["name"], "vlan": vlan}, {"name": BR_EX}]}})
    interfaces.append({"name": BR_EX, "type": "ovs-interface", "state": "up", "mtu": one(ifaces[BR_EX]["mtu"])})
    return yaml.safe_dump({"interfaces": interfaces, "ovn": {"bridge-mappings": [
        {"localnet": m["localnet"], "bridge": m["bridge"]} for m in mappings]}}, sort_keys=False)


def _lacp_attached(appctl, bond):
    text = appctl("lacp/show", bond).stdout
    return sorted(m for m in re.findall(r"member: (\S+): current attached", text))


def capture(folder, leaves, hosts, designed, lab):
    os.makedirs(folder, exist_ok=True)
    for leaf in leaves:
        with open(os.path.join(folder, f"{leaf}.cfg"), "w", encoding="utf-8") as handle:
            handle.write(_vtysh(lab, leaf, "show running-config").stdout)
    for leaf, vsctl in leaves.items():
        for table, suffix in (("Port", "ovs-ports"), ("Interface", "ovs-interfaces")):
            with open(os.path.join(folder, f"{leaf}.{suffix}.json"), "w", encoding="utf-8") as handle:
                handle.write(_json(vsctl, table))
    for node, (vsctl, _appctl) in hosts.items():
        with open(os.path.join(folder, f"{node}.nmstate.yml"), "w", encoding="utf-8") as handle:
            cluster = designed["clusters"][designed["nodes"][node]["cluster"]]
            handle.write(host_show(vsctl, designed["nodes"][node], cluster["ove"]["bridge_mappings"]))


def drift_playbook(folder):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
                           os.path.join(ROOT, "examples", "small", "inventory"),
                           os.path.join(ROOT, "playbooks", "drift.yml"), "-v", "-e", f"drift_running_dir={folder}"],
                          capture_output=True, text=True, env=env, timeout=300, check=False, cwd=ROOT)
    out = proc.stdout + proc.stderr
    result = None
    for line in out.splitlines():      # -v prints the drift task's result as one JSON line
        if " => {" in line and '"findings"' in line:
            result = json.loads(line.split(" => ", 1)[1])
            break
    return proc.returncode, out, result


def run(prefix=None):
    """Build, verify LACP, capture, break, capture again, run drift on both; tear down. Returns what was seen."""
    model, designed, configs = _design()
    prefix = prefix or f"dcnet-drift-{os.getpid()}"
    workdir = tempfile.mkdtemp(prefix=f"{prefix}-")
    state = os.path.join(tempfile.gettempdir(), f"{prefix}.lab-state.json")   # outside the scratch teardown removes
    switches = dict(designed["switches"])
    lab = fabric_lab.Lab(switches, state, prefix=prefix)
    lab.state["scratch"] = [workdir]
    out = {"prefix": prefix}
    try:
        lab.up(configs)                  # namespaces of every switch, fabric links, FRR daemons
        lab.load_frr(configs, workdir, "frr.conf")
        for device in HOSTS:
            lab.add_namespace(f"{prefix}-{device}")
        for node in HOSTS:     # cables first: one veth per NIC, named as the model names both ends
            for nic in designed["nodes"][node]["nics"]:
                sh(["ip", "link", "add", nic["name"], "netns", f"{prefix}-{node}", "type", "veth", "peer", "name",
                    nic["leaf_port"], "netns", f"{prefix}-{nic['leaf']}"])
                sh(["ip", "-n", f"{prefix}-{node}", "link", "set", nic["name"], "up"])
        leaves = {leaf: ovs_leaf(lab, workdir, prefix, leaf, designed["switches"][leaf]) for leaf in LEAVES}
        hosts = {}
        for node in HOSTS:
            native = designed["nodes"][node]["bond"]["network"]
            hosts[node] = ovs_host(lab, workdir, prefix, node, designed["nodes"][node],
                                   model.networks[native]["vlan"] if native else None)
        deadline = time.monotonic() + 20
        while True:
            attached = {n: _lacp_attached(appctl, designed["nodes"][n]["bond"]["name"]) for n, (_v, appctl) in hosts.items()}
            if all(len(v) == 2 for v in attached.values()) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        out["lacp_before"] = attached
        deadline = time.monotonic() + 60
        while True:
            out["bgp_before"] = {p: s for p, s in _bgp_states(lab, "leaf01a").items() if p.startswith("10.254.")}
            if (out["bgp_before"] and all(s == "Established" for s in out["bgp_before"].values())) \
                    or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        capture(os.path.join(workdir, "before"), leaves, hosts, designed, lab)
        out["before"] = drift_playbook(os.path.join(workdir, "before"))
        for _what, leaf, args in BREAKS:
            leaves[leaf](*args)
        asn = designed["switches"]["leaf01a"]["asn"]
        _vtysh(lab, "leaf01a", "configure terminal", f"router bgp {asn}", "neighbor SPINES remote-as 65099")
        time.sleep(4)            # LACP fast rate: a partner gone quiet expires after 3 s
        out["bgp_after"] = {p: s for p, s in _bgp_states(lab, "leaf01a").items() if p.startswith("10.254.")}
        out["lacp_after"] = {n: _lacp_attached(appctl, designed["nodes"][n]["bond"]["name"])
                             for n, (_v, appctl) in hosts.items()}
        out["trace_untagged"] = sh(["ovs-appctl", "-t", os.path.join(workdir, f"{prefix}-leaf01b", "vswitchd.ctl"),
                                    "ofproto/trace", "br-leaf", "in_port=swp1"], check=False).stdout
        out["trace_vlan30"] = sh(["ovs-appctl", "-t", os.path.join(workdir, f"{prefix}-leaf01a", "vswitchd.ctl"),
                                  "ofproto/trace", "br-leaf", "in_port=swp2,dl_vlan=30"], check=False).stdout
        capture(os.path.join(workdir, "after"), leaves, hosts, designed, lab)
        out["after"] = drift_playbook(os.path.join(workdir, "after"))
    finally:
        out["teardown"] = fabric_lab.teardown(state)
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, default=str)[:20000])
