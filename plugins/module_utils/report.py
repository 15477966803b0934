"""Run reports for people (Markdown, self-contained HTML) and machines (JSON).

No timestamps: the same model gives byte-identical reports, so a second run
reports no change.
"""

from __future__ import annotations

import html
import json

from .findings import SEVERITIES


def summarize(result: dict) -> dict:
    counts = {s: 0 for s in SEVERITIES}
    for f in result["findings"]:
        counts[f["severity"]] += 1
    return {"errors": counts["error"], "warnings": counts["warning"], "info": counts["info"],
            "waived": len(result.get("waived", [])), "devices": result.get("device_counts", {}),
            "stage": result.get("stage", "render")}


def summary_line(result: dict) -> str:
    s = summarize(result)
    devices = ", ".join(f"{v} {k}" for k, v in s["devices"].items()) or "no devices"
    status = "FAILED" if s["errors"] else "OK"
    return (f"dcnet.fabric {result.get('site') or '?'}: {status} — {s['errors']} error(s), {s['warnings']} warning(s), "
            f"{s['waived']} waived; {devices}; stage {s['stage']}")


def to_json(result: dict) -> str:
    data = {"site": result.get("site"), "summary": summarize(result), "findings": result["findings"],
            "waived": result.get("waived", []), "rules": result.get("rules", {}), "facts": result.get("report_facts", {})}
    return json.dumps(data, indent=2) + "\n"


def _group(findings):
    groups = {}
    for f in findings:
        groups.setdefault((f["severity"], f["rule"]), []).append(f)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))


def _md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _docs(result: dict) -> set:
    """The documentation files this run wrote (target docs), relative to the site folder."""
    return {p for p in (result.get("owners") or {}) if p.startswith("docs/")}


def _pictures_md(result: dict) -> list:
    docs = _docs(result)
    if not docs:
        return []
    lines = ["## Topology", ""]
    if "docs/topology.svg" in docs:
        lines += ["![Topology of the site](docs/topology.svg)", ""]
    lines += ["Graphviz source: [docs/topology.dot](docs/topology.dot). Cabling plan: [docs/cabling.md](docs/cabling.md) "
              "([CSV](docs/cabling.csv)). Device pages: `docs/devices/<switch>.md`.", ""]
    return lines


def _pictures_html(result: dict) -> list:
    docs = _docs(result)
    if not docs:
        return []
    out = ["<h2>Topology</h2>"]
    if "docs/topology.svg" in docs:
        out.append("<p><img src='docs/topology.svg' alt='Topology of the site' style='max-width:100%'></p>")
    out.append("<p>Graphviz source: <a href='docs/topology.dot'>docs/topology.dot</a>. Cabling plan: "
               "<a href='docs/cabling.md'>docs/cabling.md</a> (<a href='docs/cabling.csv'>CSV</a>).</p>")
    return out


