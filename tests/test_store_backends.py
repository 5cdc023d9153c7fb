"""The Store contract on both backends: the same tests against SQLite and a real PostgreSQL.

PostgreSQL runs from the ``servers`` plugin (started once per session); each test gets a fresh schema.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from vigil.errors import NotFoundError, StoreError
from vigil.message import Message, Reject, make_id
from vigil.store import MessageQuery, Store, open_store
from vigil.store._pgsql import translate
from vigil.store.postgres import PostgresStore, ts_query, ts_vector

if TYPE_CHECKING:
    from servers import PostgresServer

pytest_plugins = ["servers"]

T0 = datetime(2025, 2, 1, 8, 0, tzinfo=UTC)


def msg(n: int, text: str = "hello", author: str = "nour_qn", **kw: object) -> Message:
    return Message(id=make_id("x", str(n)), source="x", format="twitter-v2", native_id=str(n),
                   created_at=T0 + timedelta(minutes=n), text=text, author=author, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = str(tmp_path / "vigil.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with open_store(url) as s:
        yield s


def test_open_store_picks_the_backend_and_migrates(backend: Store) -> None:
    names = backend.applied_migrations()
    assert "0001_messages" in names
    assert backend.migrate() == []
    if backend.url.startswith("postgresql://"):
        assert isinstance(backend, PostgresStore)


def test_writes_are_idempotent(backend: Store) -> None:
    batch = [msg(i) for i in range(10)]
    assert backend.write_messages(batch).stored == 10
    again = backend.write_messages([*batch, msg(10), msg(10)])
    assert (again.stored, again.duplicates) == (1, 11)
    assert backend.count_messages() == 11
    assert backend.write_messages([]).stored == 0
    # duplicates take no row number: rowids stay dense, as on SQLite
    assert backend.query("SELECT min(rowid), max(rowid) FROM messages") == [(1, 11)]


def test_round_trip_keeps_every_field(backend: Store) -> None:
    m = msg(1, "وداعاً قصر النهر 💔", lang="ar", reply_to="x:0", retweet_of="x:9", quote_of="x:8", forward_of="chan",
            labels={"class_label": "sympathy_and_support"}, raw='{"id": "1", "n": 1.5}', url="https://x.com/a/1",
            author_name="Nour", enrichments={"langid.v1": {"lang": "ar", "p": 0.93}, "z.v2": [1, "two", None]})
    doc = msg(2, "body of an article", title="Headline, Café")
    backend.write_messages([m, doc])
    assert backend.get_message(m.id) == m
    assert backend.get_message(doc.id) == doc
    with pytest.raises(NotFoundError):
        backend.get_message("x:nope")


def test_queries_filter_by_author_time_source_and_order(backend: Store) -> None:
    backend.write_messages([msg(i, author="Nour_QN" if i % 2 else "samir", lang="ar" if i < 4 else "en")
                            for i in range(20)])
    nour = list(backend.messages(MessageQuery(author="@nour_qn")))
    assert len(nour) == 10 and all(m.author == "Nour_QN" for m in nour)
    both = list(backend.messages(MessageQuery(authors=("NOUR_qn", "Samir"), limit=100)))
    assert len(both) == 20
    window = list(backend.messages(MessageQuery(since=T0 + timedelta(minutes=5), until=T0 + timedelta(minutes=9))))
    assert [m.native_id for m in window] == ["5", "6", "7", "8", "9"]
    newest = list(backend.messages(MessageQuery(limit=3, newest_first=True)))
    assert [m.native_id for m in newest] == ["19", "18", "17"]
    assert [m.native_id for m in backend.messages(MessageQuery(lang="ar"))] == ["0", "1", "2", "3"]
    assert [m.native_id for m in backend.messages(MessageQuery(ids=("x:3", "x:7", "x:99")))] == ["3", "7"]
    assert list(backend.messages(MessageQuery(source="telegram"))) == []
    assert list(backend.messages(MessageQuery(documents_only=True))) == []


def test_cursor_paging_visits_every_message_once(backend: Store) -> None:
    backend.write_messages([msg(i) for i in range(25)])
    for newest_first in (False, True):
        seen: list[str] = []
        cursor = None
        while True:
            page = list(backend.message_rows(MessageQuery(limit=10, cursor=cursor, newest_first=newest_first)))
            if not page:
                break
            seen += [m.native_id for _, m in page]
            cursor = page[-1][0]
        expected = [str(i) for i in range(25)]
        assert seen == (expected[::-1] if newest_first else expected)


def test_unbounded_reads_stream_while_writes_go_on(backend: Store) -> None:
    backend.write_messages([msg(i) for i in range(3000)])
    it = backend.messages()
    first = next(it)
    backend.write_messages([msg(5000)])  # a write while a streaming read is open must not deadlock
    assert first.native_id == "0"
    assert sum(1 for _ in it) >= 2999


def test_full_text_search_folds_arabic_and_hashtags(backend: Store) -> None:
    backend.write_messages([
        msg(1, "وداعاً يا قصر النهر، سامحونا"),
        msg(2, "#GoodbyeQasr we will not forget"),
        msg(3, "Bread queue again in the Old Souk"),
        msg(4, "Café near the crossing was shelled"),
        msg(5, "مُسْتَشْفَى الأمل خارج الخدمة"),
        msg(6, "the report", title="Hospital ALAMAL closed"),
        msg(7, "ping @nour_qn now"),
        msg(8, "nour and qn apart"),
    ])

    def ids(text: str) -> list[str]:
        return [m.native_id for m in backend.messages(MessageQuery(search=text))]

    assert ids("وَدَاعًا") == ["1"]  # harakat in the query
    assert ids("وداعا") == ["1"]  # alef variants
    assert ids("قصر النهر") == ["1"]
    assert ids("مستشفى الامل") == ["5"]  # harakat in the text, hamza-on-alef and alef maqsura folded
    assert ids("مستشفي") == ["5"]
    assert ids("qasr") == ["2"]  # CamelCase hashtag split
    assert ids("goodbyeqasr") == ["2"]
    assert ids("cafe") == ["4"]
    assert ids("CAFÉ crossing") == ["4"]
    assert ids("alamal") == ["6"]  # the title is indexed too
    assert ids("bread souk") == ["3"]  # every word required, any order
    assert ids("bread hospital") == []
    assert ids("nour_qn") == ["7"]  # a word with "_" is a phrase
    assert sorted(ids("nour qn")) == ["7", "8"]
    assert ids('bread" OR "x') == []  # user text is never query syntax
    assert ids("NEAR(bread queue)") == []
    assert ids("bread & !queue") == ["3"]
    assert ids("...") == []
    assert ids("'") == []
    assert [m.native_id for m in backend.messages(MessageQuery(search="souk", author="nour_qn", limit=5))] == ["3"]


def test_rejects_are_deduplicated(backend: Store) -> None:
    r = Reject(file="a.jsonl", reason="broken JSON", line=3, offset=17, raw=b"{oops\x00\xff", format="twitter-v2")
    assert backend.write_rejects([r, r]) == 1
    assert backend.write_rejects([r]) == 0
    assert backend.write_rejects([]) == 0
    (back,) = backend.rejects()
    assert (back.raw, back.line, back.offset, back.format, back.reason) == (r.raw, 3, 17, "twitter-v2", "broken JSON")
    assert backend.count_rejects() == 1
    assert backend.rejects(limit=None) == [back]


def test_enrichments_are_recorded_by_stage_name(backend: Store) -> None:
    backend.write_messages([msg(1), msg(2, enrichments={"langid.v1": "en"})])
    assert backend.set_enrichments([("x:1", "siege_signals.v4", {"signals": ["farewell"]})]) == 1
    assert backend.get_message("x:1").enrichments == {"siege_signals.v4": {"signals": ["farewell"]}}
    changed = backend.set_enrichments([("x:2", "a.v1", 1), ("x:2", "a.v1", 2), ("x:2", "b.v1", [None]),
                                       ("x:404", "a.v1", 3)])
    assert changed == 3
    assert backend.get_message("x:2").enrichments == {"langid.v1": "en", "a.v1": 2, "b.v1": [None]}
    assert backend.set_enrichments([]) == 0


def test_stats_count_by_format_source_and_language(backend: Store) -> None:
    backend.write_messages([msg(1, lang="ar"), msg(2, author="samir"), msg(3, title="T")])
    backend.write_rejects([Reject(file="f", reason="r")])
    stats = backend.stats()
    assert stats["messages"] == 3 and stats["documents"] == 1 and stats["authors"] == 2 and stats["rejects"] == 1
    assert stats["by_format"] == {"twitter-v2": 3} and stats["by_source"] == {"x": 3}
    assert stats["by_lang"] == {"?": 2, "ar": 1}
    assert stats["first"] == "2025-02-01T08:01:00.000000Z"


def test_portable_sql_for_feature_tables(backend: Store) -> None:
    # DDL differs by dialect (feature tables come from per-backend migrations); everything after is shared
    pg = backend.url.startswith("postgresql")
    backend.execute("CREATE TABLE notes (note_id " + ("BIGINT GENERATED BY DEFAULT AS IDENTITY" if pg else "INTEGER")
                    + " PRIMARY KEY, key TEXT NOT NULL UNIQUE, flag BIGINT, score DOUBLE PRECISION, body "
                    + ("BYTEA)" if pg else "BLOB)"))
    with backend.transaction() as conn:
        cur = conn.execute("INSERT INTO notes (key, flag, score, body) VALUES (?, ?, ?, ?)", ("a", True, 0.5, b"\x00"))
        first = cur.lastrowid
        assert cur.fetchone() is None
        second = conn.execute("INSERT INTO notes (key, flag, score, body) VALUES (?, ?, ?, ?)",
                              ("b%?", False, 1.25, b"")).lastrowid
        assert first is not None and second == first + 1
        assert conn.execute("SELECT count(*) FROM notes WHERE key LIKE 'b%'").fetchone() == (1,)
        assert [tuple(r) for r in conn.execute("SELECT key FROM notes ORDER BY key")] == [("a",), ("b%?",)]
    assert backend.executemany("INSERT OR IGNORE INTO notes (key, flag) VALUES (?, ?)",
                               [("a", 1), ("c", 0), ("d", 1)]) == 2
    assert backend.execute("UPDATE notes SET score = ? WHERE flag = ?", (2.5, 1)) == 2
    rows = backend.query("SELECT key, flag, score, body FROM notes WHERE key <> '?' ORDER BY key")
    assert rows[0] == ("a", 1, 2.5, b"\x00") and rows[1] == ("b%?", 0, 1.25, b"")
    assert backend.query("SELECT key FROM notes WHERE key = ? COLLATE NOCASE", ("A",)) == [("a",)]
    assert backend.query("SELECT enrichments FROM messages") == []
    backend.write_messages([msg(1, enrichments={"k.v1": 1})])
    assert backend.query("SELECT enrichments FROM messages") == [('{"k.v1": 1}',) if pg else ('{"k.v1":1}',)]


def test_a_failed_transaction_changes_nothing(backend: Store) -> None:
    backend.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    with pytest.raises((StoreError, RuntimeError)), backend.transaction() as conn:
        conn.execute("INSERT INTO t (k) VALUES (?)", ("x",))
        raise RuntimeError("boom")
    with pytest.raises(StoreError):
        backend.execute("INSERT INTO t (k) VALUES (?), (?)", ("y", "y"))
    assert backend.query("SELECT count(*) FROM t") == [(0,)]
    assert backend.execute("INSERT INTO t (k) VALUES (?)", ("z",)) == 1  # the store is usable afterwards


def test_translate_placeholders_and_sqlite_isms() -> None:
    assert translate("SELECT '?' , \"a?\" , ? -- what?\n") == "SELECT '?' , \"a?\" , %s -- what?\n"
    assert translate("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"
    assert translate("SELECT 5 % 2 /* 10% */") == "SELECT 5 %% 2 /* 10%% */"
    assert (translate("insert or ignore into t (a) values (?);")
            == "INSERT INTO t (a) values (%s) ON CONFLICT DO NOTHING")
    with pytest.raises(StoreError, match="ON CONFLICT"):
        translate("INSERT OR REPLACE INTO t (a) VALUES (?)")


def test_search_literals_are_safe_and_bounded() -> None:
    assert ts_query("it's") == "'it' & 's'"
    assert ts_query("___") is None
    vector = ts_vector(None, "a b a " + "x" * 600 + " " + " ".join(["w"] * 400))
    assert vector.startswith("'a':1,3 'b':2 'w':5,6,")
    assert "xxx" not in vector and vector.count(",") < 300


def test_nul_characters_are_stored_as_replacement(postgres_url: str) -> None:
    with open_store(postgres_url) as s:
        s.write_messages([msg(1, "a\x00b", raw="r\x00", enrichments={"e.v1": "x\x00"})])
        back = s.get_message("x:1")
    assert (back.text, back.raw, back.enrichments["e.v1"]) == ("a\ufffdb", "r\ufffd", "x\ufffd")


def test_a_dropped_connection_is_reopened(postgres_server: PostgresServer, postgres_url: str) -> None:
    with PostgresStore(postgres_url, application_name="vigil-drop-test") as s:
        s.write_messages([msg(1)])
        assert postgres_server.terminate_backends("vigil-drop-test") == 1
        assert s.write_messages([msg(1), msg(2)]).stored == 1  # retried on a new connection
        assert postgres_server.terminate_backends("vigil-drop-test") == 1
        assert s.count_messages() == 2
        assert postgres_server.terminate_backends("vigil-drop-test") == 1
        with s.transaction() as conn:  # a transaction starts on a fresh connection
            conn.execute("SELECT 1")


def test_concurrent_openers_migrate_once(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            open_store(postgres_url).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(postgres_url) as s:
        assert s.query("SELECT count(*), count(DISTINCT name) FROM _migrations")[0][0] == len(s.applied_migrations())


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL at postgresql://u:\*\*\*@127.0.0.1:1/x"):
        open_store("postgresql://u:secret@127.0.0.1:1/x")


def test_every_sqlite_migration_has_a_postgres_counterpart() -> None:
    """Feature engineers add SQLite migrations; a missing PostgreSQL twin shows up here, by name."""
    folder = resources.files("vigil.store").joinpath("migrations")
    sqlite = {p.name for p in folder.joinpath("sqlite").iterdir() if p.name.endswith(".sql")}
    postgres = {p.name for p in folder.joinpath("postgres").iterdir() if p.name.endswith(".sql")}
    assert sorted(sqlite - postgres) == [], "write migrations/postgres/<same name> for each of these"
    assert sorted(postgres - sqlite) == []
