"""Walk one flow hop by hop through hosts, virtual switches, leaves, the overlay and spines.

``explain`` resolves both ends, then walks each direction in each address
family the two ends share.  A walk is a list of hops; each hop says what
happens there, the headers on the wire, the MTU of the interface the packet
leaves by and what is left of it, the equal-cost choice made there (with
what decides it, or that the model cannot decide it) and how to check it on
the device.  Everything is read through ``view``; MTUs of hop kinds come from
``hopmtu`` (the MTU checks use the same), bond hashes from ``hashing``.
"""

from __future__ import annotations

from .. import hashing, hopmtu
from .. import mtu as mtumath
from .. import platforms
from . import endpoints, verify, view, wire
from .edge import EdgeWalk

DEFAULT_FLOW = {"proto": 6, "src_port": 49152, "dst_port": 443}
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1}
BOND_MODE_TEXT = {"802.3ad": "IEEE 802.3ad Dynamic link aggregation", "balance-xor": "load balancing (xor)",
                  "active-backup": "fault-tolerance (active-backup)", "balance-rr": "load balancing (round-robin)",
                  "balance-tlb": "transmit load balancing", "balance-alb": "adaptive load balancing"}


def parse_flow(flow) -> dict:
    """{"proto", "src_port", "dst_port"} from a dict or 'tcp/443', 'udp/5000/53', 'icmp'."""
    if flow is None or flow == "":
        return dict(DEFAULT_FLOW)
    if isinstance(flow, dict):
        out = dict(DEFAULT_FLOW)
        out.update({k: flow[k] for k in ("proto", "src_port", "dst_port", "src_mac", "dst_mac") if k in flow})
        if isinstance(out["proto"], str):
            out["proto"] = PROTOS.get(out["proto"].lower(), out["proto"])
    else:
        parts = str(flow).strip().lower().split("/")
        if parts[0] not in PROTOS or len(parts) > 3:
            raise endpoints.PathError(f"path_flow: '{flow}' is not 'tcp/<port>', 'udp/<sport>/<dport>' or 'icmp'")
        out = {"proto": PROTOS[parts[0]], "src_port": DEFAULT_FLOW["src_port"], "dst_port": 0}
        try:
            if len(parts) == 2:
                out["dst_port"] = int(parts[1])
            elif len(parts) == 3:
                out["src_port"], out["dst_port"] = int(parts[1]), int(parts[2])
        except ValueError:
            raise endpoints.PathError(f"path_flow: ports in '{flow}' must be numbers") from None
    if out["proto"] not in (1, 6, 17):
        raise endpoints.PathError(f"path_flow: protocol must be tcp, udp or icmp, not {out['proto']!r}")
    for key in ("src_port", "dst_port"):
        if out["proto"] == 1:
            out[key] = 0
        elif not isinstance(out[key], int) or not 0 <= out[key] <= 65535:
            raise endpoints.PathError(f"path_flow: {key} must be 0..65535, not {out[key]!r}")
    return out


