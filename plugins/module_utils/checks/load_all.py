"""Import every rule module so its @check functions register (order = report order)."""

from . import azure_local, bgp, bonds, dhcp, dns_dhcp, dualstack, foundation, mtu, vlans
from . import vms, waves

RULE_MODULES = (foundation, azure_local, mtu, vlans, bonds, bgp, dualstack, dhcp, vms, waves, dns_dhcp)
