"""Security headers on every response, and bounds on what a request may send.

The Content Security Policy allows scripts, styles, images and fetches from this server only: no inline
script, no inline style, no ``eval``, no plugins, no framing by other sites. Message text is escaped by the
templates; the policy is the second wall if an escape is ever missed.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .envelope import error_response

__all__ = ["CSP", "SecurityMiddleware"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'")
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
MAX_QUERY_BYTES = 8192
MAX_PATH_BYTES = 2048


class SecurityMiddleware:
    """Pure ASGI middleware: header policy, query/path length limits, declared body size limit."""

    def __init__(self, app: ASGIApp, *, body_max_bytes: int) -> None:
        self.app = app
        self.body_max_bytes = body_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"public, max-age=3600" if path.startswith("/static/")
                                    else b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES or len(path) > MAX_PATH_BYTES:
            await error_response(414, "the URL is too long")(scope, receive, send_with_headers)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.body_max_bytes
                except ValueError:
                    too_big = True
                if too_big:
                    await error_response(413, f"the body is larger than {self.body_max_bytes} bytes")(
                        scope, receive, send_with_headers)
                    return
        await self.app(scope, receive, send_with_headers)
