"""Switch configs from the structured config: one renderer per platform.

``render`` writes ``switches/<device>.cfg`` for every spine and leaf in the
platform the model gives it (FRR: frr.conf, plus ``switches/<device>.interfaces``
in ifupdown2 format for bonds, bridge, VLAN interfaces and CLAG).  A new
platform is one more module with ``device(config) -> {suffix: text}`` and
one more line in ``PLATFORMS``; the design never changes for it.
"""

from __future__ import annotations

from ..findings import Finding, ModelError
from . import eos, frr, nxos
from .base import Artifact

PLATFORMS = {"frr": frr.device, "eos": eos.device, "nxos": nxos.device}


def render_findings(config) -> list:
    """What a switch config cannot express: located errors instead of a silently wrong output."""
    out = []
    for vlan in config.get("vlans") or []:
        if vlan["stretched"] and vlan["vni"] is None:
            out.append(Finding(
                "OVERLAY001", f"networks[{vlan['name']}]",
                f"VLAN {vlan['id']} spans racks {', '.join(str(r) for r in vlan['racks'])}, but fabric.overlay is "
                f"'none': each leaf pair would keep it rack-local",
                "set fabric.overlay: evpn_vxlan (and pools.vtep4), or keep the network's clusters in one rack"))
    if config["platform"] != "frr":
        for nb in config["bgp"]["neighbors"]:
            if nb["interface"]:
                out.append(Finding(
                    "BGP010", config["model_path"],
                    f"BGP unnumbered ({nb['interface']}) is rendered for FRR only, not {config['platform']}",
                    "set fabric.bgp.unnumbered: false, or platform: frr for this switch"))
                break
    return out


def render(ctx):
    findings, artifacts = [], []
    for name, config in sorted(ctx.design["switches"].items()):
        found = render_findings(config)
        findings += found
        if found:
            continue
        for suffix, text in PLATFORMS[config["platform"]](config).items():
            artifacts.append(Artifact(f"switches/{name}.{suffix}", text, kind=f"switch-{config['platform']}"))
    if findings:
        unique = {(f.rule, f.path, f.message): f for f in findings}
        raise ModelError(list(unique.values()), "render")
    return artifacts
