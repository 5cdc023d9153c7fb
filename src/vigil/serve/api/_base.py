"""How an API endpoint is declared: one :class:`Endpoint` row (path, method, role, parameters, summary).

The table drives routing, access control (401 for anonymous, 403 for a role too low), the audit of sensitive
reads, CSRF checks on cookie-authenticated writes, bounded parameters, caching and the OpenAPI schema, so
none of that is repeated in handlers. A handler takes a :class:`Call` and returns data for the envelope (or
a ready :class:`~starlette.responses.Response`).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...errors import VigilError
from ...store import Store
from ...text import parse_datetime
from ..audit import audit
from ..auth import ANONYMOUS, Principal, session_principal, token_principal
from ..envelope import ApiError, error_response, json_response, status_for
from ..state import ServeState

__all__ = ["SESSION_COOKIE", "Call", "Endpoint", "Param", "principal_of", "run_endpoint"]

log = logging.getLogger("vigil.serve")
SESSION_COOKIE = "vigil_session"
_MISSING: Any = object()


@dataclass(frozen=True)
class Param:
    """A query (or path) parameter, for validation and the OpenAPI schema."""

    name: str
    kind: str = "string"  # string | integer | number | boolean | datetime
    help: str = ""
    required: bool = False
    where: str = "query"
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    """One API endpoint.

    Attributes:
        path: Starlette path (``/api/messages/{id:path}``).
        method: HTTP method.
        handler: ``handler(call) -> data | Response``.
        role: ``None`` (anyone), ``"viewer"``, ``"analyst"`` or ``"admin"``.
        summary: one line for the schema.
        params: accepted parameters.
        audit: action name written to the audit log on every call (sensitive data).
        cache: reuse answers for ``cache_seconds`` while no new data arrived.
        body: description of the request body, if any.
        produces: media type of a non-JSON answer.
    """

    path: str
    method: str
    handler: Callable[[Call], Any]
    role: str | None = "viewer"
    summary: str = ""
    params: Sequence[Param] = ()
    audit: str = ""
    cache: bool = False
    body: str = ""
    produces: str = "application/json"
    tags: tuple[str, ...] = field(default_factory=tuple)


def principal_of(request: Request, state: ServeState, store: Store) -> Principal:
    """Who is calling: a bearer token, else a session cookie, else anonymous.

    Raises:
        ApiError: 401 when a bearer token is given but unknown or revoked.
    """
    if state.local_principal is not None:
        return state.local_principal  # type: ignore[no-any-return]
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiError(401, "use `Authorization: Bearer <token>` (create one with `vigil token create`)")
        found = token_principal(store, secret.strip())
        if found is None:
            raise ApiError(401, "unknown or revoked token")
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = session_principal(store, cookie, now=state.now())
        if found is not None:
            return found
    return ANONYMOUS


class Call:
    """One API call: the request, who makes it, a store to read from, and bounded parameter access."""

    def __init__(self, request: Request, state: ServeState, store: Store, principal: Principal,
                 endpoint: Endpoint, body: bytes = b"") -> None:
        self.request = request
        self.body = body
        self.state = state
        self.store = store
        self.principal = principal
        self.endpoint = endpoint
        self._known = {p.name for p in endpoint.params}

    @property
    def settings(self) -> Any:
        """The server settings."""
        return self.state.settings

    def now(self) -> datetime:
        """The server clock (the replayed time in the demo)."""
        return self.state.now()

    def json(self, default: Any = _MISSING) -> Any:
        """The request body as JSON (``default`` when the body is empty)."""
        if not self.body.strip():
            if default is _MISSING:
                raise ApiError(400, "this endpoint needs a JSON body")
            return default
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, f"the body is not valid JSON: {exc}") from None

    def path(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def param(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, bounded in length."""
        value = self.request.query_params.get(name)
        if value is None or value == "":
            return default
        if len(value) > self.state.settings.query_max_chars:
            raise ApiError(400, f"parameter {name!r} is too long (over {self.state.settings.query_max_chars} "
                                "characters)")
        return value

    def params(self, name: str) -> list[str]:
        """A repeatable query parameter (``?phrase=a&phrase=b``), at most 20 values."""
        values = [v for v in self.request.query_params.getlist(name) if v]
        if len(values) > 20:
            raise ApiError(400, f"too many {name!r} values (at most 20)")
        for v in values:
            if len(v) > self.state.settings.query_max_chars:
                raise ApiError(400, f"a {name!r} value is too long")
        return values

    def integer(self, name: str, default: int, *, lo: int = 0, hi: int = 10**9) -> int:
        """An integer parameter, clamped to ``[lo, hi]``."""
        value = self.param(name)
        if value is None:
            return default
        try:
            return max(lo, min(hi, int(value)))
        except ValueError:
            raise ApiError(400, f"parameter {name!r} must be an integer, got {value!r}") from None

    def time(self, name: str) -> datetime | None:
        """A time parameter (ISO-8601, RFC 2822 or Unix seconds)."""
        value = self.param(name)
        if value is None:
            return None
        try:
            return parse_datetime(value)
        except ValueError:
            raise ApiError(400, f"parameter {name!r}: cannot read {value!r} as a time; "
                                "example: 2025-02-06T18:00:00Z") from None

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        """A parameter restricted to ``choices``."""
        value = self.param(name, default) or default
        if value not in choices:
            named = ", ".join(c for c in choices if c)  # "" (no filter) is the default, not a choice to offer
            raise ApiError(400, f"parameter {name!r} must be one of {named}, got {value!r}")
        return value

    def flag(self, name: str) -> bool:
        """A boolean parameter (``1/true/yes``)."""
        return (self.param(name) or "").lower() in {"1", "true", "yes", "on"}

    def audit(self, action: str, subject: str = "", detail: str = "") -> None:
        """Write an audit entry for this call (on the writer store)."""
        client = self.request.client.host if self.request.client else ""
        audit(self.state.writer, self.principal, action, subject=subject, detail=detail, client=client,
              now=self.state.now())


