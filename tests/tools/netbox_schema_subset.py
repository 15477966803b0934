"""Write tests/unit/dns_dhcp/netbox_openapi_subset.json: what the IPAM export test checks NetBox CSV against.

Input: NetBox's OpenAPI document, as ``netbox spectacular --file openapi.json`` writes it (NetBox's
own ``contrib/openapi.json`` is the same document; it is too large to keep in this repository), and
the installed NetBox package for the field lists of its bulk-import forms (read from the source
text, without Django).  Output: the writable request schemas of the exported object types, every
component schema they reference, and each import form's fields, with the source named.

How the committed file was made (NetBox 4.7.3 needs Python >= 3.12 and a PostgreSQL to migrate):

    python3.12 -m venv /tmp/nb && /tmp/nb/bin/pip install netbox==4.7.3
    # configuration.py with DATABASE (a scratch PostgreSQL), REDIS, SECRET_KEY, ALLOWED_HOSTS
    NETBOX_CONFIGURATION=<module> /tmp/nb/bin/python -m netbox migrate
    NETBOX_CONFIGURATION=<module> /tmp/nb/bin/python -m netbox spectacular --file /tmp/openapi.json
    .venv/bin/python tests/tools/netbox_schema_subset.py /tmp/openapi.json /tmp/nb/lib/python3.12/site-packages
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "unit", "dns_dhcp", "netbox_openapi_subset.json")

# object -> (writable request schema, import form file, import form class)
OBJECTS = {
    "site": ("WritableSiteRequest", "dcim/forms/bulk_import.py", "SiteImportForm"),
    "manufacturer": ("ManufacturerRequest", "dcim/forms/bulk_import.py", "ManufacturerImportForm"),
    "device_role": ("WritableDeviceRoleRequest", "dcim/forms/bulk_import.py", "DeviceRoleImportForm"),
    "device_type": ("WritableDeviceTypeRequest", "dcim/forms/bulk_import.py", "DeviceTypeImportForm"),
    "device": ("WritableDeviceRequest", "dcim/forms/bulk_import.py", "DeviceImportForm"),
    "interface": ("WritableInterfaceRequest", "dcim/forms/bulk_import.py", "InterfaceImportForm"),
    "vlan": ("WritableVLANRequest", "ipam/forms/bulk_import.py", "VLANImportForm"),
    "prefix": ("WritablePrefixRequest", "ipam/forms/bulk_import.py", "PrefixImportForm"),
    "ip_address": ("WritableIPAddressRequest", "ipam/forms/bulk_import.py", "IPAddressImportForm"),
    "cable": ("WritableCableRequest", "dcim/forms/bulk_import.py", "CableImportForm"),
}
EXTRA = {"cable_termination": "GenericObjectRequest"}


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _form_fields(package, path, cls):
    """``Meta.fields`` of an import form, read as text (NetBox 4.7 source needs Python 3.12 to parse whole)."""
    with open(os.path.join(package, path), encoding="utf-8") as handle:
        text = handle.read()
    start = text.index(f"\nclass {cls}(")
    end = text.find("\nclass ", start + 1)
    body = text[start:end if end > 0 else len(text)]
    match = re.search(r"\n        fields = ([\(\[].*?[\)\]])\n", body, re.S)
    if not match:
        raise SystemExit(f"{cls}.Meta.fields not found in {path}")
    return sorted(ast.literal_eval(match.group(1)))


def main(openapi_path, package):
    with open(openapi_path, encoding="utf-8") as handle:
        text = handle.read()
    if text.lstrip().startswith("{"):
        doc = json.loads(text)
    else:  # `netbox spectacular` writes YAML unless told --format openapi-json
        import yaml

        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    components = doc["components"]["schemas"]
    names = {obj: spec[0] for obj, spec in OBJECTS.items()}
    names.update(EXTRA)
    missing = sorted(n for n in names.values() if n not in components)
    if missing:
        raise SystemExit(f"not in the OpenAPI document: {missing}")
    keep, todo = set(), set(names.values())
    while todo:
        name = todo.pop()
        keep.add(name)
        found = set()
        _refs(components[name], found)
        todo |= found - keep
    subset = {
        "source": {"netbox": doc["info"].get("version"), "openapi": doc.get("openapi"),
                   "made_by": "tests/tools/netbox_schema_subset.py from `netbox spectacular` and the NetBox "
                              "package's bulk-import forms", "license": "Apache-2.0 (NetBox)"},
        "writable": names,
        "import_forms": {obj: _form_fields(package, spec[1], spec[2]) for obj, spec in OBJECTS.items()},
        "schemas": {name: components[name] for name in sorted(keep)},
    }
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(subset, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"wrote {OUT}: {len(keep)} schemas")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
