"""Test oracle: NMState desired-state rules, as nmstate 2.x and NetworkManager enforce them.

The renderers never run this: a rendered document that breaks one of these
rules is an engine bug, and the tests hold every rendered document (golden
sites, property tests) to them.  What a user can get wrong in the model is
a registry rule that stops the run before the render (checks/ove.py,
checks/hosts.py, checks/mtu.py).  The NMS labels below name the oracle's
findings; they are not rule ids of the registry.

``validate(doc)`` returns every finding (never stops at the first), each with
a path inside the document such as
``interfaces[bond0].link-aggregation.options.lacp_rate``.  The rules are the
ones written down in the project's target-format reference (section 1):

======  ==============================================================
NMS001  unknown key (nmstate structs deny unknown fields)
NMS002  interface name/type/state missing or not an nmstate value
NMS003  bond mode is not an nmstate/kernel mode name (nor 0-6), or is
        missing on a bond being brought up
NMS004  ``lacp_rate`` other than slow/0 with a mode other than 802.3ad
NMS005  ``miimon`` > 0 together with ``arp_interval`` > 0
NMS006  bad bond option value or relation (hash policy, lacp_rate
        spelling, arp_interval without arp_ip_target, up/downdelay
        without miimon, primary outside active-backup/tlb/alb,
        ports-config naming a non-port)
NMS007  VLAN id outside 0-4094, or missing base-iface/id
NMS008  MTU below 1280 on an interface with IPv6 enabled
NMS009  IP section: wrong family, prefix length out of range, IPv4
        autoconf, wrong types
NMS010  bridge port VLAN rules (trunk needs trunk-tags, access forbids
        them, ids 1-4094, no overlapping trunk ids)
NMS011  routes: destination and next-hop-interface required
NMS012  dns-resolver option not known to nmstate
NMS013  a VLAN MTU larger than its base interface MTU (bond >= VLAN)
NMS014  ovn.bridge-mappings entry without localnet, or without bridge
        while present
NMS015  OVS bridge given mtu/ipv4/ipv6/mac-address (silently dropped or
        rejected by nmstate: they belong on an ovs-interface)
======  ==============================================================

Interface types outside the ones the collection renders (hsr, ipsec,
macsec, ...) are accepted with their own section unchecked.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.dcnet.fabric.plugins.module_utils.findings import Finding

TOP_KEYS = {"interfaces", "routes", "route-rules", "dns-resolver", "hostname", "ovs-db", "ovn", "description",
            "version"}
TYPES = ("ethernet", "bond", "vlan", "linux-bridge", "ovs-bridge", "ovs-interface", "dummy", "veth", "vrf", "vxlan",
         "mac-vlan", "mac-vtap", "ipvlan", "infiniband", "loopback", "hsr", "macsec", "ipsec", "xfrm", "unknown")
STATES = ("up", "down", "absent", "ignore")
COMMON_KEYS = {"name", "type", "state", "profile-name", "description", "identifier", "mac-address",
               "permanent-mac-address", "mtu", "min-mtu", "max-mtu", "controller", "accept-all-mac-addresses",
               "copy-mac-from", "wait-ip", "ipv4", "ipv6", "ethtool", "lldp", "802.1x", "mptcp", "dispatch", "ovs-db"}
# type -> section keys it may carry (sections of out-of-scope types are not checked inside)
TYPE_SECTIONS = {
    "ethernet": {"ethernet"}, "bond": {"link-aggregation"}, "vlan": {"vlan"}, "linux-bridge": {"bridge"},
    "ovs-bridge": {"bridge"}, "ovs-interface": {"patch", "dpdk"}, "veth": {"veth", "ethernet"}, "vrf": {"vrf"},
    "dummy": set(), "loopback": set(), "vxlan": {"vxlan"}, "mac-vlan": {"mac-vlan"}, "mac-vtap": {"mac-vtap"},
    "ipvlan": {"ipvlan"}, "infiniband": {"infiniband"}, "hsr": {"hsr"}, "macsec": {"macsec"},
    "ipsec": {"libreswan"}, "xfrm": {"xfrm"}, "unknown": set(),
}
UNCHECKED_SECTIONS = {"vxlan", "mac-vlan", "mac-vtap", "ipvlan", "infiniband", "hsr", "macsec", "libreswan", "xfrm",
                      "ethtool", "802.1x", "mptcp", "dispatch", "ovs-db", "patch", "dpdk", "veth", "vrf"}
BOND_MODES = {"balance-rr": 0, "active-backup": 1, "balance-xor": 2, "broadcast": 3, "802.3ad": 4,
              "balance-tlb": 5, "balance-alb": 6}
BOND_KEYS = {"mode", "port", "ports", "ports-config", "options"}
BOND_OPTIONS = {"miimon", "updelay", "downdelay", "arp_interval", "arp_ip_target", "arp_validate", "arp_all_targets",
                "arp_missed_max", "lacp_rate", "ad_select", "ad_actor_sys_prio", "ad_actor_system",
                "ad_user_port_key", "min_links", "xmit_hash_policy", "primary", "primary_reselect", "fail_over_mac",
                "all_slaves_active", "packets_per_slave", "lp_interval", "num_grat_arp", "num_unsol_na",
                "resend_igmp", "tlb_dynamic_lb", "use_carrier", "balance_slb", "balance-slb", "peer_notif_delay"}
HASH_POLICIES = {"layer2": 0, "layer3+4": 1, "layer2+3": 2, "encap2+3": 3, "encap3+4": 4, "vlan+srcmac": 5}
LACP_RATES = {"slow": 0, "fast": 1}
VLAN_KEYS = {"base-iface", "id", "protocol", "registration-protocol", "reorder-headers", "loose-binding"}
IP_KEYS = {"enabled", "dhcp", "autoconf", "address", "dhcp-client-id", "dhcp-duid", "addr-gen-mode", "token",
           "auto-dns", "auto-gateway", "auto-routes", "auto-route-table-id", "auto-route-metric",
           "dhcp-send-hostname", "dhcp-custom-hostname", "allow-extra-address", "dhcp-timeout", "map-to-dhcp"}
ADDRESS_KEYS = {"ip", "prefix-length", "valid-life-time", "preferred-life-time"}
ETHERNET_KEYS = {"auto-negotiation", "speed", "duplex", "sr-iov"}
LINUX_BRIDGE_KEYS = {"options", "port", "ports"}
LINUX_BRIDGE_OPTIONS = {"stp", "mac-ageing-time", "group-addr", "group-fwd-mask", "group-forward-mask", "hash-max",
                        "multicast-snooping", "multicast-router", "multicast-querier", "vlan-protocol",
                        "vlan-default-pvid", "gc-timer", "hello-timer", "hash-elasticity"}
STP_KEYS = {"enabled", "forward-delay", "hello-time", "max-age", "priority"}
LINUX_BRIDGE_PORT_KEYS = {"name", "stp-hairpin-mode", "stp-path-cost", "stp-priority", "vlan"}
OVS_BRIDGE_KEYS = {"options", "port", "ports", "allow-extra-patch-ports"}
OVS_BRIDGE_OPTIONS = {"stp", "rstp", "mcast-snooping-enable", "fail-mode", "datapath"}
OVS_PORT_KEYS = {"name", "vlan", "link-aggregation"}
OVS_BOND_KEYS = {"mode", "port", "ports", "bond-updelay", "bond-downdelay", "ovs-db"}
OVS_BOND_MODES = {"active-backup", "balance-slb", "balance-tcp", "lacp"}
PORT_VLAN_KEYS = {"mode", "tag", "enable-native", "trunk-tags"}
ROUTE_KEYS = {"destination", "next-hop-interface", "next-hop-address", "metric", "table-id", "weight",
              "route-type", "source", "cwnd", "state"}
ROUTE_TYPES = {"blackhole", "unreachable", "prohibit"}
ROUTE_RULE_KEYS = {"ip-from", "ip-to", "priority", "route-table", "fwmark", "fwmask", "family", "iif", "action",
                   "state", "suppress-prefix-length", "suppress_prefixlength"}
DNS_KEYS = {"server", "search", "options"}
DNS_FLAG_OPTIONS = {"debug", "edns0", "inet6", "ip6-bytestring", "ip6-dotint", "no-aaaa", "no-check-names",
                    "no-ip6-dotint", "no-reload", "no-tld-query", "rotate", "single-request", "single-request-reopen",
                    "trust-ad", "use-vc"}
DNS_VALUE_OPTIONS = {"ndots", "timeout", "attempts"}
OVN_MAPPING_KEYS = {"localnet", "bridge", "state"}
IPV6_MIN_MTU = 1280


class _Checker:
    def __init__(self):
        self.findings = []

    def add(self, rule, path, message, hint=""):
        self.findings.append(Finding(rule, path, message, hint))

    def keys(self, obj, allowed, path):
        """NMS001 for every unknown key; False when obj is not a mapping."""
        if not isinstance(obj, dict):
            self.add("NMS001", path or "$", f"must be a mapping, not {type(obj).__name__}")
            return False
        if obj.keys() <= allowed:
            return True
        for key in sorted(set(obj) - allowed, key=str):
            self.add("NMS001", f"{path}.{key}" if path else str(key), f"unknown key '{key}'",
                     "nmstate rejects unknown keys; check the spelling (kebab-case, bond options snake_case)")
        return True


def _int(value):
    """An integer given as int or digit string (nmstate accepts both for options), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _enabled(section):
    return isinstance(section, dict) and section.get("enabled") is True


