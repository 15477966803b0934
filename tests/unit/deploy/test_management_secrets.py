"""Management-plane secrets (switch users, SSH keys, TACACS+ key, SNMP community) reach the switch at deploy only.

The rendered EOS / NX-OS text holds ``{{ variable }}`` references; ``secrets.resolve`` puts the values in,
in memory, when ``dcnet.fabric.intended`` reads the config for ``dcnet.fabric.switch_deploy``. The playbook
test runs that path as a user does: an inventory with an ansible-vault encrypted vars file, the render
playbook, then the deploy role's own ``intended.cfg.j2`` template fed by the ``intended`` action. The text
that would be pushed holds every value and no reference left; build/ and the play's output hold none.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import secrets

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit"))
BIN = os.path.dirname(sys.executable)

VALUES = {
    "dcnet_switch_admin_hash": "$6$rounds=5000$Xq3saltsalt$Adm1nHashValueForTestOnly0123456789abcdefghijkl",
    "dcnet_switch_admin_ssh_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestOnlyKeyMaterial0123456789 admin@example",
    "dcnet_switch_monitor_hash": "$6$rounds=5000$Mon1torSalt$MonitorHashValueForTestOnly9876543210zyxwv",
    "dcnet_tacacs_key": "070C285F4D06TestOnlyTacacsKey",
    "dcnet_snmp_ro_community": "TestOnlyCommunity42",
    "dcnet_bgp_password": "TestOnlyBgpPassw0rd",
}
MANAGEMENT = {
    "pool4": "192.168.0.0/24", "vrf": "MGMT", "ntp_servers": ["10.0.0.123"],
    "users": [{"name": "admin", "role": "network-admin", "password_var": "dcnet_switch_admin_hash",
               "ssh_key_var": "dcnet_switch_admin_ssh_key"},
              {"name": "monitor", "role": "network-operator", "password_var": "dcnet_switch_monitor_hash"}],
    "tacacs": {"servers": ["10.0.0.49"], "key_var": "dcnet_tacacs_key"},
    "snmp": {"community_var": "dcnet_snmp_ro_community", "location": "lab"},
}


def _variables(platform):
    from switches import models  # pylint: disable=import-outside-toplevel

    variables = models.small(platform)
    variables["dcnet_fabric"]["management"] = MANAGEMENT
    variables["dcnet_fabric"].setdefault("bgp", {})["password_var"] = "dcnet_bgp_password"
    return variables, models


@pytest.mark.parametrize("platform", ["eos", "nxos"])
def test_every_reference_of_a_rendered_switch_is_resolved(platform):
    variables, models = _variables(platform)
    result = models.build(variables, targets=("structured", "switches"))
    assert not models.errors(result), models.errors(result)
    text = result["files"]["switches/leaf01a.cfg"]
    names = secrets.config_variables(text)
    assert names == sorted(k for k in VALUES if k != "dcnet_bgp_password")
    out, count = secrets.resolve(text, VALUES, "leaf01a")
    assert count == len(re.findall(r"\{\{ \w+ \}\}", text)) >= len(names)
    assert "{{" not in out and "}}" not in out
    for name in names:
        assert VALUES[name] in out
    assert out.count("\n") == text.count("\n")                  # one value per line, nothing smuggled in


def test_a_missing_or_multi_line_value_is_refused_without_showing_values():
    text = "hostname x\nusername admin secret sha512 {{ admin_hash }}\nsnmp-server community {{ community }} ro\n"
    with pytest.raises(secrets.SecretError, match=r"line 3 .*'community'.*not defined") as err:
        secrets.resolve(text, {"admin_hash": "$6$abc"}, "leaf01a")
    assert "$6$abc" not in str(err.value)
    with pytest.raises(secrets.SecretError, match="'admin_hash'.*one line") as err:
        secrets.resolve(text, {"admin_hash": "$6$abc\nusername evil", "community": "c"}, "leaf01a")
    assert "evil" not in str(err.value)
    with pytest.raises(secrets.SecretError, match="'community'"):
        secrets.resolve(text, {"admin_hash": "h", "community": "{{ other }}"}, "leaf01a")


PLAY = """---
- name: What switch_deploy pushes, written to a private file
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the intended config, with the secrets from their variables
      dcnet.fabric.intended:
        device: leaf01a
      register: switch_deploy_intended
      no_log: true
    - name: Lay it out with the deploy role's own template
      ansible.builtin.template:
        src: {template}
        dest: {dest}
        mode: "0600"
      no_log: true
