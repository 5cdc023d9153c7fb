"""Messages: listing with every filter, one message with its enrichments and cluster, counts per hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ...message import format_ts
from ..facets import URGENCIES
from ..queries import MessageFilter, list_messages, message_facets
from ._base import Call, Endpoint, Param

__all__ = ["ENDPOINTS", "FILTER_PARAMS", "filter_from"]

FILTER_PARAMS = (
    Param("since", "datetime", "Only messages created at or after this time."),
    Param("until", "datetime", "Only messages created at or before this time."),
    Param("author", help="Author handle (case-insensitive, @ optional)."),
    Param("type", help="Humanitarian type (HumAID class), e.g. requests_or_urgent_needs."),
    Param("urgency", help="Minimum urgency.", enum=URGENCIES),
    Param("signal", help="Siege signal, e.g. farewell, plea, trapped."),
    Param("lang", help="Language code (ar, en ...)."),
    Param("area", help="Area (district) named in the text."),
    Param("q", help="Full-text search (every word must occur; Arabic letter variants and diacritics folded)."),
    Param("source", help="Source (x, telegram, mastodon, a feed name ...)."),
    Param("documents", "boolean", "true: articles and feed items only; false: posts only."),
    Param("order", help="newest (default) or urgent (most urgent first).", enum=("newest", "urgent")),
    Param("cursor", help="The `next` value of the previous page."),
    Param("limit", "integer", "Page size (capped by the server)."),
)


def filter_from(call: Call, *, limit: int | None = None) -> MessageFilter:
    """The :class:`MessageFilter` a request asks for (page size capped by the settings)."""
    documents = call.param("documents")
    return MessageFilter(
        since=call.time("since"), until=call.time("until"), author=call.param("author"), type=call.param("type"),
        urgency=call.param("urgency"), signal=call.param("signal"), lang=call.param("lang"),
        area=call.param("area"), search=call.param("q"), source=call.param("source"),
        documents=None if documents is None else documents.lower() in {"1", "true", "yes"},
        order=call.choice("order", ("newest", "urgent"), "newest"), cursor=call.param("cursor"),
        limit=limit if limit is not None else call.integer("limit", call.settings.page_size_default, lo=1,
                                                           hi=call.settings.page_size_max))


def messages(call: Call) -> Any:
    page = list_messages(call.store, filter_from(call))
    return {"items": page.items, "next": page.next}


def message(call: Call) -> Any:
    msg = call.store.get_message(call.path("id"))
    data = msg.to_dict()
    rows = call.store.query("SELECT f.rowid, f.type, f.urgency FROM serve_facets f JOIN messages m "
                            "ON m.rowid = f.rowid WHERE m.id = ?", (msg.id,))
    facets: dict[str, Any] = {"type": None, "urgency": None, "signals": [], "areas": []}
    if rows:
        extra = message_facets(call.store, [int(rows[0][0])])[int(rows[0][0])]
        facets = {"type": rows[0][1] or None, "urgency": rows[0][2] or None, **extra}
    data.update(facets)
    data["cluster"] = _cluster(data["enrichments"])
    return data


def _cluster(enrichments: dict[str, Any]) -> dict[str, Any] | None:
    """The near-duplicate cluster recorded by the watchers' clustering stage, if it ran."""
    for name in sorted(enrichments, reverse=True):
        value = enrichments[name]
        if ("cluster" in name or "neardup" in name) and isinstance(value, dict):
            return value
    return None


def hourly(call: Call) -> Any:
    """Messages per hour by type (the overview chart), from the facet index.

    Without ``since``, the window is the last ``hours`` hours before ``until`` (or before the newest hour
    with data, so a replayed or archived crisis still shows its activity).
    """
    until = call.time("until")
    since = call.time("since")
    hours_back = call.integer("hours", 72, lo=1, hi=24 * 62)
    if since is None:
        end = until
        if end is None:
            newest = call.store.query("SELECT max(hour) FROM serve_hourly")[0][0]
            if newest is None:
                return {"types": [], "series": []}
            end = datetime.fromisoformat(newest)
        since = end - timedelta(hours=hours_back - 1)
    sql = "SELECT hour, type, n, urgent FROM serve_hourly WHERE hour >= ?"
    params: list[Any] = [format_ts(since)[:13] + ":00:00Z"]
    if until is not None:
        sql += " AND hour <= ?"
        params.append(format_ts(until))
    series: dict[str, dict[str, int]] = {}
    urgent: dict[str, int] = {}
    for hour, kind, n, urg in call.store.query(sql + " ORDER BY hour", params):
        series.setdefault(hour, {})[kind or "unclassified"] = int(n)
        urgent[hour] = urgent.get(hour, 0) + int(urg)
    types = sorted({t for counts in series.values() for t in counts})
    return {"types": types, "series": [{"hour": h, "counts": c, "urgent": urgent.get(h, 0)}
                                       for h, c in sorted(series.items())]}


def areas(call: Call) -> Any:
    """Known areas and how many messages name each."""
    counts = dict(call.store.query("SELECT area, count(*) FROM serve_facet_areas GROUP BY area"))
    names = call.state.areas().names
    return {"areas": [{"area": a, "messages": int(counts.get(a, 0))} for a in sorted(set(names.values()))]}


ENDPOINTS = (
    Endpoint("/api/messages", "GET", messages, summary="Messages, filtered and paged (newest or most urgent first).",
             params=FILTER_PARAMS, cache=True, tags=("messages",)),
    Endpoint("/api/messages/{id:path}", "GET", message,
             summary="One message with its enrichments, facets and near-duplicate cluster.",
             params=(Param("id", where="path", required=True, help="source:native_id"),), tags=("messages",)),
    Endpoint("/api/stats/hourly", "GET", hourly, summary="Messages per hour by type, and how many were urgent.",
             params=(Param("since", "datetime"), Param("until", "datetime"),
                     Param("hours", "integer", "How many hours back (default 72).")), cache=True, tags=("stats",)),
    Endpoint("/api/areas", "GET", areas, summary="Known areas and how many messages name each.", cache=True,
             tags=("stats",)),
)
