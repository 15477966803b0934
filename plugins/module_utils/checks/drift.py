"""Rules only running state can break (``dcnet.fabric.drift``); the rest of drift reuses the model checks."""

from __future__ import annotations

from .registry import declare

FAMILY = "drift"

NOT_APPLIED = declare(
    "DRIFT001", "error", "Node policy not applied", FAMILY,
    "A NodeNetworkConfigurationEnactment of the node is not Available (Failing, Degraded, Progressing or without "
    "status): the node does not run the NNCP the model rendered.", stage="drift")
