"""Message listing for the API and the dashboard: every filter, keyset paging, urgent-first ordering.

Filters run on the facet index (:mod:`vigil.serve.facets`) and the store's full-text index; every value is a
bound parameter, never spliced into SQL. Pages are cut with an opaque keyset cursor (time and row of the last
message), so paging stays exact while new messages arrive and costs the same on page 1,000 as on page 1.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from ..errors import UsageError
from ..message import format_ts
from ..store import Store
from ..store.sqlite import fts_query
from .facets import URGENCY_RANK

__all__ = ["MessageFilter", "MessagePage", "list_messages", "message_facets"]

LIST_TEXT_CHARS = 2000
_COLUMNS = ("m.rowid", "m.id", "m.source", "m.format", "m.author", "m.author_name", "m.created_at", "m.text",
            "m.title", "m.lang", "m.url", "m.reply_to", "m.forward_of", "m.retweet_of", "m.quote_of", "f.type",
            "f.urgency", "f.urgency_rank")


@dataclass(frozen=True)
class MessageFilter:
    """What to list. ``None`` means no filter on that field.

    ``urgency`` is a minimum level (``high`` lists high and critical); ``order`` is ``newest`` or ``urgent``
    (most urgent first, newest first within a level).
    """

    since: datetime | None = None
    until: datetime | None = None
    author: str | None = None
    type: str | None = None
    urgency: str | None = None
    signal: str | None = None
    lang: str | None = None
    area: str | None = None
    search: str | None = None
    source: str | None = None
    documents: bool | None = None
    order: str = "newest"
    cursor: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class MessagePage:
    """One page of messages and the cursor of the next (``None`` on the last page)."""

    items: list[dict[str, Any]]
    next: str | None


def _encode(parts: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode("|".join(str(p) for p in parts).encode()).decode().rstrip("=")


def _decode(cursor: str, n: int) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise UsageError("bad cursor: pass back the `next` value of the previous page unchanged") from None
    parts = raw.split("|")
    if len(parts) != n:
        raise UsageError("bad cursor: pass back the `next` value of the previous page unchanged")
    return parts


def _where(f: MessageFilter, t: str = "f") -> tuple[list[str], list[Any], list[str], list[Any]]:
    """WHERE clauses on (facets f, messages m), plus JOINs for signals and areas."""
    joins: list[str] = []
    join_params: list[Any] = []
    where: list[str] = []
    params: list[Any] = []
    if f.signal:
        joins.append("JOIN serve_facet_signals s ON s.rowid_ = f.rowid AND s.signal = ?")
        join_params.append(f.signal)
    if f.area:
        joins.append("JOIN serve_facet_areas a ON a.rowid_ = f.rowid AND a.area = ?")
        join_params.append(f.area)
    if f.since is not None:
        where.append(f"{t}.created_at >= ?")
        params.append(format_ts(f.since))
    if f.until is not None:
        where.append(f"{t}.created_at <= ?")
        params.append(format_ts(f.until))
    if f.author:
        where.append("m.author = ? COLLATE NOCASE")
        params.append(f.author.lstrip("@"))
    if f.type:
        where.append("f.type = ?")
        params.append(f.type)
    if f.urgency:
        if f.urgency not in URGENCY_RANK:
            raise UsageError(f"unknown urgency {f.urgency!r}; use critical, high, medium or low")
        where.append("f.urgency_rank >= ?")
        params.append(URGENCY_RANK[f.urgency])
    if f.lang:
        where.append("f.lang = ?")
        params.append(f.lang)
    if f.source:
        where.append("m.source = ?")
        params.append(f.source)
    if f.documents is not None:
        where.append("m.title IS NOT NULL" if f.documents else "m.title IS NULL")
    if f.search:
        match = fts_query(f.search)
        if match is None:
            where.append("0 = 1")
        else:
            # SQLite FTS5 (a PostgreSQL backend swaps this join for its own text index). The text index is the
            # driving table: it yields matches newest row first and the query stops at the page size, so a
            # common word costs the same as a rare one.
            joins.insert(0, "JOIN messages_fts fts ON fts.rowid = f.rowid")
            where.append("messages_fts MATCH ?")
            params.append(match)
    return joins, join_params, where, params


def list_messages(store: Store, f: MessageFilter, *, enrichments: bool = False,
                  text_chars: int = LIST_TEXT_CHARS) -> MessagePage:
    """One page of messages matching ``f``.

    Texts longer than ``text_chars`` are cut (``truncated`` says so); ``enrichments`` adds each message's stage
    results.
    """
    # order by the table whose index matches the most selective filter, so SQLite walks that index newest
    # first and stops at the page size: (signal, time), (area, time), (author, time), else the facets' time
    t, row = ("s", "s.rowid_") if f.signal else ("a", "a.rowid_") if f.area else ("m", "f.rowid") if f.author \
        else ("f", "f.rowid")
    joins, join_params, where, params = _where(f, t)
    searching = bool(f.search) and any(j.startswith("JOIN messages_fts") for j in joins)
    if searching and f.order == "newest":
        # search results come newest-stored first (the text index's own order), paged by row
        order = "fts.rowid DESC"
        if f.cursor:
            (rowid,) = _decode(f.cursor, 1)
            where.append("fts.rowid < ?")
            params.append(int(rowid))
    elif f.order == "urgent":
        order = f"f.urgency_rank DESC, {t}.created_at DESC, {row} DESC"
        if f.cursor:
            rank, created, rowid = _decode(f.cursor, 3)
            where.append(f"(f.urgency_rank < ? OR (f.urgency_rank = ? AND ({t}.created_at < ? OR "
                         f"({t}.created_at = ? AND {row} < ?))))")
            params.extend([int(rank), int(rank), created, created, int(rowid)])
    elif f.order == "newest":
        order = f"{t}.created_at DESC, {row} DESC"
        if f.cursor:
            created, rowid = _decode(f.cursor, 2)
            where.append(f"({t}.created_at < ? OR ({t}.created_at = ? AND {row} < ?))")
            params.extend([created, created, int(rowid)])
    else:
        raise UsageError(f"unknown order {f.order!r}; use newest or urgent")
    columns = [*_COLUMNS, "m.enrichments"] if enrichments else list(_COLUMNS)
    sql = (f"SELECT {', '.join(columns)} FROM serve_facets f JOIN messages m ON m.rowid = f.rowid "
           + " ".join(joins) + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {order} LIMIT ?")
    rows = store.query(sql, [*join_params, *params, f.limit + 1])
    more = len(rows) > f.limit
    rows = rows[: f.limit]
    extra = message_facets(store, [int(r[0]) for r in rows])
    items = [_item(r, extra.get(int(r[0]), {}), text_chars) for r in rows]
    if enrichments:
        for item, r in zip(items, rows, strict=True):
            item["enrichments"] = orjson.loads(r[18]) if r[18] else {}
    nxt = None
    if more and rows:
        last = rows[-1]
        if searching and f.order == "newest":
            nxt = _encode([last[0]])
        else:
            nxt = _encode([last[17], last[6], last[0]] if f.order == "urgent" else [last[6], last[0]])
    return MessagePage(items, nxt)


def message_facets(store: Store, rowids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    """Signals and areas of the given messages (two indexed lookups for a whole page)."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"signals": [], "areas": []})
    if not rowids:
        return out
    marks = ", ".join("?" for _ in rowids)
    for sig, rid in store.query(f"SELECT signal, rowid_ FROM serve_facet_signals WHERE rowid_ IN ({marks})",
                                list(rowids)):
        out[int(rid)]["signals"].append(sig)
    for area, rid in store.query(f"SELECT area, rowid_ FROM serve_facet_areas WHERE rowid_ IN ({marks})",
                                 list(rowids)):
        out[int(rid)]["areas"].append(area)
    return out


def _item(r: tuple[Any, ...], extra: dict[str, list[str]], text_chars: int) -> dict[str, Any]:
    text = r[7] or ""
    return {"id": r[1], "source": r[2], "format": r[3], "author": r[4], "author_name": r[5], "created_at": r[6],
            "text": text[:text_chars], "truncated": len(text) > text_chars, "title": r[8], "lang": r[9],
            "url": r[10], "reply_to": r[11], "forward_of": r[12], "retweet_of": r[13], "quote_of": r[14],
            "type": r[15] or None, "urgency": r[16] or None, "signals": sorted(extra.get("signals", [])),
            "areas": sorted(extra.get("areas", []))}
