"""What the server holds while it runs: the store (one writer, a pool of readers), the clock, a short cache.

SQLite in WAL mode lets readers run beside the writer; one store object serialises everything it does behind
a lock, so the server keeps a small pool of read-only stores (each its own connection) for concurrent reads
and one store for writes. The response cache keeps an answer for ``cache_seconds`` and is invalidated when
the live pipeline writes (``generation``), so a dashboard polled by many people costs one query per second.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ..store import Store, open_store
from .facets import AreaMatcher, known_areas
from .settings import Settings

__all__ = ["Clock", "ResponseCache", "ServeState"]

Clock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(UTC)


class ResponseCache:
    """A small TTL cache keyed by request, dropped whole when new data arrives."""

    def __init__(self, ttl: float, max_entries: int = 2048) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: dict[Any, tuple[float, int, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, generation: int) -> Any | None:
        """The cached value, if fresh and from this data generation."""
        if self.ttl <= 0:
            return None
        with self._lock:
            hit = self._data.get(key)
        if hit is None or hit[1] != generation or time.monotonic() - hit[0] > self.ttl:
            return None
        return hit[2]

    def put(self, key: Any, generation: int, value: Any) -> None:
        """Remember ``value`` for ``key``."""
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()
            self._data[key] = (time.monotonic(), generation, value)


class ServeState:
    """The server's shared state (one per app).

    Args:
        store_url: the database.
        settings: resolved settings.
        now: the clock (tests and the demo replay pass their own).
    """

    def __init__(self, store_url: str, settings: Settings, *, now: Clock | None = None) -> None:
        self.store_url = store_url
        self.settings = settings
        self.now: Clock = now or _system_clock
        self.writer: Store = open_store(store_url)
        self._memory = store_url in (":memory:", "") or store_url.endswith("/:memory:")
        self._readers: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened: list[Store] = []
        self._pool_lock = threading.Lock()
        self.cache = ResponseCache(settings.cache_seconds)
        self.generation = 0
        self.started = time.time()
        self.counters: dict[str, int] = {}
        self._areas: AreaMatcher | None = None
        self._areas_at = 0.0
        self.live: Any = None  # the live follower when `vigil run` follows sources
        self.pipeline: Any = None  # the live pipeline (stages, store, index, watchers)
        # set only by in-process requests (`vigil serve --get --as USER`), never by a network server
        self.local_principal: Any = None

    def bump(self) -> None:
        """New data arrived: cached answers are stale."""
        self.generation += 1

    def count(self, name: str, n: int = 1) -> None:
        """Increment a metric counter."""
        self.counters[name] = self.counters.get(name, 0) + n

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A store for reads, from the pool (the writer itself for in-memory databases)."""
        if self._memory:
            yield self.writer
            return
        try:
            store = self._readers.get_nowait()
        except queue.Empty:
            with self._pool_lock:
                store = open_store(self.store_url, migrate=False)
                self._opened.append(store)
        try:
            yield store
        finally:
            if self._readers.qsize() < self.settings.read_connections:
                self._readers.put(store)
            else:
                with self._pool_lock:
                    self._opened.remove(store)
                store.close()

    def areas(self) -> AreaMatcher:
        """The area matcher, refreshed from the watch-list at most once a minute."""
        if self._areas is None or time.monotonic() - self._areas_at > 60:
            self._areas = AreaMatcher(known_areas(self.writer, self.settings.areas))
            self._areas_at = time.monotonic()
        return self._areas

    def close(self) -> None:
        """Close every store."""
        with self._pool_lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        self.writer.close()
