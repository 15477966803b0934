"""Render and write a site's files in several processes.

Rendering is pure Python, so one process uses one core; a 5,000-device site
renders ~16,000 files.  After the design stage the run forks worker
processes that inherit the model, the facts and the structured configs.  All
processes walk the same sequence of files in the same order and each renders
the files it *claims* from a shared counter: whoever is free takes the next
one, so the load balances itself while the parent also runs the checks.

Nothing is written until every process has rendered its share without error
and has compared it with the tree on disk.  Only then does the parent tell
the workers to write their files and merge what they report.  A worker that
fails or dies before that makes the whole run fail with nothing written.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

from .errors import DcnetError

# Nobody holds the counter's lock for more than a few microseconds; a process killed while
# holding it (the kernel's OOM killer) would otherwise hang every other one.
LOCK_TIMEOUT_S = 60


def available() -> bool:
    """Whether workers are used here: Linux, where fork() without exec() is safe and tested.

    (macOS system frameworks are not fork-safe; Windows has no fork.)
    """
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _cgroup_cpus() -> int | None:
    """The CPU quota of this container (cgroup v2 cpu.max), rounded up; None when unlimited or unknown."""
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as handle:
            quota, period = handle.read().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    try:
        return max(1, -(-int(quota) // int(period)))
    except (ValueError, ZeroDivisionError):
        return None


def default_count() -> int:
    """One process per CPU this process may use (affinity and container quota), at most 4."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    if quota is not None:
        cpus = min(cpus, quota)
    return max(1, min(cpus, 4))


class Claims:
    """Hands out positions of the common file sequence: each position to exactly one process.

    A process at position p claims it when the shared counter still reads p (nobody took it
    yet) and moves the counter on; when the counter is already past p, another process has it.
    At the end every process must have walked to the same position (``position``), which the
    pipeline checks: a renderer that claimed conditionally would lose or duplicate files.
    """

    def __init__(self):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._next = context.RawValue("q", 0)  # shared memory, guarded by the lock below
        self._lock = context.Lock()
        self.position = 0

    def claim(self) -> bool:
        lock = self._lock
        if not lock.acquire(timeout=LOCK_TIMEOUT_S):
            raise DcnetError(f"render workers: the shared work counter stayed locked for {LOCK_TIMEOUT_S} s "
                             "(a worker process died holding it)")
        try:
            mine = self._next.value == self.position
            if mine:
                self._next.value = self.position + 1
        finally:
            lock.release()
        self.position += 1
        return mine

    def claimed(self) -> int:
        """How many positions all processes together have passed (the counter)."""
        return self._next.value


class Worker:
    """A forked process running ``job(conversation)``; talk to it with ``send``/``receive``.

    ``inherited`` are connections to earlier workers that the child must not keep open.
    """

    def __init__(self, job, inherited=()):
        import multiprocessing

        parent_end, child_end = multiprocessing.get_context("fork").Pipe()
        try:
            self.pid = os.fork()
        except OSError:
            parent_end.close()
            child_end.close()
            raise
        if self.pid == 0:  # the worker
            status = 0
            try:
                parent_end.close()
                for conn in inherited:
                    conn.close()
                job(child_end)
            except BaseException:  # pylint: disable=broad-except
                status = 1
                try:
                    child_end.send({"crash": traceback.format_exc()})
                except BaseException:  # pylint: disable=broad-except
                    pass
            finally:
                os._exit(status)  # never return into the caller's stack (pytest, Ansible)
        child_end.close()
        self.conn = parent_end
        self.writing = False  # told to write: let it finish rather than kill it

    def send(self, message) -> None:
        try:
            self.conn.send(message)
        except OSError as exc:
            raise DcnetError(f"render worker {self.pid} is gone: {exc!r}") from None

    def receive(self) -> dict:
        try:
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise DcnetError(f"render worker {self.pid} ended without an answer: {exc!r}") from None
        if "crash" in message:
            raise DcnetError(f"render worker {self.pid} failed:\n{message['crash']}")
        return message

    def finish(self, stop: bool = False) -> None:
        """Close the conversation and reap the process.

        ``stop`` kills it first, unless it was told to write: a writer is left to complete its
        files (each atomic) so that no temporary file is left behind.
        """
        if self.pid is None:
            return
        if stop and not self.writing:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.conn.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = None