"""


def test_vaulted_values_reach_the_pushed_text_and_nothing_else(tmp_path):
    playbook_bin = os.path.join(BIN, "ansible-playbook")
    vault_bin = os.path.join(BIN, "ansible-vault")
    if not os.path.exists(playbook_bin) or not os.path.exists(vault_bin):
        pytest.skip("ansible-playbook / ansible-vault are not installed in this interpreter's environment")
    variables, _models = _variables("eos")
    inventory = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), inventory)
    (inventory / "group_vars" / "all" / "zz_eos.yml").write_text(
        yaml.safe_dump({"dcnet_fabric": variables["dcnet_fabric"], "dcnet_clusters": variables["dcnet_clusters"],
                        "dcnet_external_peers": variables["dcnet_external_peers"]}),
        encoding="utf-8")
    vault = inventory / "group_vars" / "all" / "zz_vault.yml"
    vault.write_text(yaml.safe_dump(VALUES), encoding="utf-8")
    password = tmp_path / "vault-pass"
    password.write_text("test-only-vault-password\n", encoding="utf-8")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_VAULT_PASSWORD_FILE=str(password))
    subprocess.run([vault_bin, "encrypt", str(vault)], check=True, env=env, capture_output=True, timeout=120)
    assert VALUES["dcnet_tacacs_key"] not in vault.read_text(encoding="utf-8")

    def play(*args):
        proc = subprocess.run([playbook_bin, "-v", "-i", str(inventory / "hosts.yml"), *args], capture_output=True,
                              text=True, env=env, timeout=600, check=False, cwd=str(tmp_path))
        return proc.returncode, proc.stdout + proc.stderr

    code, out = play(os.path.join(ROOT, "playbooks", "render.yml"), "-e", '{"render_targets": ["structured", "switches"]}')
    assert code == 0, out
    dest = tmp_path / "pushed" / "leaf01a.cfg"
    dest.parent.mkdir()
    template = os.path.join(ROOT, "roles", "switch_deploy", "templates", "intended.cfg.j2")
    playbook = tmp_path / "deploy_text.yml"
    playbook.write_text(PLAY.format(template=template, dest=dest), encoding="utf-8")
    code, deploy_out = play(str(playbook))
    assert code == 0, deploy_out

    pushed = dest.read_text(encoding="utf-8")
    assert "{{" not in pushed
    assert f"username admin privilege 15 role network-admin secret sha512 {VALUES['dcnet_switch_admin_hash']}" in pushed
    assert f"username admin ssh-key {VALUES['dcnet_switch_admin_ssh_key']}" in pushed
    assert f"key 7 {VALUES['dcnet_tacacs_key']}" in pushed
    assert f"snmp-server community {VALUES['dcnet_snmp_ro_community']} ro" in pushed
    assert f"password 0 {VALUES['dcnet_bgp_password']}" in pushed
    assert oct(dest.stat().st_mode & 0o777) == "0o600"

    build = inventory / "build"                                  # beside hosts.yml, the render's default
    leaked = []
    for folder, _dirs, files in os.walk(build):
        for name in files:
            text = open(os.path.join(folder, name), encoding="utf-8", errors="replace").read()
            leaked += [(name, k) for k, v in VALUES.items() if v in text]
    assert (build / "small" / "switches" / "leaf01a.cfg").is_file() and not leaked, leaked
    assert "{{ dcnet_tacacs_key }}" in (build / "small" / "switches" / "leaf01a.cfg").read_text(encoding="utf-8")
    assert not [k for k, v in VALUES.items() if v in out + deploy_out]

    # a variable missing from the vault fails the deploy step, naming the variable only
    vault.unlink()
    (inventory / "group_vars" / "all" / "zz_plain.yml").write_text(
        yaml.safe_dump({k: v for k, v in VALUES.items() if k != "dcnet_snmp_ro_community"}), encoding="utf-8")
    code, failed = play(str(playbook))
    assert code != 0
    assert not [k for k, v in VALUES.items() if v in failed]
