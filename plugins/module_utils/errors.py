"""Exceptions of the dcnet.fabric engine.

Every failure the engine reports to a user is one of these, never a bare
Python exception: adapters (filters, action plugins) catch ``DcnetError`` and
turn it into the Ansible error of their kind.
"""

from __future__ import annotations


class DcnetError(Exception):
    """Base class of every error the engine raises on purpose."""


class InputError(DcnetError, ValueError):
    """A function was called with a value it cannot use.

    The message names the function, the argument and the bad value, e.g.
    ``p2p_link: pool '10.0.0.0/33' is not a valid prefix``.
    """

    def __init__(self, func: str, arg: str, value, reason: str):
        self.func, self.arg, self.value, self.reason = func, arg, value, reason
        super().__init__(f"{func}: {arg} {value!r} {reason}")
