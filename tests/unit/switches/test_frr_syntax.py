"""Every rendered frr.conf passes real FRR's parser (`vtysh -C -f`, Debian package frr 8.4)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from . import models


def _vtysh():
    """vtysh, installed from Debian when missing and we may (the Makefile's system-deps does the same)."""
    path = shutil.which("vtysh")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "frr"], capture_output=True, check=False, timeout=600)
    return shutil.which("vtysh")


VTYSH = _vtysh()
pytestmark = pytest.mark.skipif(not VTYSH, reason="vtysh (Debian package frr) is not installed and cannot be installed here")

VARIANTS = {
    "small": dict(),
    "small-evpn-two-racks": dict(overlay="evpn_vxlan", second_rack=True),
    "small-unnumbered": dict(unnumbered=True),
}


def check(tmp_path, name, text):
    path = tmp_path / f"{name}.conf"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([VTYSH, "-C", "-f", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_frr_conf_parses(tmp_path, variant):
    result = models.build(models.small("frr", **VARIANTS[variant]), targets=("switches",))
    assert not models.errors(result)
    confs = {k: v for k, v in models.switch_files(result).items() if k.endswith(".cfg")}
    assert confs
    for name, text in sorted(confs.items()):
        rc, out = check(tmp_path, name, text)
        assert rc == 0, f"{variant} {name}: vtysh -C rejected it:\n{out}"


def test_the_checker_rejects_a_broken_config(tmp_path):
    """Guard: vtysh -C really parses (a config with one wrong keyword fails)."""
    result = models.build(models.small("frr"), targets=("switches",))
    text = models.switch_files(result)["leaf01a.cfg"].replace(" bgp bestpath as-path multipath-relax",
                                                              " bgp bestpath as-path multipath-relaxed")
    rc, out = check(tmp_path, "broken", text)
    assert rc != 0 and "multipath-relaxed" in out


def test_evpn_variant_has_vnis_and_vtep():
    result = models.build(models.small("frr", overlay="evpn_vxlan", second_rack=True), targets=("switches",))
    files = models.switch_files(result)
    conf, ifaces = files["leaf01a.cfg"], files["leaf01a.interfaces"]
    assert " address-family l2vpn evpn" in conf and "  advertise-all-vni" in conf
    # every network of the OVE cluster spans racks 1 and 2: one VNI each (vni_base 10000 + VLAN)
    for vid in (10, 20, 30, 100, 101):
        assert f"  vni {10000 + vid}\n" in conf
        assert f"    vxlan-id {10000 + vid}\n" in ifaces
    assert "clagd-vxlan-anycast-ip 10.253.0.1" in ifaces
    spine = files["spine1.cfg"]
    assert "  neighbor LEAVES attribute-unchanged next-hop" in spine


DC1 = models.os.path.join(models.ROOT, "examples", "dc1", "inventory")


@pytest.mark.skipif(not os.path.isdir(DC1), reason="examples/dc1/inventory is not there yet")
def test_dc1_frr_confs_parse(tmp_path):
    result = models.built_dc1()
    assert not models.errors(result), models.errors(result)[:5]
    frr = [n for n, c in result["design"]["switches"].items() if c["platform"] == "frr"]
    files = models.switch_files(result)
    for name in sorted(frr):
        rc, out = check(tmp_path, name, files[f"{name}.cfg"])
        assert rc == 0, f"dc1 {name}: vtysh -C rejected it:\n{out}"
