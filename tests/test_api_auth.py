"""Accounts: argon2id hashes, hashed tokens, dashboard login with CSRF, sessions, admin management."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import serve_helpers
from serve_helpers import NOW, PASSWORD, ApiClient, auth
from vigil.errors import UsageError
from vigil.serve.auth import add_user, authenticate, create_token, has_admin, revoke_token, token_principal
from vigil.store import open_store

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)



def login(client: ApiClient, username: str, password: str = PASSWORD, next_: str = "/") -> str:
    """Log in through the form; return the session's CSRF token (from the page)."""
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    r = client.post("/login", data={"csrf": csrf.group(1), "username": username, "password": password,
                                    "next": next_})
    assert r.status_code == 303, r.text
    home = client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert token
    return token.group(1)


def test_passwords_and_tokens_are_stored_hashed(db: Path, tokens: dict[str, str]) -> None:
    with open_store(db) as store:
        hashes = [r[0] for r in store.query("SELECT password_hash FROM serve_users")]
        assert all(h.startswith("$argon2id$") for h in hashes)
        assert PASSWORD not in "".join(hashes)
        stored = "".join(r[0] for r in store.query("SELECT token_hash FROM serve_tokens"))
        assert all(t not in stored for t in tokens.values())
        assert authenticate(store, "analyst", PASSWORD) is not None
        assert authenticate(store, "analyst", "wrong password!") is None
        assert authenticate(store, "ghost", PASSWORD) is None
        assert has_admin(store)


def test_weak_or_bad_accounts_are_refused(db: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(UsageError, match="too short"):
            add_user(store, "amal", "short", role="viewer")
        with pytest.raises(UsageError, match="unknown role"):
            add_user(store, "amal", PASSWORD, role="root")
        with pytest.raises(UsageError, match="exists"):
            add_user(store, "viewer", PASSWORD)
        with pytest.raises(UsageError, match="bad username"):
            add_user(store, "<script>", PASSWORD)


def test_revoked_token_is_refused(db: Path, client: ApiClient) -> None:
    with open_store(db) as store:
        secret = create_token(store, "viewer", "laptop")
        assert token_principal(store, secret) is not None
        token_id = store.query("SELECT max(token_id) FROM serve_tokens")[0][0]
        revoke_token(store, token_id)
    assert client.get("/api/messages", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_login_session_and_logout(client: ApiClient) -> None:
    assert client.get("/").status_code == 303  # anonymous: to the login page
    csrf = login(client, "analyst")
    assert client.get("/api/me").json()["data"] == {"authenticated": True, "username": "analyst",
                                                    "role": "analyst", "via": "session"}
    assert client.get("/api/watchlist").status_code == 200  # a session works for the API too
    r = client.post("/logout", data={"csrf": csrf})
    assert r.status_code == 303
    assert client.get("/api/me").json()["data"]["authenticated"] is False


def test_session_cookie_flags(client: ApiClient) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    r = client.post("/login", data={"csrf": csrf.group(1), "username": "viewer", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_login_needs_the_form_csrf_token(client: ApiClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"csrf": "forged", "username": "admin", "password": PASSWORD})
    assert r.status_code == 403
    assert client.get("/api/me").json()["data"]["authenticated"] is False


def test_wrong_password_is_refused(client: ApiClient) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    r = client.post("/login", data={"csrf": csrf.group(1), "username": "admin", "password": "not the password"})
    assert r.status_code == 401 and "Wrong username or password" in r.text


def test_no_open_redirect_after_login(client: ApiClient) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    r = client.post("/login", data={"csrf": csrf.group(1), "username": "viewer", "password": PASSWORD,
                                    "next": "//evil.example/"})
    assert r.headers["location"] == "/"


def test_cookie_writes_need_the_session_csrf_header(client: ApiClient) -> None:
    csrf = login(client, "admin")
    body = {"account": "@new_person", "area": "Al-Jisr", "consent": "self, by phone"}
    assert client.post("/api/watchlist", json=body).status_code == 403  # no header: a forged cross-site post
    r = client.post("/api/watchlist", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["handles"][0]["added_by"] == "admin"


def test_admin_manages_users_and_tokens(client: ApiClient, tokens: dict[str, str]) -> None:
    admin = auth(tokens, "admin")
    r = client.post("/api/users", json={"username": "amal", "password": PASSWORD, "role": "analyst"}, headers=admin)
    assert r.status_code == 200 and r.json()["data"]["role"] == "analyst"
    secret = client.post("/api/tokens", json={"username": "amal", "name": "script"}, headers=admin).json()["data"]
    amal = {"Authorization": f"Bearer {secret['token']}"}
    assert client.get("/api/silence", headers=amal).status_code == 200
    listed = client.get("/api/tokens", headers=admin).json()["data"]["tokens"]
    assert secret["token"] not in str(listed)
    token_id = next(t["id"] for t in listed if t["username"] == "amal")
    assert client.delete(f"/api/tokens/{token_id}", headers=admin).status_code == 200
    assert client.get("/api/silence", headers=amal).status_code == 401
    assert client.delete("/api/users/amal", headers=admin).status_code == 200
    assert client.delete("/api/users/admin", headers=admin).status_code == 400  # not yourself
    actions = [e["action"] for e in client.get("/api/audit", headers=admin).json()["data"]["entries"]]
    assert {"add user", "create token", "revoke token", "remove user"} <= set(actions)


def test_session_expires(db: Path) -> None:
    from datetime import timedelta

    from vigil.serve.auth import create_session, session_principal

    with open_store(db) as store:
        user = authenticate(store, "viewer", PASSWORD)
        assert user is not None
        sid, _ = create_session(store, user, hours=1, now=NOW)
        assert session_principal(store, sid, now=NOW + timedelta(minutes=59)) is not None
        assert session_principal(store, sid, now=NOW + timedelta(minutes=61)) is None
