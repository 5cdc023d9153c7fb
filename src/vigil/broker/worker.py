"""The worker: consume the stream through the consumer group, enrich, store, and acknowledge after the commit.

Guarantees (for any number of workers on any machines, any of which may die at any moment):

* **No loss**: an entry is acknowledged only after the store committed it, so an entry whose worker died is
  still pending in the group; after ``claim_idle_ms`` another worker takes it over with XAUTOCLAIM. A live
  worker's heartbeat thread re-claims the entries in its hand (XCLAIM JUSTID) every quarter of that time, so
  a slow batch is never taken from a live worker.
* **No duplicates in the store**: writes are idempotent by message id (``ON CONFLICT DO NOTHING`` /
  ``INSERT OR IGNORE``), so an entry delivered twice (its worker died between commit and acknowledge, or was
  too slow and got its entries claimed) is stored once.
* **Poison messages** are moved to the dead-letter stream with their error, never retried forever:
  a batch that raises is retried one entry at a time; an entry that fails alone is retried later
  (by any worker) and dead-lettered when it has failed ``max_crashes`` times. A worker *dying* with a batch
  blames no entry (most deaths are deploys, OOM kills, lost machines): the batch is retried whole once, then
  in quarters (500 -> 125 -> 31 -> 7 -> 1); alone, an entry is processed with a crash counter raised before
  and cleared after, so an entry that kills the process itself is dead-lettered after ``max_crashes`` deaths
  alone. A healthy entry only gets there if five chunks holding it died in a row, so random kills of healthy
  workers do not dead-letter healthy messages. An entry found already stored is acknowledged, not
  dead-lettered (its worker died between the commit and the acknowledgement).
* **Store outages** (PostgreSQL restarting, connections dropped) are not poison: when a failed batch is
  followed by a failed ``SELECT 1`` the worker backs off and retries the same entries, counting nothing.
* **Redis outages**: the worker retries with backoff; entries stored but not acknowledged are delivered again
  and absorbed by the idempotent store.

Acknowledgements are batched (one XACK per batch); acknowledged entries are trimmed from the stream so it
stays bounded (see :mod:`vigil.broker.streams`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import redis

from ..message import Message, Reject
from ..stages import StageContractError, StageFailure, run_stages
from ..store import Store
from .streams import TRANSIENT, BrokerConfig, Entry, connect, decode_entry, ensure_group, now_text, trim_acknowledged

__all__ = ["Worker", "WorkerReport", "default_consumer_name"]

log = logging.getLogger(__name__)
SUSPECT_DELIVERIES = 3  # delivered this often without an acknowledgement (its holders died twice): narrow down


def default_consumer_name() -> str:
    """``host-pid``: unique per process, readable in ``XINFO CONSUMERS``."""
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class WorkerReport:
    """What a worker did since it started."""

    entries: int = 0
    stored: int = 0
    duplicates: int = 0
    rejects: int = 0
    dead_lettered: int = 0
    claimed: int = 0
    batches: int = 0
    store_outages: int = 0
    broker_outages: int = 0
    stage_failures: list[StageFailure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"entries": self.entries, "stored": self.stored, "duplicates": self.duplicates,
                "rejects": self.rejects, "dead_lettered": self.dead_lettered, "claimed": self.claimed,
                "batches": self.batches, "store_outages": self.store_outages,
                "broker_outages": self.broker_outages, "stage_failures": len(self.stage_failures)}


class _StoreDown(Exception):
    """The store failed and does not answer a trivial query: an outage, not a poison message."""


class Worker:
    """One consumer of the group. Run several (processes, machines); each may die at any time.

    Args:
        broker: Redis URL or client.
        store: where messages go (SQLite for one machine, PostgreSQL for several).
        config: stream names and limits (shared with producers).
        consumer: this consumer's name in the group (default ``host-pid``).
        stages: enrichment stages to run on each batch before storing.
        batch_size: entries read, stored and acknowledged together.
        block_ms: how long one read waits for new entries (bounds the reaction time to ``stop``).
        on_batch: called with each stored batch of messages, after the commit (live watchers).

    Example:
        >>> worker = Worker("redis://127.0.0.1:6379/0", open_store("postgresql://..."))  # doctest: +SKIP
        >>> worker.run(stop=threading.Event())  # doctest: +SKIP
    """

    def __init__(self, broker: str | redis.Redis, store: Store, config: BrokerConfig | None = None, *,
                 consumer: str | None = None, stages: Sequence[str] = (), batch_size: int = 500,
                 block_ms: int = 1000, on_batch: Callable[[list[Message]], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or BrokerConfig()
        # Any: redis-py's annotations cover its asyncio flavour too; with this client results are plain values
        self.client: Any = connect(broker) if isinstance(broker, str) else broker
        self.store = store
        self.consumer = consumer or default_consumer_name()
        self.stages = list(stages)
        self.batch_size = batch_size
        self.block_ms = block_ms
        self.on_batch = on_batch
        self.report = WorkerReport()
        self._sleep = sleep
        self._clock = clock
        self._claim_cursor = "0-0"
        self._next_claim = 0.0
        self._next_trim = 0.0
        self._own_pending = True  # at start: entries a previous life of this consumer name left unacknowledged
        self._own_cursor = "0"  # one pass over our own pending entries, oldest first
        self._outage_retry = False
        self._hand_lock = threading.Lock()
        self._in_hand: list[bytes] = []  # entry ids being processed: the heartbeat keeps them ours
        ensure_group(self.client, self.config)

    # -- loop ------------------------------------------------------------------------------------------------
    def run(self, stop: threading.Event | None = None, *, exit_when_idle: bool = False) -> WorkerReport:
        """Work until ``stop`` is set (or, with ``exit_when_idle``, until nothing is left for this group)."""
        stop = stop or threading.Event()
        beat_stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(beat_stop,), name="vigil-worker-heartbeat",
                                daemon=True)
        beat.start()
        try:
            return self._loop(stop, exit_when_idle)
        finally:
            beat_stop.set()
            beat.join()

    def _loop(self, stop: threading.Event, exit_when_idle: bool) -> WorkerReport:
        delay = 0.1
        while not stop.is_set():
            try:
                handled = self.step()
                delay = 0.1
            except _StoreDown as exc:
                self.report.store_outages += 1
                log.warning("store unavailable (%s); retrying in %.1fs", exc, delay)
                self._retry_own_pending()
                stop.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            except TRANSIENT as exc:
                self.report.broker_outages += 1
                log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
                self._retry_own_pending()
                stop.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                log.warning("consumer group missing (Redis lost its data?); recreating it")
                ensure_group(self.client, self.config)
                continue
            if exit_when_idle and handled == 0 and self._group_idle():
                break
        return self.report

    def _heartbeat(self, stop: threading.Event) -> None:
        """Keep the entries in hand ours while a slow batch runs (XCLAIM JUSTID resets their idle time without
        counting a delivery), so that only the entries of a dead worker are ever claimed by others."""
        interval = max(self.config.claim_idle_ms / 4000, 0.05)
        while not stop.wait(interval):
            with self._hand_lock:
                ids = list(self._in_hand)
            if not ids:
                continue
            try:
                self.client.xclaim(self.config.stream, self.config.group, self.consumer, min_idle_time=0,
                                   message_ids=ids, justid=True)
            except redis.RedisError as exc:  # the main loop sees the outage too and handles it
                log.debug("heartbeat failed: %s", exc)

    def step(self) -> int:
        """One round: own leftovers, then claims of dead workers' entries, then new entries. Returns entries."""
        handled = 0
        if self._own_pending:
            entries = self._read(self._own_cursor)
            if entries:
                self._own_cursor = entries[-1].id.decode()
                # after an outage the delivery counts grew by our own retries, not by crashes: one batch
                deliveries = {} if self._outage_retry else self._deliveries(entries)
                self._handle(entries, deliveries)
                return len(entries)
            self._own_pending = self._outage_retry = False
        now = self._clock()
        if now >= self._next_claim:
            handled += self._claim()
            self._next_claim = now + self.config.claim_idle_ms / 4000  # a few looks per idle period
        if handled == 0:
            entries = self._read(">")
            if entries:
                self._handle(entries, {})
                handled += len(entries)
        if now >= self._next_trim:
            trim_acknowledged(self.client, self.config)
            self._next_trim = now + 1.0
        return handled

    def _retry_own_pending(self) -> None:
        self._own_pending, self._outage_retry, self._own_cursor = True, True, "0"

    def _read(self, start: str) -> list[Entry]:
        reply = self.client.xreadgroup(self.config.group, self.consumer, {self.config.stream: start},
                                       count=self.batch_size, block=self.block_ms if start == ">" else None)
        if not reply:
            return []
        entries = [Entry(eid, fields) for eid, fields in reply[0][1] if fields]
        gone = [eid for eid, fields in reply[0][1] if not fields]
        if gone:  # pending entries whose data was deleted from the stream: nothing left to process
            self.client.xack(self.config.stream, self.config.group, *gone)
            if not entries and start != ">":
                self._own_cursor = gone[-1].decode()
                return self._read(self._own_cursor)
        return entries

    def _claim(self) -> int:
        reply = self.client.xautoclaim(self.config.stream, self.config.group, self.consumer,
                                       min_idle_time=self.config.claim_idle_ms, start_id=self._claim_cursor,
                                       count=self.batch_size)
        cursor, claimed = reply[0], reply[1]
        self._claim_cursor = cursor.decode() if isinstance(cursor, bytes) else str(cursor)
        entries = [Entry(eid, fields) for eid, fields in claimed if fields is not None]
        if not entries:
            return 0
        self.report.claimed += len(entries)
        log.info("claimed %d entries idle for over %d ms", len(entries), self.config.claim_idle_ms)
        self._handle(entries, self._deliveries(entries))
        return len(entries)

    def _deliveries(self, entries: list[Entry]) -> dict[bytes, int]:
        rows = self.client.xpending_range(self.config.stream, self.config.group, min=entries[0].id,
                                          max=entries[-1].id, count=len(entries) * 2, consumername=self.consumer)
        return {r["message_id"]: int(r["times_delivered"]) for r in rows}

    def _group_idle(self) -> bool:
        """Nothing pending in the group and everything in the stream delivered."""
        pipe = self.client.pipeline(transaction=True)
        pipe.xpending(self.config.stream, self.config.group)
        pipe.xinfo_groups(self.config.stream)
        pipe.xinfo_stream(self.config.stream)
        summary, groups, stream = pipe.execute()
        group = next(g for g in groups if g["name"] in (self.config.group, self.config.group.encode()))
        return int(summary["pending"]) == 0 and group["last-delivered-id"] == stream["last-generated-id"]

    # -- processing ------------------------------------------------------------------------------------------
    def _handle(self, entries: list[Entry], deliveries: dict[bytes, int]) -> None:
        """Process entries in chunks whose size shrinks with how often they were delivered without an ack."""
        self.report.batches += 1
        self.report.entries += len(entries)
        with self._hand_lock:
            self._in_hand = [e.id for e in entries]
        try:
            self._handle_chunks(entries, deliveries)
        finally:
            with self._hand_lock:
                self._in_hand = []

    def _handle_chunks(self, entries: list[Entry], deliveries: dict[bytes, int]) -> None:
        by_size: dict[int, list[Entry]] = {}
        for entry in entries:
            by_size.setdefault(self._chunk_size(deliveries.get(entry.id, 1)), []).append(entry)
        for size, group in sorted(by_size.items(), reverse=True):
            if size == 1:
                for entry in group:
                    self._process_alone(entry)
            else:
                for i in range(0, len(group), size):
                    self._process_batch(group[i:i + size])

    def _chunk_size(self, deliveries: int) -> int:
        """Whole batches for the first two deliveries, then quarters: 500 -> 125 -> 31 -> 7 -> 1.

        A worker dying with a batch does not say which entry killed it (if any: most deaths are deploys, OOM
        kills, machines lost). Narrowing by quarters finds a process-killing entry in a few more deaths, while a
        healthy entry is only ever processed alone (where deaths are counted against it) after five batches or
        chunks holding it died in a row.
        """
        if deliveries < SUSPECT_DELIVERIES:
            return self.batch_size
        return max(1, self.batch_size >> (2 * (deliveries - SUSPECT_DELIVERIES + 1)))

    def _decode(self, entries: list[Entry]) -> list[tuple[Entry, Message | Reject]]:
        out = []
        for entry in entries:
            if entry.size > self.config.max_message_bytes:
                self._dead_letter(entry, f"entry of {entry.size:,} bytes exceeds max_message_bytes "
                                         f"{self.config.max_message_bytes:,}", crashes=0)
                continue
            try:
                out.append((entry, decode_entry(entry)))
            except ValueError as exc:  # retrying cannot fix an undecodable entry
                self._dead_letter(entry, str(exc), crashes=0)
        return out

    def _process_batch(self, entries: list[Entry]) -> None:
        decoded = self._decode(entries)
        if not decoded:
            return
        try:
            self._store([item for _, item in decoded])
        except StageContractError:
            raise  # a bug in a stage: fail loudly, the entries stay pending for a fixed worker
        except Exception as exc:
            if not self._store_alive():
                raise _StoreDown(str(exc)) from exc
            log.warning("batch of %d failed (%s: %s); retrying its entries one by one", len(decoded),
                        type(exc).__name__, exc)
            for entry, _ in decoded:
                self._process_alone(entry)
            return
        self._ack([e.id for e, _ in decoded])

    def _process_alone(self, entry: Entry) -> None:
        """Process one entry with its crash counter raised first (a death here is blamed on it)."""
        cfg = self.config
        attempt = int(self.client.hincrby(cfg.crashes_key, entry.id, 1))
        if attempt > cfg.max_crashes:
            if self._already_stored(entry):  # the deaths came after its commit, before its acknowledgement
                self._ack([entry.id])
                return
            last = self.client.hget(cfg.errors_key, entry.id)
            error = last.decode("utf-8", "replace") if last else "the worker died while processing it"
            self._dead_letter(entry, f"crashed a worker {attempt - 1} times when processed alone; last error: "
                                     f"{error}", crashes=attempt - 1)
            return
        decoded = self._decode([entry])
        if not decoded:
            return
        try:
            self._store([decoded[0][1]])
        except StageContractError:
            raise
        except Exception as exc:
            if not self._store_alive():
                self.client.hincrby(cfg.crashes_key, entry.id, -1)  # an outage, not this entry's fault
                raise _StoreDown(str(exc)) from exc
            error = f"{type(exc).__name__}: {exc}"
            log.warning("entry %s failed alone (attempt %d of %d): %s", entry.id.decode(), attempt,
                        cfg.max_crashes, error)
            if attempt >= cfg.max_crashes:
                self._dead_letter(entry, error, crashes=attempt)
            else:  # left pending: retried after claim_idle_ms, by whichever worker claims it
                self.client.hset(cfg.errors_key, entry.id, error)
            return
        self._ack([entry.id])

    def _store(self, items: list[Message | Reject]) -> None:
        messages = [m for m in items if isinstance(m, Message)]
        rejects = [r for r in items if isinstance(r, Reject)]
        if messages:
            if self.stages:
                # the store goes along for stages that keep shared state in it (near-duplicate clusters)
                messages = run_stages(messages, self.stages, self.report.stage_failures, store=self.store)
            result = self.store.write_messages(messages)
            self.report.stored += result.stored
            self.report.duplicates += result.duplicates
        if rejects:
            self.store.write_rejects(rejects)
            self.report.rejects += len(rejects)
        if messages and self.on_batch is not None:
            self.on_batch(messages)

    def _already_stored(self, entry: Entry) -> bool:
        try:
            item = decode_entry(entry)
            return isinstance(item, Message) and bool(self.store.query("SELECT 1 FROM messages WHERE id = ?",
                                                                       (item.id,)))
        except Exception:
            return False

    def _store_alive(self) -> bool:
        try:
            self.store.query("SELECT 1")
            return True
        except Exception:
            return False

    def _ack(self, ids: list[bytes]) -> None:
        cfg = self.config
        pipe = self.client.pipeline(transaction=True)
        pipe.xack(cfg.stream, cfg.group, *ids)
        pipe.hdel(cfg.crashes_key, *ids)
        pipe.hdel(cfg.errors_key, *ids)
        pipe.execute()

    def _dead_letter(self, entry: Entry, error: str, *, crashes: int) -> None:
        cfg = self.config
        data = entry.fields.get(b"d", b"")
        message_id = ""
        try:
            decoded = decode_entry(entry)
            message_id = decoded.id if isinstance(decoded, Message) else f"reject:{decoded.file}"
        except ValueError:
            pass
        if len(data) > cfg.max_message_bytes:
            data = data[:65_536]  # keep a sample of an oversized entry, not a second copy of it
        log.error("dead-lettering entry %s (%s): %s", entry.id.decode(), message_id or "?", error)
        pipe = self.client.pipeline(transaction=True)
        pipe.xadd(cfg.dead_stream, {b"original_id": entry.id, b"message_id": message_id, b"error": error[:2000],
                                    b"crashes": str(crashes), b"consumer": self.consumer, b"at": now_text(),
                                    b"k": entry.fields.get(b"k", b"m"), b"d": data})
        pipe.xack(cfg.stream, cfg.group, entry.id)
        pipe.hdel(cfg.crashes_key, entry.id)
        pipe.hdel(cfg.errors_key, entry.id)
        pipe.execute()
        self.report.dead_lettered += 1
