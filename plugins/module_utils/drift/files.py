"""A folder of captured running state -> the ``running`` dict of ``compare.drift``.

One file per device, named after it, so a capture job can write them with any tool:

* ``<switch>.cfg`` or ``<switch>.txt``: ``show running-config`` of an EOS or NX-OS switch, or
  vtysh's of an FRR switch (its BGP; the model says which platform the switch runs);
* ``<leaf>.ovs-ports.json`` and ``<leaf>.ovs-interfaces.json``: ``ovs-vsctl --format=json list
  Port`` / ``list Interface`` of a leaf whose layer 2 is Open vSwitch (the FRR lab);
* ``<node>.nmstate.yml`` (or ``.yaml``/``.json``): ``nmstatectl show`` of a node;
* ``nnce.yaml`` / ``nnce.json``: ``kubectl get nnce -o yaml`` of an OVE cluster.

Files of devices the model does not know are reported as notes, never guessed at.
"""

from __future__ import annotations

import os

from ..errors import DcnetError
from .. import platforms
from . import frr_bgp, host_state, nnce, ovs, switch_text
from .compare import drift

MAX_FILE_BYTES = 16 * 1024 * 1024


def _read(path):
    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise DcnetError(f"{path} is larger than {MAX_FILE_BYTES >> 20} MiB")
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def collect(model, folder: str) -> dict:
    """{"switches", "hosts", "enactments", "notes"} parsed from ``folder``."""
    if not os.path.isdir(folder):
        raise DcnetError(f"running state folder {folder} does not exist")
    nodes = {n["name"]: n for c in model.clusters.values() for n in c["nodes"]}
    bonds = {n["name"]: (c["bond"] or {}).get("name") for c in model.clusters.values() for n in c["nodes"]}
    switches = set(model.leaves) | set(model.spines)
    running = {"switches": {}, "hosts": {}, "enactments": [], "notes": []}
    names = sorted(os.listdir(folder))
    for name in names:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        try:
            if name in ("nnce.yaml", "nnce.yml", "nnce.json"):
                running["enactments"] += nnce.parse_nnce(_read(path))
            elif name.endswith(".ovs-ports.json"):
                device = name[: -len(".ovs-ports.json")]
                other = os.path.join(folder, f"{device}.ovs-interfaces.json")
                if device not in switches:
                    running["notes"].append(f"{name}: {device} is not a switch of the model")
                elif not os.path.isfile(other):
                    running["notes"].append(f"{name}: {device}.ovs-interfaces.json is missing")
                else:
                    running["switches"].setdefault(device, {}).update(ovs.parse_ovs(_read(path), _read(other)))
            elif name.endswith((".cfg", ".txt")):
                device = name.rsplit(".", 1)[0]
                if device not in switches:
                    running["notes"].append(f"{name}: {device} is not a switch of the model")
                    continue
                platform = model.switch_platform(device)
                if not platforms.get(platform).running_config:   # routing only (FRR): layer 2 from its OVS files
                    running["switches"].setdefault(device, {})["bgp"] = frr_bgp.parse_frr_bgp(_read(path))
                else:
                    running["switches"].setdefault(device, {}).update(
                        switch_text.parse_running_config(_read(path), platform))
            elif name.endswith((".nmstate.yml", ".nmstate.yaml", ".nmstate.json")):
                device = name.split(".nmstate.", 1)[0]
                if device not in nodes:
                    running["notes"].append(f"{name}: {device} is not a node of the model")
                    continue
                running["hosts"][device] = host_state.parse_nmstate(_read(path), bonds.get(device))
        except DcnetError as exc:
            raise DcnetError(f"{path}: {exc}") from None
    return running


def run(model, facts, designed, folder: str, today=None) -> dict:
    """Drift of the running state captured in ``folder``: findings, notes, and what was read."""
    running = collect(model, folder)
    result = drift(model, facts, designed, running, today)
    result["notes"] = running["notes"] + result["notes"]
    result["read"] = {"switches": sorted(running["switches"]), "hosts": sorted(running["hosts"]),
                      "enactments": len(running["enactments"])}
    return result
