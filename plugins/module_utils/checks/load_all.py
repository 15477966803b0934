"""Import every rule module so its rules register (order = run order; findings are sorted after)."""

from . import azure_local, bgp, bonds, cabling, dhcp, drift, dualstack, foundation, hosts, limits, model, mtu, ove, vlans, vms, waivers, waves

RULE_MODULES = (limits, model, cabling, foundation, azure_local, ove, hosts, mtu, vlans, bonds, bgp, dualstack, dhcp, vms, waves,
                waivers, drift)
