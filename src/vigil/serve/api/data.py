"""Data in and out: ``POST /api/ingest`` (records in any format vigil reads) and exports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from starlette.responses import StreamingResponse

from ...readers import READERS
from ..envelope import ApiError
from ..export import EXPORT_FORMATS, export_lines
from ..queries import list_messages
from ._base import Call, Endpoint, Param
from .messages import FILTER_PARAMS, filter_from

__all__ = ["ENDPOINTS"]

_EXPORT_PAGE = 1000


def ingest(call: Call) -> Any:
    pipeline = call.state.pipeline
    if pipeline is None:
        raise ApiError(503, "this server does not ingest (start it with `vigil run`)")
    fmt = call.param("format", "auto") or "auto"
    if fmt != "auto" and fmt not in READERS:
        raise ApiError(400, f"unknown format {fmt!r}; known: auto, {', '.join(sorted(READERS))}")
    if not call.body.strip():
        raise ApiError(400, "the body is empty: send JSON records (an array, an API response or JSON Lines)")
    report = pipeline.ingest_bytes(call.body, f"api:{call.principal.username}", fmt=fmt, source=call.param("source"))
    return report.to_dict()


def export(call: Call) -> Any:
    fmt = call.choice("format", tuple(EXPORT_FORMATS), "csv")
    base = filter_from(call, limit=_EXPORT_PAGE)
    cap = call.integer("max", call.settings.export_max_rows, lo=1, hi=call.settings.export_max_rows)
    state = call.state

    def items() -> Iterator[dict[str, Any]]:
        sent, f = 0, base
        while sent < cap:
            with state.reader() as store:  # the handler's store goes back to the pool before streaming starts
                page = list_messages(store, dataclasses.replace(f, limit=min(_EXPORT_PAGE, cap - sent)),
                                     enrichments=True, text_chars=100_000)
            yield from page.items
            sent += len(page.items)
            if page.next is None:
                return
            f = dataclasses.replace(f, cursor=page.next)

    ext = "csv" if fmt == "hxl" else fmt
    name = f"vigil-messages{'-hxl' if fmt == 'hxl' else ''}.{ext}"
    return StreamingResponse(export_lines(items(), fmt), media_type=EXPORT_FORMATS[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


ENDPOINTS = (
    Endpoint("/api/ingest", "POST", ingest, role="analyst",
             summary="Push messages: JSON records in any format vigil reads (detected, or ?format=NAME).",
             params=(Param("format", help="A reader name, or auto (default)."),
                     Param("source", help="Override the source part of message ids.")),
             body="JSON records (array, API response or JSON Lines), at most body_max_bytes", tags=("data",)),
    Endpoint("/api/export", "GET", export, summary="Messages as CSV, JSON Lines or HXL-tagged CSV (same filters).",
             params=(Param("format", help="csv (default), jsonl or hxl.", enum=tuple(EXPORT_FORMATS)),
                     Param("max", "integer", "At most this many rows."),
                     *[p for p in FILTER_PARAMS if p.name not in {"limit", "cursor"}]),
             produces="text/csv", tags=("data",)),
)
