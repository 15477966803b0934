"""North-south hops of a walk: out of a tenant VRF through the border pair to an external peer, and back in.

A tenant VRF reaches what is outside the site, and any other VRF, only
through an external session on a border leaf (docs/north_south.md): the
route that session accepts (a named prefix, else the default route) enters
the VRF there and reaches the VRF's other leaves as an EVPN type-5 route over
the VRF's L3 VNI (symmetric IRB).  Between two VRFs the packet leaves VRF A
to the peer and comes back by the peer's session in VRF B, which announces
B's aggregates; where the model leaks B into A (``vrfs[A].leak_from``) the
leak hop replaces that detour.  Sessions, handover interfaces, MTU and MSS
clamp are the north-south design's (``facts.edge``), read through ``view``.
"""

from __future__ import annotations

import ipaddress

from .. import hopmtu, platforms
from . import view, wire

DEFAULT_ROUTE = {4: "0.0.0.0/0", 6: "::/0"}


def covering(prefixes, address):
    """The longest of ``prefixes`` that holds ``address``, or None."""
    ip = ipaddress.ip_address(address)
    best = None
    for prefix in prefixes:
        net = ipaddress.ip_network(prefix)
        if net.version == ip.version and ip in net and (best is None or net.prefixlen > best.prefixlen):
            best = net
    return str(best) if best else None


def accepted_route(session, address):
    """(prefix, what) a session brings into its VRF for ``address``: an accepted prefix holding it, else the
    default route where the session accepts it; None when it brings neither."""
    named = covering(session["accept"], address)
    if named:
        return named, "accepted prefix"
    if session["accept_default"]:
        return DEFAULT_ROUTE[session["family"]], "default route"
    return None


def exported_route(facts, session, address):
    """What the session announces to its peer that holds ``address``: an aggregate of its VRF (export_aggregates)
    or an exported MetalLB pool of the VRF (export_vips), the longest; None when it announces neither."""
    record, fam = view.vrf_record(facts, session["vrf"]), session["family"]
    prefixes = list(record["aggregates"][fam]) if session["export_aggregates"] else []
    if session["export_vips"]:
        prefixes += [p[f"ipv{fam}"] for p in record["pools"] if p["export"] and p[f"ipv{fam}"]]
    return covering(prefixes, address)


def announced_what(facts, session, prefix) -> str:
    """'the aggregate P' or 'the VIP pool P': how a route a session announces reads in a hop."""
    pools = [p[f"ipv{session['family']}"] for p in view.vrf_record(facts, session["vrf"])["pools"]]
    return f"the VIP pool {prefix}" if prefix in pools else f"the aggregate {prefix}"


def exit_routes(facts, vrf, fam, address):
    """(sessions of the family, [(session, (prefix, what))] of the longest route to ``address``): the exits the
    VRF's routing table uses (longest prefix first; equal ones are equal-cost)."""
    sessions = [s for s in view.exits(facts, vrf) if s["family"] == fam]
    routes = [(s, accepted_route(s, address)) for s in sessions]
    routes = [(s, r) for s, r in routes if r]
    if not routes:
        return sessions, []
    longest = max(ipaddress.ip_network(r[0]).prefixlen for _s, r in routes)
    return sessions, [(s, r) for s, r in routes if ipaddress.ip_network(r[0]).prefixlen == longest]


def missing_exit(model, facts, vrf, fam, address, network) -> str:
    """Why VRF ``vrf`` has no way to ``address`` in IPv``fam``, naming what the model lacks and where it goes."""
    if not view.vrf_record(facts, vrf):
        return (f"network {network} is in the default VRF, which carries only the underlay and has no exit: put it "
                f"in a tenant VRF (networks[{network}].vrf) with an external session on the border pair "
                "(external_peers[].vrfs[])")
    every = view.exits(facts, vrf)
    if not every:
        return (f"VRF {vrf} has no exit: no external peer has a session in it (external_peers[].vrfs[] with "
                f"vrf: {vrf}, on a border leaf)")
    mine = [s for s in every if s["family"] == fam]
    if not mine:
        where = sorted({s["path"] for s in every})
        return (f"VRF {vrf} has no IPv{fam} exit: its external sessions ({', '.join(where)}) have no IPv{fam} "
                "transfer prefix")
    where = sorted({s["path"] for s in mine})
    return (f"no external session of VRF {vrf} brings a route to {address}: {', '.join(where)} "
            f"{'has' if len(where) == 1 else 'have'} accept_default false and no IPv{fam} accept prefix holding it")


