"""Azure Local deployment facts: what a cloud deployment and the nodes' bootstrap need.

``deployment(model, facts, cluster, management)`` returns the ``deployment``
part of a cluster's ``azure_local`` section, decided once here so the
deploymentSettings renderer, the per-node pre-registration script and the
checks read the same values:

* ``naming_prefix``, ``domain_fqdn``, ``adou_path`` -- set in the model
  (``clusters[].azure_local``) or derived (cluster name, site domain);
* ``infrastructure`` -- the management network as Azure Local's
  infrastructure network: mask, gateway, IPv4 DNS servers, DHCP flag and the
  infrastructure IP pool (explicit, or ``size`` addresses just below the
  cluster's first node address, so adding nodes never moves it);
* ``nodes`` -- name and management IPv4 of every machine;
* ``management_vlan`` -- where the pre-registration step tags a tagged
  management VLAN (physical adapters, or a management vNIC on a pre-created
  SET switch named as Network ATC names its own);
* ``proxy`` -- the proxy and the bypass lists in the two syntaxes Windows
  wants (WinInet/WinHTTP: ``;``-separated with ``*`` wildcards and no CIDR;
  ``NO_PROXY``: ``,``-separated with CIDR and ``.domain``);
* ``pxe`` -- the DHCP relay the management VLAN needs when nodes boot from
  the network (the leaf SVI renders it from the network's ``dhcp``);
* ``sdn`` -- the Network Controller MAC pool in Microsoft's notation.

Nothing here raises: a missing or unusable value is ``None`` and a rule of
the ``azure_local`` family says what to fix.
"""

from __future__ import annotations

import ipaddress
import re

from ..addressing import nth_host, prefixlen
from ..errors import InputError

# Management intent vSwitch and vNIC names Network ATC uses (and Microsoft requires for a
# switch created before deployment): ConvergedSwitch(<intent>), vManagement(<intent>).
VSWITCH_NAME = "ConvergedSwitch({intent})"
MANAGEMENT_VNIC = "vManagement({intent})"
# Windows names the host vNIC of a new vSwitch "vEthernet (<switch>)".
HOST_VNIC_DEFAULT = "vEthernet ({switch})"


def mask(prefix: str) -> str:
    """Dotted IPv4 netmask of a prefix ("10.0.0.0/24" -> "255.255.255.0")."""
    bits = prefixlen(prefix)
    value = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def naming_prefix(cluster) -> str:
    """The model's naming prefix, else the first 8 letters, digits or '-' of the cluster name."""
    explicit = cluster["azure_local"]["naming_prefix"]
    if explicit:
        return explicit
    return re.sub(r"[^A-Za-z0-9-]", "", cluster["name"])[:8].strip("-") or "azl"


def _adou_path(cluster, domain):
    explicit = cluster["azure_local"]["adou_path"]
    if explicit or not domain:
        return explicit
    return ",".join([f"OU={cluster['name']}"] + [f"DC={part}" for part in domain.split(".") if part])


def _host(prefix, index):
    try:
        return nth_host(prefix, index)
    except InputError:
        return None


def _pool(model, cluster, net):
    """(start, end, derived) of the infrastructure pool; None ends when it does not fit the network."""
    pool = cluster["azure_local"]["infra_pool"]
    if pool["start"] or pool["end"]:
        return pool["start"], pool["end"], False
    if not net or not net["ipv4"]:
        return None, None, True
    last = net["host_offset"] + cluster["address_offset"]      # the first node is host last + 1
    first = last - pool["size"] + 1
    return (_host(net["ipv4"], first) if first >= 1 else None), _host(net["ipv4"], last), True


def pool_addresses(start, end) -> list:
    """Every address of an IPv4 range (empty when the range is unusable)."""
    try:
        lo, hi = int(ipaddress.IPv4Address(start)), int(ipaddress.IPv4Address(end))
    except (ipaddress.AddressValueError, TypeError, ValueError):
        return []
    return [str(ipaddress.IPv4Address(i)) for i in range(lo, hi + 1)] if lo <= hi and hi - lo < 65536 else []


def _gateway(net):
    if not net or not net["ipv4"] or net["gateway_on"] == "none":
        return None
    return net["gateway4"] or _host(net["ipv4"], 1)


