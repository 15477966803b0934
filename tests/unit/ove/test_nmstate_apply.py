"""The post-install NNCPs merged by nmstate's own library into a simulated installed node.

Which nmstate: the Python library ``libnmstate`` of nmstate 2.0.0 (PyPI ``nmstate``, see
libnmstate_offline.py), ``NetState(desired, current_state=installed)``: nmstate's merge and
validation without NetworkManager, which cannot run here.  That release predates two keys the
policies carry, ``ovn.bridge-mappings`` (nmstate 2.2.13) and ``bridge.allow-extra-patch-ports``:
the library passes them through unchecked; oracle_nmstate.py checks them.

The installed state is built from the node's rendered ``agent-config.yaml`` networkConfig the way
configure-ovs leaves it: the machine-network interface (the interface of the default route) is a
port of the OVS bridge br-ex, whose internal interface br-ex now holds the addresses.  Each node's
policies are applied in order (node group, then the node's own); nothing under br-ex may be declared
or changed, and the merged state of br-ex and everything under it must equal the installed one.
"""

import copy

import pytest

from . import libnmstate_offline
from .conftest import load


@pytest.fixture(scope="module")
def libnmstate():
    try:
        return libnmstate_offline.load()
    except Exception as exc:  # noqa: BLE001 - pip download or extraction failed
        pytest.skip(f"nmstate {libnmstate_offline.VERSION} (PyPI wheel) could not be installed: {exc}")


def installed_state(network_config) -> tuple:
    """(current state, names under br-ex) of a node after installation, from its networkConfig."""
    state = copy.deepcopy(network_config)
    routes = state.get("routes", {}).get("config", [])
    machine = next(r["next-hop-interface"] for r in routes if r["destination"] in ("0.0.0.0/0", "::/0"))
    by_name = {i["name"]: i for i in state["interfaces"]}
    for entry in state["interfaces"]:   # bond ports have no IP: nmstate reports them disabled
        entry.setdefault("ipv4", {"enabled": False})
        entry.setdefault("ipv6", {"enabled": False})
    iface = by_name[machine]
    internal = {"name": "br-ex", "type": "ovs-interface", "state": "up", "mtu": iface["mtu"],
                "ipv4": iface["ipv4"], "ipv6": iface["ipv6"]}
    iface["ipv4"], iface["ipv6"] = {"enabled": False}, {"enabled": False}
    state["interfaces"] += [{"name": "br-ex", "type": "ovs-bridge", "state": "up",
                             "bridge": {"options": {"stp": False}, "port": [{"name": machine}, {"name": "br-ex"}]}},
                            internal]
    for route in routes:
        route["next-hop-interface"] = "br-ex"
    under, todo = {"br-ex"}, [machine]
    while todo:
        name = todo.pop()
        under.add(name)
        entry = by_name.get(name, {})
        if entry.get("type") == "vlan":
            todo.append(entry["vlan"]["base-iface"])
        todo += entry.get("link-aggregation", {}).get("port", [])
    return state, under


def _ifaces(net_state) -> dict:
    return {(i.name, i.type): i for i in net_state.ifaces.all_ifaces()}


