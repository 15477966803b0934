"""Our structured config of an EOS switch restated as an AVD structured config (eos_cli_config_gen input).

The reference for the EOS text is Arista AVD's own generator (pyavd.get_device_config, Apache-2.0): it is
fed the same intent, field by field from our design dict (never from our rendered text), and its output is
compared with ours command by command (test_eos_reference.py). Only the design's values cross over; every
EOS word on the reference side is AVD's.
"""

from __future__ import annotations

from ansible_collections.dcnet.fabric.plugins.module_utils.vlans import ranges_text   # VLAN list notation only


def _ref(name):
    return "{{ " + name + " }}"


def _switchport(port):
    if port["mode"] == "access":
        return {"mode": "access", "access_vlan": port["native_vlan"]}
    out = {"mode": "trunk", "trunk": {"allowed_vlan": ranges_text(tuple(port["allowed_vlans"]))}}
    if port["native_vlan"] or port.get("blackhole_vlan"):
        out["trunk"]["native_vlan"] = port["native_vlan"] or port["blackhole_vlan"]
    return out


def _edge(port):
    return {"spanning_tree_portfast": "edge", "spanning_tree_bpduguard": "enabled"} if port["edge"] else {}


def _management(c, sc):
    m = c.get("management")
    if not m:
        return
    sc["vrfs"] = [{"name": m["vrf"], "ip_routing": False}]
    iface = {"name": m["interface"], "description": "out-of-band management", "vrf": m["vrf"], "type": "oob"}
    if m["ipv4"]:
        iface["ip_address"] = m["ipv4"]
    if m["ipv6"]:
        iface.update(ipv6_enable=True, ipv6_address=m["ipv6"])
    sc["management_interfaces"] = [iface]
    routes = []
    if m["gateway4"]:
        routes.append({"vrf": m["vrf"], "prefix": "0.0.0.0/0", "next_hop": m["gateway4"]})
    if routes:
        sc["static_routes"] = routes
    if m["gateway6"]:
        sc["ipv6_static_routes"] = [{"vrf": m["vrf"], "prefix": "::/0", "next_hop": m["gateway6"]}]
    if m["domain"]:
        sc["dns_domain"] = m["domain"]
    if m["dns_servers"]:
        sc["ip_name_server"] = {"vrfs": [{"name": m["vrf"], "servers": [{"ip_address": s} for s in m["dns_servers"]]}]}
    if m["ntp_servers"]:
        sc["ntp"] = {"local_interface": {"name": m["interface"], "vrf": m["vrf"]}, "vrf": m["vrf"],
                     "servers": [{"name": s, "iburst": True} for s in m["ntp_servers"]]}
    if m["syslog_servers"]:
        sc["logging"] = {"vrfs": [{"name": m["vrf"], "source_interface": m["interface"],
                                   "hosts": [{"name": s} for s in m["syslog_servers"]]}]}
    if m["users"]:
        users = []
        for u in m["users"]:
            user = {"name": u["name"], "privilege": u["privilege"], "role": u["role"],
                    "sha512_password": _ref(u["password_var"])}
            if u["ssh_key_var"]:
                user["ssh_key"] = _ref(u["ssh_key_var"])
            users.append(user)
        sc["local_users"] = users
    if m["tacacs"]:
        t = m["tacacs"]
        sc["tacacs_servers"] = {"hosts": [{"host": s, "vrf": m["vrf"], "key": _ref(t["key_var"]), "key_type": "7"}
                                          for s in t["servers"]]}
        sc["ip_tacacs_source_interfaces"] = [{"name": m["interface"], "vrf": m["vrf"]}]
        sc["aaa_server_groups"] = [{"name": t["group"], "type": "tacacs+",
                                    "servers": [{"server": s, "vrf": m["vrf"]} for s in t["servers"]]}]
        sc["aaa_authentication"] = {"login": {"default": f"group {t['group']} local"}}
        sc["aaa_authorization"] = {"exec": {"default": f"group {t['group']} local"}}
        sc["aaa_accounting"] = {"commands": {"default": [{"commands": "all", "type": "start-stop",
                                                          "methods": [{"method": "group", "group": t["group"]}]}]}}
    if m["snmp"]:
        s = m["snmp"]
        snmp = {"communities": [{"name": _ref(s["community_var"]), "access": "ro"}],
                "vrfs": [{"name": m["vrf"], "enable": True}]}
        if s["location"]:
            snmp["location"] = s["location"]
        if s["contact"]:
            snmp["contact"] = s["contact"]
        sc["snmp_server"] = snmp
    if m["api"]:
        sc["management_api_http"] = {"enable_https": True, "enable_vrfs": [{"name": m["vrf"]}]}
    if m["gnmi"]:
        sc["management_api_gnmi"] = {"transport": {"grpc": [{"name": m["vrf"], "vrf": m["vrf"]}]}}


