"""Read an RVTools .xlsx export into Estate records (openpyxl, read-only, by header name).

Sheets and headers follow RVTools 4.x (../shared/reference/RVTOOLS.md): columns
are found by their header text in row 1, never by position, and unknown
columns (vCenter custom attributes) are ignored.  Every problem is reported
with its sheet, row and column, all at once; nothing is returned half-read.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import zipfile

from .records import (POWER_STATES, Estate, Host, HostNic, ImportInputError, Origin, PortGroup, Security, Switch, Vm,
                      VmNic)

DEFAULT_MAX_MB = 200     # file size and unpacked size limit (a 5,000-VM export is ~2 MB packed)
MAX_ERRORS = 30

# sheet -> (required columns, optional columns); names exactly as RVTools writes them
SHEETS = {
    "vInfo": (("VM", "Powerstate"),
              ("Template", "Folder", "Datacenter", "Cluster", "Host", "VI SDK Server", "VM ID", "VM UUID", "Annotation")),
    "vNetwork": (("VM", "NIC label", "Network", "Mac Address", "IPv4 Address", "IPv6 Address"),
                 ("Switch", "Connected", "Template", "VM ID", "VI SDK Server")),
    "vPort": (("Host", "Port Group", "Switch", "VLAN"),
              ("Promiscuous Mode", "Mac Changes", "Forged Transmits", "Policy")),
    "vSwitch": (("Host", "Switch", "MTU"), ("Policy",)),
    "dvPort": (("Port", "Switch", "VLAN"),
               ("Allow Promiscuous", "Mac Changes", "Forged Transmits", "Policy", "Object ID")),
    "dvSwitch": (("Switch", "Max MTU"), ("LACP Name", "LACP Mode", "LACP Load Balance Alg.")),
    "vHost": (("Host",), ("Datacenter", "Cluster")),
    "vNIC": (("Host", "Network Device"), ("Switch", "MAC")),
}
REQUIRED_SHEETS = ("vInfo", "vNetwork")
_SPLIT = re.compile(r"[,;\s]+")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class _Errors:
    def __init__(self):
        self.lines = []

    def add(self, text):
        self.lines.append(text)

    def raise_if_any(self, path):
        if self.lines:
            shown = self.lines[:MAX_ERRORS]
            more = len(self.lines) - len(shown)
            raise ImportInputError(f"{os.path.basename(path)}: {len(self.lines)} problem(s):\n  " + "\n  ".join(shown)
                                   + (f"\n  ... and {more} more" if more else ""))


def _open(path: str, max_mb: int):
    """The workbook, after the checks that keep a bad or huge file from reaching openpyxl."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ImportInputError(f"{path}: cannot read the file ({exc.strerror})") from None
    limit = max_mb * 1024 * 1024
    if size > limit:
        raise ImportInputError(f"{path}: the file is {size / 1048576:.0f} MB, over the {max_mb} MB limit "
                               f"(raise import_max_mb if this export is genuine)")
    if not zipfile.is_zipfile(path):
        raise ImportInputError(f"{path}: not an .xlsx workbook (an .xlsx is a zip archive; is it a CSV or .xls export?)")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > 4 * limit:
        raise ImportInputError(f"{path}: the workbook unpacks to {unpacked / 1048576:.0f} MB, over "
                               f"{4 * max_mb} MB (4 x import_max_mb)")
    import openpyxl  # runtime dependency of the importer only
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportInputError(f"{path}: not a readable .xlsx workbook ({exc})") from None


