"""The audit log: every read of the watch-list or of silence data, and every change an admin makes.

Entries are written in the request that reads the data, before the data is returned, so a read that left no
trace cannot have happened. The log itself is readable by admins only (``GET /api/audit``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..message import format_ts
from ..store import Store
from .auth import Principal

__all__ = ["audit", "audit_log"]


def audit(store: Store, who: Principal, action: str, *, subject: str = "", detail: str = "", client: str = "",
          now: datetime | None = None) -> None:
    """Record that ``who`` did ``action`` (e.g. ``"read silence"``) on ``subject``."""
    store.execute("INSERT INTO serve_audit (at, username, role, action, subject, detail, client) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (format_ts((now or datetime.now(UTC)).astimezone(UTC)), who.username or "-", who.role or "-",
                   action, subject[:500], detail[:2000], client[:100]))


def audit_log(store: Store, *, limit: int = 200, action: str | None = None) -> list[dict[str, Any]]:
    """The newest entries first (optionally of one action)."""
    sql = "SELECT at, username, role, action, subject, detail, client FROM serve_audit"
    params: list[Any] = []
    if action:
        sql += " WHERE action = ?"
        params.append(action)
    sql += " ORDER BY audit_id DESC LIMIT ?"
    params.append(limit)
    keys = ("at", "username", "role", "action", "subject", "detail", "client")
    return [dict(zip(keys, row, strict=True)) for row in store.query(sql, params)]
