"""One place for how a dcnet.fabric filter reports bad input to Ansible.

Every filter catches the engine's ``DcnetError`` and calls ``fail(filter name, exc)``
(``engine_filter`` does both for a filter that is one engine function), so the
message format (``<filter>: <argument> '<value>' <reason>``) is defined once.
"""

from __future__ import annotations

import functools

from ansible.errors import AnsibleFilterError

from ansible_collections.dcnet.fabric.plugins.module_utils.errors import DcnetError, InputError


def fail(name: str, exc: Exception):
    """Raise AnsibleFilterError naming the filter, the argument and the bad value."""
    if isinstance(exc, InputError):
        raise AnsibleFilterError(f"{name}: {exc.arg} {exc.value!r} {exc.reason}") from None
    raise AnsibleFilterError(f"{name}: {exc}") from None


def engine_filter(name: str, function):
    """The filter ``name``: the engine's ``function`` as it is, its DcnetError a task failure.

    The engine function's parameters are the filter's contract (the docs' options),
    so the filter keeps its signature (``inspect.signature`` follows ``__wrapped__``).
    """
    @functools.wraps(function)
    def adapter(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DcnetError as exc:
            return fail(name, exc)
    adapter.__name__ = adapter.__qualname__ = name
    return adapter
