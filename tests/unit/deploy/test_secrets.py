"""deploy/secrets.py: passwords go in at deploy, in each platform's syntax, under the right peer group."""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import secrets

FRR = """router bgp 65101
 neighbor SPINES peer-group
 neighbor SPINES remote-as 65000
 ! neighbor SPINES password: injected at deploy from Ansible variable 'pw'
 neighbor 10.0.0.1 peer-group SPINES
"""
EOS = """router bgp 65101
   neighbor SPINES peer group
   neighbor SPINES remote-as 65000
   neighbor 10.0.0.1 peer group SPINES
"""
NXOS = """router bgp 65101
  template peer SPINES
    remote-as 65000
  neighbor 10.0.0.1
    inherit peer SPINES
"""


def _structured(platform, var="pw", groups=("SPINES",)):
    return {"hostname": "leaf01a", "platform": platform,
            "bgp": {"peer_groups": [{"name": g, "password_var": var} for g in groups]}}


@pytest.mark.parametrize("platform, text, line, after", [
    ("frr", FRR, " neighbor SPINES password s3cr3t", " neighbor SPINES peer-group"),
    ("eos", EOS, "   neighbor SPINES password 0 s3cr3t", "   neighbor SPINES peer group"),
    ("nxos", NXOS, "    password 0 s3cr3t", "  template peer SPINES"),
])
def test_password_line_under_the_group(platform, text, line, after):
    out, added = secrets.inject(text, _structured(platform), {"pw": "s3cr3t"})
    lines = out.split("\n")
    assert added == 1 and lines[lines.index(after) + 1] == line
    assert out.replace(line + "\n", "") == text


def test_unmarked_groups_get_nothing():
    out, added = secrets.inject(FRR, _structured("frr", var=None), {"pw": "x"})
    assert (out, added) == (FRR, 0)


@pytest.mark.parametrize("values, message", [
    ({}, "variable 'pw' (fabric.bgp.password_var), which is not defined"),
    ({"pw": ""}, "variable 'pw' is empty"),
    ({"pw": "two words"}, "not a usable TCP-MD5 password"),
    ({"pw": "a\nline"}, "not a usable TCP-MD5 password"),
    ({"pw": "x!y"}, "not a usable TCP-MD5 password"),
    ({"pw": "x" * 81}, "not a usable TCP-MD5 password"),
])
def test_bad_or_missing_values_fail_without_showing_them(values, message):
    with pytest.raises(secrets.SecretError) as err:
        secrets.inject(FRR, _structured("frr"), values)
    assert message in str(err.value)
    for value in values.values():
        if value:
            assert value not in str(err.value)


def test_a_group_the_config_does_not_declare_is_an_error():
    with pytest.raises(secrets.SecretError, match="does not declare peer group LEAVES"):
        secrets.inject(FRR, _structured("frr", groups=("SPINES", "LEAVES")), {"pw": "x"})


def test_metallb_secret_takes_the_leaves_variable():
    cluster = {"name": "ove-small", "ove": {"metallb": {"namespace": "metallb-system", "peers": [
        {"name": "leaf01a-ipv4", "leaf": "leaf01a", "password_secret": "md5"},
        {"name": "leaf01b-ipv4", "leaf": "leaf01b", "password_secret": "md5"}]}}}
    leaf = {"bgp": {"peer_groups": [{"name": "SPINES", "password_var": "fabric_pw", "password_secret": None},
                                    {"name": "METALLB-OVE-SMALL", "password_var": "fabric_pw",
                                     "password_secret": "md5"}]}}
    assert secrets.metallb_secrets(cluster, {"leaf01a": leaf, "leaf01b": leaf}) == [
        {"name": "md5", "namespace": "metallb-system", "var": "fabric_pw"}]
    with pytest.raises(secrets.SecretError, match="not in the build tree"):
        secrets.metallb_secrets(cluster, {"leaf01a": leaf})


def test_every_rendered_switch_of_dc1_takes_its_passwords():
    """On the real rendered configs (FRR, EOS, NX-OS leaves and spines of dc1), every marked peer group is found."""
    from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
    from conftest import example_model  # tests/conftest.py: the examples' group variables

    result = pipeline.build(example_model("dc1"), from_vars=False, targets=["switches"])
    assert not [f for f in result["findings"] if f["severity"] == "error"]
    platforms = set()
    # the fabric's and the border's handover peers' (examples/dc1 north_south.yml: external_peers[].password_var)
    passwords = {"dcnet_bgp_password": "pw-1", "dcnet_fw_bgp_password": "pw-2", "dcnet_wan_bgp_password": "pw-3"}
    for name, structured in result["design"]["switches"].items():
        marked = secrets.references(structured)
        assert marked, name
        text, added = secrets.inject(result["files"][f"switches/{name}.cfg"], structured, passwords)
        assert added == len(marked), name
        platforms.add(structured["platform"])
    assert platforms == {"frr", "eos", "nxos"}


def test_frr_group_declared_in_every_vrf_instance_gets_the_line_in_each():
    """FRR peer groups are per BGP instance: a border leaf declares its external peer's group in every VRF it hands
    over, and each declaration needs the password (else that VRF's session stays down against the peer)."""
    text = ("router bgp 65101 vrf infra\n neighbor EXT-WAN1 peer-group\n neighbor 10.199.1.1 peer-group EXT-WAN1\nexit\n"
            "router bgp 65101 vrf prod\n neighbor EXT-WAN1 peer-group\n neighbor 10.199.2.1 peer-group EXT-WAN1\nexit\n")
    out, added = secrets.inject(text, _structured("frr", var="wan", groups=("EXT-WAN1",)), {"wan": "s3cr3t"})
    assert added == 2
    assert out.count(" neighbor EXT-WAN1 peer-group\n neighbor EXT-WAN1 password s3cr3t\n") == 2
