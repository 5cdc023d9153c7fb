"""One JSON envelope for every answer and every error, built by one helper (the shape is guarded here)."""

from __future__ import annotations

from typing import Any

import pytest

import serve_helpers
from serve_helpers import ApiClient, auth
from vigil.errors import NotFoundError, StoreError, UsageError
from vigil.serve.envelope import ApiError, envelope, error_body, status_for

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)



def assert_error(body: Any, status: int) -> None:
    assert set(body) == {"ok", "error", "status"}, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]


def test_helpers_build_the_two_shapes() -> None:
    assert envelope([1]) == {"ok": True, "data": [1], "status": 200}
    assert error_body(404, "no message") == {"ok": False, "error": "no message", "status": 404}
    assert error_body(500, "")["error"] == "internal error"


@pytest.mark.parametrize(("exc", "status"), [(NotFoundError("x"), 404), (UsageError("x"), 400),
                                             (StoreError("x"), 503), (ApiError(418, "x"), 418),
                                             (RuntimeError("x"), 500)])
def test_library_errors_map_to_statuses(exc: Exception, status: int) -> None:
    assert status_for(exc) == status


def test_every_error_the_server_makes_has_the_envelope(client: ApiClient, tokens: dict[str, str]) -> None:
    viewer, admin = auth(tokens, "viewer"), auth(tokens, "admin")
    cases = [
        (client.get("/api/messages"), 401),                                    # anonymous
        (client.get("/api/messages", headers={"Authorization": "Bearer vgl_nope"}), 401),  # unknown token
        (client.get("/api/messages", headers={"Authorization": "Basic abc"}), 401),       # wrong scheme
        (client.get("/api/watchlist", headers=viewer), 403),                   # role too low
        (client.get("/api/messages/x:nope", headers=viewer), 404),             # library NotFoundError
        (client.get("/api/no/such/endpoint", headers=viewer), 404),           # no route
        (client.delete("/api/messages", headers=viewer), 405),                 # wrong method
        (client.get("/api/messages?limit=abc", headers=viewer), 400),          # bad parameter
        (client.get("/api/messages?since=yesterday-ish", headers=viewer), 400),
        (client.get("/api/messages?urgency=extreme", headers=viewer), 400),   # library UsageError
        (client.get("/api/messages?cursor=%%%", headers=viewer), 400),
        (client.get("/api/messages?q=" + "a" * 600, headers=viewer), 400),    # parameter too long
        (client.get("/api/messages?q=" + "a" * 9000, headers=viewer), 414),   # URL too long
        (client.post("/api/users", headers=admin, content=b"{not json"), 400),
        (client.post("/api/ingest", headers=admin, content=b"x" * (6 * 1024 * 1024)), 413),
        (client.get("/api/trends", headers=viewer), 400),                      # missing required phrase
    ]
    for response, status in cases:
        assert response.status_code == status, (response.request.url, response.text[:200])
        assert response.headers["content-type"].startswith("application/json")
        assert_error(response.json(), status)


def test_success_has_the_envelope(client: ApiClient, tokens: dict[str, str]) -> None:
    body = client.get("/api/health").json()
    assert body["ok"] is True and body["status"] == 200 and body["data"]["status"] == "ok"


def test_unexpected_errors_do_not_leak_internals(client: ApiClient, tokens: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import vigil.serve.api.messages as messages

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(messages, "list_messages", boom)
    r = client.get("/api/messages", headers=auth(tokens, "viewer"))
    assert r.status_code == 500
    assert_error(r.json(), 500)
    assert "secret" not in r.text
