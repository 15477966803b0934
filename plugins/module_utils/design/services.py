"""The site's address services (DNS, DHCP, IPAM), designed once beside the devices.

``services(model, facts)`` is the ``services`` key of the design: the
address records (``addressed.py``), the zones built from them (``dns.py``)
and the DHCP scopes, relays and RA policy (``dhcp.py``).  The DNS, DHCP and
IPAM renderers and the ``dns``/``dhcp`` checks all read this one dict.
"""

from __future__ import annotations

from .addressed import address_records
from .dhcp import dhcp_service
from .dns import dns_zones


def services(model, facts, designed) -> dict:
    """``designed``: the devices' structured configs (nodes name the interfaces DHCPv6 servers listen on)."""
    records = address_records(model, facts)
    return {"records": records, "dns": dns_zones(model, facts, records), "dhcp": dhcp_service(model, facts, designed)}