def _interfaces(c, sc):
    eths, pcs = [], []
    dcb = c.get("dcb")
    if c.get("mlag"):
        ml = c["mlag"]
        pcs.append({"name": ml["peer_link"]["name"], "description": f"MLAG peer link to {ml['peer']}", "mtu": c["mtu"],
                    "switchport": {"enabled": True, "mode": "trunk", "trunk": {
                        "allowed_vlan": ranges_text(tuple(ml["peer_link"]["allowed_vlans"])) + f",{ml['vlan']}",
                        "groups": ["MLAG-PEER"]}}})
        for m in ml["peer_link"]["members"]:
            eths.append({"name": m, "description": f"MLAG peer link to {ml['peer']}",
                         "channel_group": {"id": ml["peer_link"]["id"], "mode": "active"}})
    for pc in c.get("port_channels") or []:
        entry = {"name": pc["name"], "description": pc["description"], "mtu": pc["mtu"],
                 "switchport": {"enabled": True, **_switchport(pc)}, **_edge(pc)}
        if pc["mlag_id"]:
            entry["mlag"] = pc["mlag_id"]
        pcs.append(entry)
    for port in c.get("ethernet_interfaces") or []:
        entry = {"name": port["name"], "description": port["description"], "mtu": port["mtu"]}
        if port["channel"]:
            entry["channel_group"] = {"id": port["channel"]["id"], "mode": port["channel"]["lacp"]}
            if port["channel"]["lacp"] == "active":
                entry["lacp_timer"] = {"mode": "fast" if port["channel"]["lacp_rate"] == "fast" else "normal"}
        else:
            entry["switchport"] = {"enabled": True, **_switchport(port)}
            entry.update(_edge(port))
        if port["dcb"] and dcb:
            entry["service_profile"] = "DCNET-RDMA"
        eths.append(entry)
    for link in c["fabric_links"]:
        entry = {"name": link["interface"], "description": link["description"], "mtu": link["mtu"],
                 "switchport": {"enabled": False}}
        if link["ipv4"]:
            entry["ip_address"] = link["ipv4"]
        if link["ipv6"]:
            entry.update(ipv6_enable=True, ipv6_address=link["ipv6"])
        eths.append(entry)
    sc["ethernet_interfaces"] = eths
    sc["port_channel_interfaces"] = pcs
    sc["loopback_interfaces"] = [{"name": lo["name"], "description": lo["purpose"],
                                  **({"ip_address": lo["ipv4"]} if lo["ipv4"] else {}),
                                  **({"ipv6_address": lo["ipv6"]} if lo["ipv6"] else {})} for lo in c["loopbacks"]]
    svis = []
    for v in c.get("vlans") or []:
        if not v["svi"]:
            continue
        s = v["svi"]
        entry = {"name": s["interface"], "description": v["name"], "mtu": s["mtu"]}
        if s["ipv4"]:
            entry["ip_address"] = s["ipv4"]
        if s["gateway4"]:
            entry["ip_virtual_router_addresses"] = [s["gateway4"]]
        if s["ipv6"]:
            entry.update(ipv6_enable=True, ipv6_address=s["ipv6"])
        if s["gateway6"]:
            entry["ipv6_virtual_router_addresses"] = [s["gateway6"]]
        helpers = [h for h in s["dhcp_relay"] if ":" not in h]
        if helpers:
            entry["ip_helpers"] = [{"ip_helper": h} for h in helpers]
        relay6 = [h for h in s["dhcp_relay"] if ":" in h]
        if relay6:
            entry["ipv6_dhcp_relay_destinations"] = [{"address": h} for h in relay6]
        ra = s.get("ipv6_ra")
        if ra and not ra["enabled"]:
            entry["ipv6_nd_ra_disabled"] = True
        elif ra:
            if ra["managed"]:
                entry["ipv6_nd_managed_config_flag"] = True
            if ra["other"]:
                entry["ipv6_nd_other_config_flag"] = True
            if not ra["autonomous"]:
                entry["ipv6_nd_prefixes"] = [{"ipv6_prefix": ra["prefix"], "no_autoconfig_flag": True}]
        svis.append(entry)
    if c.get("mlag"):
        ml = c["mlag"]
        svis.append({"name": ml["vlan_interface"], "description": f"MLAG peer {ml['peer']} (control and routed peering)",
                     "mtu": c["mtu"], "no_autostate": True, "ip_address": ml["local_ip"]})
    sc["vlan_interfaces"] = svis
    if c.get("vxlan"):
        x = c["vxlan"]
        sc["vxlan_interface"] = {"vxlan1": {"vxlan": {"source_interface": x["source_interface"], "udp_port": x["udp_port"],
                                                      "vlans": [{"id": v["vlan"], "vni": v["vni"]} for v in x["vnis"]]}}}


