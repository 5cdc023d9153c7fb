"""Layout handling shared by the readers of social-media status dumps (X API v1.1, Mastodon).

Such dumps come in four shapes: a JSON array of statuses, JSON Lines (one status per line), a search response
(``{"statuses": [...]}``, possibly one per line), or a lone pretty-printed status. :func:`status_records`
looks at the head of the stream, picks the shape, and streams ``(number, status)`` pairs with the right
numbering (record number in an array, line number in JSON Lines), never holding the whole input.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from ..message import Reject
from .base import HEAD_BYTES, ReadContext, iter_json_items, jsonl_records

__all__ = ["peekable", "raw_text", "status_records", "top_level_keys"]

_WS = b"\xef\xbb\xbf \t\r\n"
_MAX_PROBE_LINES = 20


class _Prefixed(io.RawIOBase):
    """A stream that replays ``head`` and then continues with ``rest`` (for inputs that cannot seek or peek)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


def peekable(fp: BinaryIO) -> tuple[BinaryIO, bytes]:
    """Return a stream equivalent to ``fp`` and its first bytes, without losing them.

    Seekable streams seek back, buffered ones peek; anything else (a bare pipe) is wrapped so that the head is
    replayed before the rest.
    """
    if fp.seekable():
        pos = fp.tell()
        data = fp.read(HEAD_BYTES)
        fp.seek(pos)
        return fp, data
    peek = getattr(fp, "peek", None)
    if peek is not None:
        peeked: bytes = peek(HEAD_BYTES)
        return fp, peeked[:HEAD_BYTES]
    head = fp.read(HEAD_BYTES)
    return io.BufferedReader(_Prefixed(head, fp)), head


def raw_text(value: Any) -> str:
    """A parsed record as compact JSON text for ``Message.raw``; never raises."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # e.g. integers beyond 64 bits, which orjson refuses
        return json.dumps(value, ensure_ascii=False, default=str)


def top_level_keys(data: bytes) -> set[str]:
    """Keys of the top-level object(s) found in a (possibly truncated) JSON head."""
    keys: set[str] = set()
    try:
        for n, (prefix, event, value) in enumerate(ijson.parse(io.BytesIO(data), multiple_values=True)):
            if event == "map_key" and prefix == "":
                keys.add(value)
            if n > 20_000:
                break
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError):
        pass
    return keys


def _parses_as(line: bytes, kind: type) -> bool:
    try:
        return isinstance(orjson.loads(line), kind)
    except orjson.JSONDecodeError:
        return False


def _is_jsonl(stripped: bytes) -> bool:
    """True when the head reads as JSON Lines rather than one (pretty-printed or single-line) document."""
    lines = [ln.strip() for ln in stripped.split(b"\n")]
    more = len(lines) > 1 and any(lines[1:])
    # The last piece of the head may be cut mid-line, unless it is the only one.
    complete = lines[:-1] if len(lines) > 1 else lines
    first = complete[0]
    if first[:1] == b"[":
        # A whole array on the first line with more after it: one page of statuses per line.
        return more and _parses_as(first, list)
    if _parses_as(first, dict):
        return True
    if first.endswith((b"{", b"[", b",", b":")):
        return False  # the opening of a pretty-printed document
    # A broken first line: JSON Lines if a later line is a whole record.
    return any(ln[:1] == b"{" and _parses_as(ln, dict) for ln in complete[1:_MAX_PROBE_LINES])


def _flatten_pages(records: Iterator[tuple[int, Any] | Reject],
                  container: str) -> Iterator[tuple[int, Any] | Reject]:
    """Flatten records that are pages (arrays or search responses) into their statuses, keeping the number."""
    for item in records:
        if isinstance(item, Reject):
            yield item
            continue
        number, value = item
        if isinstance(value, list):
            for status in value:
                yield number, status
        elif isinstance(value, dict) and isinstance(value.get(container), list) and "id" not in value:
            for status in value[container]:
                yield number, status
        else:
            yield number, value


def status_records(fp: BinaryIO, ctx: ReadContext, *, container: str = "statuses",
                   record_keys: frozenset[str] = frozenset(),
                   hint: str = "") -> Iterator[tuple[int, Any] | Reject]:
    """Stream ``(number, status)`` from an array, JSON Lines, a ``{container: [...]}`` response or one status.

    Args:
        fp: the binary input.
        ctx: the read context (for rejects).
        container: the key holding the statuses in a search-style response.
        record_keys: keys that mark a top-level object as a status itself; a top-level object with none of
            them and no ``container`` is refused with one reject instead of being loaded whole.
        hint: appended to that refusal (e.g. which other ``--format`` to try).

    Yields:
        ``(record_number, value)`` for arrays and documents, ``(line_number, value)`` for JSON Lines, or a
        :class:`~vigil.message.Reject` for unreadable JSON.
    """
    fp, head = peekable(fp)
    stripped = head.lstrip(_WS)
    if not stripped:
        return
    if stripped[:1] not in (b"[", b"{") or _is_jsonl(stripped):
        # Anything that is not one JSON document is read line by line, so that one bad line costs one record.
        yield from _flatten_pages(jsonl_records(fp, ctx), container)
        return
    if stripped[:1] == b"[":
        yield from _flatten_pages(iter_json_items(fp, ctx, "item"), container)
        return
    keys = top_level_keys(stripped)
    if container in keys:
        yield from iter_json_items(fp, ctx, f"{container}.item")
    elif keys & record_keys and b"\n" not in stripped.rstrip():
        # No line end in the whole head: one compact status per line whose first line outgrew the head.
        yield from _flatten_pages(jsonl_records(fp, ctx), container)
    elif keys & record_keys or not keys:
        yield from _flatten_pages(iter_json_items(fp, ctx, ""), container)
    else:
        shown = ", ".join(sorted(keys)[:12])
        yield ctx.reject(f"expected an array of statuses, JSON Lines, or an object with {container!r}; found "
                         f"an object with keys {shown}{hint}", line=1, raw=head[:200])
