# Copyright: dcnet.fabric contributors
# Apache License 2.0 (see LICENSE)
"""Compare the objects of two designed sites: what is added, removed or changed, and which way.

The *direction* of a change decides the order of dependent steps:

* ``grow``: the object is added, or offers more than before (a VLAN more on a
  trunk, a larger MTU): providers first, then whoever uses it;
* ``shrink``: the object is removed, or offers less (a VLAN fewer, a smaller
  MTU): users first, then the provider.

A change that only alters values (an ASN, a description) counts as ``grow``.
One that both adds and removes (a VLAN swapped for another) is ``mixed``:
ordered as growing, and the plan says so.
"""

from __future__ import annotations


def _walk(old, new, path, out):
    """Collect (path, old, new, signal) for every differing leaf; signal is grow, shrink or None."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            if key not in new:
                out.append((f"{path}.{key}".lstrip("."), old[key], None, "shrink"))
            elif key not in old:
                out.append((f"{path}.{key}".lstrip("."), None, new[key], "grow"))
            elif old[key] != new[key]:
                _walk(old[key], new[key], f"{path}.{key}", out)
        return
    if isinstance(old, list) and isinstance(new, list):
        if all(isinstance(x, (int, str)) for x in old + new):
            before, after = set(old), set(new)
            signal = "grow" if after > before else "shrink" if after < before else \
                "mixed" if (after - before and before - after) else None
        else:
            signal = "grow" if len(new) > len(old) else "shrink" if len(new) < len(old) else None
            if len(new) == len(old):
                for index, (a, b) in enumerate(zip(old, new)):
                    if a != b:
                        _walk(a, b, f"{path}[{index}]", out)
                return
        out.append((path.lstrip("."), old, new, signal))
        return
    signal = None
    if path.rsplit(".", 1)[-1].endswith("mtu") and isinstance(old, int) and isinstance(new, int):
        signal = "grow" if new > old else "shrink"
    elif old is None or old == [] or old is False:
        signal = "grow"
    elif new is None or new == [] or new is False:
        signal = "shrink"
    out.append((path.lstrip("."), old, new, signal))


def direction(old, new) -> str:
    """grow | shrink | mixed for one object's old and new value (None = absent)."""
    if old is None:
        return "grow"
    if new is None:
        return "shrink"
    out = []
    _walk(old, new, "", out)
    signals = {s for _p, _o, _n, s in out if s}
    if "mixed" in signals or {"grow", "shrink"} <= signals:
        return "mixed"
    return "shrink" if signals == {"shrink"} else "grow"


def fields(old, new, limit=12) -> list:
    """The changed fields of one object as short sentences (for plan.md); changed lines for a document."""
    if isinstance(old, dict) and new is None:
        return [f"- {_compact(old)}"]
    if isinstance(new, dict) and old is None:
        return [f"+ {_compact(new)}"]
    if isinstance(old, str) or isinstance(new, str):
        before, after = (old or "").splitlines(), (new or "").splitlines()
        gone, came = set(before) - set(after), set(after) - set(before)   # lines, in each side's order
        lines = [f"- {ln.strip()}" for ln in before if ln in gone] + [f"+ {ln.strip()}" for ln in after if ln in came]
        return lines[:limit] + ([f"... {len(lines) - limit} more lines"] if len(lines) > limit else [])
    out = []
    _walk(old, new, "", out)
    rows = []
    for path, before, after, _signal in out[:limit]:
        if isinstance(before, list) and isinstance(after, list) and all(isinstance(x, dict) for x in before + after):
            added = [_compact(x) for x in after if x not in before]
            removed = [_compact(x) for x in before if x not in after]
            rows.append(f"{path or 'value'}: " + "; ".join([f"+ {a}" for a in added[:3]] + [f"- {r}" for r in removed[:3]])
                        + (f" ({len(added)} added, {len(removed)} removed)" if len(added) > 3 or len(removed) > 3 else ""))
        elif isinstance(before, list) and isinstance(after, list) and all(isinstance(x, (int, str)) for x in before + after):
            added = sorted(set(after) - set(before), key=str)
            removed = sorted(set(before) - set(after), key=str)
            text = ", ".join(p for p in (added and f"+{_short(added)}", removed and f"-{_short(removed)}") if p)
            rows.append(f"{path or 'value'}: {text}")
        else:
            rows.append(f"{path or 'value'}: {_short(before)} -> {_short(after)}")
    if len(out) > limit:
        rows.append(f"... {len(out) - limit} more")
    return rows


def _compact(item: dict) -> str:
    """A list item in one short line: its set values, ``key=value``."""
    return _short(" ".join(f"{k}={v}" for k, v in item.items()
                           if v not in (None, [], {}, "") and not isinstance(v, (dict, list))), 80)


def _short(value, width=60):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def changes(old_objects: dict, new_objects: dict) -> list:
    """[{key, action, direction, old, new}] of every object that differs, in key order."""
    out = []
    for key in sorted(set(old_objects) | set(new_objects)):
        old, new = old_objects.get(key), new_objects.get(key)
        if old is not None and new is not None and old["value"] == new["value"]:
            continue
        action = "add" if old is None else "remove" if new is None else "change"
        out.append({"key": key, "action": action,
                    "direction": direction(old and old["value"], new and new["value"]),
                    "old": old, "new": new})
    return out
