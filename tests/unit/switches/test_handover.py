"""Provider handover documents (handover/<peer>.md and .json) of small with tenants, on every platform.

The site: ``models.small()`` (VRFs infra and prod, border pair rack 1, WAN router wan1)
plus two provider peers -- ``esc`` (a managed cloud on a VLAN and SVI per VRF over trunks, both VRFs,
MTU 1400 with a TCP MSS clamp, DNS zones of its own) and ``cloud2`` (sub-interfaces, prod only,
accepting no default) -- three VMs on vm-web and a migration wave moving them to esc.

What proves the document: the JSON validates against docs/handover.schema.json, and every fact it states
about the interconnect (VLAN tags, both ends' addresses, ASNs, BFD and BGP timers, MTU, what goes out
and what comes in per VRF and family) equals what the rendered border configs say, read back from the
text by an independent parser (border_text.py), in both directions (no session the document omits).
"""

from __future__ import annotations

import copy
import ipaddress
import json
import os

import pytest

from . import models
from .border_text import Border

PLATFORMS = ("frr", "eos", "nxos")
SCHEMA = os.path.join(models.ROOT, "docs", "handover.schema.json")
TARGETS = ("structured", "switches", "handover")
_BUILDS: dict = {}


def site(platform: str) -> dict:
    """small with tenants, two provider peers and a wave toward one of them (see the module docstring)."""
    v = models.small(platform)
    port = models.PORT_PREFIX[platform]
    v["dcnet_external_peers"] += [
        {"name": "esc", "kind": "provider", "asn": 65510, "attach": "svi", "mtu": 1400, "tcp_mss": 1360,
         "links": [{"leaf": "leaf01a", "port": f"{port}48"}, {"leaf": "leaf01b", "port": f"{port}48"}],
         "password_var": "dcnet_esc_bgp_password",
         "vrfs": [{"vrf": "infra", "vlan": 3201, "ipv4": "10.199.11.0/29", "ipv6": "fd00:199:11::/64",
                   "accept_default": False},
                  {"vrf": "prod", "vlan": 3202, "ipv4": "10.199.12.0/29", "ipv6": "fd00:199:12::/64",
                   "accept": ["192.0.2.0/24", "2001:db8:1000::/48"]}],
         "provider": {"name": "Swisscom Enterprise Service Cloud", "contact": "esc-noc@example.net",
                      "reference": "ESC-12345", "dns_zones": ["esc.example.net"],
                      "dns_servers": ["198.51.100.53", "2001:db8:53::53"]}},
        {"name": "cloud2", "kind": "provider", "asn": 64620, "attach": "subinterface",
         "links": [{"leaf": "leaf01a", "port": f"{port}46"}, {"leaf": "leaf01b", "port": f"{port}46"}],
         "vrfs": [{"vrf": "prod", "vlan": 3301, "ipv4": "10.199.31.0/29", "ipv6": "fd00:199:31::/64",
                   "accept_default": False, "accept": ["198.51.100.0/24", "2001:db8:2000::/48"]}]},
    ]
    v["dcnet_vms"] = [{"name": f"web{i}", "cluster": "ove-small", "application": "shop",
                       "nics": [{"name": "nic1", "network": "vm-web", "mac": f"02:00:00:00:00:0{i}",
                                 "ipv4": [f"10.100.0.{10 + i}"]}]} for i in (1, 2, 3)]
    v["dcnet_waves"] = [{"name": "wave-esc", "start": "2027-05-01", "target": {"provider": "esc"},
                         "applications": ["shop"]}]
    return v


def _build(platform):
    if platform not in _BUILDS:
        result = models.build(site(platform), targets=TARGETS)
        assert not models.errors(result), models.errors(result)[:3]
        _BUILDS[platform] = result
    return _BUILDS[platform]


def _documents(platform) -> dict:
    files = _build(platform)["files"]
    return {path[len("handover/"):-len(".json")]: json.loads(text) for path, text in files.items()
            if path.startswith("handover/") and path.endswith(".json")}


def _borders(platform) -> dict:
    files = models.switch_files(_build(platform))
    return {leaf: Border(platform, files[f"{leaf}.cfg"], files.get(f"{leaf}.interfaces", ""))
            for leaf in ("leaf01a", "leaf01b")}


