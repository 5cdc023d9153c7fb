"""Dashboard pages in-process: roles, escaping of attacker-controlled text, charts, audit of the silence board."""

from __future__ import annotations

import re

import serve_helpers
from serve_helpers import PASSWORD, XSS, ApiClient
from vigil.serve.charts import line_chart, stacked_bars

# the shared fixtures (a copy of a populated store per test, tokens per role, an in-process client)
client, db, template_db, tokens = (serve_helpers.client, serve_helpers.db, serve_helpers.template_db,
                                  serve_helpers.tokens)


def login(client: ApiClient, username: str) -> None:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    r = client.post("/login", data={"csrf": csrf.group(1), "username": username, "password": PASSWORD})
    assert r.status_code == 303


def test_pages_for_a_viewer(client: ApiClient) -> None:
    login(client, "viewer")
    for path in ("/", "/search", "/search?lang=ar&order=urgent", "/messages/x:1", "/phrases", "/sitrep"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
    assert client.get("/silence").status_code == 403
    assert client.get("/admin").status_code == 403
    assert "Silence" not in client.get("/").text.split("<main>")[0]  # no link to what a viewer cannot open


def test_attacker_text_is_escaped_everywhere(client: ApiClient) -> None:
    login(client, "analyst")
    for path in ("/search?author=troll", "/messages/x:5"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    search = client.get("/search?q=%3Cscript%3E").text
    assert "<script>" not in search.split("<main>")[1]


def test_arabic_text_gets_dir_auto(client: ApiClient) -> None:
    login(client, "viewer")
    html = client.get("/search?lang=ar").text
    assert re.search(r'<p class="text" dir="auto">أنقذونا', html)


def test_silence_board_page_is_audited(client: ApiClient, tokens: dict[str, str]) -> None:
    login(client, "analyst")
    html = client.get("/silence?at=2025-02-06T18:00:00Z").text
    assert "@rami_bustan" in html and "Al-Bustan" in html
    entries = client.get("/api/audit", headers=serve_helpers.auth(tokens, "admin")).json()["data"]["entries"]
    assert entries[0]["action"] == "read silence" and entries[0]["username"] == "analyst"


def test_anonymous_is_sent_to_login(client: ApiClient) -> None:
    r = client.get("/silence")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/silence"


def test_hourly_chart_is_an_svg_with_bars(client: ApiClient) -> None:
    login(client, "viewer")
    r = client.get("/charts/hourly.svg?hours=24&until=2025-02-06T18:00:00Z")
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.count('class="bar"') >= 5


def test_chart_labels_are_escaped() -> None:
    svg = stacked_bars(["a"], {XSS: [3]}, title="<t>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<script>" not in line_chart(["a", "b"], {XSS: [1.0, 2.0]}, title="x")


def test_phrases_page_draws_the_trend_chart(client: ApiClient) -> None:
    login(client, "viewer")
    html = client.get("/phrases?phrase=bread+queue&phrase=goodbye+forever").text
    assert '<img class="chart" src="/charts/trends.svg?phrase=bread+queue' in html
    svg = client.get("/charts/trends.svg?phrase=bread+queue&phrase=goodbye+forever")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<polyline" in svg.text
