"""The rendered zones and server configs, checked by the servers' own tools (Debian bind9-utils, kea).

Every zone of examples/small (derived reverse zones), of dc1 (explicit /8 and /16 reverse zones) and
of the served test model passes ``named-checkzone`` with check-names and MX/NS integrity set to
fail; the zone statements pass ``named-checkconf -z`` (which loads every zone), and the provider
zones BIND reads from them (``named-checkconf -p``) are the handover's forwarders; every Kea config
passes ``kea-dhcp4 -t`` / ``kea-dhcp6 -t``. The rendered nsupdate script is applied to a live BIND
holding only the zones' SOA and NS, and the zones it then serves equal the rendered zone files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

from dns_dhcp.models import served_small
from errors.harness import TODAY, example

NAMED_CHECKZONE = shutil.which("named-checkzone")
NAMED_CHECKCONF = shutil.which("named-checkconf")
KEA4, KEA6 = shutil.which("kea-dhcp4") or "/usr/sbin/kea-dhcp4", shutil.which("kea-dhcp6") or "/usr/sbin/kea-dhcp6"
NAMED, NSUPDATE, DIG = shutil.which("named") or "/usr/sbin/named", shutil.which("nsupdate"), shutil.which("dig")
WHY_BIND = None if NAMED_CHECKZONE and NAMED_CHECKCONF else "named-checkzone/named-checkconf missing (Debian bind9-utils; make system-deps)"
WHY_KEA = None if os.path.exists(KEA4) and os.path.exists(KEA6) else "kea-dhcp4/kea-dhcp6 missing (Debian kea-dhcp4-server kea-dhcp6-server)"

_BUILT = {}


def built(name):
    if name not in _BUILT:
        raw = served_small() if name == "served" else example(name)
        result = pipeline.build(raw, from_vars=False, today=TODAY)
        assert not [f for f in result["findings"] if f["severity"] == "error"], result["findings"]
        _BUILT[name] = result
    return _BUILT[name]


RELAY_LINES = {"eos": ("ip helper-address {}", "ipv6 dhcp relay destination {}"),
               "nxos": ("ip dhcp relay address {}", "ipv6 dhcp relay address {}")}


def test_dc1_renders_zones_kea_configs_and_relays():
    """What `make demo` renders for examples/dc1: zones in three forms, Kea configs, relays on every serving leaf."""
    result = built("dc1")
    files = result["files"]
    assert {"dns/named.conf", "dns/nsupdate.txt", "dns/Set-DnsRecords.ps1", "dhcp/kea-dhcp4.json",
            "ipam/infoblox.csv", "ipam/netbox/09-ip-addresses.csv"} <= set(files)
    zones = {path for path in files if path.startswith("dns/zones/")}
    assert {"dns/zones/dc1.example.net.zone", "dns/zones/10.in-addr.arpa.zone", "dns/zones/0.0.d.f.ip6.arpa.zone",
            "dns/zones/0.168.192.in-addr.arpa.zone"} <= zones
    assert len([p for p in files if p.startswith("dhcp/kea-dhcp6-")]) == 2  # one per DHCPv6 server (infra1, infra2)
    platforms = set()
    for leaf, config in result["design"]["switches"].items():
        for vlan in config.get("vlans") or []:
            for server in (vlan["svi"] or {}).get("dhcp_relay") or []:
                platforms.add(config["platform"])
                if config["platform"] in RELAY_LINES:
                    line = RELAY_LINES[config["platform"]][":" in server].format(server)
                    assert line in files[f"switches/{leaf}.cfg"], (leaf, vlan["name"], line)
                else:
                    relay = files[f"switches/{leaf}.isc-dhcp-relay{'6' if ':' in server else ''}"]
                    assert server in relay, (leaf, vlan["name"], server)
    assert {"eos", "nxos"} <= platforms


def _tree(tmp_path, name, prefix):
    root = tmp_path / name
    for path, text in built(name)["files"].items():
        if path.startswith(prefix):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return root


@pytest.mark.skipif(WHY_BIND is not None, reason=WHY_BIND or "")
@pytest.mark.parametrize("name", ["small", "dc1", "served"])
def test_zones_load_in_bind(tmp_path, name):
    root = _tree(tmp_path, name, "dns/") / "dns"
    zones = sorted((root / "zones").glob("*.zone"))
    assert zones
    for zone in zones:
        origin = zone.name[: -len(".zone")]
        proc = subprocess.run([NAMED_CHECKZONE, "-k", "fail", "-n", "fail", "-M", "fail", "-S", "fail", origin, str(zone)],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "loaded serial" in proc.stdout
    conf = tmp_path / f"{name}.conf"
    conf.write_text(f'options {{ directory "{root}"; }};\ninclude "{root}/named.conf";\n', encoding="utf-8")
    proc = subprocess.run([NAMED_CHECKCONF, "-z", str(conf)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("loaded serial") == len(zones)


@pytest.mark.skipif(WHY_BIND is not None, reason=WHY_BIND or "")
def test_bind_reads_the_provider_forwarders(tmp_path):
    """dc1's named.conf as BIND parses it (``named-checkconf -p`` prints the configuration it read):
    one forward-only zone per provider zone, with the servers of the handover JSON, both families."""
    from dns_dhcp.test_forwarders import bind_forwarders, handover_forwarders

    files = built("dc1")["files"]
    root = _tree(tmp_path, "dc1", "dns/") / "dns"
    conf = tmp_path / "dc1.conf"
    conf.write_text(f'options {{ directory "{root}"; }};\ninclude "{root}/named.conf";\n', encoding="utf-8")
    proc = subprocess.run([NAMED_CHECKCONF, "-p", str(conf)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    parsed = bind_forwarders(proc.stdout)
    assert parsed == handover_forwarders(files) == {"esc.example.net": ["10.210.0.53", "fd00:210::53"]}
    # the oracle is not blind: a forwarder that is not an address is refused
    (root / "named.conf").write_text(files["dns/named.conf"].replace("10.210.0.53;", "esc-dns;"), encoding="utf-8")
    proc = subprocess.run([NAMED_CHECKCONF, str(conf)], capture_output=True, text=True, check=False)
    assert proc.returncode != 0


@pytest.mark.skipif(WHY_BIND is not None, reason=WHY_BIND or "")
def test_named_checkzone_refuses_a_broken_zone(tmp_path):
    """The oracle is not blind: an owner name with '_' (what DNS003 guards) fails check-names."""
    root = _tree(tmp_path, "small", "dns/") / "dns"
    zone = root / "zones" / "small.example.net.zone"
    zone.write_text(zone.read_text(encoding="utf-8").replace("\nove-w1 ", "\nove_w1 "), encoding="utf-8")
    proc = subprocess.run([NAMED_CHECKZONE, "-k", "fail", "small.example.net", str(zone)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode != 0 and "bad owner name" in proc.stdout


@pytest.mark.skipif(WHY_KEA is not None, reason=WHY_KEA or "")
@pytest.mark.parametrize("name", ["dc1", "served"])
def test_kea_accepts_the_configs(tmp_path, name):
    root = _tree(tmp_path, name, "dhcp/") / "dhcp"
    configs = sorted(root.glob("kea-dhcp*.json"))
    assert {p.name[:9] for p in configs} == {"kea-dhcp4", "kea-dhcp6"}
    for path in configs:
        binary = KEA4 if path.name.startswith("kea-dhcp4") else KEA6
        listen = json.loads(path.read_text(encoding="utf-8"))[f"Dhcp{binary[-1]}"]["interfaces-config"]["interfaces"]
        interfaces = sorted({tuple(entry.split("/")) for entry in listen if entry != "*"})
        # kea -t also checks that the interfaces it listens on exist and hold the address: run it in a
        # namespace holding a veth named like each (the node's interface on the server's network)
        with _namespace_with(interfaces) as prefix:
            proc = subprocess.run(prefix + [binary, "-t", str(path)], capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(WHY_KEA is not None, reason=WHY_KEA or "")
def test_kea_refuses_a_pool_outside_its_subnet(tmp_path):
    """The oracle is not blind: a pool outside the subnet (what DHCP009/DHCP003 guard) is refused."""
    config = json.loads(built("served")["files"]["dhcp/kea-dhcp4.json"])
    config["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "10.99.0.1 - 10.99.0.9"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    proc = subprocess.run([KEA4, "-t", str(path)], capture_output=True, text=True, check=False)
    assert proc.returncode != 0


@contextlib.contextmanager
def _namespace_with(interfaces):
    """[] (run here) without interfaces, else ["ip", "netns", "exec", NS] for a scratch namespace holding them.

    ``interfaces``: (name, address) pairs.
    """
    if not interfaces:
        yield []
        return
    if os.geteuid() != 0:
        pytest.skip(f"kea -t needs the interfaces {interfaces}; creating them needs root (network namespaces)")
    ns = f"dcnet-kea-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for idx, (name, address) in enumerate(interfaces):
            subprocess.run(["ip", "-n", ns, "link", "add", name, "type", "veth", "peer", "name", f"peer{idx}"], check=True)
            subprocess.run(["ip", "-n", ns, "addr", "add", address, "dev", name, "nodad"], check=True)
            subprocess.run(["ip", "-n", ns, "link", "set", name, "up"], check=True)
        yield ["ip", "netns", "exec", ns]
    finally:
        subprocess.run(["ip", "netns", "del", ns], check=False)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _records(zone_text):
    """(owner, type, value) of the A/AAAA/PTR lines of a zone file or of dig's AXFR output."""
    out = set()
    origin = None
    for line in zone_text.splitlines():
        if line.startswith("$ORIGIN"):
            origin = line.split()[1]
            continue
        parts = line.split()
        if not parts or parts[0].startswith((";", "$")):
            continue
        if "IN" in parts:
            idx = parts.index("IN")
            rtype, value = parts[idx + 1], parts[idx + 2] if len(parts) > idx + 2 else ""
            if rtype in ("A", "AAAA", "PTR"):
                owner = parts[0] if parts[0].endswith(".") else f"{parts[0]}.{origin}"
                out.add((owner.lower(), rtype, value.lower()))
    return out


