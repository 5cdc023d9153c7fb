"""The reader contract and the streaming helpers every reader shares.

A reader is a module with ``NAME``, ``DESCRIPTION``, ``DEFAULT_SOURCE``, ``sniff(head) -> int`` (confidence
0-100 that the input is in its format, from content, not file name alone) and ``read(fp, ctx)`` which yields
:class:`~vigil.message.Message` for good records and :class:`~vigil.message.Reject` for bad ones. Readers
stream: they never hold a whole file, and a bad record never stops the ones after it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

import ijson
import orjson

from ..errors import RecordError
from ..message import Message, Reject
from .jsonguard import DepthGuard

__all__ = [
    "MAX_RAW_BYTES",
    "MAX_RECORD_BYTES",
    "Head",
    "ReadContext",
    "Reader",
    "ReaderSpec",
    "convert_one",
    "convert_records",
    "iter_json_items",
    "iter_jsonl",
    "iter_lines",
    "raw_bytes",
    "require_str",
]

MAX_RECORD_BYTES = 8 * 1024 * 1024  # one JSON line / record larger than this is quarantined, not parsed
MAX_RAW_BYTES = 4096  # how much of a rejected record is kept for audit
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What a reader knows about the input it is reading."""

    path: str
    source: str | None = None
    format: str = ""

    def source_or(self, default: str) -> str:
        return self.source or default

    def reject(self, reason: str, *, line: int | None = None, offset: int | None = None,
               raw: bytes = b"") -> Reject:
        return Reject(file=self.path, reason=reason, line=line, offset=offset,
                      raw=raw[:MAX_RAW_BYTES], format=self.format or None)


@dataclass(slots=True)
class Head:
    """A summary of the first bytes of an input, computed once and shown to every reader's ``sniff``.

    Attributes:
        name: the file name (extension hints only; content decides).
        data: the first 64 KiB.
        kind: ``json`` (one document, possibly several concatenated), ``jsonl``, ``xml``, ``html``,
            ``delimited`` (CSV/TSV), ``text``, ``empty`` or ``binary``.
        keys: JSON object keys seen in the head, by ijson prefix. For a JSON document the top-level object is
            ``""`` and its array items ``"data.item"`` etc.; for a top-level array and for JSONL the first
            record's keys are under ``"item"``.
        text: the head decoded as UTF-8 with replacement characters.
    """

    name: str
    data: bytes
    kind: str
    keys: dict[str, set[str]] = field(default_factory=dict)
    text: str = ""

    def has(self, prefix: str, *names: str) -> bool:
        """True when every one of ``names`` is a key of the object at ``prefix``."""
        seen = self.keys.get(prefix)
        return seen is not None and all(n in seen for n in names)

    def any(self, prefix: str, *names: str) -> bool:
        seen = self.keys.get(prefix)
        return seen is not None and any(n in seen for n in names)

    @property
    def first_line(self) -> str:
        return self.text.lstrip("\ufeff").split("\n", 1)[0].strip()


class Reader(Protocol):
    """The two functions a reader module provides."""

    def __call__(self, fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]: ...


@dataclass(frozen=True, slots=True)
class ReaderSpec:
    """A registered reader: its name, what it reads, and its ``sniff``/``read`` functions."""

    name: str
    description: str
    default_source: str
    sniff: Callable[[Head], int]
    read: Reader


def raw_bytes(obj: Any) -> bytes:
    """Serialise a parsed record back to bytes for audit; never raises (deep or odd values are summarised)."""
    if isinstance(obj, bytes):
        return obj[:MAX_RAW_BYTES]
    try:
        return orjson.dumps(obj, default=str)[:MAX_RAW_BYTES]
    except (TypeError, orjson.JSONEncodeError):
        return repr(obj)[:MAX_RAW_BYTES].encode("utf-8", "replace")


def require_str(obj: dict[str, Any], key: str, *, what: str = "") -> str:
    """``obj[key]`` as a non-empty string, or a :class:`RecordError` naming the field."""
    value = obj.get(key)
    if isinstance(value, str) and value.strip():
        return value
    label = what or key
    if value is None:
        raise RecordError(f"missing {label!r}")
    raise RecordError(f"{label!r} must be a non-empty string, got {type(value).__name__}")


