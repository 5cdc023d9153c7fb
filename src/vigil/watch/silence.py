"""``vigil silence``: who on the watch-list is overdue at time T, and which areas are dark.

:func:`evaluate_silence` works as of any time T, ignoring messages created after T, so a history can be
replayed. Rhythms are fitted from each person's history (all their handles together) and stored in
``watch_rhythm``; a stored rhythm is reused while it is younger than ``refit_after`` and not from T's future,
so scoring many accounts reads only their recent posts, never their whole history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from ..message import format_ts
from ..store import MessageQuery, Store
from .outage import RECENT_WINDOW_S, find_outages, recent_sessions
from .privacy import sensitive
from .rhythm import ALARM_RATE, HISTORY_DAYS, Rhythm, RhythmTable, fit_rhythm, score_silence
from .watchlist import WatchedPerson, area_offsets, list_watched

__all__ = ["REFIT_AFTER_S", "AccountSilence", "Outage", "SilenceReport", "evaluate_silence", "load_rhythms",
           "parse_times", "person_post_times"]

REFIT_AFTER_S = 6 * 3600.0
"""A stored rhythm is refitted when older than this (posts ingested late are picked up then)."""
_RECENT_SLACK_S = 2 * 86400.0
"""Posts are read this far beyond the recent window, so an area silent for up to two days still has its day
before the silence."""
_MATCH = ("JOIN watch_keys k ON k.key = lower(m.author) AND (k.format = '' OR k.format = m.format)")


@dataclass(frozen=True)
class AccountSilence:
    """One watched person's silence at the evaluation time (``account`` is their first handle)."""

    SENSITIVE = True

    account: str
    person: str
    handles: tuple[str, ...]
    area: str
    status: str
    last_seen: str | None
    silent_for_s: float | None
    expected_gap_s: float
    score: float
    expected_next: str | None
    cold_start: bool
    method: str
    outage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil silence --json`` account record."""
        return {"account": self.account, "area": self.area, "status": self.status, "last_seen": self.last_seen,
                "silent_for_s": self.silent_for_s, "expected_gap_s": round(self.expected_gap_s, 1),
                "score": round(self.score, 4), "person": self.person, "handles": list(self.handles),
                "expected_next": self.expected_next, "cold_start": self.cold_start, "method": self.method,
                "outage": self.outage}


@dataclass(frozen=True)
class Outage:
    """An area where many watched people went silent together."""

    SENSITIVE = True

    area: str
    since: str
    accounts: tuple[str, ...]
    expected: float
    window_s: float

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil silence --json`` outage record."""
        return {"area": self.area, "since": self.since, "accounts": list(self.accounts),
                "expected_posts": round(self.expected, 2), "window_s": self.window_s}


