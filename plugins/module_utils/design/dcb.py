"""One lossless-storage (DCB) design per leaf, rendered three ways (NX-OS, EOS, Linux/FRR).

What Microsoft's Azure Local switch reference asks of every ToR port that carries RDMA storage:
CoS 3 (SMB Direct) and CoS 7 (cluster heartbeat) classified into their own queues, PFC on the SMB
priority only, ETS bandwidth (SMB >= 50 %, cluster 1 % at 25G and up / 2 % at 10G, the rest for the
default class), ECN marking on the RDMA queue, DCBX in IEEE mode and non-willing (the TLVs are for
the host's telemetry; Azure Local configures DCB statically), and jumbo MTU on the no-drop class.
The priorities and the SMB share come from the intents (Network ATC's defaults unless overridden),
so host and switch cannot disagree; the renderers only choose the platform's words.
"""

from __future__ import annotations

from .. import platforms

# Microsoft's reference values that the model does not carry (docs/platforms/azure_local.md).
CLUSTER_BANDWIDTH = 1        # percent; 25G and faster adapters (2 % at 10G: a per-intent override)
# WRED/ECN on the RDMA queue: mark at 300 KB, at once (Microsoft's NX-OS reference: min = max, weight 0)
ECN_MIN_KBYTES = 300
ECN_MAX_KBYTES = 300


def dcb_config(model, facts, ports, leaf):
    """The leaf's DCB section from its RDMA host ports, or None when no port carries RDMA storage."""
    rdma = [p for p in ports if p["dcb"]]
    if not rdma:
        return None
    # one system-wide policy per switch: the first port's intent sets it (a registry rule reports intents that ask for another)
    first = rdma[0]["dcb"]
    smb, cluster = first["pfc_priorities"][0], first["cluster_priority"]
    smb_bw = first["smb_bandwidth"]
    plat = platforms.get(facts.switches[leaf]["platform"])
    return {
        "enabled": True,
        "storage_priority": smb, "cluster_priority": cluster,
        "pfc_priorities": sorted({pr for p in rdma for pr in p["dcb"]["pfc_priorities"]}),
        "bandwidth": {"storage": smb_bw, "cluster": CLUSTER_BANDWIDTH,
                      # Microsoft's reference shares what the cluster class leaves as storage 50 / default 48
                      "default": 98 - smb_bw},
        "ecn": {"min_kbytes": ECN_MIN_KBYTES, "max_kbytes": ECN_MAX_KBYTES},
        "dcbx": {"mode": "ieee", "willing": False},
        "mtu": plat.max_mtu,
        "interfaces": [p["name"] for p in rdma],
    }
