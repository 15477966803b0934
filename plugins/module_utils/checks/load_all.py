"""Import every rule module so its rules register (order = run order; findings are sorted after)."""

from . import azure_local, bgp, bonds, cabling, dhcp, dualstack, foundation, hosts, model, mtu, ove, vlans, vms, waivers, waves
from . import segmentation, vm_networks

RULE_MODULES = (model, cabling, foundation, azure_local, ove, hosts, mtu, vlans, bonds, bgp, dualstack, dhcp, vms, vm_networks,
                segmentation, waves, waivers)
