"""The one JSON envelope of the API, for answers and errors alike.

Every answer is ``{"ok": true, "data": ..., "status": 200}`` (plus ``"next"`` when there is another page), and
every error ``{"ok": false, "error": "what went wrong and what to do", "status": 404}``. Both are built here
and nowhere else; ``tests/test_api_envelope.py`` guards the shape for every error the server can produce.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..errors import InputError, NotFoundError, StoreError, UsageError, VigilError

__all__ = ["ApiError", "envelope", "error_body", "error_response", "handle_error", "json_response", "status_for"]

_REASONS = {400: "bad request", 401: "login required", 403: "forbidden", 404: "not found",
            405: "method not allowed", 413: "request too large", 414: "URI too long", 415: "unsupported media type",
            422: "invalid input", 429: "too many requests", 500: "internal error", 503: "not available"}


class ApiError(Exception):
    """An error raised by a handler with its HTTP status; the message is shown to the caller as is."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def envelope(data: Any, status: int = 200, **extra: Any) -> dict[str, Any]:
    """The success envelope: ``{"ok": true, "data": data, "status": status, **extra}``."""
    return {"ok": True, "data": data, "status": status, **extra}


def error_body(status: int, message: str) -> dict[str, Any]:
    """The error envelope: ``{"ok": false, "error": message, "status": status}``.

    >>> error_body(404, "no message with id 'x:1'")
    {'ok': False, 'error': "no message with id 'x:1'", 'status': 404}
    """
    return {"ok": False, "error": message or _REASONS.get(status, "error"), "status": status}


def _dumps(body: Any) -> bytes:
    return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS, default=str)


def json_response(data: Any, status: int = 200, *, headers: dict[str, str] | None = None,
                  **extra: Any) -> Response:
    """A JSON response holding the success envelope."""
    return Response(_dumps(envelope(data, status, **extra)), status_code=status, headers=headers,
                    media_type="application/json")


def error_response(status: int, message: str, *, headers: dict[str, str] | None = None) -> Response:
    """A JSON response holding the error envelope."""
    return Response(_dumps(error_body(status, message)), status_code=status, headers=headers,
                    media_type="application/json")


def status_for(exc: BaseException) -> int:
    """The HTTP status of a library error (the one place the error tree meets HTTP)."""
    if isinstance(exc, ApiError):
        return exc.status
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UsageError | InputError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    if isinstance(exc, VigilError):
        return 400
    return 500


async def handle_error(request: Request, exc: Exception) -> Response:
    """Starlette exception handler: every error, expected or not, leaves as the envelope."""
    if isinstance(exc, HTTPException):
        status = exc.status_code
        message = exc.detail if exc.detail and exc.detail != _default_detail(status) else _REASONS.get(status, "")
        return error_response(status, str(message), headers=dict(exc.headers or {}))
    status = status_for(exc)
    if status == 500:  # never leak internals; the server log has the traceback
        return error_response(500, "internal error; the server log has the details")
    return error_response(status, exc.message if isinstance(exc, ApiError) else str(exc))


def _default_detail(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
