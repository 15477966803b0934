"""What the import cannot decide alone: each conflict names its class, its evidence and the decision it needs.

Conflicts are never merged silently: the draft keeps the safe choice (the
majority subnet, no network for a trunk port group, ...) and the report lists
every conflict with the sheet and row (or vCenter object) of each piece of
evidence, so a reviewer can decide and edit the draft.
"""

from __future__ import annotations

from dataclasses import dataclass

# class -> (severity, title, the decision a reviewer makes)
KINDS = {
    "vlan_subnets": ("error", "One VLAN, two subnets",
                     "keep one subnet per VLAN: split the VLAN, or widen networks[].ipv4 to cover both"),
    "vlan_mtu": ("warning", "Same VLAN, different MTU",
                 "pick one MTU for the network; the draft keeps the smallest"),
    "vlan_security": ("warning", "Same VLAN, different security policy",
                      "promiscuous/MAC changes/forged transmits differ: decide what the target network allows"),
    "port_group_vlan": ("error", "Port group with different VLANs on different hosts",
                        "fix the port group on the hosts that differ before migrating"),
    "address_outside": ("error", "VM address outside its network's subnet",
                        "re-address the VM, or move the NIC to the network it really uses"),
    "duplicate_mac": ("error", "MAC address used twice", "give one of the NICs a new MAC before migration"),
    "duplicate_address": ("error", "IP address used twice", "one of the VMs is misconfigured or a stale copy"),
    "vlan_trunk": ("error", "Trunk port group (VLAN 4095 / VGT or a VLAN range)",
                   "the guest tags its own VLANs: model each VLAN as a network and give the VM one NIC per network, "
                   "or keep it on VMware"),
    "vlan_none": ("error", "Port group without VLAN (VLAN 0)",
                  "the port group carries the uplink's native VLAN: model it as a network with that VLAN id"),
    "private_vlan": ("error", "Private VLAN port group",
                     "private VLANs have no model equivalent: model the primary VLAN and isolate with network policies"),
    "nic_no_network": ("warning", "NIC on no network",
                       "connect it to a network in vCenter, or drop the NIC from the draft"),
    "unknown_port_group": ("error", "NIC on a port group the export does not describe",
                           "export vPort/dvPort again, or assign the NIC's network by hand"),
    "teaming": ("warning", "Teaming with no clean Linux/ATC equivalent",
                "review the bond profile the draft proposes and the switch port it needs"),
    "uplink_cabling": ("error", "ESXi uplinks with unknown cabling",
                       "the source does not say which leaf port each vmnic is cabled to (RVTools has no CDP/LLDP "
                       "data): write nics[vmnic]: 'leaf:port' for every host, from the cabling records or the "
                       "switches' LLDP neighbour tables"),
    "cabled_from_neighbor": ("info", "ESXi uplink cabled from its CDP/LLDP neighbour",
                             "check that the neighbour's system name is the leaf's model name"),
    "host_uplinks": ("warning", "ESXi uplinks differ between hosts or switches",
                     "the model gives every host of a cluster the same vmnics per vSwitch: align the hosts, or "
                     "split the cluster"),
    "renamed": ("info", "Name changed to a model name",
                "model names are ASCII letters, digits, '-', '_', '.'; the original stays in the report"),
    "duplicate_vm": ("error", "VM name used twice", "rename one VM; the draft suffixes the second one"),
}


@dataclass(frozen=True)
class Conflict:
    kind: str
    subject: str          # what it is about: "VLAN 100", "VM web01 Network adapter 1", ...
    message: str
    evidence: tuple = ()  # Origin records

    @property
    def severity(self) -> str:
        return KINDS[self.kind][0]

    def as_dict(self) -> dict:
        severity, title, decision = KINDS[self.kind]
        return {"kind": self.kind, "severity": severity, "title": title, "subject": self.subject,
                "message": self.message, "decision": decision, "evidence": [o.as_dict() for o in self.evidence]}


def sort_conflicts(conflicts) -> list:
    order = list(KINDS)
    return sorted(conflicts, key=lambda c: (order.index(c.kind), c.subject, c.message))
