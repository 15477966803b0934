"""The ordered list of renderers the pipeline runs (one line per target)."""

from __future__ import annotations

from . import azure_local, dhcp, dns, ipam, nmstate, ove, structured, switches
from . import azure_vms, migration, ove_vms, segmentation
from . import docs
from . import catalogues
from . import handover

# (target name, renderer): the name selects renderers (action option ``targets``)
# and owns the files it writes in the build manifest.
RENDERERS = (
    ("structured", structured.render),
    ("switches", switches.render),
    ("catalogues", catalogues.render),
    ("azure_local", azure_local.render),
    ("azure_vms", azure_vms.render),
    ("nmstate", nmstate.render),
    ("ove", ove.render),
    ("ove_vms", ove_vms.render),
    ("segmentation", segmentation.render),
    ("dns", dns.render),
    ("dhcp", dhcp.render),
    ("ipam", ipam.render),
    ("migration", migration.render),
    ("handover", handover.render),
    ("docs", docs.render),
)
