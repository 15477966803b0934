"""ECN on the RDMA queue of a Linux (switchdev) leaf: the tc qdiscs that the DCB design asks for.

Linux DCB (``dcb ets|pfc|dcbx``) has no ECN knob; marking is a RED qdisc with ``ecn`` (tc-red(8))
under a band of a classful root. The root is an ETS qdisc (tc-ets(8)) that restates the priority to
traffic class map and the bandwidth shares of the ``dcb ets`` line in the switch driver's own band
order: mlxsw (Spectrum) and the drivers that follow its model give band ``b`` traffic class ``7 - b``
(mlxsw wiki "Queues Management", "Band Number Mapping"), so the default class 0 is the last band
and the storage class 3 is band 4, class ``1:5`` (tc-ets(8): a band's class minor is band + 1).
Thresholds and marking probability are the design's (the same numbers EOS and NX-OS render).
"""

from __future__ import annotations

TRAFFIC_CLASSES = 8                 # IEEE 802.1Qaz: eight traffic classes, one ETS band each
ROOT_HANDLE = 1                     # the ETS root qdisc's major number
KBYTE = 1024                        # tc(8): "kb or k" is 1024 bytes; the design counts kbytes
AVPKT = 1000                        # tc-red(8): "1000 is a good value" (not offloaded by mlxsw)
LIMIT_TIMES_MAX = 4                 # tc-red(8): limit "a few times higher than max"
UNUSED_BAND_QUANTUM = 1             # a band no priority maps to carries nothing; tc-ets(8) wants quanta > 0


def band_of(traffic_class: int) -> int:
    """The driver's band for a traffic class (band 0 is traffic class 7)."""
    return TRAFFIC_CLASSES - 1 - traffic_class


def ets_shares(dcb) -> dict:
    """Traffic class -> ETS percent, as the ``dcb ets`` line sets them: storage, cluster, the rest to class 0."""
    bw = dcb["bandwidth"]
    return {0: 100 - bw["storage"] - bw["cluster"], dcb["storage_priority"]: bw["storage"],
            dcb["cluster_priority"]: bw["cluster"]}


def _quanta(shares, unit) -> list:
    """Per band quanta whose sum is 100 units, so the weights the kernel offloads (percent of the quanta
    sum, rounded down per band by sch_ets) are the design's shares exactly; unused bands take their
    byte from the default class."""
    unused = [tc for tc in range(TRAFFIC_CLASSES) if tc not in shares]
    quanta = {tc: pct * unit for tc, pct in shares.items()}
    quanta[0] -= UNUSED_BAND_QUANTUM * len(unused)
    quanta.update({tc: UNUSED_BAND_QUANTUM for tc in unused})
    return [quanta[TRAFFIC_CLASSES - 1 - band] for band in range(TRAFFIC_CLASSES)]


def ecn_qdiscs(dcb) -> dict:
    """The ETS root and the RED child of the storage band, as tc arguments after ``dev <port>``.

    The smallest share gets one MTU per round (tc-ets(8)'s default quantum is the MTU). RED marks at
    the design's thresholds with probability 1 (Microsoft's reference: drop-probability 100, min = max);
    burst is the smallest tc accepts for that min, the closest Linux comes to NX-OS's weight 0
    (the instantaneous queue); mlxsw offloads min, max, probability and ecn only.
    """
    shares = ets_shares(dcb)
    tc_of_priority = {p: (p if p in shares else 0) for p in range(TRAFFIC_CLASSES)}
    priomap = [band_of(tc_of_priority[p]) for p in range(TRAFFIC_CLASSES)]
    quanta = _quanta(shares, unit=-(-dcb["mtu"] // min(pct for pct in shares.values() if pct)))
    storage_band = band_of(dcb["storage_priority"])
    low, high = dcb["ecn"]["min_kbytes"] * KBYTE, dcb["ecn"]["max_kbytes"] * KBYTE
    burst = -(-low // AVPKT)                          # iproute2 refuses a burst below min / avpkt
    root = (f"root handle {ROOT_HANDLE}: ets bands {TRAFFIC_CLASSES} quanta {' '.join(map(str, quanta))} "
            f"priomap {' '.join(map(str, priomap))}")
    red = (f"parent {ROOT_HANDLE}:{storage_band + 1} handle {0x10 + storage_band + 1:x}: red "
           f"limit {LIMIT_TIMES_MAX * high} min {low} max {high} avpkt {AVPKT} burst {burst} probability 1 ecn")
    return {"root": root, "red": red}