@pytest.mark.skipif(WHY_BIND is not None or not NSUPDATE or not DIG or not os.path.exists(NAMED),
                    reason=WHY_BIND or "named/nsupdate/dig missing (Debian bind9, bind9-dnsutils)")
def test_nsupdate_script_builds_the_same_zones(tmp_path):
    """A BIND on 127.0.0.1 (a free port) holds the zones with SOA and NS only and accepts updates;
    the rendered nsupdate.txt, run twice, fills them with exactly the rendered records."""
    files = built("small")["files"]
    zdir = tmp_path / "zones"
    zdir.mkdir()
    names = []
    for path, text in files.items():
        if path.startswith("dns/zones/"):
            origin = path[len("dns/zones/"):-len(".zone")]
            names.append(origin)
            head = "\n".join(line for line in text.splitlines() if not line.strip() or line.startswith(("$", ";", "@", " ", ")"))
                             or " NS " in line or line.startswith("ns"))
            (zdir / f"{origin}.zone").write_text(head + "\n", encoding="utf-8")
    port = _free_port()
    conf = tmp_path / "named.conf"
    conf.write_text(
        f'options {{ directory "{tmp_path}"; pid-file "{tmp_path}/named.pid"; listen-on port {port} {{ 127.0.0.1; }};\n'
        f'  listen-on-v6 {{ none; }}; recursion no; }};\n'
        + "".join(f'zone "{n}" {{ type primary; file "zones/{n}.zone"; allow-update {{ 127.0.0.1; }}; '
                  f'allow-transfer {{ 127.0.0.1; }}; }};\n' for n in names), encoding="utf-8")
    log = open(tmp_path / "named.log", "w", encoding="utf-8")  # noqa: SIM115 - a pipe would fill and stall named
    proc = subprocess.Popen([NAMED, "-g", "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        waiting = list(names)
        while waiting and time.monotonic() < deadline:  # zones load one by one: wait for every SOA
            probe = subprocess.run([DIG, "+short", "-p", str(port), "@127.0.0.1", waiting[0], "SOA"],
                                   capture_output=True, text=True, check=False)
            if probe.stdout.strip():
                waiting.pop(0)
            else:
                time.sleep(0.1)
        assert not waiting, f"BIND did not load {waiting}"
        script = tmp_path / "nsupdate.txt"
        script.write_text(f"server 127.0.0.1 {port}\n" + files["dns/nsupdate.txt"], encoding="utf-8")
        for _run in range(2):  # idempotent: the second run replaces each RRset with itself
            upd = subprocess.run([NSUPDATE, "-v", str(script)], capture_output=True, text=True, timeout=120, check=False)
            assert upd.returncode == 0, upd.stdout + upd.stderr
        for name in names:
            axfr = subprocess.run([DIG, "-p", str(port), "@127.0.0.1", name, "AXFR", "+nocmd", "+nostats"],
                                  capture_output=True, text=True, check=False).stdout
            expected = _records(files[f"dns/zones/{name}.zone"])
            assert expected and _records(axfr) == expected, name
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
