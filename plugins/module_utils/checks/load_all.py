"""Import every rule module so its @check functions register (order = report order)."""

from . import azure_local, foundation

RULE_MODULES = (foundation, azure_local)
