# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""The FRR lab for examples/small, end to end (``make lab``).

render -> namespaces, veths, FRR per switch -> deploy in check mode (diff, nothing changes) ->
deploy -> deploy again (changed=0) -> fabric_state (must pass) -> a config FRR rejects (nothing
changes) -> a config whose reload fails (rolled back) -> a wrong peer AS (fabric_state must fail,
naming it) -> the good config again (passes) -> failure tests (spine link down; silent failure
only BFD sees), timed -> MTU probe over VXLAN -> LACP between OVS host bonds and the leaf
pair -> teardown, always, and a check that nothing is
left. Ansible does the deploying and checking (tests/lab/playbooks/*.yml with the frr_deploy role
and the fabric_state module); this script builds the lab and keeps score.

Results: printed, and written to build/lab/results.json and results.md; ``--record`` also
rewrites the results block of docs/lab.md. ``--teardown STATE`` removes a lab left by a killed run.
Exit status 0 when every step passed, 1 otherwise, 2 when this machine cannot run the lab.
"""

from __future__ import annotations

import argparse
import atexit
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COLLECTIONS = os.path.join(ROOT, ".collections")
sys.path.insert(0, HERE)
_LINK = os.path.join(COLLECTIONS, "ansible_collections", "dcnet", "fabric")
if not os.path.exists(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    os.symlink(os.path.relpath(ROOT, os.path.dirname(_LINK)), _LINK)
sys.path.insert(0, COLLECTIONS)

import fabric_lab  # noqa: E402
import handwritten  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils import mtu as mtu_math  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.deploy import frr  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.state import frr_state  # noqa: E402

RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
DOC = os.path.join(ROOT, "docs", "lab.md")
BEGIN, END = "<!-- lab-results:begin -->", "<!-- lab-results:end -->"


class Score:
    def __init__(self):
        self.steps = []
        self.t0 = time.monotonic()

    def add(self, name, ok, detail="", **data):
        elapsed = round(time.monotonic() - self.t0, 1)
        self.steps.append({"step": name, "ok": bool(ok), "detail": detail, "at_s": elapsed, **data})
        print(f"[{elapsed:6.1f}s] {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    @property
    def ok(self):
        return all(s["ok"] for s in self.steps)


def playbook(name, inventory, *extra, env=None):
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
            os.path.join(HERE, "playbooks", name), *extra]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False, timeout=300)
    recap = {m.group(1): {"ok": int(m.group(2)), "changed": int(m.group(3)), "failed": int(m.group(5))}
             for m in RECAP.finditer(proc.stdout)}
    proc.recap = recap
    return proc


def ansible_env(workdir):
    env = dict(os.environ)
    env.update({"ANSIBLE_COLLECTIONS_PATH": COLLECTIONS, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "tmp"),
                "ANSIBLE_HOME": os.path.join(workdir, "ansible-home"), "ANSIBLE_RETRY_FILES_ENABLED": "false"})
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def write_inventory(path, devices, state_file):
    lines = ["all:", "  vars:", "    ansible_connection: local", f"    ansible_python_interpreter: {sys.executable}",
             f"    dcnet_lab_state: {state_file}", "  hosts:", "    localhost: {}", "  children:",
             "    dcnet_lab_switches:", "      hosts:"]
    lines += [f"        {d}: {{}}" for d in sorted(devices)]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def render_site(site, build, env):
    """``ansible-playbook playbooks/render.yml`` of examples/<site> into ``build`` (the completed process)."""
    return subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i",
                           os.path.join(ROOT, "examples", site, "inventory"),
                           os.path.join(ROOT, "playbooks", "render.yml"), "-e", f"render_build_dir={build}"],
                          capture_output=True, text=True, env=env, check=False)


def switch_configs(choice, site_dir, workdir, switches):
    """(source, {device: config path}): the rendered configs, or the hand-written underlay ones written to ``workdir``.

    ``choice`` auto takes the rendered configs when every switch has one.
    """
    rendered = all(os.path.exists(os.path.join(site_dir, "switches", f"{d}.cfg")) for d in switches)
    source = choice if choice != "auto" else ("rendered" if rendered else "handwritten")
    configs = {}
    for device in sorted(switches):
        if source == "rendered":
            configs[device] = os.path.join(site_dir, "switches", f"{device}.cfg")
        else:
            configs[device] = os.path.join(workdir, f"{device}.handwritten.cfg")
            with open(configs[device], "w", encoding="utf-8") as handle:
                handle.write(handwritten.underlay_config(switches[device]))
    return source, configs


def running(ns_by_device):
    return {d: frr.running_config(frr.FrrTarget(pathspace=ns)) for d, ns in sorted(ns_by_device.items())}


def tail(text, n=12):
    return "\n".join(text.strip().splitlines()[-n:])


def task_msg(stdout):
    """The msg of the failed task in ansible-playbook's default output."""
    m = re.search(r'"msg": "((?:[^"\\]|\\.)*)"', stdout)
    return json.loads(f'"{m.group(1)}"') if m else tail(stdout)


def run(args):
    score = Score()
    site, build = args.site, os.path.join(ROOT, "build")
    site_dir = os.path.join(build, site)
    prefix = args.prefix or f"dcnet-lab-{os.getpid()}"
    workdir = os.path.join(build, "lab", prefix)
    os.makedirs(workdir, exist_ok=True)
    env = ansible_env(workdir)
    state_file = os.path.join(workdir, "state.json")

    def cleanup():
        problems = fabric_lab.teardown(state_file)
        for p in problems:
            print(f"teardown problem: {p}", file=sys.stderr)
    atexit.register(cleanup)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))

    results = {"site": site, "prefix": prefix}
    try:
        if not args.skip_render:
            proc = render_site(site, build, env)
            if not score.add("render the site", proc.returncode == 0, "" if proc.returncode == 0 else tail(proc.stdout)):
                return score, results
        switches = fabric_lab.load_structured(os.path.join(site_dir, "structured"))
        source, configs = switch_configs(args.configs, site_dir, workdir, switches)
        if source != "rendered":
            print("NOTE: using the hand-written underlay configs of tests/lab/handwritten.py, not rendered ones")
        results["configs"] = source

        lab = fabric_lab.Lab(switches, state_file, prefix=prefix)
        lab.state.update({"build_dir": site_dir, "configs": configs})
        texts = {d: open(p, encoding="utf-8").read() for d, p in configs.items()}
        t = time.monotonic()
        lab.up(texts)
        score.add("namespaces, veth pairs and FRR up", True,
                  f"{len(switches)} switches, {time.monotonic() - t:.1f} s", namespaces=lab.state["namespaces"])
        inventory = os.path.join(workdir, "inventory.yml")
        write_inventory(inventory, switches, state_file)
        devices = lab.state["devices"]

        before = running(devices)
        proc = playbook("deploy.yml", inventory, "--check", "--diff", env=env)
        recap = proc.recap
        after = running(devices)
        changed = sorted(h for h, r in recap.items() if r["changed"])
        score.add("deploy --check --diff: shows the diff, changes nothing",
                  proc.returncode == 0 and changed == sorted(switches) and before == after and "+ router bgp" in proc.stdout,
                  f"would change {changed}; running configs {'unchanged' if before == after else 'CHANGED'}"
                  + ("" if proc.returncode == 0 else "\n" + task_msg(proc.stdout)))

        proc = playbook("deploy.yml", inventory, "--diff", env=env)
        recap = proc.recap
        score.add("deploy", proc.returncode == 0 and all(recap.get(d, {}).get("changed") for d in switches),
                  f"changed: {sorted(h for h, r in recap.items() if r['changed'])}"
                  + ("" if proc.returncode == 0 else "\n" + task_msg(proc.stdout)))
        proc = playbook("deploy.yml", inventory, env=env)
        recap = proc.recap
        n_changed = sum(r["changed"] for r in recap.values())
        score.add("deploy again: changed=0", proc.returncode == 0 and n_changed == 0 and len(recap) == len(switches),
                  f"changed={n_changed}" + ("" if proc.returncode == 0 else "\n" + task_msg(proc.stdout)))

        report = os.path.join(workdir, "state-good.json")
        t = time.monotonic()
        proc = playbook("verify.yml", inventory, "-e", f"dcnet_lab_report={report}", "-e", "dcnet_lab_wait=45",
                        env=env)
        good = json.load(open(report, encoding="utf-8")) if os.path.exists(report) else {}
        results["state_good"] = {"summary": good.get("summary"), "seconds": round(time.monotonic() - t, 1)}
        score.add("fabric_state on the deployed fabric passes", proc.returncode == 0,
                  json.dumps(good.get("summary")) if proc.returncode == 0
                  else "\n".join(good.get("differences", [])[:30]) or task_msg(proc.stdout))

        leaf = sorted(d for d, c in switches.items() if c["role"] == "leaf")[0]
        spine = sorted(d for d, c in switches.items() if c["role"] == "spine")[0]
        spine_asn = switches[spine]["bgp"]["asn"]

        # A config FRR's parser rejects: nothing may change.
        bad = os.path.join(workdir, f"{leaf}.invalid.cfg")
        with open(bad, "w", encoding="utf-8") as handle:
            handle.write(re.sub(r"^( neighbor \S+) remote-as ", r"\1 remote-ass ", texts[leaf], count=1, flags=re.M))
        before = running(devices)
        proc = playbook("deploy.yml", inventory, "--limit", leaf, "-e",
                        json.dumps({"dcnet_lab_configs": {leaf: bad}}), env=env)
        msg = task_msg(proc.stdout)
        score.add("invalid config: fails with FRR's message, running config unchanged",
                  proc.returncode != 0 and "Unknown command" in msg and running(devices) == before,
                  msg.splitlines()[1] if len(msg.splitlines()) > 1 else msg)
        results["invalid_config_message"] = msg

        # A config that parses but that bgpd refuses during the reload: rolled back.
        spine_text = texts[spine]
        m = re.search(r"^ neighbor (\S+) peer-group (\S+)$", spine_text, re.M)
        if m and re.search(rf"^ neighbor {re.escape(m.group(2))} remote-as external$", spine_text, re.M):
            bad = os.path.join(workdir, f"{spine}.reload-fails.cfg")
            with open(bad, "w", encoding="utf-8") as handle:
                handle.write(spine_text.replace(m.group(0), m.group(0) + f"\n neighbor {m.group(1)} remote-as 64999", 1))
            before = running(devices)
            proc = playbook("deploy.yml", inventory, "--limit", spine, "-e",
                            json.dumps({"dcnet_lab_configs": {spine: bad}}), env=env)
            msg = task_msg(proc.stdout)
            score.add("reload failure: rolled back, fails with FRR's text",
                      proc.returncode != 0 and "previous running config restored" in msg and running(devices) == before,
                      msg.splitlines()[0] + " | " + (msg.splitlines()[1] if len(msg.splitlines()) > 1 else ""))
            results["reload_failure_message"] = msg
        else:
            score.add("reload failure: rolled back", True, "skipped: no peer group with remote-as external in "
                      f"{spine}'s config to provoke a bgpd refusal")

        # A wrong peer AS: deploys fine, the state check must name it.
        wrong = os.path.join(workdir, f"{leaf}.wrong-peer-as.cfg")
        wrong_text, n = re.subn(rf"^( neighbor \S+ remote-as ){spine_asn}$", rf"\g<1>{spine_asn + 1}", texts[leaf],
                                flags=re.M)
        with open(wrong, "w", encoding="utf-8") as handle:
            handle.write(wrong_text)
        proc = playbook("deploy.yml", inventory, "--limit", leaf, "-e",
                        json.dumps({"dcnet_lab_configs": {leaf: wrong}}), env=env)
        ok_deploy = proc.returncode == 0 and n > 0
        time.sleep(3)
        report = os.path.join(workdir, "state-wrong-as.json")
        proc = playbook("verify.yml", inventory, "-e", f"dcnet_lab_report={report}", "-e", "dcnet_lab_wait=0",
                        env=env)
        broken = json.load(open(report, encoding="utf-8")) if os.path.exists(report) else {}
        diffs = broken.get("differences", [])
        named = [d for d in diffs if d.startswith(f"{leaf}: bgp_session") and f"remote AS {spine_asn + 1}" in d]
        results["state_wrong_peer_as"] = {"summary": broken.get("summary"), "differences": diffs}
        score.add(f"wrong peer AS on {leaf}: fabric_state fails naming it",
                  ok_deploy and proc.returncode != 0 and len(named) > 0,
                  f"{len(diffs)} differences, e.g. {named[0] if named else (diffs or ['none'])[0]}")

        proc = playbook("deploy.yml", inventory, "--limit", leaf, env=env)
        report = os.path.join(workdir, "state-restored.json")
        first_ok = results["state_good"]["summary"] is not None and not good.get("differences")
        proc2 = playbook("verify.yml", inventory, "-e", f"dcnet_lab_report={report}", "-e",
                         f"dcnet_lab_wait={45 if first_ok else 5}",
                         env=env)
        score.add("good config again: fabric_state passes", proc.returncode == 0 and proc2.returncode == 0,
                  "" if proc2.returncode == 0 else "\n".join(json.load(open(report)).get("differences", [])[:20]))

        # Failure tests.
        expected = frr_state.expected_state(switches)
        results["failover"] = []
        fabric_ok = proc.returncode == 0 and proc2.returncode == 0
        if not fabric_ok:
            score.add("failover tests", False, "not run: the fabric did not pass fabric_state")
        for how in ("link-down", "silent") if fabric_ok else ():
            try:
                res = fabric_lab.failover(lab, leaf, spine, expected[leaf]["routes"], how=how)
            except fabric_lab.LabError as exc:
                score.add(f"failover ({how})", False, str(exc))
                continue
            results["failover"].append(res)
            score.add(f"failover ({how}): {leaf} converged on the remaining spine",
                      res["converged_ms"] is not None and res["restored_ms"] is not None,
                      f"{res['converged_ms']} ms after {spine}:{res['spine_interface']} "
                      f"{'went down' if how == 'link-down' else 'went silent'} ({res['routes_watched']} routes, "
                      f"{res['ecmp_routes']} ECMP; BFD diagnostic {', '.join(res['bfd_diagnostic']) or '-'}); "
                      f"restored in {res['restored_ms']} ms")
            playbook("verify.yml", inventory, "-e", "dcnet_lab_wait=45", env=env)

        # MTU probe.
        link = switches[leaf]["fabric_links"][0]
        peer_link = next(l for l in switches[link["peer"]]["fabric_links"] if l["interface"] == link["peer_interface"])
        underlay = int(link["mtu"])
        predicted = {4: mtu_math.inner_mtu(underlay, "vxlan", 4), 6: mtu_math.inner_mtu(underlay, "vxlan", 6)}
        svi = next(v["svi"] for v in switches[leaf]["vlans"] if v.get("svi"))
        addresses = {"u4": (link["ipv4"].split("/")[0], peer_link["ipv4"].split("/")[0], link["ipv4"].split("/")[1]),
                     "u6": (link["ipv6"].split("/")[0], peer_link["ipv6"].split("/")[0], link["ipv6"].split("/")[1]),
                     "inner": (None, None, str(ipaddress.ip_interface(svi["ipv4"]).network))}
        probe = fabric_lab.mtu_probe(prefix, underlay, predicted, addresses, os.path.join(workdir, "mtu-state.json"))
        results["mtu_probe"] = probe
        for p in probe:
            what = p.get("what") or f"VXLAN over IPv{p['underlay_family']} underlay"
            score.add(f"MTU probe, {what}", p["ping_ok_passed"] and p["ping_plus_one_failed"],
                      f"underlay {p['underlay_mtu']}, inner {p['predicted_inner_mtu'] or '-'}: ping -M do -s "
                      f"{p['ping_ok_size']} passed={p['ping_ok_passed']}, -s {p['ping_plus_one_size']} "
                      f"failed={p['ping_plus_one_failed']}"
                      + (f", kernel PMTU {p['kernel_learned_pmtu']}" if p.get("kernel_learned_pmtu") else ""))
        # LACP: host bonds (OVS, userspace) against the leaf pair's port-channels.
        reason = fabric_lab.why_no_ovs()
        hosts = sorted({pc["description"].split(":")[0] for c in switches.values()
                        for pc in c.get("port_channels") or [] if pc.get("description")})
        results["lacp"] = []
        if reason:
            score.add("LACP with OVS", True, f"skipped: {reason}")
        for host in hosts if not reason else []:
            res = fabric_lab.lacp_probe(prefix, switches, host, os.path.join(workdir, f"lacp-{host}.json"),
                                        os.path.join(workdir, f"{prefix}-ovs"))
            results["lacp"].append(res)
            score.add(f"LACP: {host} {res['bond']} negotiated with {' + '.join(res['leaves'])}",
                      res["negotiated_ms"] is not None and res["enabled_members"] == sorted(res["members"]),
                      f"{res['lacp_status']} in {res['negotiated_ms']} ms; partner system "
                      f"{sorted({m['partner_sys_id'] for m in res['members'].values()})} (CLAG system MAC "
                      f"{res['expected_system_id']}); members enabled: {', '.join(res['enabled_members'])}")
    except fabric_lab.LabError as exc:
        score.add("lab", False, str(exc))
    finally:
        problems = fabric_lab.teardown(state_file)
        left = fabric_lab.leftovers(prefix)
        score.add("teardown: no namespace, process or FRR directory left", not problems and not left,
                  "; ".join(problems + left))
    return score, results


def up_only(args):
    """Render the site and build the lab; leave it up (recorded in args.up) for playbooks to use."""
    build = os.path.join(ROOT, "build")
    site_dir = os.path.join(build, args.site)
    prefix = args.prefix or f"dcnet-mol-{os.getpid()}"
    workdir = os.path.dirname(os.path.abspath(args.up))
    os.makedirs(workdir, exist_ok=True)
    if not args.skip_render:
        proc = render_site(args.site, build, ansible_env(workdir))
        if proc.returncode != 0:
            print(tail(proc.stdout), file=sys.stderr)
            return 1
    switches = fabric_lab.load_structured(os.path.join(site_dir, "structured"))
    source, configs = switch_configs(args.configs, site_dir, workdir, switches)
    lab = fabric_lab.Lab(switches, args.up, prefix=prefix)
    lab.state.update({"build_dir": site_dir, "configs": configs, "config_source": source})
    try:
        lab.up({d: open(p, encoding="utf-8").read() for d, p in configs.items()})
    except Exception:
        fabric_lab.teardown(args.up)
        raise
    print(json.dumps({"prefix": prefix, "devices": lab.state["devices"], "configs": source}))
    return 0


def write_results(score, results, record):
    out_dir = os.path.join(ROOT, "build", "lab")
    os.makedirs(out_dir, exist_ok=True)
    results["steps"] = score.steps
    results["passed"] = score.ok
    results["seconds"] = round(time.monotonic() - score.t0, 1)
    with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
    md = markdown(results)
    with open(os.path.join(out_dir, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(md)
    if record and os.path.exists(DOC):
        text = open(DOC, encoding="utf-8").read()
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail_ = rest.split(END, 1)[1]
            with open(DOC, "w", encoding="utf-8") as handle:
                handle.write(head + BEGIN + "\n" + md + END + tail_)
    return md


def markdown(results):
    lines = [f"Run of `make lab` on examples/{results['site']} ({results.get('configs', '?')} configs): "
             f"{'all steps passed' if results['passed'] else 'SOME STEPS FAILED'} in {results['seconds']} s.", "",
             "| step | result | detail |", "|---|---|---|"]
    for s in results["steps"]:
        detail = s["detail"].replace("\n", "<br>").replace("|", "\\|")
        lines.append(f"| {s['step']} | {'ok' if s['ok'] else 'FAIL'} | {detail} |")
    if results.get("failover"):
        lines += ["", "| failure | leaf | link | routes watched (ECMP) | converged | BFD diagnostic | restored |",
                  "|---|---|---|---|---|---|---|"]
        for f in results["failover"]:
            lines.append(f"| {f['how']} | {f['leaf']} | {f['spine']}:{f['spine_interface']} - {f['leaf_interface']} | "
                         f"{f['routes_watched']} ({f['ecmp_routes']}) | {f['converged_ms']} ms | "
                         f"{', '.join(f['bfd_diagnostic']) or '-'} | {f['restored_ms']} ms |")
    if results.get("mtu_probe"):
        lines += ["", "| path | underlay MTU | predicted inner MTU | ping -M do -s (passes) | +1 byte | kernel PMTU |",
                  "|---|---|---|---|---|---|"]
        for p in results["mtu_probe"]:
            what = p.get("what") or f"VXLAN, IPv{p['underlay_family']} underlay"
            lines.append(f"| {what} | {p['underlay_mtu']} | {p['predicted_inner_mtu'] or '-'} | "
                         f"{p['ping_ok_size']} ({'passed' if p['ping_ok_passed'] else 'FAILED'}) | "
                         f"{p['ping_plus_one_size']} ({'failed' if p['ping_plus_one_failed'] else 'PASSED'}) | "
                         f"{p.get('kernel_learned_pmtu') or '-'} |")
    if results.get("lacp"):
        lines += ["", "| host bond | leaves | LACP | negotiated | partner system id | member states (partner) |",
                  "|---|---|---|---|---|---|"]
        for r in results["lacp"]:
            states = "; ".join(f"{n}: {m['status']} ({m['partner_state']})" for n, m in sorted(r["members"].items()))
            lines.append(f"| {r['host']} {r['bond']} | {' + '.join(r['leaves'])} | {r['lacp_status']} | "
                         f"{r['negotiated_ms']} ms | {', '.join(sorted({m['partner_sys_id'] for m in r['members'].values()}))} | "
                         f"{states} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--site", default="small", help="example under examples/ (default small)")
    parser.add_argument("--configs", choices=("auto", "rendered", "handwritten"), default="auto",
                        help="switch configs to deploy: rendered build/<site>/switches/*.cfg (auto: when present)")
    parser.add_argument("--prefix", help="namespace name prefix (default dcnet-lab-<pid>)")
    parser.add_argument("--skip-render", action="store_true", help="use the build tree as it is")
    parser.add_argument("--record", action="store_true", help="also rewrite the results block of docs/lab.md")
    parser.add_argument("--teardown", metavar="STATE", help="remove the lab recorded in STATE and exit")
    parser.add_argument("--up", metavar="STATE", help="only render and build the lab (no deploy), record it in "
                        "STATE and exit leaving it running (molecule's create step); remove it with --teardown")
    args = parser.parse_args(argv)
    if args.up:
        reason = fabric_lab.why_not_possible()
        if reason:
            print(f"cannot run the lab here: {reason}", file=sys.stderr)
            return 2
        return up_only(args)
    if args.teardown:
        problems = fabric_lab.teardown(args.teardown)
        print("\n".join(problems) or "removed")
        return 1 if problems else 0
    reason = fabric_lab.why_not_possible()
    if reason:
        print(f"make lab: cannot run here: {reason}", file=sys.stderr)
        return 2
    score, results = run(args)
    md = write_results(score, results, args.record)
    print("\n" + md)
    print(f"lab: {'PASSED' if score.ok else 'FAILED'} ({results['seconds']} s); results in build/lab/results.md")
    return 0 if score.ok else 1


if __name__ == "__main__":
    sys.exit(main())