class Stop(Exception):
    """The walk ends before the destination: ``status`` and the reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Walk(EdgeWalk):
    """One direction, one address family (the hops out of a VRF and through the border: ``edge.EdgeWalk``)."""

    def __init__(self, model, facts, design, fam, src, dst, flow):
        self.model, self.facts, self.design, self.fam = model, facts, design, fam
        self.src, self.dst = src, dst
        self.flow = dict(flow, src_ip=src["addresses"].get(fam), dst_ip=dst["addresses"].get(fam))
        if not self.flow.get("src_mac") and src.get("mac"):
            self.flow["src_mac"] = src["mac"]          # an inventory VM's MAC (dcnet_vms)
        if fam == 6 and self.flow["proto"] == 1:
            self.flow["proto"] = 58
        self.hops, self.notes = [], []
        self.payload = wire.inner(fam, self.flow)     # what rides inside the frames on the fabric
        self.wire_flow = self.flow                     # the headers switches and bonds hash
        self.sender_mtu = None

    # ------------------------------------------------------------------ building blocks
    def hop(self, kind, device, platform, what, stack, mtu=None, mtu_what="", interface=None, choice=None,
            decided=True, ctx=None, model_path=None, routed=False):
        entry = {"n": len(self.hops) + 1, "kind": kind, "device": device, "platform": platform,
                 "interface": interface, "what": what, "headers": stack, "mtu": mtu, "mtu_what": mtu_what,
                 "choice": choice, "decided": decided, "model_path": model_path, "routed": routed,
                 "verify": verify.commands(kind, platform, dict(ctx or {}, fam=self.fam, device=device))}
        self.hops.append(entry)
        return entry

    def tagged(self, vlan):
        return [wire.ethernet(), wire.dot1q(vlan)] + self.payload

    def untagged(self, what="Ethernet"):
        return [wire.ethernet(what)] + self.payload

    def ctx(self, **kw):
        base = {"src": self.flow["src_ip"], "dst": self.flow["dst_ip"], "dport": self.flow["dst_port"] or None,
                "src_mac": self.src.get("mac"), "dst_mac": self.dst.get("mac"),
                "sport": self.flow["src_port"], "proto_name": wire.PROTO_NAMES.get(self.flow["proto"], "tcp").lower()}
        base.update(kw)
        return base

    # ------------------------------------------------------------------ the walk
    def run(self) -> dict:
        status, reason = "complete", None
        try:
            if self.src["kind"] == "external":
                self.from_outside()
            else:
                leaf, network = self.source()
                self.forward(leaf, network)
        except Stop as stop:
            status, reason = stop.status, stop.reason
        return self.result(status, reason)

    @staticmethod
    def stop(status, reason):
        """The Stop ending the walk (for the mixins, which raise it)."""
        return Stop(status, reason)

    def source(self):
        """Hops inside the sending host, up to the first leaf: (leaf, network the frame is in)."""
        ep = self.src
        if ep["kind"] not in ("node", "vm", "pod"):
            raise Stop("not-modelled", f"{ep['spec']} is not a host of the model: a path can only start at a node, "
                                       "a VM on a node or a pod")
        if ep["kind"] == "vm" and not ep["node"]:
            raise Stop("not-modelled", ep["unplaced"])
        cluster = self.model.clusters[ep["cluster"]]
        if ep["kind"] == "pod":
            return self.source_pod(cluster)
        if ep["kind"] == "vm":
            network = ep["network"]
            net = view.network(self.model, network)
            self.sender_mtu = net["mtu"]
            self.vm_hops(cluster, network)
        else:
            network = self.node_egress_network(cluster)
        return self.to_leaf(cluster, network), network

    def node_egress_network(self, cluster):
        """The node's routing table: a connected network holding the destination, else the default route."""
        ep, dst_ip = self.src, self.flow["dst_ip"]
        nets = view.addressed_networks(self.model, self.facts, ep["cluster"], ep["node"])
        on_link = next((n for n in nets if dst_ip and view.network_of_address(self.model, dst_ip) == n), None)
        network = on_link or view.management_network(self.model, ep["cluster"])
        cfg = view.node_config(self.design, ep["node"])
        iface = view.host_interface(self.model, self.design, ep["cluster"], ep["node"], network)
        if iface is None:
            raise Stop("no-route", f"node {ep['node']} has no interface for {dst_ip}: no connected network holds it "
                                   "and it has no management network for a default route")
        gateway = None if on_link else next((r["next_hop"] for r in cfg["routes"]
                                             if (":" in r["destination"]) == (self.fam == 6)), None)
        if not on_link and not gateway:
            raise Stop("no-route", f"node {ep['node']} has no IPv{self.fam} default route (network {network} has no "
                                   "gateway), so it cannot reach a destination outside its networks")
        net = view.network(self.model, network)
        self.sender_mtu = iface["mtu"] or net["mtu"]
        if ep["addresses"].get(self.fam) is None or view.network_of_address(self.model, ep["addresses"][self.fam]) != network:
            addr = endpoints.node_addresses(self.model, self.facts, ep, network).get(self.fam)
            if not addr:
                raise Stop("no-route", f"node {ep['node']} has no IPv{self.fam} address on network {network}")
            self.flow["src_ip"] = addr
            self.payload = wire.inner(self.fam, self.flow)
        self.src_network = network
        platform = ep["platform"]
        what = (f"leaves by {iface['name']} (network {network}, VLAN {net['vlan']})" + _port_text(iface, net["vlan"])
                + (f", to the gateway {gateway} (default route)" if gateway else ", on-link"))
        self.hop("host-interface", ep["node"], platform, what, self.untagged() if platform == "azure_local" else
                 self.tagged(net["vlan"]) if iface["tagged"] else self.untagged(), iface["mtu"] or net["mtu"],
                 f"{iface['name']} MTU", iface["name"],
                 ctx=self.ctx(node=ep["node"], interface=iface["name"], port=iface["port"], vlan=net["vlan"],
                              mtu=iface["mtu"] or net["mtu"], gateway=gateway, network=network,
                              switch=self.atc_switch(ep, network)),
                 model_path=f"clusters[{ep['cluster']}].nodes[{ep['node']}]")
        return network

    def vm_hops(self, cluster, network):
        ep, net = self.src, view.network(self.model, self.src["network"])
        node, platform, vlan = ep["node"], ep["platform"], net["vlan"]
        self.hop("vm-nic", vm_device(ep), platform, f"{vm_nic_text(ep)} on network {network} (untagged inside the "
                 "VM)", self.untagged(), net["mtu"], f"network {network} MTU (NAD / VM NIC)", ep["nic"] or "eth0",
                 ctx=self.ctx(network=network, vlan=vlan, nad=self.nad(cluster, ep, network),
                              switch=self.atc_switch(ep, network), vm=ep["vm"], mac=ep["mac"]),
                 model_path=ep.get("where") or f"networks[{network}]")
        if platform == "ove":
            bridge = view.vm_bridge(self.model, cluster["name"])
            bond_name = view.node_bond(self.model, self.design, node, network)["name"]
            localnet = view.localnet_name(self.design, cluster["name"], network)
            if cluster["ove"]["cni"] == "localnet":
                self.hop("ovn-localnet", node, "ove",
                         f"OVN-Kubernetes localnet {network}: the logical switch (port security, ACLs, "
                         f"MultiNetworkPolicy) is OVN's and cannot be decided from the model; the localnet port tags "
                         f"VLAN {vlan} and hands the frame to {bridge} (bridge mapping {localnet}:{bridge})",
                         self.tagged(vlan), decided=False,
                         ctx=self.ctx(node=node, bridge=bridge, network=network, vlan=vlan, mac=ep["mac"],
                                      localnet=localnet))
            self.hop("host-bridge", node, "ove", f"{bridge} ({'OVS' if cluster['ove']['cni'] == 'localnet' else 'Linux'} "
                     f"bridge) switches VLAN {vlan} to its uplink {bond_name}" + self.layout_text(cluster, bond_name),
                     self.tagged(vlan),
                     ctx=self.ctx(node=node, bridge=bridge, bond=bond_name, vlan=vlan, cni=cluster["ove"]["cni"],
                                  mac=ep["mac"]),
                     model_path=f"clusters[{cluster['name']}].ove")
        elif platform == "linux":
            self.hop("host-bridge", node, "linux", "the host's VM bridge: not modelled for linux clusters (which "
                     f"bridge or vSwitch tags VLAN {vlan} is the host's own configuration)", self.tagged(vlan),
                     decided=False, ctx=self.ctx(node=node, bridge="<bridge>", bond=cluster["bond"]["name"], vlan=vlan,
                                                 cni="bridge"))

    def nad(self, cluster, ep, network):
        """namespace/name of the NetworkAttachmentDefinition a VM's NIC uses (in the VM's own namespace)."""
        if ep["platform"] != "ove":
            return None
        return f"{view.vm_namespace(self.model, cluster['name'], ep.get('vm'))}/{network}"

    def layout_text(self, cluster, bond_name):
        """How the VM uplink relates to the machine network, by the cluster's VM layout."""
        mgmt = view.management_network(self.model, cluster["name"])
        if view.vm_layout(self.model, cluster["name"]) == "shared":
            return (f" (shared layout: br-ex is also the bridge of the machine network{f' {mgmt}' if mgmt else ''}, "
                    f"which {bond_name} carries untagged, so the VM VLAN's tag is the only one)")
        return f" (dedicated layout: the VM bond; the machine network stays on {cluster['bond']['name']})"

    def atc_switch(self, ep, network):
        if ep["platform"] != "azure_local":
            return None
        intent = self.atc_intent(ep, network)
        return f"ConvergedSwitch({intent['name']})" if intent else None

    def atc_intent(self, ep, network):
        link = view.node_link(self.facts, ep["cluster"], ep["node"])
        adapters = [a for a in (link or {}).get("adapters", []) if network in a["networks"]]
        if not adapters:
            return None
        return next(i for i in self.model.clusters[ep["cluster"]]["intents"] if i["name"] == adapters[0]["intent"])

    def source_pod(self, cluster):
        ep, dst = self.src, self.dst
        if dst["kind"] != "pod" or dst["cluster"] != ep["cluster"]:
            raise Stop("not-modelled", "pod traffic leaving its cluster is source-NATed by OVN-Kubernetes to the "
                                       f"node's address: explain {ep['node']} -> {dst['spec']} for that path")
        ove = view.ove_section(self.design, cluster["name"])["ovn"]
        carrier = ove["host_network"]
        mine = endpoints.node_addresses(self.model, self.facts, ep, carrier).get(self.fam)
        theirs = endpoints.node_addresses(self.model, self.facts, dst, carrier).get(self.fam)
        if not mine or not theirs:
            raise Stop("no-route", f"the Geneve underlay network {carrier} has no IPv{self.fam} addresses on both nodes")
        self.sender_mtu = ove["mtu"]
        pod_flow = dict(self.flow, src_ip=f"<pod on {ep['node']}>", dst_ip=f"<pod on {dst['node']}>")
        self.hop("geneve", ep["node"], "ove", f"pod to pod: OVN's logical switch and router pick the destination "
                 f"node ({dst['node']}) and encapsulate in Geneve toward it; which OVN flows match is OVN's and cannot "
                 f"be decided from the model (pod MTU {ove['mtu']} = {ove['host_mtu']} - {ove['overhead']})",
                 [wire.ethernet("Ethernet (pod)")] + wire.inner(self.fam, pod_flow), ove["mtu"], "pod network MTU",
                 "eth0", decided=False, ctx=self.ctx(node=ep["node"], remote=theirs, dport=self.flow["dst_port"]),
                 model_path=f"clusters[{cluster['name']}].overlay")
        self.payload = wire.geneve(self.fam, mine, theirs, ove["overhead"]) + wire.inner(self.fam, pod_flow)
        self.wire_flow = {"src_ip": mine, "dst_ip": theirs, "proto": 17, "src_port": None, "dst_port": wire.GENEVE_PORT}
        self.dst = dict(dst, kind="node", network=carrier, addresses={self.fam: theirs})
        self.flow = pod_flow
        net = view.network(self.model, carrier)
        iface = view.host_interface(self.model, self.design, ep["cluster"], ep["node"], carrier) or {
            "name": view.node_config(self.design, ep["node"])["bond"]["name"], "tagged": True, "port": None}
        name = iface["name"]
        self.hop("host-interface", ep["node"], "ove", f"br-ex sends the Geneve packet by {iface['port'] or name} "
                 f"(network {carrier}, VLAN {net['vlan']}{'' if iface['tagged'] else ', untagged'}) to {theirs}",
                 self.tagged(net["vlan"]) if iface["tagged"] else self.untagged(), net["mtu"], f"{name} MTU", name,
                 ctx=self.ctx(node=ep["node"], interface=name, port=iface["port"], vlan=net["vlan"], mtu=net["mtu"],
                              dst=theirs, network=carrier), model_path=f"networks[{carrier}]")
        self.src_network = carrier
        return self.to_leaf(cluster, carrier), carrier

    # ------------------------------------------------------------------ host -> leaf
    def to_leaf(self, cluster, network):
        ep = self.src
        if self.dst.get("node") == ep["node"]:
            self.hop("host-bridge", ep["node"], ep["platform"], f"{self.dst['spec']} is on the same node: the node "
                     "switches or routes it locally and nothing reaches the fabric", self.untagged(), decided=False,
                     ctx=self.ctx(node=ep["node"], bridge=view.vm_bridge(self.model, cluster["name"])
                                  if cluster.get("ove") else "<bridge>",
                                  bond=(cluster["bond"] or {}).get("name", "<bond>"), vlan="<vlan>"))
            raise Stop("local", f"{ep['spec']} and {self.dst['spec']} are on the same node")
        link = view.node_link(self.facts, ep["cluster"], ep["node"])
        vlan = view.network(self.model, network)["vlan"]
        if link["kind"] == "adapters":
            return self.set_team(ep, link, network, vlan)
        bond = view.node_bond(self.model, self.design, ep["node"], network)
        profile = view.bond_profile(self.model, bond["profile"])
        if not self.wire_flow.get("dst_mac"):
            self.wire_flow["dst_mac"], self.dst_mac_is = self.next_hop_mac(network)
        cables = {c["nic"]: c for c in view.node_cables(self.facts, ep["cluster"], ep["node"])}
        members = list(bond["ports"])
        choice, nic = self.bond_choice(profile, members)
        leaf, port = cables[nic]["leaf"], cables[nic]["port"]
        # the frame's tag: the network's VLAN, or none for the native network (the machine network on br-ex)
        stack = self.untagged() if bond.get("network") == network else self.tagged(vlan)
        self.hop("bond", ep["node"], ep["platform"],
                 f"{bond['name']} ({profile['mode']}, {profile['xmit_hash_policy']}) sends by {nic}, cabled to "
                 f"{leaf} {port}" + ("" if choice["chosen"] else " (shown; the member is not decided by the model)"),
                 stack, view.node_bond_mtu(self.model, self.design, ep["node"], network),
                 f"{bond['name']} MTU (bond profile {bond['profile']})", nic,
                 choice=choice, decided=choice["chosen"] is not None,
                 ctx=self.ctx(node=ep["node"], bond=bond["name"], member=nic, policy=profile["xmit_hash_policy"],
                              mode_text=BOND_MODE_TEXT.get(profile["mode"], profile["mode"]), lacp=link["lacp"]),
                 model_path=f"bond_profiles[{bond['profile']}]")
        self.leaf_in(leaf, port, vlan, network)
        return leaf

    def next_hop_mac(self, network):
        """(MAC, what it is) the sender puts as destination on ``network``: the destination's own on the same
        network (known for inventory VMs), else the anycast gateway's; (None, why) when the model has none."""
        dst = self.dst
        if self.dst_network() == network:
            if dst.get("mac"):
                return dst["mac"], f"the MAC of {dst['vm']} ({dst['nic']}), on the same network"
            return None, f"the destination's MAC ({dst['spec']} is on the same network; the model has no MAC for it)"
        mac = view.anycast_gateway_mac(self.design, self.facts, network)
        if mac:
            return mac, f"the anycast gateway MAC of {network} (routed)"
        return None, f"the gateway's MAC (network {network} has no fabric gateway)"

    def dst_network(self):
        """The network the destination is on (None outside the modelled networks)."""
        dst, dst_ip = self.dst, self.wire_flow.get("dst_ip")
        dst_net = dst.get("network") if dst["kind"] in ("node", "vm", "address") else None
        if dst["kind"] == "node" and dst_ip:
            dst_net = view.network_of_address(self.model, dst_ip) or dst_net
        return dst_net

    def bond_choice(self, profile, members):
        mode, policy = profile["mode"], profile["xmit_hash_policy"]
        flow = self.wire_flow
        inputs = {"policy": policy, "members": members, "src_ip": flow.get("src_ip"), "dst_ip": flow.get("dst_ip"),
                  "proto": flow.get("proto"), "src_port": flow.get("src_port"), "dst_port": flow.get("dst_port"),
                  "src_mac": flow.get("src_mac"), "dst_mac": flow.get("dst_mac")}
        if getattr(self, "dst_mac_is", None):
            inputs["dst_mac_is"] = self.dst_mac_is
        choice = {"kind": "bond-hash", "candidates": members, "chosen": None, "inputs": inputs, "rule": ""}
        if mode == "active-backup":
            choice.update(kind="active-backup", chosen=members[0], rule=f"active-backup: the active member, "
                          f"{members[0]} (first port) while it is up; the other takes over when it fails")
            return choice, members[0]
        if mode not in ("802.3ad", "balance-xor"):
            choice["rule"] = f"{mode}: the driver spreads packets by load or in turn, not by a hash the model can compute"
            return choice, members[0]
        if policy not in hashing.POLICIES:
            choice["rule"] = f"xmit_hash_policy {policy} has no formula in hashing.py"
            return choice, members[0]
        missing = [k for k in ("src_ip", "dst_ip") if not flow.get(k)]
        if policy in ("layer3+4", "encap3+4") and flow.get("proto") in (6, 17) and flow.get("src_port") is None:
            missing.append("src_port (chosen by the sender: for Geneve, OVS derives it from the inner flow)")
        if policy in ("layer2", "layer2+3", "encap2+3"):
            if not flow.get("src_mac"):
                missing.append("src_mac (the sender's MAC: the model has MACs for inventory VMs only)")
            if not flow.get("dst_mac"):
                missing.append(f"dst_mac ({getattr(self, 'dst_mac_is', None) or 'the next hop MAC'})")
        if missing:
            choice["rule"] = f"{policy} needs {', '.join(missing)}: the member cannot be decided from the model"
            return choice, members[0]
        index = hashing.member(policy, dict(flow), len(members))
        choice.update(chosen=members[index], hash=hashing.xmit_hash(policy, dict(flow)),
                      rule=f"Linux bonding {policy}: hash % {len(members)} members = {index} -> {members[index]} "
                           "(members in the bond's port order, all up)")
        return choice, members[index]

    def set_team(self, ep, link, network, vlan):
        adapters = [a for a in link["adapters"] if network in a["networks"] and a["leaf"]]
        if not adapters:
            raise Stop("no-route", f"no adapter of {ep['node']} carries network {network} to a leaf")
        intent = next(i for i in self.model.clusters[ep["cluster"]]["intents"] if i["name"] == adapters[0]["intent"])
        algorithm = intent["switch"]["load_balancing"] or "HyperVPort"
        names = [a["name"] for a in adapters]
        choice = {"kind": "set-team", "candidates": names, "chosen": None,
                  "inputs": {"algorithm": algorithm, "members": names},
                  "rule": f"SET {algorithm}: Hyper-V places each vNIC on a team member at run time "
                          "(Get-VMNetworkAdapterTeamMapping shows it); the model cannot decide which"}
        first = adapters[0]
        mtu = hopmtu.adapter_mtu(first)
        self.hop("vswitch", ep["node"], "azure_local", f"Hyper-V virtual switch (SET, intent {intent['name']}) tags "
                 f"VLAN {vlan} and sends by one of {', '.join(names)} (shown: {first['name']} to {first['leaf']})",
                 self.tagged(vlan), mtu, f"{first['name']} JumboPacket {first['jumbo_packet'] or 1514} - 14",
                 first["name"], choice=choice, decided=False,
                 ctx=self.ctx(switch=f"ConvergedSwitch({intent['name']})", intent=intent["name"], members=names,
                              algorithm=algorithm, jumbo=first["jumbo_packet"]),
                 model_path=f"clusters[{ep['cluster']}].intents[{intent['name']}]")
        self.leaf_in(first["leaf"], first["port"], vlan, network)
        return first["leaf"]

    def leaf_in(self, leaf, port, vlan, network):
        sw = view.switch(self.facts, leaf)
        pf = view.host_port(self.facts, leaf, port)
        ch = pf and pf["channel"] and view.port_channel(self.facts, leaf, pf["channel"]["id"])
        name = ch["name"] if ch else port
        native = _native(pf, ch, vlan)
        what = (f"{leaf} receives on {name}" + (f" (member {port})" if ch else "") + f", VLAN {vlan} ({network})"
                + (", untagged: the port's native VLAN" if native else ""))
        if ch and ch.get("mlag_id"):
            what += f"; MLAG {ch['mlag_id']} spans {' and '.join(view.pair(self.facts, leaf))}: the host's bond hash picked {leaf}"
        self.hop("leaf-ingress", leaf, sw["platform"], what, self.untagged() if native else self.tagged(vlan),
                 pf["mtu"] if pf else None,
                 f"{leaf} {name} MTU", name,
                 ctx=self.ctx(port_channel=ch["name"] if ch else None, channel_id=ch["id"] if ch else None,
                              mlag_id=ch.get("mlag_id") if ch else None, members=ch["members"] if ch else [port],
                              port=port, vlan=vlan), model_path=pf["path"] if pf else None)

    # ------------------------------------------------------------------ on the leaf
    def forward(self, leaf, network):
        dst_net = self.dst_network()
        if dst_net == network:
            return self.bridge(leaf, network, routed=False)
        self.route_at(leaf, network, dst_net)

    def route_at(self, leaf, network, dst_net):
        """Routing on the anycast gateway of the source network, in its VRF."""
        net = view.network(self.model, network)
        sw = view.switch(self.facts, leaf)
        gw = view.svi(self.facts, leaf, network)
        if net["gateway_on"] == "none" or gw is None and net["gateway_on"] != "external":
            raise Stop("no-route", f"network {network} has no gateway (gateway_on: {net['gateway_on']}): traffic "
                                   f"cannot leave VLAN {net['vlan']} toward {self.dst['spec']}")
        if net["gateway_on"] == "external":
            raise Stop("not-modelled", f"the gateway of network {network} is an external router the model does not "
                                       f"describe: {leaf} only bridges VLAN {net['vlan']} toward it")
        gateway = gw[f"gateway{self.fam}"]
        if not gateway:
            raise Stop("no-route", f"network {network} has no IPv{self.fam} gateway")
        iface = view.vlan_interface(self.facts, leaf, net["vlan"])
        self.hop("gateway", leaf, sw["platform"], f"anycast gateway {gateway} on {iface} (the same address and MAC "
                 f"on every leaf carrying {network}) receives the frame; the 802.1Q tag ends here",
                 self.tagged(net["vlan"]), net["mtu"], f"{iface} MTU", iface,
                 ctx=self.ctx(interface=iface, vlan=net["vlan"], gateway=gateway, vni=view.vni(self.facts, network),
                              anycast_mac=view.anycast_gateway_mac(self.design, self.facts, network),
                              prefixlen=net[f"ipv{self.fam}"].split("/")[1] if net[f"ipv{self.fam}"] else None),
                 model_path=f"networks[{network}]")
        my_vrf = view.vrf(self.model, network)
        dst = self.dst
        if dst["kind"] in ("external",) or (dst["kind"] == "address" and dst_net is None):
            return self.leave_vrf(leaf, my_vrf)
        if dst["kind"] == "vip":
            vip_vrf = view.vip_vrf(self.model, dst["cluster"])
            if vip_vrf != my_vrf and not view.leaks_into(self.facts, my_vrf, vip_vrf):
                return self.leave_vrf(leaf, my_vrf, back=(vip_vrf, None))
            return self.to_vip(leaf, vip_vrf)
        their_vrf = view.vrf(self.model, dst_net)
        if their_vrf != my_vrf:
            if view.leaks_into(self.facts, my_vrf, their_vrf):
                return self.leak(leaf, my_vrf, their_vrf, dst_net)
            return self.leave_vrf(leaf, my_vrf, back=(their_vrf, dst_net))
        return self.in_vrf(leaf, my_vrf, dst_net, from_vlan=net["vlan"])

    def in_vrf(self, leaf, vrf, dst_net, from_vlan=None, leaked=False):
        """Routing in ``vrf`` on ``leaf`` toward ``dst_net``: connected here, a host route or the prefix over the
        VRF's L3 VNI (a tenant VRF with the overlay: symmetric IRB), or the underlay (the default VRF)."""
        dnet = view.network(self.model, dst_net)
        prefix = dnet[f"ipv{self.fam}"]
        if not prefix:
            raise Stop("no-route", f"network {dst_net} has no IPv{self.fam} prefix")
        record = view.vrf_record(self.facts, vrf)
        l3vni = bool(record and record["l3vni"] and view.overlay(self.model) == "evpn_vxlan")
        targets = self.dst_leaves(dst_net)
        local = view.svi(self.facts, leaf, dst_net)
        if l3vni and targets and not set(targets) & set(view.pair(self.facts, leaf)):
            # symmetric IRB: every leaf of the VRF imports the host's MAC-IP route with the L3 VNI's route target
            host = f"{self.flow['dst_ip']}/{32 if self.fam == 4 else 128}"
            also = (f"{prefix} is connected here too, for hosts not learned yet" if local else
                    f"{prefix} itself is an EVPN type-5 route of the leaves carrying it")
            self.vrf_hop(leaf, vrf, f"{host} is a host route learned by EVPN (type-2 MAC-IP route carrying L3 "
                         f"VNI {record['l3vni']}) from {', '.join(targets)}: routed over the L3 VNI (symmetric IRB); "
                         f"{also}", dst_net, pattern=r"via", route=host)
            remote = self.l3vni_transport(leaf, vrf, targets, host, l2vni=view.vni(self.facts, dst_net))
            self.connected(remote, vrf, dst_net)
            return self.bridge(remote, dst_net, routed=True)
        if local:
            self.connected(leaf, vrf, dst_net, from_vlan)
            if view.stretched(self.facts, dst_net) and self.dst.get("node") and not l3vni:
                self.notes.append(f"asymmetric IRB: {leaf} routes into VLAN {dnet['vlan']} and bridges over the "
                                  f"fabric in that VLAN's VNI; the reply is routed at the destination's leaf instead")
            return self.bridge(leaf, dst_net, routed=True)
        announcers = view.gateway_leaves(self.facts, dst_net)
        if not announcers:
            raise Stop("no-route", f"no leaf announces {prefix} ({dst_net} has gateway_on: {dnet['gateway_on']}): "
                                   f"{leaf} has no route to {self.flow['dst_ip']}")
        if record is None:
            self.vrf_hop(leaf, vrf, f"{prefix} learned by eBGP from {len(announcers)} leaves; next hops: the "
                         f"spines (ECMP)", dst_net, pattern=r"via")
            return self.underlay(leaf, announcers, dst_net)
        if not l3vni:
            raise Stop("no-route", f"{prefix} is in VRF {vrf} on {', '.join(announcers)} only, and without the EVPN "
                                   f"overlay a VRF does not cross the spines: {leaf} has no route to it")
        preferred = [lf for lf in announcers if lf in targets] or announcers
        self.vrf_hop(leaf, vrf, f"{prefix} learned by EVPN type-5 from {', '.join(announcers)}: next hop their VTEP "
                     f"over L3 VNI {record['l3vni']} (symmetric IRB)", dst_net, pattern=r"via", route=prefix)
        remote = self.l3vni_transport(leaf, vrf, preferred, prefix)
        self.connected(remote, vrf, dst_net)
        return self.bridge(remote, dst_net, routed=True)

    def connected(self, leaf, vrf, dst_net, from_vlan=None):
        """The lookup that finds ``dst_net`` connected on ``leaf``: routed into its VLAN here."""
        dnet = view.network(self.model, dst_net)
        out_iface = view.vlan_interface(self.facts, leaf, dnet["vlan"])
        came = f"from VLAN {from_vlan} " if from_vlan else ""
        self.vrf_hop(leaf, vrf, f"{dnet[f'ipv{self.fam}']} is connected ({out_iface}): routed {came}into VLAN "
                     f"{dnet['vlan']} here", dst_net, pattern=r"directly connected", connected=out_iface,
                     mtu=dnet["mtu"], mtu_what=f"{out_iface} MTU (routed: a larger packet gets ICMP too big)",
                     interface=out_iface)

    def vrf_hop(self, leaf, vrf, how, dst_net, pattern=None, mtu=None, mtu_what="", stack=None, connected=None,
                prefix=None, kind="vrf", model_path=None, choice=None, interface=None, **extra):
        sw = view.switch(self.facts, leaf)
        if prefix is None:
            prefix = (view.network(self.model, dst_net)[f"ipv{self.fam}"] if dst_net else
                      self.dst.get("prefix") or self.wire_flow["dst_ip"])
        self.hop(kind, leaf, sw["platform"], f"routing table of VRF {vrf}: {how}", stack or self.untagged(), mtu,
                 mtu_what, interface=interface, ctx=self.ctx(prefix=prefix, vrf=vrf, expect=how, pattern=pattern, connected=connected, **extra),
                 model_path=model_path or (f"networks[{dst_net}]" if dst_net else None), routed=mtu is not None,
                 choice=choice, decided=choice is None)

    def to_vip(self, leaf, vrf):
        cluster, pool = self.dst["cluster"], self.dst["pool"]
        leaves = view.metallb_leaves(self.facts, cluster)
        vip = self.flow["dst_ip"]
        if leaf in leaves:
            self.vrf_hop(leaf, vrf, f"{vip} learned from the MetalLB speakers of {cluster} (pool {pool}): next hops "
                         "the nodes announcing it (ECMP)", None)
        elif view.vrf_record(self.facts, vrf) is None:
            self.vrf_hop(leaf, vrf, f"{vip} learned by eBGP from {', '.join(leaves) or 'no leaf'}; next hops: the "
                         "spines (ECMP)", None)
            self.underlay(leaf, leaves, None, vip=True)
        else:
            record = view.vrf_record(self.facts, vrf)
            if not (leaves and record["l3vni"] and view.overlay(self.model) == "evpn_vxlan"):
                raise Stop("no-route", f"{vip} is announced in VRF {vrf} by {', '.join(leaves) or 'no leaf'} only, and "
                                       f"without the EVPN overlay a VRF does not cross the spines: {leaf} has no route")
            self.vrf_hop(leaf, vrf, f"{vip} learned by EVPN type-5 from {', '.join(leaves)} (the MetalLB speakers' "
                         f"leaves): next hop their VTEP over L3 VNI {record['l3vni']} (symmetric IRB)", None,
                         pattern=r"via", route=self.flow["dst_ip"])
            remote = self.l3vni_transport(leaf, vrf, leaves, vip)
            self.vrf_hop(remote, vrf, f"{vip} learned from the MetalLB speakers of {cluster} (pool {pool}): next hops "
                         "the nodes announcing it (ECMP)", None)
        self.hop("vip", f"nodes of {cluster}", "ove", f"one of the nodes whose speaker announces {vip} "
                 "(which one depends on the Service's externalTrafficPolicy and on the speakers announcing it), then "
                 "OVN's load balancer to a backend pod: not decided by the model", self.untagged(), decided=False,
                 ctx=self.ctx(vip=vip, pool=pool),
                 choice={"kind": "ecmp", "candidates": sorted(n["name"] for n in self.model.clusters[cluster]["nodes"]),
                         "chosen": None, "inputs": {"hash": "the leaf's ECMP hash over the speakers' next hops"},
                         "rule": "equal-cost BGP paths to the VIP"})
        raise Stop("complete", None)

    # ------------------------------------------------------------------ layer 2 within a network
    def dst_leaves(self, network):
        dst = self.dst
        if not dst.get("node"):
            return []
        link = view.node_link(self.facts, dst["cluster"], dst["node"])
        if link["kind"] == "adapters":
            return sorted({a["leaf"] for a in link["adapters"] if network in a["networks"] and a["leaf"]})
        ports = view.node_bond(self.model, self.design, dst["node"], network)["ports"]
        return sorted({c["leaf"] for c in view.node_cables(self.facts, dst["cluster"], dst["node"]) if c["nic"] in ports})

    def bridge(self, leaf, network, routed):
        net = view.network(self.model, network)
        targets = self.dst_leaves(network)
        if not self.dst.get("node"):
            unplaced = self.dst.get("unplaced")
            where = unplaced or f"where {self.flow['dst_ip']} runs is not in the model"
            raise Stop("not-modelled", f"{where}: {leaf} forwards by the MAC it learned in VLAN {net['vlan']}"
                                       + ("" if unplaced else "; give the host as address@node"))
        if leaf in targets:
            return self.deliver(leaf, network, routed)
        peer = view.switch(self.facts, leaf).get("peer")
        if peer and peer in targets:
            link = view.mlag_peer_link(self.design, leaf)
            self.hop("leaf-egress", leaf, view.switch(self.facts, leaf)["platform"], f"{self.dst['node']} is cabled "
                     f"only to {peer}: across the MLAG peer link {link['name'] if link else ''}", self.tagged(net["vlan"]),
                     view.port_mtu(self.facts, leaf), f"{leaf} peer link MTU", link["name"] if link else None,
                     ctx=self.ctx(vlan=net["vlan"], out=link["name"] if link else "<peer link>"))
            return self.deliver(peer, network, routed)
        vni = view.vni(self.facts, network)
        if not (vni and view.overlay(self.model) == "evpn_vxlan"):
            raise Stop("no-route", f"network {network} is not carried between {leaf} and {', '.join(targets)}: "
                                   "no overlay stretches it (the check 'VLAN stretched across leaf pairs without an overlay')")
        remote = self.vxlan(leaf, network, net["vlan"], vni, targets)
        return self.deliver(remote, network, routed)

    def vxlan(self, leaf, network, vlan, vni, targets):
        sw = view.switch(self.facts, leaf)
        remote_pair = view.pair(self.facts, targets[0])
        remote_vtep = view.switch(self.facts, targets[0])["vtep4"]
        stack = wire.vxlan(sw["vtep4"], remote_vtep, vni) + self.payload
        overhead = hopmtu.fabric_overhead(self.model)
        ups = view.uplinks(self.facts, leaf)
        spines = [lk["spine"] for lk in ups]
        shown = ups[0]
        vflow = {"src_ip": sw["vtep4"], "dst_ip": remote_vtep, "proto": 17, "src_port": None, "dst_port": wire.VXLAN_PORT}
        self.hop("vxlan-encap", leaf, sw["platform"], f"VLAN {vlan} maps to VNI {vni}: {leaf} encapsulates toward the "
                 f"VTEP {remote_vtep} of {' and '.join(remote_pair)} (from its pair's VTEP {sw['vtep4']}) and sends on "
                 f"one of its uplinks to the spines (shown: {shown['leaf_port']} to {shown['spine']})", stack,
                 shown["mtu"], f"{leaf} {shown['leaf_port']} MTU", shown["leaf_port"],
                 choice=self.ecmp(sw["platform"], spines, vflow, "VXLAN outer header; the UDP source port is the "
                                  "leaf's hash of the inner frame"), decided=False,
                 ctx=self.ctx(vlan=vlan, vni=vni, remote_vtep=remote_vtep), model_path=f"networks[{network}]")
        self.spine(shown["spine"], remote_pair, stack, vflow, f"{remote_vtep}/32", "the VTEP")
        remote = targets[0] if targets[0] in remote_pair else remote_pair[0]
        rsw = view.switch(self.facts, remote)
        self.hop("vxlan-decap", remote, rsw["platform"], f"{remote} (VTEP {remote_vtep}, shared with its MLAG peer) "
                 f"decapsulates VNI {vni} into VLAN {vlan}", self.tagged(vlan),
                 ctx=self.ctx(vlan=vlan, vni=vni, vtep_source=view.vtep_source(self.design, remote)),
                 model_path=f"networks[{network}]")
        self.mtu_overhead_note(overhead)
        return remote

    def mtu_overhead_note(self, overhead):
        if overhead and not any("VXLAN adds" in n for n in self.notes):
            self.notes.append(f"VXLAN adds {overhead} bytes on spine-leaf links (outer IPv4 20 + UDP 8 + VXLAN 8 + "
                              "inner Ethernet 14), counted in the MTU budget of those hops")

    def ecmp(self, platform, candidates, flow, what):
        return {"kind": "ecmp", "candidates": list(candidates), "chosen": None,
                "inputs": {"src_ip": flow.get("src_ip"), "dst_ip": flow.get("dst_ip"), "proto": flow.get("proto"),
                           "src_port": flow.get("src_port"), "dst_port": flow.get("dst_port"), "headers": what,
                           "hash": platforms.get(platform).ecmp_hash},
                "rule": f"equal-cost paths over {len(candidates)} next hops; the hash and its seed are the switch's "
                        "own, so the model shows the choice, not its outcome"}

    def spine(self, spine, next_leaves, stack, flow, prefix, what):
        ssw = view.switch(self.facts, spine)
        down = view.downlink(self.facts, spine, next_leaves[0])
        self.hop("spine", spine, ssw["platform"], f"{spine} routes to {what} {prefix.split('/')[0]} over equal-cost "
                 f"links to {', '.join(next_leaves)} (shown: {down['spine_port']} to {next_leaves[0]})", stack,
                 down["mtu"], f"{spine} {down['spine_port']} MTU", down["spine_port"],
                 choice=self.ecmp(ssw["platform"], next_leaves, flow, "the packet's outer IP/UDP header"), decided=False,
                 ctx=self.ctx(prefix=prefix, expect=f"ECMP via {', '.join(next_leaves)}", out=down["spine_port"],
                              mtu=down["mtu"], pattern=r"via", hash_flow=flow, candidates=list(next_leaves),
                              **_hashed_addresses(flow)))

    def underlay(self, leaf, announcers, dst_net, vip=False):
        """Routed over the default VRF: leaf -> spine (ECMP) -> a leaf announcing the prefix."""
        sw = view.switch(self.facts, leaf)
        ups = view.uplinks(self.facts, leaf)
        shown = ups[0]
        stack = self.untagged("Ethernet (routed link)")
        self.hop("uplink", leaf, sw["platform"], f"{leaf} routes to the spines over equal-cost uplinks "
                 f"(shown: {shown['leaf_port']} to {shown['spine']})", stack, shown["mtu"],
                 f"{leaf} {shown['leaf_port']} MTU", shown["leaf_port"],
                 choice=self.ecmp(sw["platform"], [lk["spine"] for lk in ups], self.wire_flow, "the packet's IP header"
                                  " and ports"), decided=False,
                 ctx=self.ctx(prefix=self.flow["dst_ip"], expect="ECMP via the spines", out=shown["leaf_port"],
                              mtu=shown["mtu"], pattern=r"via", hash_flow=self.wire_flow,
                              candidates=[lk["spine"] for lk in ups]))
        mine = self.dst_leaves(dst_net) if dst_net else []
        preferred = [lf for lf in announcers if lf in mine] or announcers
        self.spine(shown["spine"], preferred, stack, self.wire_flow,
                   view.network(self.model, dst_net)[f"ipv{self.fam}"] if dst_net else self.flow["dst_ip"],
                   f"{dst_net}" if dst_net else "the VIP")
        if len(announcers) > len(preferred):
            self.notes.append(f"{len(announcers)} leaves announce the destination prefix; the spines' ECMP may pick a "
                              f"leaf of another rack, which then bridges over VXLAN to {', '.join(preferred)}")
        if vip:
            return
        remote = preferred[0]
        rsw = view.switch(self.facts, remote)
        dnet = view.network(self.model, dst_net)
        iface = view.vlan_interface(self.facts, remote, dnet["vlan"])
        prefix = dnet[f"ipv{self.fam}"]
        self.hop("vrf", remote, rsw["platform"], f"{remote}: {prefix} is connected on {iface}: routed into VLAN "
                 f"{dnet['vlan']}", stack, dnet["mtu"], f"{iface} MTU (routed: a larger packet gets ICMP too big)",
                 iface, ctx=self.ctx(prefix=prefix, expect=f"directly connected, {iface}", pattern=r"directly connected",
                                     connected=iface),
                 model_path=f"networks[{dst_net}]", routed=True)
        self.bridge(remote, dst_net, routed=True)

    # ------------------------------------------------------------------ leaf -> destination host
    def deliver(self, leaf, network, routed):
        dst = self.dst
        net = view.network(self.model, network)
        vlan = net["vlan"]
        sw = view.switch(self.facts, leaf)
        link = view.node_link(self.facts, dst["cluster"], dst["node"])
        cables = view.node_cables(self.facts, dst["cluster"], dst["node"])
        if link["kind"] == "adapters":
            ports = [a for a in link["adapters"] if a["leaf"] == leaf and network in a["networks"]]
            port = ports[0]["port"] if ports else None
            nic = ports[0]["name"] if ports else None
            out, ch = port, None
        else:
            ports = view.node_bond(self.model, self.design, dst["node"], network)["ports"]
            mine = [c for c in cables if c["leaf"] == leaf and c["nic"] in ports]
            port, nic = mine[0]["port"], mine[0]["nic"]
            pf = view.host_port(self.facts, leaf, port)
            ch = pf["channel"] and view.port_channel(self.facts, leaf, pf["channel"]["id"])
            out = ch["name"] if ch else port
        pf = view.host_port(self.facts, leaf, port)
        native = _native(pf, ch, vlan)
        self.hop("leaf-egress", leaf, sw["platform"], f"{leaf} sends on {out} to {dst['node']} in VLAN {vlan} "
                 + ("untagged (the port's native VLAN) " if native else "")
                 + ("(its own member: MLAG keeps traffic off the peer link)" if out != port else ""),
                 self.untagged() if native else self.tagged(vlan), pf["mtu"] if pf else None, f"{leaf} {out} MTU", out,
                 ctx=self.ctx(vlan=vlan, out=out, routed=routed), model_path=pf["path"] if pf else None)
        self.dest_host(network, nic)

    def dest_host(self, network, nic):
        dst = self.dst
        net = view.network(self.model, network)
        cluster = self.model.clusters[dst["cluster"]]
        vlan = net["vlan"]
        if dst["platform"] == "azure_local":
            link = view.node_link(self.facts, dst["cluster"], dst["node"])
            adapter = next(a for a in link["adapters"] if a["name"] == nic)
            self.hop("vswitch", dst["node"], "azure_local", f"{nic} into the SET switch of intent {adapter['intent']}, "
                     f"which strips VLAN {vlan}", self.tagged(vlan), hopmtu.adapter_mtu(adapter),
                     f"{nic} JumboPacket - 14", nic,
                     ctx=self.ctx(switch=f"ConvergedSwitch({adapter['intent']})", intent=adapter["intent"],
                                  members=[a["name"] for a in link["adapters"] if a["intent"] == adapter["intent"]],
                                  jumbo=adapter["jumbo_packet"], algorithm=None))
        else:
            bond = view.node_bond(self.model, self.design, dst["node"], network)
            profile = view.bond_profile(self.model, bond["profile"])
            self.hop("bond", dst["node"], dst["platform"], f"{nic} receives for {bond['name']} (any member "
                     "accepts; the sending switch chose this one)",
                     self.untagged() if bond.get("network") == network else self.tagged(vlan),
                     view.node_bond_mtu(self.model, self.design, dst["node"], network), f"{bond['name']} MTU", nic,
                     ctx=self.ctx(node=dst["node"], bond=bond["name"], member=nic,
                                  policy=profile["xmit_hash_policy"], mode_text=BOND_MODE_TEXT.get(profile["mode"]),
                                  lacp=profile["mode"] == "802.3ad"))
        if self.src["kind"] == "pod" or self.hops[0]["kind"] == "geneve":
            self.hop("geneve", dst["node"], "ove", "br-ex hands the Geneve packet to br-int; OVN decapsulates and "
                     "delivers to the pod (OVN's flows: not decided by the model)", self.untagged(), decided=False,
                     ctx=self.ctx(node=dst["node"], remote=self.flow["src_ip"]))
            return
        if dst["kind"] == "vm":
            self.vm_arrival(cluster, network, vlan)
        else:
            iface = view.host_interface(self.model, self.design, dst["cluster"], dst["node"], network) or {
                "name": "vNIC", "port": None, "tagged": False}
            name = iface["name"]
            self.hop("host-interface", dst["node"], dst["platform"], f"{name} of {dst['node']} receives "
                     f"{self.flow['dst_ip']}" + _port_text(iface, vlan), self.untagged(), net["mtu"], f"{name} MTU", name,
                     ctx=self.ctx(node=dst["node"], interface=name, port=iface["port"], vlan=vlan, mtu=net["mtu"],
                                  network=network, dst=self.flow["src_ip"], switch=self.atc_switch(dst, network)))

    def vm_arrival(self, cluster, network, vlan):
        dst = self.dst
        net = view.network(self.model, network)
        if dst["platform"] == "ove":
            bridge = view.vm_bridge(self.model, cluster["name"])
            bond_name = view.node_bond(self.model, self.design, dst["node"], network)["name"]
            localnet = view.localnet_name(self.design, cluster["name"], network)
            cni = cluster["ove"]["cni"]
            self.hop("host-bridge", dst["node"], "ove", f"{bridge} switches VLAN {vlan} from its uplink {bond_name} to "
                     + ("OVN's localnet port" if cni == "localnet" else "the VM's port"), self.tagged(vlan),
                     ctx=self.ctx(node=dst["node"], bridge=bridge, bond=bond_name, vlan=vlan, cni=cni, mac=dst["mac"]),
                     model_path=f"clusters[{cluster['name']}].ove")
            if cni == "localnet":
                self.hop("ovn-localnet", dst["node"], "ove", f"OVN localnet {network} (bridge mapping {localnet}:"
                         f"{bridge}) strips VLAN {vlan} and delivers to the VM port (OVN's logical pipeline: not decided "
                         "by the model)", self.untagged(),
                         decided=False, ctx=self.ctx(node=dst["node"], bridge=bridge, network=network, vlan=vlan,
                                                     mac=dst["mac"], localnet=localnet))
        self.hop("vm-nic", vm_device(dst), dst["platform"], f"{vm_nic_text(dst)} on network {network}",
                 self.untagged(), net["mtu"], f"network {network} MTU", dst["nic"] or "eth0",
                 ctx=self.ctx(network=network, vlan=vlan, src=self.flow["dst_ip"], vm=dst["vm"], mac=dst["mac"],
                              nad=self.nad(cluster, dst, network),
                              switch=self.atc_switch(dst, network)), model_path=dst.get("where"))

    # ------------------------------------------------------------------ result
    def result(self, status, reason) -> dict:
        packet = self.sender_mtu
        limits = []
        for h in self.hops:
            encap = wire.encap_bytes(h["headers"])
            h["encapsulation_bytes"] = encap
            if packet:
                h["frame_bytes"] = wire.frame_size(h["headers"], packet)
            if h["mtu"] is not None and packet:
                h["ip_packet_bytes"] = wire.l3_size(h["headers"], packet)
                h["mtu_left"] = h["mtu"] - h["ip_packet_bytes"]
                limits.append({"name": f"{h['device']} {h['interface'] or h['kind']}", "mtu": h["mtu"] - encap})
        mtu = None
        if limits:
            best = mtumath.path_mtu(limits)
            where = next(h for h in self.hops if f"{h['device']} {h['interface'] or h['kind']}" == best["bottleneck"])
            largest = wire.ping_payload(self.fam, min(best["mtu"], packet))
            target = self.wire_flow["dst_ip"] if self.src["kind"] != "pod" else "<pod address>"
            mtu = {"sender_mtu": packet, "path_mtu": best["mtu"], "bottleneck": best["bottleneck"],
                   "bottleneck_hop": where["n"], "fits": best["mtu"] >= packet,
                   # a routed hop answers a too-large packet with ICMP (path MTU discovery); a layer-2 hop drops it
                   "silent_drop": best["mtu"] < packet and not where["routed"],
                   "largest_ping": largest,
                   "ping": f"ping {'-6 ' if self.fam == 6 else ''}-M do -s {largest} {target or '<address>'}"}
        undecided = [f"{h['n']}. {h['device']}: {h['kind']}" for h in self.hops if not h["decided"]]
        return {"family": self.fam, "from": self.src["spec"], "to": self.dst["spec"], "status": status,
                "reason": reason, "flow": {k: self.flow.get(k) for k in ("src_ip", "dst_ip", "proto", "src_port",
                                                                         "dst_port")},
                "hops": self.hops, "mtu": mtu, "undecided": undecided, "notes": self.notes}