def _iface_path(iface, index):
    name = iface.get("name") if isinstance(iface, dict) else None
    return f"interfaces[{name}]" if isinstance(name, str) and name else f"interfaces[{index}]"


def validate(doc) -> list:
    """Every rule finding of one NMState desired-state document (empty list = valid)."""
    chk = _Checker()
    if not chk.keys(doc, TOP_KEYS, ""):
        return chk.findings
    ifaces = doc.get("interfaces") or []
    if not isinstance(ifaces, list):
        chk.add("NMS001", "interfaces", "must be a list")
        ifaces = []
    by_name = {}
    for index, iface in enumerate(ifaces):
        path = _iface_path(iface, index)
        _interface(chk, iface, path)
        if isinstance(iface, dict) and isinstance(iface.get("name"), str):
            by_name[iface["name"]] = iface
    _mtu_chain(chk, ifaces, by_name)
    if "routes" in doc:
        _routes(chk, doc["routes"])
    if "route-rules" in doc:
        rules = doc["route-rules"]
        if chk.keys(rules, {"config"}, "route-rules"):
            for i, rule in enumerate(rules.get("config") or []):
                chk.keys(rule, ROUTE_RULE_KEYS, f"route-rules.config[{i}]")
    if "dns-resolver" in doc:
        _dns(chk, doc["dns-resolver"])
    if "hostname" in doc:
        chk.keys(doc["hostname"], {"config", "running"}, "hostname")
    if "ovs-db" in doc:
        chk.keys(doc["ovs-db"], {"external_ids", "other_config"}, "ovs-db")
    if "ovn" in doc:
        _ovn(chk, doc["ovn"])
    return chk.findings


