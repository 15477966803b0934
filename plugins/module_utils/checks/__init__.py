"""Consistency checks: the datacenter's classic outages as named rules.

The family modules register on first use of ``all_rules`` / ``run_checks``
(registry.py), so importing one family (the loader imports its own rule
declarations) does not import the design.
"""

from .registry import CHECKS, all_rules, check, declare, run_checks  # noqa: F401
