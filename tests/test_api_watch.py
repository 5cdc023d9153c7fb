"""Silence board, outages, watch-list management, alerts (privacy, acknowledgement) and the sitrep."""

from __future__ import annotations

from typing import Any

import pytest

import serve_helpers
from serve_helpers import ApiClient, auth
from vigil.serve import library

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)



def test_silence_board(client: ApiClient, tokens: dict[str, str]) -> None:
    r = client.get("/api/silence?at=2025-02-06T18:00:00Z", headers=auth(tokens, "analyst"))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["at"].startswith("2025-02-06T18:00:00")
    accounts = {a["account"]: a for a in data["accounts"]}
    assert set(accounts) == {"rami_bustan", "hamza_olivehill"}
    assert accounts["rami_bustan"]["last_seen"].startswith("2025-02-06T06:20")
    assert accounts["hamza_olivehill"]["last_seen"] is None
    assert set(accounts["rami_bustan"]) >= {"status", "expected_gap_s", "score", "expected_next", "area"}
    assert client.get("/api/outages", headers=auth(tokens, "analyst")).json()["data"]["outages"] == []


def test_watchlist_changes_need_consent_and_admin(client: ApiClient, tokens: dict[str, str]) -> None:
    admin = auth(tokens, "admin")
    r = client.post("/api/watchlist", json={"account": "@x_person", "area": "Al-Jisr", "consent": ""}, headers=admin)
    assert r.status_code == 400 and "consent" in r.json()["error"]
    r = client.post("/api/watchlist", json={"account": "@x_person", "area": "Al-Jisr", "consent": "self"},
                    headers=auth(tokens, "analyst"))
    assert r.status_code == 403
    r = client.post("/api/watchlist", json={"account": "@x_person", "area": "Al-Jisr", "consent": "self",
                                            "utc_offset": "+03:00"}, headers=admin)
    assert r.status_code == 200 and r.json()["data"]["area"] == "Al-Jisr"
    assert client.post("/api/watchlist", json=["not", "an", "object"], headers=admin).status_code == 400
    assert client.delete("/api/watchlist/x_person", headers=admin).status_code == 200
    assert client.delete("/api/watchlist/x_person", headers=admin).status_code == 404


ALERTS = [
    {"id": "a1", "kind": "silence", "severity": "high", "subject": "rami_bustan", "watcher": "silence.v1",
     "evidence": {"area": "Al-Bustan", "lat": 36.2, "lon": 37.1, "note": "last at 36.2012, 37.1345"},
     "created_at": "2025-02-06T17:00:00.000000Z"},
    {"id": "a2", "kind": "burst", "severity": "medium", "subject": "#GoodbyeQasr", "watcher": "bursts.v1",
     "evidence": {"strength": 3.2}, "created_at": "2025-02-06T16:00:00.000000Z"},
]


@pytest.fixture
def fake_alerts(monkeypatch: pytest.MonkeyPatch) -> None:
    def list_alerts(store: Any, **filters: Any) -> list[dict[str, Any]]:
        return [dict(a) for a in ALERTS]

    def ack(store: Any, alert_id: str) -> None:
        if alert_id not in {"a1", "a2"}:
            from vigil.errors import NotFoundError

            raise NotFoundError(f"no alert {alert_id!r}")

    monkeypatch.setattr(library, "list_alerts", list_alerts)
    monkeypatch.setattr(library, "ack_alerts", ack)


def test_alerts_about_people_are_for_analysts_without_locations(client: ApiClient, tokens: dict[str, str],
                                                                 fake_alerts: None) -> None:
    viewer = client.get("/api/alerts", headers=auth(tokens, "viewer")).json()["data"]
    assert [a["id"] for a in viewer["items"]] == ["a2"] and viewer["hidden"] == 1
    analyst = client.get("/api/alerts", headers=auth(tokens, "analyst")).json()["data"]
    person = next(a for a in analyst["items"] if a["id"] == "a1")
    assert "lat" not in person["evidence"] and "36.2012" not in str(person)
    assert person["evidence"]["area"] == "Al-Bustan"
    actions = [e["action"] for e in client.get("/api/audit", headers=auth(tokens, "admin")).json()["data"]["entries"]]
    assert "read alerts" in actions


def test_acknowledge_alert(client: ApiClient, tokens: dict[str, str], fake_alerts: None) -> None:
    analyst = auth(tokens, "analyst")
    r = client.post("/api/alerts/a1/ack", json={"note": "called his sister"}, headers=analyst)
    assert r.status_code == 200 and r.json()["data"]["acknowledged"]["by"] == "analyst"
    assert client.post("/api/alerts/zzz/ack", headers=analyst).status_code == 404
    listed = client.get("/api/alerts?open=1", headers=analyst).json()["data"]["items"]
    assert [a["id"] for a in listed] == ["a2"]


def test_missing_feature_is_a_503_envelope(client: ApiClient, tokens: dict[str, str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library.importlib, "import_module", _no_module)
    r = client.get("/api/bursts", headers=auth(tokens, "viewer"))
    assert r.status_code == 503 and "not available" in r.json()["error"]


def _no_module(name: str) -> Any:
    raise ImportError(name)


def test_sitrep_in_three_formats(client: ApiClient, tokens: dict[str, str]) -> None:
    viewer = auth(tokens, "viewer")
    r = client.get("/api/sitrep?since=2025-02-06T00:00:00Z", headers=viewer)
    assert r.status_code == 200, r.text
    assert set(r.json()["data"]) >= {"documents", "claims", "conflicts"}
    md = client.get("/api/sitrep?format=md&since=2025-02-06T00:00:00Z", headers=viewer)
    assert md.headers["content-type"].startswith("text/markdown") and md.text.strip()
    html = client.get("/api/sitrep?format=html&since=2025-02-06T00:00:00Z", headers=viewer)
    assert html.headers["content-type"].startswith("text/html") and "<script>alert" not in html.text


def test_trends_phrase_families_and_bursts_come_from_the_watchers(client: ApiClient, tokens: dict[str, str]) -> None:
    viewer = auth(tokens, "viewer")
    r = client.get("/api/trends?phrase=goodbye+forever&phrase=bread+queue&bucket=1h", headers=viewer)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["phrases"] == ["goodbye forever", "bread queue"]
    assert sum(s["counts"]["bread queue"] for s in data["series"]) == 32
    for path in ("/api/phrases", "/api/bursts"):
        r = client.get(path, headers=viewer)
        assert r.status_code == 200, (path, r.text)