def _interface(chk, iface, path):
    if not isinstance(iface, dict):
        chk.add("NMS002", path, "an interface must be a mapping")
        return
    name, itype, state = iface.get("name"), iface.get("type", "unknown"), iface.get("state", "up")
    if not isinstance(name, str) or not name:
        chk.add("NMS002", f"{path}.name", "every interface needs a name")
    elif len(name) > 15 and itype not in ("ovs-bridge", "ovs-interface"):
        chk.add("NMS002", f"{path}.name", f"'{name}' is longer than the 15 characters of a kernel interface name")
    if itype not in TYPES:
        chk.add("NMS002", f"{path}.type", f"'{itype}' is not an nmstate interface type")
        return
    if state not in STATES:
        chk.add("NMS002", f"{path}.state", f"'{state}' is not one of {', '.join(STATES)}")
    if state == "absent":
        return  # nmstate discards everything but name and type
    chk.keys(iface, COMMON_KEYS | TYPE_SECTIONS[itype], path)
    mtu = iface.get("mtu")
    if mtu is not None and (_int(mtu) is None or _int(mtu) < 0):
        chk.add("NMS009", f"{path}.mtu", f"MTU {mtu!r} is not a non-negative integer")
    for fam in ("ipv4", "ipv6"):
        if fam in iface:
            _ip(chk, iface[fam], fam, f"{path}.{fam}")
    if _enabled(iface.get("ipv6")) and _int(mtu) is not None and _int(mtu) < IPV6_MIN_MTU:
        chk.add("NMS008", f"{path}.mtu", f"MTU {mtu} is below {IPV6_MIN_MTU}, the minimum with IPv6 enabled",
                "raise the MTU or disable IPv6 on this interface")
    if itype == "ethernet" and "ethernet" in iface:
        chk.keys(iface["ethernet"], ETHERNET_KEYS, f"{path}.ethernet")
    if itype == "bond":
        _bond(chk, iface, path, state)
    if itype == "vlan":
        _vlan(chk, iface.get("vlan"), f"{path}.vlan")
    if itype == "linux-bridge" and "bridge" in iface:
        _linux_bridge(chk, iface["bridge"], f"{path}.bridge")
    if itype == "ovs-bridge":
        for key in ("mtu", "ipv4", "ipv6", "mac-address"):
            if key in iface and not (key in ("ipv4", "ipv6") and iface[key] in ({"enabled": False}, None)):
                chk.add("NMS015", f"{path}.{key}", f"an OVS bridge cannot carry '{key}'",
                        "put it on an ovs-interface port of the bridge")
        if "bridge" in iface:
            _ovs_bridge(chk, iface["bridge"], f"{path}.bridge")


