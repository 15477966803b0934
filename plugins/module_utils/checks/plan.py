"""Rules a day-2 plan must keep (``dcnet.fabric.plan``): raised by plan/rules.py on the ordered phases."""

from __future__ import annotations

from .registry import declare

FAMILY = "plan"

PAIR_IN_ONE_BATCH = declare(
    "PLAN001", "error", "Both leaves of an MLAG pair in one batch", FAMILY,
    """A batch of a plan changes both leaves of an MLAG / vPC / CLAG pair at once.

    Every dual-homed server loses both bond members while the batch applies: the change the
    plan was meant to make without downtime takes the rack's servers off the network.

    Keep the rolling batches (side a of every pair, then side b): leave ``plan_switch_batching``
    at ``rolling``.""", stage="plan")

TOO_MANY_NODES = declare(
    "PLAN002", "error", "More nodes in a batch than maxUnavailable", FAMILY,
    """A batch of host policies reconfigures more nodes of one cluster at a time than the cluster's
    ``maxUnavailable`` (``clusters[].ove.nncp_max_unavailable``; 10% for other platforms).

    Per-node policies applied together are not coordinated by kubernetes-nmstate: every node
    they select may be down at once, more than the cluster was sized to lose.

    Lower ``plan_node_batch`` to at most the cluster's ``maxUnavailable`` (or raise that
    setting in the model if the cluster can afford it).""", stage="plan")

VLAN_STILL_USED = declare(
    "PLAN003", "error", "VLAN removed while VMs still use it", FAMILY,
    """The plan takes a network off a cluster (trunks, host policies, NAD) while VMs of that
    cluster in ``dcnet_vms`` still have a NIC on it in the target model.

    Those VMs would lose their network in the middle of the rollout.

    Move or detach the VMs first (a plan whose target model no longer lists them on that
    network), then remove the network.""", stage="plan")

BFD_DROPPED = declare(
    "PLAN004", "warning", "A BGP session loses BFD", FAMILY,
    """A BGP session that exists before and after the change has BFD before and not after.

    Without BFD a failed link is only noticed when the hold timer expires (seconds instead of
    a few hundred milliseconds): the next maintenance on either side costs traffic.

    Keep ``fabric.bfd.enabled`` (and the session's BFD) unless dropping it is the point of the
    change; waive this finding when it is.""", stage="plan")
