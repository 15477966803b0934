"""The dcnet_vms / dcnet_waves shape: normalized by the loader, located errors on bad values."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils.findings import ModelError
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model

from ._helpers import example


def _with(vms=(), waves=()):
    raw = example("small")
    raw["vms"] = list(vms)
    raw["waves"] = list(waves)
    return raw


def test_vm_and_wave_are_normalized():
    model = load_model(_with(
        [{"name": "web01", "nics": [{"name": "Network adapter 1", "network": "vm-web", "mac": "00:50:56:00:00:01",
                                     "ipv4": ["10.100.0.11"], "ipv6": ["fd00:100::11"]}]}],
        [{"name": "w1", "start": datetime.date(2027, 3, 6), "target": {"cluster": "ove-small"}, "vms": ["web01"]}]))
    vm = model.vms["web01"]
    assert vm["power_state"] == "on" and vm["cluster"] is None and vm["tags"] == []
    assert vm["nics"][0] == {"name": "Network adapter 1", "network": "vm-web", "mac": "00:50:56:00:00:01",
                             "ipv4": ["10.100.0.11"], "ipv6": ["fd00:100::11"]}
    wave = model.waves["w1"]
    assert wave["start"] == "2027-03-06" and wave["target"] == {"cluster": "ove-small", "provider": None}
    assert wave["network_map"] == {} and wave["readdress"] == {}


@pytest.mark.parametrize("vm, path, rule", [
    ({"name": "a", "nics": [{"name": "n1", "mac": "00-50-56-00-00-01"}]}, "vms[a].nics[n1].mac", "MODEL003"),
    ({"name": "a", "nics": [{"name": "n1", "ipv4": ["10.0.0.300"]}]}, "vms[a].nics[n1].ipv4[0]", "MODEL005"),
    ({"name": "a", "power_state": "poweredOn"}, "vms[a].power_state", "MODEL003"),
    ({"name": "a", "nics": [{"name": "n1"}, {"name": "n1"}]}, "vms[a].nics[n1]", "MODEL006"),
])
def test_bad_vm_values_are_located(vm, path, rule):
    with pytest.raises(ModelError) as err:
        load_model(_with([vm]))
    assert [(f.rule, f.path) for f in err.value.findings] == [(rule, path)]


def test_bad_wave_date_is_located():
    with pytest.raises(ModelError) as err:
        load_model(_with(waves=[{"name": "w1", "start": "2027-13-01", "target": {"cluster": "ove-small"}}]))
    assert [(f.rule, f.path) for f in err.value.findings] == [("MODEL002", "waves[w1].start")]
