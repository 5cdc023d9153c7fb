"""Helpers for the API tests: a populated store built once per session, copied per test, and clients per role."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from vigil.message import Message
from vigil.serve.app import create_app
from vigil.serve.auth import add_user, create_token
from vigil.serve.settings import Settings
from vigil.store import open_store
from vigil.watch.watchlist import add_watch

T0 = datetime(2025, 2, 6, 6, 0, tzinfo=UTC)
NOW = datetime(2025, 2, 6, 18, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
XSS = '<img src=x onerror=alert(1)> <script>alert("x")</script>'


def msg(n: int, text: str, *, author: str = "nour_qn", minutes: int | None = None, type_: str | None = None,
        urgency: str | None = None, signals: tuple[str, ...] = (), lang: str | None = "en",
        title: str | None = None, claims: list[dict[str, Any]] | None = None, source: str = "x") -> Message:
    enr: dict[str, Any] = {}
    if type_:
        enr["humaid_type.v1"] = {"type": type_, "scores": {type_: 0.9}, "model": "test"}
    if urgency:
        enr["urgency.v1"] = {"level": urgency, "score": 0.5, "reasons": []}
    if signals:
        enr["siege_signals.v4"] = {"signals": list(signals), "evidence": {}, "eyewitness": False}
    if claims:
        enr["claims.v1"] = {"claims": claims}
    return Message(id=f"{source}:{n}", source=source, format="twitter-v2", native_id=str(n),
                   created_at=T0 + timedelta(minutes=minutes if minutes is not None else n * 10), text=text,
                   author=author, author_name=author.title(), lang=lang, title=title, enrichments=enr)


def corpus() -> list[Message]:
    """Forty messages: English and Arabic, every urgency, signals, areas named in the text, an XSS attempt."""
    out = [
        msg(1, "Please help us, we are trapped in Al-Bustan", type_="requests_or_urgent_needs", urgency="critical",
            signals=("plea", "trapped")),
        msg(2, "أنقذونا نحن محاصرون في البستان", author="rami_bustan", type_="requests_or_urgent_needs",
            urgency="high", signals=("plea",), lang="ar"),
        msg(3, "وداعاً قصر النهر", author="lina_writes", type_="sympathy_and_support", urgency="medium",
            signals=("farewell",), lang="ar"),
        msg(4, "Goodbye forever from Qasr al-Nahr", author="lina_writes", type_="sympathy_and_support",
            urgency="medium", signals=("farewell",)),
        msg(5, XSS, author="troll", type_="not_humanitarian", urgency="low"),
        msg(6, "Shelling on Tal al-Zaytun tonight, 62 killed", author="jisr_medic",
            type_="injured_or_dead_people", urgency="high", signals=("death_injury",),
            claims=[{"kind": "count", "subject": "killed", "value_low": 62, "value_high": 62}]),
        msg(7, "=HYPERLINK(\"http://evil\")", author="troll", type_="not_humanitarian", urgency="low"),
        msg(8, "Convoy report", author="levant_daily", title="Convoy halted at the Silo checkpoint",
            type_="infrastructure_and_utility_damage", urgency="medium", source="news"),
    ]
    for n in range(9, 41):
        out.append(msg(n, f"bread queue update number {n} in Bab al-Sharq", author=f"user{n % 5}",
                       type_="other_relevant_information", urgency="low"))
    return out


SETTINGS = Settings.load({}, cache_seconds=0.0, areas=("Tal al-Zaytun=تل الزيتون", "Al-Bustan=البستان",
                                                        "Bab al-Sharq", "Qasr al-Nahr=قصر النهر"))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("serve") / "template.db"
    tokens: dict[str, str] = {}
    with open_store(path) as store:
        store.write_messages(corpus())
        for role in ("viewer", "analyst", "admin"):
            add_user(store, role, PASSWORD, role=role, now=NOW)
            tokens[role] = create_token(store, role, f"{role} token", now=NOW)
        add_watch(store, "@rami_bustan", area="Al-Bustan", consent="sister, by phone, case 0121", by="ops",
                  utc_offset=180, now=T0)
        add_watch(store, "@hamza_olivehill", area="Tal al-Zaytun", consent="self-registered", by="ops", now=T0)
    return path, tokens


@pytest.fixture
def db(template_db: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    target = tmp_path / "vigil.db"
    shutil.copy(template_db[0], target)
    return target


@pytest.fixture
def tokens(template_db: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return template_db[1]


class ApiClient:
    """A synchronous in-process client over ``httpx.ASGITransport`` that runs the app's lifespan.

    One event loop lives as long as the client, so the lifespan starts and ends in the same loop.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")
        self._lifespan = app.router.lifespan_context(app)

    def __enter__(self) -> ApiClient:
        self.loop.run_until_complete(self._lifespan.__aenter__())
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self.http.cookies


@pytest.fixture
def client(db: Path) -> Iterator[ApiClient]:
    app = create_app(str(db), SETTINGS, now=lambda: NOW, stages=())
    with ApiClient(app) as c:
        yield c


def auth(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}
