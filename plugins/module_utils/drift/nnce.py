"""NodeNetworkConfigurationEnactment status from a Kubernetes dump -> which node did not apply which policy.

A dump is ``kubectl get nnce -o yaml`` (or json): a List of enactments named
``<node>.<policy>``, each with ``status.conditions``. An enactment is applied when its
``Available`` condition is ``True``; ``Failing``/``Degraded`` True or no ``Available``
means the node runs something else than the policy says.
"""

from __future__ import annotations

from ..errors import DcnetError

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core on the controller
    yaml = None


def parse_nnce(text_or_doc) -> list:
    """[{"node", "policy", "applied", "reason", "message"}], sorted by node then policy."""
    doc = text_or_doc
    if isinstance(text_or_doc, str):
        if yaml is None:
            raise DcnetError("reading YAML needs PyYAML (it comes with ansible-core)")
        try:
            doc = yaml.safe_load(text_or_doc)
        except yaml.YAMLError as exc:
            raise DcnetError(f"the NNCE dump is not YAML/JSON: {exc}") from None
    items = doc.get("items") if isinstance(doc, dict) and "items" in doc else [doc]
    out = []
    for item in items or ():
        if not isinstance(item, dict) or item.get("kind", "NodeNetworkConfigurationEnactment") != \
                "NodeNetworkConfigurationEnactment":
            continue
        meta = item.get("metadata") or {}
        labels = meta.get("labels") or {}
        name = meta.get("name", "")
        node = labels.get("nmstate.io/node") or name.split(".", 1)[0]
        policy = labels.get("nmstate.io/policy") or (name.split(".", 1)[1] if "." in name else "")
        conds = {c.get("type"): c for c in (item.get("status") or {}).get("conditions") or () if isinstance(c, dict)}
        available = conds.get("Available", {})
        bad = next((conds[t] for t in ("Failing", "Degraded", "Progressing", "Pending", "Aborted")
                    if conds.get(t, {}).get("status") == "True"), None)
        applied = available.get("status") == "True" and bad is None
        why = bad or available
        out.append({"node": node, "policy": policy, "applied": applied, "reason": why.get("reason", "NoStatus"),
                    "message": (why.get("message") or "")[:300]})
    return sorted(out, key=lambda e: (e["node"], e["policy"]))
