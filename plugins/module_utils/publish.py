# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Commit a site's rendered tree to a Git repository: the GitOps source of the clusters.

Argo CD or ACM sync NNCPs, NADs and MetalLB CRs from a Git repository, and an
AWX job's container is gone after the job: committing the build tree keeps
every run's artifacts, reviewed and versioned.  ``publish`` keeps a working
clone under the build root (``.gitops/<site>``), brings it to the remote
branch, mirrors the site's tree into a folder of the repository, and commits
and pushes only when something changed, so a second run is ``changed=False``.
The build tree holds no secret (deploy injects them), so neither does the
repository.

Uses the ``git`` command through an injected ``runner(argv, cwd) -> (rc, out, err)``;
no Ansible import.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from .errors import DcnetError

# Local state of a run that is not an artifact: the manifest of what each target wrote.
SKIP = (".dcnet-manifest.json",)
IDENTITY = ("dcnet.fabric", "dcnet-fabric@localhost")


class PublishError(DcnetError):
    """A git step failed; the message has git's own text."""


def subprocess_runner(argv, cwd=None):
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def _git(runner, cwd, *args, ok=(0,)):
    rc, out, err = runner(["git", *args], cwd)
    if rc not in ok:
        raise PublishError(f"git {' '.join(args)} failed ({rc}): {(err or out).strip()[-800:]}")
    return rc, out


def _files(root):
    out = set()
    for base, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            rel = os.path.relpath(os.path.join(base, name), root)
            if name not in SKIP and not name.startswith("."):
                out.add(rel)
    return out


def _same(a, b):
    try:
        with open(a, "rb") as one, open(b, "rb") as two:
            return one.read() == two.read()
    except FileNotFoundError:
        return False


def mirror(source: str, dest: str) -> dict:
    """Make ``dest`` hold exactly the files of ``source``: {added, changed, removed} relative paths."""
    have, want = _files(dest) if os.path.isdir(dest) else set(), _files(source)
    plan = {"added": sorted(want - have), "changed": sorted(r for r in want & have
                                                            if not _same(os.path.join(source, r), os.path.join(dest, r))),
            "removed": sorted(have - want)}
    for rel in plan["added"] + plan["changed"]:
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(source, rel), target)
        shutil.copymode(os.path.join(source, rel), target)
    for rel in plan["removed"]:
        os.unlink(os.path.join(dest, rel))
    return plan


def publish(site_dir: str, repo: str, branch: str = "main", path: str | None = None, message: str | None = None,
            workdir: str | None = None, check_mode: bool = False, push: bool = True,
            runner=subprocess_runner) -> dict:
    """Commit the tree of ``site_dir`` into ``path`` (default: the site's name) of ``repo`` on ``branch``.

    Returns {changed, commit, added, changed_files, removed, repo, branch, path}.
    """
    site = os.path.basename(os.path.normpath(site_dir))
    path = (path or site).strip("/")
    if not path or path.startswith("..") or os.path.isabs(path) or ".." in path.split("/"):
        raise PublishError(f"git path '{path}' must be a folder inside the repository")
    if not os.path.isdir(site_dir):
        raise PublishError(f"{site_dir} does not exist: nothing rendered to commit")
    workdir = workdir or os.path.join(os.path.dirname(os.path.normpath(site_dir)), ".gitops", site)
    if not os.path.isdir(os.path.join(workdir, ".git")):
        if os.path.exists(workdir):
            shutil.rmtree(workdir)
        os.makedirs(os.path.dirname(workdir), exist_ok=True)
        _git(runner, None, "clone", "--quiet", repo, workdir)
    else:
        _git(runner, workdir, "remote", "set-url", "origin", repo)
    _git(runner, workdir, "fetch", "--quiet", "origin")
    rc, _out = _git(runner, workdir, "rev-parse", "--verify", "--quiet", f"origin/{branch}", ok=(0, 1))
    if rc == 0:
        _git(runner, workdir, "checkout", "--quiet", "-B", branch, f"origin/{branch}")
        _git(runner, workdir, "reset", "--quiet", "--hard", f"origin/{branch}")
    else:  # an empty repository, or a new branch
        _git(runner, workdir, "checkout", "--quiet", "--orphan", branch, ok=(0, 128))
    _git(runner, workdir, "clean", "--quiet", "-fdx")
    plan = mirror(site_dir, os.path.join(workdir, path))
    result = {"repo": repo, "branch": branch, "path": path, "added": plan["added"], "changed_files": plan["changed"],
              "removed": plan["removed"], "commit": None}
    result["changed"] = bool(plan["added"] or plan["changed"] or plan["removed"])
    if not result["changed"] or check_mode:
        if check_mode:
            _git(runner, workdir, "reset", "--quiet", "--hard")
            _git(runner, workdir, "clean", "--quiet", "-fdx")
        return result
    _git(runner, workdir, "add", "--all", "--", path)
    text = message or (f"dcnet.fabric: render {site} ({len(plan['added'])} added, {len(plan['changed'])} changed, "
                       f"{len(plan['removed'])} removed)")
    _git(runner, workdir, "-c", f"user.name={IDENTITY[0]}", "-c", f"user.email={IDENTITY[1]}",
         "commit", "--quiet", "-m", text)
    _rc, out = _git(runner, workdir, "rev-parse", "HEAD")
    result["commit"] = out.strip()
    if push:
        _git(runner, workdir, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
    return result
