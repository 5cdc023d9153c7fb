"""Publishing: read inputs with vigil's readers and put each record on the Redis stream.

Backpressure policy (the stream is bounded by :attr:`BrokerConfig.max_backlog`; nothing is ever dropped):

* ``block`` (default): when the stream holds ``max_backlog`` entries that workers have not acknowledged yet,
  the producer waits (polling, backing off to 1 s) until workers catch up. With ``block_timeout`` it gives
  up after that many seconds with a :class:`~vigil.errors.BrokerError` that says how much was published;
  re-running the same publish is harmless (storage is idempotent by message id).
* ``spill``: the producer keeps reading and appends what does not fit to a local spill file (JSON lines),
  then feeds the spill back into the stream, oldest first, as room appears; at the end of a publish it waits
  (as ``block`` does) for the spill to drain. A spill left by a killed producer is drained by the next
  :class:`Publisher` opened on the same spill file. Use it where the source cannot wait (a live feed).

The bound is approximate by at most one batch per concurrent producer (each checks, then adds a batch).

Max message size: a message whose encoded entry exceeds ``max_message_bytes`` is not published; it becomes a
:class:`~vigil.message.Reject` (with the start of the entry as raw bytes) that *is* published, so workers
quarantine it in the store, visible in ``vigil rejects``.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import redis

from ..errors import BrokerError, UnknownFormatError, UsageError
from ..message import Message, Reject
from ..readers import iter_input_files, open_binary, read_stream
from .streams import BrokerConfig, connect, encode_message, encode_reject, ensure_group, retrying, trim_acknowledged

__all__ = ["Policy", "PublishReport", "Publisher", "publish_paths"]

Policy = Literal["block", "spill"]
REJECT_RAW_BYTES = 65_536  # how much of an oversized message (or a bad record) travels as its reject's raw bytes


@dataclass
class PublishReport:
    """What a publish did. ``read == messages + rejects + oversized``; every one of them reached the stream
    (or, with ``spill``, the spill file: ``spill_pending`` of them are still there)."""

    read: int = 0
    messages: int = 0
    rejects: int = 0
    oversized: int = 0
    published: int = 0
    spilled: int = 0
    spill_pending: int = 0
    waited_s: float = 0.0
    files: int = 0
    by_format: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil publish --json`` contract."""
        return {"read": self.read, "messages": self.messages, "rejects": self.rejects, "oversized": self.oversized,
                "published": self.published, "spilled": self.spilled, "spill_pending": self.spill_pending,
                "waited_s": round(self.waited_s, 3), "files": self.files, "by_format": dict(self.by_format)}


