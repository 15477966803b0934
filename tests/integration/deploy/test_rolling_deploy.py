"""playbooks/deploy_switches.yml against the FRR lab: rolling batches, gates, secrets from a vault.

What this proves, on real FRR 8.4 in network namespaces (examples/small: 2 spines, 1 leaf pair):
- the render writes build/ beside the inventory and no file of it holds the BGP password, which
  lives only in an ansible-vault encrypted vars file;
- the deploy puts the password into every peer group the structured config marks (FRR's running
  config shows it) and the sessions come up with TCP-MD5 on both ends;
- batches run in the order spines (odd), spines (even), leaves side a, leaves side b, each followed
  by its gate; a second run changes nothing;
- a gate that fails (leaf01a, batch 3, gets a wrong spine AS) stops the run: batch 4 (leaf01b) is
  not touched.
The EOS and NX-OS tasks of the same role are only syntax- and argument-checked
(tests/unit/deploy/test_network_modules.py): no EOS or NX-OS runs here.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lab"))

import fabric_lab  # noqa: E402

from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr  # noqa: E402

REASON = fabric_lab.why_not_possible()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
BIN = os.path.dirname(sys.executable)
SWITCHES = ("spine1", "spine2", "leaf01a", "leaf01b")


def _env(tmp):
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
                ANSIBLE_FORCE_COLOR="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                ANSIBLE_HOME=str(tmp / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp / "ansible-tmp"),
                ANSIBLE_VAULT_PASSWORD_FILE=str(tmp / "vault-pass"), ANSIBLE_RETRY_FILES_ENABLED="false",
                PATH=BIN + os.pathsep + os.environ.get("PATH", ""))


def _playbook(tmp, name, *extra):
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(tmp / "inventory"),
                           os.path.join(ROOT, "playbooks", name), *extra],
                          env=_env(tmp), cwd=tmp, capture_output=True, text=True, timeout=600, check=False)
    proc.recap = {m.group(1): {"changed": int(m.group(2)), "failed": int(m.group(3))} for m in re.finditer(
        r"^(\S+)\s*: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", proc.stdout, re.M)}
    return proc


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rolling")
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), tmp / "inventory")
    password = "Md5-" + secrets.token_hex(12)
    (tmp / "vault-pass").write_text(secrets.token_hex(16) + "\n")
    vault = tmp / "inventory" / "group_vars" / "all" / "vault.yml"
    vault.write_text(yaml.safe_dump({"dcnet_bgp_password": password}))
    subprocess.run([os.path.join(BIN, "ansible-vault"), "encrypt", str(vault)], env=_env(tmp), check=True,
                   capture_output=True)
    assert password not in vault.read_text()
    prefix = f"dcnet-rd-{os.getpid()}"
    hosts = {d: {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                 "switch_deploy_frr_namespace": f"{prefix}-{d}"} for d in SWITCHES}
    (tmp / "inventory" / "switches.yml").write_text(yaml.safe_dump({"all": {"children": {
        "dcnet_switches": {"hosts": hosts}}}}))
    proc = _playbook(tmp, "render.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    build = tmp / "build" / "small"
    switches = fabric_lab.load_structured(str(build / "structured"))
    state = str(tmp / "lab-state.json")
    lab = fabric_lab.Lab(switches, state, prefix=prefix)
    try:
        lab.up({d: (build / "switches" / f"{d}.cfg").read_text() for d in switches})
        yield {"tmp": tmp, "build": build, "password": password, "lab": lab}
    finally:
        assert fabric_lab.teardown(state) == []
        assert fabric_lab.leftovers(prefix) == []


def _running(site, device):
    return frr.running_config(frr.FrrTarget(pathspace=site["lab"].ns(device)))


def test_build_tree_holds_no_secret(site):
    found = []
    for base, _dirs, files in os.walk(site["tmp"] / "build"):
        for name in files:
            with open(os.path.join(base, name), "rb") as handle:
                if site["password"].encode() in handle.read():
                    found.append(os.path.join(base, name))
    assert found == []
    # the rendered config says where the password comes from, not what it is
    assert "dcnet_bgp_password" in (site["build"] / "switches" / "leaf01a.cfg").read_text()


def test_rolling_deploy_in_batches_with_gates_and_secrets(site):
    proc = _playbook(site["tmp"], "deploy_switches.yml", "--diff")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert site["password"] not in out                      # never printed, also not with --diff
    plays = re.findall(r"^PLAY \[(.*?)\]", proc.stdout, re.M)
    assert [p for p in plays if p.startswith(("Deploy batch", "Gate after"))] == [
        "Deploy batch 1: spines with odd ids", "Gate after batch 1: fabric sessions between the deployed switches",
        "Deploy batch 2: spines with even ids", "Gate after batch 2: fabric sessions between the deployed switches",
        "Deploy batch 3: side a of each leaf pair", "Gate after batch 3: fabric sessions between the deployed switches",
        "Deploy batch 4: side b of each leaf pair", "Gate after batch 4: fabric sessions between the deployed switches"]
    # each batch deployed exactly its switches
    sections = re.split(r"^PLAY \[", proc.stdout, flags=re.M)
    deployed = {s.split("]", 1)[0]: sorted(set(re.findall(r"^changed: \[(\S+)\]", s, re.M))) for s in sections[1:]}
    assert deployed["Deploy batch 1: spines with odd ids"] == ["spine1"]
    assert deployed["Deploy batch 2: spines with even ids"] == ["spine2"]
    assert deployed["Deploy batch 3: side a of each leaf pair"] == ["leaf01a"]
    assert deployed["Deploy batch 4: side b of each leaf pair"] == ["leaf01b"]
    for device in SWITCHES:
        running = _running(site, device)
        group = "LEAVES" if device.startswith("spine") else "SPINES"
        assert f" neighbor {group} password {site['password']}" in running, device
    assert f" neighbor METALLB-OVE-SMALL password {site['password']}" in _running(site, "leaf01a")

    again = _playbook(site["tmp"], "deploy_switches.yml")
    assert again.returncode == 0, again.stdout[-4000:]
    assert {h: r["changed"] for h, r in again.recap.items()} == {h: 0 for h in again.recap}


def test_a_failed_gate_stops_before_the_next_batch(site):
    build = site["build"] / "switches"
    leaf_a, leaf_b = build / "leaf01a.cfg", build / "leaf01b.cfg"
    saved = {p: p.read_text() for p in (leaf_a, leaf_b)}
    before_b = _running(site, "leaf01b")
    try:
        # leaf01a (batch 3) expects the spines in a wrong AS: its sessions never come up
        leaf_a.write_text(saved[leaf_a].replace(" neighbor SPINES remote-as 65000", " neighbor SPINES remote-as 65099"))
        # leaf01b (batch 4) would get a new description if its batch ran
        leaf_b.write_text(saved[leaf_b].replace(" bgp router-id", " bgp router-id", 1).replace(
            "interface lo\n description router-id", "interface lo\n description router-id (batch 4 ran)"))
        assert leaf_b.read_text() != saved[leaf_b]
        proc = _playbook(site["tmp"], "deploy_switches.yml", "-e", "switch_deploy_gate_wait=10")
        out = proc.stdout
        assert proc.returncode != 0
        assert "Gate after batch 3" in out and "Deploy batch 4" not in out
        assert re.search(r"fatal: \[leaf01a\].*(?:difference|Established)", out, re.S)
        assert _running(site, "leaf01b") == before_b            # batch 4 never ran
    finally:
        for path, text in saved.items():
            path.write_text(text)
        restore = _playbook(site["tmp"], "deploy_switches.yml")
        assert restore.returncode == 0, restore.stdout[-4000:]
