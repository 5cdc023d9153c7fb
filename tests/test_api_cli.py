"""`vigil serve --get`, `vigil user ...` and `vigil token ...` through the real command line."""

from __future__ import annotations

import orjson

from conftest import Cli

PASSWORD = "correct horse battery staple"


def test_user_token_and_in_process_get(vigil: Cli) -> None:
    r = vigil("user", "add", "ops", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert r.exit_code == 0 and "added ops (admin)" in r.output
    short = vigil("user", "add", "amal", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "too short" in short.output
    token = vigil("token", "create", "ops", "--name", "cron").output.splitlines()[0]
    assert token.startswith("vgl_")
    health = vigil("serve", "--get", "/api/health")
    assert health.exit_code == 0 and orjson.loads(health.output)["ok"] is True
    refused = vigil("serve", "--get", "/api/watchlist")
    assert refused.exit_code == 1 and orjson.loads(refused.output)["status"] == 401
    assert vigil("serve", "--get", "/api/watchlist", "--token", token).exit_code == 0
    assert vigil("serve", "--get", "/api/users", "--as", "ops").exit_code == 0
    assert "ops" in vigil("user", "list").output
    listed = vigil("token", "list").output
    assert "cron" in listed and token not in listed
    assert vigil("token", "revoke", "1").exit_code == 0
    assert vigil("serve", "--get", "/api/watchlist", "--token", token).exit_code == 1
    assert vigil("user", "passwd", "ops", "--password-stdin", input="another long passphrase\n").exit_code == 0
    assert vigil("user", "remove", "ops").exit_code == 0
    assert vigil("user", "remove", "ops").exit_code == 1