def _public(value):
    """A state without libnmstate's own bookkeeping keys (``_controller``, ``_routes``, ...)."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def _merge(current, policies):
    """Merge each policy in turn; returns (merged state, {(name, type): iface dict}, [(policy, touched name)])."""
    from libnmstate.net_state import NetState  # pylint: disable=import-outside-toplevel,import-error

    touched = []
    for name, desired in policies:
        ifaces = _ifaces(NetState(copy.deepcopy(desired), current_state=copy.deepcopy(current)))
        touched += [(name, key[0]) for key, i in ifaces.items() if key[1] is not None and i.is_desired]
        touched += [(name, key[0]) for key, i in ifaces.items() if i.is_changed and not i.is_desired]
        current = {**current, "interfaces": [i.to_dict() for i in ifaces.values()]}
    final = _ifaces(NetState({}, current_state=copy.deepcopy(current)))
    return current, {k: _public(i.to_dict()) for k, i in final.items()}, touched


def apply_policies(lib, current, under, policies):
    """Merge the policies; returns (final state, [(policy, iface under br-ex it declares or changes)], unchanged).

    ``unchanged``: br-ex and everything under it are the same after the policies as after an empty one.
    """
    _state, before, _touched = _merge(current, [("nothing", {})])
    final, after, touched = _merge(current, policies)
    touched = [(p, n) for p, n in touched if n in under]
    unchanged = {k: v for k, v in before.items() if k[0] in under} == {k: v for k, v in after.items() if k[0] in under}
    return final, touched, unchanged


def _node_policies(files, cluster, hostname):
    out = []
    for rel, text in sorted(files.items()):
        if rel.startswith(f"ove/{cluster}/1") and "-nncp-" in rel:
            doc = load(text)
            selector = doc["spec"]["nodeSelector"]
            if "node-role.kubernetes.io/worker" in selector or selector.get("kubernetes.io/hostname") == hostname:
                out.append((doc["metadata"]["name"], doc["spec"]["desiredState"]))
    return out


CASES = [("small", "ove-small", 2), ("dc1", "ove-prod", 3), ("dc1", "ove-edge", 2)]


@pytest.mark.parametrize("example,cluster,count", CASES)
def test_post_install_policies_merge_without_touching_br_ex(request, libnmstate, example, cluster, count):
    files = request.getfixturevalue(example)
    hosts = load(files[f"ove/{cluster}/install/agent-config.yaml"])["hosts"][:count]
    for host in hosts:
        current, under = installed_state(host["networkConfig"])
        policies = _node_policies(files, cluster, host["hostname"])
        assert policies
        final, touched, unchanged = apply_policies(libnmstate, current, under, policies)
        assert touched == [] and unchanged, (host["hostname"], touched)
        added = {i["name"] for i in final["interfaces"]} - {i["name"] for i in current["interfaces"]}
        wanted = {i["name"] for _policy, d in policies for i in d.get("interfaces", [])}
        assert wanted <= {i["name"] for i in final["interfaces"]} and added == wanted - {i["name"] for i in current["interfaces"]}


def test_the_release_01_whole_node_policy_is_caught(libnmstate, small):
    """Controls: the old per-node NNCP (the whole node, bond0 a port of br-vms) on an installed node.

    With the machine addresses on bond0, nmstate itself refuses it (an IP on an OVS port); without them
    it still moves bond0, which br-ex holds, and the check above sees it.
    """
    host = load(small["ove/ove-small/install/agent-config.yaml"])["hosts"][0]
    current, under = installed_state(host["networkConfig"])
    whole = copy.deepcopy(host["networkConfig"])
    whole["interfaces"].append({"name": "br-vms", "type": "ovs-bridge", "state": "up",
                                "bridge": {"options": {"stp": False}, "port": [{"name": "bond0"}]}})
    with pytest.raises(libnmstate.error.NmstateValueError, match="port of ovs-bridge"):
        apply_policies(libnmstate, current, under, [("whole-node", whole)])
    bond = next(i for i in whole["interfaces"] if i["name"] == "bond0")
    bond["ipv4"], bond["ipv6"] = {"enabled": False}, {"enabled": False}
    whole.pop("routes")
    whole.pop("dns-resolver", None)
    _final, touched, _unchanged = apply_policies(libnmstate, current, under, [("whole-node", whole)])
    assert ("whole-node", "bond0") in touched and ("whole-node", "ens1f0") in touched


def test_the_library_rejects_a_broken_policy(libnmstate, small):
    """Control: nmstate's validation runs (a VLAN on a bond the node does not have, a bond without mode)."""
    host = load(small["ove/ove-small/install/agent-config.yaml"])["hosts"][0]
    current, under = installed_state(host["networkConfig"])
    for broken in ({"interfaces": [{"name": "bond9.20", "type": "vlan", "state": "up",
                                    "vlan": {"base-iface": "bond9", "id": 20}}]},
                   {"interfaces": [{"name": "bond1", "type": "bond", "state": "up",
                                    "link-aggregation": {"port": ["ens1f0"]}}]}):
        with pytest.raises(libnmstate.error.NmstateValueError):
            apply_policies(libnmstate, current, under, [("broken", broken)])