@dataclass(frozen=True)
class SilenceReport:
    """Everything :func:`evaluate_silence` found at ``at``."""

    SENSITIVE = True

    at: str
    accounts: tuple[AccountSilence, ...]
    outages: tuple[Outage, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil silence --json`` contract."""
        return {"at": self.at, "accounts": [a.to_dict() for a in self.accounts],
                "outages": [o.to_dict() for o in self.outages]}

    @property
    def overdue(self) -> list[AccountSilence]:
        """The overdue accounts, most alarming first."""
        return sorted((a for a in self.accounts if a.status == "overdue"), key=lambda a: -a.score)


def parse_times(values: Sequence[str]) -> npt.NDArray[np.float64]:
    """Stored timestamps (fixed-width ISO-8601 UTC) to epoch seconds, vectorised."""
    if not values:
        return np.zeros(0, dtype=np.float64)
    stamps = np.array([v.rstrip("Z") for v in values], dtype="datetime64[us]")
    return stamps.astype(np.int64).astype(np.float64) / 1e6


def person_post_times(store: Store, person_ids: Sequence[int], *, since: datetime,
                      until: datetime) -> dict[int, npt.NDArray[np.float64]]:
    """Post times (epoch seconds, sorted) of each person's handles in ``[since, until]``."""
    wanted = set(person_ids)
    times: dict[int, list[str]] = defaultdict(list)
    rows = store.query(f"SELECT k.person_id, m.created_at FROM messages m {_MATCH} "
                       "WHERE m.created_at >= ? AND m.created_at <= ? ORDER BY m.created_at",
                       (format_ts(since), format_ts(until)))
    for pid, created in rows:
        if pid in wanted:
            times[int(pid)].append(created)
    return {pid: parse_times(times.get(pid, [])) for pid in person_ids}


def load_rhythms(store: Store) -> dict[int, Rhythm]:
    """Stored rhythms by person id."""
    out = {}
    for (pid, fitted, last_seen, n_posts, n_sessions, spd, scale, shape, mean_gap, offset, cold, method,
         blob) in store.query("SELECT person_id, fitted_at, last_seen, n_posts, n_sessions, sessions_per_day, "
                              "scale_s, shape, mean_gap_s, utc_offset_min, cold_start, method, profile "
                              "FROM watch_rhythm"):
        profile = np.frombuffer(bytes(blob), dtype="<f4").astype(np.float64)
        out[int(pid)] = Rhythm(float(parse_times([fitted])[0]),
                               float(parse_times([last_seen])[0]) if last_seen else None, int(n_posts),
                               int(n_sessions), float(spd), float(scale), float(shape), float(mean_gap), int(offset),
                               bool(cold), str(method), profile / profile.mean())
    return out


def _save_rhythms(store: Store, rhythms: dict[int, Rhythm]) -> None:
    rows = [(pid, format_ts(_dt(r.fitted_at)), format_ts(_dt(r.last_seen)) if r.last_seen is not None else None,
             r.n_posts, r.n_sessions, r.sessions_per_day, r.scale_s, r.shape, r.mean_gap_s, r.utc_offset_min,
             int(r.cold_start), r.method, r.profile.astype("<f4").tobytes()) for pid, r in rhythms.items()]
    with store.transaction() as conn:
        conn.executemany("DELETE FROM watch_rhythm WHERE person_id = ?", [(r[0],) for r in rows])
        conn.executemany("INSERT INTO watch_rhythm (person_id, fitted_at, last_seen, n_posts, n_sessions, "
                         "sessions_per_day, scale_s, shape, mean_gap_s, utc_offset_min, cold_start, method, profile) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _rhythms_at(store: Store, people: Sequence[WatchedPerson], at: float,
                refit_after: float) -> tuple[list[Rhythm], npt.NDArray[np.float64]]:
    """Rhythms valid at ``at`` (stored or refitted) and each person's last post up to ``at``."""
    offsets = area_offsets(store)
    stored = load_rhythms(store)
    rhythms: dict[int, Rhythm] = {}
    stale = []
    for p in people:
        r = stored.get(p.person_id)
        offset = offsets.get(p.area, 0)
        if r is not None and r.fitted_at <= at < r.fitted_at + refit_after and r.utc_offset_min == offset:
            rhythms[p.person_id] = r
        else:
            stale.append(p)
    if stale:
        history = person_post_times(store, [p.person_id for p in stale], since=_dt(at - HISTORY_DAYS * 86400),
                                    until=_dt(at))
        fresh = {p.person_id: fit_rhythm(history[p.person_id], at=at, utc_offset_min=offsets.get(p.area, 0))
                 for p in stale}
        # keep the newest fit: a replay of the past must not replace a fit of the present
        keep = {pid: r for pid, r in fresh.items() if pid not in stored or stored[pid].fitted_at < r.fitted_at}
        if keep:
            _save_rhythms(store, keep)
        rhythms.update(fresh)
    last_seen = np.array([np.nan if rhythms[p.person_id].last_seen is None else rhythms[p.person_id].last_seen
                          for p in people], dtype=np.float64)
    reused = [i for i, p in enumerate(people) if p.person_id in stored and rhythms[p.person_id] is stored[p.person_id]]
    if reused:  # posts between the stored fit and `at`
        oldest = min(rhythms[people[i].person_id].fitted_at for i in reused)
        recent = store.query(f"SELECT k.person_id, max(m.created_at) FROM messages m {_MATCH} "
                             "WHERE m.created_at > ? AND m.created_at <= ? GROUP BY k.person_id",
                             (format_ts(_dt(oldest)), format_ts(_dt(at))))
        latest = {int(pid): float(parse_times([ts])[0]) for pid, ts in recent}
        for i in reused:
            t = latest.get(people[i].person_id)
            if t is not None and (np.isnan(last_seen[i]) or t > last_seen[i]):
                last_seen[i] = t
    unseen = [i for i in range(len(people)) if np.isnan(last_seen[i])]
    if unseen:  # silent for longer than the history window (or never seen): that must not read as "ok"
        older = _last_posts_before(store, [people[i].person_id for i in unseen], at)
        for i in unseen:
            if people[i].person_id in older:
                last_seen[i] = older[people[i].person_id]
    return [rhythms[p.person_id] for p in people], last_seen


def _last_posts_before(store: Store, person_ids: Sequence[int], at: float) -> dict[int, float]:
    """Each person's latest post at or before ``at``, however old (one indexed lookup per handle key)."""
    keys: list[tuple[Any, ...]] = []
    for start in range(0, len(person_ids), 500):  # bounded IN lists: SQLite caps the number of parameters
        chunk = tuple(person_ids[start:start + 500])
        keys += store.query(f"SELECT person_id, key, format FROM watch_keys WHERE person_id IN "
                            f"({', '.join('?' for _ in chunk)})", chunk)
    latest: dict[int, float] = {}
    for pid, key, fmt in keys:
        newest = next(iter(store.messages(MessageQuery(author=str(key), format=str(fmt) or None, until=_dt(at),
                                                       newest_first=True, limit=1))), None)
        if newest is not None:
            t = newest.created_at.timestamp()
            latest[int(pid)] = max(t, latest.get(int(pid), t))
    return latest


@sensitive
def evaluate_silence(store: Store, *, at: datetime | None = None, now: datetime | None = None,
                     alarm_rate: float = ALARM_RATE, refit_after: float = REFIT_AFTER_S,
                     area: str | None = None) -> SilenceReport:
    """Score every watched person's silence as of ``at`` and group simultaneous silences into outages.

    Args:
        store: the store holding messages and the watch-list.
        at: the evaluation time; messages created after it are ignored (default: ``now``).
        now: the clock (default: the system clock), for tests.
        alarm_rate: prior rate of real incidents per account-month; higher alarms sooner.
        refit_after: reuse a stored rhythm fitted less than this many seconds before ``at``.
        area: only this area.

    Returns:
        A :class:`SilenceReport`; accounts sorted by area, then most alarming first.
    """
    when = (at or now or datetime.now(UTC)).astimezone(UTC)
    t = when.timestamp()
    people = list_watched(store, area=area)
    if not people:
        return SilenceReport(format_ts(when), ())
    rhythms, last_seen = _rhythms_at(store, people, t, refit_after)
    table = RhythmTable.from_rhythms(rhythms)
    scores = score_silence(table, last_seen, t, alarm_rate=alarm_rate)
    areas = [p.area for p in people]
    # each person's sessions in the day before their area went quiet: today's level against their rhythm
    recent_posts = person_post_times(store, [p.person_id for p in people],
                                     since=_dt(t - RECENT_WINDOW_S - _RECENT_SLACK_S), until=when)
    recent = recent_sessions([recent_posts[p.person_id] for p in people], last_seen, areas)
    findings = find_outages(table, last_seen, areas, t, recent=recent)
    in_outage: dict[int, str] = {i: f.area for f in findings for i in f.members}
    accounts = []
    for i, p in enumerate(people):
        seen = not np.isnan(last_seen[i])
        accounts.append(AccountSilence(
            account=p.account, person=p.name, handles=tuple(h.handle for h in p.handles), area=p.area,
            status="overdue" if bool(scores.overdue[i]) else "ok",
            last_seen=format_ts(_dt(float(last_seen[i]))) if seen else None,
            silent_for_s=round(float(scores.silent_for_s[i]), 1) if seen else None,
            expected_gap_s=float(scores.expected_gap_s[i]), score=float(scores.score[i]),
            expected_next=format_ts(_dt(float(scores.expected_next[i]))) if seen else None,
            cold_start=rhythms[i].cold_start, method=rhythms[i].method, outage=in_outage.get(i)))
    accounts.sort(key=lambda a: (a.area, -a.score, a.account))
    outages = tuple(Outage(f.area, format_ts(_dt(f.since)), tuple(people[i].account for i in f.members), f.expected,
                           f.window_s) for f in findings)
    return SilenceReport(format_ts(when), tuple(accounts), outages)
