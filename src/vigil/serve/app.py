"""The ASGI application: the JSON API, the dashboard pages and the static files, over one store.

``create_app(store_url, settings)`` builds it; ``vigil run`` serves it with uvicorn and attaches the live
follower; tests drive it in-process through ``httpx.ASGITransport``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..stages import default_stages
from .api import ENDPOINTS
from .api._base import Endpoint, run_endpoint
from .envelope import error_response, handle_error, json_response
from .facets import index_pending
from .openapi import openapi_schema
from .pipeline import Pipeline
from .security import SecurityMiddleware
from .settings import Settings
from .state import Clock, ServeState

__all__ = ["STATIC_DIR", "create_app", "serve_state"]

log = logging.getLogger("vigil.serve")
STATIC_DIR = Path(__file__).parent / "static"
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _version() -> str:
    try:
        return version("vigil")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


def _api_route(ep: Endpoint, state: ServeState) -> Route:
    limit = state.settings.body_max_bytes

    async def endpoint(request: Request) -> Response:
        body = b""
        if request.method in _WRITE_METHODS:
            chunks, size = [], 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:  # a body without Content-Length is counted as it arrives
                    return error_response(413, f"the body is larger than {limit} bytes")
                chunks.append(chunk)
            body = b"".join(chunks)
        return await run_in_threadpool(run_endpoint, ep, request, state, body)

    return Route(ep.path, endpoint, methods=[ep.method], name=f"{ep.method} {ep.path}")


def serve_state(app: Starlette) -> ServeState:
    """The :class:`ServeState` of an app built by :func:`create_app`."""
    state: ServeState = app.state.vigil
    return state


def create_app(store_url: str, settings: Settings | None = None, *, now: Clock | None = None,
               stages: Sequence[str] | None = None, extra_routes: Sequence[BaseRoute] = (),
               on_startup: Callable[[ServeState], Any] | None = None) -> Starlette:
    """Build the vigil web application.

    Args:
        store_url: the database (path or URL).
        settings: server settings (default: defaults and ``VIGIL_*`` variables).
        now: the clock (tests and the demo replay pass their own).
        stages: enrichment stages for pushed messages (default: every default stage).
        extra_routes: more routes (``vigil run`` adds none; tests may).
        on_startup: called with the state once the app starts (``vigil run`` starts its follower here).
    """
    settings = settings or Settings.load()
    state = ServeState(store_url, settings, now=now)
    state.pipeline = Pipeline(state.writer, stages=default_stages() if stages is None else stages,
                              areas=state.areas, now=state.now, on_change=state.bump,
                              watch_seconds=settings.watch_seconds)
    schema = openapi_schema(ENDPOINTS, _version())

    async def openapi(request: Request) -> Response:
        return json_response(schema)

    from .pages import page_routes

    routes: list[BaseRoute] = [
        Route("/api/openapi.json", openapi, methods=["GET"]),
        *[_api_route(ep, state) for ep in ENDPOINTS],
        *page_routes(state),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        *extra_routes,
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(index_pending, state.writer, state.areas())
        if on_startup is not None:
            await run_in_threadpool(on_startup, state)
        if state.live is not None:
            await state.live.start()
        try:
            yield
        finally:
            if state.live is not None:
                await state.live.stop()
            state.close()

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: handle_error, Exception: handle_error})
    app.state.vigil = state
    app.add_middleware(SecurityMiddleware, body_max_bytes=settings.body_max_bytes)
    return app
