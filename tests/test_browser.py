"""The dashboard in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Builds a store from the bundled demo scenario (with one planted hostile message), runs the watchers over the
timeline, serves it on loopback with uvicorn, then: logs in, sees the overview chart render with data, opens the
silence board and sees the blacked-out district and the silent account, searches Arabic text, and checks that
``<img src=x onerror=alert(1)>`` / ``<script>`` show as text with no dialog. Saves the README screenshots
``docs/img/overview.png`` and ``docs/img/silence.png`` when ``VIGIL_SCREENSHOTS=1`` (``make screenshots``);
otherwise the screenshots go to a temporary folder so a test run leaves the work tree clean.

Needs ``/usr/bin/chromium`` (``make browser-install``); never downloads a browser.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vigil.demo import demo_data_dir
from vigil.ingest import ingest
from vigil.message import Message
from vigil.serve.app import create_app
from vigil.serve.auth import add_user
from vigil.serve.settings import Settings
from vigil.stages import default_stages
from vigil.store import open_store
from vigil.watch.watchlist import import_watchlist

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NOW = datetime(2025, 2, 10, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
HOSTILE = '<img src=x onerror=alert(1)> <script>alert("pwned")</script> trapped'
DOCS = Path(__file__).resolve().parent.parent / "docs" / "img"
SHOTS = DOCS if os.environ.get("VIGIL_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp(prefix="vigil-shots-"))

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: make browser-install")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from vigil.serve.library import run_watchers

    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    data = demo_data_dir()
    with open_store(db) as store:
        import_watchlist(store, data.parent / "watchlist.csv", by="test", utc_offset=180)
        ingest([str(data)], store, stages=default_stages())
        store.write_messages([Message(id="x:hostile-1", source="x", format="twitter-v2", native_id="hostile-1",
                                      created_at=NOW - timedelta(hours=1), text=HOSTILE, author="troll_account",
                                      author_name='<b onmouseover="alert(3)">Troll</b>')])
        add_user(store, "analyst", PASSWORD, role="analyst")
        t = datetime(2025, 2, 6, 6, 0, tzinfo=UTC)
        while t <= NOW:  # the watchers as `vigil run` would have run them, every two hours of the scenario
            run_watchers(store, now=t)
            t += timedelta(hours=2)
    port = _free_port()
    app = create_app(db, Settings.load({}, cache_seconds=0.0), now=lambda: NOW, stages=())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=server)
        pg = context.new_page()
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        pg.goto("/")
        pg.fill("input[name=username]", "analyst")
        pg.fill("input[name=password]", PASSWORD)
        pg.click("button[type=submit]")
        pg.wait_for_url(f"{server}/")
        yield pg
        browser.close()


def test_overview_chart_renders_with_data(page: object) -> None:
    pg = page  # playwright Page
    pg.goto("/")  # type: ignore[attr-defined]
    pg.wait_for_function("document.getElementById('hourly-chart').complete")  # type: ignore[attr-defined]
    width = pg.evaluate("document.getElementById('hourly-chart').naturalWidth")  # type: ignore[attr-defined]
    assert width > 0
    svg = pg.evaluate("fetch('/charts/hourly.svg?hours=48').then(r => r.text())")  # type: ignore[attr-defined]
    assert svg.count('class="bar"') > 20
    assert pg.locator("#urgent li.msg").count() > 0  # type: ignore[attr-defined]
    assert pg.locator("#alerts li.alert").count() > 0  # type: ignore[attr-defined]
    DOCS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "overview.png"))  # type: ignore[attr-defined]


def test_silence_board_shows_blackout_and_silent_account(page: object) -> None:
    pg = page
    pg.goto("/silence?at=2025-02-10T12:00:00Z")  # type: ignore[attr-defined]
    row = pg.locator("tr", has_text="@rami_bustan")  # type: ignore[attr-defined]
    assert "overdue" in row.inner_text()
    pg.goto("/silence?at=2025-02-06T18:30:00Z")  # type: ignore[attr-defined]
    banner = pg.locator(".banner.outage")  # type: ignore[attr-defined]
    assert "Tal al-Zaytun" in banner.first.inner_text()
    pg.screenshot(path=str(SHOTS / "silence.png"), full_page=False)  # type: ignore[attr-defined]


def test_arabic_search_renders_right_to_left(page: object) -> None:
    pg = page
    pg.goto("/search")  # type: ignore[attr-defined]
    pg.fill("input[name=q]", "وداعاً")  # type: ignore[attr-defined]
    pg.click("form.filters button[type=submit]")  # type: ignore[attr-defined]
    pg.wait_for_selector("#results li.msg")  # type: ignore[attr-defined]
    first = pg.locator("#results li.msg p.text").first  # type: ignore[attr-defined]
    assert "وداع" in first.inner_text()
    assert first.evaluate("el => el.matches(':dir(rtl)')")


def test_hostile_message_shows_as_text_and_runs_nothing(page: object) -> None:
    pg = page
    pg.goto("/search?author=troll_account")  # type: ignore[attr-defined]
    text = pg.locator("#results li.msg p.text").first.inner_text()  # type: ignore[attr-defined]
    assert "<img src=x onerror=alert(1)>" in text and "<script>" in text
    assert pg.locator("#results img").count() == 0  # type: ignore[attr-defined]
    pg.goto("/messages/x:hostile-1")  # type: ignore[attr-defined]
    assert '<b onmouseover="alert(3)">Troll</b>' in pg.locator("main").inner_text()  # type: ignore[attr-defined]
    pg.hover("main")  # type: ignore[attr-defined]
    pg.goto("/")  # the live feed renders it through textContent too  # type: ignore[attr-defined]
    pg.wait_for_timeout(300)  # type: ignore[attr-defined]
    assert pg.dialogs == []  # type: ignore[attr-defined]
