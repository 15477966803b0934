"""Source-neutral records of a VMware estate, each with where it was read from.

The RVTools reader and the vCenter reader both fill an ``Estate``; the mapping
never knows which one did.  ``Origin`` names a sheet and row (RVTools) or an
object id (vCenter) so every conflict points back to its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportInputError(Exception):
    """The input cannot be imported; the message names the sheet, row and column (or object)."""


@dataclass(frozen=True)
class Origin:
    sheet: str          # RVTools sheet, or "vcenter"
    row: int = 0        # 1-based spreadsheet row; 0 for vCenter objects
    ref: str = ""       # vCenter managed object id

    def __str__(self) -> str:
        return f"{self.sheet} row {self.row}" if self.row else f"{self.sheet} {self.ref}".strip()

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row} if self.row else {"sheet": self.sheet, "object": self.ref}


@dataclass(frozen=True)
class Security:
    promiscuous: bool | None = None
    mac_changes: bool | None = None
    forged_transmits: bool | None = None

    def text(self) -> str:
        def word(v):
            return "?" if v is None else ("accept" if v else "reject")
        return f"promiscuous {word(self.promiscuous)}, MAC changes {word(self.mac_changes)}, " \
               f"forged transmits {word(self.forged_transmits)}"


@dataclass(frozen=True)
class Switch:
    """A standard vSwitch (per host) or a distributed switch, with its uplink teaming."""

    name: str
    kind: str                 # "standard" | "distributed"
    mtu: int | None
    teaming: str              # vSphere policy: loadbalance_srcid, loadbalance_ip, ..., or "lacp"
    lacp_hash: str = ""       # dvSwitch LACP load balance algorithm (when teaming == "lacp")
    lacp_mode: str = ""       # active | passive
    lacp_timeout: str = ""    # fast | slow (LAG timeout mode, vSphere 7.0.2+; vCenter only)
    host: str = ""
    origin: Origin = Origin("")


@dataclass(frozen=True)
class PortGroup:
    name: str
    switch: str
    kind: str                 # "standard" | "distributed"
    vlan: str                 # as the source writes it: "100", "0", "4095", "0-4094", "PVLAN ..."
    security: Security
    teaming: str = ""
    host: str = ""
    object_id: str = ""
    origin: Origin = Origin("")


@dataclass(frozen=True)
class VmNic:
    vm: str
    label: str
    network: str              # port group name ("" when the NIC is on no network)
    switch: str
    mac: str
    ipv4: tuple
    ipv6: tuple
    connected: bool | None
    origin: Origin = Origin("")


@dataclass(frozen=True)
class Vm:
    name: str
    power: str                # on | off | suspended
    template: bool
    folder: str = ""
    datacenter: str = ""
    cluster: str = ""
    host: str = ""
    vcenter: str = ""
    object_id: str = ""
    annotation: str = ""
    origin: Origin = Origin("")


@dataclass(frozen=True)
class Host:
    """An ESXi host."""

    name: str
    cluster: str = ""
    datacenter: str = ""
    origin: Origin = Origin("")


@dataclass(frozen=True)
class HostNic:
    """A physical NIC (vmnic) of a host, the switch it is an uplink of, and its CDP/LLDP neighbour if known."""

    host: str
    device: str               # vmnic0
    switch: str = ""          # vSwitch or distributed switch name ("" when unused)
    mac: str = ""
    neighbor: tuple = ()      # (switch system name, port id, "CDP" | "LLDP") when the source has it
    origin: Origin = Origin("")


@dataclass
class Estate:
    """Everything one source said, in source order."""

    source: str
    vms: list = field(default_factory=list)
    nics: list = field(default_factory=list)
    port_groups: list = field(default_factory=list)
    switches: list = field(default_factory=list)
    hosts: list = field(default_factory=list)
    host_nics: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # what the reader skipped, for the report


POWER_STATES = {"poweredon": "on", "poweredoff": "off", "suspended": "suspended", "on": "on", "off": "off"}
