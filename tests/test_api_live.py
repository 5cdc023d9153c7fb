"""`vigil run`'s follower (files, folders, feeds), the demo replay and the binding rule, on real stores."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from vigil.errors import UsageError
from vigil.message import Message
from vigil.serve.facets import AreaMatcher
from vigil.serve.live import Follower, LiveLoop
from vigil.serve.pipeline import Pipeline
from vigil.serve.replay import DemoReplay, SimClock
from vigil.serve.run import is_loopback, plan_run
from vigil.serve.settings import Settings
from vigil.store import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"
LINES = (FIXTURES / "twitter_v2" / "flat.jsonl").read_bytes().splitlines(keepends=True)
NOW = datetime(2025, 2, 6, 12, 0, tzinfo=UTC)


def pipeline(store: SQLiteStore) -> Pipeline:
    return Pipeline(store, stages=(), areas=lambda: AreaMatcher([]), now=lambda: NOW)


def count(store: SQLiteStore) -> int:
    return store.count_messages()


def test_tails_complete_lines_and_resumes_after_restart(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "stream.jsonl"
    path.write_bytes(b"".join(LINES[:3]) + LINES[3][:20])  # a fourth line half written
    follower = Follower(store, pipeline(store), [str(path)])
    assert follower.step() == 3
    assert follower.step() == 0
    with path.open("ab") as fp:
        fp.write(LINES[3][20:] + LINES[4])
    assert follower.step() == 2
    # a new process (restart) resumes from the stored offset: nothing is read twice
    again = Follower(store, pipeline(store), [str(path)])
    with path.open("ab") as fp:
        fp.write(LINES[5])
    assert again.step() == 1  # (the line before is passed as context and counted as a duplicate)
    assert count(store) == 6
    one = tmp_path / "one.jsonl"
    one.write_bytes(LINES[20])  # a file with a single line so far
    single = Follower(store, pipeline(store), [str(one)])
    assert single.step() == 1 and single.step() == 0
    with one.open("ab") as fp:
        fp.write(LINES[21])
    assert single.step() == 1 and count(store) == 8


def test_truncated_or_replaced_file_is_read_from_the_start(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "stream.jsonl"
    path.write_bytes(b"".join(LINES[:5]))
    follower = Follower(store, pipeline(store), [str(path)])
    follower.step()
    path.write_bytes(b"".join(LINES[10:12]))  # rotated: shorter than the old offset
    assert follower.step() == 2
    assert count(store) == 7


def test_folder_picks_up_new_files_and_skips_partial_ones(store: SQLiteStore, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.jsonl").write_bytes(b"")  # created, not written yet: no error, nothing read
    follower = Follower(store, pipeline(store), [str(inbox)])
    assert follower.step() == 0 and follower.errors == {}
    (inbox / "a.jsonl").write_bytes(b"".join(LINES[:2]))
    (inbox / "b.json.part").write_bytes(b"".join(LINES[2:4]))
    (inbox / "feed.xml").write_bytes((FIXTURES / "feeds" / "relief_rss.xml").read_bytes())
    stored = follower.step()
    assert stored >= 3 and count(store) == stored
    assert follower.step() == 0  # unchanged files cost a stat, nothing more
    os.utime(inbox / "feed.xml")  # touched but not changed: re-read, and duplicates are not stored twice
    assert follower.step() == 0


def test_feed_polling_uses_etag_and_backs_off(store: SQLiteStore) -> None:
    rss = (FIXTURES / "feeds" / "relief_rss.xml").read_bytes()
    calls: list[dict[str, str]] = []
    status = {"code": 200}

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(dict(request.headers))
        if status["code"] != 200:
            return httpx.Response(status["code"])
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, content=rss,
                              headers={"ETag": '"v1"', "Last-Modified": "Thu, 06 Feb 2025 10:00:00 GMT"})

    clock = {"now": NOW}
    client = httpx.Client(transport=httpx.MockTransport(handler))
    follower = Follower(store, pipeline(store), ["https://relief.example/feed.rss"], client=client, poll_seconds=60,
                        clock=lambda: clock["now"])
    first = follower.step()
    assert first > 0 and count(store) == first
    assert follower.step() == 0 and len(calls) == 1  # not due yet
    clock["now"] += timedelta(seconds=61)
    assert follower.step() == 0 and calls[-1]["if-none-match"] == '"v1"'  # 304: nothing to read
    assert calls[-1]["if-modified-since"] == "Thu, 06 Feb 2025 10:00:00 GMT"
    status["code"] = 503
    for minutes in (2, 4, 8):
        clock["now"] += timedelta(minutes=minutes, seconds=1)
        follower.step()
    assert len(calls) == 5  # the backoff doubled: 120 s, 240 s, 480 s pauses were each waited out
    assert "503" in follower.stats()["errors"]["https://relief.example/feed.rss"]
    clock["now"] += timedelta(seconds=30)
    follower.step()
    assert len(calls) == 5  # still backing off


def test_unreachable_feed_never_stops_the_files(store: SQLiteStore, tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    path = tmp_path / "s.jsonl"
    path.write_bytes(b"".join(LINES[:2]))
    follower = Follower(store, pipeline(store), ["http://down.example/rss", str(path)],
                        client=httpx.Client(transport=httpx.MockTransport(refuse)), clock=lambda: NOW)
    assert follower.step() == 2


def test_live_loop_isolates_a_failing_part(store: SQLiteStore) -> None:
    class Broken:
        def step(self) -> int:
            raise RuntimeError("boom")

        def stats(self) -> dict[str, object]:
            return {}

    class Fine:
        def step(self) -> int:
            return 1

        def stats(self) -> dict[str, object]:
            return {"fine": True}

    loop = LiveLoop([Broken(), Fine()])
    assert loop.step() == 1
    assert loop.stats()["parts"] == [{}, {"fine": True}]


def test_demo_replay_follows_the_simulated_clock(store: SQLiteStore) -> None:
    start = datetime(2025, 2, 1, tzinfo=UTC)
    messages = [Message(id=f"x:{i}", source="x", format="twitter-v2", native_id=str(i),
                        created_at=start + timedelta(hours=i), text=f"post {i}", author="a") for i in range(10)]
    clock = SimClock(start, speed=3600, end=start + timedelta(hours=20))
    times = iter([start + timedelta(hours=h) for h in (0.5, 3.5, 30)])
    replay = DemoReplay(pipeline(store), messages, clock)
    replay.clock = lambda: next(times)  # type: ignore[assignment,method-assign]
    replay.clock.begin = lambda: None  # type: ignore[attr-defined]
    assert replay.step() == 1 and replay.step() == 3 and replay.step() == 6 and replay.done


def test_sim_clock_runs_fast_and_stops_at_the_end() -> None:
    start = datetime(2025, 2, 1, tzinfo=UTC)
    wall = iter([100.0, 101.0, 1e6])
    clock = SimClock(start, speed=3600, end=start + timedelta(days=10), monotonic=lambda: next(wall))
    assert clock() == start  # not started yet
    clock.begin()
    assert clock() == start + timedelta(hours=1)
    assert clock() == start + timedelta(days=10)


def test_binding_beyond_loopback_needs_an_admin(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    db = str(tmp_path / "v.db")
    with pytest.raises(UsageError, match="no admin user exists"):
        plan_run(db, [], settings=Settings.load({}, host="0.0.0.0"))
    plan = plan_run(db, [], settings=Settings.load({}, host="127.0.0.1", port=8123))
    assert plan.url == "http://127.0.0.1:8123/"
    with pytest.raises(UsageError, match="speed"):
        plan_run(db, [], settings=Settings.load({}), demo=True, speed=0)


def test_a_source_that_does_not_exist_yet_is_named_in_the_notes(tmp_path: Path) -> None:
    there = tmp_path / "feed.jsonl"
    there.write_text("", encoding="utf-8")
    plan = plan_run(str(tmp_path / "v.db"), [str(there), str(tmp_path / "fed.jsonl")], settings=Settings.load({}))
    assert [n for n in plan.notes if "does not exist yet" in n] == [
        f"{tmp_path / 'fed.jsonl'}: does not exist yet; vigil will read it when it appears"]