def _hashed_addresses(flow) -> dict:
    """What a spine's 5-tuple lookup (``ip route get``) reads: the packet's own header; nothing for a tunnel whose
    UDP source port the encapsulating leaf derives from the inner packet (the model cannot know it)."""
    if flow.get("proto") in (6, 17) and flow.get("src_port") is None:
        return {"src": None, "dst": None}
    return {"src": flow.get("src_ip"), "dst": flow.get("dst_ip")}


def _native(port, channel, vlan) -> bool:
    """The leaf sends and receives ``vlan`` untagged on this port (its native VLAN, the channel's if any)."""
    record = channel or port
    return bool(record) and record.get("native_vlan") == vlan


def _port_text(iface, vlan):
    """How an address on br-ex leaves: by the port configure-ovs gave br-ex (tagging it, or untagged)."""
    if not iface.get("port"):
        return ""
    if iface["tagged"]:
        return f", br-ex's internal interface; its port {iface['port']} tags VLAN {vlan}"
    return f", br-ex's internal interface; its port {iface['port']} carries it untagged"


def vm_device(ep):
    """How a VM shows as a hop's device: its inventory name, else 'VM on <node>'."""
    return ep["vm"] or f"VM on {ep['node']}"


def vm_nic_text(ep):
    if ep["vm"]:
        return f"{ep['vm']}'s NIC {ep['nic']}" + (f" (MAC {ep['mac']})" if ep["mac"] else "")
    return "the VM's NIC"


