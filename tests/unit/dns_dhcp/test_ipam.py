"""IPAM exports: NetBox bulk-import CSV checked against NetBox's OpenAPI schema, playbooks/netbox.yml
against the real netbox.netbox collection, Infoblox CSV structure.

* NetBox: ``netbox_openapi_subset.json`` (beside this file) holds, for NetBox 4.7.3, the writable request
  schemas of the objects exported and the field list of each bulk-import form, both generated from the
  released NetBox package by ``tests/tools/netbox_schema_subset.py`` (NetBox is Apache-2.0; see the
  file's ``source``). Every CSV column must be a field of its import form; every column that the REST
  API also has must be a property of the writable schema, and every value must satisfy its type, enum,
  pattern, maximum length and range there. Columns naming another object (the API takes an id or a
  brief object, the import a name: ``site``, ``device``, ``lag``, ``scope_name``, ``side_a_device``, ...)
  must name an object of the export, and where the API has the property it must be a relation.
* playbooks/netbox.yml: ``ansible-playbook --syntax-check`` with the netbox.netbox collection extracted
  from the PyPI ``ansible`` wheel (no Galaxy here), and every data item of the rendered netbox.json
  against the ``data`` suboptions of the module's own DOCUMENTATION (keys, types, choices).
* Infoblox: sections with a ``header-<object>`` row whose required fields carry '*', data rows that start
  with the object type and have as many fields as their header; every object is one the NIOS CSV Import
  Reference lets you import and every field one of its fields there, required ones present
  (``NIOS_CSV_IMPORT`` below, taken from the reference's object pages).

Not proven here: an import into a running NetBox or Infoblox appliance (neither runs in CI).
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible_collections.dcnet.fabric.plugins.module_utils import pipeline
from ansible_collections.dcnet.fabric.plugins.module_utils.render.ipam import INFOBLOX_SECTIONS, NETBOX_FILES

from errors.harness import TODAY, example

from .models import served_small

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOK = os.path.join(ROOT, "playbooks", "netbox.yml")
COLLECTIONS = os.path.join(ROOT, ".collections")
_BUILT = {}


def files(name):
    if name not in _BUILT:
        raw = served_small() if name == "served" else example(name)
        result = pipeline.build(raw, from_vars=False, today=TODAY)
        assert not [f for f in result["findings"] if f["severity"] == "error"]
        _BUILT[name] = result["files"]
    return _BUILT[name]


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------------------------------ NetBox schema
SCHEMA_PATH = os.path.join(HERE, "netbox_openapi_subset.json")
# CSV file kind -> (import form, writable request schema)
OBJECTS = {"sites": "site", "manufacturers": "manufacturer", "device_roles": "device_role", "device_types": "device_type",
           "devices": "device", "interfaces": "interface", "vlans": "vlan", "prefixes": "prefix",
           "ip_addresses": "ip_address", "cables": "cable"}
# columns naming another object (the API takes its id or a brief object; the import form its name):
# (file kind, column) -> (file kind, field holding the name there)
REFERENCES = {("prefixes", "scope_name"): ("sites", "name"), ("prefixes", "vlan_site"): ("sites", "name"),
              ("prefixes", "vlan"): ("vlans", "vid"), ("vlans", "site"): ("sites", "name"),
              ("devices", "manufacturer"): ("manufacturers", "name"), ("devices", "site"): ("sites", "name"),
              ("devices", "role"): ("device_roles", "name"), ("devices", "device_type"): ("device_types", "model"),
              ("device_types", "manufacturer"): ("manufacturers", "name"), ("interfaces", "device"): ("devices", "name"),
              ("interfaces", "lag"): ("interfaces", "name"), ("interfaces", "parent"): ("interfaces", "name"),
              ("ip_addresses", "device"): ("devices", "name"), ("ip_addresses", "interface"): ("interfaces", "name"),
              ("cables", "side_a_device"): ("devices", "name"), ("cables", "side_b_device"): ("devices", "name"),
              ("cables", "side_a_name"): ("interfaces", "name"), ("cables", "side_b_name"): ("interfaces", "name")}


def _is_relation(prop):
    """An API property that takes a related object: its id (integer), or an id or a Brief object."""
    options = prop.get("oneOf") or prop.get("anyOf") or [prop]
    return any(o.get("type") == "integer" for o in options)


def _schema():
    if not os.path.exists(SCHEMA_PATH):
        pytest.fail(f"{SCHEMA_PATH} is missing: run tests/tools/netbox_schema_subset.py")
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def _value_problems(prop, value, schemas):
    """Problems of one CSV value against an OpenAPI property (CSV values are text)."""
    if "$ref" in prop:
        prop = schemas[prop["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in prop or "anyOf" in prop:
        options = prop.get("oneOf") or prop.get("anyOf")
        if any(not _value_problems(o, value, schemas) for o in options):
            return []
        return [f"{value!r} matches none of {options}"]
    kind = prop.get("type")
    out = []
    if "enum" in prop and value not in [str(e) for e in prop["enum"] if e is not None]:
        out.append(f"{value!r} not in {prop['enum']}")
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return [f"{value!r} is not an integer"]
        number = int(value)
        if "minimum" in prop and number < prop["minimum"] or "maximum" in prop and number > prop["maximum"]:
            out.append(f"{value} outside {prop.get('minimum')}..{prop.get('maximum')}")
    elif kind == "boolean" and value not in ("true", "false"):
        out.append(f"{value!r} is not a boolean")
    elif kind == "string":
        if "maxLength" in prop and len(value) > prop["maxLength"]:
            out.append(f"{value!r} longer than {prop['maxLength']}")
        if "pattern" in prop and not re.search(prop["pattern"], value):
            out.append(f"{value!r} does not match {prop['pattern']}")
    return out


@pytest.mark.parametrize("name", ["served", "dc1"])
def test_netbox_csv_against_the_openapi_schema(name):
    schema = _schema()
    schemas = schema["schemas"]
    built = files(name)
    tables = {kind: _rows(built[f"ipam/netbox/{file_name}"]) for file_name, kind, _cols in NETBOX_FILES}
    problems = []
    named = {ref: {r[ref[1]] for r in tables[ref[0]]} for ref in set(REFERENCES.values())}  # once, not per cell
    for file_name, kind, columns in NETBOX_FILES:
        obj = OBJECTS[kind]
        form_fields = set(schema["import_forms"][obj])
        writable = schemas[schema["writable"][obj]]
        assert set(columns) <= form_fields, (file_name, set(columns) - form_fields)
        assert set(writable.get("required", [])) - {"a_terminations", "b_terminations", "scope_type"} <= set(columns) | {
            "vlan_site"}, (file_name, writable.get("required"))
        for idx, row in enumerate(tables[kind]):
            for column, value in row.items():
                if value == "":
                    continue
                where = f"{file_name} row {idx + 2} {column}"
                prop = writable["properties"].get(column)
                if (kind, column) in REFERENCES:
                    other, field = REFERENCES[(kind, column)]
                    if value not in named[(other, field)]:
                        problems.append(f"{where}: {value!r} names no {other} row")
                    if prop is not None and not _is_relation(prop):
                        problems.append(f"{where}: the API property {column} is not a related object")
                elif prop is not None:
                    problems += [f"{where}: {p}" for p in _value_problems(prop, value, schemas)]
                elif column in ("side_a_type", "side_b_type"):
                    # a cable end is a GenericObjectRequest (object_type app.model + id) in the API
                    termination = schemas[schema["writable"]["cable_termination"]]["properties"]["object_type"]
                    problems += [f"{where}: {p}" for p in _value_problems(termination, value, schemas)]
                    if value != "dcim.interface":
                        problems.append(f"{where}: {value!r} is not dcim.interface")
                else:
                    problems.append(f"{where}: column is neither an API property nor a known import-only field")
    assert not problems, "\n".join(problems[:30])
    # references inside the export resolve: devices, interfaces, VLANs
    devices = {r["name"] for r in tables["devices"]}
    interfaces = {(r["device"], r["name"]) for r in tables["interfaces"]}
    assert {r["device"] for r in tables["interfaces"]} <= devices
    assert {(r["device"], r["interface"]) for r in tables["ip_addresses"] if r["device"]} <= interfaces
    for side in ("a", "b"):
        assert {(r[f"side_{side}_device"], r[f"side_{side}_name"]) for r in tables["cables"]} <= interfaces
    assert {r["lag"] for r in tables["interfaces"] if r["lag"]} <= {r["name"] for r in tables["interfaces"]}
    assert {int(r["vlan"]) for r in tables["prefixes"] if r["vlan"]} <= {int(r["vid"]) for r in tables["vlans"]}
    for row in tables["ip_addresses"]:
        ipaddress.ip_interface(row["address"])


def test_the_schema_check_is_not_blind():
    """A value NetBox refuses is reported: an unknown interface type and a VLAN id of 5000."""
    schema = _schema()
    schemas = schema["schemas"]
    interface = schemas[schema["writable"]["interface"]]["properties"]
    assert _value_problems(interface["type"], "virtual", schemas) == []
    assert _value_problems(interface["type"], "bond", schemas)
    vlan = schemas[schema["writable"]["vlan"]]["properties"]
    assert _value_problems(vlan["vid"], "5000", schemas)
    ip = schemas[schema["writable"]["ip_address"]]["properties"]
    assert _value_problems(ip["dns_name"], "w 001.example.net", schemas)
    assert not _value_problems(ip["dns_name"], "w001.ove-mgmt.dc1.example.net", schemas)


# ----------------------------------------------------------------------------------- playbooks/netbox.yml
def _netbox_collection():
    sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "ove"))
    import kubernetes_core  # the offline extractor of collections from the PyPI `ansible` wheel

    try:
        return kubernetes_core.ensure("netbox.netbox")
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"cannot download the `ansible` wheel from PyPI for netbox.netbox: {exc}")


def _syntax_check(collections_path):
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_PYTHON_INTERPRETER": sys.executable}
    binary = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if not os.path.exists(binary):
        pytest.skip("ansible-playbook is not installed next to this Python")
    return subprocess.run([binary, "--syntax-check", "-i", "localhost,", PLAYBOOK], capture_output=True, text=True,
                          timeout=300, env=env, check=False, cwd=ROOT)


def test_playbook_passes_syntax_check():
    _netbox_collection()
    proc = _syntax_check(COLLECTIONS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_syntax_check_fails_without_netbox_collection(tmp_path):
    link = tmp_path / "ansible_collections" / "dcnet" / "fabric"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    proc = _syntax_check(str(tmp_path))
    assert proc.returncode != 0 and "netbox.netbox" in proc.stdout + proc.stderr


TYPES = {"str": str, "int": int, "bool": bool, "dict": dict, "list": list}


def _documentation(path, marker="DOCUMENTATION"):
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    return yaml.safe_load(re.split(marker + r' = r?"""', source, maxsplit=1)[1].split('"""', 1)[0])


def _doc_options(collection, module):
    """The module's options with those of its documentation fragment (netbox_url, state, ...)."""
    doc = _documentation(os.path.join(collection, "plugins", "modules", f"{module}.py"))
    options = {}
    for fragment in doc.get("extends_documentation_fragment") or []:
        if fragment.startswith("netbox.netbox."):
            path = os.path.join(collection, "plugins", "doc_fragments", fragment.split(".")[-1] + ".py")
            options.update(_documentation(path, "DOCUMENTATION")["options"])
    options.update(doc["options"])
    return options