class Publisher:
    """Puts Messages (and Rejects) on the stream in pipelined batches, honouring the backpressure policy.

    Args:
        broker: a Redis URL or client.
        config: stream names and limits (shared with the workers).
        policy: ``"block"`` or ``"spill"`` (see the module docstring).
        spill_path: the spill file (required for ``spill``).
        block_timeout: seconds to wait for room before raising; ``None`` waits as long as it takes.
        broker_timeout: seconds to keep retrying while Redis is unreachable (restart, failover).
        batch_size: entries per pipelined round trip.

    Example:
        >>> with Publisher("redis://127.0.0.1:6379/0") as pub:  # doctest: +SKIP
        ...     pub.publish(messages)
        ...     pub.finish()
    """

    def __init__(self, broker: str | redis.Redis, config: BrokerConfig | None = None, *, policy: Policy = "block",
                 spill_path: str | Path | None = None, block_timeout: float | None = None,
                 broker_timeout: float = 60.0, batch_size: int = 500,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        if policy not in ("block", "spill"):
            raise UsageError(f"unknown backpressure policy {policy!r}: use block or spill")
        if policy == "spill" and spill_path is None:
            raise UsageError("the spill policy needs a spill file (--spill PATH)")
        self.config = config or BrokerConfig()
        self._own_client = isinstance(broker, str)
        # Any: redis-py's annotations cover its asyncio flavour too; with this client results are plain values
        self.client: Any = connect(broker) if isinstance(broker, str) else broker
        self.policy = policy
        self.block_timeout = block_timeout
        self.broker_timeout = broker_timeout
        self.batch_size = batch_size
        self.report = PublishReport()
        self._sleep = sleep
        self._clock = clock
        self._spill = _Spill(Path(spill_path)) if spill_path is not None else None
        self._redis("create the consumer group", lambda: ensure_group(self.client, self.config))

    # -- public ----------------------------------------------------------------------------------------------
    def publish(self, items: Iterable[Message | Reject], *, origin: str | None = None) -> PublishReport:
        """Publish messages and rejects (``origin``: the file they came from, for oversize rejects)."""
        batch: list[tuple[bytes, bytes]] = []
        for item in items:
            batch.append(self._encode(item, origin))
            if len(batch) >= self.batch_size:
                self._send(batch)
                batch = []
        if batch:
            self._send(batch)
        return self.report

    def finish(self) -> PublishReport:
        """Wait for the spill file (if any) to drain into the stream, within ``block_timeout``."""
        if self._spill is not None:
            while self._spill.pending:
                self._drain_spill(block=True)
            self.report.spill_pending = 0
        return self.report

    def close(self) -> None:
        if self._spill is not None:
            self.report.spill_pending = self._spill.pending
            self._spill.close()
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------------------------------
    def _encode(self, item: Message | Reject, origin: str | None) -> tuple[bytes, bytes]:
        r = self.report
        r.read += 1
        limit = self.config.max_message_bytes
        if isinstance(item, Reject):
            r.rejects += 1
            return b"r", encode_reject(item, max_raw=min(REJECT_RAW_BYTES, limit // 2))
        data = encode_message(item)
        if len(data) + 8 > limit:
            r.oversized += 1
            reject = Reject(file=origin or item.source, format=item.format, raw=data[:REJECT_RAW_BYTES],
                            reason=f"message {item.id} is {len(data):,} bytes, over the broker limit of {limit:,} "
                                   f"(max_message_bytes); ingest this input directly with `vigil ingest --db ...`")
            return b"r", encode_reject(reject, max_raw=min(REJECT_RAW_BYTES, limit // 2))
        r.messages += 1
        r.by_format[item.format] += 1
        return b"m", data

    def _send(self, batch: list[tuple[bytes, bytes]]) -> None:
        if self._spill is not None and self._spill.pending:
            self._drain_spill(block=False)
        if self._spill is not None and self._spill.pending:
            self._spill.append(batch)  # keep the order: older spilled entries go first
            self.report.spilled += len(batch)
            return
        if not self._room(len(batch), block=self.policy == "block"):
            assert self._spill is not None
            self._spill.append(batch)
            self.report.spilled += len(batch)
            return
        self._xadd(batch)

    def _xadd(self, batch: Sequence[tuple[bytes, bytes]]) -> None:
        def send() -> None:
            pipe = self.client.pipeline(transaction=False)
            for kind, data in batch:
                pipe.xadd(self.config.stream, {b"k": kind, b"d": data})
            pipe.execute()

        # a pipeline cut by a Redis restart may have added part of the batch: sending it again duplicates those
        # entries in the stream, which the idempotent store absorbs (at-least-once, never less)
        self._redis("publish", send)
        self.report.published += len(batch)

    def _room(self, n: int, *, block: bool) -> bool:
        """True when ``n`` more entries fit under the bound; with ``block``, wait until they do."""
        limit = self.config.max_backlog
        started = self._clock()
        delay = 0.02
        while True:
            length = self._redis("check the stream length", lambda: int(self.client.xlen(self.config.stream)))
            if length + n <= limit or length == 0:  # an empty stream takes any batch, even one over the bound
                self.report.waited_s += self._clock() - started
                return True
            trimmed = self._redis("trim the stream", lambda: trim_acknowledged(self.client, self.config))
            if trimmed and length - trimmed + n <= limit:
                self.report.waited_s += self._clock() - started
                return True
            if not block:
                return False
            waited = self._clock() - started
            if self.block_timeout is not None and waited >= self.block_timeout:
                self.report.waited_s += waited
                raise BrokerError(
                    f"stream {self.config.stream} stayed full ({length:,} unacknowledged entries, max_backlog "
                    f"{limit:,}) for {waited:.0f}s: are workers running (`vigil worker --broker ...`)? Nothing was "
                    f"dropped: {self.report.published:,} entries were published; publishing the same input again "
                    f"is harmless")
            self._sleep(delay)
            delay = min(delay * 2, 1.0)

    def _drain_spill(self, *, block: bool) -> None:
        assert self._spill is not None
        while self._spill.pending:
            chunk = self._spill.peek(self.batch_size)
            if not self._room(len(chunk), block=block):
                return
            self._xadd(chunk)
            self._spill.consume(len(chunk))

    def _redis(self, what: str, fn: Callable[[], Any]) -> Any:
        return retrying(what, fn, timeout=self.broker_timeout, sleep=self._sleep, clock=self._clock)


class _Spill:
    """An append-only file of entries (``kind SP json NL``) with a read offset kept beside it.

    The offset is saved after each drained chunk: a producer killed mid-drain re-sends at most one chunk
    (duplicates, absorbed by the idempotent store). When everything is drained both files are truncated.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset_path = path.with_name(path.name + ".offset")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fp = open(path, "a+b")  # noqa: SIM115 - kept open for the publisher's life
        self._offset = int(self.offset_path.read_text() or 0) if self.offset_path.exists() else 0
        self.pending = self._count_pending()
        self._peeked: list[tuple[bytes, bytes]] = []
        self._peeked_bytes = 0

    def _count_pending(self) -> int:
        self._fp.seek(self._offset)
        return sum(1 for line in self._fp if line.endswith(b"\n"))

    def append(self, batch: Sequence[tuple[bytes, bytes]]) -> None:
        self._fp.seek(0, os.SEEK_END)
        self._fp.write(b"".join(kind + b" " + data + b"\n" for kind, data in batch))
        self._fp.flush()
        self.pending += len(batch)

    def peek(self, n: int) -> list[tuple[bytes, bytes]]:
        self._fp.seek(self._offset)
        out, size = [], 0
        for line in self._fp:
            if not line.endswith(b"\n"):
                break  # a torn last line of a killed producer: its entries are re-read from the input anyway
            kind, _, data = line.rstrip(b"\n").partition(b" ")
            out.append((kind, data))
            size += len(line)
            if len(out) >= n:
                break
        self._peeked, self._peeked_bytes = out, size
        return out

    def consume(self, n: int) -> None:
        assert n == len(self._peeked)
        self._offset += self._peeked_bytes
        self.pending -= n
        if self.pending <= 0:
            self.pending = 0
            self._fp.truncate(0)
            self._offset = 0
        self.offset_path.write_text(str(self._offset))

    def close(self) -> None:
        self._fp.close()


def publish_paths(paths: Sequence[str], broker: str | redis.Redis, *, fmt: str = "auto", source: str | None = None,
                  config: BrokerConfig | None = None, policy: Policy = "block", spill_path: str | Path | None = None,
                  block_timeout: float | None = None, batch_size: int = 500,
                  progress: Callable[[str, int], None] | None = None) -> PublishReport:
    """Read files, directories or ``-`` like ``vigil ingest`` does, and publish every record to the stream.

    Workers (``vigil worker``) enrich and store them. Bad records are published as rejects, so they are
    quarantined in the store as with a direct ingest. A file named explicitly in an unknown format raises
    :class:`~vigil.errors.UnknownFormatError` before anything of it is published.

    Args:
        paths: files, directories or ``-``.
        broker: Redis URL or client.
        fmt: ``"auto"`` or a reader name.
        source: overrides the source part of message ids.
        config: stream names and limits.
        policy: backpressure policy, ``"block"`` or ``"spill"``.
        spill_path: spill file for ``"spill"``.
        block_timeout: seconds to wait for room before giving up (``None``: no limit).
        batch_size: entries per round trip.
        progress: called as ``progress(file, records_read_so_far)`` after each file.

    Example:
        >>> publish_paths(["examples/siege/data"], "redis://127.0.0.1:6379/0")  # doctest: +SKIP
        PublishReport(read=..., messages=..., ...)
    """
    explicit = set(paths)
    with Publisher(broker, config, policy=policy, spill_path=spill_path, block_timeout=block_timeout,
                   batch_size=batch_size) as pub:
        for path in iter_input_files(list(paths)):
            with open_binary(path) as fp:
                try:
                    _spec, records = read_stream(fp, path, fmt=fmt, source=source)
                    pub.publish(records, origin=path)
                except UnknownFormatError as exc:
                    if path in explicit:
                        raise
                    pub.publish([Reject(file=path, reason=str(exc))], origin=path)
            pub.report.files += 1
            if progress is not None:
                progress(path, pub.report.read)
        pub.finish()
        return pub.report
