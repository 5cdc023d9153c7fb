"""The live pipeline: what happens to every batch of messages that reaches ``vigil run``.

Whether a batch comes from a followed file, a polled feed, ``POST /api/ingest`` or the demo replay, it goes
through the same steps: every default enrichment stage, one store transaction, the facet index, then (at most
every ``watch_seconds`` of the clock) every registered watcher, which raises alerts. A failing watcher is
logged and skipped, never fatal to the loop. One lock serialises batches, so steps never interleave.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from ..ingest import IngestReport, ingest_stream
from ..message import Message, Reject
from ..readers import read_stream
from ..stages import run_stages
from ..store import Store
from .envelope import ApiError
from .facets import AreaMatcher, index_pending
from .library import run_watchers

__all__ = ["Pipeline"]

log = logging.getLogger("vigil.serve.pipeline")


class Pipeline:
    """Runs stages, stores, indexes and watches; counts what it did.

    Args:
        store: the writer store.
        stages: enrichment stage names, in order.
        areas: returns the current area matcher.
        now: the clock (the replayed time in the demo).
        on_change: called after each stored batch (cache invalidation, live updates).
        watch_seconds: minimum clock time between two watcher runs (0: after every batch).
    """

    def __init__(self, store: Store, *, stages: Sequence[str], areas: Callable[[], AreaMatcher],
                 now: Callable[[], datetime], on_change: Callable[[], None] = lambda: None,
                 watch_seconds: float = 60.0) -> None:
        self.store = store
        self.stages = list(stages)
        self.areas = areas
        self.now = now
        self.on_change = on_change
        self.watch_seconds = watch_seconds
        self.lock = threading.Lock()
        self.stored = 0
        self.duplicates = 0
        self.rejected = 0
        self.alerts = 0
        self.watch_errors = 0
        self.last_batch_at: float | None = None
        self._last_watch: datetime | None = None
        self.landed: dict[str, float] = {}  # message id -> monotonic time stored (benchmarks read it)
        self.track_landing = False
        self.published = 0
        # With a broker (`vigil run --broker`), records go to the Redis stream instead: workers enrich and
        # store them, and this process only indexes what they stored and runs the watchers.
        self.publisher: Any = None

    def use_broker(self, publisher: Any) -> None:
        """Publish every batch through ``publisher`` (a :class:`vigil.broker.Publisher`) instead of storing."""
        self.publisher = publisher

    def ingest_stream(self, fp: BinaryIO, name: str, *, fmt: str = "auto", source: str | None = None) -> IngestReport:
        """Read one stream with the reader for ``fmt`` (or by content) and process its messages."""
        if self.publisher is not None:
            return self._publish_stream(fp, name, fmt=fmt, source=source)
        with self.lock:
            report = ingest_stream(fp, name, self.store, fmt=fmt, source=source, stages=self.stages,
                                   on_batch=self._landed)
            self.duplicates += report.duplicates
            self.rejected += report.rejected
            self._after(report.stored)
        return report

    def ingest_bytes(self, data: bytes, name: str, *, fmt: str = "auto", source: str | None = None) -> IngestReport:
        """Process a pushed body (``POST /api/ingest``)."""
        return self.ingest_stream(io.BytesIO(data), name, fmt=fmt, source=source)

    def process(self, messages: list[Message]) -> int:
        """Process messages already read (the demo replay); return how many were new."""
        if not messages:
            return 0
        if self.publisher is not None:
            with self.lock:
                self.publisher.publish(messages, origin="demo")
                self.published += len(messages)
                self._after(0)
            return 0
        with self.lock:
            enriched = run_stages(messages, self.stages, store=self.store) if self.stages else messages
            result = self.store.write_messages(enriched)
            self._landed(enriched)
            self.duplicates += result.duplicates
            self._after(result.stored)
        return result.stored

    def close(self) -> None:
        """Release the broker connection and spill file (Ctrl-C path); what was published stays published."""
        if self.publisher is not None:
            self.publisher.close()
            self.publisher = None

    def _publish_stream(self, fp: BinaryIO, name: str, *, fmt: str, source: str | None) -> IngestReport:
        report = IngestReport()
        _, records = read_stream(fp, name, fmt=fmt, source=source)
        counted: list[Message | Reject] = []
        for record in records:
            counted.append(record)
            if isinstance(record, Message):
                report.read += 1
                report.by_format[record.format] += 1
            else:
                report.add_rejects([record])
        with self.lock:
            self.publisher.publish(counted, origin=name)
            self.published += len(counted)
            self._after(0)
        return report

    def _landed(self, batch: list[Message]) -> None:
        if self.track_landing:
            t = time.monotonic()
            for m in batch:
                self.landed.setdefault(m.id, t)

    def _after(self, stored: int) -> None:
        self.stored += stored
        self.last_batch_at = time.time()
        index_pending(self.store, self.areas())
        self.watch()
        self.on_change()

    def watch(self, *, force: bool = False) -> int:
        """Run the watchers if ``watch_seconds`` of clock time passed since the last run; return alerts raised."""
        now = self.now()
        if not force and self._last_watch is not None and (now - self._last_watch).total_seconds() < self.watch_seconds:
            return 0
        self._last_watch = now
        try:
            raised = run_watchers(self.store, now=now)
        except ApiError:  # the watcher loop is not in this build: nothing to run
            return 0
        except Exception:  # a broken watcher must not stop ingestion
            self.watch_errors += 1
            log.exception("watchers failed at %s", now)
            return 0
        self.alerts += len(raised)
        return len(raised)

    def stats(self) -> dict[str, Any]:
        """Counters for ``/api/health`` and ``/api/metrics``."""
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected,
                "published": self.published,
                "alerts": self.alerts, "watch_errors": self.watch_errors,
                "last_batch_at": self.last_batch_at}
