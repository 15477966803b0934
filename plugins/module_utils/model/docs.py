"""Markdown reference of the model, generated from the schema (docs/model.md)."""

from __future__ import annotations

import json

from . import schema
from .spec import REQUIRED, List, Map, Obj, OneOf


def _example(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and len(value) > 3:
        value = value[:3] + ["..."]
    if isinstance(value, dict) and len(value) > 3:
        value = dict(list(value.items())[:3] + [("...", "...")])
    return "`" + json.dumps(value, separators=(", ", ": ")).replace("|", "\\|") + "`"


def collect_samples(raw, spec=None, path="", out=None) -> dict:
    """{doc path: first value seen} of a model, for keys whose schema gives no example.

    Doc paths are the ones the tables use: ``fabric.spines[].id``, ``bond_profiles[name].mode``.
    """
    spec = spec or schema.MODEL
    out = {} if out is None else out
    if isinstance(spec, Obj) and isinstance(raw, dict):
        for key, field in spec.fields.items():
            if key in raw and raw[key] is not None:
                sub = f"{path}.{key}" if path else key
                out.setdefault(sub, raw[key])
                collect_samples(raw[key], field.spec, sub, out)
    elif isinstance(spec, List) and isinstance(raw, list):
        for item in raw:
            collect_samples(item, spec.item, f"{path}[]", out)
    elif isinstance(spec, Map) and isinstance(raw, dict):
        for item in raw.values():
            collect_samples(item, spec.value, f"{path}[name]", out)
    return out


def _default(field) -> str:
    if field.default is REQUIRED:
        return "**required**"
    if field.default in (None, [], {}, ""):
        return "—" if field.default is None else f"`{json.dumps(field.default)}`"
    return f"`{json.dumps(field.default)}`"


def _rows(obj: Obj, prefix: str, out: list, sections: list, samples: dict, label: str) -> None:
    for key, field in obj.fields.items():
        path = f"{prefix}.{key}" if prefix else key
        example = field.example if field.example is not None else samples.get(f"{label}.{key}")
        spec = field.spec
        type_text = spec.describe()
        sub = None
        if isinstance(spec, Obj):
            sub, type_text = (spec, "mapping (below)")
        elif isinstance(spec, List) and isinstance(spec.item, Obj):
            sub, type_text = (spec.item, "list of mappings (below)")
        elif isinstance(spec, Map) and isinstance(spec.value, Obj):
            sub, type_text = (spec.value, f"mapping of {spec.key_doc} to mapping (below)")
        elif isinstance(spec, OneOf):
            sub = spec.obj
        out.append(f"| `{path}` | {type_text} | {_default(field)} | {field.doc} | {_example(example)} |")
        if sub is not None:
            item = "[]" if isinstance(spec, List) else ("[name]" if isinstance(spec, Map) else "")
            sections.append((path + item, sub))


def model_markdown(samples: dict | None = None) -> str:
    """The page; ``samples`` (from ``collect_samples`` over the bundled examples) fill missing examples."""
    samples = samples or {}
    lines = [
        "# The shared inventory model",
        "",
        "Generated from `plugins/module_utils/model/schema.py` by `tests/tools/gen_model_doc.py`; a test fails when",
        "this page and the schema disagree. Every fact is written once: clusters, intents and cables refer to",
        "networks, bond profiles and leaves by name, and addresses, ASNs, links and ports are derived from pools",
        "and stable ids (explicit values override and are validated like everything else).",
        "",
        "Each top-level key is an Ansible inventory variable named `dcnet_<key>` (for example `dcnet_fabric` in",
        "`group_vars/all/site.yml`). Unknown keys are errors with a 'did you mean' suggestion; every error names",
        "its model path, e.g. `clusters[ove-prod].nodes[w017].nics[ens1f1]` (list items are named by their",
        "`name`, or `rack` for leaf pairs).",
        "",
        "Examples: `examples/small/inventory/group_vars/all/` (4 switches, 4 nodes) and",
        "`examples/dc1/inventory/group_vars/all/` (30 switches, 162 nodes, 212 networks).",
        "",
        "Names and values that reach other systems are checked when the model is loaded, with each system's own",
        "rule (the *type* column names it): device, cluster and site names are hostnames (DNS-1123 labels: they",
        "name files under `build/`, Kubernetes nodes and switch hostnames); network names also fit a 32-character",
        "EOS/NX-OS VLAN name; namespaces are DNS-1123 labels and other Kubernetes object names DNS-1123",
        "subdomains; bonds, bridges and NICs are Linux interface names (15 characters). No string may hold a",
        "control character (a newline would start a new line in a switch config or script). A number written in",
        "quotes (`vlan: \"150\"`) is read as that number, because ansible-core before 2.19 templates every",
        "`{{ expression }}` to a string; only plain decimal text qualifies (`\"0150\"`, `\" 150\"` or `\"1e3\"` are errors).",
        "Size limits on the whole model are listed in docs/checks.md (Limits).",
        "",
    ]
    queue = [(key, field.spec) for key, field in schema.MODEL.fields.items()]
    seen = set()
    while queue:
        title, spec = queue.pop(0)
        obj = spec
        label = title
        if isinstance(spec, List):
            obj, label = spec.item, f"{title}[]"
        elif isinstance(spec, Map):
            obj, label = spec.value, f"{title}[name]"
        if not isinstance(obj, Obj) or label in seen:
            continue
        seen.add(label)
        top_doc = schema.MODEL.fields.get(title)
        lines += [f"## `{label}`" + (f" — variable `dcnet_{title}`" if title in schema.MODEL.fields else ""), ""]
        if top_doc is not None:
            lines += [top_doc.doc, ""]
        lines += ["| key | type | default | meaning | example |", "|---|---|---|---|---|"]
        sections: list = []
        _rows(obj, "", lines, sections, samples, label)
        lines.append("")
        queue[0:0] = [(f"{label}.{path}", sub) for path, sub in sections]
    return "\n".join(lines) + "\n"
