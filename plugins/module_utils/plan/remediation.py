# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Device commands of a switch phase: the minimal change from the old rendered config to the new one.

The plan decides *what* changes and *when* from the designs; text diffs only turn
the two rendered configs of one device into the commands of its step:

* EOS and NX-OS: hier_config (PyPI ``hier-config``) computes the remediation
  (old -> new) and the rollback (new -> old) with the platform's own rules
  (negation, sectional exits, order weights).  Its 3.x API
  (``get_hconfig`` + ``WorkflowRemediation``) is used when installed, else the
  2.x ``Host`` API (ciscoconfparse2, which the drift reader uses, pins 2.x).
* FRR: ``frr-reload.py --test --input OLD NEW`` (Debian frr-pythontools), the
  very diff an FRR reload applies; rollback is the same run the other way.
  frr-reload.py is loaded once and its own functions (``Config``,
  ``compare_context_objects``, ``lines_to_config``) run in this process: a
  Python process per diff cost more than the diff.  Where the installed script
  lacks them, it runs as a process as before.
  The ifupdown2 file (bridge VLANs, bonds, SVIs) is compared stanza by stanza:
  its changed stanzas are applied with ``ifreload -a``.

Nothing here talks to a device.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import logging
import os
import re
import subprocess
import tempfile
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

from .. import platforms
from ..deploy import frr as frr_deploy

FRR_RELOAD = frr_deploy.DEFAULT_RELOAD


class RemediationError(Exception):
    """A tool the remediation needs is missing or failed (the message says which and how to fix it)."""


# Lines that replace their previous value in place on EOS and NX-OS: negating first would open a window
# (``no switchport trunk allowed vlan`` allows every VLAN until the new list is in).
IDEMPOTENT = (("interface", "switchport trunk allowed vlan"), ("interface", "switchport trunk native vlan"),
              ("interface", "mtu"), ("interface", "description"))


def _hier_lines(platform: str, running: str, intended: str) -> tuple:
    """(remediation lines, rollback lines) with hier_config, whichever major version is installed."""
    try:
        import hier_config  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise RemediationError("the Python package hier-config is missing on the controller "
                               "(pip install -r requirements.txt)") from exc
    legacy, enum_name = platforms.get(platform).hier_config
    if hasattr(hier_config, "WorkflowRemediation"):   # hier_config >= 3
        from hier_config.models import IdempotentCommandsRule, MatchRule  # pylint: disable=import-outside-toplevel
        driver = hier_config.get_hconfig_driver(getattr(hier_config.Platform, enum_name))
        driver.rules.idempotent_commands.extend(
            IdempotentCommandsRule(match_rules=tuple(MatchRule(startswith=p) for p in rule)) for rule in IDEMPOTENT)
        flow = hier_config.WorkflowRemediation(hier_config.get_hconfig(driver, running),
                                               hier_config.get_hconfig(driver, intended))
        remediation, rollback = flow.remediation_config, flow.rollback_config
    else:                                             # hier_config 2.x
        from hier_config.options import options_for  # pylint: disable=import-outside-toplevel
        options = dict(options_for(legacy))
        options["idempotent_commands"] = list(options.get("idempotent_commands") or []) + [
            {"lineage": [{"startswith": p} for p in rule]} for rule in IDEMPOTENT]
        host = hier_config.Host(hostname="device", os=legacy, hconfig_options=options)
        host.load_running_config(running)
        host.load_generated_config(intended)
        remediation, rollback = host.remediation_config(), host.rollback_config()
    return ([line.cisco_style_text() for line in remediation.all_children_sorted()],
            [line.cisco_style_text() for line in rollback.all_children_sorted()])


_BLOCK = re.compile(r"\n(?=(?!exit\b|end\b|exit-)[^\s!])")   # a line at column 0 starts a block (not exit/end/!)


def _blocks(text: str) -> list:
    """Top-level blocks of a config (a line at column 0 and the indented, comment and exit lines under it)."""
    return [b for b in _BLOCK.split(text.strip("\n")) if b.strip() and not b.startswith("!")]


def changed_blocks(running: str, intended: str) -> tuple:
    """Both texts without the top-level blocks they share, the ``frr ...`` header lines kept.

    The remediation of a block depends on that block only, so dropping the equal ones
    changes nothing in the result and makes the diff cost the size of the change.
    """
    old, new = _blocks(running), _blocks(intended)
    common = {}
    for block in old:
        common[block] = common.get(block, 0) + 1
    shared = {}
    for block in new:
        if common.get(block, 0) > shared.get(block, 0):
            shared[block] = shared.get(block, 0) + 1

    def keep(blocks):
        seen, out = {}, []
        for block in blocks:
            if block.startswith("frr "):
                out.append(block)
            elif seen.get(block, 0) < shared.get(block, 0):
                seen[block] = seen.get(block, 0) + 1
            else:
                out.append(block)
        return "\n".join(out) + ("\n" if out else "")
    return keep(old), keep(new)


