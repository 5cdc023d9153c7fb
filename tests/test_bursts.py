"""Bursts on real SQLite files: the Kleinberg automaton, incremental counts in the store, detection,
``vigil bursts``, the bursts.v1 watcher, and the demo's events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from conftest import Cli
from vigil.errors import UsageError
from vigil.ingest import ingest
from vigil.message import Message, make_id
from vigil.store import SQLiteStore, open_store
from vigil.watch.bursts import BurstWatcher, burst_states, detect_bursts, message_terms, update_counts
from vigil.watch.watchers import WATCHERS, run_once

pytest_plugins = ["servers"]

T0 = datetime(2025, 2, 1, 0, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[1] / "examples" / "siege"
DAILY = ["bread queues at the bakery", "no power in the district", "the clinic needs insulin",
         "shelling near the mill", "water came back for an hour"]


def msg(n: int, text: str, hours: float, **kw: object) -> Message:
    return Message(id=make_id("x", str(n)), source="x", format="twitter-v2", native_id=str(n),
                   created_at=T0 + timedelta(hours=hours), text=text, author=f"user{n % 7}",
                   **kw)  # type: ignore[arg-type]


def stream(hours: int = 96, burst: range = range(60, 66)) -> list[Message]:
    """Ten everyday posts an hour; during ``burst`` five more an hour about the convoy."""
    out = []
    for h in range(hours):
        for k in range(10):
            out.append(msg(len(out), DAILY[(h + k) % 5], h + k / 10))
        if h in burst:
            for k in range(5):
                out.append(msg(len(out), "The green buses of the convoy are at the checkpoint", h + k / 10 + 0.05))
    return out


def test_automaton_finds_the_step_and_ignores_what_follows_volume() -> None:
    d = np.array([100] * 6 + [400] * 3 + [100] * 6)
    steady = d // 10                     # always 10% of messages, even when volume quadruples
    step = np.array([2] * 6 + [40] * 3 + [2] * 6)
    states, gain = burst_states(np.stack([steady, step]), d)
    assert not states[0].any()
    assert states[1].astype(int).tolist() == [0] * 6 + [1] * 3 + [0] * 6
    assert (gain[1, 6:9] > 0).all() and (gain[1, :6] < 0).all()


def test_message_terms_are_words_hashtags_and_short_phrases() -> None:
    terms = message_terms(msg(1, "RT @x: Goodbye FOREVER from Qasr al-Nahr #GoodbyeQasr", 0))
    assert {"goodbye", "forever", "qasr", "nahr", "goodbye forever", "#goodbyeqasr", "qasr al nahr"} <= terms
    assert not {"from", "al", "forever from"} & terms


def test_counts_are_incremental_and_never_double(store: SQLiteStore, db_path: Path) -> None:
    store.write_messages(stream(hours=10))
    assert update_counts(store, chunk=7) == 100
    assert update_counts(store) == 0
    with open_store(db_path) as other:  # another process continues from the same watermark
        other.write_messages([msg(1000, "convoy leaves", 11)])
        assert update_counts(other) == 1
    assert store.query("SELECT sum(n) FROM burst_totals") == [(101,)]
    assert store.query("SELECT n FROM burst_counts WHERE term = 'bakery'") and store.query(
        "SELECT sum(n) FROM burst_counts WHERE term = 'bakery'") == [(20,)]


def test_detect_bursts_reports_the_convoy_when_it_happened(store: SQLiteStore) -> None:
    store.write_messages(stream())
    report = detect_bursts(store)
    top = report.bursts[0]
    assert top.term in {"green buses", "convoy", "checkpoint", "buses"} or "convoy" in top.related
    assert (top.start, top.end) == ("2025-02-03T12:00:00.000000Z", "2025-02-03T18:00:00.000000Z")
    assert top.count == 30 and top.ratio > 5 and top.strength > 0
    assert all(b.term not in DAILY and "bakery" not in b.term for b in report.bursts)
    assert [b.strength for b in report.bursts] == sorted((b.strength for b in report.bursts), reverse=True)
    # one post copied many times bursts as one entry, its other words listed as related
    assert len({(b.start, b.end, b.count) for b in report.bursts}) == len(report.bursts)
    daily = detect_bursts(store, bucket="1d")
    assert daily.bursts and daily.bursts[0].start == "2025-02-03T00:00:00.000000Z"
    assert detect_bursts(store, until=T0 + timedelta(hours=50)).bursts == ()
    with pytest.raises(UsageError):
        detect_bursts(store, bucket="5m")


def test_counts_and_detection_on_postgresql(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        store.write_messages(stream())
        assert update_counts(store, chunk=500) == 990
        top = detect_bursts(store, refresh=False).bursts[0]
        assert (top.term, top.start, top.count) == ("green buses", "2025-02-03T12:00:00.000000Z", 30)


def test_originals_only_ignores_a_retweet_storm(store: SQLiteStore) -> None:
    posts = stream(burst=range(0))
    posts += [msg(5000 + k, "RT @user1: The green buses of the convoy are at the checkpoint", 60 + k / 10,
                  retweet_of="x:1") for k in range(30)]
    store.write_messages(posts)
    assert any("convoy" in (b.term, *b.related) or "buses" in b.term for b in detect_bursts(store).bursts)
    assert detect_bursts(store, originals_only=True).bursts == ()


def test_bursts_command(vigil: Cli, db_path: Path) -> None:
    with open_store(db_path) as store:
        store.write_messages(stream())
    data = json.loads(vigil("bursts", "--json").output)
    assert {"term", "start", "end", "strength"} <= set(data["bursts"][0])
    assert "green buses" in vigil("bursts", "--bucket", "6h").output


def test_burst_watcher_alerts_while_the_burst_lasts(store: SQLiteStore) -> None:
    store.write_messages(stream())
    WATCHERS.add("bursts.test", BurstWatcher())
    try:
        during = run_once(store, now=T0 + timedelta(hours=65, minutes=30), watchers=["bursts.test"])
        after = run_once(store, now=T0 + timedelta(hours=95), watchers=["bursts.test"])
    finally:
        WATCHERS._items.pop("bursts.test")
    assert {(a.kind, a.subject) for a in during.alerts} == {("burst", "green buses")}
    assert during.alerts[0].evidence["count"] >= 25
    assert [a.kind for a in after.alerts] == ["burst.back"]


@pytest.mark.skipif(not (DEMO / "truth.json").is_file(), reason="demo scenario not generated")
def test_demo_bursts_follow_the_story(tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.db") as store:
        ingest([str(DEMO / "data")], store, stages=[])
        bursts = detect_bursts(store, limit=40).bursts
    found = {b.term: b for b in bursts}
    assert "goodbye forever" in found and found["goodbye forever"].start >= "2025-02-09"
    assert "truce" in found and "2025-02-04" <= found["truce"].start < "2025-02-05T18"
    assert "evacuation" in found and found["evacuation"].start.startswith("2025-02-07")
