"""The loader: all errors at once, each located, with suggestions; never a traceback."""

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model, model_from_vars


def errors(raw):
    with pytest.raises(ModelError) as info:
        load_model(raw)
    return {(f.rule, f.path) for f in info.value.findings}, info.value


def test_small_loads_with_defaults(small):
    model = load_model(small)
    assert model.fabric["bfd"]["multiplier"] == 3
    assert model.networks["mgmt"]["host_offset"] == 10
    assert model.leaves["leaf01b"]["id"] == 2 and model.leaves["leaf01b"]["peer"] == "leaf01a"


def test_all_errors_are_reported_in_one_run(small):
    small["fabric"]["mtuu"] = 9000
    small["networks"][0]["vlan"] = "ten"
    small["clusters"][0]["nodes"][0]["nics"]["ens1f0"] = "leaf09a:swp1"
    found = errors(small)[0]
    # schema errors stop before references: both schema errors are there, together
    assert ("MODEL001", "fabric.mtuu") in found
    assert ("MODEL002", "networks[mgmt].vlan") in found


def test_unknown_key_suggests_the_closest(small):
    small["clusters"][0]["bondd"] = small["clusters"][0].pop("bond")
    exc = errors(small)[1]
    messages = [str(f) for f in exc.findings]
    assert any("clusters[ove-small].bondd: unknown key 'bondd'; did you mean 'bond'?" in m for m in messages)


def test_reference_errors_carry_the_cable_path(small):
    small["clusters"][0]["nodes"][1]["nics"]["ens1f1"] = "leaf01b:swp1"   # already cabled to ove-w1
    small["clusters"][0]["networks"].append("vm-dbb")
    found, exc = errors(small)
    assert ("CABLE001", "clusters[ove-small].nodes[ove-w2].nics[ens1f1]") in found
    assert ("REF001", "clusters[ove-small].networks[5]") in found
    cable = next(f for f in exc.findings if f.rule == "CABLE001")
    assert "already cabled to ove-w1 ens1f1" in cable.message
    assert cable.related == ("clusters[ove-small].nodes[ove-w1].nics[ens1f1]",)
    assert "did you mean 'vm-db'" in next(f for f in exc.findings if f.rule == "REF001").message


def test_model_variables_typo_is_caught():
    raw, problems = model_from_vars({"dcnet_netwroks": [], "dcnet_build_dir": "x", "other": 1})
    assert raw == {}
    assert [(p.rule, p.path) for p in problems] == [("MODEL001", "dcnet_netwroks")]
    assert "did you mean 'dcnet_networks'" in problems[0].message


@pytest.mark.parametrize("garbage", [None, [], "text", 42, {"site": []}, {"fabric": {"spines": "x"}}])
def test_garbage_gives_located_errors_not_tracebacks(garbage):
    with pytest.raises(ModelError) as info:
        load_model(garbage)
    assert info.value.findings and all(f.path for f in info.value.findings)
