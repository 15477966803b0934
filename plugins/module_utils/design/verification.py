"""What a switch must show once deployed: its post-deploy checks as data, from the structured configs.

The same facts that render a switch's configuration say what its running state must be: which BGP
sessions are established in which address family, which BFD peers are up with which timers, that the
MLAG / vPC / CLAG pair is healthy with its reload delays, which interfaces are up, which VNI is bound to
which VLAN and which remote VTEPs the leaf sees, and the anycast gateway MAC.  ``switch_checks`` gives
that as a platform-neutral list (the shape is documented in docs/platforms/checks.md); the renderer
``render/catalogues.py`` writes it per device and, where the platform has one, as the vendor's own test
catalogue (EOS: an ANTA catalogue).  Nothing here tests a platform's name: the commands that read each
check on a switch come from its platform row.
"""

from __future__ import annotations

SCHEMA = "dcnet.fabric/switch-checks/v1"

# check id -> (family, what it verifies); the order is the order of the list
CHECKS = (
    ("bgp-sessions", "bgp", "BGP sessions established, each address family negotiated"),
    ("bfd-peers", "bfd", "BFD sessions up with the fabric's timers"),
    ("mlag", "mlag", "the MLAG / vPC / CLAG pair: peer link and peer up, config consistent, every dual-homed port active"),
    ("mlag-reload-delay", "mlag", "reload delays that keep host ports down until the uplinks converge"),
    ("interfaces-fabric", "interfaces", "fabric links, peer link and loopbacks up"),
    ("interfaces-hosts", "interfaces", "host ports and their port-channels up (once the servers are cabled)"),
    ("vxlan-vnis", "vxlan", "each VNI bound to its VLAN on the VTEP interface"),
    ("vxlan-vteps", "vxlan", "the remote VTEPs: the leaves that share a VNI, and no other"),
    ("gateway-mac", "gateway", "the anycast gateway's virtual MAC"),
)


def _bgp_peers(cfg):
    out = []
    for nb in cfg["bgp"]["neighbors"]:
        out.append({"address": nb["ip"], "interface": nb["interface"], "vrf": nb.get("vrf") or "default",
                    "remote_as": nb["remote_as"], "families": list(nb["address_families"]),
                    "kind": nb["kind"], "description": nb["description"]})
    return out


def _bfd_peers(cfg):
    timers = cfg["bgp"]["bfd"]
    return [{"address": p["address"], "interface": p["interface"], "vrf": p["vrf"], "kind": p["kind"],
             "interval_ms": timers["interval_ms"], "multiplier": timers["multiplier"]}
            for p, nb in zip(_bgp_peers(cfg), cfg["bgp"]["neighbors"]) if nb["bfd"]]


def _mlag(cfg):
    mlag = cfg.get("mlag")
    if not mlag:
        return None, None
    state = {"kind": mlag["kind"], "domain_id": mlag["domain_id"], "peer": mlag["peer"],
             "peer_address": mlag["peer_ip"], "peer_link": mlag["peer_link"]["name"],
             "dual_homed_ports": [pc["name"] for pc in cfg.get("port_channels") or [] if pc.get("mlag_id")]}
    delay = {"reload_delay": mlag["reload_delay"]["mlag"], "reload_delay_non_mlag": mlag["reload_delay"]["non_mlag"]}
    return state, delay


def _fabric_interfaces(cfg):
    names = [lo["name"] for lo in cfg["loopbacks"]]
    names += [link["interface"] for link in cfg.get("fabric_links") or []]
    if cfg.get("mlag"):
        names += [cfg["mlag"]["peer_link"]["name"]] + list(cfg["mlag"]["peer_link"]["members"])
        names.append(cfg["mlag"]["vlan_interface"])
    return [{"name": n, "status": "up"} for n in names]


def _host_interfaces(cfg):
    names = [p["name"] for p in cfg.get("port_channels") or []]
    names += [p["name"] for p in cfg.get("ethernet_interfaces") or []]
    return [{"name": n, "status": "up"} for n in names]


def vtep_index(switches: dict) -> dict:
    """{VNI: {VTEP address}} over every switch of the site: built once, read per leaf."""
    index = {}
    for cfg in switches.values():
        vx = cfg.get("vxlan")
        for v in (vx or {}).get("vnis") or []:
            index.setdefault(v["vni"], set()).add(vx["vtep"])
    return index


def _remote_vteps(cfg, index):
    """Remote VTEPs the leaf learns: every other VTEP that carries one of its VNIs (its MLAG mate shares its own)."""
    mine = cfg["vxlan"]
    out = set()
    for v in mine["vnis"]:
        out |= index.get(v["vni"], set())
    out.discard(mine["vtep"])
    return sorted(out, key=lambda a: tuple(int(x) for x in a.split(".")))


def switch_checks(name: str, switches: dict, commands: dict, index: dict | None = None) -> dict:
    """The checks of one switch: {"schema", "device", "platform", "role", "checks": [...]}.

    ``switches`` is design["switches"] (remote VTEPs need the other leaves; ``index`` is their
    ``vtep_index``, computed here when not given); ``commands`` maps a check id to the show command that
    reads it on this platform (the platform row's ``check_commands``).
    A check that does not apply (no MLAG, no VXLAN, no gateway) is left out rather than sent empty.
    """
    cfg = switches[name]
    mlag, delay = _mlag(cfg)
    vx = cfg.get("vxlan")
    bfd = _bfd_peers(cfg)
    hosts = _host_interfaces(cfg)
    expect = {
        "bgp-sessions": {"peers": _bgp_peers(cfg)} if cfg["bgp"]["neighbors"] else None,
        "bfd-peers": {"peers": bfd} if bfd else None,
        "mlag": mlag,
        "mlag-reload-delay": delay,
        "interfaces-fabric": {"interfaces": _fabric_interfaces(cfg)},
        "interfaces-hosts": {"interfaces": hosts} if hosts else None,
        "vxlan-vnis": {"bindings": [{"vni": v["vni"], "vlan": v["vlan"], "network": v["network"]} for v in vx["vnis"]]}
        if vx and vx["vnis"] else None,
        "vxlan-vteps": {"local": vx["vtep"], "remote": _remote_vteps(cfg, vtep_index(switches) if index is None else index)}
        if vx else None,
        "gateway-mac": {"mac": cfg["anycast_gateway_mac"]} if cfg.get("anycast_gateway_mac") else None,
    }
    checks = []
    for check_id, family, title in CHECKS:
        if expect[check_id] is None:
            continue
        checks.append({"id": check_id, "family": family, "title": title, "command": commands.get(check_id),
                       "expect": expect[check_id]})
    return {"schema": SCHEMA, "device": name, "platform": cfg["platform"], "role": cfg["role"], "checks": checks}
