"""Host rules: what Linux and NetworkManager accept on a node, checked on its designed interfaces."""

from __future__ import annotations

from ..findings import Finding
from . import context
from .registry import check

IFNAMSIZ = 15  # the longest Linux interface name (IFNAMSIZ - 1)


def _kernel_interfaces(node, cluster):
    """(name, model path) of every kernel interface the node's NMState creates or names."""
    path = node["model_path"]
    for nic in node["nics"]:
        yield nic["name"], f"{path}.nics[{nic['name']}]"
    if node["bond"]:
        yield node["bond"]["name"], f"clusters[{node['cluster']}].bond.name"
    for vif in node["vlan_interfaces"]:
        if vif["base"] is not None:
            yield vif["name"], f"clusters[{node['cluster']}].bond.name"
    bridge = ((cluster or {}).get("ove") or {}).get("host_bridge") if node["platform"] == "ove" else None
    if bridge and bridge["type"] == "linux-bridge":  # an OVS bridge is not a kernel interface of its own name
        yield bridge["name"], f"clusters[{node['cluster']}].ove.ovs_bridge"


@check("HOST001", "error", "Interface name too long for Linux", "hosts")
def interface_name_length(model, facts, design):
    """A NIC, bond, VLAN interface (`<bond>.<vlan>`) or Linux bridge of a Linux or OVE node has a name longer than 15 characters.

    The kernel limits interface names to 15 characters: nmstate rejects the whole desired state (the
    NNCP stays Degraded) and the node keeps its old network, or loses it when the policy half applied.

    Shorten the bond name (its VLAN interfaces are `<bond>.<vlan id>`), the bridge name or the NIC name.
    """
    too_long = {}  # model path -> {name: first node}
    for (cluster_name, _node_name), node in context.nodes(model, facts, design).items():
        if node["platform"] not in ("linux", "ove"):
            continue
        for name, path in _kernel_interfaces(node, design["clusters"].get(cluster_name)):
            if len(name) > IFNAMSIZ:
                too_long.setdefault(path, {}).setdefault(name, node["hostname"])
    for path, names in sorted(too_long.items()):
        listed = sorted(names)
        yield Finding("HOST001", path, f"interface name{'s' if len(listed) > 1 else ''} "
                      f"{', '.join(repr(n) for n in listed[:3])}{', ...' if len(listed) > 3 else ''} "
                      f"(on {names[listed[0]]}) longer than the {IFNAMSIZ} characters Linux allows",
                      "shorten the name (VLAN interfaces are named <bond>.<vlan id>)")
