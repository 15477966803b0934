"""Import every rule module so its @check functions register (order = report order)."""

from . import foundation

RULE_MODULES = (foundation,)
