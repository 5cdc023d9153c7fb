"""The dashboard: server-rendered pages (Jinja2, autoescaped) with a little vendored JavaScript.

Pages read through the same library functions as the API and follow the same roles; a page that needs a
login redirects to ``/login``. Forms carry CSRF tokens: the login form a double-submit cookie (there is no
session yet), every later form the session's token.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..errors import VigilError
from .api._base import SESSION_COOKIE, principal_of
from .auth import Principal, authenticate, create_session, end_session
from .envelope import ApiError
from .state import ServeState

__all__ = ["TEMPLATES", "page_routes"]

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True), auto_reload=False)
LOGIN_CSRF_COOKIE = "vigil_login_csrf"
_FORM_MAX = 16 * 1024


def _safe_next(value: str | None) -> str:
    """Only same-site paths (``/x``), never ``//host`` or a full URL: no open redirect after login."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return "/"


async def _form(request: Request) -> dict[str, str]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise ApiError(415, "send the form as application/x-www-form-urlencoded")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > _FORM_MAX:
            raise ApiError(413, "the form is too large")
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), max_num_fields=20).items()}


def render(name: str, **context: Any) -> str:
    """Render a template with autoescaping."""
    return TEMPLATES.get_template(name).render(**context)


def _cookie(response: Response, state: ServeState, key: str, value: str, max_age: int | None) -> None:
    response.set_cookie(key, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=state.settings.secure_cookies, path="/")


PageFn = Callable[[Request, ServeState, Principal], Response]


def page(state: ServeState, fn: PageFn, role: str = "viewer") -> Callable[[Request], Any]:
    """Wrap a page: resolve the principal, redirect to login or show 403, run ``fn`` in a worker thread."""

    def run(request: Request) -> Response:
        with state.reader() as store:
            try:
                who = principal_of(request, state, store)
            except ApiError:
                who = Principal("", "", "anonymous")
        if not who.authenticated:
            return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
        if not who.allows(role):
            return HTMLResponse(render("error.html", who=who, status=403,
                                       message=f"This page needs the {role} role; you are {who.role}."),
                                status_code=403)
        try:
            return fn(request, state, who)
        except ApiError as exc:
            return HTMLResponse(render("error.html", who=who, status=exc.status, message=exc.message),
                                status_code=exc.status)
        except VigilError as exc:
            return HTMLResponse(render("error.html", who=who, status=400, message=str(exc)), status_code=400)

    async def endpoint(request: Request) -> Response:
        return await run_in_threadpool(run, request)

    return endpoint


def page_routes(state: ServeState) -> list[BaseRoute]:
    """Every dashboard route."""

    async def login_form(request: Request) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = HTMLResponse(render("login.html", who=None, csrf=token, next=_safe_next(
            request.query_params.get("next")), error=None))
        _cookie(response, state, LOGIN_CSRF_COOKIE, token, 3600)
        return response

    async def login(request: Request) -> Response:
        try:
            form = await _form(request)
        except ApiError as exc:
            return HTMLResponse(render("error.html", who=None, status=exc.status, message=exc.message),
                                status_code=exc.status)
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        nxt = _safe_next(form.get("next"))
        if not cookie or not hmac.compare_digest(cookie, form.get("csrf", "")):
            return HTMLResponse(render("login.html", who=None, csrf=cookie or secrets.token_urlsafe(24), next=nxt,
                                       error="The form expired; please try again."), status_code=403)
        user = await run_in_threadpool(authenticate, state.writer, form.get("username", ""), form.get("password", ""))
        if user is None:
            return HTMLResponse(render("login.html", who=None, csrf=cookie, next=nxt,
                                       error="Wrong username or password."), status_code=401)
        session_id, _ = await run_in_threadpool(create_session, state.writer, user,
                                                hours=state.settings.session_hours, now=state.now())
        response = RedirectResponse(nxt, status_code=303)
        _cookie(response, state, SESSION_COOKIE, session_id, state.settings.session_hours * 3600)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
        return response

    async def logout(request: Request) -> Response:
        try:
            form = await _form(request)
        except ApiError:
            form = {}
        session_id = request.cookies.get(SESSION_COOKIE, "")
        if session_id:
            who = await run_in_threadpool(_session_of, state, request)
            if who is not None and who.csrf and hmac.compare_digest(who.csrf, form.get("csrf", "")):
                await run_in_threadpool(end_session, state.writer, session_id)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    from .views import VIEWS

    routes: list[BaseRoute] = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
    routes += [Route(path, page(state, fn, role), methods=["GET"]) for path, fn, role in VIEWS]
    return routes


def _session_of(state: ServeState, request: Request) -> Principal | None:
    with state.reader() as store:
        try:
            who = principal_of(request, state, store)
        except ApiError:
            return None
    return who if who.via == "session" else None