def _ip(chk, section, fam, path):
    if not chk.keys(section, IP_KEYS, path):
        return
    for key in ("enabled", "dhcp", "autoconf"):
        if key in section and not isinstance(section[key], bool):
            chk.add("NMS009", f"{path}.{key}", f"must be true or false, not {section[key]!r}")
    if fam == "ipv4":
        for key in ("autoconf", "dhcp-duid", "addr-gen-mode", "token"):
            if key in section:
                chk.add("NMS009", f"{path}.{key}", f"'{key}' is not allowed for IPv4")
    addresses = section.get("address") or []
    if not isinstance(addresses, list):
        chk.add("NMS009", f"{path}.address", "must be a list")
        return
    version, max_len = (4, 32) if fam == "ipv4" else (6, 128)
    for i, addr in enumerate(addresses):
        apath = f"{path}.address[{i}]"
        if not chk.keys(addr, ADDRESS_KEYS, apath):
            continue
        try:
            ip = ipaddress.ip_address(str(addr.get("ip")))
        except ValueError:
            chk.add("NMS009", f"{apath}.ip", f"{addr.get('ip')!r} is not an IP address")
            continue
        if ip.version != version:
            chk.add("NMS009", f"{apath}.ip", f"IPv{ip.version} address {ip} inside {fam}")
        plen = _int(addr.get("prefix-length"))
        if plen is None or not 0 <= plen <= max_len:
            chk.add("NMS009", f"{apath}.prefix-length", f"prefix length {addr.get('prefix-length')!r} is not 0-{max_len}")


