"""Rules the loader enforces on the model itself: keys, types, names, ids and references.

They stop the run at their stage (schema, then references) before anything is
allocated; ``model/spec.py`` and ``model/loader.py`` raise them.
"""

from __future__ import annotations

from .registry import declare

FAMILY = "model"

REQUIRED_KEY = declare("MODEL000", "error", "Required key missing", FAMILY, "A required key of the model is absent.")
UNKNOWN_KEY = declare(
    "MODEL001", "error", "Unknown key", FAMILY,
    "A key the model does not know; usually a typo. The message suggests the closest known key.")
WRONG_TYPE = declare(
    "MODEL002", "error", "Wrong type", FAMILY,
    "A value of the wrong type (a string where a number is expected, ...).")
NOT_ALLOWED = declare(
    "MODEL003", "error", "Value not allowed", FAMILY, "A value outside the allowed choices or pattern.")
OUT_OF_RANGE = declare(
    "MODEL004", "error", "Number out of range", FAMILY, "A number outside its documented range.")
BAD_ADDRESS = declare(
    "MODEL005", "error", "Bad address or prefix", FAMILY,
    "An IP address or prefix that does not parse, has host bits set or is of the wrong family.")
DUPLICATE_ENTRY = declare(
    "MODEL006", "error", "Duplicate list entry", FAMILY, "Two entries of a list share the same name/key.")
NAME_TWICE = declare(
    "ID001", "error", "Device name used twice", FAMILY,
    "Device and cluster names are unique site-wide: they name files and BGP peers.")
ID_TWICE = declare(
    "ID002", "error", "Id used twice", FAMILY,
    "Stable ids key address allocation; two devices with one id would get one address.")
SPINE_ID_BEYOND_MAX = declare(
    "ID003", "error", "Spine id beyond max_spines", FAMILY,
    "The p2p pool reserves max_spines links per leaf; a larger id would overlap the next leaf's links.")
BAD_PAIR_SIZE = declare("ID004", "error", "Bad leaf pair size", FAMILY, "A leaf pair has one or two leaves.")
NO_SPINES = declare("ID005", "error", "No spines", FAMILY, "The fabric needs at least one spine.")
UNKNOWN_NETWORK = declare(
    "REF001", "error", "Unknown network", FAMILY,
    "A reference to a network that is not defined (or not used by the cluster).")
UNKNOWN_PROFILE = declare(
    "REF002", "error", "Unknown bond profile", FAMILY, "A cluster's bond refers to an undefined bond profile.")
CLUSTER_WITHOUT_BOND = declare(
    "CLU001", "error", "Cluster without bond", FAMILY, "ove and linux clusters attach nodes through a bond.")
OTHER_PLATFORM_SETTING = declare(
    "CLU002", "error", "Setting of another platform", FAMILY, "intents are Azure Local only, metallb OVE only.")
