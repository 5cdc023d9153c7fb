"""SQLite store: migrations, idempotent batched writes, queries, FTS with Arabic folding, rejects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vigil.errors import NotFoundError, StoreError, UsageError
from vigil.message import Message, Reject, make_id
from vigil.store import MessageQuery, SQLiteStore, open_store, resolve_db

T0 = datetime(2025, 2, 1, 8, 0, tzinfo=UTC)


def msg(n: int, text: str = "hello", author: str = "nour_qn", **kw: object) -> Message:
    return Message(id=make_id("x", str(n)), source="x", format="twitter-v2", native_id=str(n),
                   created_at=T0 + timedelta(minutes=n), text=text, author=author, **kw)  # type: ignore[arg-type]


def test_migrations_are_recorded_and_applied_once(db_path: Path) -> None:
    with open_store(db_path) as s:
        first = s.applied_migrations()
        assert "0001_messages" in first
        assert s.migrate() == []
    with SQLiteStore(db_path) as s:
        assert s.applied_migrations() == first
        assert s.query("PRAGMA journal_mode")[0][0] == "wal"


def test_writes_are_idempotent(store: SQLiteStore) -> None:
    batch = [msg(i) for i in range(10)]
    assert store.write_messages(batch).stored == 10
    again = store.write_messages([*batch, msg(10)])
    assert (again.stored, again.duplicates) == (1, 10)
    assert store.count_messages() == 11


def test_round_trip_keeps_every_field(store: SQLiteStore) -> None:
    m = msg(1, "وداعاً قصر النهر 💔", title=None, lang="ar", reply_to="x:0", retweet_of="x:9",
            labels={"class_label": "sympathy_and_support"}, raw='{"id": "1"}', url="https://x.com/a/status/1")
    store.write_messages([m])
    back = store.get_message(m.id)
    assert back == m
    with pytest.raises(NotFoundError):
        store.get_message("x:nope")


def test_queries_filter_by_author_time_and_order(store: SQLiteStore) -> None:
    store.write_messages([msg(i, author="Nour_QN" if i % 2 else "samir") for i in range(20)])
    nour = list(store.messages(MessageQuery(author="nour_qn")))
    assert len(nour) == 10 and all(m.author == "Nour_QN" for m in nour)
    window = list(store.messages(MessageQuery(since=T0 + timedelta(minutes=5), until=T0 + timedelta(minutes=9))))
    assert [m.native_id for m in window] == ["5", "6", "7", "8", "9"]
    newest = list(store.messages(MessageQuery(limit=3, newest_first=True)))
    assert [m.native_id for m in newest] == ["19", "18", "17"]


def test_cursor_paging_visits_every_message_once(store: SQLiteStore) -> None:
    store.write_messages([msg(i) for i in range(25)])
    seen: list[str] = []
    cursor = None
    while True:
        page = list(store.message_rows(MessageQuery(limit=10, cursor=cursor)))
        if not page:
            break
        seen += [m.native_id for _, m in page]
        cursor = page[-1][0]
    assert seen == [str(i) for i in range(25)]


def test_full_text_search_folds_arabic_and_hashtags(store: SQLiteStore) -> None:
    store.write_messages([
        msg(1, "وداعاً يا قصر النهر، سامحونا"),
        msg(2, "#GoodbyeQasr we will not forget"),
        msg(3, "Bread queue again in the Old Souk"),
        msg(4, "Café near the crossing was shelled"),
    ])

    def ids(text: str) -> list[str]:
        return [m.native_id for m in store.messages(MessageQuery(search=text))]

    assert ids("وَدَاعًا") == ["1"]  # harakat in the query
    assert ids("وداعا") == ["1"]  # alef variants
    assert ids("qasr") == ["2"]  # CamelCase hashtag split
    assert ids("goodbyeqasr") == ["2"]
    assert ids("cafe") == ["4"]
    assert ids('bread" OR "x') == []  # user text is never FTS syntax; both words required
    assert ids("NEAR(bread queue)") == []
    assert ids("...") == []


def test_rejects_are_deduplicated(store: SQLiteStore) -> None:
    r = Reject(file="a.jsonl", reason="broken JSON", line=3, raw=b"{oops")
    assert store.write_rejects([r, r]) == 1
    assert store.write_rejects([r]) == 0
    assert store.rejects()[0].raw == b"{oops"


def test_enrichments_are_recorded_by_stage_name(store: SQLiteStore) -> None:
    store.write_messages([msg(1)])
    assert store.set_enrichments([("x:1", "siege_signals.v4", {"signals": ["farewell"]})]) == 1
    assert store.get_message("x:1").enrichments == {"siege_signals.v4": {"signals": ["farewell"]}}


def test_bad_database_file_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "not.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        open_store(bogus)
    with pytest.raises(UsageError):
        open_store("mysql://x")


def test_resolve_db_precedence() -> None:
    assert resolve_db("a.db", {"VIGIL_DB": "b.db"}) == "a.db"
    assert resolve_db(None, {"VIGIL_DB": "b.db"}) == "b.db"
    assert resolve_db(None, {}) == "vigil.db"
