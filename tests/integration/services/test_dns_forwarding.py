"""The provider zones of dc1's rendered named.conf, live: BIND forwards them to the provider's servers.

What stands for what (everything stays inside two namespaces this test creates, prefix dcnet-fwd-<pid>,
joined by one veth; neither has a default route, so no query can leave them):

* ``<prefix>-site``: the site DNS server at dc1's ``site.dns_servers`` (10.0.0.53, fd00:0:0:53::53),
  running named with the rendered ``dns/named.conf`` and zones, recursion allowed for the test client;
* ``<prefix>-esc``: the provider's resolver at the addresses the handover names for ``esc``
  (10.210.0.53, fd00:210::53), a named of its own (not rendered by the project) serving
  ``esc.example.net`` with one host, logging every query it gets.

The site server answers a name of the provider zone from the provider (answer not authoritative,
the provider logged the query), over each family of forwarders in turn (the provider's address of
the other family is removed meanwhile); it answers its own zone itself, and never asks the provider
for a name outside the provider zone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit"))

import fabric_lab  # noqa: E402
from errors.harness import TODAY, example  # noqa: E402

NAMED, DIG = "/usr/sbin/named", "/usr/bin/dig"
SITE4, SITE6 = "10.0.0.53", "fd00:0:0:53::53"
ESC4, ESC6 = "10.210.0.53", "fd00:210::53"
APP4, APP6 = "10.210.1.10", "fd00:210:1::10"

PROVIDER_ZONE = """$TTL 60
@       IN SOA ns.esc.example.net. noc.esc.example.net. 1 60 60 600 60
        IN NS  ns
