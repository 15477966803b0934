"""The explained path as Markdown: one section per direction and family, one table row per hop.

Only layout: every value comes from ``explain``'s data.
"""

from __future__ import annotations

STATUS = {"complete": "reaches the destination", "local": "stays on the node",
          "no-exit": "no exit modelled", "no-route": "no route", "not-modelled": "ends where the model ends"}


def _esc(text):
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _headers(hop):
    return " + ".join(f"{h['name']} ({h['bytes']})" for h in hop["headers"])


def _choice(choice):
    if not choice:
        return ""
    chosen = choice["chosen"] or "not decided by the model"
    inputs = ", ".join(f"{k}={v}" for k, v in choice["inputs"].items() if v not in (None, "", []))
    return f"{choice['kind']}: {', '.join(map(str, choice['candidates']))} -> **{chosen}**; {choice['rule']}; inputs: {inputs}"


def _mtu(hop):
    if hop.get("mtu") is None:
        return ""
    left = hop.get("mtu_left")
    return f"{hop['mtu']} ({_esc(hop['mtu_what'])}); packet {hop.get('ip_packet_bytes', '?')}, left {left}"


def path_section(path) -> list:
    flow = path["flow"]
    title = (f"### {path['direction']}, IPv{path['family']}: {path['from']} -> {path['to']} "
             f"({STATUS.get(path['status'], path['status'])})")
    lines = [title, "", f"Flow: {flow['src_ip'] or '<address unknown>'} -> {flow['dst_ip'] or '<address unknown>'}, protocol {flow['proto']}, ports "
             f"{flow['src_port']} -> {flow['dst_port']}.", ""]
    if path["reason"]:
        lines += [f"**{path['status']}**: {path['reason']}", ""]
    mtu = path.get("mtu")
    if mtu:
        if mtu["fits"]:
            verdict = "fits"
        elif mtu["silent_drop"]:
            verdict = f"DOES NOT FIT: hop {mtu['bottleneck_hop']} drops larger packets silently (layer 2, no ICMP)"
        else:
            verdict = (f"larger packets get ICMP 'too big' from the router at hop {mtu['bottleneck_hop']} "
                       "(path MTU discovery)")
        lines += [f"MTU: the sender sends up to {mtu['sender_mtu']} bytes; the path carries {mtu['path_mtu']} "
                  f"(bottleneck {mtu['bottleneck']}): {verdict}. Largest ping: `{mtu['ping']}`.", ""]
    lines += ["| # | device | hop | headers on the wire (bytes) | MTU, left | equal-cost choice |", "|---|---|---|---|---|---|"]
    for hop in path["hops"]:
        what = _esc(hop["what"]) + ("" if hop["decided"] else " *(not decided by the model)*")
        lines.append(f"| {hop['n']} | {_esc(hop['device'])} | {what} | {_esc(_headers(hop))} | {_esc(_mtu(hop))} | "
                     f"{_esc(_choice(hop['choice']))} |")
    lines.append("")
    for note in path["notes"]:
        lines.append(f"- {note}")
    if path["notes"]:
        lines.append("")
    lines += ["Verification, hop by hop:", ""]
    for hop in path["hops"]:
        for cmd in hop["verify"]:
            lines.append(f"- {hop['n']}. {hop['device']} ({hop['platform']}): `{cmd['command']}` — {cmd['expect']}")
    lines.append("")
    return lines


def _where(ep):
    text = f"{ep['kind']} {ep['spec']}"
    if ep.get("node"):
        text += f" on {ep['node']} ({ep['cluster']}, {ep['platform']})"
    if ep.get("network"):
        text += f", network {ep['network']}"
    return text


def markdown(explained) -> str:
    src, dst = explained["from"], explained["to"]
    lines = [f"# Path: {src['spec']} -> {dst['spec']}", "", f"- from: {_where(src)}", f"- to: {_where(dst)}", ""]
    for note in explained["notes"]:
        lines.append(f"- {note}")
    for skip in explained["skipped"]:
        lines.append(f"- IPv{skip['family']}{' ' + skip['direction'] if skip.get('direction') else ''}: "
                     f"not explained: {skip['reason']}")
    lines.append("")
    for path in explained["paths"]:
        lines += path_section(path)
    return "\n".join(lines).rstrip() + "\n"


def summary(explained) -> list:
    """A few lines per path for a terminal: status, the devices crossed, the MTU verdict."""
    lines = []
    for path in explained["paths"]:
        mtu = path["mtu"] or {}
        head = (f"{path['direction']} IPv{path['family']} {path['from']} -> {path['to']}: "
                f"{STATUS.get(path['status'], path['status'])}")
        if path["reason"]:
            head += f" ({path['reason']})"
        lines.append(head)
        crossed = []
        for hop in path["hops"]:
            if not crossed or crossed[-1] != hop["device"]:
                crossed.append(hop["device"])
        lines.append("  " + " > ".join(crossed))
        if mtu:
            lines.append(f"  path MTU {mtu['path_mtu']} of {mtu['sender_mtu']} (bottleneck {mtu['bottleneck']}); "
                         f"{mtu['ping']}")
        if path["undecided"]:
            lines.append(f"  not decided by the model: {'; '.join(path['undecided'])}")
    for skip in explained["skipped"]:
        lines.append(f"IPv{skip['family']} {skip.get('direction', '')}: not explained: {skip['reason']}".replace("  ", " "))
    return lines
