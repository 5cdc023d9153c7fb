"""Dashboard views: each is ``view(request, state, who) -> Response``, listed in :data:`VIEWS` with its role."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .auth import Principal
from .pages import render
from .state import ServeState

__all__ = ["VIEWS"]

View = Callable[[Request, ServeState, Principal], Response]


def overview(request: Request, state: ServeState, who: Principal) -> Response:
    return HTMLResponse(render("overview.html", who=who, page="overview"))


VIEWS: list[tuple[str, View, str]] = [
    ("/", overview, "viewer"),
]
