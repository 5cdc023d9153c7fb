"""Bursts: terms, hashtags and short phrases whose rate jumps against their own history.

**Counts.** :func:`update_counts` reads each stored message once, in row order from a watermark, and adds one
to ``burst_counts(term, hour)`` for each of its terms (content words, hashtags, and 2-3-word phrases that
start and end with a content word; see :mod:`vigil.watch.terms`), plus ``burst_totals(hour)``. The work is in
chunks and the state is in the store, so memory stays flat and any process can continue where another
stopped. Detection reads only these counts.

**Detection** is Kleinberg's two-state automaton over batches ("Bursty and hierarchical structure in
streams", 2002, section 4): in each bucket ``t`` a term is used by ``r_t`` of ``d_t`` messages; the base state
emits at the term's overall rate ``p0 = sum r / sum d`` in the window, the burst state at ``s x p0``. Entering
the burst state costs ``gamma x ln(buckets)``; the cheapest state sequence (Viterbi, vectorised over terms) gives
the bursts, and a burst's **strength** is the cost it saves, ``sum over its buckets of cost(base) - cost(burst)``
(a log-likelihood gain in nats). Because rates are shares of all messages, a term that only follows the overall
volume does not burst. Bursts of a word inside a bursting phrase with about the same count are folded into the
phrase.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import UsageError
from ..message import Message, format_ts
from ..store import Store
from .alerts import Condition
from .terms import STOPWORDS, hashtags, is_copy, message_text, segments

__all__ = ["BUCKET_HOURS", "Burst", "BurstReport", "BurstWatcher", "burst_states", "detect_bursts",
           "message_terms", "update_counts"]

BUCKET_HOURS = {"1h": 1, "6h": 6, "1d": 24}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CELLS = 4_000_000  # terms x buckets per Viterbi chunk (bounded memory)
_TERMS_IN = 500


def _content(token: str) -> bool:
    return len(token) >= 3 and token not in STOPWORDS and not token.isdigit()


def message_terms(msg: Message) -> set[str]:
    """The terms a message is counted under: content words, hashtags and 2-3-word phrases.

    >>> from datetime import UTC, datetime
    >>> m = Message("x:1", "x", "twitter-v2", "1", datetime(2025, 2, 8, tzinfo=UTC),
    ...             "Green buses at the gate #SaveQasr")
    >>> sorted(message_terms(m))
    ['#saveqasr', 'buses', 'gate', 'green', 'green buses']
    """
    text = message_text(msg)
    terms: set[str] = set(hashtags(text))
    for seg in segments(text):
        ok = [_content(t) for t in seg]
        for i, token in enumerate(seg):
            if not ok[i]:
                continue
            terms.add(token)
            for n in (2, 3):
                j = i + n - 1
                if j < len(seg) and ok[j]:
                    terms.add(" ".join(seg[i:j + 1]))
    return terms


def _hour(created_at: str) -> int:
    t = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return int((t - _EPOCH).total_seconds() // 3600)


def update_counts(store: Store, *, chunk: int = 5000) -> int:
    """Count the terms of messages stored since the last update; return how many messages were read.

    Each chunk is one transaction that takes the watermark row first, so concurrent callers never count a
    message twice. On PostgreSQL a message committed with a lower row number than one already counted (a
    long transaction finishing late) is missed.
    """
    done = 0
    while True:
        with store.transaction() as conn:
            conn.execute("UPDATE burst_state SET last_rowid = last_rowid WHERE id = 1")
            last = int(conn.execute("SELECT last_rowid FROM burst_state WHERE id = 1").fetchone()[0])
            rows = conn.execute("SELECT rowid, created_at, text, title, retweet_of, forward_of FROM messages "
                                "WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, chunk)).fetchall()
            if not rows:
                return done
            terms: Counter[tuple[str, int]] = Counter()
            originals: Counter[tuple[str, int]] = Counter()
            totals: Counter[int] = Counter()
            total_originals: Counter[int] = Counter()
            for _, created_at, text, title, retweet_of, forward_of in rows:
                hour = _hour(created_at)
                msg = Message("", "", "", "", _EPOCH, text, title=title, retweet_of=retweet_of, forward_of=forward_of)
                original = not is_copy(msg)
                totals[hour] += 1
                total_originals[hour] += original
                for term in message_terms(msg):
                    terms[(term, hour)] += 1
                    if original:
                        originals[(term, hour)] += 1
            conn.executemany("INSERT INTO burst_counts (term, hour, n, originals) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (term, hour) DO UPDATE SET n = burst_counts.n + excluded.n, "
                             "originals = burst_counts.originals + excluded.originals",
                             [(t, h, n, originals[(t, h)]) for (t, h), n in terms.items()])
            conn.executemany("INSERT INTO burst_totals (hour, n, originals) VALUES (?, ?, ?) ON CONFLICT (hour) "
                             "DO UPDATE SET n = burst_totals.n + excluded.n, "
                             "originals = burst_totals.originals + excluded.originals",
                             [(h, n, total_originals[h]) for h, n in totals.items()])
            conn.execute("UPDATE burst_state SET last_rowid = ? WHERE id = 1", (int(rows[-1][0]),))
        done += len(rows)


FloatArray = npt.NDArray[np.float64]


def burst_states(r: npt.NDArray[Any], d: npt.NDArray[Any], *, s: float = 2.0,
                 gamma: float = 1.0) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """Kleinberg's two-state burst automaton over batches, for many terms at once.

    Args:
        r: ``(terms, buckets)`` messages using each term per bucket.
        d: ``(buckets,)`` all messages per bucket.
        s: how many times the base rate the burst state emits.
        gamma: cost of entering the burst state, in units of ``ln(buckets)``.

    Returns:
        ``(states, gain)``: True where a term is in its burst state, and per bucket the cost the burst state
        saves over the base state (positive where the term is more frequent than usual).

    >>> states, gain = burst_states(np.array([[1, 0, 1, 9, 8, 1, 0]]), np.array([50] * 7))
    >>> states.astype(int).tolist()
    [[0, 0, 0, 1, 1, 0, 0]]
    """
    r = np.asarray(r, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    k, t_len = r.shape
    total = float(d.sum())
    p0 = np.clip(r.sum(axis=1) / max(total, 1.0), 1e-12, 0.5)
    p1 = np.minimum(s * p0, 0.9999)
    l0, m0, l1, m1 = np.log(p0), np.log1p(-p0), np.log(p1), np.log1p(-p1)
    tau = gamma * math.log(max(t_len, 2))
    cost0 = np.zeros(k)
    cost1 = np.full(k, np.inf)
    back0 = np.zeros((k, t_len), dtype=bool)  # True: the best way into state 0 at t came from state 1
    back1 = np.zeros((k, t_len), dtype=bool)  # True: the best way into state 1 at t came from state 1
    gain = np.empty((k, t_len))
    for t in range(t_len):
        rt, miss = r[:, t], d[t] - r[:, t]
        c0 = -(rt * l0 + miss * m0)
        c1 = -(rt * l1 + miss * m1)
        gain[:, t] = c0 - c1
        from1 = cost1 < cost0
        stay = cost1 <= cost0 + tau
        cost0, cost1 = np.minimum(cost0, cost1) + c0, np.where(stay, cost1, cost0 + tau) + c1
        back0[:, t] = from1
        back1[:, t] = stay
    states = np.zeros((k, t_len), dtype=bool)
    state = cost1 < cost0
    for t in range(t_len - 1, -1, -1):
        states[:, t] = state
        state = np.where(state, back1[:, t], back0[:, t])
    return states, gain


@dataclass(frozen=True)
class Burst:
    """A term in its burst state from ``start`` to ``end`` (the ``vigil bursts --json`` items)."""

    term: str
    start: str
    end: str
    strength: float
    count: int
    expected: float
    ratio: float
    related: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "start": self.start, "end": self.end, "strength": self.strength,
                "count": self.count, "expected": self.expected, "ratio": self.ratio, "related": list(self.related)}


@dataclass(frozen=True)
class BurstReport:
    """``{"bursts": [...]}`` sorted by strength, with the window and settings used."""

    bursts: tuple[Burst, ...]
    bucket: str
    since: str | None
    until: str | None
    terms_scanned: int

    def to_dict(self) -> dict[str, Any]:
        return {"bursts": [b.to_dict() for b in self.bursts], "bucket": self.bucket, "since": self.since,
                "until": self.until, "terms_scanned": self.terms_scanned}


def _bucket_start(index: int, base: int, hours: int) -> str:
    return format_ts(_EPOCH + timedelta(hours=base + index * hours))


def detect_bursts(store: Store, since: datetime | None = None, until: datetime | None = None, *,
                  bucket: str = "1h", s: float = 2.0, gamma: float = 1.0, min_count: int = 5,
                  min_burst_count: int = 3, originals_only: bool = False, limit: int = 50,
                  refresh: bool = True) -> BurstReport:
    """Terms whose share of messages jumps against their own rate in the window, strongest first.

    Args:
        store: the store.
        since / until: the window (whole hours; ``None`` is the first/last counted hour). It is also the
            history each term's base rate is measured on.
        bucket: ``1h``, ``6h`` or ``1d``.
        s / gamma: the automaton's burst rate multiplier and entry cost (higher: fewer, stronger bursts).
        min_count: uses in the window a term needs to be considered.
        min_burst_count: uses inside a burst for it to be reported.
        originals_only: count original messages only (retweet storms then do not burst by themselves).
        limit: how many bursts.
        refresh: first count the messages stored since the last update (:func:`update_counts`).
    """
    if bucket not in BUCKET_HOURS:
        raise UsageError(f"bucket must be one of {', '.join(BUCKET_HOURS)}, not {bucket!r}")
    if s <= 1.0 or gamma <= 0:
        raise UsageError("s must be above 1 and gamma above 0")
    if refresh:
        update_counts(store)
    hours = BUCKET_HOURS[bucket]
    col = "originals" if originals_only else "n"
    lo_hi = store.query("SELECT min(hour), max(hour) FROM burst_totals")
    if not lo_hi or lo_hi[0][0] is None:
        return BurstReport((), bucket, None, None, 0)
    lo = int((since - _EPOCH).total_seconds() // 3600) if since else int(lo_hi[0][0])
    hi = int((until - _EPOCH).total_seconds() // 3600) if until else int(lo_hi[0][1])
    base = (lo // hours) * hours
    n_buckets = (hi - base) // hours + 1
    window = (format_ts(_EPOCH + timedelta(hours=lo)), format_ts(_EPOCH + timedelta(hours=hi + 1)))
    if n_buckets <= 0:
        return BurstReport((), bucket, *window, 0)
    d = np.zeros(n_buckets)
    for hour, n in store.query(f"SELECT hour, {col} FROM burst_totals WHERE hour >= ? AND hour <= ?", (lo, hi)):
        d[(int(hour) - base) // hours] += int(n)
    terms = [r[0] for r in store.query(f"SELECT term FROM burst_counts WHERE hour >= ? AND hour <= ? GROUP BY term "
                                       f"HAVING sum({col}) >= ? ORDER BY term", (lo, hi, min_count))]
    found: list[Burst] = []
    step = max(1, min(len(terms), _CELLS // n_buckets))
    for i in range(0, len(terms), step):
        found.extend(_bursts_of(store, terms[i:i + step], d, lo, hi, base, hours, col, s, gamma, min_burst_count))
    found.sort(key=lambda b: (-b.strength, b.start, b.term))
    return BurstReport(tuple(_fold_subterms(found[:limit * 5])[:limit]), bucket, *window, len(terms))


def _bursts_of(store: Store, terms: Sequence[str], d: FloatArray, lo: int, hi: int, base: int, hours: int, col: str,
               s: float, gamma: float, min_burst_count: int) -> list[Burst]:
    row_of = {t: k for k, t in enumerate(terms)}
    r = np.zeros((len(terms), len(d)))
    for j in range(0, len(terms), _TERMS_IN):
        part = list(terms[j:j + _TERMS_IN])
        marks = ", ".join("?" for _ in part)
        for term, hour, n in store.query(f"SELECT term, hour, {col} FROM burst_counts WHERE hour >= ? AND hour <= ? "
                                         f"AND term IN ({marks})", [lo, hi, *part]):
            r[row_of[term], (int(hour) - base) // hours] += int(n)
    states, gain = burst_states(r, d, s=s, gamma=gamma)
    p0 = r.sum(axis=1) / max(float(d.sum()), 1.0)
    out = []
    for k in np.flatnonzero(states.any(axis=1)).tolist():
        row = states[k]
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
        for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            count = int(r[k, a:b].sum())
            if count < min_burst_count:
                continue
            expected = float(p0[k] * d[a:b].sum())
            out.append(Burst(terms[k], _bucket_start(a, base, hours), _bucket_start(b, base, hours),
                             round(float(gain[k, a:b].sum()), 2), count, round(expected, 2),
                             round(count / expected, 2) if expected > 0 else math.inf))
    return out


def _fold_subterms(bursts: list[Burst]) -> list[Burst]:
    """Fold bursts that say the same thing.

    A word's burst goes when a phrase containing it bursts at the same time with about the same count; terms
    bursting over exactly the same buckets with the same count come from the same messages (one post copied
    many times) and are reported once, the longest term first, the others as ``related``.
    """
    words = [set(b.term.split()) for b in bursts]
    keep = []
    for i, b in enumerate(bursts):
        covered = any(j != i and words[i] < words[j] and o.start < b.end and b.start < o.end
                      and o.count >= 0.8 * b.count for j, o in enumerate(bursts))
        if not covered:
            keep.append(b)
    groups: dict[tuple[str, str, int], list[Burst]] = {}
    for b in keep:
        groups.setdefault((b.start, b.end, b.count), []).append(b)
    out = []
    for same in groups.values():
        same.sort(key=lambda b: (-len(b.term.split()), -len(b.term), b.term))
        head = same[0]
        strength = max(b.strength for b in same)
        out.append(Burst(head.term, head.start, head.end, strength, head.count, head.expected, head.ratio,
                         tuple(b.term for b in same[1:])))
    out.sort(key=lambda b: (-b.strength, b.start, b.term))
    return out


class BurstWatcher:
    """Raises a ``burst`` alert for each term bursting now (in the last bucket of a 7-day window).

    It is a watcher like any other, registered as ``bursts.v1`` in :data:`vigil.watch.watchers.WATCHERS` next to
    ``silence.v1`` (by that module, so importing this one has no side effect). Bursts are about words, not
    people: the evidence carries the term and its counts only.
    """

    def __init__(self, *, lookback: timedelta = timedelta(days=7), min_strength: float = 15.0,
                 min_ratio: float = 3.0) -> None:
        self.lookback = lookback
        self.min_strength = min_strength
        self.min_ratio = min_ratio

    def check(self, store: Store, now: datetime) -> list[Condition]:
        report = detect_bursts(store, since=now - self.lookback, until=now, bucket="1h", limit=100)
        current = format_ts(now - timedelta(hours=1))
        out = []
        for b in report.bursts:
            if b.end <= current or b.strength < self.min_strength or b.ratio < self.min_ratio:
                continue
            out.append(Condition(f"burst:{b.term}", "burst", "medium" if b.ratio >= 10 else "low", b.term,
                                 {"term": b.term, "since": b.start, "count": b.count, "expected": b.expected,
                                  "ratio": b.ratio, "strength": b.strength}))
        return out
