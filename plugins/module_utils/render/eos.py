"""Arista EOS running-config (docs/platforms/eos.md)."""

from __future__ import annotations

from .base import render_template
from .switches import HEADER, groups_by_family, password_note


# EOS names the LACP rate "timer": fast | normal
LACP_TIMER = {"fast": "fast", "slow": "normal"}


def device(config) -> dict:
    return {"cfg": render_template("eos/device.cfg.j2", c=config, header=HEADER.format(path=config["model_path"]),
                                   password_note=password_note, by_family=groups_by_family(config),
                                   lacp_timer=LACP_TIMER)}
