"""Rendering in several processes: the same tree as one process, and nothing written on any failure."""

import os
import time

import pytest

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline, workers
from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError

from ansible_collections.dcnet.fabric.plugins.module_utils.render.base import Artifact

from .conftest import example_vars
from .test_pipeline import tree

pytestmark = pytest.mark.skipif(not workers.available(), reason="os.fork is not available on this platform")


@pytest.mark.parametrize("example", ["small", "dc1"])
def test_workers_write_the_same_tree_as_one_process(tmp_path, example):
    variables = example_vars(example)
    alone = pipeline.run(variables, str(tmp_path / "one"), workers=1)
    shared = pipeline.run(variables, str(tmp_path / "three"), workers=3)
    assert not shared["failed"] and "render_split" not in alone
    assert tree(tmp_path / "one") == tree(tmp_path / "three")
    assert alone["paths"] == shared["paths"] and alone["plan"]["created"] == shared["plan"]["created"]
    # three processes, each file rendered by exactly one of them
    split = shared["render_split"]
    assert len(split) == 3 and sum(split) == len(shared["paths"]) - len(pipeline.REPORT_FILES)
    again = pipeline.run(variables, str(tmp_path / "three"), workers=3)
    assert not again["changed"] and again["plan"]["unchanged"] == len(again["paths"])


def test_check_mode_and_diff_match_one_process(tmp_path):
    variables = example_vars("small")
    for name in ("one", "two"):
        pipeline.run(variables, str(tmp_path / name), workers=1)
    variables["dcnet_networks"][0]["mtu"] = 1400
    alone = pipeline.run(variables, str(tmp_path / "one"), check_mode=True, diff=True, workers=1)
    shared = pipeline.run(variables, str(tmp_path / "two"), check_mode=True, diff=True, workers=2)
    for key in ("created", "changed", "removed", "unchanged"):
        assert alone["plan"][key] == shared["plan"][key], key
    assert alone["plan"]["diffs"] == shared["plan"]["diffs"] and shared["plan"]["diffs"]
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_stale_files_are_removed_with_workers(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path), workers=2)
    variables["dcnet_clusters"][0]["nodes"].pop()
    result = pipeline.run(variables, str(tmp_path), workers=2)
    assert "structured/ove-w2.yml" in result["plan"]["removed"]
    assert not (tmp_path / "small" / "structured" / "ove-w2.yml").exists()


def test_check_errors_stop_the_workers_and_keep_the_tree(tmp_path):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path), workers=2)
    before = tree(tmp_path / "small")
    variables["dcnet_networks"][0]["mtu"] = 9000  # above the bond's 1500: MTU002, found by the checks
    result = pipeline.run(variables, str(tmp_path), workers=2)
    assert result["failed"] and result["stage"] == "checks"
    assert "MTU002" in {f["rule"] for f in result["findings"] if f["severity"] == "error"}
    after = tree(tmp_path / "small")
    assert {k: v for k, v in after.items() if not k.startswith("report.")} == \
        {k: v for k, v in before.items() if not k.startswith("report.")}


def _with_renderer(monkeypatch, renderer):
    monkeypatch.setattr(pipeline, "RENDERERS", pipeline.RENDERERS + (("broken", renderer),))


def _claimed_files(ctx, count=40):
    for index in range(count):
        if ctx.claim():
            yield index, Artifact(f"broken/{index}.txt", f"{index}\n")


def test_a_failure_while_comparing_with_the_tree_writes_nothing(tmp_path, monkeypatch):
    variables = example_vars("small")
    pipeline.run(variables, str(tmp_path), workers=1)
    before = tree(tmp_path / "small")
    variables["dcnet_site"]["dns_servers"] = ["10.10.10.54"]
    parent, real_plan = os.getpid(), pipeline.plan_files

    def plan_files(*args, **kwargs):
        if os.getpid() != parent:
            raise PermissionError(13, "Permission denied", "a file of the worker's share")
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(pipeline, "plan_files", plan_files)
    with pytest.raises(DcnetError, match="Permission denied"):
        pipeline.run(variables, str(tmp_path), workers=2)
    assert tree(tmp_path / "small") == before


