"""Consistency checks: the datacenter's classic outages as named rules."""

from .registry import CHECKS, all_rules, check, run_checks  # noqa: F401
from . import load_all  # noqa: F401,E402  (registers every rule module)
