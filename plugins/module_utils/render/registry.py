"""The ordered list of renderers the pipeline runs (one line per target)."""

from __future__ import annotations

from . import azure_local, nmstate, ove, structured, switches
from . import azure_vms, migration, ove_vms, segmentation

# (target name, renderer): the name selects renderers (action option ``targets``)
# and owns the files it writes in the build manifest.
RENDERERS = (
    ("structured", structured.render),
    ("switches", switches.render),
    ("azure_local", azure_local.render),
    ("azure_vms", azure_vms.render),
    ("nmstate", nmstate.render),
    ("ove", ove.render),
    ("ove_vms", ove_vms.render),
    ("segmentation", segmentation.render),
    ("migration", migration.render),
)