def _routing(c, sc):
    b = c["bgp"]
    sc["ip_routing"] = True
    if "ipv6" in b["families"]:
        sc["ipv6_unicast_routing"] = True
    pls4 = [pl for pl in c["prefix_lists"] if pl["family"] == 4]
    pls6 = [pl for pl in c["prefix_lists"] if pl["family"] == 6]

    def entries(pl):
        out = []
        for e in pl["entries"]:
            text = f"{e['action']} {e['prefix']}" + (f" ge {e['ge']}" if e["ge"] else "") + (f" le {e['le']}" if e["le"] else "")
            out.append({"sequence": e["seq"], "action": text})
        return out
    sc["prefix_lists"] = [{"name": pl["name"], "sequence_numbers": entries(pl)} for pl in pls4]
    sc["ipv6_prefix_lists"] = [{"name": pl["name"], "sequence_numbers": entries(pl)} for pl in pls6]
    rms = []
    for rm in c["route_maps"]:
        seqs = []
        for e in rm["entries"]:
            seq = {"sequence": e["seq"], "type": e["action"]}
            if e["match_prefix_list"]:
                seq["match"] = [f"{'ip' if rm['family'] == 4 else 'ipv6'} address prefix-list {e['match_prefix_list']}"]
            if e["set_community"]:
                seq["set"] = [f"community {' '.join(e['set_community'])} additive"]
            seqs.append(seq)
        rms.append({"name": rm["name"], "sequence_numbers": seqs})
    sc["route_maps"] = rms
    if b["bfd"]:
        sc["router_bfd"] = {"interval": b["bfd"]["interval_ms"], "min_rx": b["bfd"]["interval_ms"],
                            "multiplier": b["bfd"]["multiplier"]}
    groups = []
    for g in b["peer_groups"]:
        entry = {"name": g["name"], "description": g["description"], "timers": f"{b['keepalive']} {b['hold']}",
                 "send_community": "all"}
        if g["remote_as"] != "external":
            entry["remote_as"] = str(g["remote_as"])
        if g["bfd"] and b["bfd"]:
            entry["bfd"] = True
        if g["allowas_in"]:
            entry["allowas_in"] = {"enabled": True, "times": g["allowas_in"]}
        if g["next_hop_self"]:
            entry["next_hop_self"] = True
        if g["maximum_routes"] is not None:
            entry["maximum_routes"] = g["maximum_routes"]
        groups.append(entry)
    neighbors = []
    for n in b["neighbors"]:
        entry = {"ip_address": n["ip"], "peer_group": n["peer_group"], "description": n["description"]}
        if n["remote_as_on_neighbor"]:
            entry["remote_as"] = str(n["remote_as"])
        if n["ebgp_multihop"]:
            entry.update(ebgp_multihop=n["ebgp_multihop"], update_source=n["update_source"])
        neighbors.append(entry)
    rb = {"as": str(b["asn"]), "router_id": b["router_id"], "bgp_defaults": ["no bgp default ipv4-unicast"],
          "maximum_paths": {"paths": b["maximum_paths"], "ecmp": b["maximum_paths"]},
          "peer_groups": groups, "neighbors": neighbors}
    if b["multipath_relax"]:
        rb["bgp"] = {"bestpath": {"d_path": False}}
        rb["bgp_defaults"].append("bgp bestpath as-path multipath-relax")
    by = {}
    for n in b["neighbors"]:
        for af in n["address_families"]:
            by.setdefault(af, []).append(n)
    for fam in b["families"]:
        key = "address_family_ipv4" if fam == "ipv4" else "address_family_ipv6"
        rb[key] = {"peer_groups": [{"name": g["name"], "route_map_in": g["route_map_in"][fam],
                                    "route_map_out": g["route_map_out"][fam]}
                                   for g in b["peer_groups"] if fam in g["families"]],
                   "neighbors": [{"ip_address": n["ip"], "activate": True} for n in by.get(fam, [])],
                   "redistribute": {"connected": {"enabled": True, "route_map": b["redistribute_connected"][fam]}}}
    if b["evpn"]["enabled"]:
        rb["address_family_evpn"] = {"neighbors": [{"ip_address": n["ip"], "activate": True} for n in by.get("evpn", [])]}
        if b["evpn"]["next_hop_unchanged"]:
            rb["address_family_evpn"]["next_hop_unchanged"] = True
    if c.get("vxlan"):
        rb["vlans"] = [{"id": v["vlan"], "rd": v["rd"], "route_targets": {"both": [v["route_target"]]},
                        "redistribute_routes": ["learned"]} for v in c["vxlan"]["vnis"]]
    sc["router_bgp"] = rb