def _bond(chk, iface, path, state):
    lag = iface.get("link-aggregation")
    lpath = f"{path}.link-aggregation"
    if lag is None:
        if state == "up":
            chk.add("NMS003", lpath, "a bond being created needs link-aggregation with a mode")
        return
    if not chk.keys(lag, BOND_KEYS, lpath):
        return
    mode = lag.get("mode")
    mode_n = BOND_MODES.get(mode, _int(mode) if _int(mode) in range(7) else None)
    if mode is None:
        if state == "up":
            chk.add("NMS003", f"{lpath}.mode", "the bond mode is mandatory when creating a bond")
    elif mode_n is None:
        chk.add("NMS003", f"{lpath}.mode", f"'{mode}' is not a bond mode ({', '.join(BOND_MODES)})",
                "the LACP mode is spelled 802.3ad (lacp is the OVS bond spelling)")
    ports = lag.get("port", lag.get("ports"))
    if ports is not None and (not isinstance(ports, list) or not all(isinstance(p, str) for p in ports)):
        chk.add("NMS006", f"{lpath}.port", "must be a list of interface names")
        ports = None
    for i, pc in enumerate(lag.get("ports-config") or []):
        if chk.keys(pc, {"name", "priority", "queue-id"}, f"{lpath}.ports-config[{i}]") and ports is not None \
                and pc.get("name") not in ports:
            chk.add("NMS006", f"{lpath}.ports-config[{i}].name", f"'{pc.get('name')}' is not a port of the bond")
    options = lag.get("options")
    if options is None:
        return
    opath = f"{lpath}.options"
    if not chk.keys(options, BOND_OPTIONS, opath):
        return
    lacp = options.get("lacp_rate")
    if lacp is not None:
        lacp_n = LACP_RATES.get(lacp, _int(lacp) if _int(lacp) in (0, 1) else None)
        if lacp_n is None:
            chk.add("NMS006", f"{opath}.lacp_rate", f"'{lacp}' is not slow, fast, 0 or 1")
        elif lacp_n != 0 and mode_n is not None and mode_n != 4:
            chk.add("NMS004", f"{opath}.lacp_rate", f"lacp_rate {lacp} is only valid in mode 802.3ad, not {mode}",
                    "drop lacp_rate or use mode 802.3ad")
    xmit = options.get("xmit_hash_policy")
    if xmit is not None and xmit not in HASH_POLICIES and _int(xmit) not in range(6):
        chk.add("NMS006", f"{opath}.xmit_hash_policy", f"'{xmit}' is not a transmit hash policy "
                f"({', '.join(HASH_POLICIES)})")
    miimon, arp = _int(options.get("miimon")), _int(options.get("arp_interval"))
    for key in ("miimon", "arp_interval", "updelay", "downdelay", "min_links"):
        if key in options and _int(options[key]) is None:
            chk.add("NMS006", f"{opath}.{key}", f"{options[key]!r} is not a non-negative integer")
    if miimon and arp:
        chk.add("NMS005", f"{opath}.arp_interval", f"miimon {miimon} and arp_interval {arp} cannot both be enabled",
                "use one link monitor: miimon (LACP bonds) or arp_interval with arp_ip_target")
    if arp and not options.get("arp_ip_target"):
        chk.add("NMS006", f"{opath}.arp_ip_target", "arp_interval needs arp_ip_target")
    if options.get("arp_ip_target") and not arp:
        chk.add("NMS006", f"{opath}.arp_interval", "arp_ip_target needs arp_interval > 0")
    if "miimon" in options and miimon == 0:
        for key in ("updelay", "downdelay"):
            if _int(options.get(key)):
                chk.add("NMS006", f"{opath}.{key}", f"{key} needs miimon > 0")
    if "primary" in options and mode_n not in (None, 1, 5, 6):
        chk.add("NMS006", f"{opath}.primary", f"primary is only valid in active-backup, balance-tlb or balance-alb, "
                f"not {mode}")


def _vlan(chk, section, path):
    if section is None:
        chk.add("NMS007", path, "a VLAN interface needs vlan.base-iface and vlan.id")
        return
    if not chk.keys(section, VLAN_KEYS, path):
        return
    if not section.get("base-iface"):
        chk.add("NMS007", f"{path}.base-iface", "missing vlan.base-iface")
    vid = section.get("id")
    if vid is None:
        chk.add("NMS007", f"{path}.id", "missing vlan.id")
    elif isinstance(vid, bool) or not isinstance(vid, int) or not 0 <= vid <= 4094:
        chk.add("NMS007", f"{path}.id", f"VLAN id {vid!r} is outside 0-4094", "NetworkManager rejects ids >= 4095")
    if "protocol" in section and section["protocol"] not in ("802.1q", "802.1ad"):
        chk.add("NMS007", f"{path}.protocol", f"'{section['protocol']}' is not 802.1q or 802.1ad")


def _stp(chk, stp, path):
    if isinstance(stp, bool):
        return
    chk.keys(stp, STP_KEYS, path)


