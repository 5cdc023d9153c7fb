"""Health, metrics, who am I, and administration (users, tokens, the audit log)."""

from __future__ import annotations

import time
from typing import Any

from starlette.responses import Response

from ...message import format_ts
from ..audit import audit_log
from ..auth import ROLES, add_user, create_token, list_tokens, list_users, remove_user, revoke_token
from ..envelope import ApiError
from ._base import Call, Endpoint, Param

__all__ = ["ENDPOINTS"]


def health(call: Call) -> Any:
    out: dict[str, Any] = {"status": "ok", "now": format_ts(call.now()), "messages_indexed": _indexed(call),
                           "newest_message": call.store.query("SELECT max(created_at) FROM serve_facets")[0][0],
                           "uptime_s": round(time.time() - call.state.started, 1)}
    if call.state.pipeline is not None:
        out["pipeline"] = call.state.pipeline.stats()
    if call.state.live is not None:
        out["follower"] = call.state.live.stats()
    return out


def _indexed(call: Call) -> int:
    """Messages in the facet index: its highest row (rows are dense, messages are never deleted), an index
    lookup where ``count(*)`` would scan a million rows on every health check."""
    return int(call.store.query("SELECT coalesce(max(rowid), 0) FROM serve_facets")[0][0])


def metrics(call: Call) -> Response:
    lines = ["# HELP vigil_messages Messages in the store (indexed).", "# TYPE vigil_messages gauge",
             f"vigil_messages {_indexed(call)}",
             "# HELP vigil_requests_total API requests served.", "# TYPE vigil_requests_total counter"]
    counters = dict(call.state.counters)
    lines.append(f"vigil_requests_total {counters.pop('requests', 0)}")
    lines += ["# HELP vigil_events_total Server events by kind.", "# TYPE vigil_events_total counter"]
    lines += [f'vigil_events_total{{kind="{k}"}} {v}' for k, v in sorted(counters.items())]
    if call.state.pipeline is not None:
        stats = call.state.pipeline.stats()
        lines += ["# HELP vigil_pipeline_total Live pipeline counts.", "# TYPE vigil_pipeline_total counter"]
        lines += [f'vigil_pipeline_total{{what="{k}"}} {stats[k]}' for k in ("stored", "duplicates", "rejected",
                                                                              "alerts", "watch_errors")]
    lines += ["# HELP vigil_uptime_seconds Seconds since start.", "# TYPE vigil_uptime_seconds gauge",
              f"vigil_uptime_seconds {time.time() - call.state.started:.1f}"]
    return Response("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8")


def me(call: Call) -> Any:
    p = call.principal
    if not p.authenticated:
        return {"authenticated": False}
    return {"authenticated": True, "username": p.username, "role": p.role, "via": p.via}


def users(call: Call) -> Any:
    return {"users": [u.to_dict() for u in list_users(call.store)], "roles": list(ROLES)}


def user_add(call: Call) -> Any:
    body = call.json()
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("username", "password")):
        raise ApiError(400, 'send {"username": ..., "password": ..., "role": "viewer|analyst|admin"}')
    user = add_user(call.state.writer, body["username"], body["password"], role=str(body.get("role", "viewer")),
                    now=call.now())
    call.audit("add user", subject=user.username, detail=f"role={user.role}")
    return user.to_dict()


def user_remove(call: Call) -> Any:
    name = call.path("username")
    if name == call.principal.username:
        raise ApiError(400, "you cannot remove yourself")
    remove_user(call.state.writer, name)
    call.audit("remove user", subject=name)
    return {"removed": name}


def tokens(call: Call) -> Any:
    return {"tokens": [t.to_dict() for t in list_tokens(call.store)]}


def token_add(call: Call) -> Any:
    body = call.json()
    if not isinstance(body, dict) or not isinstance(body.get("username"), str):
        raise ApiError(400, 'send {"username": ..., "name": "what the token is for"}')
    secret = create_token(call.state.writer, body["username"], str(body.get("name", "api")), now=call.now())
    call.audit("create token", subject=body["username"], detail=secret[:10])
    return {"token": secret, "note": "shown once: store it now"}


def token_revoke(call: Call) -> Any:
    try:
        token_id = int(call.path("token_id"))
    except ValueError:
        raise ApiError(400, "token ids are integers (see GET /api/tokens)") from None
    revoke_token(call.state.writer, token_id)
    call.audit("revoke token", subject=str(token_id))
    return {"revoked": token_id}


def audit(call: Call) -> Any:
    return {"entries": audit_log(call.store, limit=call.integer("limit", 200, lo=1, hi=5000),
                                 action=call.param("action"))}


def dead_letters(call: Call) -> Any:
    """Poison messages the workers moved aside (with the error), and the stream's backlog."""
    url = call.settings.broker
    if not url:
        return {"broker": None, "stream": None, "dead_letters": [],
                "note": "no broker configured: this server stores messages itself (see `vigil run --broker`)"}
    from ...broker import BrokerConfig, connect, dead_letters, stream_info
    from ...errors import BrokerError

    config = BrokerConfig()
    try:
        client = connect(url)
        try:
            info = stream_info(client, config)
            letters = dead_letters(client, config, limit=call.integer("limit", 100, lo=1, hi=1000))
        finally:
            client.close()
    except (BrokerError, OSError) as exc:
        raise ApiError(503, f"the broker is unreachable: {exc}") from None
    except Exception as exc:  # redis-py raises its own ConnectionError tree
        raise ApiError(503, f"the broker is unreachable: {type(exc).__name__}") from None
    return {"broker": url.split("@")[-1], "stream": info,
            "dead_letters": [{"entry_id": d.entry_id, "message_id": d.message_id, "error": d.error,
                              "crashes": d.crashes, "consumer": d.consumer, "at": d.at} for d in letters]}


ENDPOINTS = (
    Endpoint("/api/health", "GET", health, role=None, summary="Liveness and what the server has done.",
             tags=("system",)),
    Endpoint("/api/metrics", "GET", metrics, summary="Prometheus text metrics.", produces="text/plain",
             tags=("system",)),
    Endpoint("/api/me", "GET", me, role=None, summary="Who is calling.", tags=("system",)),
    Endpoint("/api/users", "GET", users, role="admin", summary="Users and their roles.", tags=("admin",)),
    Endpoint("/api/users", "POST", user_add, role="admin", summary="Add a user.",
             body='{"username", "password", "role"}', tags=("admin",)),
    Endpoint("/api/users/{username}", "DELETE", user_remove, role="admin", summary="Remove a user.",
             params=(Param("username", where="path", required=True),), tags=("admin",)),
    Endpoint("/api/tokens", "GET", tokens, role="admin", summary="API tokens (never their secrets).",
             tags=("admin",)),
    Endpoint("/api/tokens", "POST", token_add, role="admin", summary="Create an API token (the secret is shown once).",
             body='{"username", "name"?}', tags=("admin",)),
    Endpoint("/api/tokens/{token_id}", "DELETE", token_revoke, role="admin", summary="Revoke a token.",
             params=(Param("token_id", "integer", where="path", required=True),), tags=("admin",)),
    Endpoint("/api/dead-letters", "GET", dead_letters, role="admin",
             summary="Poison messages moved to the dead-letter stream by workers, with their errors.",
             params=(Param("limit", "integer"),), tags=("system",)),
    Endpoint("/api/audit", "GET", audit, role="admin", summary="The audit log, newest first.",
             params=(Param("limit", "integer"), Param("action")), tags=("admin",)),
)