def _reverse(flow):
    return dict(flow, src_port=flow["dst_port"], dst_port=flow["src_port"],
                src_mac=flow.get("dst_mac"), dst_mac=flow.get("src_mac"))


def _family_gap(ep, fam):
    """Why ``ep`` has no address of family ``fam``, or None when it has one (or one the model cannot know)."""
    if ep["kind"] in ("pod",):
        return None
    if ep["addresses"].get(fam):
        return None
    if ep["kind"] == "vm" and not ep["addresses"]:
        return None
    return f"{ep['spec']} has no IPv{fam} address" + (f" on network {ep['network']}" if ep.get("network") else "")


def _summary(ep):
    return {k: ep.get(k) for k in ("spec", "kind", "node", "cluster", "platform", "network", "pool", "prefix", "vm",
                                   "nic", "mac", "placement", "wave")} | {
        "addresses": {f"ipv{k}": v for k, v in sorted(ep["addresses"].items())}}


def _endpoint_notes(ep):
    out = []
    if ep.get("placement") and ep["placement"] != "given":
        out.append(f"{ep['vm']} runs on {ep['node']}, {ep['placement']}")
    if ep.get("wave"):
        wave = ep["wave"]
        addrs = ", ".join(v for _k, v in sorted(ep["addresses"].items())) or "no address"
        out.append(f"{ep['vm']} as after wave {wave['name']} ({wave['start']}), which moves it to cluster {wave['cluster']}: "
                   f"NIC {ep['nic']} on network {ep['network']}, {addrs}")
    return out


