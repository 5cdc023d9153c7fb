"""Sensitive data: the silence board, outages, the watch-list, and alerts about watched people.

Everything here names people at risk. Reads need the analyst role and are written to the audit log before
the data leaves; changes to the watch-list need the admin role. Alerts about watched people carry an area,
never a precise location (:func:`vigil.watch.privacy.strip_locations` runs on every alert that leaves).
"""

from __future__ import annotations

from typing import Any

from ...errors import NotFoundError
from ...message import format_ts
from ...watch.privacy import strip_locations
from ...watch.watchlist import add_watch, list_watched, parse_utc_offset, remove_watch
from .. import library
from ..envelope import ApiError
from ._base import Call, Endpoint, Param

__all__ = ["ENDPOINTS", "is_person_alert"]

_PERSON_KINDS = ("silence", "outage", "overdue", "watch")


def is_person_alert(alert: dict[str, Any]) -> bool:
    """True for alerts about watched people or areas going dark (analyst-only, audited)."""
    if alert.get("sensitive"):
        return True
    kind = str(alert.get("kind", "")).lower().split(".")[0]
    watcher = str(alert.get("watcher", "")).lower().split(".")[0]
    return kind in _PERSON_KINDS or watcher in _PERSON_KINDS


def silence(call: Call) -> Any:
    at = call.time("at") or call.now()
    return library.silence_report(call.state.writer, at=at, area=call.param("area"))


def outages(call: Call) -> Any:
    at = call.time("at") or call.now()
    report = library.silence_report(call.state.writer, at=at)
    return {"at": report["at"], "outages": report["outages"]}


def watchlist(call: Call) -> Any:
    return {"people": [p.to_dict() for p in list_watched(call.store, area=call.param("area"))]}


def watch_add(call: Call) -> Any:
    body = call.json()
    if not isinstance(body, dict):
        raise ApiError(400, 'send a JSON object: {"account", "area", "consent", "note"?, "person"?, "utc_offset"?}')
    fields = {k: body.get(k) for k in ("account", "area", "consent", "note", "person", "utc_offset")}
    for key, value in fields.items():
        if value is not None and (not isinstance(value, str) or len(value) > 1000):
            raise ApiError(400, f"{key!r} must be a string of at most 1000 characters")
    person = add_watch(call.state.writer, fields["account"] or "", area=fields["area"] or "",
                       consent=fields["consent"] or "", note=fields["note"] or "", person=fields["person"],
                       by=call.principal.username, now=call.now(),
                       utc_offset=parse_utc_offset(fields["utc_offset"]) if fields["utc_offset"] else None)
    call.audit("add watch", subject=person.account, detail=f"area={person.area}")
    call.state.bump()
    return person.to_dict()


def watch_remove(call: Call) -> Any:
    account = call.path("account")
    remove_watch(call.state.writer, account)
    call.audit("remove watch", subject=account)
    call.state.bump()
    return {"removed": account}


def _acks(call: Call, ids: list[str]) -> dict[str, dict[str, str]]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {r[0]: {"by": r[1], "at": r[2], "note": r[3]} for r in call.store.query(
        f"SELECT alert_id, username, at, note FROM serve_alert_acks WHERE alert_id IN ({marks})", ids)}


def alerts(call: Call) -> Any:
    limit = call.integer("limit", 100, lo=1, hi=500)
    found = library.list_alerts(call.store, limit=limit, state=call.choice("state", ("", "open", "closed"), "") or None,
                                kind=call.param("kind"))
    since = call.time("since")
    if since is not None:
        found = [a for a in found if str(a.get("created_at", "")) >= format_ts(since)]
    analyst = call.principal.allows("analyst")
    shown = [strip_locations(a) for a in found if analyst or not is_person_alert(a)]
    if analyst and any(is_person_alert(a) for a in shown):
        call.audit("read alerts", subject="/api/alerts", detail=f"{len(shown)} alerts")
    acks = _acks(call, [str(a.get("id")) for a in shown if a.get("id") is not None])
    for a in shown:
        a["acknowledged"] = acks.get(str(a.get("id")))
    if call.flag("open"):
        shown = [a for a in shown if a["acknowledged"] is None]
    return {"items": shown, "hidden": len(found) - len([a for a in found if analyst or not is_person_alert(a)])}


def alert_ack(call: Call) -> Any:
    alert_id = call.path("id")
    library.ack_alerts(call.store, alert_id)
    body = call.json(default={})
    note = str(body.get("note", ""))[:1000] if isinstance(body, dict) else ""
    call.state.writer.execute("INSERT INTO serve_alert_acks (alert_id, username, at, note) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT (alert_id) DO NOTHING",
                              (alert_id, call.principal.username, format_ts(call.now()), note))
    call.audit("acknowledge alert", subject=alert_id)
    call.state.bump()
    rows = call.state.writer.query("SELECT username, at, note FROM serve_alert_acks WHERE alert_id = ?", (alert_id,))
    if not rows:
        raise NotFoundError(f"no alert {alert_id!r}")
    return {"id": alert_id, "acknowledged": {"by": rows[0][0], "at": rows[0][1], "note": rows[0][2]}}


ENDPOINTS = (
    Endpoint("/api/silence", "GET", silence, role="analyst", audit="read silence",
             summary="The silence board: each watched person's status, last seen, expected next post, score.",
             params=(Param("at", "datetime", "Evaluate as of this time (default: now)."),
                     Param("area", help="Only this area.")), tags=("watch",)),
    Endpoint("/api/outages", "GET", outages, role="analyst", audit="read outages",
             summary="Areas where many watched people went silent together.",
             params=(Param("at", "datetime", "Evaluate as of this time (default: now)."),), tags=("watch",)),
    Endpoint("/api/watchlist", "GET", watchlist, role="analyst", audit="read watch-list",
             summary="Watched people with their handles, areas and consent.",
             params=(Param("area", help="Only this area."),), tags=("watch",)),
    Endpoint("/api/watchlist", "POST", watch_add, role="admin",
             summary="Watch a handle (consent required).",
             body='{"account", "area", "consent", "note"?, "person"?, "utc_offset"?}', tags=("watch",)),
    Endpoint("/api/watchlist/{account}", "DELETE", watch_remove, role="admin", summary="Stop watching a handle.",
             params=(Param("account", where="path", required=True),), tags=("watch",)),
    Endpoint("/api/alerts", "GET", alerts,
             summary="Alerts, newest first (alerts about watched people only for analysts, audited).",
             params=(Param("since", "datetime"), Param("limit", "integer"),
                     Param("state", help="open or closed.", enum=("open", "closed")), Param("kind"),
                     Param("open", "boolean", "Only alerts not acknowledged yet.")), tags=("alerts",)),
    Endpoint("/api/alerts/{id}/ack", "POST", alert_ack, role="analyst", summary="Acknowledge an alert.",
             params=(Param("id", where="path", required=True),), body='{"note"?}', tags=("alerts",)),
)
