"""One API request served in-process, without a network: ``vigil serve --get /api/...`` and scripts.

The app starts (lifespan included), answers one request through ``httpx.ASGITransport`` and stops.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from .app import create_app
from .auth import Principal
from .settings import Settings

__all__ = ["Answer", "request"]


@dataclass(frozen=True)
class Answer:
    """The status, content type and body of one in-process request."""

    status: int
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        """True for 2xx."""
        return 200 <= self.status < 300


def request(store_url: str, path: str, *, method: str = "GET", body: bytes | None = None, token: str | None = None,
            user: Principal | None = None, settings: Settings | None = None) -> Answer:
    """Serve one request against ``store_url``.

    Args:
        store_url: the database.
        path: the path and query (``/api/messages?signal=plea``).
        method: HTTP method.
        body: request body.
        token: an API token to send as ``Authorization: Bearer``.
        user: act as this principal (the caller owns the database file, so it could read it anyway).
        settings: server settings.
    """
    app = create_app(store_url, settings or Settings.load(), stages=None if method != "GET" else ())
    if user is not None:
        app.state.vigil.local_principal = user

    async def run() -> Answer:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            r = await client.request(method, path, content=body, headers=headers)
            return Answer(r.status_code, r.headers.get("content-type", ""), r.content)

    return asyncio.run(run())
