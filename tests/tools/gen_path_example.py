"""Regenerate the examples at the end of docs/path.md (VLAN 100 -> VLAN 200 across racks in examples/dc1, then
out of a tenant VRF to an external prefix and between VRFs in small with tenants).

``python tests/tools/gen_path_example.py`` rewrites everything after the
example's introduction with the engine's own Markdown for the forward IPv4
path; ``tests/unit/path/test_docs_example.py`` fails when it is stale.
"""

import os
import sys


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
# conftest makes ansible_collections.dcnet.fabric importable
import conftest  # noqa: E402,F401  pylint: disable=unused-import,wrong-import-position

from ansible_collections.dcnet.fabric.plugins.module_utils.design import design, site_facts  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.model.loader import load_model  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.path import explain  # noqa: E402
from ansible_collections.dcnet.fabric.plugins.module_utils.path.text import path_section  # noqa: E402

DOC = os.path.join(ROOT, "docs", "path.md")
MARKER = "(forward direction; the file also has the reverse):\n\n"
FLOW = ("10.64.0.11@w001", "10.64.100.12@w120")


def example_lines() -> list:
    model = load_model(conftest.example_model("dc1"))
    facts = site_facts(model)
    explained = explain(model, facts, design(model, facts), *FLOW)
    forward = next(p for p in explained["paths"] if p["direction"] == "forward" and p["family"] == 4)
    lines = path_section(forward)
    lines[0] = "#" + lines[0]          # one level below the example's heading
    return lines


# out of a VRF to the outside and between VRFs: on examples/dc1 once it has tenants and a border pair,
# until then on the test site of docs/north_south.md (small with tenants)
DC1_NORTH_SOUTH = [
    ("## Example: out of VRF prod to an external prefix (examples/dc1)",
     "VM 10.64.0.11 on vm-100 (VRF prod) on w001 in rack 1 to 203.0.113.10 outside the site, by the border pair "
     "and its firewall; forward direction:",
     ("10.64.0.11@w001", "203.0.113.10")),
    ("## Example: between VRFs prod and ove (examples/dc1)",
     "The same VM to w120's address on the OVE machine network (VRF ove): out of prod to the firewall and back "
     "into ove at the border; forward direction:",
     ("10.64.0.11@w001", "w120")),
]
SMALL_NORTH_SOUTH = [
    ("## Example: out of VRF prod to an external prefix (small with tenants)",
     "A VM 10.100.0.21 on vm-web (VRF prod) on ove-w3 in rack 2 to 203.0.113.10 outside the site, in the test "
     "site of docs/north_south.md (examples/small with VRFs infra and prod, rack 1 the border pair with wan1, "
     "the EVPN overlay and a second rack; `tests/unit/switches/models.py`); forward direction:",
     ("10.100.0.21,fd00:100::21@ove-w3", "203.0.113.10")),
    ("## Example: between VRFs prod and infra (small with tenants)",
     "The same VM to ove-w1's address on the machine network mgmt (VRF infra): out of prod to wan1 and back into "
     "infra at the border; forward direction:",
     ("10.100.0.21,fd00:100::21@ove-w3", "ove-w1")),
]


def dc1_variables() -> dict:
    return conftest.example_vars("dc1")


def north_south_lines() -> list:
    variables = dc1_variables()
    examples = DC1_NORTH_SOUTH
    if not variables.get("dcnet_external_peers"):
        from unit.switches.models import small  # pylint: disable=import-outside-toplevel
        variables, examples = small(overlay="evpn_vxlan", second_rack=True), SMALL_NORTH_SOUTH
    model = load_model({k[len("dcnet_"):]: v for k, v in variables.items()})
    facts = site_facts(model)
    designed = design(model, facts)
    lines = []
    for heading, intro, flow in examples:
        explained = explain(model, facts, designed, *flow)
        forward = next(p for p in explained["paths"] if p["direction"] == "forward" and p["family"] == 4)
        section = path_section(forward)
        section[0] = "#" + section[0]
        lines += ["", heading, "", intro, ""] + section
    return lines


def document(current: str) -> str:
    """``current`` with everything after the example's introduction replaced by the generated examples."""
    head, sep, _old = current.partition(MARKER)
    if not sep:
        raise SystemExit(f"{DOC}: the example's introduction ({MARKER.strip()!r}) is missing")
    return head + sep + "\n".join(example_lines() + north_south_lines()).rstrip("\n") + "\n"


if __name__ == "__main__":
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(document(text))
