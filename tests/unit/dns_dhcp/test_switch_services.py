"""DHCP relay and IPv6 RA lines on the gateway SVIs of EOS, NX-OS and FRR, read back from the rendered text.

Each platform renders examples/small with one network per RA policy (mgmt: stateful DHCPv6, vm-web:
SLAAC with its own lifetime and interval, vm-db: stateless DHCPv6 with lifetime 0, the rest static).
What an SVI must carry is derived here from the model's policy, not from the templates, and every
relay/ND line must have one of the command forms confirmed in the vendor's references (``CONFIRMED``,
sources in docs/dns_dhcp.md). FRR's lines are also loaded into a live zebra by
tests/integration/services/test_live_ra.py.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "switches"))
import models  # noqa: E402  (tests/unit/switches/models.py: examples/small on any platform)

# each server in its network's VRF: a MetalLB VIP in infra for mgmt, a host on vm-web for vm-db (prod)
SERVER4, SERVER6 = "10.40.0.5", "fd00:100::5"
POLICIES = {
    "mgmt": {"ipv6_hosts": {"mode": "dhcpv6"},
             "dhcp": {"enabled": True, "servers": [SERVER4, "fd00:10::5"], "range4": "10.10.10.160-10.10.10.199",
                      "range6": "fd00:10::1000-fd00:10::1fff"}},
    "vm-web": {"ipv6_hosts": {"mode": "slaac", "router_lifetime": 600, "ra_interval": 30}},
    "vm-db": {"ipv6_hosts": {"mode": "stateless", "router_lifetime": 0}, "dhcp": {"servers": [SERVER6]}},
}

# Command forms confirmed in the vendors' own references (docs/dns_dhcp.md names each source).
CONFIRMED = {
    "eos": [r"ip helper-address \S+", r"ipv6 dhcp relay destination \S+", r"ipv6 nd ra disabled all",
            r"ipv6 nd managed-config-flag", r"ipv6 nd other-config-flag", r"ipv6 nd ra interval \d+",
            r"ipv6 nd prefix \S+/\d+ no-autoconfig"],
    "nxos": [r"ip dhcp relay address \S+", r"ipv6 dhcp relay address \S+", r"(no )?ipv6 nd suppress-ra",
             r"ipv6 nd managed-config-flag", r"ipv6 nd other-config-flag", r"ipv6 nd ra-interval \d+",
             r"ipv6 nd ra-lifetime \d+"],
    "frr": [r"no ipv6 nd suppress-ra", r"ipv6 nd managed-config-flag", r"ipv6 nd other-config-flag",
            r"ipv6 nd ra-interval \d+", r"ipv6 nd ra-lifetime \d+", r"ipv6 nd prefix \S+/\d+( no-autoconfig)?"],
}


def _variables(platform):
    v = models.small(platform)
    for net in v["dcnet_networks"]:
        net.update(POLICIES.get(net["name"], {}))
    return v


def _svi_blocks(text):
    """{interface: [its lines, stripped]} of every `interface vlan...` block (any platform's spelling)."""
    out, current = {}, None
    for line in text.splitlines():
        if re.match(r"^interface [Vv]lan\d+$", line):
            current = line.split()[1]
            out.setdefault(current, [])
        elif current and (line.startswith(" ")):
            out[current].append(line.strip())
        else:
            current = None
    return out


def _expected(platform, net, vlan):
    """The relay and ND lines the model asks of this SVI on this platform."""
    mode = net.get("ipv6_hosts", {}).get("mode", "static")
    hosts = net.get("ipv6_hosts", {})
    lifetime, interval = hosts.get("router_lifetime", 1800), hosts.get("ra_interval", 200)
    m, o, a = {"static": (0, 0, 1), "slaac": (0, 0, 1), "stateless": (0, 1, 1), "dhcpv6": (1, 1, 0)}[mode]
    dhcp = net.get("dhcp", {})
    # relayed: the servers outside the network, of each family the network is served in
    outside = [s for s in dhcp.get("servers", []) if ipaddress.ip_address(s) not in ipaddress.ip_network(
        net["ipv6"] if ":" in s else net["ipv4"])]
    v4 = [s for s in outside if ":" not in s] if dhcp.get("enabled") else []
    v6 = [s for s in outside if ":" in s] if mode in ("stateless", "dhcpv6") else []
    lines = set()
    if platform == "eos":
        lines |= {f"ip helper-address {s}" for s in v4} | {f"ipv6 dhcp relay destination {s}" for s in v6}
        if mode == "static":
            return lines | {"ipv6 nd ra disabled all"}
        lines |= {f"ipv6 nd ra interval {interval}"} | ({"ipv6 nd managed-config-flag"} if m else set())
        lines |= ({"ipv6 nd other-config-flag"} if o else set()) | (set() if a else {f"ipv6 nd prefix {net['ipv6']} no-autoconfig"})
    elif platform == "nxos":
        lines |= {f"ip dhcp relay address {s}" for s in v4} | {f"ipv6 dhcp relay address {s}" for s in v6}
        if mode == "static":
            return lines | {"ipv6 nd suppress-ra"}
        lines |= {"no ipv6 nd suppress-ra", f"ipv6 nd ra-interval {interval}", f"ipv6 nd ra-lifetime {lifetime}"}
        lines |= ({"ipv6 nd managed-config-flag"} if m else set()) | ({"ipv6 nd other-config-flag"} if o else set())
    else:  # frr.conf: zebra's default is suppress-ra and a 600 s interval, left out as FRR itself does
        if mode == "static":
            return lines
        lines |= {"no ipv6 nd suppress-ra", f"ipv6 nd ra-lifetime {lifetime}",
                  f"ipv6 nd prefix {net['ipv6']}" + ("" if a else " no-autoconfig")}
        lines |= ({f"ipv6 nd ra-interval {interval}"} if interval != 600 else set())
        lines |= ({"ipv6 nd managed-config-flag"} if m else set()) | ({"ipv6 nd other-config-flag"} if o else set())
    return lines


@pytest.mark.parametrize("platform", ("eos", "nxos", "frr"))
def test_gateway_svis_carry_the_relays_and_ra_policy(platform):
    variables = _variables(platform)
    result = models.build(variables)
    assert not models.errors(result), models.errors(result)
    files = models.switch_files(result)
    nets = {n["name"]: n for n in variables["dcnet_networks"]}
    checked = 0
    for leaf in ("leaf01a", "leaf01b"):
        config = result["design"]["switches"][leaf]
        blocks = _svi_blocks(files[f"{leaf}.cfg"])
        for vlan in config["vlans"]:
            if not vlan["svi"] or not nets[vlan["name"]].get("ipv6"):
                continue
            got = {ln for ln in blocks.get(vlan["svi"]["interface"], [])
                   if re.match(r"^(no )?ipv6 nd |^ip helper-address |^ip(v6)? dhcp relay ", ln)}
            assert got == _expected(platform, nets[vlan["name"]], vlan), (platform, leaf, vlan["name"], got)
            for line in got:
                assert any(re.fullmatch(p, line) for p in CONFIRMED[platform]), (platform, line)
            checked += 1
    assert checked >= 6  # three policies plus static ones, on both leaves


def test_frr_leaf_gets_its_relay_files_beside_the_config():
    files = models.switch_files(models.build(_variables("frr")))
    # one relay per VRF with relaying gateways (mgmt in infra, vm-db in prod)
    assert {"leaf01a.isc-dhcp-relay-infra", "leaf01a.isc-dhcp-relay6-prod", "leaf01b.isc-dhcp-relay-infra"} <= set(files)
    assert f'SERVERS="{SERVER4}"' in files["leaf01a.isc-dhcp-relay-infra"]
    # DHCPv6 of vm-db relayed to the server on vm-web (same VRF), over the leaf's own vm-web SVI; mgmt's is on-link
    assert 'INTF_CMD="-l vlan101"' in files["leaf01a.isc-dhcp-relay6-prod"]
    assert 'SERVERS="-u fd00:100::5%vlan100"' in files["leaf01a.isc-dhcp-relay6-prod"]
    # a leaf that relays nothing gets no relay files (examples/small as it is)
    plain = models.switch_files(models.build(models.small("frr")))
    assert not [name for name in plain if "dhcp-relay" in name]
