"""Structured config of a switch's management plane: out-of-band port, VRF, services, users, AAA.

Everything a full-replace push needs to keep the switch reachable is here, so a
rendered config never drops it: the management port's address in its VRF, the
VRF's default route, the API the deploy step talks to, and local users (the
fallback when TACACS+ is unreachable).  Secrets are variable names only
(``password_var``, ``key_var``); the renderers write references to them.
"""

from __future__ import annotations

from ..addressing import nth_host
from .. import platforms


def vrf_name(model, platform_name):
    """The management VRF of a platform: fixed by the platform, else the model's, else the platform's default."""
    plat = platforms.get(platform_name)
    mgmt = model.fabric["management"] or {}
    if plat.management_vrf_fixed or not mgmt.get("vrf"):
        return plat.management_vrf
    return mgmt["vrf"]


def management_config(model, facts, name):
    sw = facts.switches[name]
    mgmt = model.fabric["management"]
    if not mgmt or not sw.get("management"):
        return {"management": None}
    plat = platforms.get(sw["platform"])
    gw4 = mgmt["gateway4"] or (mgmt["pool4"] and nth_host(mgmt["pool4"], 1))
    gw6 = mgmt["gateway6"] or (mgmt["pool6"] and nth_host(mgmt["pool6"], 1))
    dns = mgmt["dns_servers"] if mgmt["dns_servers"] is not None else list(model.site["dns_servers"])
    return {"management": {
        "interface": plat.management_interface, "vrf": vrf_name(model, sw["platform"]),
        "ipv4": sw["management"]["ipv4"], "ipv6": sw["management"]["ipv6"],
        "gateway4": gw4 if sw["management"]["ipv4"] else None, "gateway6": gw6 if sw["management"]["ipv6"] else None,
        "ntp_servers": list(mgmt["ntp_servers"]), "dns_servers": dns, "domain": model.site["domain"] or None,
        "syslog_servers": list(mgmt["syslog_servers"]),
        "users": [{"name": u["name"], "role": u["role"], "privilege": 15 if u["role"] == "network-admin" else 1,
                   "password_var": u["password_var"], "ssh_key_var": u["ssh_key_var"]}
                  for u in sorted(mgmt["users"], key=lambda u: u["name"])],
        "tacacs": {"servers": list(mgmt["tacacs"]["servers"]), "key_var": mgmt["tacacs"]["key_var"], "group": "TACACS"}
        if mgmt["tacacs"] else None,
        "api": mgmt["api"], "gnmi": mgmt["gnmi"],
        "snmp": dict(mgmt["snmp"]) if mgmt["snmp"] else None,
    }}
