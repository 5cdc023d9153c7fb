"""The facet index behind the API's filters and the dashboard's charts.

Enrichment stages store their results as JSON inside each message; filtering a million messages by type,
urgency, signal or area cannot parse that JSON row by row. :func:`index_pending` copies what the API filters
on into small indexed tables (``serve_facets``, ``serve_facet_signals``, ``serve_facet_areas``) and keeps
``serve_hourly`` (messages per hour and type) current, so the overview chart is one short query. It works
from a high-water mark, so whatever wrote the messages (``vigil run``, ``vigil ingest``, a benchmark), the
next call catches up, and each batch is one transaction (a crash never counts a message twice).

Areas are the places (districts) a message names: the watch-list's areas plus any configured, matched on
folded text (case, accents, Arabic letter variants, hashtags split), never from who posted it, so the facet
does not reveal who is watched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..arabic import fold
from ..store import Store

__all__ = ["URGENCIES", "AreaMatcher", "Facets", "facets_of", "index_pending", "known_areas", "reindex"]

URGENCIES = ("critical", "high", "medium", "low")
URGENCY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
_NONWORD = re.compile(r"[\W_]+", re.UNICODE)
_VERSION = re.compile(r"\.v(\d+)$")
HWM_KEY = "facets_rowid"


@dataclass(frozen=True, slots=True)
class Facets:
    """What the API filters on for one message."""

    type: str = ""
    urgency: str = ""
    signals: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    lang: str = ""

    @property
    def urgency_rank(self) -> int:
        """4 for critical down to 1 for low; 0 when not classified."""
        return URGENCY_RANK.get(self.urgency, 0)


def _key(text: str) -> str:
    return " ".join(_NONWORD.sub(" ", fold(text)).split())


class AreaMatcher:
    """Finds the known areas a text names, robust to case, hyphens, accents, hashtags and Arabic variants.

    Each entry is ``"Name"`` or ``"Name=alias|alias"`` (e.g. ``"Tal al-Zaytun=تل الزيتون"``).

    >>> AreaMatcher(["Tal al-Zaytun=تل الزيتون", "Al-Bustan"]).find("Shelling near #TalAlZaytun and al bustan")
    ('Al-Bustan', 'Tal al-Zaytun')
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.names: dict[str, str] = {}
        for entry in entries:
            name, _, aliases = entry.partition("=")
            name = name.strip()
            if not name:
                continue
            for variant in (name, *aliases.split("|")):
                k = _key(variant)
                if k:
                    self.names[k] = name
        keys = sorted(self.names, key=len, reverse=True)
        self._re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)") if keys else None

    def find(self, text: str) -> tuple[str, ...]:
        """The canonical names of the areas named in ``text``, sorted."""
        if self._re is None or not text:
            return ()
        return tuple(sorted({self.names[m.group(0)] for m in self._re.finditer(_key(text))}))


def known_areas(store: Store, extra: Sequence[str] = ()) -> list[str]:
    """Area names from the watch-list plus ``extra``."""
    return [*extra, *(str(r[0]) for r in store.query("SELECT DISTINCT area FROM watch_persons ORDER BY area"))]


def _version(name: str) -> int:
    m = _VERSION.search(name)
    return int(m.group(1)) if m else 0


def _signal_names(value: Any) -> tuple[str, ...]:
    if isinstance(value, Mapping):  # {signal: probability or bool}
        return tuple(str(k) for k, v in value.items() if v is True or (isinstance(v, int | float) and v >= 0.5))
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, Mapping):
                name = item.get("signal") or item.get("name") or item.get("label")
                if isinstance(name, str):
                    out.append(name)
        return tuple(out)
    return ()


