# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The commands of each switch in each phase: render the device as it stands after the phase, diff with before.

A leaf touched by two phases (its VLAN in one, a policy in another) gets two
command sets: its structured config is re-assembled from its objects with only
the changes of the phases so far, rendered with the platform's own renderer,
and the text of the previous step is turned into this one by hier_config or
frr-reload (remediation.py).  The last step of every device is its full new
config, so the sum of the steps is exactly the change of the plan.
"""

from __future__ import annotations

from .. import platforms
from ..render.switches import device_renderer
from . import remediation
from .objects import SWITCH, assemble


def _merged_order(old_keys: list, new_keys: list) -> list:
    """New keys in their order, each old-only key right after the key that preceded it in the old order."""
    out = list(new_keys)
    present = set(out)
    for index, key in enumerate(old_keys):
        if key in present:
            continue
        prev = next((k for k in reversed(old_keys[:index]) if k in present), None)
        out.insert(out.index(prev) + 1 if prev is not None else 0, key)
        present.add(key)
    return out


def _by_device(objects: dict) -> dict:
    """{switch: [its object keys in order]}."""
    out = {}
    for key in objects:
        if key[0] == SWITCH:
            out.setdefault(key[1], []).append(key)
    return out


def _render(config):
    return device_renderer(config["platform"])(config) if config else {}


def switch_commands(phases: list, old_switches: dict, new_switches: dict, old_objs: dict, new_objs: dict,
                    reload_path: str = remediation.FRR_RELOAD) -> None:
    """Add ``steps`` ({device: commands, rollback, tool}) to every batch of every switch phase."""
    state, texts, orders, key_orders, todo = {}, {}, {}, {}, []
    old_by, new_by = _by_device(old_objs), _by_device(new_objs)
    for phase in phases:
        if phase["domain"] != SWITCH:
            continue
        for batch in phase["batches"]:
            batch["steps"] = {}
            for device in batch["devices"]:
                if device not in state:
                    state[device] = {k: old_objs[k] for k in old_by.get(device, ())}
                    orders[device] = _merged_order(old_by.get(device, []), new_by.get(device, []))
                    key_orders[device] = list((new_switches.get(device) or old_switches.get(device) or {}).keys())
                    texts[device] = _render(old_switches.get(device))
                for change in phase["_changes"]:
                    if change["key"][1] != device:
                        continue
                    if change["new"] is None:
                        state[device].pop(change["key"], None)
                    else:
                        state[device][change["key"]] = change["new"]
                present = [state[device][k] for k in orders[device] if k in state[device]]
                config = assemble(present, key_orders[device]) if present else None
                text = _render(config)
                platform = (new_switches.get(device) or old_switches[device])["platform"]
                todo.append((batch, device, platform, texts[device], text, config))
                texts[device] = text
    remediation.prefetch_frr([(old.get("cfg", ""), new.get("cfg", "")) for _b, _d, platform, old, new, _c in todo
                              if not platforms.get(platform).hier_config], reload_path)
    for batch, device, platform, old, new, config in todo:
        step = remediation.device_commands(platform, old, new, reload_path)
        step["intended"] = new     # the device's whole config after this step (what frr-reload applies)
        step["config"] = config    # its structured config after this step (what the gate compares with)
        batch["steps"][device] = step
