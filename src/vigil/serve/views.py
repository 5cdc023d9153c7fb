"""Dashboard views: each is ``view(request, state, who) -> Response``, listed in :data:`VIEWS` with its role.

Views call the same library functions as the API (message listing, silence report, sitrep, trends) and hand
plain data to autoescaped templates; charts are SVG images from :mod:`vigil.serve.charts`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import UsageError
from ..message import format_ts
from ..text import parse_datetime
from . import library
from .api.watch import is_person_alert
from .audit import audit, audit_log
from .auth import Principal, list_tokens, list_users
from .charts import line_chart, stacked_bars
from .envelope import ApiError
from .facets import URGENCIES
from .pages import render
from .queries import MessageFilter, list_messages, message_facets
from .state import ServeState

__all__ = ["VIEWS"]

View = Callable[[Request, ServeState, Principal], Response]
_SVG = "image/svg+xml"


def _q(request: Request, name: str, limit: int = 300) -> str | None:
    value = request.query_params.get(name, "").strip()
    if len(value) > limit:
        raise ApiError(400, f"{name} is too long")
    return value or None


def _time(request: Request, name: str) -> datetime | None:
    value = _q(request, name)
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        raise ApiError(400, f"cannot read {name}={value!r} as a time; example: 2025-02-06T18:00:00Z") from None


def _html(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(name, **context))


def _hourly(state: ServeState, hours: int, until: datetime | None) -> tuple[list[str], dict[str, list[int]]]:
    with state.reader() as store:
        end = until
        if end is None:
            newest = store.query("SELECT max(hour) FROM serve_hourly WHERE hour <= ?", (format_ts(state.now()),))[0][0]
            end = datetime.fromisoformat(newest) if newest else state.now()
        start = end - timedelta(hours=hours - 1)
        rows = store.query("SELECT hour, type, n FROM serve_hourly WHERE hour >= ? AND hour <= ? ORDER BY hour",
                           (format_ts(start)[:13] + ":00:00Z", format_ts(end)))
    hours_list = [format_ts(start + timedelta(hours=i))[:13] + ":00:00Z" for i in range(hours)]
    index = {h: i for i, h in enumerate(hours_list)}
    series: dict[str, list[int]] = {}
    for hour, kind, n in rows:
        if hour in index:
            series.setdefault(kind or "unclassified", [0] * hours)[index[hour]] += int(n)
    labels = [f"{h[5:10]} {h[11:13]}h" for h in hours_list]
    return labels, dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))


def hourly_svg(request: Request, state: ServeState, who: Principal) -> Response:
    try:
        hours = max(1, min(24 * 14, int(request.query_params.get("hours", "48"))))
    except ValueError:
        hours = 48
    labels, series = _hourly(state, hours, _time(request, "until"))
    return Response(stacked_bars(labels, series, title=f"Messages per hour by type, last {hours} hours"),
                    media_type=_SVG)


def _trend_data(state: ServeState, phrases: list[str], bucket: str) -> dict[str, Any]:
    fn = library.feature("watch.trends", "phrase_trends", "phrase trends")
    with state.reader() as store:
        result = fn(store, phrases, bucket=bucket)
    data: dict[str, Any] = result.to_dict() if hasattr(result, "to_dict") else result
    return data


def trends_svg(request: Request, state: ServeState, who: Principal) -> Response:
    phrases = [p for p in request.query_params.getlist("phrase") if p.strip()][:8]
    bucket = "1d" if request.query_params.get("bucket") == "1d" else "1h"
    data = _trend_data(state, phrases, bucket)
    labels = [str(s["start"])[5:13].replace("T", " ") for s in data.get("series", [])]
    series = {p: [int(s["counts"].get(p, 0)) for s in data.get("series", [])] for p in phrases}
    return Response(line_chart(labels, series, title="Competing phrasings"), media_type=_SVG)


def overview(request: Request, state: ServeState, who: Principal) -> Response:
    now = state.now()
    with state.reader() as store:
        urgent = list_messages(store, MessageFilter(order="urgent", since=now - timedelta(hours=24), until=now,
                                                    urgency="high", limit=15)).items
        latest = list_messages(store, MessageFilter(until=now, limit=10)).items
        totals = store.query("SELECT count(*), max(created_at) FROM serve_facets WHERE created_at <= ?",
                             (format_ts(now),))[0]
        try:
            alerts = library.list_alerts(store, limit=20)
        except ApiError:
            alerts = []
    alerts = [a for a in alerts if who.allows("analyst") or not is_person_alert(a)]
    return _html("overview.html", who=who, page="overview", urgent=urgent, latest=latest, alerts=alerts,
                 total=totals[0], newest=totals[1], now=format_ts(now), tick=state.generation)


def silence(request: Request, state: ServeState, who: Principal) -> Response:
    at = _time(request, "at") or state.now()
    report = library.silence_report(state.writer, at=at)
    audit(state.writer, who, "read silence", subject="/silence", detail=f"at={format_ts(at)}",
          client=request.client.host if request.client else "", now=state.now())
    overdue = [a for a in report["accounts"] if a["status"] == "overdue"]
    by_area: dict[str, list[dict[str, Any]]] = {}
    for a in report["accounts"]:
        by_area.setdefault(a["area"], []).append(a)
    # areas in trouble first (outage, then overdue people), then by name
    areas = sorted(by_area.items(), key=lambda kv: (not any(a["outage"] for a in kv[1]),
                                                    not any(a["status"] == "overdue" for a in kv[1]), kv[0]))
    with state.reader() as store:
        try:
            past = [a for a in library.list_alerts(store, limit=200) if str(a["kind"]).startswith("outage")]
        except ApiError:
            past = []
    return _html("silence.html", who=who, page="silence", report=report, overdue=overdue, areas=areas,
                 past_outages=past[:10], at=report["at"])


def search(request: Request, state: ServeState, who: Principal) -> Response:
    form = {k: _q(request, k) for k in ("q", "type", "urgency", "signal", "lang", "area", "author", "since",
                                        "until", "order", "cursor")}
    f = MessageFilter(search=form["q"], type=form["type"], urgency=form["urgency"], signal=form["signal"],
                      lang=form["lang"], area=form["area"], author=form["author"], since=_time(request, "since"),
                      until=_time(request, "until"), order=form["order"] or "newest", cursor=form["cursor"], limit=50)
    with state.reader() as store:
        try:
            page = list_messages(store, f)
        except UsageError as exc:
            raise ApiError(400, str(exc)) from None
        types = [r[0] for r in store.query("SELECT DISTINCT type FROM serve_facets WHERE type != '' ORDER BY 1")]
        signals = [r[0] for r in store.query("SELECT DISTINCT signal FROM serve_facet_signals ORDER BY 1")]
        langs = [r[0] for r in store.query("SELECT DISTINCT lang FROM serve_facets WHERE lang != '' ORDER BY 1")]
    areas = sorted(set(state.areas().names.values()))
    next_url = None
    if page.next:
        next_url = "/search?" + urlencode({**{k: v for k, v in form.items() if v and k != "cursor"},
                                           "cursor": page.next})
    export_url = "/api/export?" + urlencode({k: v for k, v in form.items() if v and k not in {"cursor", "order"}})
    return _html("search.html", who=who, page="search", form=form, items=page.items, next_url=next_url,
                 export_url=export_url,
                 types=types, signals=signals, langs=langs, areas=areas, urgencies=URGENCIES)


def message(request: Request, state: ServeState, who: Principal) -> Response:
    message_id = request.path_params["id"]
    with state.reader() as store:
        msg = store.get_message(message_id)
        rows = store.query("SELECT f.rowid, f.type, f.urgency FROM serve_facets f JOIN messages m ON m.rowid = f.rowid "
                           "WHERE m.id = ?", (msg.id,))
        extra = message_facets(store, [int(rows[0][0])])[int(rows[0][0])] if rows else {"signals": [], "areas": []}
    data = msg.to_dict()
    enrichments = json.dumps(data.pop("enrichments"), ensure_ascii=False, indent=2, sort_keys=True)
    return _html("message.html", who=who, page="search", m=data, facets={
        "type": rows[0][1] if rows else "", "urgency": rows[0][2] if rows else "", **extra}, enrichments=enrichments)


def phrases(request: Request, state: ServeState, who: Principal) -> Response:
    chosen = [p for p in request.query_params.getlist("phrase") if p.strip()][:8]
    bucket = "1d" if request.query_params.get("bucket") == "1d" else "1h"
    errors: list[str] = []
    families: list[Any] = []
    bursts: list[Any] = []
    with state.reader() as store:
        for what, module, name in (("families", "watch.phrases", "phrase_families"),
                                   ("bursts", "watch.bursts", "detect_bursts")):
            try:
                result = library.feature(module, name, f"phrase {what}")(store)
                value = result.to_dict() if hasattr(result, "to_dict") else result
                rows = value.get(what, value.get("items", [])) if isinstance(value, dict) else value
                rows = rows if isinstance(rows, list) else []
                (families if what == "families" else bursts).extend(
                    r.to_dict() if hasattr(r, "to_dict") else r for r in rows)
            except ApiError as exc:
                errors.append(exc.message)
    chart = None
    if chosen:
        try:
            _trend_data(state, chosen, bucket)
            chart = "/charts/trends.svg?" + urlencode([("phrase", p) for p in chosen] + [("bucket", bucket)])
        except ApiError as exc:
            errors.append(exc.message)
    return _html("phrases.html", who=who, page="phrases", chosen=chosen, bucket=bucket, chart=chart,
                 families=families[:30], bursts=bursts[:30], errors=errors)


def sitrep(request: Request, state: ServeState, who: Principal) -> Response:
    hours = request.query_params.get("hours", "24")
    hours = hours if hours.isdigit() and 0 < int(hours) <= 24 * 31 else "24"
    return _html("sitrep.html", who=who, page="sitrep", hours=hours, until=format_ts(state.now()))


def admin(request: Request, state: ServeState, who: Principal) -> Response:
    with state.reader() as store:
        return _html("admin.html", who=who, page="admin", users=list_users(store), tokens=list_tokens(store),
                     audit=audit_log(store, limit=100))


VIEWS: list[tuple[str, View, str]] = [
    ("/", overview, "viewer"),
    ("/search", search, "viewer"),
    ("/messages/{id:path}", message, "viewer"),
    ("/silence", silence, "analyst"),
    ("/phrases", phrases, "viewer"),
    ("/sitrep", sitrep, "viewer"),
    ("/admin", admin, "admin"),
    ("/charts/hourly.svg", hourly_svg, "viewer"),
    ("/charts/trends.svg", trends_svg, "viewer"),
]