def _schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    with open(SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# ------------------------------------------------------------------------------------ the oracle
def disagreements(doc: dict, borders: dict) -> list:
    """Every fact of a handover document that the rendered border configs do not bear out (empty: they agree)."""
    out = []
    ic, bgp = doc["interconnect"], doc["bgp"]

    def differ(what, stated, rendered):
        if stated != rendered:
            out.append(f"{what}: document {stated!r}, config {rendered!r}")

    stated_sessions = {}
    for vrf in doc["vrfs"]:
        for s in vrf["sessions"]:
            cfg = borders[s["leaf"]]
            where = f"{s['leaf']} {vrf['vrf']} {s['provider_address']}"
            stated_sessions.setdefault(s["leaf"], set()).add((vrf["vrf"], s["provider_address"]))
            iface = cfg.interfaces.get(s["interface"])
            if iface is None:
                out.append(f"{where}: no interface {s['interface']}")
                continue
            differ(f"{where} interface VRF", vrf["vrf"], iface["vrf"])
            differ(f"{where} 802.1Q tag", vrf["vlan"], iface["tag"])
            differ(f"{where} IP MTU", ic["mtu"], iface["mtu"])
            mine = str(ipaddress.ip_interface(f"{s['site_address']}/{s['prefixlen']}"))
            differ(f"{where} site address on {s['interface']}", True, mine in iface["addresses"])
            differ(f"{where} transfer prefix", vrf["transfer"][f"ipv{s['family']}"],
                   str(ipaddress.ip_interface(mine).network) if ic["attach"] == "svi" else s["transfer_prefix"])
            port = cfg.interfaces.get(s["port"], {"allowed": set()})
            if ic["attach"] == "svi":
                differ(f"{where} VLAN on trunk {s['port']}", True, vrf["vlan"] in port["allowed"])
            else:
                differ(f"{where} parent port", s["port"], s["interface"].rsplit(".", 1)[0])
            neighbor = cfg.neighbor(vrf["vrf"], s["provider_address"])
            if neighbor is None:
                out.append(f"{where}: no BGP neighbor")
                continue
            differ(f"{where} local AS", s["site_asn"], cfg.asn.get(vrf["vrf"]))
            differ(f"{where} remote AS", (s["provider_asn"], bgp["provider_asn"]), (neighbor["remote_as"],) * 2)
            differ(f"{where} BFD", s["bfd"] and bgp["bfd"]["enabled"], neighbor["bfd"])
            differ(f"{where} BGP timers", (bgp["keepalive"], bgp["hold"]), neighbor["timers"])
            if bgp["bfd"]["enabled"]:
                differ(f"{s['leaf']} BFD timers", (bgp["bfd"]["interval_ms"], bgp["bfd"]["multiplier"]), cfg.bfd)
            policy = vrf["families"][f"ipv{s['family']}"]
            differ(f"{where} announced", [(a["prefix"], a["ge"], a["le"], a["community"]) for a in policy["announced"]],
                   cfg.permitted(neighbor["out"]))
            default = "0.0.0.0/0" if s["family"] == 4 else "::/0"
            accepted = cfg.permitted(neighbor["in"])
            differ(f"{where} accepts the default route", policy["accepts_default"], any(a[0] == default for a in accepted))
            differ(f"{where} accepted", [(a["prefix"], a["ge"], a["le"]) for a in policy["accepted"]],
                   [a[:3] for a in accepted if a[0] != default])
    # the other way round: every session the border has with the provider's AS is in the document
    for leaf, cfg in borders.items():
        rendered = {key for key, n in cfg.neighbors().items() if n and n["remote_as"] == bgp["provider_asn"]}
        differ(f"{leaf} sessions with AS {bgp['provider_asn']}", stated_sessions.get(leaf, set()), rendered)
    return out


# ------------------------------------------------------------------------------------ tests
def test_one_document_pair_per_provider_peer():
    files = _build("frr")["files"]
    assert sorted(p for p in files if p.startswith("handover/")) == [
        "handover/cloud2.json", "handover/cloud2.md", "handover/esc.json", "handover/esc.md"]   # wan1 is a router


@pytest.mark.parametrize("platform", PLATFORMS)
def test_json_documents_match_the_published_schema(platform):
    validator = _schema_validator()
    docs = _documents(platform)
    for name, doc in docs.items():
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, (name, [f"{list(e.path)}: {e.message}" for e in errors[:5]])
    # the schema is not a rubber stamp: a document with a missing key, a stray key or a bad address fails it
    broken = copy.deepcopy(docs["esc"])
    del broken["bgp"]["hold"]
    broken["vrfs"][0]["sessions"][0]["provider_address"] = "10.199.11.300"
    broken["interconnect"]["colour"] = "blue"
    assert len(list(validator.iter_errors(broken))) == 3


@pytest.mark.parametrize("platform", PLATFORMS)
def test_document_and_border_config_agree(platform):
    borders = _borders(platform)
    docs = _documents(platform)
    assert set(docs) == {"esc", "cloud2"}
    for doc in docs.values():
        assert doc["vrfs"] and all(v["sessions"] for v in doc["vrfs"])
        assert disagreements(doc, borders) == [], doc["peer"]["name"]


def test_the_agreement_check_catches_a_wrong_document():
    """Each kind of slip a hand-kept handover makes is caught against the rendered config."""
    borders = _borders("eos")
    good = _documents("eos")["esc"]
    slips = {
        "vlan": lambda d: d["vrfs"][1].update(vlan=3299),
        "provider ASN": lambda d: d["bgp"].update(provider_asn=65511),
        "address": lambda d: d["vrfs"][0]["sessions"][0].update(site_address="10.199.11.4"),
        "announced": lambda d: d["vrfs"][0]["families"]["ipv4"]["announced"].pop(),
        "accepted": lambda d: d["vrfs"][1]["families"]["ipv6"]["accepted"].append(
            {"prefix": "2001:db8:9::/48", "ge": None, "le": None}),
        "default": lambda d: d["vrfs"][0]["families"]["ipv4"].update(accepts_default=True),
        "mtu": lambda d: d["interconnect"].update(mtu=1500),
        "bfd": lambda d: d["bgp"]["bfd"].update(interval_ms=100),
        "session left out": lambda d: d["vrfs"][1]["sessions"].pop(),
    }
    for slip, change in slips.items():
        doc = copy.deepcopy(good)
        change(doc)
        assert disagreements(doc, borders), slip


def test_what_goes_each_way():
    """esc: infra exports its aggregates and the VIP pool (VIP community), accepts nothing; prod exports its
    subnets and accepts the default and exactly the named prefixes."""
    esc = _documents("frr")["esc"]
    infra, prod = esc["vrfs"]
    assert (infra["vrf"], infra["vlan"], prod["vrf"], prod["vlan"]) == ("infra", 3201, "prod", 3202)
    assert [(a["prefix"], a["le"], a["origin"], a["community"]) for a in infra["families"]["ipv4"]["announced"]] == [
        ("10.10.10.0/24", None, "fabric", "65000:1"), ("10.40.0.0/26", 32, "vip", "65000:3")]
    assert [(a["prefix"], a["le"], a["origin"]) for a in infra["families"]["ipv6"]["announced"]] == [
        ("fd00:10::/64", None, "fabric"), ("fd00:40::/120", 128, "vip")]
    assert not infra["families"]["ipv4"]["accepts_default"] and infra["families"]["ipv4"]["accepted"] == []
    assert prod["families"]["ipv4"]["accepts_default"]
    assert [a["prefix"] for a in prod["families"]["ipv4"]["accepted"]] == ["192.0.2.0/24"]
    assert [a["prefix"] for a in prod["families"]["ipv6"]["accepted"]] == ["2001:db8:1000::/48"]
    assert {(s["leaf"], s["family"], s["site_address"], s["provider_address"]) for s in prod["sessions"]} == {
        ("leaf01a", 4, "10.199.12.2", "10.199.12.1"), ("leaf01a", 6, "fd00:199:12::2", "fd00:199:12::1"),
        ("leaf01b", 4, "10.199.12.3", "10.199.12.1"), ("leaf01b", 6, "fd00:199:12::3", "fd00:199:12::1")}
    cloud2 = _documents("frr")["cloud2"]
    assert {(s["leaf"], s["family"], s["site_address"], s["provider_address"]) for s in cloud2["vrfs"][0]["sessions"]} == {
        ("leaf01a", 4, "10.199.31.0", "10.199.31.1"), ("leaf01a", 6, "fd00:199:31::", "fd00:199:31::1"),
        ("leaf01b", 4, "10.199.31.2", "10.199.31.3"), ("leaf01b", 6, "fd00:199:31::2", "fd00:199:31::3")}


@pytest.mark.parametrize("platform, clamped", [("frr", True), ("eos", True), ("nxos", False)])
def test_tcp_mss_clamp_names_who_applies_it(platform, clamped):
    mss = _documents(platform)["esc"]["interconnect"]["tcp_mss"]
    assert (mss["ipv4"], mss["ipv6"]) == (1360, 1340)
    leaves = ["leaf01a", "leaf01b"]
    assert (mss["clamped_by_site_on"], mss["provider_clamps_for"]) == ((leaves, []) if clamped else ([], leaves))
    assert _documents(platform)["cloud2"]["interconnect"]["tcp_mss"] is None


def test_l2_extension_and_dns_forwarding():
    esc, cloud2 = _documents("frr")["esc"], _documents("frr")["cloud2"]
    assert esc["l2_extension"]["vlans"] == [100]
    (wave,) = esc["l2_extension"]["waves"]
    assert (wave["wave"], wave["start"], wave["vms"]) == ("wave-esc", "2027-05-01", 3)
    assert wave["networks"] == [{"name": "vm-web", "vlan": 100, "ipv4": "10.100.0.0/24", "ipv6": "fd00:100::/64",
                                 "mtu": 1500, "gateway_on": "fabric", "vms": 3, "nics": 3, "stretched": True,
                                 "site_leaves": ["leaf01a", "leaf01b"]}]
    assert cloud2["l2_extension"] == {"vlans": [], "waves": []}
    assert esc["dns"] == {
        "forward_to_provider": [{"zone": "esc.example.net", "servers": ["198.51.100.53", "2001:db8:53::53"]}],
        "forward_to_site": [{"zone": "small.example.net", "servers": ["10.10.10.53", "fd00:10::53"]}]}
    assert esc["provider"] == {"name": "Swisscom Enterprise Service Cloud", "contact": "esc-noc@example.net",
                               "reference": "ESC-12345"}
    assert cloud2["provider"]["name"] == "cloud2" and cloud2["dns"]["forward_to_provider"] == []


def test_markdown_states_what_the_json_states():
    files = _build("nxos")["files"]
    doc, text = json.loads(files["handover/esc.json"]), files["handover/esc.md"]
    assert text.startswith("# Handover: small to Swisscom Enterprise Service Cloud\n")
    for vrf in doc["vrfs"]:
        assert f"## VRF {vrf['vrf']}: VLAN {vrf['vlan']}\n" in text
        for s in vrf["sessions"]:
            assert (f"| {s['leaf']} | {s['interface']} | IPv{s['family']} | {s['site_address']}/{s['prefixlen']} | "
                    f"{s['provider_address']}/{s['prefixlen']} | {s['site_asn']} | {s['provider_asn']} | yes |") in text
        for fam, policy in vrf["families"].items():
            for a in policy["announced"]:
                le = f" le {a['le']}" if a["le"] is not None else ""
                assert f"| {a['prefix']}{le} | {a['origin']} | {a['community']} |" in text, (fam, a)
    assert "| To be clamped by the provider for | leaf01a, leaf01b |" in text        # NX-OS does not clamp transit SYNs
    assert "| BFD | 300 ms x 3 (detection 900 ms) |" in text
    assert "| vm-web | 100 | 10.100.0.0/24 | fd00:100::/64 | 1500 | fabric | 3 | 3 | yes | leaf01a, leaf01b |" in text
    assert "| esc.example.net | site -> provider | 198.51.100.53, 2001:db8:53::53 |" in text
    assert "dcnet_esc_bgp_password" not in text + files["handover/esc.json"]         # the site's variable names stay home
    assert json.loads(files["handover/esc.json"])["bgp"]["password"] == {"required": True}


def test_documents_are_byte_identical_across_runs_and_alone():
    first = {k: v for k, v in _build("eos")["files"].items() if k.startswith("handover/")}
    again = models.build(site("eos"), targets=("handover",))["files"]
    assert again == first          # the handover target alone writes the same bytes
    assert list(json.loads(first["handover/esc.json"])) == [
        "schema_version", "site", "provider", "peer", "interconnect", "bgp", "communities", "vrfs", "l2_extension", "dns"]


def test_a_site_without_provider_peers_writes_no_handover():
    result = models.build(models.small("frr"), targets=TARGETS)
    assert not [p for p in result["files"] if p.startswith("handover/")]


def test_a_wave_to_a_provider_without_a_handover_is_reported():
    """The wave of the site names esc (a provider peer): no finding; renamed, or esc a mere router: a warning."""
    result = _build("frr")
    assert not [f for f in result["findings"] if f["rule"] == "WAVE005"]
    v = site("frr")
    v["dcnet_waves"][0]["target"]["provider"] = "escc"
    (finding,) = [f for f in models.build(v, targets=())["findings"] if f["rule"] == "WAVE005"]
    assert (finding["severity"], finding["path"]) == ("warning", "waves[wave-esc].target.provider")
    assert "did you mean 'esc'?" in finding["message"]
    v = site("frr")
    esc = next(p for p in v["dcnet_external_peers"] if p["name"] == "esc")
    esc.update(kind="router", provider=None)
    result = models.build(v, targets=("handover",))
    assert [f["path"] for f in result["findings"] if f["rule"] == "WAVE005"] == ["waves[wave-esc].target.provider"]
    assert sorted(result["files"]) == ["handover/cloud2.json", "handover/cloud2.md"]
