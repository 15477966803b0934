"""publish.py against a local bare repository: commit on change only, mirror removals, check mode commits nothing."""

import os
import shutil
import subprocess

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import publish

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(*args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path):
    bare = tmp_path / "gitops.git"
    _git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    site = tmp_path / "build" / "small"
    (site / "ove" / "ove-small").mkdir(parents=True)
    (site / "ove" / "ove-small" / "10-nncp.yaml").write_text("kind: NodeNetworkConfigurationPolicy\n")
    (site / "report.md").write_text("# report\n")
    (site / ".dcnet-manifest.json").write_text("{}\n")
    return bare, site


def _tree(bare, ref="main"):
    return sorted(_git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", ref).split())


def test_first_commit_then_nothing_then_a_change(repo):
    bare, site = repo
    first = publish.publish(str(site), str(bare))
    assert first["changed"] and first["commit"]
    assert _tree(bare) == ["small/ove/ove-small/10-nncp.yaml", "small/report.md"]   # no manifest, no dotfiles
    again = publish.publish(str(site), str(bare))
    assert not again["changed"] and again["commit"] is None
    assert _git("--git-dir", str(bare), "rev-list", "--count", "main").strip() == "1"
    (site / "ove" / "ove-small" / "10-nncp.yaml").write_text("kind: NodeNetworkConfigurationPolicy\nx: 1\n")
    (site / "report.md").unlink()
    third = publish.publish(str(site), str(bare), message="VLAN 500 for ove-small")
    assert third["changed_files"] == ["ove/ove-small/10-nncp.yaml"] and third["removed"] == ["report.md"]
    assert _tree(bare) == ["small/ove/ove-small/10-nncp.yaml"]
    assert _git("--git-dir", str(bare), "log", "-1", "--format=%s", "main").strip() == "VLAN 500 for ove-small"


def test_check_mode_commits_nothing(repo):
    bare, site = repo
    planned = publish.publish(str(site), str(bare), check_mode=True)
    assert planned["changed"] and planned["added"] == ["ove/ove-small/10-nncp.yaml", "report.md"]
    assert _git("--git-dir", str(bare), "branch", "--list").strip() == ""


def test_others_commits_are_kept_and_the_path_is_checked(repo, tmp_path):
    bare, site = repo
    other = tmp_path / "other"
    _git("clone", "--quiet", str(bare), str(other))
    (other / "README.md").write_text("GitOps source\n")
    _git("add", "README.md", cwd=other)
    _git("-c", "user.name=x", "-c", "user.email=x@y", "commit", "--quiet", "-m", "readme", cwd=other)
    _git("push", "--quiet", "origin", "HEAD:main", cwd=other)
    publish.publish(str(site), str(bare), path="sites/small")
    assert _tree(bare) == ["README.md", "sites/small/ove/ove-small/10-nncp.yaml", "sites/small/report.md"]
    with pytest.raises(publish.PublishError, match="inside the repository"):
        publish.publish(str(site), str(bare), path="../x")
    with pytest.raises(publish.PublishError, match="git clone .* failed .*does not exist"):
        publish.publish(str(site), str(tmp_path / "nowhere.git"), workdir=str(tmp_path / "w"))
    assert not os.path.exists(tmp_path / "w" / "small")