def iter_lines(fp: BinaryIO, ctx: ReadContext) -> Iterator[tuple[int, int, bytes] | Reject]:
    """Yield ``(line_number, byte_offset, line)`` for non-blank lines; overlong lines become rejects.

    Reads with a bounded ``readline`` so a 2 GB single line never enters memory whole.
    """
    lineno = 0
    offset = 0
    readline = fp.readline
    while True:
        line = readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        lineno += 1
        start = offset
        offset += len(line)
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            head = line[:MAX_RAW_BYTES]
            while True:  # skip the rest of the overlong line without keeping it
                more = readline(MAX_RECORD_BYTES)
                offset += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield ctx.reject(f"record longer than {MAX_RECORD_BYTES} bytes; skipped", line=lineno,
                             offset=start, raw=head)
            continue
        if line.strip():
            yield lineno, start, line


def iter_jsonl(fp: BinaryIO, ctx: ReadContext) -> Iterator[tuple[int, int, bytes, Any] | Reject]:
    """Yield ``(line, offset, raw, value)`` for each JSON line; broken lines become rejects."""
    for item in iter_lines(fp, ctx):
        if isinstance(item, Reject):
            yield item
            continue
        lineno, offset, line = item
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            reason = _json_reason(exc, line)
            yield ctx.reject(reason, line=lineno, offset=offset, raw=line)
            continue
        yield lineno, offset, line, value


def _json_reason(exc: Exception, line: bytes) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as uerr:
        return f"invalid UTF-8 at byte {uerr.start}"
    msg = str(exc).split(": line", 1)[0]
    return f"broken JSON: {msg}"


def iter_json_items(fp: BinaryIO, ctx: ReadContext, prefix: str,
                    *, multiple: bool = True) -> Iterator[tuple[int, Any] | Reject]:
    """Stream the values at ijson ``prefix`` (``"item"``, ``"data.item"``) of one or more JSON documents.

    Yields ``(record_number, value)``. A syntax error (truncated file, bad bytes) ends the stream with one
    reject that says where it stopped; every complete record before it has already been yielded.
    """
    count = 0
    try:
        for value in ijson.items(DepthGuard(fp), prefix, use_float=True, multiple_values=multiple):
            count += 1
            yield count, value
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        yield ctx.reject(f"JSON stops being readable after record {count}: {reason}; the records before "
                         f"it were kept", line=count + 1)


def convert_records(records: Iterator[tuple[int, Any] | Reject], ctx: ReadContext,
                    convert: Callable[[Any], Message | None]) -> Iterator[Message | Reject]:
    """Apply ``convert`` to each ``(number, value)``; any per-record failure becomes a reject.

    ``convert`` raises :class:`RecordError` with a precise reason; wrong types surfacing as ``TypeError``,
    ``KeyError``, ``AttributeError`` or ``ValueError`` are quarantined too, so no record stops the stream.
    ``convert`` may return ``None`` for records that are legitimately not messages (service entries).
    """
    for item in records:
        if isinstance(item, Reject):
            yield item
            continue
        result = convert_one(item[0], item[1], ctx, convert)
        if result is not None:
            yield result


def convert_one(number: int, value: Any, ctx: ReadContext,
                convert: Callable[[Any], Message | None]) -> Message | Reject | None:
    """:func:`convert_records` for a single record (no generator per record on hot paths)."""
    try:
        return convert(value)
    except RecordError as exc:
        return ctx.reject(exc.reason, line=exc.line or number, raw=raw_bytes(value))
    except (TypeError, KeyError, AttributeError, ValueError, IndexError, RecursionError) as exc:
        return ctx.reject(f"wrong types in record: {type(exc).__name__}: {str(exc)[:200]}", line=number,
                          raw=raw_bytes(value))


def jsonl_records(fp: BinaryIO, ctx: ReadContext) -> Iterator[tuple[int, Any] | Reject]:
    """Adapt :func:`iter_jsonl` to the ``(number, value)`` shape :func:`convert_records` takes."""
    for item in iter_jsonl(fp, ctx):
        if isinstance(item, Reject):
            yield item
        else:
            yield item[0], item[3]


def open_text(fp: BinaryIO) -> io.TextIOWrapper:
    """Wrap a binary stream as text without failing on bad bytes (they surface as surrogates to check)."""
    return io.TextIOWrapper(fp, encoding="utf-8-sig", errors="surrogateescape", newline="")


def has_bad_bytes(value: str) -> bool:
    """True if ``value`` came through :func:`open_text` with undecodable bytes."""
    return any("\udc80" <= ch <= "\udcff" for ch in value) if not value.isascii() else False
