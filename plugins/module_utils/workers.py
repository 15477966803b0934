"""Render and write a site's files in several processes.

Rendering is pure Python, so one process uses one core; a 5,000-device site
renders ~16,000 files.  After the design stage the run forks worker
processes that inherit the model, the facts and the structured configs.  All
processes walk the same sequence of files in the same order and each renders
the files it *claims* from a shared counter: whoever is free takes the next
one, so the load balances itself while the parent also runs the checks.

Nothing is written until every process has rendered its share without error.
Only then does the parent tell the workers to write their files (or, in check
mode, only to compare them) and merge what they report.  A worker that fails
or dies makes the whole run fail with nothing written.
"""

from __future__ import annotations

import os
import signal
import traceback

from .errors import DcnetError


def available() -> bool:
    """Whether workers can be forked here (POSIX fork; not on Windows)."""
    return hasattr(os, "fork")


def default_count() -> int:
    """One process per CPU this process may use, at most 4 (writing does not scale further)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


class Claims:
    """Hands out positions of the common file sequence: each position to exactly one process.

    A process at position p claims it when the shared counter still reads p (nobody took it
    yet) and moves the counter on; when the counter is already past p, another process has it.
    """

    def __init__(self):
        import multiprocessing

        self._next = multiprocessing.get_context("fork").Value("q", 0)
        self._position = 0

    def claim(self) -> bool:
        with self._next.get_lock():
            mine = self._next.value == self._position
            if mine:
                self._next.value = self._position + 1
        self._position += 1
        return mine


class Worker:
    """A forked process running ``job(conversation)``; talk to it with ``send``/``receive``."""

    def __init__(self, job):
        import multiprocessing

        parent_end, child_end = multiprocessing.get_context("fork").Pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker
            parent_end.close()
            status = 0
            try:
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

    def send(self, message) -> None:
        self.conn.send(message)

    def receive(self) -> dict:
        try:
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise DcnetError(f"render worker {self.pid} ended without an answer: {exc!r}") from None
        if "crash" in message:
            raise DcnetError(f"render worker {self.pid} failed:\n{message['crash']}")
        return message

    def finish(self, stop: bool = False) -> None:
        """Close the conversation and reap the process; ``stop`` kills it first (it has written nothing yet)."""
        if self.pid is None:
            return
        if stop:
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
