"""Alert records: what watchers raise, stored once per ongoing condition, with a "back" event at its end.

A watcher reports the *conditions* it sees now (:class:`Condition`, keyed by what they are about). The
runner compares them with the open alerts: a new key raises an :class:`Alert`; a key still present raises
nothing (an overdue account alerts once until it posts again); an open key that is gone is closed and a
``<kind>.back`` event is raised. Evidence about watched persons never carries precise locations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from ..message import format_ts
from ..store import Store
from .privacy import sensitive, strip_locations

__all__ = ["SEVERITIES", "Alert", "Condition", "list_alerts", "reconcile"]

SEVERITIES = ("info", "low", "medium", "high")


@dataclass(frozen=True)
class Condition:
    """Something a watcher sees now. ``key`` identifies it across runs (``"silence:rami_bustan"``)."""

    key: str
    kind: str
    severity: str
    subject: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    """A stored alert or event.

    Attributes:
        kind: ``silence``, ``outage``, ``silence.back``, ``outage.back``, ``burst`` ...
        severity: one of :data:`SEVERITIES`.
        subject: the account or area (never a precise place).
        evidence: JSON-ready facts behind it.
        watcher: the versioned watcher name that raised it (``silence.v1``).
        state: ``open`` while its condition lasts, ``closed`` after; events (``*.back``) are born closed.
    """

    SENSITIVE = True

    alert_id: int
    key: str
    kind: str
    severity: str
    subject: str
    evidence: dict[str, Any]
    created_at: str
    watcher: str
    state: str = "open"
    closed_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``vigil alerts --json`` and every sink)."""
        return {"id": self.alert_id, "key": self.key, "kind": self.kind, "severity": self.severity,
                "subject": self.subject, "evidence": self.evidence, "created_at": self.created_at,
                "watcher": self.watcher, "state": self.state, "closed_at": self.closed_at}


_COLUMNS = "alert_id, key, kind, severity, subject, evidence, created_at, watcher, state, closed_at"


def _alert(row: tuple[Any, ...]) -> Alert:
    return Alert(int(row[0]), row[1], row[2], row[3], row[4], orjson.loads(row[5]), row[6], row[7], row[8], row[9])


def reconcile(store: Store, watcher: str, conditions: Iterable[Condition], *, now: datetime) -> list[Alert]:
    """Store what changed between ``conditions`` and ``watcher``'s open alerts; return the new alerts/events."""
    stamp = format_ts(now)
    current = {c.key: c for c in conditions}
    for c in current.values():
        if c.severity not in SEVERITIES:
            raise ValueError(f"watcher {watcher}: severity {c.severity!r} is not one of {', '.join(SEVERITIES)}")
    new_ids = []
    with store.transaction() as conn:
        open_rows = conn.execute(f"SELECT {_COLUMNS} FROM alerts WHERE watcher = ? AND state = 'open'",
                                 (watcher,)).fetchall()
        open_alerts = {r[1]: _alert(tuple(r)) for r in open_rows}
        for key, c in current.items():
            if key in open_alerts:
                continue
            cur = conn.execute("INSERT INTO alerts (key, kind, severity, subject, evidence, created_at, watcher, "
                               "state) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                               (key, c.kind, c.severity, c.subject, _evidence(c.evidence), stamp, watcher))
            new_ids.append(int(cur.lastrowid))
        for key, a in open_alerts.items():
            if key in current:
                continue
            conn.execute("UPDATE alerts SET state = 'closed', closed_at = ? WHERE alert_id = ?", (stamp, a.alert_id))
            evidence = {"alert": a.alert_id, "since": a.created_at, "back_at": stamp}
            cur = conn.execute("INSERT INTO alerts (key, kind, severity, subject, evidence, created_at, watcher, "
                               "state, closed_at) VALUES (?, ?, 'info', ?, ?, ?, ?, 'closed', ?)",
                               (key, f"{a.kind}.back", a.subject, _evidence(evidence), stamp, watcher, stamp))
            new_ids.append(int(cur.lastrowid))
    if not new_ids:
        return []
    rows = store.query(f"SELECT {_COLUMNS} FROM alerts WHERE alert_id IN ({', '.join('?' for _ in new_ids)}) "
                       "ORDER BY alert_id", new_ids)
    return [_alert(r) for r in rows]


def _evidence(evidence: dict[str, Any]) -> str:
    return orjson.dumps(strip_locations(evidence), option=orjson.OPT_SORT_KEYS).decode()


@sensitive
def list_alerts(store: Store, *, state: str | None = None, kind: str | None = None,
                limit: int | None = 100) -> list[Alert]:
    """Stored alerts, newest first."""
    sql = f"SELECT {_COLUMNS} FROM alerts"
    where, params = [], []
    if state is not None:
        where.append("state = ?")
        params.append(state)
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY alert_id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_alert(r) for r in store.query(sql, params)]
