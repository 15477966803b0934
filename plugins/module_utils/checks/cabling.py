"""Rules on the cables between server NICs and leaf ports.

The loader checks every cable against the fabric (known leaf, a front-panel
port of its platform within its port count, not an uplink or peer-link port,
one cable per port); the allocator checks the port-channel ids the cables
imply.
"""

from __future__ import annotations

from .registry import declare

FAMILY = "cabling"

BAD_CABLE = declare(
    "REF003", "error", "Unknown leaf or bad cable", FAMILY,
    "A NIC is cabled to a leaf that is not in the fabric, or the cable is not 'leaf:port'.")
PORT_TWICE = declare(
    "CABLE001", "error", "Leaf port cabled twice", FAMILY,
    "One leaf port can take one cable; two NICs on one port means a typo in the cabling.")
BAD_PORT = declare(
    "CABLE002", "error", "Bad or reserved leaf port", FAMILY,
    "The port name is not a front-panel port of the leaf's platform, its number is beyond the switch's port "
    "count, or it is a spine uplink / MLAG peer-link port.")
NO_CABLE = declare("CABLE003", "error", "Node without cabled NIC", FAMILY,
                   "A node needs at least one NIC cabled to a leaf.")
CHANNEL_COLLISION = declare(
    "CABLE004", "error", "Port-channel id collision", FAMILY,
    "Two bonds would use the same port-channel id on one leaf; cable bond members to the same port number on "
    "both leaves.", stage="allocate")