def test_no_fork_left_means_one_process(tmp_path, monkeypatch):
    started = []

    class Failing(workers.Worker):
        def __init__(self, job, inherited=()):
            if started:
                raise BlockingIOError(11, "Resource temporarily unavailable")
            super().__init__(job, inherited)
            started.append(self)

    monkeypatch.setattr(pipeline, "Worker", Failing)
    result = pipeline.run(example_vars("small"), str(tmp_path), workers=3)
    assert not result["failed"] and "render_split" not in result
    assert started and started[0].pid is None  # the first worker was stopped and reaped
    assert (tmp_path / "small" / "structured" / "leaf01a.yml").exists()


def test_a_renderer_that_claims_conditionally_is_caught(tmp_path, monkeypatch):
    parent = os.getpid()

    def renderer(ctx):
        yield from (art for _index, art in _claimed_files(ctx))
        if os.getpid() != parent:
            ctx.claim()  # one claim more in the workers, after the last file: the sequences differ

    _with_renderer(monkeypatch, renderer)
    with pytest.raises(DcnetError, match="walked different file sequences"):
        pipeline.run(example_vars("small"), str(tmp_path), workers=2)
    assert not (tmp_path / "small" / "structured").exists()


def test_a_counter_lock_held_forever_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(workers, "LOCK_TIMEOUT_S", 0.2)
    claims = workers.Claims()
    lock = claims._lock  # pylint: disable=protected-access
    lock.acquire()  # as if a process died holding it
    try:
        with pytest.raises(DcnetError, match="stayed locked"):
            claims.claim()
    finally:
        lock.release()


@pytest.mark.parametrize("how", ["exception", "exit"])
def test_a_worker_that_crashes_or_dies_fails_the_run_before_any_write(tmp_path, monkeypatch, how):
    variables = example_vars("small")
    parent = os.getpid()

    def renderer(ctx):
        if os.getpid() != parent:
            if how == "exit":
                os._exit(3)  # pylint: disable=protected-access
            raise RuntimeError("renderer bug")
        yield from (art for _index, art in _claimed_files(ctx))

    _with_renderer(monkeypatch, renderer)
    with pytest.raises(DcnetError, match="render worker"):
        pipeline.run(variables, str(tmp_path), workers=2)
    assert not (tmp_path / "small" / "structured").exists()


def test_the_same_file_from_two_processes_is_an_error(tmp_path, monkeypatch):
    def renderer(ctx):
        for _index, _art in _claimed_files(ctx):
            yield Artifact(f"broken/{os.getpid()}.txt", "x\n")
            yield Artifact("broken/same.txt", "x\n")
            return

    _with_renderer(monkeypatch, renderer)
    with pytest.raises(DcnetError, match="two renderers produced broken/same.txt"):
        pipeline.run(example_vars("small"), str(tmp_path), workers=2)


def test_claims_give_every_position_to_exactly_one_process():
    claims = workers.Claims()

    def claim_all():
        mine = []
        for position in range(400):
            if claims.claim():
                mine.append(position)
                time.sleep(0.002)  # some work per file, so that both processes are busy at once
        return mine

    def job(conn):
        conn.send({"mine": claim_all()})
        conn.recv()

    helper = workers.Worker(job)
    mine = claim_all()
    theirs = helper.receive()["mine"]
    helper.send({})
    helper.finish()
    assert sorted(mine + theirs) == list(range(400))
    assert mine and theirs, "the work was not shared"


def test_workers_must_be_positive(tmp_path):
    with pytest.raises(DcnetError, match="workers must be 1 or more"):
        pipeline.run(example_vars("small"), str(tmp_path), workers=0)