def _port_vlan(chk, vlan, path):
    if not chk.keys(vlan, PORT_VLAN_KEYS, path) or not vlan:
        return
    mode = vlan.get("mode", "access")
    tags = vlan.get("trunk-tags")
    if mode not in ("access", "trunk"):
        chk.add("NMS010", f"{path}.mode", f"'{mode}' is not access or trunk")
    if mode == "trunk" and not tags:
        chk.add("NMS010", f"{path}.trunk-tags", "a trunk port needs trunk-tags")
    if mode == "access" and tags:
        chk.add("NMS010", f"{path}.trunk-tags", "an access port cannot have trunk-tags")
    if mode == "access" and vlan.get("enable-native"):
        chk.add("NMS010", f"{path}.enable-native", "enable-native is a trunk setting")
    if "tag" in vlan and (not isinstance(vlan["tag"], int) or not 1 <= vlan["tag"] <= 4094):
        chk.add("NMS010", f"{path}.tag", f"VLAN tag {vlan['tag']!r} is outside 1-4094")
    seen = set()
    for i, tag in enumerate(tags or []):
        tpath = f"{path}.trunk-tags[{i}]"
        if not chk.keys(tag, {"id", "id-range"}, tpath):
            continue
        if "id" in tag:
            ids = {tag["id"]} if isinstance(tag["id"], int) else set()
            lo = hi = tag["id"]
        elif chk.keys(tag.get("id-range"), {"min", "max"}, f"{tpath}.id-range"):
            lo, hi = tag["id-range"].get("min"), tag["id-range"].get("max")
            ids = set(range(lo, hi + 1)) if isinstance(lo, int) and isinstance(hi, int) else set()
        else:
            continue
        if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi <= 4094):
            chk.add("NMS010", tpath, f"VLAN ids {lo}-{hi} are not an increasing range within 1-4094")
        if ids & seen:
            chk.add("NMS010", tpath, f"VLAN ids {sorted(ids & seen)[:3]} overlap an earlier trunk tag")
        seen |= ids


def _linux_bridge(chk, bridge, path):
    if not chk.keys(bridge, LINUX_BRIDGE_KEYS, path):
        return
    options = bridge.get("options")
    allowed = LINUX_BRIDGE_OPTIONS | {k for k in options or {} if str(k).startswith("multicast-")}
    if options is not None and chk.keys(options, allowed, f"{path}.options") and "stp" in options:
        _stp(chk, options["stp"], f"{path}.options.stp")
    for i, port in enumerate(bridge.get("port", bridge.get("ports")) or []):
        ppath = f"{path}.port[{port.get('name', i) if isinstance(port, dict) else i}]"
        if chk.keys(port, LINUX_BRIDGE_PORT_KEYS, ppath) and "vlan" in port:
            _port_vlan(chk, port["vlan"], f"{ppath}.vlan")


def _ovs_bridge(chk, bridge, path):
    if not chk.keys(bridge, OVS_BRIDGE_KEYS, path):
        return
    options = bridge.get("options")
    if options is not None and chk.keys(options, OVS_BRIDGE_OPTIONS, f"{path}.options") and "stp" in options:
        _stp(chk, options["stp"], f"{path}.options.stp")
    for i, port in enumerate(bridge.get("port", bridge.get("ports")) or []):
        ppath = f"{path}.port[{port.get('name', i) if isinstance(port, dict) else i}]"
        if not chk.keys(port, OVS_PORT_KEYS, ppath):
            continue
        if "vlan" in port:
            _port_vlan(chk, port["vlan"], f"{ppath}.vlan")
        lag = port.get("link-aggregation")
        if lag is not None and chk.keys(lag, OVS_BOND_KEYS, f"{ppath}.link-aggregation"):
            if lag.get("mode", "balance-slb") not in OVS_BOND_MODES:
                chk.add("NMS003", f"{ppath}.link-aggregation.mode", f"'{lag.get('mode')}' is not an OVS bond mode "
                        f"({', '.join(sorted(OVS_BOND_MODES))})")
            for j, member in enumerate(lag.get("port", lag.get("ports")) or []):
                chk.keys(member, {"name"}, f"{ppath}.link-aggregation.port[{j}]")


