"""FRR: frr.conf (bgpd, zebra, bfdd), an ifupdown2 interfaces file (bonds, bridge, SVIs, CLAG)
and the isc-dhcp-relay defaults files of a leaf that relays DHCP.

See docs/platforms/frr.md for the split between the files.
"""

from __future__ import annotations

from .base import render_sections, to_yaml
from .dhcp import leaf_relay_files
from .linux_qos import ecn_qdiscs
from .switches import HEADER, groups_by_family, password_note, vrf_blocks

TEMPLATES = __name__.rsplit(".", 1)[-1]  # templates/<this module>/

# frr.conf (bgpd, zebra, bfdd), one template per section under templates/frr/conf/.
CONF_SECTIONS = ("base", "loopbacks", "fabric_links", "vrfs", "vlan_interfaces", "bfd", "router_bgp", "router_bgp_vrfs",
                 "community_lists", "prefix_lists", "route_maps", "end")
# The ifupdown2 interfaces file, one template per section under templates/frr/interfaces/.
# Ethernet and bond sections share _bridge_port.j2 and _edge_port.j2.
INTERFACES_SECTIONS = ("base", "management", "vrfs", "loopbacks", "fabric_links", "ethernet_interfaces", "port_channels",
                       "external", "mlag", "vxlan", "bridge")

LACP_RATE = {"fast": 1, "slow": 0}
# bfdd's own profile defaults: FRR leaves these out of its running config, so
# writing them would make frr-reload.py see a difference on every run.
BFD_DEFAULTS = {"detect-multiplier": 3, "receive-interval": 300, "transmit-interval": 300}
# zebra's router-advertisement default it leaves out of its running config the same way (seconds).
RA_DEFAULTS = {"interval": 600}


def bfd_profile_lines(bfd) -> list:
    """The `profile fabric` settings that differ from bfdd's defaults, as FRR prints them."""
    if not bfd:
        return []
    wanted = {"detect-multiplier": bfd["multiplier"], "receive-interval": bfd["interval_ms"],
              "transmit-interval": bfd["interval_ms"]}
    return [f"{key} {value}" for key, value in wanted.items() if BFD_DEFAULTS[key] != value]


BRIDGE = "bridge"


def vni_name(vni) -> str:
    return f"vni{vni}"


def _bridge_ports(config):
    """Ports enslaved to the VLAN-aware bridge: bonds, unbonded host ports, the CLAG peer link, VXLAN devices."""
    ports = [pc["name"] for pc in config.get("port_channels") or []]
    ports += [e["name"] for e in config.get("ethernet_interfaces") or [] if not e["channel"]]
    if config.get("mlag"):
        ports.append(config["mlag"]["peer_link"]["name"])
    if config.get("vxlan"):
        ports += [vni_name(v["vni"]) for v in config["vxlan"]["vnis"]]
        ports += [vni_name(v["l3vni"]) for v in config.get("vrfs") or [] if v["l3vni"]]
    ports += [p["name"] for p in config.get("external_ports") or [] if p["mode"] == "trunk"]
    return ports


def _bridge_vids(config):
    """VLANs of the bridge: the networks', the handover VLANs (external peers on SVIs), the L3 VNIs'."""
    vids = {v["id"] for v in config.get("vlans") or []} | {v["id"] for v in config.get("external_vlans") or []}
    vids |= {v["vlan"] for v in config.get("vrfs") or [] if v["l3vni"]}
    return sorted(vids)


def _virtual_addresses(config):
    """VLAN id -> anycast gateway addresses (ifupdown2 address-virtual takes them space-separated)."""
    return {v["id"]: [a for a in (v["svi"]["gateway4_cidr"], v["svi"]["gateway6_cidr"]) if a]
            for v in config.get("vlans") or [] if v["svi"]}


def device(config) -> dict:
    header = HEADER.format(path=config["model_path"])
    values = {"c": config, "header": header, "password_note": password_note,
              "by_family": groups_by_family(config), "lacp_rate": LACP_RATE, "vrf_blocks": vrf_blocks(config),
              # zebra prints a `vrf X` block only when it holds a line (the L3 VNI): an empty one would never
              # show in the running config, so a deploy would never reach changed=0
              "zebra_vrf_blocks": [b for b in vrf_blocks(config) if b["vrf"].get("l3vni")],
              "bfd_lines": bfd_profile_lines(config["bgp"]["bfd"]), "ra_defaults": RA_DEFAULTS}
    out = {"cfg": render_sections(f"{TEMPLATES}/conf", CONF_SECTIONS, **values)}
    values.update(bridge=BRIDGE, bridge_ports=_bridge_ports(config), bridge_vids=_bridge_vids(config),
                  virtual=_virtual_addresses(config),
                  vni_name=vni_name, ecn=ecn_qdiscs(config["dcb"]) if config.get("dcb") else None)
    out["interfaces"] = render_sections(f"{TEMPLATES}/interfaces", INTERFACES_SECTIONS, **values)
    if config.get("management"):
        out["system.yml"] = _system(config)
    # /etc/default/isc-dhcp-relay and isc-dhcp-relay6 of a leaf whose SVIs relay DHCP, one pair per VRF (docs/dns_dhcp.md)
    out.update(leaf_relay_files(config))
    return out


def _system(config) -> str:
    """The Linux side of the management plane (chrony, resolv.conf, rsyslog, users) as data for the deploy role.

    On a Linux NOS these are host services, not FRR: the management VRF and eth0 are in the
    interfaces file; the services run in the VRF (``ip vrf exec``), the way the deploy role starts them.
    Secrets are variable names.
    """
    m = config["management"]
    data = {"hostname": config["hostname"], "vrf": m["vrf"], "interface": m["interface"],
            "ntp_servers": m["ntp_servers"], "dns_servers": m["dns_servers"], "domain": m["domain"],
            "syslog_servers": m["syslog_servers"],
            "users": [{"name": u["name"], "role": u["role"], "password_var": u["password_var"],
                       "ssh_key_var": u["ssh_key_var"]} for u in m["users"]],
            "tacacs": m["tacacs"], "snmp": m["snmp"]}
    return to_yaml(data, header=f"# {HEADER.format(path=config['model_path'])}\n")