ns      IN A   {esc4}
ns      IN AAAA {esc6}
app     IN A   {app4}
app     IN AAAA {app6}
app2    IN A   {app4}
"""


def _why_not():
    if os.geteuid() != 0:
        return f"network namespaces need root; running as uid {os.geteuid()}"
    missing = [t for t in (NAMED, DIG) if not os.path.exists(t)]
    if missing or shutil.which("ip") is None:
        return f"{', '.join(missing) or 'ip'} missing (Debian bind9 bind9-dnsutils iproute2; make system-deps installs them)"
    return None


REASON = _why_not()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def sh(argv, check=True, timeout=30):
    return fabric_lab.sh(argv, check=check, timeout=timeout)


def _write(folder, name, text):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_site_dns_forwards_provider_zone_to_the_provider(tmp_path):
    result = pipeline.build(example("dc1"), from_vars=False, today=TODAY, targets=("dns", "handover"))
    assert not [f for f in result["findings"] if f["severity"] == "error"]
    files = result["files"]
    stated = json.loads(files["handover/esc.json"])["dns"]["forward_to_provider"]
    assert stated == [{"zone": "esc.example.net", "servers": [ESC4, ESC6]}]  # the addresses this lab gives the provider

    scratch = str(tmp_path)
    prefix = f"dcnet-fwd-{os.getpid()}"
    state = os.path.join(scratch, "lab.json")
    lab = fabric_lab.Lab({}, state, prefix=prefix)
    site_ns, esc_ns = f"{prefix}-site", f"{prefix}-esc"
    procs = []
    try:
        for ns in (site_ns, esc_ns):
            lab.add_namespace(ns)  # recorded in the state file: teardown removes it and kills what runs there
        sh(["ip", "-n", site_ns, "link", "add", "esc0", "type", "veth", "peer", "name", "site0", "netns", esc_ns])
        for ns, dev, mine, theirs in ((site_ns, "esc0", (SITE4 + "/32", SITE6 + "/128"), (ESC4, ESC6)),
                                      (esc_ns, "site0", (ESC4 + "/32", ESC6 + "/128"), (SITE4, SITE6))):
            for cidr in mine:
                sh(["ip", "-n", ns, "addr", "add", cidr, "dev", dev] + (["nodad"] if ":" in cidr else []))
            sh(["ip", "-n", ns, "link", "set", dev, "up"])
            for address in theirs:  # one host route each way: nothing else is reachable
                sh(["ip", "-n", ns, "route", "add", address, "dev", dev])

        # the provider: its own zone, every query logged
        esc_dir = os.path.join(scratch, "esc")
        _write(esc_dir, "esc.zone", PROVIDER_ZONE.format(esc4=ESC4, esc6=ESC6, app4=APP4, app6=APP6))
        esc_conf = _write(esc_dir, "named.conf", (
            f'options {{ directory "{esc_dir}"; pid-file "{esc_dir}/named.pid"; listen-on {{ {ESC4}; }};\n'
            f'  listen-on-v6 {{ {ESC6}; }}; recursion no; allow-query {{ any; }}; querylog yes; }};\n'
            'zone "esc.example.net" { type primary; file "esc.zone"; };\n'))
        esc_log = os.path.join(scratch, "esc-named.log")
        _bg(procs, esc_ns, [NAMED, "-g", "-c", esc_conf], esc_log)

        # the site: the rendered zone statements (primary zones and the provider's forward zone) and zones
        site_dir = os.path.join(scratch, "site")
        for name, text in files.items():
            if name.startswith("dns/"):
                _write(site_dir, name[len("dns/"):], text)
        site_conf = _write(scratch, "site-named.conf", (
            f'options {{ directory "{site_dir}"; pid-file "{scratch}/site-named.pid"; listen-on {{ {SITE4}; }};\n'
            f'  listen-on-v6 {{ {SITE6}; }}; recursion yes; allow-recursion {{ {SITE4}; {SITE6}; }};\n'
            '  dnssec-validation no; };\n'
            f'include "{site_dir}/named.conf";\n'))
        sh(["named-checkconf", "-z", site_conf], timeout=60)
        _bg(procs, site_ns, [NAMED, "-g", "-c", site_conf], os.path.join(scratch, "site-named.log"))

        def dig(server, *args):
            proc = sh(["ip", "netns", "exec", site_ns, DIG, "+time=3", "+tries=2", "-b",
                       SITE6 if ":" in server else SITE4, f"@{server}"] + list(args), check=False, timeout=30)
            return proc.stdout

        _wait(lambda: "status: NOERROR" in dig(ESC4, "esc.example.net", "SOA", "+norec"), 20, "the provider's named")
        _wait(lambda: "status: NOERROR" in dig(SITE4, "dc1.example.net", "SOA", "+norec"), 60, "the site's named")

        # a provider name, asked of the site server: answered from the provider, not authoritatively; each
        # family's forwarder in turn carries it (the provider's address of the other family is taken away)
        for gone, kept, name in ((ESC6 + "/128", ESC4, "app.esc.example.net"), (ESC4 + "/32", ESC6, "app2.esc.example.net")):
            sh(["ip", "-n", esc_ns, "addr", "del", gone, "dev", "site0"])
            out = dig(SITE4, name, "A")
            assert "status: NOERROR" in out and _answers(out) == [APP4], out
            assert " aa" not in _flags(out), out
            assert _provider_saw(esc_log, name, via=kept), f"the provider never got the query for {name} on {kept}"
            sh(["ip", "-n", esc_ns, "addr", "add", gone, "dev", "site0"] + (["nodad"] if ":" in gone else []))
        assert _answers(dig(SITE6, "app.esc.example.net", "AAAA")) == [APP6]

        # the site's own names come from its primary zone (authoritative), never from the provider
        out = dig(SITE4, "dc1.example.net", "SOA")
        assert "status: NOERROR" in out and " aa" in _flags(out), out
        # a name outside the provider zone is not forwarded to the provider (no exit here: it fails)
        out = dig(SITE4, "www.example.org", "A", "+time=2", "+tries=1")
        assert not _answers(out)
        assert not _provider_saw(esc_log, "www.example.org")
    finally:
        for proc, handle in procs:
            proc.terminate()
        for proc, handle in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
            handle.close()
        problems = fabric_lab.teardown(state)
        assert fabric_lab.leftovers(prefix) == [] and not problems, problems
        if os.environ.get("DCNET_KEEP_LOGS"):
            shutil.copytree(scratch, os.environ["DCNET_KEEP_LOGS"], dirs_exist_ok=True)


def _bg(procs, ns, argv, log):
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(["ip", "netns", "exec", ns] + argv, stdout=handle, stderr=subprocess.STDOUT)
    procs.append((proc, handle))
    return proc


def _answers(dig_output):
    """The record data of dig's ANSWER SECTION."""
    out, inside = [], False
    for line in dig_output.splitlines():
        if line.startswith(";; ANSWER SECTION"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside and not line.startswith(";"):
            out.append(line.split()[-1])
    return out


def _flags(dig_output):
    for line in dig_output.splitlines():
        if line.startswith(";; flags:"):
            return line.split(";")[2] if line.count(";") >= 3 else line
    return ""


def _provider_saw(log, name, via=None):
    """Whether the provider's named logged a query for ``name`` (received on address ``via``, if given)."""
    with open(log, encoding="utf-8") as handle:
        for line in handle:
            if "query:" in line and f" {name} " in line and (via is None or f"({via})" in line):
                return True
    return False