_RELOAD_MODULES = {}
_RELOAD_LOCK = threading.Lock()
_RELOAD_API = ("Vtysh", "Config", "VtyshException", "compare_context_objects", "lines_to_config")


def _reload_module(reload_path: str):
    """frr-reload.py loaded as a module (once per path), or None when it lacks the functions used here."""
    with _RELOAD_LOCK:
        if reload_path not in _RELOAD_MODULES:
            module = None
            try:
                loader = importlib.machinery.SourceFileLoader("dcnet_frr_reload", reload_path)
                spec = importlib.util.spec_from_loader("dcnet_frr_reload", loader)
                module = importlib.util.module_from_spec(spec)
                with warnings.catch_warnings():   # its regular expressions use escapes Python 3.12 warns about
                    warnings.simplefilter("ignore", DeprecationWarning)
                    warnings.simplefilter("ignore", SyntaxWarning)
                    loader.exec_module(module)
            except (ImportError, OSError, SyntaxError):
                module = None
            if module is not None and not all(hasattr(module, name) for name in _RELOAD_API):
                module = None
            if module is not None and hasattr(module, "log"):
                module.log.setLevel(logging.CRITICAL)   # as --log-level error: its failures raise here
            _RELOAD_MODULES[reload_path] = module
        return _RELOAD_MODULES[reload_path]


def _reload_test_output(module, running_path: str, intended_path: str, confdir: str) -> str:
    """What ``frr-reload.py --test --input RUNNING INTENDED`` prints, computed by the script's own functions."""
    vtysh = module.Vtysh("/usr/bin", confdir, None, None)
    newconf, running = module.Config(vtysh), module.Config(vtysh)
    try:
        newconf.load_from_file(intended_path)
        running.load_from_file(running_path)
    except module.VtyshException as exc:
        raise RemediationError(f"vtysh refused a configuration: {exc}") from exc
    lines_to_add, lines_to_del = module.compare_context_objects(newconf, running)
    out = io.StringIO()
    for title, found, delete in (("Lines To Delete", lines_to_del, True), ("Lines To Add", lines_to_add, False)):
        if found:
            out.write(f"\n{title}\n{'=' * len(title)}\n")
        for ctx_keys, line in found:
            if line != "!":
                out.write("\n".join(module.lines_to_config(ctx_keys, line, delete)) + "\n")
    return out.getvalue()


def _frr_reload_diff(running: str, intended: str, reload_path: str = FRR_RELOAD) -> tuple:
    """(lines to delete, lines to add) as ``frr-reload.py --test --input`` reports them."""
    if not os.path.exists(reload_path):
        raise RemediationError(f"{reload_path} is missing (install the Debian package frr-pythontools)")
    module = _reload_module(reload_path)
    with tempfile.TemporaryDirectory(prefix="dcnet-plan-") as tmp:
        old, new = os.path.join(tmp, "running.conf"), os.path.join(tmp, "intended.conf")
        for path, text in ((old, running), (new, intended)):
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") else text + "\n")
        if module is not None:
            output = _reload_test_output(module, old, new, tmp)
        else:
            proc = subprocess.run(["python3", reload_path, "--test", "--input", old, new, "--confdir", tmp,
                                   "--rundir", tmp, "--log-level", "error"],
                                  capture_output=True, text=True, check=False, timeout=120)
            if proc.returncode != 0:
                raise RemediationError(f"frr-reload.py --test failed: {(proc.stderr or proc.stdout).strip()[-400:]}")
            output = proc.stdout
    found = frr_deploy.parse_plan(output)

    def keep(lines):
        return [ln for ln in lines if not frr_deploy.FILE_ONLY_LINES.match(ln.strip())]
    return keep(found.delete), keep(found.add)


def _stanzas(text: str) -> dict:
    """ifupdown2 text -> {"auto x"/"iface x": stanza text}."""
    out, head, body = {}, None, []
    for line in text.splitlines():
        if line.startswith(("auto ", "iface ")):
            if head and line.startswith("iface ") and head == "auto " + line.split()[1]:
                out[head] = "\n".join(body)
                head, body = None, []
            elif head:
                out[head] = "\n".join(body)
                head, body = None, []
            head, body = line.strip(), [line]
        elif head:
            if line.strip():
                body.append(line)
    if head:
        out[head] = "\n".join(body)
    return out


def interfaces_delta(running: str, intended: str) -> tuple:
    """(stanzas to remove or replace, stanzas to write) of two ifupdown2 files, by interface."""
    old, new = _stanzas(running), _stanzas(intended)
    remove = [old[k] for k in old if k not in new or old[k] != new[k]]
    write = [new[k] for k in new if k not in old or old[k] != new[k]]
    return remove, write