def facets_of(enrichments: Mapping[str, Any], *, lang: str | None = None, text: str = "",
              areas: AreaMatcher | None = None) -> Facets:
    """Read type, urgency and signals from a message's enrichments, whichever stage recorded them.

    Results are read from every stage, older versions first, so the newest version of a stage wins. A stage
    result may be a mapping with ``type``/``urgency``/``signals`` keys (what ``vigil classify`` prints), or a
    bare value under a stage whose name says what it is (``urgency.v1: "high"``).

    >>> facets_of({"humaid_type.v1": {"type": "rescue_volunteering_or_donation_effort"},
    ...            "urgency.v1": "high", "siege_signals.v4": ["plea"]}).signals
    ('plea',)
    """
    kind = urgency = ""
    signals: tuple[str, ...] = ()
    found_lang = lang or ""
    for name in sorted(enrichments, key=lambda n: (_version(n), n)):
        value = enrichments[name]
        base = name.split(".")[0].lower()
        if isinstance(value, Mapping):
            t = value.get("type") if isinstance(value.get("type"), str) else None
            if t is None and "type" in base and isinstance(value.get("label"), str):
                t = value["label"]
            kind = t or kind
            u = value.get("urgency", value.get("level") if "urgen" in base else None)
            if isinstance(u, Mapping):
                u = u.get("level") or u.get("label")
            if isinstance(u, str) and u:
                urgency = u
            s = value.get("signals", value.get("labels") if "signal" in base else None)
            if s is not None:
                signals = _signal_names(s)
            if not lang and isinstance(value.get("lang"), str) and ("lang" in base):
                found_lang = value["lang"]
        elif isinstance(value, str):
            if "urgen" in base:
                urgency = value
            elif "type" in base:
                kind = value
        elif isinstance(value, list) and "signal" in base:
            signals = _signal_names(value)
    urgency = urgency.lower()
    return Facets(kind, urgency if urgency in URGENCY_RANK else "", tuple(sorted(set(signals))),
                  areas.find(text) if areas is not None else (), found_lang)


def index_pending(store: Store, areas: AreaMatcher | None = None, *, batch: int = 5000,
                  limit: int | None = None) -> int:
    """Index every message stored since the last call; return how many were indexed.

    Args:
        store: the store.
        areas: the area matcher (default: none, no area facets).
        batch: messages per transaction.
        limit: stop after about this many (the live loop keeps each step short).
    """
    done = 0
    while limit is None or done < limit:
        n = _index_batch(store, areas, batch)
        done += n
        if n < batch:
            break
    return done


def _index_batch(store: Store, areas: AreaMatcher | None, batch: int) -> int:
    with store.transaction() as conn:
        row = conn.execute("SELECT value FROM serve_state WHERE key = ?", (HWM_KEY,)).fetchone()
        hwm = int(row[0]) if row else 0
        rows = conn.execute("SELECT rowid, created_at, lang, title, text, enrichments FROM messages WHERE rowid > ? "
                            "ORDER BY rowid LIMIT ?", (hwm, batch)).fetchall()
        if not rows:
            return 0
        facet_rows: list[tuple[Any, ...]] = []
        signal_rows: list[tuple[Any, ...]] = []
        area_rows: list[tuple[Any, ...]] = []
        hourly: Counter[tuple[str, str]] = Counter()
        urgent: Counter[tuple[str, str]] = Counter()
        for rowid, created, lang, title, text, enr in rows:
            f = facets_of(orjson.loads(enr) if enr and enr != "{}" else {}, lang=lang,
                          text=f"{title}\n{text}" if title else text, areas=areas)
            facet_rows.append((rowid, created, f.type, f.urgency, f.urgency_rank, f.lang))
            signal_rows.extend((s, created, rowid) for s in f.signals)
            area_rows.extend((a, created, rowid) for a in f.areas)
            key = (created[:13] + ":00:00Z", f.type)
            hourly[key] += 1
            if f.urgency_rank >= 3:
                urgent[key] += 1
        conn.executemany("INSERT INTO serve_facets (rowid, created_at, type, urgency, urgency_rank, lang) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (rowid) DO NOTHING", facet_rows)
        conn.executemany("INSERT INTO serve_facet_signals (signal, created_at, rowid_) VALUES (?, ?, ?) "
                         "ON CONFLICT DO NOTHING", signal_rows)
        conn.executemany("INSERT INTO serve_facet_areas (area, created_at, rowid_) VALUES (?, ?, ?) "
                         "ON CONFLICT DO NOTHING", area_rows)
        conn.executemany("INSERT INTO serve_hourly (hour, type, n, urgent) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (hour, type) DO UPDATE SET n = serve_hourly.n + excluded.n, "
                         "urgent = serve_hourly.urgent + excluded.urgent",
                         [(h, t, n, urgent[(h, t)]) for (h, t), n in hourly.items()])
        conn.execute("INSERT INTO serve_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                     "SET value = excluded.value", (HWM_KEY, str(rows[-1][0])))
        return len(rows)


def reindex(store: Store, areas: AreaMatcher | None = None) -> int:
    """Rebuild the whole index (after enrichments were recomputed, or the area list changed)."""
    with store.transaction() as conn:
        for table in ("serve_facets", "serve_facet_signals", "serve_facet_areas", "serve_hourly"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM serve_state WHERE key = ?", (HWM_KEY,))
    return index_pending(store, areas)
