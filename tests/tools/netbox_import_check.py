"""Feed the rendered NetBox CSV files through NetBox's own bulk-import forms (a manual check, not in CI).

The forms are the code path of NetBox's Import tab: they resolve every related object by name, check
choices, VLAN/prefix/interface relations and cable terminations, and save.  Needs a NetBox instance
with a scratch database (see tests/tools/netbox_schema_subset.py for setting one up); run inside it:

    NETBOX_CONFIGURATION=<module> python -m netbox shell -c \
        "import sys; sys.argv=['x', 'build/<site>/ipam/netbox']; exec(open('tests/tools/netbox_import_check.py').read())"

Prints per file the rows and the rows NetBox refused (with its errors). Rows that depend on rows of the
same file (LAG members, VLAN interfaces on a bond) are retried after the others.
"""
import csv
import glob
import os
import sys


def forms():
    """{file number: NetBox import form} (NetBox's own modules: this runs inside a NetBox instance)."""
    # pylint: disable=import-error,import-outside-toplevel
    from dcim.forms.bulk_import import (CableImportForm, DeviceImportForm, DeviceRoleImportForm, DeviceTypeImportForm,
                                        InterfaceImportForm, ManufacturerImportForm, SiteImportForm)
    from ipam.forms.bulk_import import IPAddressImportForm, PrefixImportForm, VLANImportForm

    return {"01": SiteImportForm, "02": ManufacturerImportForm, "03": DeviceRoleImportForm, "04": DeviceTypeImportForm,
            "05": DeviceImportForm, "06": InterfaceImportForm, "07": VLANImportForm, "08": PrefixImportForm,
            "09": IPAddressImportForm, "10": CableImportForm}


def main(root):
    by_number = forms()
    total, refused = 0, 0
    for path in sorted(glob.glob(os.path.join(root, "*.csv"))):
        form_cls = by_number[os.path.basename(path)[:2]]
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        pending, failed = list(rows), []
        for _attempt in range(3):  # rows depending on rows of the same file go after them
            failed = []
            for row in pending:
                data = {k: v for k, v in row.items() if v != ""}
                form = form_cls(data=data, headers={k: None for k in data})
                if form.is_valid():
                    form.save()
                else:
                    failed.append((row, form.errors))
            pending = [row for row, _errors in failed]
            if not pending:
                break
        for row, errors in failed[:10]:
            print("REFUSED", os.path.basename(path), dict(row), dict(errors))
        refused += len(failed)
        total += len(rows)
        print(os.path.basename(path), len(rows), "rows,", len(failed), "refused")
    print("TOTAL", total, "rows,", refused, "refused")
    return refused


main(sys.argv[-1])
