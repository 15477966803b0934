"""The EOS, NX-OS and Kubernetes tasks of the deploy role and playbooks, checked against the real modules.

No EOS or NX-OS switch runs here, so these tasks are never executed in CI. What is proven: every
module resolves in the collection versions requirements.yml names (installed from the PyPI
`ansible` package), every argument exists in the module's own argument spec with a valid choice,
the module's own required_if / mutually_exclusive rules hold, and the playbooks pass
ansible-playbook --syntax-check with those collections. What is not proven: that EOS accepts the
config session or NX-OS the config replace of our rendered text (see docs/awx.md).
"""

import ast
import glob
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import install_collections  # noqa: E402

COLLECTIONS = os.path.join(ROOT, ".collections")
CHECKED = ("arista.eos.", "cisco.nxos.", "kubernetes.core.", "ansible.windows.")


@pytest.fixture(scope="module")
def collections():
    try:
        install_collections.install(os.path.join(ROOT, "requirements.yml"), COLLECTIONS)
    except (install_collections.InstallError, OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot install the collections of requirements.yml from the PyPI ansible package: {exc}")
    return os.path.join(COLLECTIONS, "ansible_collections")


def _tasks():
    out = []
    files = glob.glob(os.path.join(ROOT, "roles", "*", "tasks", "*.yml")) + glob.glob(
        os.path.join(ROOT, "playbooks", "*.yml"))

    def walk(items, where):
        for task in items or []:
            if not isinstance(task, dict):
                continue
            for key in ("block", "rescue", "always", "tasks"):
                walk(task.get(key), where)
            for key, value in task.items():
                if key.startswith(CHECKED):
                    out.append((where, task.get("name"), key, value or {}))
    for path in sorted(files):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or []
        walk(data, os.path.relpath(path, ROOT))
    return out


def _fragment_options(collections, fragment):
    """Options a doc fragment adds ('ns.coll.file' or 'ns.coll.file.variant'); ansible.builtin ones add none we use."""
    parts = fragment.split(".")
    if parts[:2] == ["ansible", "builtin"] or len(parts) < 3:
        return {}
    path = os.path.join(collections, parts[0], parts[1], "plugins", "doc_fragments", f"{parts[2]}.py")
    attr = parts[3].upper() if len(parts) > 3 else "DOCUMENTATION"
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == attr:
            return (yaml.safe_load(node.value.value) or {}).get("options") or {}
    return {}


def _module_spec(collections, fqcn):
    """(DOCUMENTATION options, argument_spec keyword rules) of a module, read from its source."""
    ns, name, module = fqcn.split(".")
    path = os.path.join(collections, ns, name, "plugins", "modules", f"{module}.py")
    assert os.path.isfile(path), f"{fqcn} does not resolve ({path} missing)"
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    tree = ast.parse(source)
    doc = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
               and getattr(node.targets[0], "id", "") == "DOCUMENTATION")
    parsed = yaml.safe_load(doc)
    options = dict(parsed.get("options") or {})
    fragments = parsed.get("extends_documentation_fragment") or []
    for fragment in [fragments] if isinstance(fragments, str) else fragments:
        options.update(_fragment_options(collections, fragment))
    for option in list(options.values()):
        for alias in option.get("aliases") or []:
            options.setdefault(alias, option)
    rules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("required_if", "mutually_exclusive"):
            try:
                rules[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return options, rules


def test_tasks_exist(collections):
    modules = {key for _where, _name, key, _args in _tasks()}
    assert {"arista.eos.eos_config", "arista.eos.eos_command", "cisco.nxos.nxos_config", "cisco.nxos.nxos_file_copy",
            "cisco.nxos.nxos_command", "kubernetes.core.k8s"} <= modules


def test_every_argument_is_in_the_module_spec(collections):
    problems = []
    for where, name, fqcn, args in _tasks():
        options, rules = _module_spec(collections, fqcn)
        for arg, value in args.items():
            if arg not in options:
                problems.append(f"{where} '{name}': {fqcn} has no option {arg}")
                continue
            choices = options[arg].get("choices")
            if choices and isinstance(value, str) and "{{" not in value and value not in choices:
                problems.append(f"{where} '{name}': {fqcn} {arg}={value!r} not in {choices}")
            subs = options[arg].get("suboptions")
            if subs and isinstance(value, dict):
                problems += [f"{where} '{name}': {fqcn} {arg}.{k} unknown" for k in value if k not in subs]
        for rule in rules.get("required_if", []):
            key, wanted, needed = rule[0], rule[1], rule[2]
            any_of = len(rule) > 3 and rule[3]
            if args.get(key) == wanted:
                have = [n for n in needed if n in args]
                if (any_of and not have) or (not any_of and len(have) != len(needed)):
                    problems.append(f"{where} '{name}': {fqcn} {key}={wanted} needs {needed}")
        for group in rules.get("mutually_exclusive", []):
            if len([g for g in group if g in args]) > 1:
                problems.append(f"{where} '{name}': {fqcn} takes only one of {group}")
    assert problems == []


def test_full_replace_settings():
    """EOS: the whole candidate goes into the session (match none), diffed by the session; NX-OS: config replace."""
    tasks = {(fqcn, name): args for _w, name, fqcn, args in _tasks()}
    eos = next(a for (f, n), a in tasks.items() if f == "arista.eos.eos_config" and "Replace" in n)
    assert (eos["replace"], eos["match"], eos["diff_against"]) == ("config", "none", "session")
    assert eos["backup"] and eos["backup_options"]["dir_path"]
    nxos = next(a for (f, n), a in tasks.items() if f == "cisco.nxos.nxos_config" and "replace_src" in a)
    assert nxos["replace"] == "config" and nxos["backup"]
    compare = next(a for (f, n), a in tasks.items() if f == "cisco.nxos.nxos_config" and "Compare" in n)
    assert compare["diff_against"] == "intended" and "intended_config" in compare


def test_playbooks_pass_syntax_check(collections):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1")
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    for name in ("deploy_switches.yml", "deploy_ove.yml", "render.yml", "validate.yml"):
        proc = subprocess.run([playbook, "--syntax-check", "-i", os.path.join(ROOT, "examples", "small", "inventory"),
                               os.path.join(ROOT, "playbooks", name)], env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert proc.returncode == 0, name + proc.stdout + proc.stderr