def _tree(text: str) -> list:
    """Indented config text -> [(line, children)] (comment and empty lines dropped)."""
    root = []
    stack = [(-1, root)]
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("!"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        while stack and indent <= stack[-1][0]:
            stack.pop()
        node = (line, [])
        stack[-1][1].append(node)
        stack.append((indent, node[1]))
    return root


def _prune(old: list, new: list) -> tuple:
    """Both trees without the subtrees they share; a parent both sides have is kept for its changed children."""
    old_by, new_by = {}, {}
    for line, kids in old:
        old_by.setdefault(line, []).append(kids)
    for line, kids in new:
        new_by.setdefault(line, []).append(kids)
    if any(len(v) > 1 for v in old_by.values()) or any(len(v) > 1 for v in new_by.values()):
        return old, new   # repeated lines at one level: keep everything, hier_config sorts it out
    keep_old, keep_new = [], []
    for line, kids in old:
        if line not in new_by:
            keep_old.append((line, kids))
        elif new_by[line][0] != kids:
            sub_old, sub_new = _prune(kids, new_by[line][0])
            keep_old.append((line, sub_old))
    for line, kids in new:
        if line not in old_by:
            keep_new.append((line, kids))
        elif old_by[line][0] != kids:
            sub_old, sub_new = _prune(old_by[line][0], kids)
            keep_new.append((line, sub_new))
    return keep_old, keep_new


def _emit(nodes: list, out=None) -> list:
    out = [] if out is None else out
    for line, kids in nodes:
        out.append(line)
        _emit(kids, out)
    return out


def changed_lines(running: str, intended: str) -> tuple:
    """EOS/NX-OS: both texts cut down to the lines under which they differ (recursive ``changed_blocks``).

    hier_config's remediation of a line depends on its own subtree and its parents only,
    so the cut gives the same commands as the whole configs, at the cost of the change.
    """
    running, intended = changed_blocks(running, intended)
    old, new = _prune(_tree(running), _tree(intended))
    return "\n".join(_emit(old)) + "\n", "\n".join(_emit(new)) + "\n"


_CACHE = {}


def prefetch_frr(pairs, reload_path: str = FRR_RELOAD, workers: int = 4) -> None:
    """Run the frr-reload diffs of ``pairs`` ([(old text, new text)], both directions) side by side.

    Each diff is a process of its own (Python + vtysh start-up); they wait on each
    other's output, not on one core, so a few at a time cut the wall time.
    """
    todo = []
    for old, new in pairs:
        old_cfg, new_cfg = changed_blocks(old, new)
        for a, b in ((old_cfg, new_cfg), (new_cfg, old_cfg)):
            key = ("reload", a, b)
            if key not in _CACHE and key not in {t[0] for t in todo}:
                todo.append((key, a, b))
    if not todo:
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        for (key, _a, _b), result in zip(todo, pool.map(lambda t: _frr_reload_diff(t[1], t[2], reload_path), todo)):
            _CACHE[key] = result


def _cached(key, compute):
    if key not in _CACHE:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = compute()
    return _CACHE[key]


def device_commands(platform: str, old_files: dict, new_files: dict, reload_path: str = FRR_RELOAD) -> dict:
    """{commands, rollback, tool, apply}: the step of one switch from its old and new rendered files.

    ``old_files``/``new_files`` are {suffix: text} as the switch renderer returns them
    ({} for a switch that is added or removed).  Equal blocks are left out first
    (``changed_blocks``), and equal changes on several devices are computed once.
    """
    if platforms.get(platform).hier_config:
        old_cfg, new_cfg = changed_lines(old_files.get("cfg", ""), new_files.get("cfg", ""))
        commands, rollback = _cached(("hier", platform, old_cfg, new_cfg),
                                     lambda: _hier_lines(platform, old_cfg, new_cfg))
        return {"tool": "hier_config", "commands": commands, "rollback": rollback,
                "apply": f"a configuration session with these lines, committed at once ({platform}_config)"}
    old_cfg, new_cfg = changed_blocks(old_files.get("cfg", ""), new_files.get("cfg", ""))
    delete, add = _cached(("reload", old_cfg, new_cfg), lambda: _frr_reload_diff(old_cfg, new_cfg, reload_path))
    back_delete, back_add = _cached(("reload", new_cfg, old_cfg),
                                    lambda: _frr_reload_diff(new_cfg, old_cfg, reload_path))
    # frr-reload prints both sections as vtysh input: the deletions already negated, under their context line
    out = {"tool": "frr-reload.py", "commands": delete + add, "rollback": back_delete + back_add,
           "frr_delete": delete, "frr_add": add,
           "apply": "frr-reload.py --reload with the new frr.conf (dcnet.fabric.frr_deploy)"}
    if "interfaces" in old_files or "interfaces" in new_files:
        remove, write = interfaces_delta(old_files.get("interfaces", ""), new_files.get("interfaces", ""))
        if remove or write:
            out["interfaces"] = {"replace": remove, "write": write,
                                 "apply": "write the new /etc/network/interfaces, then ifreload -a"}
    return out
