"""Explain a packet's path hop by hop: hosts, virtual switches, bonds, leaves, overlay, spines.

``explain(model, facts, design, src, dst, network=None, flow=None)`` returns
plain data (both directions, both families); ``markdown`` lays it out for
people; ``report_rows`` gives the report a table of representative flows.
"""

from __future__ import annotations

from .endpoints import PathError
from .engine import explain, parse_flow
from .report import report_rows
from .text import markdown, summary

__all__ = ["explain", "markdown", "summary", "parse_flow", "report_rows", "PathError"]
