"""The collection as a user or AWX gets it: built tarball, fresh venv, FQCN playbooks, own folder.

A fresh virtualenv gets ansible-core and the collection's requirements.txt (nothing of this
checkout), then ``ansible-galaxy collection install`` of the built tarball and the collections its
requirements.yml names (Galaxy is unreachable here: tools/install_collections.py takes them from
the PyPI ``ansible`` package).  From a project folder of its own it runs:
- ``dcnet.fabric.render``: build/ appears beside the inventory, the installed collection is not
  touched, the dcnet_render custom stats name the build folder;
- ``dcnet.fabric.plan``: a git revision of the project's inventory against its working tree with VLAN 500
  added: plan.md / plan.json beside the inventory, the installed collection untouched, a second run unchanged;
- ``dcnet.fabric.deploy_ove --check --diff`` against a Kubernetes API stand-in on 127.0.0.1
  (tests/tools/fake_kube_api.py): every CR and the MetalLB Secret go out as server-side dry runs,
  the Secret's password is the vaulted variable's value, nothing is written;
- ansible-runner runs the render job as AWX does and returns its artifacts (the custom stats).
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))

from fake_kube_api import FakeKubeAPI  # noqa: E402

PASSWORD = "Md5-installed-test-4f1c"


def _run(argv, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, argv))}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


def _tree_digest(path):
    digest = hashlib.sha256()
    for base, dirs, files in os.walk(path):
        # Python's own bytecode cache is not ours to judge (read-only in an EE: Python skips it)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            full = os.path.join(base, name)
            digest.update(os.path.relpath(full, path).encode())
            with open(full, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("installed")
    galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    if not os.path.exists(galaxy):
        pytest.skip("ansible-galaxy is not installed next to this Python")
    _run([galaxy, "collection", "build", "--output-path", str(tmp / "dist"), ROOT], cwd=ROOT)
    tarball = glob.glob(str(tmp / "dist" / "dcnet-fabric-*.tar.gz"))[0]
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = str(venv / "bin" / "python")
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as handle:
        core = next(line.split("#")[0].strip() for line in handle if line.startswith("ansible-core"))
    _run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", core, "ansible-runner>=2.4,<3"])
    collections = tmp / "collections"
    # nothing of this machine's ~/.ansible: the fresh venv sees only its own collections path
    clean = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp / "home"),
             "ANSIBLE_COLLECTIONS_PATH": str(collections)}
    _run([str(venv / "bin" / "ansible-galaxy"), "collection", "install", tarball, "-p", str(collections)], env=clean)
    coll = collections / "ansible_collections" / "dcnet" / "fabric"
    assert (coll / "MANIFEST.json").is_file()
    # what the collection asks for: its Python requirements and the collections of its requirements.yml
    _run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(coll / "requirements.txt")])
    wheel = sorted(glob.glob(os.path.join(ROOT, ".cache", "wheels", "ansible-1*.whl")))
    _run([py, str(coll / "tools" / "install_collections.py"), "-r", str(coll / "requirements.yml"),
          "--dest", str(collections)] + (["--wheel", wheel[-1]] if wheel else []))
    project = tmp / "project"
    shutil.copytree(coll / "examples" / "small" / "inventory", project / "inventory")
    (project / "vault-pass").write_text("installed-collection-test\n")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp / "home"), "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_COLLECTIONS_PATH": str(collections), "ANSIBLE_PYTHON_INTERPRETER": py,
           "ANSIBLE_VAULT_PASSWORD_FILE": str(project / "vault-pass"), "ANSIBLE_LOCALHOST_WARNING": "false"}
    vault = project / "inventory" / "group_vars" / "all" / "vault.yml"
    vault.write_text(yaml.safe_dump({"dcnet_bgp_password": PASSWORD}))
    _run([str(venv / "bin" / "ansible-vault"), "encrypt", str(vault)], env=env)
    return {"tmp": tmp, "venv": venv, "env": env, "project": project, "coll": coll, "collections": collections}


def _playbook(installed, *args, env=None):
    return subprocess.run([str(installed["venv"] / "bin" / "ansible-playbook"), "-i", "inventory", *args],
                          cwd=installed["project"], env=env or installed["env"], capture_output=True, text=True,
                          timeout=600, check=False)


def test_render_by_fqcn_writes_beside_the_inventory_and_not_into_the_collection(installed):
    before = _tree_digest(installed["coll"])
    proc = _playbook(installed, "dcnet.fabric.render")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    site = installed["project"] / "build" / "small"
    assert (site / "report.md").is_file() and (site / "switches" / "leaf01a.cfg").is_file()
    assert _tree_digest(installed["coll"]) == before
    assert not any("build" in d for d in os.listdir(installed["coll"]))
    # a second run: nothing changes
    again = _playbook(installed, "dcnet.fabric.render")
    assert "changed=0" in again.stdout, again.stdout[-3000:]


def test_plan_by_fqcn(installed, tmp_path):
    sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "plan"))
    from test_plan_playbook import add_vlan500  # pylint: disable=import-outside-toplevel
    project = tmp_path / "project"
    shutil.copytree(installed["project"] / "inventory", project / "inventory")
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.net"]
    _run(["git", "init", "-q", str(project)])
    _run(git + ["add", "-A"])
    _run(git + ["commit", "-qm", "site"])
    add_vlan500(str(project / "inventory"))
    before = _tree_digest(installed["coll"])
    args = ("dcnet.fabric.plan", "-e", "plan_from=HEAD")
    proc = subprocess.run([str(installed["venv"] / "bin" / "ansible-playbook"), "-i", "inventory", *args], cwd=project,
                          env=installed["env"], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    plan = json.loads((project / "build" / "plan" / "plan.json").read_text())
    assert plan["model_change"]["vlans"]["added"] == [500] and plan["phases"]
    assert any(p["domain"] == "switch" and p["batches"][0].get("steps") for p in plan["phases"])
    assert _tree_digest(installed["coll"]) == before
    again = subprocess.run([str(installed["venv"] / "bin" / "ansible-playbook"), "-i", "inventory", *args], cwd=project,
                           env=installed["env"], capture_output=True, text=True, timeout=600, check=False)
    assert "changed=0" in again.stdout, again.stdout[-3000:]


def test_deploy_ove_check_mode_by_fqcn(installed):
    if not (installed["project"] / "build" / "small").is_dir():
        assert _playbook(installed, "dcnet.fabric.render").returncode == 0
    with FakeKubeAPI() as api:
        env = dict(installed["env"], K8S_AUTH_KUBECONFIG=api.kubeconfig(str(installed["tmp"] / "kubeconfig")))
        proc = _playbook(installed, "dcnet.fabric.deploy_ove", "-e", "dcnet_ove_cluster=ove-small", "--check", "--diff",
                         env=env)
        out = proc.stdout + proc.stderr
        failed = [line for line in out.splitlines() if line.startswith(("fatal:", "failed:"))]
        assert proc.returncode == 0, "\n".join(failed) + "\n" + out[-3000:]
        assert PASSWORD not in out
        writes = api.writes()
    assert writes and all(w["query"].get("dryRun") == ["All"] for w in writes), writes
    kinds = sorted((w["body"].get("kind"), w["body"]["metadata"]["name"]) for w in writes)
    rendered = sorted(glob.glob(str(installed["project"] / "build" / "small" / "ove" / "ove-small" / "*.yaml")))
    assert len(writes) == len(rendered) + 1, " ".join(k[0] for k in kinds)
    secret = next(w["body"] for w in writes if w["body"].get("kind") == "Secret")
    assert secret["metadata"] == {"name": "metallb-bgp-md5", "namespace": "metallb-system",
                                  **{k: v for k, v in secret["metadata"].items() if k not in ("name", "namespace")}}
    assert secret["stringData"]["password"] == PASSWORD and secret["type"] == "kubernetes.io/basic-auth"
    assert ("BGPPeer", "leaf01a-ipv4") in kinds and ("NodeNetworkConfigurationPolicy", "ove-small-ove-w1") in kinds


def test_ansible_runner_returns_the_render_artifacts(installed):
    pdd = installed["tmp"] / "runner"
    shutil.copytree(installed["project"] / "inventory", pdd / "inventory")
    (pdd / "project").mkdir()
    (pdd / "env").mkdir()
    (pdd / "env" / "envvars").write_text(yaml.safe_dump({k: v for k, v in installed["env"].items()
                                                         if k.startswith("ANSIBLE_")}))
    proc = subprocess.run([str(installed["venv"] / "bin" / "ansible-runner"), "run", str(pdd), "-p", "dcnet.fabric.render",
                           "--ident", "render-job", "-j"], env=installed["env"], capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    artifacts = pdd / "artifacts" / "render-job"
    assert (artifacts / "rc").read_text().strip() == "0"
    stats = [json.loads(p.read_text()) for p in (artifacts / "job_events").glob("*.json")]
    final = next(e for e in stats if e.get("event") == "playbook_on_stats")
    render = final["event_data"]["artifact_data"]["dcnet_render"]
    assert render["site"] == "small" and render["counts"]["errors"] == 0
    assert render["build_dir"] == str(pdd / "build" / "small")
    assert os.path.isfile(render["reports"]["md"])
