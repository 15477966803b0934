"""MetalLB BGPPeers agree with the leaf configs -- read from the rendered files only.

For every rendered BGPPeer: exactly one rendered leaf config owns ``peerAddress``
on an interface; that leaf's ``router bgp`` ASN is ``peerASN``; for every node
the peer selects, the node's address in that subnet (read from the node's
rendered NMState) is a BGP neighbour of the leaf with remote-as ``myASN``, BFD
on when the peer has a BFD profile, and the same timers.  Conversely every
leaf neighbour that is a node address of the cluster is covered by a BGPPeer.
The parser reads FRR/EOS line-style neighbours and NX-OS neighbour blocks.
"""

import ipaddress
import re

import pytest

from .conftest import load

ADDR = re.compile(r"(?:^|\s)(?:ip address|ipv6 address|address)\s+([0-9A-Fa-f:.]+)/(\d+)\s*$")
LINE_NEIGHBOR = re.compile(r"^\s*neighbor\s+(\S+)\s+(remote-as\s+(\d+)|peer-group\s+(\S+)|peer group\s+(\S+)|"
                           r"bfd\b.*|timers\s+(\d+)\s+(\d+))\s*$")
BLOCK = re.compile(r"^(\s*)(neighbor|template peer)\s+(\S+)\s*$")


def parse_switch(texts):
    """{asn, addresses: {ip: prefix}, neighbors: {ip: {remote_as, bfd, timers}}} of a switch's rendered files."""
    asn, addresses, entries = None, {}, {}
    for text in texts:
        block = None
        for line in text.splitlines():
            m = re.match(r"^router bgp (\d+)", line)
            if m:
                asn = int(m.group(1))
            m = ADDR.search(line)
            if m and "virtual" not in line:
                addresses[m.group(1)] = ipaddress.ip_interface(f"{m.group(1)}/{m.group(2)}").network
            m = BLOCK.match(line)
            if m:
                block = (len(m.group(1)), m.group(3))
                entries.setdefault(m.group(3), {})
                continue
            if block and line.strip() and (len(line) - len(line.lstrip())) > block[0]:
                body = line.strip()
                entry = entries[block[1]]
                if body.startswith("remote-as "):
                    entry["remote_as"] = int(body.split()[1])
                elif body.startswith("inherit peer "):
                    entry["group"] = body.split()[2]
                elif body == "bfd" or body.startswith("bfd "):
                    entry["bfd"] = True
                elif body.startswith("timers "):
                    entry["timers"] = tuple(int(x) for x in body.split()[1:3])
                continue
            block = None
            m = LINE_NEIGHBOR.match(line)
            if m:
                entry = entries.setdefault(m.group(1), {})
                if m.group(3):
                    entry["remote_as"] = int(m.group(3))
                elif m.group(4) or m.group(5):
                    entry["group"] = m.group(4) or m.group(5)
                elif m.group(6):
                    entry["timers"] = (int(m.group(6)), int(m.group(7)))
                else:
                    entry["bfd"] = True
    neighbors = {}
    for name, entry in entries.items():
        try:
            ipaddress.ip_address(name)
        except ValueError:
            continue  # a peer group / template
        group = entries.get(entry.get("group"), {})
        neighbors[name] = {"remote_as": entry.get("remote_as", group.get("remote_as")),
                           "bfd": entry.get("bfd", group.get("bfd", False)),
                           "timers": entry.get("timers", group.get("timers"))}
    return {"asn": asn, "addresses": addresses, "neighbors": neighbors}


def _switches(files):
    names = {}
    for rel in files:
        if rel.startswith("switches/"):
            names.setdefault(rel.split("/")[1].split(".")[0], []).append(files[rel])
    if not names:
        pytest.skip("the switch renderer produced no switches/ files")
    return {name: parse_switch(texts) for name, texts in names.items()}


_AGENT_HOSTS = {}


def _agent_hosts(files):
    """{hostname: networkConfig} of every rendered agent-config.yaml (parsed once per rendered site)."""
    key = id(files)
    if key not in _AGENT_HOSTS:
        _AGENT_HOSTS[key] = {h["hostname"]: h["networkConfig"] for rel, text in files.items()
                             if rel.endswith("/install/agent-config.yaml") for h in load(text)["hosts"]}
    return _AGENT_HOSTS[key]


def _node_addresses(files, node, parsed=None):
    """Addresses of the node a BGPPeer selects (by its node label value: the hostname in agent-config.yaml):
    the install-time network of agent-config.yaml plus the VLAN interfaces of the node's post-install NNCP."""
    if parsed is not None and node in parsed:
        return parsed[node]
    doc = _agent_hosts(files).get(node)
    assert doc is not None, f"no agent-config.yaml host named {node}"
    interfaces = list(doc["interfaces"])
    short = node.split(".")[0]
    for rel, text in files.items():
        if rel.startswith("ove/") and rel.endswith(f"/11-nncp-{rel.split('/')[1]}-{short}.yaml"):
            interfaces += load(text)["spec"]["desiredState"].get("interfaces", [])
    out = []
    for iface in interfaces:
        for fam in ("ipv4", "ipv6"):
            for a in (iface.get(fam) or {}).get("address", []):
                out.append(ipaddress.ip_address(a["ip"]))
    if parsed is not None:
        parsed[node] = out
    return out


