"""Render a :class:`~vigil.sitrep.build.Sitrep` as Markdown, HTML or JSON.

The Markdown and HTML reports are what an information manager pastes into a situation report: key numbers
with their range and sources, conflicts side by side, statuses latest change first, notable quotes, and the
most urgent messages of the period by type. All text comes from the messages and is attacker-controlled: the
HTML escapes every value, the Markdown neutralises table pipes, line breaks and raw HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import orjson

from .build import Sitrep, focus_claims
from .model import Claim, Conflict
from .reconcile import figure, group_counts

__all__ = ["render", "render_html", "render_json", "render_markdown"]

MAX_QUOTES = 10
MAX_STATUSES = 25
# subjects shown first, in this order; the rest follow alphabetically
_ORDER = ["deaths", "injured", "casualties", "missing", "people trapped", "fighters", "evacuated", "displaced",
          "detained", "rescued"]


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ") if iso else "?"


def _value(c: Claim) -> str:
    lo, hi = c.value_low, c.value_high
    approx = "~" if c.approx and lo is not None and lo == hi else ""
    if lo is not None and hi is not None:
        return f"{approx}{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
    if lo is not None:
        return f"{lo:,}+"
    return f"≤{hi:,}" if hi is not None else "?"


def _source(c: Claim) -> str:
    src = " via ".join(c.attributed_to) or "unattributed"
    return f"{src} (reportedly)" if c.hedged else src


def _subjects(sitrep: Sitrep) -> list[tuple[str, list[Claim]]]:
    groups = group_counts(focus_claims(sitrep.claims))
    ordered = [s for s in _ORDER if s in groups]
    ordered += sorted(s for s in groups if s not in _ORDER and groups[s])
    return [(s, groups[s]) for s in ordered]


def _range(items: list[Claim]) -> str:
    lows = [figure(c)[0] for c in items]
    highs = [figure(c)[1] for c in items]
    lo, hi = min(lows), max(highs)
    open_high = any(c.value_high is None for c in items if figure(c)[1] == hi)
    text = f"{lo:,.0f}" if lo == hi else f"{lo:,.0f}–{hi:,.0f}"
    return text + ("+" if open_high else "")


def _statuses(sitrep: Sitrep) -> list[Claim]:
    items = [c for c in focus_claims(sitrep.claims) if c.kind == "status"]
    return sorted(items, key=lambda c: c.published_at, reverse=True)[:MAX_STATUSES]


def _quotes(sitrep: Sitrep) -> list[Claim]:
    items = [c for c in focus_claims(sitrep.claims) if c.kind == "quote" and c.quote]
    # notable: the longer quotes of named speakers, newest first, one per speaker per document
    seen: set[tuple[str, str]] = set()
    picked = []
    for c in sorted(items, key=lambda c: (c.published_at, len(c.quote or "")), reverse=True):
        key = (c.document, c.speaker or "")
        if key in seen:
            continue
        seen.add(key)
        picked.append(c)
    return picked[:MAX_QUOTES]


def _period(sitrep: Sitrep) -> str:
    since = sitrep.since.strftime("%Y-%m-%d %H:%M") if sitrep.since else "the beginning"
    until = sitrep.until.strftime("%Y-%m-%d %H:%M") if sitrep.until else "now"
    return f"{since} to {until} UTC"


# --- Markdown ------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def _md(text: str | None, limit: int = 0) -> str:
    """Text safe inside a Markdown table cell: one line, no raw HTML or table syntax."""
    value = " ".join((text or "").split())
    if limit and len(value) > limit:
        value = value[:limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", value)


def render_markdown(sitrep: Sitrep) -> str:
    """The report as Markdown."""
    by_id = {c.id: c for c in sitrep.claims}
    out = ["# Situation report", "",
           f"Period: {_period(sitrep)}. Generated {sitrep.generated_at.strftime('%Y-%m-%d %H:%M')} UTC from "
           f"{sitrep.documents} documents: {len(sitrep.claims)} claims, {len(sitrep.conflicts)} conflicts. Every "
           f"figure keeps its source; disagreeing sources stand side by side.", ""]
    out += ["## Key numbers", ""]
    subjects = _subjects(sitrep)
    if subjects:
        out += ["| what | range across sources | who said what, when |", "|---|---|---|"]
        for subject, items in subjects:
            said = "; ".join(f"{_value(c)} — {_md(_source(c))}, {_when(c.published_at)}" for c in items[-8:])
            out.append(f"| {_md(subject)} | {_range(items)} | {said} |")
    else:
        out.append("No figures were reported in this period.")
    out += ["", "## Conflicts", ""]
    if not sitrep.conflicts:
        out.append("No conflicting claims found.")
    for conflict in sitrep.conflicts:
        out += [f"### {_md(conflict.subject)} ({conflict.kind})", "", _md(conflict.why), "",
                "| source | when | claim | as written |", "|---|---|---|---|"]
        for cid in conflict.claim_ids:
            c = by_id.get(cid)
            if c is not None:
                out.append(f"| {_md(_source(c))} | {_when(c.published_at)} | {_md(_claim_value(c))} | "
                           f"{_md(c.text, 220)} |")
        out.append("")
    out += ["## Statuses (latest change first)", ""]
    statuses = _statuses(sitrep)
    if statuses:
        out += ["| when | what | status | where | source |", "|---|---|---|---|---|"]
        for c in statuses:
            out.append(f"| {_when(c.published_at)} | {_md(c.subject)} | {_md(c.status)} | {_md(c.place or '')} | "
                       f"{_md(_source(c))} |")
    else:
        out.append("No status changes reported.")
    out += ["", "## Notable quotes", ""]
    quotes = _quotes(sitrep)
    if not quotes:
        out.append("No direct quotations.")
    for c in quotes:
        role = f", {c.role}" if c.role else ""
        via = f" (via {', '.join(c.attributed_to[1:])})" if len(c.attributed_to) > 1 else ""
        out.append(f"- “{_md(c.quote, 400)}” — **{_md(c.speaker)}**{_md(role)}{_md(via)}, {_when(c.published_at)}")
    out += ["", "## Most urgent messages by type", ""]
    out += _urgent_md(sitrep)
    return "\n".join(out).rstrip() + "\n"


def _claim_value(c: Claim) -> str:
    if c.kind == "count":
        return f"{_value(c)} {c.subject or ''}".strip()
    if c.kind == "status":
        hour = c.extra.get("hour")
        return f"{c.subject} {c.status}" + (f" at {hour:02d}:00" if isinstance(hour, int) else "")
    if c.kind == "statement":
        return f"blames {c.blamed}" if c.blamed != "each other" else "each side blames the other"
    return f"“{c.quote}”"


def _urgent_md(sitrep: Sitrep) -> list[str]:
    if not sitrep.classified:
        return ["Message types and urgency are not available for this period (the classifier's humaid_type and "
                "urgency results were not found on these messages)."]
    if not sitrep.urgent:
        return ["No message was classified as urgent in this period."]
    out = []
    for kind, items in sorted(sitrep.urgent.items()):
        out.append(f"**{_md(kind.replace('_', ' '))}**")
        out.append("")
        for u in items:
            out.append(f"- {_when(u.created_at)} {_md(u.who)}: {_md(u.text, 280)} (urgency {u.urgency:.2f})")
        out.append("")
    return out


# --- HTML ------------------------------------------------------------------------------------------------------


def _h(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


_CSS = ("body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
        "th,td{border:1px solid #ccc;padding:.3rem .5rem;"
        "vertical-align:top;text-align:start}th{background:#f3f3f3}.conflict{border-inline-start:4px solid #c33;"
        "padding-inline-start:.8rem;margin-bottom:1.5rem}.muted{color:#666}blockquote{margin:.4rem 0 .8rem;"
        "padding-inline-start:.8rem;border-inline-start:3px solid #999}")


def render_html(sitrep: Sitrep) -> str:
    """The report as a standalone HTML page; every value is escaped."""
    by_id = {c.id: c for c in sitrep.claims}
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Situation report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Situation report</h1>",
             f"<p class=\"muted\">Period: {_h(_period(sitrep))}. Generated "
             f"{_h(sitrep.generated_at.strftime('%Y-%m-%d %H:%M'))} UTC from {sitrep.documents} documents: "
             f"{len(sitrep.claims)} claims, {len(sitrep.conflicts)} conflicts.</p>",
             "<h2>Key numbers</h2>"]
    subjects = _subjects(sitrep)
    if subjects:
        parts.append("<table><tr><th>what</th><th>range across sources</th><th>who said what, when</th></tr>")
        for subject, items in subjects:
            said = "<br>".join(f"{_h(_value(c))} — {_h(_source(c))}, {_h(_when(c.published_at))}" for c in items[-8:])
            parts.append(f"<tr><td>{_h(subject)}</td><td>{_h(_range(items))}</td><td>{said}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No figures were reported in this period.</p>")
    parts.append("<h2>Conflicts</h2>")
    if not sitrep.conflicts:
        parts.append("<p>No conflicting claims found.</p>")
    for conflict in sitrep.conflicts:
        parts.append(f'<div class="conflict"><h3>{_h(conflict.subject)} ({_h(conflict.kind)})</h3>'
                     f"<p>{_h(conflict.why)}</p><table><tr><th>source</th><th>when</th><th>claim</th>"
                     f"<th>as written</th></tr>")
        for cid in conflict.claim_ids:
            c = by_id.get(cid)
            if c is not None:
                parts.append(f"<tr><td>{_h(_source(c))}</td><td>{_h(_when(c.published_at))}</td>"
                             f"<td>{_h(_claim_value(c))}</td><td dir=\"auto\">{_h(c.text)}</td></tr>")
        parts.append("</table></div>")
    parts.append("<h2>Statuses (latest change first)</h2>")
    statuses = _statuses(sitrep)
    if statuses:
        parts.append("<table><tr><th>when</th><th>what</th><th>status</th><th>where</th><th>source</th></tr>")
        for c in statuses:
            parts.append(f"<tr><td>{_h(_when(c.published_at))}</td><td>{_h(c.subject)}</td><td>{_h(c.status)}</td>"
                         f"<td>{_h(c.place or '')}</td><td>{_h(_source(c))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No status changes reported.</p>")
    parts.append("<h2>Notable quotes</h2>")
    quotes = _quotes(sitrep)
    if not quotes:
        parts.append("<p>No direct quotations.</p>")
    for c in quotes:
        role = f", {c.role}" if c.role else ""
        via = f" (via {', '.join(c.attributed_to[1:])})" if len(c.attributed_to) > 1 else ""
        parts.append(f'<blockquote dir="auto">“{_h(c.quote)}”<br><span class="muted">— <b>{_h(c.speaker)}</b>'
                     f"{_h(role)}{_h(via)}, {_h(_when(c.published_at))}</span></blockquote>")
    parts.append("<h2>Most urgent messages by type</h2>")
    if not sitrep.classified:
        parts.append("<p class=\"muted\">Message types and urgency are not available for this period (the "
                     "classifier's humaid_type and urgency results were not found on these messages).</p>")
    elif not sitrep.urgent:
        parts.append("<p>No message was classified as urgent in this period.</p>")
    for kind, urgent in sorted(sitrep.urgent.items()):
        parts.append(f"<h3>{_h(kind.replace('_', ' '))}</h3><ul>")
        for u in urgent:
            parts.append(f"<li dir=\"auto\">{_h(_when(u.created_at))} {_h(u.who)}: {_h(u.text)} "
                         f"<span class=\"muted\">(urgency {u.urgency:.2f})</span></li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_json(sitrep: Sitrep) -> str:
    """The JSON contract (see :meth:`Sitrep.to_dict`)."""
    return orjson.dumps(sitrep.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"


_RENDERERS: dict[str, Callable[[Sitrep], str]] = {"md": render_markdown, "html": render_html, "json": render_json}


def render(sitrep: Sitrep, fmt: str) -> str:
    """Render in ``md``, ``html`` or ``json``."""
    try:
        return _RENDERERS[fmt](sitrep)
    except KeyError:
        from ..errors import UsageError

        raise UsageError(f"unknown sitrep format {fmt!r}; choose md, html or json") from None


_ = Conflict