def avd_structured_config(c: dict) -> dict:
    """The AVD structured config of one of our EOS switch configs (a design dict)."""
    sc = {"hostname": c["hostname"], "service_routing_protocols_model": "multi-agent"}
    stp = c["spanning_tree"]
    sc["spanning_tree"] = {"mode": stp["mode"]}
    if stp["mode"] == "mstp":
        sc["spanning_tree"]["mst_instances"] = [{"id": "0", "priority": stp["priority"]}]
    elif stp["mode"] == "rapid-pvst":
        sc["spanning_tree"]["rapid_pvst_instances"] = [{"id": "1-4094", "priority": stp["priority"]}]
    if c.get("mlag"):
        sc["spanning_tree"]["no_spanning_tree_vlan"] = str(c["mlag"]["vlan"])
    _management(c, sc)
    if c.get("dcb"):
        d = c["dcb"]
        sc["qos"] = {"map": {"cos": [f"{p} to traffic-class {p}" for p in (d["storage_priority"], d["cluster_priority"])],
                             "traffic_class": [f"{p} to tx-queue {p}" for p in (d["storage_priority"], d["cluster_priority"])]}}
        sc["qos_profiles"] = [{"name": "DCNET-RDMA", "trust": "cos",
                               "priority_flow_control": {"enabled": True, "priorities": [
                                   {"priority": p, "no_drop": True} for p in d["pfc_priorities"]]},
                               "tx_queues": [
                                   {"id": d["storage_priority"], "bandwidth_guaranteed_percent": d["bandwidth"]["storage"],
                                    "random_detect": {"ecn": {"threshold": {
                                        "min": d["ecn"]["min_kbytes"], "max": d["ecn"]["max_kbytes"], "units": "kbytes",
                                        "max_probability": 100}}}},
                                   {"id": d["cluster_priority"], "bandwidth_guaranteed_percent": d["bandwidth"]["cluster"]}]}]
    vlans = [{"id": v["id"], "name": v["name"]} for v in c.get("vlans") or []]
    if c.get("blackhole_vlan"):
        vlans.append(dict(c["blackhole_vlan"]))
    if c.get("mlag"):
        vlans.append({"id": c["mlag"]["vlan"], "name": "MLAG-PEER", "trunk_groups": ["MLAG-PEER"]})
    sc["vlans"] = vlans
    _interfaces(c, sc)
    if c.get("anycast_gateway_mac"):
        sc["ip_virtual_router_mac_address"] = c["anycast_gateway_mac"]
    if c.get("mlag"):
        ml = c["mlag"]
        mc = {"domain_id": ml["domain_id"], "local_interface": ml["vlan_interface"], "peer_address": ml["peer_ip"],
              "peer_link": ml["peer_link"]["name"], "reload_delay_mlag": str(ml["reload_delay"]["mlag"]),
              "reload_delay_non_mlag": str(ml["reload_delay"]["non_mlag"])}
        if ml["keepalive"]["via"] == "management":
            mc["peer_address_heartbeat"] = {"peer_ip": ml["keepalive"]["destination"], "vrf": ml["keepalive"]["vrf"]}
            mc["dual_primary_detection_delay"] = 5
        sc["mlag_configuration"] = mc
    _routing(c, sc)
    return sc
