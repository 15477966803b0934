"""Import every rule module so its rules register (order = run order; findings are sorted after)."""

from . import azure_local, bgp, bonds, cabling, dhcp, dns_dhcp, drift, dualstack, edge, evpn, foundation, hosts, limits, model
from . import mtu, ove, plan, segmentation, vlans, vm_networks, vms, vmware, waivers, waves

RULE_MODULES = (limits, model, cabling, foundation, azure_local, ove, hosts, mtu, vlans, bonds, bgp, evpn, dualstack, dhcp,
                dns_dhcp, vmware, vms, vm_networks, segmentation, waves, edge, waivers, drift, plan)