def _merged_ranges(path, worksheet):
    """Merged cell ranges of a sheet, read from its XML (read-only openpyxl does not parse them)."""
    member = getattr(worksheet, "_worksheet_path", None)
    if not member:
        return []
    found, tail = [], b""
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            found += _MERGE.findall(data[: len(data) - 200] if len(chunk) == 1 << 20 else data)
            tail = data[-200:] if len(chunk) == 1 << 20 else b""
    return sorted({tuple(part.decode() for part in match) for match in found}, key=lambda m: (int(m[1]), m[0]))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bool(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    return {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}.get(text)


def _addresses(value, family: int):
    out = []
    for token in _SPLIT.split(_text(value)):
        if not token:
            continue
        try:
            addr = ipaddress.ip_address(token.split("%")[0].split("/")[0])
        except ValueError:
            continue
        if addr.version == family and not (addr.is_link_local or addr.is_loopback or addr.is_unspecified):
            out.append(str(addr))
    return tuple(dict.fromkeys(out))


class _Sheet:
    """Rows of one sheet as {column: value}, with the row number; header problems go to errors."""

    def __init__(self, path, workbook, name, errors):
        self.name = name
        self.ws = workbook[name]
        self.errors = errors
        self.columns = {}
        required, optional = SHEETS[name]
        rows = self.ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        self._rows = rows
        for idx, cell in enumerate(header):
            text = _text(cell)
            if text and text not in self.columns:
                self.columns[text] = idx
        for column in required:
            if column not in self.columns:
                lower = {c.lower(): c for c in self.columns}
                close = difflib.get_close_matches(column.lower(), list(lower), n=1, cutoff=0.7)
                hint = f"; did you mean '{lower[close[0]]}'?" if close else ""
                errors.add(f"sheet {name}, row 1: column '{column}' is missing{hint} (RVTools 4.x writes it)")
        self.wanted = [c for c in required + optional if c in self.columns]
        self.key = required[0]
        for first_col, first_row, last_col, last_row in _merged_ranges(path, self.ws):
            cells = f"{first_col}{first_row}" + (f":{last_col}{last_row}" if last_col else "")
            errors.add(f"sheet {name}, row {first_row}: cells {cells} are merged; "
                       "RVTools never merges cells: unmerge them and fill every row")

    def __iter__(self):
        index = [(c, self.columns[c]) for c in self.wanted]
        for number, row in enumerate(self._rows, start=2):
            if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue  # empty rows (hand-edited exports) carry nothing
            values = {c: (row[i] if i < len(row) else None) for c, i in index}
            if not _text(values.get(self.key)):
                self.errors.add(f"sheet {self.name}, row {number}, column '{self.key}': empty, but the row has other values")
                continue
            yield number, values


def read_rvtools(path: str, max_mb: int = DEFAULT_MAX_MB) -> Estate:
    """The Estate described by an RVTools export; ImportInputError names every problem found."""
    workbook = _open(path, max_mb)
    try:
        return _read(path, workbook)
    finally:
        workbook.close()


def _read(path, workbook) -> Estate:
    present = set(workbook.sheetnames)
    if not present & set(REQUIRED_SHEETS):
        raise ImportInputError(f"{os.path.basename(path)}: not an RVTools export: no sheet vInfo or vNetwork "
                               f"(its sheets: {', '.join(workbook.sheetnames[:10])})")
    errors = _Errors()
    for name in REQUIRED_SHEETS:
        if name not in present:
            errors.add(f"sheet {name} is missing (RVTools always writes it; export again with all tabs)")
    if not present & {"vPort", "dvPort"}:
        errors.add("sheets vPort and dvPort are both missing: port group VLANs are unknown")
    errors.raise_if_any(path)
    sheets = {name: _Sheet(path, workbook, name, errors) for name in SHEETS if name in present}
    errors.raise_if_any(path)
    estate = Estate(source=os.path.basename(path))
    for name in SHEETS:
        if name not in present:
            estate.notes.append(f"sheet {name} is absent")
    readers = {"vInfo": _vinfo, "vNetwork": _vnetwork, "vPort": _vport, "vSwitch": _vswitch, "dvPort": _dvport,
               "dvSwitch": _dvswitch, "vHost": _vhost, "vNIC": _vnic}
    for name, sheet in sheets.items():
        readers[name](sheet, estate, errors)
    errors.raise_if_any(path)
    return estate


def _vinfo(sheet, estate, errors):
    for row, v in sheet:
        power = POWER_STATES.get(_text(v.get("Powerstate")).lower())
        if power is None:
            errors.add(f"sheet vInfo, row {row}, column 'Powerstate': '{_text(v.get('Powerstate'))}' is not "
                       "poweredOn, poweredOff or suspended")
            continue
        estate.vms.append(Vm(
            name=_text(v["VM"]), power=power, template=bool(_bool(v.get("Template"))), folder=_text(v.get("Folder")),
            datacenter=_text(v.get("Datacenter")), cluster=_text(v.get("Cluster")), host=_text(v.get("Host")),
            vcenter=_text(v.get("VI SDK Server")), object_id=_text(v.get("VM ID")) or _text(v.get("VM UUID")),
            annotation=_text(v.get("Annotation")), origin=Origin("vInfo", row)))


def _vnetwork(sheet, estate, errors):
    for row, v in sheet:
        estate.nics.append(VmNic(
            vm=_text(v["VM"]), label=_text(v.get("NIC label")) or f"row {row}", network=_text(v.get("Network")),
            switch=_text(v.get("Switch")), mac=_text(v.get("Mac Address")).lower(),
            ipv4=_addresses(v.get("IPv4 Address"), 4), ipv6=_addresses(v.get("IPv6 Address"), 6),
            connected=_bool(v.get("Connected")), origin=Origin("vNetwork", row)))


def _security(v, promiscuous_column):
    return Security(_bool(v.get(promiscuous_column)), _bool(v.get("Mac Changes")), _bool(v.get("Forged Transmits")))


def _vport(sheet, estate, errors):
    for row, v in sheet:
        estate.port_groups.append(PortGroup(
            name=_text(v["Port Group"]), switch=_text(v.get("Switch")), kind="standard", vlan=_text(v.get("VLAN")),
            security=_security(v, "Promiscuous Mode"), teaming=_text(v.get("Policy")), host=_text(v.get("Host")),
            origin=Origin("vPort", row)))


def _dvport(sheet, estate, errors):
    for row, v in sheet:
        estate.port_groups.append(PortGroup(
            name=_text(v["Port"]), switch=_text(v.get("Switch")), kind="distributed", vlan=_text(v.get("VLAN")),
            security=_security(v, "Allow Promiscuous"), teaming=_text(v.get("Policy")),
            object_id=_text(v.get("Object ID")), origin=Origin("dvPort", row)))


def _mtu(sheet, row, value, errors, column):
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        errors.add(f"sheet {sheet}, row {row}, column '{column}': '{text}' is not a number")
        return None
    return int(text)


def _vswitch(sheet, estate, errors):
    for row, v in sheet:
        estate.switches.append(Switch(
            name=_text(v["Switch"]), kind="standard", mtu=_mtu("vSwitch", row, v.get("MTU"), errors, "MTU"),
            teaming=_text(v.get("Policy")), host=_text(v.get("Host")), origin=Origin("vSwitch", row)))


def _dvswitch(sheet, estate, errors):
    for row, v in sheet:
        lacp = _text(v.get("LACP Name"))
        estate.switches.append(Switch(
            name=_text(v["Switch"]), kind="distributed", mtu=_mtu("dvSwitch", row, v.get("Max MTU"), errors, "Max MTU"),
            teaming="lacp" if lacp else "", lacp_hash=_text(v.get("LACP Load Balance Alg.")) if lacp else "",
            lacp_mode=_text(v.get("LACP Mode")).lower() if lacp else "", origin=Origin("dvSwitch", row)))


def _vhost(sheet, estate, errors):
    for row, v in sheet:
        estate.hosts.append(Host(name=_text(v["Host"]), cluster=_text(v.get("Cluster")),
                                 datacenter=_text(v.get("Datacenter")), origin=Origin("vHost", row)))


def _vnic(sheet, estate, errors):
    """Physical NICs: RVTools has no CDP/LLDP neighbour for them, so no cabling comes from an export."""
    for row, v in sheet:
        device = _text(v.get("Network Device"))
        if not device:
            errors.add(f"sheet vNIC, row {row}, column 'Network Device': empty")
            continue
        estate.host_nics.append(HostNic(host=_text(v["Host"]), device=device, switch=_text(v.get("Switch")),
                                        mac=_text(v.get("MAC")).lower(), origin=Origin("vNIC", row)))