class EdgeWalk:
    """The north-south part of ``engine.Walk`` (a mixin: it uses the walk's hops, flow and helpers)."""

    def leave_vrf(self, leaf, vrf, back=None):
        """From ``leaf`` in ``vrf`` through the border to the external peer holding the route to the destination;
        ``back`` = (VRF, network) of a destination in another VRF: then back in through the peer's session there."""
        target = self.flow["dst_ip"]
        sessions, routes = exit_routes(self.facts, vrf, self.fam, target)
        if not routes:
            sw = view.switch(self.facts, leaf)
            why = missing_exit(self.model, self.facts, vrf, self.fam, target, self.src_network_name())
            self.hop("drop", leaf, sw["platform"], f"routing table of VRF {vrf}: no route to {target}: {why}; the "
                     "packet is dropped here", self.untagged(), decided=True,
                     ctx=self.ctx(prefix=target, vrf=vrf, expect="no route", no_route=True),
                     model_path=view.vrf_record(self.facts, vrf)["path"] if view.vrf_record(self.facts, vrf) else None)
            raise self.stop("no-exit", why)
        prefix, what = routes[0][1]
        borders = sorted({s["leaf"] for s, _r in routes})
        peers = sorted({s["peer"] for s, _r in routes})
        if leaf not in borders:
            record = view.vrf_record(self.facts, vrf)
            if not (record["l3vni"] and view.overlay(self.model) == "evpn_vxlan"):
                raise self.stop("no-route", f"VRF {vrf} reaches {target} only through {', '.join(borders)} "
                                            f"({prefix}, {what} of {', '.join(peers)}), and without the EVPN overlay a "
                                            f"VRF does not cross the spines: {leaf} has no route (the check 'VRF with "
                                            "gateways and no exit')")
            self.vrf_hop(leaf, vrf, f"{prefix} ({what} of {', '.join(peers)}) learned by EVPN type-5 from "
                         f"{', '.join(borders)}: next hop their VTEP over L3 VNI {record['l3vni']} (symmetric IRB)",
                         None, prefix=target, pattern=r"via", route=prefix, vni=record["l3vni"])
            leaf = self.l3vni_transport(leaf, vrf, borders, prefix)
        mine = [(s, r) for s, r in routes if s["leaf"] == leaf]
        session = mine[0][0]
        sw = view.switch(self.facts, leaf)
        choice = None
        if len(mine) > 1:
            choice = self.ecmp(sw["platform"], [f"{s['peer']} {s['peer_ip']}" for s, _r in mine], self.wire_flow,
                               "the packet's IP header and ports")
        self.vrf_hop(leaf, vrf, f"{prefix} ({what}) learned by eBGP from {session['peer']} {session['peer_ip']} "
                     f"(AS {session['peer_asn']}) on {session['interface']}", None, prefix=target,
                     pattern=r"via", route=prefix, peer_ip=session["peer_ip"], peer_asn=session["peer_asn"],
                     model_path=session["path"], choice=choice)
        self.handover(leaf, session, outbound=True)
        self.external_peer(session, prefix, what, back)

    def src_network_name(self):
        return getattr(self, "src_network", None) or self.src.get("network")

    def handover(self, leaf, session, outbound):
        """The handover interface to (or from) an external peer: sub-interface or SVI, VLAN, MTU, MSS clamp."""
        sw = view.switch(self.facts, leaf)
        iface, vlan, mtu = session["interface"], session["vlan"], session["mtu"]
        how = (f"sub-interface {iface} (802.1Q VLAN {vlan} on {session['port']})" if session["attach"] == "subinterface"
               else f"SVI {iface} (VLAN {vlan}, tagged on the trunk {session['port']})")
        mss = session["tcp_mss"]
        if mss and platforms.get(sw["platform"]).tcp_mss_clamp:
            clamp = f"; TCP SYNs crossing it get their MSS clamped to {mss if self.fam == 4 else mss - 20}"
        elif mss:
            clamp = (f"; the MSS clamp to {mss} is {session['peer']}'s task ({sw['platform']} has no transit clamp: "
                     "the config names it in a comment)")
        else:
            clamp = "; no TCP MSS clamp"
        if outbound:
            what = (f"{leaf} routes out of VRF {session['vrf']} by {how} to {session['peer']} {session['peer_ip']}, "
                    f"handover MTU {mtu}{clamp}")
        else:
            what = (f"{leaf} receives from {session['peer']} {session['peer_ip']} on {how} into VRF {session['vrf']}, "
                    f"handover MTU {mtu}{clamp}")
        self.hop("handover", leaf, sw["platform"], what, self.tagged(vlan), mtu,
                 f"{iface} MTU (external_peers[{session['peer']}].mtu; routed: a larger packet gets ICMP too big)",
                 iface, ctx=self.ctx(interface=iface, vlan=vlan, mtu=mtu, vrf=session["vrf"], peer=session["peer"],
                                     peer_ip=session["peer_ip"], leaf_ip=session["leaf_ip"], attach=session["attach"],
                                     port=session["port"], tcp_mss=mss),
                 model_path=session["link_path"], routed=True)
        if mss and self.sender_mtu and self.sender_mtu > mtu:
            self.notes.append(f"the handover MTU {mtu} is below the sender's {self.sender_mtu}: TCP fits by the MSS clamp "
                              f"({mss}); other packets larger than {mtu} get ICMP too big at {leaf}")

    def external_peer(self, session, prefix, what, back):
        """The peer holding the route; with ``back``, the peer routing into the other VRF's session."""
        peer, target = session["peer"], self.flow["dst_ip"]
        base = (f"{peer} ({session['peer_kind']}, AS {session['peer_asn']}) announced {prefix} ({what}) into VRF "
                f"{session['vrf']}")
        ctx = self.ctx(peer=peer, peer_ip=session["peer_ip"], route=prefix, vrf=session["vrf"])
        if back is None:
            self.hop("external", peer, "external", f"{base} and holds the route to {target}; beyond {peer} the path "
                     "is outside the model", self.untagged(), decided=False, ctx=ctx,
                     model_path=f"external_peers[{peer}]")
            return
        their_vrf, dst_net = back
        sessions = [s for s in view.exits(self.facts, their_vrf) if s["family"] == self.fam]
        announced = [(s, exported_route(self.facts, s, target)) for s in sessions]
        announced = [(s, r) for s, r in announced if r]
        if not announced:
            why = (f"VRF {their_vrf} announces no route holding {target} to an external peer: "
                   + ("it has no IPv{} external session".format(self.fam) if not sessions else
                      f"{', '.join(sorted({s['path'] for s in sessions}))} export no aggregate or VIP pool holding it"))
            self.hop("external", peer, "external", f"{base}; it has no route back into VRF {their_vrf}", self.untagged(),
                     decided=False, ctx=ctx, model_path=f"external_peers[{peer}]")
            raise self.stop("no-exit", why)
        theirs = [(s, r) for s, r in announced if s["peer"] == peer]
        if not theirs:
            others = sorted({s["peer"] for s, _r in announced})
            self.hop("external", peer, "external", f"{base}; VRF {their_vrf} is announced to {', '.join(others)}, "
                     f"not to {peer}", self.untagged(), decided=False, ctx=ctx, model_path=f"external_peers[{peer}]")
            why = f"how {peer} reaches {', '.join(others)} (VRF {their_vrf}'s peers) is outside the model"
            raise self.stop("not-modelled", why)
        entry, aggregate = theirs[0]
        leaves = sorted({s["leaf"] for s, _r in theirs})
        choice = {"kind": "ecmp", "candidates": leaves, "chosen": None,
                  "inputs": {"hash": f"{peer}'s own multipath hash (not modelled)"},
                  "rule": f"{peer} learned {aggregate} from {len(leaves)} border leaves; which one it sends to is its "
                          "own choice"} if len(leaves) > 1 else None
        self.hop("external", peer, "external", f"{base} and routes {target} back into VRF {their_vrf} by "
                 f"{announced_what(self.facts, entry, aggregate)} that {', '.join(leaves)} announce to it (shown: {entry['leaf']} {entry['interface']})",
                 self.untagged(), choice=choice, decided=False, ctx=dict(ctx, route=aggregate, back_vrf=their_vrf),
                 model_path=f"external_peers[{peer}]")
        self.notes.append(f"between VRFs {session['vrf']} and {their_vrf} the packet leaves the fabric: {peer} "
                          "(normally a firewall) decides whether it passes; no route is leaked inside the fabric "
                          f"(vrfs[{their_vrf}].leak_from / vrfs[{session['vrf']}].leak_from are empty)")
        self.handover(entry["leaf"], entry, outbound=False)
        if dst_net is None:                       # a MetalLB VIP of that VRF
            self.to_vip(entry["leaf"], their_vrf)
        self.in_vrf(entry["leaf"], their_vrf, dst_net)

    def leak(self, leaf, vrf, their_vrf, dst_net):
        """VRF ``vrf`` imports VRF ``their_vrf``'s routes (``vrfs[vrf].leak_from``): the lookup crosses into it."""
        record = view.vrf_record(self.facts, their_vrf)
        prefix = view.network(self.model, dst_net)[f"ipv{self.fam}"]
        self.vrf_hop(leaf, vrf, f"{prefix} of VRF {their_vrf} is leaked into VRF {vrf} (vrfs[{vrf}].leak_from imports "
                     f"route target {record['route_target']}): the lookup continues in VRF {their_vrf}", dst_net,
                     kind="leak", pattern=r"via|directly connected", model_path=f"vrfs[{vrf}].leak_from")
        self.in_vrf(leaf, their_vrf, dst_net, leaked=True)

    def l3vni_transport(self, leaf, vrf, targets, prefix, l2vni=None):
        """Routed over the VRF's L3 VNI from ``leaf`` to the VTEP of ``targets`` (a pair): encap, spine, decap.
        ``l2vni``: the host's network VNI when ``prefix`` is a host route (an EVPN MAC-IP route), else None."""
        record = view.vrf_record(self.facts, vrf)
        vni, sw = record["l3vni"], view.switch(self.facts, leaf)
        remote_pair = view.pair(self.facts, targets[0])
        remote_vtep = view.switch(self.facts, targets[0])["vtep4"]
        stack = wire.vxlan(sw["vtep4"], remote_vtep, vni, "Ethernet (inner: router MACs, no VLAN tag)") + self.payload
        ups = view.uplinks(self.facts, leaf)
        shown = ups[0]
        vflow = {"src_ip": sw["vtep4"], "dst_ip": remote_vtep, "proto": 17, "src_port": None, "dst_port": wire.VXLAN_PORT}
        self.hop("l3vni-encap", leaf, sw["platform"], f"VRF {vrf} routes into its L3 VNI {vni} (symmetric IRB): "
                 f"{leaf} encapsulates toward the VTEP {remote_vtep} of {' and '.join(remote_pair)}, the inner "
                 f"destination MAC being their router MAC, and sends on one of its uplinks (shown: "
                 f"{shown['leaf_port']} to {shown['spine']})", stack, shown["mtu"], f"{leaf} {shown['leaf_port']} MTU",
                 shown["leaf_port"],
                 choice=self.ecmp(sw["platform"], [lk["spine"] for lk in ups], vflow, "VXLAN outer header; the UDP source "
                                  "port is the leaf's hash of the inner packet"), decided=False,
                 ctx=self.ctx(vrf=vrf, vni=vni, vlan=record["vlan"], remote_vtep=remote_vtep, prefix=prefix,
                              route_target=record["route_target"], l2vni=l2vni),
                 model_path=record["path"])
        nexts = [lf for lf in targets if lf in remote_pair] or remote_pair
        self.spine(shown["spine"], nexts, stack, vflow, f"{remote_vtep}/32", "the VTEP")
        remote = nexts[0]
        rsw = view.switch(self.facts, remote)
        self.hop("l3vni-decap", remote, rsw["platform"], f"{remote} (VTEP {remote_vtep}) decapsulates L3 VNI {vni} "
                 f"into VRF {vrf} and routes the inner packet there", self.untagged("Ethernet (routed)"),
                 ctx=self.ctx(vrf=vrf, vni=vni, vlan=record["vlan"],
                              vlan_interface=view.vlan_interface(self.facts, remote, record["vlan"])),
                 model_path=record["path"])
        self.mtu_overhead_note(hopmtu.fabric_overhead(self.model))
        return remote

    def from_outside(self):
        """The reverse of an exit: the external peer sends toward a host of the site, into its VRF at the border."""
        dst_net = self.dst_network()
        target = self.flow["dst_ip"]
        if dst_net is None:
            raise self.stop("not-modelled", f"{target} is not in a modelled network")
        vrf = view.vrf(self.model, dst_net)
        sessions = [s for s in view.exits(self.facts, vrf) if s["family"] == self.fam]
        announced = [(s, exported_route(self.facts, s, target)) for s in sessions]
        announced = [(s, r) for s, r in announced if r]
        if not announced:
            raise self.stop("no-exit", missing_exit(self.model, self.facts, vrf, self.fam, target, dst_net)
                            if not sessions else f"no external session of VRF {vrf} announces a route holding {target}"
                            f" ({', '.join(sorted({s['path'] for s in sessions}))}: export_aggregates or aggregates)")
        # the packet comes from the peer whose accepted route holds its source (the one the forward path leaves by)
        _sessions, behind = exit_routes(self.facts, vrf, self.fam, self.flow["src_ip"])
        sources = {s["peer"] for s, _r in behind}
        announced = [(s, r) for s, r in announced if s["peer"] in sources] or announced
        entry, aggregate = announced[0]
        leaves = sorted({s["leaf"] for s, _r in announced})
        peers = sorted({s["peer"] for s, _r in announced})
        self.sender_mtu = entry["mtu"]
        choice = {"kind": "ecmp", "candidates": [f"{s['peer']} -> {s['leaf']}" for s, _r in announced], "chosen": None,
                  "inputs": {"hash": "the external peer's own multipath hash (not modelled)"},
                  "rule": f"{', '.join(peers)} learned {aggregate} from {', '.join(leaves)}; which session carries the "
                          "packet is the peer's choice"} if len(announced) > 1 else None
        self.hop("external", entry["peer"], "external", f"{entry['peer']} ({entry['peer_kind']}, AS "
                 f"{entry['peer_asn']}) sends {target} toward {announced_what(self.facts, entry, aggregate)} that VRF {vrf} announces to "
                 f"it (shown: {entry['leaf']} {entry['interface']}); before {entry['peer']} the path is outside the "
                 "model", self.untagged(), choice=choice, decided=False,
                 ctx=self.ctx(peer=entry["peer"], peer_ip=entry["peer_ip"], route=aggregate, vrf=vrf),
                 model_path=f"external_peers[{entry['peer']}]")
        self.handover(entry["leaf"], entry, outbound=False)
        self.in_vrf(entry["leaf"], vrf, dst_net)
