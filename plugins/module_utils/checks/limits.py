"""Rules on the raw inventory, enforced before anything copies, templates or loads it.

``model/bounds.py`` measures the raw ``dcnet_*`` variables on the graph Ansible loaded
(a YAML alias is one shared object: its expansion is computed, never built);
``model/sources.py`` reads the inventory's YAML files for keys written twice. The
numbers are in docs/checks.md (Limits).
"""

from __future__ import annotations

from .registry import declare

FAMILY = "limits"

TOO_DEEP = declare(
    "LIMIT001", "error", "Nested too deep", FAMILY,
    "A value nests more mappings/lists than the model ever needs (see Limits); refused before templating.")
STRING_TOO_LONG = declare(
    "LIMIT002", "error", "String too long", FAMILY, "A string (value or key) longer than the limit (see Limits).")
TOO_LARGE = declare(
    "LIMIT003", "error", "Model too large", FAMILY,
    "The model would expand to more values or characters than a site of its size needs, usually through a chain "
    "of YAML aliases (billion laughs); refused before anything expands it.")
RECURSIVE = declare(
    "LIMIT004", "error", "Recursive alias", FAMILY, "A YAML alias that contains itself cannot be expanded.")
TOO_MANY_DEVICES = declare(
    "LIMIT005", "error", "Too many devices", FAMILY,
    "More switches, nodes and VMs than one model may list (see Limits).")
KEY_TWICE = declare(
    "YAML001", "error", "Key written twice", FAMILY,
    "A YAML mapping in the inventory writes one key twice (YAML keeps the last value silently); the message names "
    "the file and both lines. The project's ansible.cfg sets duplicate_dict_key = error.")

# Any of these stops the run before the schema is even looked at.
REFUSALS = frozenset(r.id for r in (TOO_DEEP, STRING_TOO_LONG, TOO_LARGE, RECURSIVE, TOO_MANY_DEVICES))
