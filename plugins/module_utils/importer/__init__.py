"""From the VMware estate to a model draft.

    RVTools .xlsx (rvtools.py) ─┐
                                ├─► Estate records (records.py) ─► draft (mapping.py) ─► files (draft.py)
    vCenter properties (vcenter.py) ┘        conflicts (conflicts.py), report (report.py)

Both readers produce the same source-neutral records, so one mapping decides
networks, bond profiles and VMs for either source.  Nothing here writes the
model itself: the draft is YAML the user reviews, then loads like any model.
"""