def _check_csrf(request: Request, principal: Principal) -> None:
    if principal.via != "session" or request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    sent = request.headers.get("x-csrf-token", "")
    if not principal.csrf or not hmac.compare_digest(sent, principal.csrf):
        raise ApiError(403, "missing or wrong CSRF token (send the X-CSRF-Token header of this session)")


def run_endpoint(endpoint: Endpoint, request: Request, state: ServeState, body: bytes = b"") -> Response:
    """Authenticate, authorise, audit, call the handler and wrap its answer (runs in a worker thread)."""
    state.count("requests")
    try:
        with state.reader() as store:
            principal = principal_of(request, state, store)
            if endpoint.role is not None:
                if not principal.authenticated:
                    raise ApiError(401, "login required: send `Authorization: Bearer <token>` or log in")
                if not principal.allows(endpoint.role):
                    raise ApiError(403, f"this needs the {endpoint.role} role; you are {principal.role}")
            _check_csrf(request, principal)
            call = Call(request, state, store, principal, endpoint, body)
            if endpoint.audit:
                call.audit(endpoint.audit, subject=request.url.path, detail=str(request.query_params)[:500])
            key = None
            if endpoint.cache and request.method == "GET":
                key = (request.url.path, str(request.query_params), principal.role)
                hit = state.cache.get(key, state.generation)
                if hit is not None:
                    state.count("cache_hits")
                    return hit  # type: ignore[no-any-return]
            result = endpoint.handler(call)
            response = result if isinstance(result, Response) else json_response(result)
            if key is not None and response.status_code == 200:
                state.cache.put(key, state.generation, response)
            return response
    except ApiError as exc:
        state.count(f"errors_{exc.status}")
        return error_response(exc.status, exc.message)
    except VigilError as exc:
        status = status_for(exc)
        state.count(f"errors_{status}")
        return error_response(status, str(exc))
    except Exception:  # an unexpected bug: logged with its traceback, never shown to the caller
        log.exception("error in %s %s", request.method, request.url.path)
        state.count("errors_500")
        return error_response(500, "internal error; the server log has the details")