def _mtu_chain(chk, ifaces, by_name):
    """NMS013: a VLAN's MTU cannot exceed its base interface's (both set in the document)."""
    for index, iface in enumerate(ifaces):
        if not isinstance(iface, dict) or iface.get("type") != "vlan" or iface.get("state") == "absent":
            continue
        base = by_name.get((iface.get("vlan") or {}).get("base-iface")) if isinstance(iface.get("vlan"), dict) else None
        mtu, base_mtu = _int(iface.get("mtu")), _int((base or {}).get("mtu"))
        if mtu is not None and base_mtu is not None and mtu > base_mtu:
            chk.add("NMS013", f"{_iface_path(iface, index)}.mtu", f"VLAN MTU {mtu} exceeds the MTU {base_mtu} of its "
                    f"base interface {base['name']}", "raise the base (bond) MTU or lower the VLAN MTU")


def _routes(chk, routes):
    if not chk.keys(routes, {"config", "running"}, "routes"):
        return
    for i, route in enumerate(routes.get("config") or []):
        rpath = f"routes.config[{i}]"
        if not chk.keys(route, ROUTE_KEYS, rpath):
            continue
        if route.get("state") == "absent":
            continue
        if "route-type" in route and route["route-type"] not in ROUTE_TYPES:
            chk.add("NMS011", f"{rpath}.route-type", f"'{route['route-type']}' is not {', '.join(sorted(ROUTE_TYPES))}")
        if not route.get("destination"):
            chk.add("NMS011", f"{rpath}.destination", "a route needs a destination")
            continue
        try:
            dest = ipaddress.ip_network(str(route["destination"]), strict=False)
        except ValueError:
            chk.add("NMS011", f"{rpath}.destination", f"{route['destination']!r} is not a prefix")
            continue
        if "route-type" in route:
            if "next-hop-address" in route:
                chk.add("NMS011", f"{rpath}.next-hop-address", f"a {route['route-type']} route has no next hop")
            continue
        if not route.get("next-hop-interface"):
            chk.add("NMS011", f"{rpath}.next-hop-interface", "a unicast route needs next-hop-interface")
        if route.get("next-hop-address"):
            try:
                hop = ipaddress.ip_address(str(route["next-hop-address"]))
            except ValueError:
                chk.add("NMS011", f"{rpath}.next-hop-address", f"{route['next-hop-address']!r} is not an address")
                continue
            if hop.version != dest.version:
                chk.add("NMS011", f"{rpath}.next-hop-address", f"IPv{hop.version} next hop for an IPv{dest.version} "
                        "destination")


def _dns(chk, dns):
    if not chk.keys(dns, {"config", "running"}, "dns-resolver"):
        return
    config = dns.get("config")
    if config is None or not chk.keys(config, DNS_KEYS, "dns-resolver.config"):
        return
    for i, server in enumerate(config.get("server") or []):
        try:
            ipaddress.ip_address(str(server).split("%", maxsplit=1)[0])
        except ValueError:
            chk.add("NMS012", f"dns-resolver.config.server[{i}]", f"{server!r} is not an IP address")
    for i, opt in enumerate(config.get("options") or []):
        name, value = str(opt).partition(":")[::2]
        if (value and name not in DNS_VALUE_OPTIONS) or (not value and name not in DNS_FLAG_OPTIONS) \
                or (value and not value.isdigit()):
            chk.add("NMS012", f"dns-resolver.config.options[{i}]", f"'{opt}' is not a resolver option nmstate accepts")


def _ovn(chk, ovn):
    if not chk.keys(ovn, {"bridge-mappings"}, "ovn"):
        return
    for i, mapping in enumerate(ovn.get("bridge-mappings") or []):
        mpath = f"ovn.bridge-mappings[{i}]"
        if not chk.keys(mapping, OVN_MAPPING_KEYS, mpath):
            continue
        if not mapping.get("localnet"):
            chk.add("NMS014", f"{mpath}.localnet", "a bridge mapping needs the localnet name")
        state = mapping.get("state", "present")
        if state not in ("present", "absent"):
            chk.add("NMS014", f"{mpath}.state", f"'{state}' is not present or absent")
        if state == "present" and not mapping.get("bridge"):
            chk.add("NMS014", f"{mpath}.bridge", "a present bridge mapping needs the OVS bridge name")