def to_markdown(result: dict) -> str:
    s = summarize(result)
    rules = result.get("rules", {})
    lines = [f"# dcnet.fabric report — {result.get('site') or '?'}", "",
             summary_line(result), "",
             "| errors | warnings | info | waived |", "|---:|---:|---:|---:|",
             f"| {s['errors']} | {s['warnings']} | {s['info']} | {s['waived']} |", ""]
    if s["devices"]:
        lines += ["## Devices", "", "| kind | count |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in s["devices"].items()] + [""]
    lines += _pictures_md(result)
    for section, facts in (result.get("report_facts") or {}).items():
        lines += [f"## {section}", ""]
        if facts and isinstance(facts, list) and isinstance(facts[0], dict):
            keys = list(facts[0])
            lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            lines += ["| " + " | ".join(_md_escape(row.get(k, "")) for k in keys) + " |" for row in facts]
        lines.append("")
    lines += ["## Findings", ""]
    if not result["findings"]:
        lines += ["No findings.", ""]
    else:
        lines += ["| severity | rule | title | findings |", "|---|---|---|---:|"]
        lines += [f"| {severity} | {rule} | {_md_escape(rules.get(rule, {}).get('title', ''))} | {len(items)} |"
                  for (severity, rule), items in _group(result["findings"])] + [""]
    for (severity, rule), items in _group(result["findings"]):
        title = rules.get(rule, {}).get("title", "")
        lines += [f"### {severity}: {rule} {title} ({len(items)})", "", "| model path | message | hint | related |",
                  "|---|---|---|---|"]
        lines += [f"| `{_md_escape(f['path'])}` | {_md_escape(f['message'])} | {_md_escape(f['hint'])} | "
                  f"{_md_escape(', '.join(f['related']))} |" for f in items]
        lines.append("")
    lines += ["## Waived findings", ""]
    if not result.get("waived"):
        lines += ["None.", ""]
    else:
        lines += ["| rule | model path | message | reason | expires |", "|---|---|---|---|---|"]
        lines += [f"| {w['rule']} | `{_md_escape(w['path'])}` | {_md_escape(w['message'])} | {_md_escape(w['reason'])} | "
                  f"{w['expires']} |" for w in result["waived"]]
        lines.append("")
    return "\n".join(lines)


_CSS = ("body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
        ".error{color:#b00}.warning{color:#a60}.info{color:#06a}code{font-size:90%}")


def to_html(result: dict) -> str:
    esc = html.escape
    s = summarize(result)
    rules = result.get("rules", {})
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
           f"<title>dcnet.fabric report {esc(str(result.get('site')))}</title><style>{_CSS}</style></head><body>",
           f"<h1>dcnet.fabric report — {esc(str(result.get('site')))}</h1>", f"<p>{esc(summary_line(result))}</p>",
           "<table><tr><th>errors</th><th>warnings</th><th>info</th><th>waived</th></tr>",
           f"<tr><td class='error'>{s['errors']}</td><td class='warning'>{s['warnings']}</td><td>{s['info']}</td>"
           f"<td>{s['waived']}</td></tr></table>"]
    out += _pictures_html(result)
    for section, facts in (result.get("report_facts") or {}).items():
        out.append(f"<h2>{esc(section)}</h2>")
        if facts and isinstance(facts, list) and isinstance(facts[0], dict):
            keys = list(facts[0])
            out.append("<table><tr>" + "".join(f"<th>{esc(k)}</th>" for k in keys) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{esc(str(row.get(k, '')))}</td>" for k in keys) + "</tr>" for row in facts]
            out.append("</table>")
    out.append("<h2>Findings</h2>")
    if not result["findings"]:
        out.append("<p>No findings.</p>")
    else:
        out.append("<table><tr><th>severity</th><th>rule</th><th>title</th><th>findings</th></tr>")
        out += [f"<tr><td class='{esc(severity)}'>{esc(severity)}</td><td><a href='#rule-{esc(rule)}'>{esc(rule)}</a></td>"
                f"<td>{esc(rules.get(rule, {}).get('title', ''))}</td><td>{len(items)}</td></tr>"
                for (severity, rule), items in _group(result["findings"])]
        out.append("</table>")
    for (severity, rule), items in _group(result["findings"]):
        out.append(f"<h3 id='rule-{esc(rule)}' class='{esc(severity)}'>{esc(severity)}: {esc(rule)} "
                   f"{esc(rules.get(rule, {}).get('title', ''))} "
                   f"({len(items)})</h3><table><tr><th>model path</th><th>message</th><th>hint</th><th>related</th></tr>")
        out += [f"<tr><td><code>{esc(f['path'])}</code></td><td>{esc(f['message'])}</td><td>{esc(f['hint'])}</td>"
                f"<td>{esc(', '.join(f['related']))}</td></tr>" for f in items]
        out.append("</table>")
    out.append("<h2>Waived findings</h2>")
    if result.get("waived"):
        out.append("<table><tr><th>rule</th><th>model path</th><th>message</th><th>reason</th><th>expires</th></tr>")
        out += [f"<tr><td>{esc(w['rule'])}</td><td><code>{esc(w['path'])}</code></td><td>{esc(w['message'])}</td>"
                f"<td>{esc(w['reason'])}</td><td>{esc(w['expires'])}</td></tr>" for w in result["waived"]]
        out.append("</table>")
    else:
        out.append("<p>None.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)
