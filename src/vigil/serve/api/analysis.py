"""Aggregates a viewer may see: phrase trends and families, bursts, and the situation report.

Each endpoint calls the same library function as its command (``vigil trends``, ``vigil phrases``, ``vigil
bursts``, ``vigil sitrep``), so the API and the command line always agree.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from starlette.responses import Response

from .. import library
from ..envelope import ApiError
from ._base import Call, Endpoint, Param

__all__ = ["ENDPOINTS"]

def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def trends(call: Call) -> Any:
    phrases = call.params("phrase")
    if not phrases:
        raise ApiError(400, "give at least one phrase: /api/trends?phrase=goodbye+to&phrase=goodbye+forever")
    fn = library.feature("watch.trends", "phrase_trends", "phrase trends")
    return _plain(fn(call.store, phrases, bucket=call.choice("bucket", ("1h", "1d"), "1h"),
                     since=call.time("since"), until=call.time("until")))


def phrases(call: Call) -> Any:
    fn = library.feature("watch.phrases", "phrase_families", "phrase families")
    return _plain(fn(call.store, since=call.time("since"), until=call.time("until")))


def bursts(call: Call) -> Any:
    fn = library.feature("watch.bursts", "detect_bursts", "burst detection")
    return _plain(fn(call.store, since=call.time("since"), until=call.time("until")))


def sitrep(call: Call) -> Any:
    fmt = call.choice("format", ("json", "md", "html"), "json")
    until = call.time("until") or call.now()
    since = call.time("since") or until - timedelta(hours=call.integer("hours", 24, lo=1, hi=24 * 31))
    text = library.sitrep(call.store, since=since, until=until, now=call.now(), fmt=fmt)
    if fmt == "json":
        return orjson.loads(text)
    media = "text/html; charset=utf-8" if fmt == "html" else "text/markdown; charset=utf-8"
    return Response(text, media_type=media)


_WINDOW = (Param("since", "datetime"), Param("until", "datetime"))

ENDPOINTS = (
    Endpoint("/api/trends", "GET", trends, summary="Counts per bucket of competing phrasings, and their shares.",
             params=(Param("phrase", help="A phrase (repeat for several).", required=True),
                     Param("bucket", help="1h or 1d.", enum=("1h", "1d")), *_WINDOW), cache=True, tags=("trends",)),
    Endpoint("/api/phrases", "GET", phrases, summary="Phrase families: competing variants, rising and falling.",
             params=_WINDOW, cache=True, tags=("trends",)),
    Endpoint("/api/bursts", "GET", bursts, summary="Terms, hashtags and phrases whose rate jumped.",
             params=_WINDOW, cache=True, tags=("trends",)),
    Endpoint("/api/sitrep", "GET", sitrep, summary="Situation report of a period (JSON, Markdown or HTML).",
             params=(Param("format", help="json (default), md or html.", enum=("json", "md", "html")), *_WINDOW,
                     Param("hours", "integer", "Period length when since is not given (default 24).")),
             cache=True, tags=("sitrep",)),
)