def _octet_wildcard(prefix):
    """'10.11.0.*' for a /24 (WinInet/WinHTTP bypass syntax has no CIDR); None off octet boundaries."""
    bits = prefixlen(prefix)
    if bits % 8 or not 8 <= bits <= 24:
        return None
    octets = prefix.split("/")[0].split(".")[:bits // 8]
    return ".".join(octets + ["*"])


def _proxy(model, cluster, infra, nodes, domain):
    proxy = cluster["azure_local"]["proxy"]
    if not proxy["server"]:
        return None
    names = [n["name"] for n in nodes] + [cluster["name"]]
    addresses = [n["ipv4"] for n in nodes if n["ipv4"]] + pool_addresses(infra["pool_start"], infra["pool_end"])
    windows = ["localhost", "127.0.0.1"]
    wildcard = infra["prefix"] and _octet_wildcard(infra["prefix"])
    windows += [wildcard] if wildcard else addresses
    windows += names + ([f"*.{domain}"] if domain else [])
    env = ["localhost", "127.0.0.1", ".svc"] + ([infra["prefix"]] if infra["prefix"] else addresses)
    env += names + ([f".{domain}"] if domain else [])
    extra = list(proxy["bypass"])
    windows_all = list(dict.fromkeys(windows + extra))
    env_all = list(dict.fromkeys(env + extra))
    return {"server": proxy["server"], "bypass": windows_all, "bypass_windows": ";".join(windows_all),
            "no_proxy": ",".join(env_all)}


def _pxe(model, cluster, net_name):
    if not cluster["azure_local"]["pxe"]:
        return None
    net = model.networks.get(net_name) if net_name else None
    servers, relayed = [], []
    if net:
        servers = [s for s in net["dhcp"]["servers"] if ipaddress.ip_address(s).version == 4]
        inside = ipaddress.ip_network(net["ipv4"]) if net["ipv4"] else None
        relayed = [s for s in servers if inside is None or ipaddress.ip_address(s) not in inside]
    return {"network": net_name, "vlan": net["vlan"] if net else None,
            "dhcp_enabled": bool(net and net["dhcp"]["enabled"]), "servers": servers, "relay_to": relayed,
            "relay_on": "leaf SVI" if net and net["gateway_on"] == "fabric" else None}


def _mac(value):
    return value.upper().replace(":", "-") if value else None


def _management_vlan(cluster, vlan, intents):
    intent = next((i for i in intents if "management" in i["traffic"]), None)
    if intent is None:
        return None
    switch = VSWITCH_NAME.format(intent=intent["name"])
    vnic = MANAGEMENT_VNIC.format(intent=intent["name"])
    on_vnic = cluster["azure_local"]["management_vlan_on"] == "vnic"
    return {"vlan": vlan, "on": "vnic" if on_vnic else "adapters", "intent": intent["name"],
            "adapters": list(intent["adapters"]), "switch": switch, "vnic": vnic,
            "host_vnic_default": HOST_VNIC_DEFAULT.format(switch=switch),
            # the node's management IP sits on the vNIC, else on the first adapter (whose MAC the
            # management vNIC takes when Network ATC creates it)
            "ip_interface": vnic if on_vnic else (intent["adapters"] or [None])[0]}


def deployment(model, facts, cluster, management, vlan, intents) -> dict:
    """The ``deployment`` part of an Azure Local cluster's structured config (see the module doc)."""
    settings = cluster["azure_local"]
    net = model.networks.get(management) if management else None
    prefix = net["ipv4"] if net else None
    start, end, derived = _pool(model, cluster, net)
    infra = {
        "network": management, "prefix": prefix, "subnet_mask": prefix and mask(prefix), "gateway": _gateway(net),
        "dns_servers": [s for s in model.site["dns_servers"] if ipaddress.ip_address(s).version == 4],
        "use_dhcp": settings["use_dhcp"], "pool_start": start, "pool_end": end, "pool_derived": derived,
        "pool_size": len(pool_addresses(start, end)),
    }
    nodes = []
    for node in cluster["nodes"]:
        addr = facts.addresses.get((cluster["name"], node["name"], management), {}).get("ipv4") if management else None
        nodes.append({"name": node["name"], "ipv4": addr.split("/")[0] if addr else None,
                      "prefixlen": int(addr.split("/")[1]) if addr else None})
    domain = settings["domain_fqdn"] or model.site["domain"] or None
    sdn = settings["sdn"]
    return {
        "naming_prefix": naming_prefix(cluster), "domain_fqdn": domain, "adou_path": _adou_path(cluster, domain),
        "infrastructure": infra,
        "nodes": nodes,
        "management_vlan": _management_vlan(cluster, vlan, intents),
        "proxy": _proxy(model, cluster, infra, nodes, domain),
        "pxe": _pxe(model, cluster, management),
        "sdn": {"mac_pool_start": _mac(sdn["mac_pool_start"]), "mac_pool_stop": _mac(sdn["mac_pool_stop"]),
                "network_virtualization": sdn["network_virtualization"]} if sdn["enabled"] else None,
    }
