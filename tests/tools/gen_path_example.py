"""Regenerate the example at the end of docs/path.md (VLAN 100 -> VLAN 200 across racks in examples/dc1).

``python tests/tools/gen_path_example.py`` rewrites everything after the
example's introduction with the engine's own Markdown for the forward IPv4
path; ``tests/unit/path/test_docs_example.py`` fails when it is stale.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
# conftest makes ansible_collections.dcnet.fabric importable and reads the examples
import conftest  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.path.text import path_section  # noqa: E402

DOC = os.path.join(ROOT, "docs", "path.md")
MARKER = "(forward direction; the file also has the reverse):\n\n"
FLOW = ("10.64.0.11@w001", "10.64.100.12@w120")


def example_lines() -> list:
    model = load_model(conftest.example_raw("dc1"))  # tests/example_models.py: parsed once per process
    facts = site_facts(model)
    explained = explain(model, facts, design(model, facts), *FLOW)
    forward = next(p for p in explained["paths"] if p["direction"] == "forward" and p["family"] == 4)
    lines = path_section(forward)
    lines[0] = "#" + lines[0]          # one level below the example's heading
    return lines


def document(current: str) -> str:
    """``current`` with everything after the example's introduction replaced by the generated example."""
    head, sep, _old = current.partition(MARKER)
    if not sep:
        raise SystemExit(f"{DOC}: the example's introduction ({MARKER.strip()!r}) is missing")
    return head + sep + "\n".join(example_lines()).rstrip("\n") + "\n"


if __name__ == "__main__":
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(document(text))
