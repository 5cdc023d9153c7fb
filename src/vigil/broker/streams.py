"""The Redis side shared by producers and workers: configuration, the entry codec, trimming, dead letters.

Layout in Redis, for a stream named ``S`` (default ``vigil:messages``)::

    S               the stream of entries {k: "m"|"r", d: JSON}; k=m a Message, k=r a Reject (quarantine)
    S (group G)     the consumer group the workers read through (default ``vigil-workers``)
    S:dead          the dead-letter stream: poison entries with the error, never trimmed by vigil
    S:crashes       hash entry-id -> times a worker processing that entry alone crashed or failed
    S:errors        hash entry-id -> the last error seen for it

The stream is bounded by *trimming acknowledged entries only* (``XTRIM MINID`` below the oldest entry that
any group still needs) plus the producer's backpressure policy: nothing is ever trimmed before every group
has acknowledged it, so a full stream slows the producer down instead of losing messages.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
import redis

from ..errors import BrokerError
from ..message import Message, Reject, format_ts

__all__ = ["DEFAULT_STREAM", "BrokerConfig", "DeadLetter", "Entry", "connect", "dead_letters", "decode_entry",
           "encode_message", "encode_reject", "ensure_group", "requeue_dead_letter", "stream_info",
           "trim_acknowledged"]

DEFAULT_STREAM = "vigil:messages"
T = TypeVar("T")
TRANSIENT = (redis.ConnectionError, redis.TimeoutError)  # BusyLoadingError (AOF replay) is a ConnectionError


@dataclass(frozen=True)
class BrokerConfig:
    """Names and limits shared by producers and workers (they must agree on them).

    Attributes:
        stream: the stream key.
        group: the consumer group of the workers.
        max_backlog: the bound on entries held in the stream (delivered-but-unacknowledged plus not yet
            delivered); producers apply their backpressure policy beyond it.
        max_message_bytes: the largest encoded entry; producers quarantine larger messages as rejects,
            workers dead-letter larger entries.
        claim_idle_ms: how long an entry may stay unacknowledged with its worker before another worker
            claims it (XAUTOCLAIM). Longer than the slowest batch, or live workers get their entries taken.
        max_crashes: a message that crashed (or failed) a worker this many times while processed alone is
            moved to the dead-letter stream.
    """

    stream: str = DEFAULT_STREAM
    group: str = "vigil-workers"
    max_backlog: int = 100_000
    max_message_bytes: int = 1_048_576
    claim_idle_ms: int = 30_000
    max_crashes: int = 2

    @property
    def dead_stream(self) -> str:
        return f"{self.stream}:dead"

    @property
    def crashes_key(self) -> str:
        return f"{self.stream}:crashes"

    @property
    def errors_key(self) -> str:
        return f"{self.stream}:errors"


def connect(url: str) -> redis.Redis:
    """A Redis client for ``redis://host:port/db`` (or ``rediss://``), checked with a PING.

    Raises:
        BrokerError: the URL is not a Redis URL or the server does not answer.
    """
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise BrokerError(f"--broker must be a Redis URL like redis://host:6379/0, got {url!r}")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=30)
        client.ping()
    except redis.RedisError as exc:
        raise BrokerError(f"cannot reach Redis at {_redact(url)}: {exc}; is redis-server running there?") from None
    return client


def ensure_group(client: redis.Redis, config: BrokerConfig) -> None:
    """Create the stream and its consumer group if missing, reading from the very first entry.

    Producers call it too, so entries published before any worker started are kept for the group.
    """
    r: Any = client  # redis-py's annotations cover its asyncio flavour too; results are plain here
    try:
        r.xgroup_create(config.stream, config.group, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


@dataclass(frozen=True)
class Entry:
    """One stream entry as read back: its stream id and the raw fields."""

    id: bytes
    fields: Mapping[bytes, bytes]

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.fields.values())


def encode_message(msg: Message) -> bytes:
    """The JSON payload of a message (every field, ``raw`` included)."""
    return orjson.dumps({
        "id": msg.id, "source": msg.source, "format": msg.format, "native_id": msg.native_id,
        "created_at": format_ts(msg.created_at), "text": msg.text, "author": msg.author,
        "author_name": msg.author_name, "title": msg.title, "lang": msg.lang, "reply_to": msg.reply_to,
        "forward_of": msg.forward_of, "retweet_of": msg.retweet_of, "quote_of": msg.quote_of, "url": msg.url,
        "labels": dict(msg.labels), "raw": msg.raw, "enrichments": dict(msg.enrichments),
    }, default=str)


def encode_reject(rej: Reject, max_raw: int | None = None) -> bytes:
    """The JSON payload of a reject; ``raw`` is cut to ``max_raw`` bytes when given."""
    raw = rej.raw if max_raw is None else rej.raw[:max_raw]
    return orjson.dumps({"file": rej.file, "reason": rej.reason, "line": rej.line, "offset": rej.offset,
                         "format": rej.format, "at": format_ts(rej.at), "raw": base64.b64encode(raw).decode()})


def decode_entry(entry: Entry) -> Message | Reject:
    """The Message or Reject an entry carries.

    Raises:
        ValueError: the entry is not a vigil entry (unknown kind, broken JSON, missing fields).
    """
    kind = entry.fields.get(b"k")
    data = entry.fields.get(b"d")
    if data is None or kind not in (b"m", b"r"):
        raise ValueError(f"not a vigil entry (fields {sorted(k.decode(errors='replace') for k in entry.fields)})")
    try:
        obj = orjson.loads(data)
        if kind == b"r":
            return Reject(file=obj["file"], reason=obj["reason"], line=obj.get("line"), offset=obj.get("offset"),
                          format=obj.get("format"), raw=base64.b64decode(obj.get("raw", "")),
                          at=datetime.fromisoformat(obj["at"]) if obj.get("at") else datetime.now(UTC))
        return Message(id=obj["id"], source=obj["source"], format=obj["format"], native_id=obj["native_id"],
                       created_at=datetime.fromisoformat(obj["created_at"]), text=obj["text"],
                       author=obj.get("author") or "", author_name=obj.get("author_name") or "",
                       title=obj.get("title"), lang=obj.get("lang"), reply_to=obj.get("reply_to"),
                       forward_of=obj.get("forward_of"), retweet_of=obj.get("retweet_of"),
                       quote_of=obj.get("quote_of"), url=obj.get("url"), labels=obj.get("labels") or {},
                       raw=obj.get("raw") or "", enrichments=obj.get("enrichments") or {})
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"undecodable {'reject' if kind == b'r' else 'message'} entry: "
                         f"{type(exc).__name__}: {exc}") from None


def trim_acknowledged(client: redis.Redis, config: BrokerConfig) -> int:
    """Delete the entries every consumer group has acknowledged; return how many went.

    The cut is the oldest entry any group still needs: its oldest pending entry, or the first entry after
    its last delivered one. Both only move forward, so the cut computed here stays safe while others work.
    Without any group nothing is trimmed (nobody has read anything yet).
    """
    r: Any = client  # redis-py's annotations cover its asyncio flavour too; results are plain here
    groups = r.xinfo_groups(config.stream)
    if not groups:
        return 0
    pipe = r.pipeline(transaction=True)
    for g in groups:
        pipe.xpending(config.stream, g["name"])
    summaries = pipe.execute()
    cut: tuple[int, int] | None = None
    for g, summary in zip(groups, summaries, strict=True):
        need = _next_id(_parse_id(g["last-delivered-id"]))
        if summary["pending"]:
            need = min(need, _parse_id(summary["min"]))
        cut = need if cut is None else min(cut, need)
    if cut is None or cut <= (0, 1):
        return 0
    return int(r.xtrim(config.stream, minid=f"{cut[0]}-{cut[1]}", approximate=False))


def stream_info(client: redis.Redis, config: BrokerConfig) -> dict[str, Any]:
    """Length, pending, consumers and dead letters of the stream (for ``vigil worker --status``, the API)."""
    r: Any = client  # redis-py's annotations cover its asyncio flavour too; results are plain here
    length = int(r.xlen(config.stream))
    info: dict[str, Any] = {"stream": config.stream, "length": length, "max_backlog": config.max_backlog,
                            "dead_letters": int(r.xlen(config.dead_stream)), "groups": []}
    try:
        groups = r.xinfo_groups(config.stream)
    except redis.ResponseError:
        groups = []
    for g in groups:
        info["groups"].append({"name": _text(g["name"]), "consumers": int(g["consumers"]),
                               "pending": int(g["pending"]), "lag": g.get("lag"),
                               "last_delivered": _text(g["last-delivered-id"])})
    return info


@dataclass(frozen=True)
class DeadLetter:
    """A poison entry moved out of the stream, with why."""

    entry_id: str
    original_id: str
    message_id: str
    error: str
    crashes: int
    consumer: str
    at: str
    payload: bytes

    def to_dict(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "original_id": self.original_id, "message_id": self.message_id,
                "error": self.error, "crashes": self.crashes, "consumer": self.consumer, "at": self.at,
                "size": len(self.payload), "preview": self.payload[:300].decode("utf-8", "replace")}


def dead_letters(client: redis.Redis, config: BrokerConfig, *, limit: int = 100) -> list[DeadLetter]:
    """The dead-letter stream, oldest first (at most ``limit``)."""
    r: Any = client  # redis-py's annotations cover its asyncio flavour too; results are plain here
    out = []
    for entry_id, fields in r.xrange(config.dead_stream, count=limit):
        f = {k.decode(): v for k, v in fields.items()}
        out.append(DeadLetter(entry_id=_text(entry_id), original_id=_text(f.get("original_id", b"")),
                              message_id=_text(f.get("message_id", b"")), error=_text(f.get("error", b"")),
                              crashes=int(f.get("crashes", b"0") or 0), consumer=_text(f.get("consumer", b"")),
                              at=_text(f.get("at", b"")), payload=f.get("d", b"")))
    return out


def requeue_dead_letter(client: redis.Redis, config: BrokerConfig, entry_id: str) -> str:
    """Put a dead letter back on the stream (after a fix) and remove it from the dead-letter stream.

    Returns the new entry id. Raises :class:`BrokerError` when there is no such dead letter.
    """
    r: Any = client  # redis-py's annotations cover its asyncio flavour too; results are plain here
    found = r.xrange(config.dead_stream, min=entry_id, max=entry_id)
    if not found:
        raise BrokerError(f"no dead letter {entry_id!r} in {config.dead_stream}; list them with `vigil dead-letters`")
    fields = found[0][1]
    pipe = r.pipeline(transaction=True)
    pipe.xadd(config.stream, {b"k": fields.get(b"k", b"m"), b"d": fields.get(b"d", b"")})
    pipe.xdel(config.dead_stream, entry_id)
    new_id, _ = pipe.execute()
    return _text(new_id)


def retrying(what: str, fn: Callable[[], T], *, timeout: float, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> T:
    """Run ``fn`` until Redis answers (restart, AOF loading, failover), for up to ``timeout`` seconds."""
    deadline = clock() + timeout
    delay = 0.05
    while True:
        try:
            return fn()
        except TRANSIENT as exc:
            if clock() + delay > deadline:
                raise BrokerError(f"{what}: Redis unavailable for {timeout:.0f}s ({exc})") from None
            sleep(delay)
            delay = min(delay * 2, 1.0)


def now_text() -> str:
    return format_ts(datetime.now(UTC))


def _parse_id(value: bytes | str) -> tuple[int, int]:
    ms, _, seq = _text(value).partition("-")
    return int(ms), int(seq or 0)


def _next_id(parts: tuple[int, int]) -> tuple[int, int]:
    return parts[0], parts[1] + 1


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _redact(url: str) -> str:
    import re

    return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)
