# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Deploy a rendered frr.conf to a running FRR instance, safely and idempotently.

The steps, in order (nothing is touched before step 3):

1. **validate** the candidate with ``vtysh -C -f FILE`` (FRR's own parser, offline);
   a bad line fails the deploy with FRR's message (``line 3: % Unknown command``);
2. **plan** with ``frr-reload.py --test FILE``: the lines FRR would delete and add
   to turn the running config into the candidate. No lines = nothing to do
   (``changed: false``); in check mode we stop here;
3. **save** ``show running-config``, **apply** with ``frr-reload.py --reload FILE``,
   then **re-plan**: a reload that failed, or left lines that still differ, is
   rolled back by reloading the saved running config, and the deploy fails with
   FRR's error text and the lines that did not apply.

An FRR instance is addressed by its *pathspace* (``vtysh -N NAME``,
``frr-reload.py -N NAME``), i.e. the ``-N NAME`` its daemons were started with.
``vtysh`` talks to the daemons over unix sockets under ``/var/run/frr/NAME/``,
so no command here needs to enter a network namespace.

Pure Python with an injected ``runner(argv) -> (rc, stdout, stderr)``; no Ansible
import. :func:`subprocess_runner` is the default for scripts and tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field

__all__ = ["FrrTarget", "DeployError", "Plan", "subprocess_runner", "validate", "running_config",
           "plan", "deploy", "redact"]

DEFAULT_VTYSH = "/usr/bin/vtysh"
DEFAULT_RELOAD = "/usr/lib/frr/frr-reload.py"

# frr.conf lines that are file metadata, never part of a running config, so frr-reload.py would
# list them as "to add" on every run: the version stamp (FRR prints its own full version) and the
# vtysh-only integrated-config switch (it lives in vtysh.conf). They are left out of the plan.
FILE_ONLY_LINES = re.compile(r"^(frr version\b|service integrated-vtysh-config$)")

# Lines FRR prints that are noise, not errors (a pathspace without its own vtysh.conf).
_NOISE = re.compile(r"^% Can't open configuration file .*vtysh\.conf")
_SECRET = re.compile(r"^(\s*(?:neighbor\s+\S+\s+password|.*\bauthentication[- ]key(?:\s+\d+\s+\S+)?|"
                     r".*\bmessage-digest-key\s+\d+\s+md5)\s+)(\S+)(.*)$")


class DeployError(Exception):
    """A deploy step failed; ``str()`` is FRR's own error text, ``details`` the structured result."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.details = details or {}


@dataclass(frozen=True)
class FrrTarget:
    """How to reach one FRR instance: its pathspace and the tools' paths."""

    pathspace: str = ""
    vtysh: str = DEFAULT_VTYSH
    reload: str = DEFAULT_RELOAD
    python: str = ""          # interpreter for frr-reload.py ('' = run it directly)

    def vtysh_argv(self, *args):
        argv = [self.vtysh]
        if self.pathspace:
            argv += ["-N", self.pathspace]
        return argv + list(args)

    def reload_argv(self, *args):
        argv = ([self.python] if self.python else []) + [self.reload]
        if self.pathspace:
            argv += ["-N", self.pathspace]
        return argv + list(args)


@dataclass
class Plan:
    """frr-reload.py's view of the difference between running and candidate config."""

    delete: list = field(default_factory=list)
    add: list = field(default_factory=list)

    @property
    def empty(self):
        return not self.delete and not self.add

    def prepared_diff(self):
        """A unified-diff-like text for ``--diff``: ``-`` lines removed, ``+`` lines added."""
        out = [f"- {line}" for line in redact(self.delete)] + [f"+ {line}" for line in redact(self.add)]
        return "\n".join(out) + ("\n" if out else "")


def subprocess_runner(argv, data=None):
    proc = subprocess.run(argv, input=data, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def _clean(text):
    return "\n".join(line for line in (text or "").splitlines() if line.strip() and not _NOISE.match(line))


def redact(lines):
    """Mask secrets (BGP passwords, auth keys) in config lines shown to people."""
    out = []
    for line in lines:
        m = _SECRET.match(line)
        out.append(f"{m.group(1)}********{m.group(3)}" if m else line)
    return out


def _with_file(text, func):
    fd, path = tempfile.mkstemp(prefix="dcnet-frr-", suffix=".conf")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        os.chmod(path, 0o600)   # may hold BGP passwords
        return func(path)
    finally:
        os.unlink(path)


def validate(target, config_text, runner=subprocess_runner):
    """Return FRR's complaints about the candidate (empty list = valid). Touches nothing."""
    def run(path):
        rc, out, err = runner(target.vtysh_argv("-C", "-f", path))
        if rc == 0:
            return []
        lines = [line for line in (_clean(out) + "\n" + _clean(err)).splitlines() if line.strip()]
        return lines or [f"vtysh -C exited {rc} without a message"]
    return _with_file(config_text, run)


def running_config(target, runner=subprocess_runner):
    rc, out, err = runner(target.vtysh_argv("-c", "show running-config"))
    if rc != 0:
        raise DeployError(f"cannot read the running config{_where(target)}: {_clean(err) or _clean(out)}")
    lines = out.splitlines()
    # Drop vtysh's banner ("Building configuration...", "Current configuration:").
    while lines and (not lines[0].strip() or lines[0].startswith(("Building configuration", "Current configuration"))):
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _where(target):
    return f" of FRR instance {target.pathspace}" if target.pathspace else ""


def parse_plan(text):
    """Parse ``frr-reload.py --test`` output into a :class:`Plan`."""
    result, section = Plan(), None
    for line in text.splitlines():
        head = line.strip()
        if head == "Lines To Delete":
            section = result.delete
            continue
        if head == "Lines To Add":
            section = result.add
            continue
        if not head or set(head) == {"="} or section is None:
            continue
        if FILE_ONLY_LINES.match(line.strip()) and line == line.lstrip():
            continue
        section.append(line.rstrip())
    return result


def plan(target, config_path, runner=subprocess_runner):
    rc, out, err = runner(target.reload_argv("--test", config_path))
    if rc != 0:
        raise DeployError(f"frr-reload.py --test failed{_where(target)}: {_errors(err) or _clean(out)}")
    return parse_plan(out)


def _errors(text):
    """The lines of frr-reload/vtysh output that report a problem (not INFO chatter)."""
    keep = [line for line in _clean(text).splitlines()
            if not re.search(r"\bINFO:", line) and line.strip() not in ("[", "]")]
    return "\n".join(keep[-20:])


def deploy(target, config_text, check_mode=False, runner=subprocess_runner):
    """Validate, plan and (unless check_mode) apply; returns a result dict.

    Keys: changed, plan {delete, add}, diff (prepared text), applied (bool),
    validation (list). Raises :class:`DeployError` with FRR's text on failure,
    after restoring the previous running config when anything was applied.
    """
    problems = validate(target, config_text, runner)
    if problems:
        raise DeployError("candidate config rejected by vtysh -C (nothing was changed):\n" + "\n".join(problems),
                          {"validation": problems})

    def run(path):
        before = plan(target, path, runner)
        result = {"changed": not before.empty, "plan": {"delete": redact(before.delete), "add": redact(before.add)},
                  "diff": before.prepared_diff(), "applied": False, "validation": []}
        if before.empty or check_mode:
            return result
        saved = running_config(target, runner)
        rc, out, err = runner(target.reload_argv("--reload", path))
        if rc != 0:
            reason = f"frr-reload.py --reload exited {rc}: {_errors(err) or _clean(out)}"
            restored = _restore(target, saved, runner)
            raise DeployError(f"deploy{_where(target)} failed and was rolled back ({restored}):\n{reason}",
                              {"plan": result["plan"], "restored": restored})
        result["applied"] = True
        after = plan(target, path, runner)
        if not after.empty:
            # Applied, but FRR shows some lines differently from the candidate (defaults it omits,
            # lines it splits): every later run would report a change. Not rolled back.
            raise DeployError(
                f"config applied{_where(target)}, but FRR shows these lines differently from the candidate, so the "
                "deploy is not idempotent (render them as 'show running-config' prints them):\n"
                + after.prepared_diff().rstrip(), {"plan": result["plan"], "applied": True,
                                                   "residual": {"delete": redact(after.delete),
                                                                "add": redact(after.add)}})
        return result
    return _with_file(config_text, run)


def _restore(target, saved, runner):
    def run(path):
        rc, out, err = runner(target.reload_argv("--reload", path))
        if rc != 0:
            return f"restore FAILED: {_errors(err) or _clean(out)}"
        left = plan(target, path, runner)
        return "previous running config restored" if left.empty else (
            "restore incomplete, still differing: " + "; ".join(left.delete + left.add))
    return _with_file(saved, run)