def explain(model, facts, design, src, dst, network=None, flow=None) -> dict:
    """The path of a flow from ``src`` to ``dst`` in both directions and both families (plain data).

    ``src``/``dst`` are endpoint specs (see endpoints.py); ``network`` names the
    network two nodes use; ``flow`` is 'tcp/443', 'udp/<sport>/<dport>', 'icmp'
    or a dict (proto, src_port, dst_port, src_mac, dst_mac).  Raises
    PathError for a question the model cannot parse.
    """
    base = parse_flow(flow)
    s = endpoints.resolve(model, facts, design, "path_from", src)
    d = endpoints.resolve(model, facts, design, "path_to", dst)
    endpoints.pick_network(model, facts, s, d, network)
    out = {"from": _summary(s), "to": _summary(d), "network": network, "flow": base, "paths": [], "skipped": [],
           "notes": _endpoint_notes(s) + _endpoint_notes(d)}
    if s.get("also_shared"):
        out["notes"].append(f"the nodes also share {', '.join(s['also_shared'])}: pass path_network to explain those")
    for fam in (4, 6):
        gaps = [g for g in (_family_gap(s, fam), _family_gap(d, fam)) if g]
        if gaps:
            out["skipped"].append({"family": fam, "reason": "; ".join(gaps)})
            continue
        out["paths"].append(dict(Walk(model, facts, design, fam, s, d, base).run(), direction="forward"))
        if d["kind"] in ("node", "vm", "pod", "external"):
            out["paths"].append(dict(Walk(model, facts, design, fam, d, s, _reverse(base)).run(), direction="reverse"))
        else:
            out["skipped"].append({"family": fam, "direction": "reverse",
                                   "reason": f"{d['spec']} ({d['kind']}) is not a host of the model to start from"})
    return out
