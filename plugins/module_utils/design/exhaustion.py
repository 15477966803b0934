"""Failed allocations, one finding per pool: which pool, how many allocations miss it, what size it needs.

A /30 for the spine-leaf links of 46 leaves used to yield 92 findings, none
naming the pool.  ``_alloc`` (facts.py) records each failure as a ``Miss``;
``findings`` groups them by the pool they were taken from, names the pool by
its model path (``fabric.pools.p2p4``, ``networks[mgmt].ipv4``) and finds the
prefix length the largest allocation needs by retrying it on wider pools.
"""

from __future__ import annotations

import ipaddress
from collections import namedtuple

from ..errors import InputError
from ..checks import foundation as addr_rules

Miss = namedtuple("Miss", "path func args message hint")
EXAMPLES = 3


def pool_path(model, pool) -> str:
    """The model path a pool prefix was written at; the prefix itself when no key holds it."""
    for key, value in model.fabric["pools"].items():
        if value == pool:
            return f"fabric.pools.{key}"
    for name, net in model.networks.items():
        for fam in ("ipv4", "ipv6"):
            if net[fam] == pool:
                return f"networks[{name}].{fam}"
    return str(pool)


def needed_prefixlen(miss):
    """The longest prefix length at which this allocation succeeds, or None when widening does not help."""
    try:
        net = ipaddress.ip_network(miss.args[0])
    except (TypeError, ValueError):
        return None
    for length in range(net.prefixlen - 1, -1, -1):
        try:
            miss.func(str(net.supernet(new_prefix=length)), *miss.args[1:])
        except InputError:
            continue
        return length
    return None


def findings(model, misses) -> list:
    groups = {}
    for miss in misses:
        groups.setdefault(miss.args[0] if miss.args else None, []).append(miss)
    out = []
    for pool, group in groups.items():
        paths = sorted({m.path for m in group})
        where = pool_path(model, pool)
        needs = [n for n in (needed_prefixlen(m) for m in group) if n is not None]
        examples = ", ".join(paths[:EXAMPLES]) + (f" and {len(paths) - EXAMPLES} more" if len(paths) > EXAMPLES else "")
        try:
            net = ipaddress.ip_network(pool)
            given = f"/{net.prefixlen} ({net.num_addresses:,} addresses)"
        except (TypeError, ValueError):
            net, given = None, "the pool"
        if needs and net is not None:
            need = min(needs)
            size = f"needs at least /{need} ({2 ** (net.max_prefixlen - need):,} addresses), has {given}"
            hint = f"enlarge {where} to /{need} or wider ({group[0].hint})"
        else:
            size = f"has {given}; {group[0].message}"
            hint = group[0].hint
        out.append(addr_rules.POOL_EXHAUSTED.at(
            where, f"{pool} is exhausted: {len(group)} allocation(s) fall outside it; it {size}; for {examples}", hint,
            related=tuple(paths[:EXAMPLES])))
    return out
