"""One place for how a dcnet.fabric filter reports bad input to Ansible.

Every filter catches the engine's ``DcnetError`` and calls ``fail(filter name, exc)``,
so the message format (``<filter>: <argument> '<value>' <reason>``) is defined once.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.dcnet.fabric.plugins.module_utils.errors import InputError


def fail(name: str, exc: Exception):
    """Raise AnsibleFilterError naming the filter, the argument and the bad value."""
    if isinstance(exc, InputError):
        raise AnsibleFilterError(f"{name}: {exc.arg} {exc.value!r} {exc.reason}") from None
    raise AnsibleFilterError(f"{name}: {exc}") from None