def _data_problems(options, data, where):
    out = []
    for key, value in data.items():
        if key not in options:
            out.append(f"{where}: '{key}' is not an option")
            continue
        spec = options[key]
        kind = spec.get("type", "str")
        if kind in TYPES and not isinstance(value, TYPES[kind]) and not (kind == "str" and isinstance(value, int)):
            out.append(f"{where}: '{key}' is {type(value).__name__}, the module takes {kind}")
        if "choices" in spec and value not in spec["choices"]:
            out.append(f"{where}: '{key}' {value!r} not in {spec['choices']}")
        if kind == "dict" and isinstance(value, dict) and spec.get("suboptions"):
            out += _data_problems(spec["suboptions"], value, f"{where}.{key}")
    return out


def test_playbook_data_fits_the_module_arguments():
    collection = _netbox_collection()
    with open(PLAYBOOK, encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    tasks = [t for t in plays[0]["tasks"] if any(k.startswith("netbox.netbox.") for k in t)]
    modules = [next(k for k in t if k.startswith("netbox.netbox.")).split(".")[-1] for t in tasks]
    data = json.loads(files("dc1")["ipam/netbox/netbox.json"])
    assert modules == list(data), "the playbook loads every rendered object type, in dependency order"
    problems = []
    for task, module in zip(tasks, modules):
        args = task[f"netbox.netbox.{module}"]
        options = _doc_options(collection, module)
        assert set(args) <= set(options) and args["state"] in options["state"]["choices"], module
        assert task["loop"] == "{{ dcnet_netbox.%s }}" % module
        for idx, item in enumerate(data[module]):
            problems += _data_problems(options["data"]["suboptions"], item, f"{module}[{idx}]")
    assert not problems, "\n".join(problems[:20])


# --------------------------------------------------------------------------------------------- Infoblox
# From the Infoblox NIOS CSV Import Reference ("Supported Object Types"; the object pages of NIOS 8.6 and
# 9.0 agree): per object, (fields used here that the page lists, fields the page marks required).
# NIOS 9.0 pages (infoblox-docs.atlassian.net/wiki/spaces/nios90/pages/<id>): IPv4 Network 179438566,
# IPv6 Network 179438505 (address and cidr required; its example header
# "header-IPv6network,address*,cidr*,network_view,comment"), Host Record 241729580 (fqdn required;
# addresses and ipv6_addresses, one of them given, each an address or a quoted list; configure_for_dns),
# IPv4 DHCP Range 280759200 (start_address, end_address). "IPv4 Network" also marks
# enable_discovery/discovery_member required, but only with discovery on (the reference's own network
# examples import with address and netmask alone). IPv6 DHCP Range 280401771 (IPv6DhcpRange) carries the
# note "This object is supported in CSV export only", and the permissions page 280401646 says IPv6 ranges
# cannot be imported by CSV: DHCPv6 pools are not exported. The reference spells object names in any case
# (header-dhcprange / header-DhcpRange, header-IPv6network): lower case here. The IPv6 Host Address object
# (280268973) is not needed: a host record's ipv6_addresses creates its IPv6 host addresses.
NIOS_CSV_IMPORT = {
    "network": ({"address", "netmask", "network_view", "comment"}, {"address", "netmask"}),
    "ipv6network": ({"address", "cidr", "network_view", "comment"}, {"address", "cidr"}),
    "hostrecord": ({"fqdn", "view", "network_view", "addresses", "ipv6_addresses", "aliases", "configure_for_dns",
                    "comment", "disabled", "ttl"}, {"fqdn"}),
    "dhcprange": ({"start_address", "end_address", "network_view", "name", "comment"}, {"start_address", "end_address"}),
}
NIOS_CSV_EXPORT_ONLY = {"ipv6dhcprange"}


def test_infoblox_objects_and_fields_are_the_import_references():
    for name, fields in INFOBLOX_SECTIONS:
        assert name not in NIOS_CSV_EXPORT_ONLY and name in NIOS_CSV_IMPORT, name
        known, required = NIOS_CSV_IMPORT[name]
        plain = {f.rstrip("*") for f in fields}
        assert plain <= known, (name, plain - known)
        assert required <= {f[:-1] for f in fields if f.endswith("*")}, (name, required)


def test_infoblox_csv_sections():
    text = files("served")["ipam/infoblox.csv"]
    fields = dict(INFOBLOX_SECTIONS)
    current = None
    counts = {}
    for row in csv.reader(io.StringIO(text)):
        if row[0].startswith("header-"):
            current = row[0][len("header-"):]
            assert tuple(row[1:]) == fields[current]
            assert any(f.endswith("*") for f in row[1:])
            continue
        assert row[0] == current and len(row) == len(fields[current]) + 1, row
        required = [i + 1 for i, f in enumerate(fields[current]) if f.endswith("*")]
        assert all(row[i] for i in required), row
        counts[current] = counts.get(current, 0) + 1
    assert set(counts) == {"network", "ipv6network", "hostrecord", "dhcprange"}
    hosts = {row[1]: row for row in csv.reader(io.StringIO(text)) if row[0] == "hostrecord"}
    assert hosts["ove-w1.small.example.net"][2:4] == ["10.10.10.11", "fd00:10::b"]