def _seconds(text):
    assert text.endswith("s")
    return int(text[:-1])


def check_peers(files, cluster):
    switches = _switches(files)
    # only the BGPPeer files are parsed (the NNCPs are large); each node's NMState once
    docs = [load(v) for k, v in sorted(files.items()) if k.startswith(f"ove/{cluster}/43-metallb-bgppeer-")]
    peers = [d for d in docs if d.get("kind") == "BGPPeer"]
    assert peers, "no BGPPeer rendered"
    parsed = {}
    problems, covered = [], set()
    for peer in peers:
        spec, name = peer["spec"], peer["metadata"]["name"]
        address = spec["peerAddress"]
        owners = [sw for sw, parsed in switches.items() if address in parsed["addresses"]]
        if len(owners) != 1:
            problems.append(f"BGPPeer {name}: peerAddress {address} is configured on {owners or 'no switch'}")
            continue
        leaf = switches[owners[0]]
        subnet = leaf["addresses"][address]
        if leaf["asn"] != spec["peerASN"]:
            problems.append(f"BGPPeer {name}: peerASN {spec['peerASN']} but {owners[0]} runs router bgp {leaf['asn']}")
        nodes = spec["nodeSelectors"][0]["matchExpressions"][0]["values"]
        for node in nodes:
            if spec.get("ebgpMultiHop"):
                # the leaf answers from its loopback (anycast SVI without an own address): the node
                # peers from whichever of its addresses the leaf lists as a neighbor
                ips = [ip for ip in _node_addresses(files, node, parsed)
                       if str(ip) in leaf["neighbors"] and ip.version == subnet.version]
            else:
                ips = [ip for ip in _node_addresses(files, node, parsed) if ip in subnet]
            if len(ips) != 1:
                problems.append(f"BGPPeer {name}: node {node} has {len(ips)} addresses in {subnet}")
                continue
            nb = leaf["neighbors"].get(str(ips[0]))
            covered.add((owners[0], str(ips[0])))
            if nb is None:
                problems.append(f"BGPPeer {name}: {owners[0]} has no neighbor {ips[0]} ({node})")
                continue
            if nb["remote_as"] != spec["myASN"]:
                problems.append(f"BGPPeer {name}: {owners[0]} neighbor {ips[0]} remote-as {nb['remote_as']} "
                                f"!= myASN {spec['myASN']}")
            if bool(spec.get("bfdProfile")) != bool(nb["bfd"]):
                problems.append(f"BGPPeer {name}: BFD {bool(spec.get('bfdProfile'))} vs leaf {nb['bfd']}")
            if nb["timers"] and nb["timers"] != (_seconds(spec["keepaliveTime"]), _seconds(spec["holdTime"])):
                problems.append(f"BGPPeer {name}: timers {nb['timers']} vs {spec['keepaliveTime']}/{spec['holdTime']}")
    # completeness: every leaf neighbour that is one of the cluster's node addresses has a BGPPeer
    node_ips = {}
    for rel, text in files.items():
        if rel == f"ove/{cluster}/install/agent-config.yaml":
            for host in load(text)["hosts"]:
                for ip in _node_addresses(files, host["hostname"], parsed):
                    node_ips[str(ip)] = host["hostname"]
    assert node_ips, f"no node address of {cluster} found (agent-config.yaml and per-node NNCPs)"
    for sw, parsed in switches.items():
        for ip in parsed["neighbors"]:
            if ip in node_ips and (sw, ip) not in covered:
                problems.append(f"{sw} peers with {ip} ({node_ips[ip]}) but no BGPPeer selects that node for {sw}")
    return problems, len(peers)


def test_small_bgppeers_equal_leaf_side(small):
    problems, count = check_peers(small, "ove-small")
    assert count == 4
    assert problems == []


def test_dc1_bgppeers_equal_leaf_side(dc1):
    problems, count = check_peers(dc1, "ove-prod")
    assert count > 0
    assert problems == [], "\n".join(problems[:20])


def test_checker_catches_a_disagreement(small):
    """The comparison can fail: change the leaf's remote-as in the rendered FRR text."""
    files = dict(small)
    rel = "switches/leaf01a.cfg"
    files[rel] = re.sub(r"(neighbor METALLB-\S+ remote-as) \d+", r"\1 65999", files[rel])
    assert files[rel] != small[rel]
    problems = check_peers(files, "ove-small")[0]
    assert any("remote-as 65999" in p for p in problems)
    files = dict(small)
    files[rel] = files[rel].replace("router bgp 65101", "router bgp 65102")
    problems = check_peers(files, "ove-small")[0]
    assert any("runs router bgp 65102" in p for p in problems)
    files = {k: v for k, v in small.items() if not k.endswith("43-metallb-bgppeer-leaf01a-ipv4.yaml")}
    assert len(files) == len(small) - 1
    problems = check_peers(files, "ove-small")[0]
    assert any(p.startswith("leaf01a peers with") and "but no BGPPeer selects" in p for p in problems), problems
