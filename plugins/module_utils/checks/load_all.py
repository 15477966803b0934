"""Import every rule module so its @check functions register (order = report order)."""

from . import foundation  # noqa: F401
