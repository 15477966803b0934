"""A hostile inventory through ansible-playbook: refused within seconds and bounded memory, before templating.

Ansible loads YAML aliases as shared references and templates variables only when a
task asks: the render action measures the raw dcnet_* variables (and the variables
their templates name) before it templates anything.  Without that guard the first
case below ran for minutes and grew past 800 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from .harness import ROOT

PLAYBOOK = os.path.join(ROOT, "playbooks", "validate.yml")
DRIFT = os.path.join(ROOT, "playbooks", "drift.yml")
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
SECONDS = 30           # ansible-playbook itself starts in ~1 s here; the refusal adds milliseconds
MAX_RSS_MB = 400       # the largest process of the run (a clean small site peaks near 70 MB)
# Runs the playbook under an address-space cap and prints the peak RSS of every process it waited for.
WRAPPER = """
import resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(proc.stdout + proc.stderr)
sys.stdout.write("\\nMAXRSS_KB=%d RC=%d\\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, proc.returncode))
"""

LAUGHS = "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]\n" for i in range(1, 9))

CASES = {
    "billion_laughs": ("x0: &x0 lol\n" + LAUGHS + "dcnet_waivers: *x8\n", "LIMIT003",
                       "dcnet_waivers expands to 111,111,111 values"),
    "laughs_through_a_template": ("x0: &x0 lol\n" + LAUGHS + "dcnet_waivers:\n  - {rule: BOND003, path: '{{ x8 }}', "
                                  "reason: r, expires: '2030-01-01'}\n", "LIMIT003", "x8 expands to 111,111,111 values"),
    "nested_500_deep": ("dcnet_site:\n  name: small\n  description: " + "[" * 500 + "1" + "]" * 500 + "\n",
                        "LIMIT001", "site.description[0]"),
    "recursive_alias": ("dcnet_site:\n  name: small\n  description: &r [1, *r]\n", "LIMIT004", "contains itself"),
}


@pytest.fixture(name="inventory")
def _inventory(tmp_path):
    if not os.path.exists(ANSIBLE):
        pytest.skip("ansible-playbook is not installed in this interpreter's environment")
    dest = tmp_path / "inventory"
    shutil.copytree(os.path.join(ROOT, "examples", "small", "inventory"), dest)
    return dest


def _run(inventory, build, playbook=PLAYBOOK, extra=()):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".collections"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_FORCE_COLOR="0", ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default")
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", WRAPPER, ANSIBLE, "-i", str(inventory), playbook,
                               "-e", f"render_build_dir={build}", *extra],
                              capture_output=True, text=True, env=env, timeout=3 * SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ansible-playbook still running after {3 * SECONDS} s")
    return proc.stdout + proc.stderr, time.monotonic() - started


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_inventory_is_refused_fast(case, inventory, tmp_path):
    text, rule, message = CASES[case]
    (inventory / "group_vars" / "all" / "zz_hostile.yml").write_text(text, encoding="utf-8")
    out, seconds = _run(inventory, tmp_path / "build")
    tail = out.rsplit("MAXRSS_KB=", 1)[1].split()
    rss_mb, code = int(tail[0]) // 1024, int(tail[1].split("=")[1])
    assert code != 0, out
    assert "refused before templating" in out and rule in out and message in out, out
    assert seconds < SECONDS, (seconds, out)
    assert rss_mb < MAX_RSS_MB, (rss_mb, out)
    assert "Recursive loop detected" not in out and "Traceback" not in out


def test_findings_are_returned_to_ansible(inventory, tmp_path):
    (inventory / "group_vars" / "all" / "zz_hostile.yml").write_text(CASES["recursive_alias"][0], encoding="utf-8")
    out = _run(inventory, tmp_path / "build")[0]
    line = next(x for x in out.splitlines() if x.startswith("fatal: [localhost]: FAILED! => "))
    result = json.loads(line.split(" => ", 1)[1])
    assert [(f["rule"], f["path"]) for f in result["findings"]] == [("LIMIT004", "site.description[1]")]
    assert not (tmp_path / "build").exists()   # refused before the engine ran: nothing written


def test_drift_measures_like_render(inventory, tmp_path):
    """The drift action shares render's guard: an alias chain a template names is refused, not templated."""
    text, rule, message = CASES["laughs_through_a_template"]
    (inventory / "group_vars" / "all" / "zz_hostile.yml").write_text(text, encoding="utf-8")
    running = tmp_path / "running"
    running.mkdir()
    out, seconds = _run(inventory, tmp_path / "build", DRIFT, ("-e", f"drift_running_dir={running}"))
    assert "refused before templating" in out and rule in out and message in out, out
    assert seconds < SECONDS, (seconds, out)
    assert "Traceback" not in out
