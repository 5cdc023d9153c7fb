"""Each role's access to every endpoint: anonymous 401, too-low role 403, and sensitive reads audited."""

from __future__ import annotations

import re

import pytest

import serve_helpers
from serve_helpers import ApiClient, auth
from vigil.serve.api import ENDPOINTS
from vigil.serve.auth import ROLES, role_allows

SAMPLES = {"id": "x:1", "account": "nobody_here", "username": "nobody", "token_id": "999"}

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)



def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLES[m.group(1)], path)


CASES = [(ep.method, concrete(ep.path), ep.role) for ep in ENDPOINTS]


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
def test_role_matrix(client: ApiClient, tokens: dict[str, str], method: str, path: str, role: str | None) -> None:
    anonymous = client.request(method, path)
    if role is None:
        assert anonymous.status_code not in (401, 403)
    else:
        assert anonymous.status_code == 401, anonymous.text
    for who in ROLES:
        r = client.request(method, path, headers=auth(tokens, who))
        if role is None or role_allows(who, role):
            assert r.status_code not in (401, 403), (who, r.text)
        else:
            assert r.status_code == 403, (who, r.text)
            assert role in r.json()["error"]


def test_viewer_gets_403_and_anonymous_401_for_the_watchlist(client: ApiClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/watchlist").status_code == 401
    assert client.get("/api/watchlist", headers=auth(tokens, "viewer")).status_code == 403
    r = client.get("/api/watchlist", headers=auth(tokens, "analyst"))
    assert r.status_code == 200
    assert {p["account"] for p in r.json()["data"]["people"]} == {"rami_bustan", "hamza_olivehill"}


def test_sensitive_reads_are_audited(client: ApiClient, tokens: dict[str, str]) -> None:
    client.get("/api/watchlist", headers=auth(tokens, "analyst"))
    client.get("/api/silence", headers=auth(tokens, "analyst"))
    client.get("/api/outages", headers=auth(tokens, "admin"))
    client.get("/api/watchlist", headers=auth(tokens, "viewer"))  # refused: not a read, not audited
    entries = client.get("/api/audit", headers=auth(tokens, "admin")).json()["data"]["entries"]
    seen = [(e["username"], e["action"]) for e in reversed(entries)]
    assert seen == [("analyst", "read watch-list"), ("analyst", "read silence"), ("admin", "read outages")]


def test_every_endpoint_is_in_the_openapi_schema(client: ApiClient) -> None:
    schema = client.get("/api/openapi.json").json()["data"]
    assert schema["openapi"].startswith("3.")
    for ep in ENDPOINTS:
        path = re.sub(r"\{(\w+)(?::\w+)?\}", r"{\1}", ep.path)
        assert ep.method.lower() in schema["paths"][path], ep.path
    assert schema["paths"]["/api/watchlist"]["get"]["x-role"] == "analyst"


def test_security_headers_on_every_response(client: ApiClient, tokens: dict[str, str]) -> None:
    for r in (client.get("/api/health"), client.get("/login"), client.get("/api/nope")):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
