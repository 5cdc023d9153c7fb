"""Redis Streams transport against a real redis-server: publish, consume, claim, backpressure, dead letters.

Workers run in-process here, stepped by hand (``claim_idle_ms=0`` makes every unacknowledged entry claimable
at once), so each scenario is deterministic and fast; the fault tests (test_faults.py) kill real processes.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis

from broker_helpers import PICKY, fresh_config, small
from vigil.broker import (
    BrokerConfig,
    Publisher,
    Worker,
    dead_letters,
    publish_paths,
    requeue_dead_letter,
    stream_info,
    trim_acknowledged,
)
from vigil.broker.streams import Entry, connect, decode_entry, encode_message, encode_reject
from vigil.errors import BrokerError, UsageError
from vigil.ingest import ingest
from vigil.message import Reject
from vigil.store import MessageQuery, SQLiteStore, open_store

if TYPE_CHECKING:
    from servers import RedisServer

pytest_plugins = ["servers"]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    c = connect(redis_server.url)
    yield c
    c.close()


@pytest.fixture
def config() -> BrokerConfig:
    return fresh_config(claim_idle_ms=0)


def drain(worker: Worker, rounds: int = 50) -> None:
    """Step the worker until a round finds nothing."""
    for _ in range(rounds):
        if worker.step() == 0:
            return
    raise AssertionError("worker did not drain")


def stored_ids(store: SQLiteStore) -> list[str]:
    return sorted(m.id for m in store.messages())


def test_codec_round_trips_messages_and_rejects() -> None:
    m = small(1, "وداعاً 💔").replace(title="T", labels={"a": "b"}, enrichments={"s.v1": [1, None]}, raw="{}",
                                      reply_to="x:0", url="https://x.com/1")
    assert decode_entry(Entry(b"1-0", {b"k": b"m", b"d": encode_message(m)})) == m
    r = Reject(file="f.jsonl", reason="bad", line=3, offset=9, raw=b"\x00\xff{", format="twitter-v2")
    assert decode_entry(Entry(b"1-1", {b"k": b"r", b"d": encode_reject(r)})) == r
    for fields in ({b"k": b"m", b"d": b"{not json"}, {b"x": b"y"}, {b"k": b"m", b"d": b'{"id": 1}'}):
        with pytest.raises(ValueError):
            decode_entry(Entry(b"1-2", fields))


def test_published_messages_are_stored_once_even_when_published_twice(client: redis.Redis, config: BrokerConfig,
                                                                      store: SQLiteStore) -> None:
    with Publisher(client, config) as pub:
        pub.publish(small(i) for i in range(1200))
        pub.publish(small(i) for i in range(100))  # a re-run of part of the input
        assert (pub.report.published, pub.report.messages) == (1300, 1300)
    worker = Worker(client, store, config, batch_size=500, block_ms=20)
    drain(worker)
    assert stored_ids(store) == sorted(f"x:{i}" for i in range(1200))
    assert (worker.report.stored, worker.report.duplicates) == (1200, 100)
    info = stream_info(client, config)
    assert info["groups"][0]["pending"] == 0 and info["dead_letters"] == 0
    trim_acknowledged(client, config)  # workers also do this, at most once a second
    assert client.xlen(config.stream) == 0


def test_publish_paths_stores_what_a_direct_ingest_stores(client: redis.Redis, config: BrokerConfig,
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text((FIXTURES / "twitter_v2" / "flat.jsonl").read_text().splitlines()[0] + "\n{broken\n")
    paths = [str(FIXTURES / "twitter_v2"), str(FIXTURES / "mastodon"), str(bad)]
    report = publish_paths(paths, client, config=config, batch_size=64)
    assert report.rejects >= 1 and report.read == report.messages + report.rejects
    with open_store(tmp_path / "via-broker.db") as via, open_store(tmp_path / "direct.db") as direct:
        drain(Worker(client, via, config, batch_size=100, block_ms=20))
        ingest(paths, direct)
        assert [m.to_dict(raw=True) for m in via.messages()] == [m.to_dict(raw=True) for m in direct.messages()]
        assert {(r.file, r.line, r.reason) for r in via.rejects()} == {(r.file, r.line, r.reason)
                                                                       for r in direct.rejects()}


def test_stages_run_in_the_worker(client: redis.Redis, config: BrokerConfig, store: SQLiteStore) -> None:
    with Publisher(client, config) as pub:
        pub.publish([small(1), small(2)])
    drain(Worker(client, store, config, stages=[PICKY], block_ms=20))
    assert all(m.enrichments == {PICKY: True} for m in store.messages())


def test_block_policy_waits_for_workers_then_finishes(client: redis.Redis, config: BrokerConfig,
                                                      store: SQLiteStore) -> None:
    bounded = BrokerConfig(stream=config.stream, max_backlog=50, claim_idle_ms=0)
    worker = Worker(client, store, bounded, batch_size=20, block_ms=20)
    lengths: list[int] = []

    def sleep(_: float) -> None:  # "waiting" = a worker somewhere makes progress meanwhile
        lengths.append(int(client.xlen(bounded.stream)))
        worker.step()

    with Publisher(client, bounded, batch_size=10, sleep=sleep) as pub:
        pub.publish(small(i) for i in range(300))
    drain(worker)
    assert lengths and max(lengths) <= 50  # never above the bound
    assert len(stored_ids(store)) == 300


def test_block_policy_gives_up_loudly_without_dropping(client: redis.Redis, config: BrokerConfig) -> None:
    bounded = BrokerConfig(stream=config.stream, max_backlog=30)
    clock = iter(range(0, 10_000)).__next__
    with pytest.raises(BrokerError, match=r"stayed full .* Nothing was dropped: 30 entries were published"), \
            Publisher(client, bounded, batch_size=10, block_timeout=5, sleep=lambda _: None,
                      clock=lambda: float(clock())) as pub:
        pub.publish(small(i) for i in range(100))
    assert client.xlen(bounded.stream) == 30


def test_spill_policy_keeps_reading_and_drains_in_order(client: redis.Redis, config: BrokerConfig,
                                                        store: SQLiteStore, tmp_path: Path) -> None:
    bounded = BrokerConfig(stream=config.stream, max_backlog=20, claim_idle_ms=0)
    spill = tmp_path / "spill" / "vigil.spill"
    pub = Publisher(client, bounded, policy="spill", spill_path=spill, batch_size=10)
    pub.publish(small(i) for i in range(75))
    assert (pub.report.published, pub.report.spilled) == (20, 55)
    pub.close()  # the producer dies with a spill pending
    assert pub.report.spill_pending == 55
    worker = Worker(client, store, bounded, batch_size=10, block_ms=20)
    with Publisher(client, bounded, policy="spill", spill_path=spill, batch_size=10,
                   sleep=lambda _: worker.step()) as again:
        again.finish()
        assert again.report.published == 55
    drain(worker)
    assert len(stored_ids(store)) == 75
    assert spill.stat().st_size == 0
    with pytest.raises(UsageError, match="spill file"):
        Publisher(client, bounded, policy="spill")


def test_an_oversized_message_becomes_a_reject(client: redis.Redis, config: BrokerConfig, store: SQLiteStore) -> None:
    limited = BrokerConfig(stream=config.stream, max_message_bytes=4096, claim_idle_ms=0)
    with Publisher(client, limited) as pub:
        pub.publish([small(1), small(2, "x" * 10_000)], origin="big.jsonl")
        assert (pub.report.messages, pub.report.oversized) == (1, 1)
    drain(Worker(client, store, limited, block_ms=20))
    assert stored_ids(store) == ["x:1"]
    (reject,) = store.rejects()
    assert reject.file == "big.jsonl" and "over the broker limit of 4,096" in reject.reason
    assert len(reject.raw) <= 2048


def test_foreign_oversized_or_undecodable_entries_are_dead_lettered(client: redis.Redis, config: BrokerConfig,
                                                                    store: SQLiteStore) -> None:
    limited = BrokerConfig(stream=config.stream, max_message_bytes=2048, claim_idle_ms=0)
    Publisher(client, limited).close()  # creates the group
    client.xadd(limited.stream, {b"k": b"m", b"d": encode_message(small(1, "y" * 5000))})
    client.xadd(limited.stream, {b"k": b"m", b"d": b"{nope"})
    client.xadd(limited.stream, {b"k": b"m", b"d": encode_message(small(2))})
    drain(Worker(client, store, limited, block_ms=20))
    assert stored_ids(store) == ["x:2"]
    letters = dead_letters(client, limited)
    assert [d.crashes for d in letters] == [0, 0]
    assert "exceeds max_message_bytes" in letters[0].error and "undecodable" in letters[1].error
    assert stream_info(client, limited)["groups"][0]["pending"] == 0


def test_entries_of_a_dead_worker_are_claimed(client: redis.Redis, config: BrokerConfig, store: SQLiteStore) -> None:
    with Publisher(client, config) as pub:
        pub.publish(small(i) for i in range(40))
    dead = Worker(client, store, config, consumer="dead", batch_size=25, block_ms=20)
    assert len(dead._read(">")) == 25  # it read 25 entries and died before storing them
    assert trim_acknowledged(client, config) == 0  # pending entries are never trimmed
    alive = Worker(client, store, config, consumer="alive", batch_size=25, block_ms=20)
    drain(alive)
    assert alive.report.claimed == 25
    assert len(stored_ids(store)) == 40
    assert stream_info(client, config)["groups"][0]["pending"] == 0


def test_a_restarted_consumer_takes_back_its_own_pending_entries(client: redis.Redis, config: BrokerConfig,
                                                                 store: SQLiteStore) -> None:
    slow = BrokerConfig(stream=config.stream, claim_idle_ms=3_600_000)  # nobody else would claim them soon
    with Publisher(client, slow) as pub:
        pub.publish(small(i) for i in range(10))
    assert len(Worker(client, store, slow, consumer="w1", block_ms=20)._read(">")) == 10
    drain(Worker(client, store, slow, consumer="w1", block_ms=20))  # same name, new life: its own entries come first
    assert len(stored_ids(store)) == 10


def test_a_message_the_store_refuses_is_dead_lettered_after_two_failures(client: redis.Redis, config: BrokerConfig,
                                                                         postgres_url: str) -> None:
    # a real poison for PostgreSQL: an author too long for a btree index entry (SQLite would take it)
    with Publisher(client, config) as pub:
        noise = "".join(random.Random(5).choices(string.ascii_letters, k=8000))  # incompressible enough
        pub.publish([small(1), small(2).replace(author=noise), small(3)])
    with open_store(postgres_url) as pg:
        drain(Worker(client, pg, config, block_ms=20))
        assert sorted(m.id for m in pg.messages()) == ["x:1", "x:3"]
        (letter,) = dead_letters(client, config)
        assert letter.message_id == "x:2" and letter.crashes == 2
        assert "index row size" in letter.error
        assert stream_info(client, config)["groups"][0]["pending"] == 0
        assert client.hlen(config.crashes_key) == 0 and client.hlen(config.errors_key) == 0
        pg.execute("DROP INDEX messages_author_created")  # the operator fixes the cause, then requeues
        new_id = requeue_dead_letter(client, config, letter.entry_id)
        assert dead_letters(client, config) == [] and new_id > letter.entry_id
        drain(Worker(client, pg, config, block_ms=20))
        assert sorted(m.id for m in pg.messages()) == ["x:1", "x:2", "x:3"]
    with pytest.raises(BrokerError, match="no dead letter"):
        requeue_dead_letter(client, config, "1-1")


def test_a_message_that_kills_its_worker_is_dead_lettered_after_two_deaths(client: redis.Redis, config: BrokerConfig,
                                                                           store: SQLiteStore) -> None:
    with Publisher(client, config) as pub:
        pub.publish([small(i) for i in range(5)] + [small(5, "KILLER")] + [small(i) for i in range(6, 10)])
    deaths = 0
    for life in range(10):
        worker = Worker(client, store, config, consumer=f"life{life}", stages=[PICKY], batch_size=100, block_ms=20)
        try:
            drain(worker)
            break
        except SystemExit:  # the process would be gone; its pending entries stay in Redis
            deaths += 1
    # deaths with the batch of 10 (whole twice, then in chunks of 25 and 6: blamed on nobody), then two deaths
    # alone, blamed on it: dead-lettered at its seventh delivery
    assert deaths == 6
    assert stored_ids(store) == sorted(f"x:{i}" for i in range(10) if i != 5)
    (letter,) = dead_letters(client, config)
    assert letter.message_id == "x:5" and letter.crashes == 2 and "crashed a worker 2 times" in letter.error
    assert stream_info(client, config)["groups"][0]["pending"] == 0


def test_a_store_outage_is_not_poison(client: redis.Redis, config: BrokerConfig, store: SQLiteStore) -> None:
    class Flaky:
        """A store whose first writes fail and whose health check fails meanwhile: an outage."""

        def __init__(self, inner: SQLiteStore, failures: int) -> None:
            self.inner, self.failures, self.down = inner, failures, False

        def write_messages(self, messages: Any) -> Any:
            self.down = self.failures > 0
            if self.down:
                self.failures -= 1
                raise OSError("connection refused")
            return self.inner.write_messages(messages)

        def query(self, sql: str, params: Any = ()) -> Any:
            if self.down:
                raise OSError("connection refused")
            return self.inner.query(sql, params)

    with Publisher(client, config) as pub:
        pub.publish(small(i) for i in range(30))
    flaky = Flaky(store, failures=3)
    worker = Worker(client, flaky, config, batch_size=30, block_ms=20)  # type: ignore[arg-type]
    waits: list[float] = []

    class Stop:
        def is_set(self) -> bool:
            return len(stored_ids(store)) == 30

        def wait(self, seconds: float) -> None:
            waits.append(seconds)

    worker.run(Stop())  # type: ignore[arg-type]
    assert worker.report.store_outages == 3 and waits == [0.1, 0.2, 0.4]
    assert dead_letters(client, config) == [] and client.hlen(config.crashes_key) == 0
    assert stream_info(client, config)["groups"][0]["pending"] == 0


def test_worker_exits_when_idle_and_cli_round_trip(redis_server: RedisServer, config: BrokerConfig, vigil: Any,
                                                   db_path: Path) -> None:
    broker = ["--broker", redis_server.url, "--stream", config.stream]
    published = vigil("publish", str(FIXTURES / "twitter_v2" / "flat.jsonl"), *broker, "--json", db=False)
    assert published.exit_code == 0, published.output
    assert '"messages":50' in published.output
    done = vigil("worker", *broker, "--stages", "none", "--exit-when-idle", "--json")
    assert done.exit_code == 0, done.output
    assert '"stored":50' in done.output
    with open_store(db_path) as s:
        assert len(list(s.messages(MessageQuery(search="water point")))) == 50
    listed = vigil("dead-letters", *broker, db=False)
    assert listed.exit_code == 0 and "0 dead letters" in listed.output
    bad = vigil("publish", "x.jsonl", "--broker", "http://nope", db=False)
    assert bad.exit_code == 1 and "redis://" in bad.output


def test_unreachable_broker_is_a_clear_error() -> None:
    with pytest.raises(BrokerError, match=r"cannot reach Redis at redis://127\.0\.0\.1:1/0"):
        connect("redis://127.0.0.1:1/0")


def test_a_slow_live_worker_keeps_its_entries(client: redis.Redis, store: SQLiteStore) -> None:
    """The heartbeat re-claims entries in hand, so a batch slower than claim_idle is not taken over."""
    import threading
    import time

    # claim_idle is short to keep the test quick, but not so short that a loaded 2-core CI machine, where the
    # heartbeat thread may wait a few hundred ms for a core, lets the entries look abandoned (it did at 200 ms)
    config = fresh_config(claim_idle_ms=600)

    class Slow:
        def __init__(self, inner: SQLiteStore) -> None:
            self.inner = inner

        def write_messages(self, messages: Any) -> Any:
            time.sleep(2.4)  # four claim periods
            return self.inner.write_messages(messages)

        def query(self, sql: str, params: Any = ()) -> Any:
            return self.inner.query(sql, params)

    with Publisher(client, config) as pub:
        pub.publish(small(i) for i in range(20))
    slow = Worker(client, Slow(store), config, consumer="slow", block_ms=20)  # type: ignore[arg-type]
    stop = threading.Event()
    runner = threading.Thread(target=slow.run, args=(stop,))
    runner.start()
    other = Worker(client, store, config, consumer="other", block_ms=20)
    try:
        deadline = time.monotonic() + 10
        while not slow._in_hand and time.monotonic() < deadline:  # the slow one has the batch
            time.sleep(0.01)
        while len(stored_ids(store)) < 20 and time.monotonic() < deadline:
            other.step()
    finally:
        stop.set()
        runner.join()
    assert other.report.claimed == 0 and slow.report.stored == 20
