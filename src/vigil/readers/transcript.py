"""Voicemail and phone-line transcripts, as JSON, JSON Lines or plain text.

JSON: one object, an array of objects, objects one per line, or an object wrapping an array
(``{"voicemails": [...]}``). Each object has a caller (``caller``/``caller_id``/``from``: a number, a name, or
``{"number": ..., "name": ...}``), a time (``time``/``created_at``/``received_at``/``timestamp``) and the
transcript (``transcript``/``transcription``/``text``, or a list of segments with ``text``); ``id``,
``duration_s``, ``language`` and ``line`` (the hotline) are optional.

Text: header lines, a blank line, then the transcript; several transcripts in one file are separated by a line
of ``---`` or ``===`` (a new ``Caller:`` header after a blank line also starts a new one)::

    Caller: +963 944 000 111
    Received: 2016-12-13T08:15:00+02:00
    Duration: 42s
    Language: ar
    Line: Family tracing hotline

    We are in the basement with the children ...
    ---
    Caller: ...

The caller becomes ``author`` exactly as given: a phone number is personal data, and protecting it is the
store's job, not something to half-do here by mangling it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, BinaryIO

import orjson

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from ._docutil import declared_lang, stable_hash
from .base import (
    HEAD_BYTES,
    MAX_RAW_BYTES,
    MAX_RECORD_BYTES,
    Head,
    ReadContext,
    convert_records,
    iter_json_items,
    jsonl_records,
)

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "NAME", "read", "sniff"]

NAME = "transcript"
DESCRIPTION = ("voicemail / phone-line transcripts: JSON, JSON Lines, or text blocks with Caller:/Time: "
               "headers separated by ---")
DEFAULT_SOURCE = "voicemail"

_CALLER_KEYS = ("caller", "caller_id", "caller_number", "from", "phone", "number", "caller_name")
_STRONG_CALLER = frozenset({"caller", "caller_id", "caller_number", "caller_name"})
_TIME_KEYS = ("time", "received_at", "created_at", "timestamp", "received", "date", "start_time", "datetime")
_TEXT_KEYS = ("transcript", "transcription", "text", "message")
_TRANSCRIPT_KEYS = frozenset({"transcript", "transcription"})
_ID_KEYS = ("id", "call_id", "voicemail_id", "message_id", "uuid")
_LANG_KEYS = ("language", "lang")

# Header names of text transcripts (lower case) and the field each fills.
_HEADERS = {
    "caller": "caller", "from": "caller", "caller id": "caller", "phone": "caller", "number": "caller",
    "المتصل": "caller", "الرقم": "caller",
    "time": "time", "received": "time", "received at": "time", "date": "time", "created": "time",
    "created at": "time", "timestamp": "time", "الوقت": "time", "التاريخ": "time",
    "duration": "duration", "المدة": "duration",
    "language": "lang", "lang": "lang", "اللغة": "lang",
    "line": "line", "hotline": "line", "الخط": "line",
    "id": "id", "call id": "id", "message id": "id",
    "transcript": "transcript", "text": "transcript", "النص": "transcript",
}
_HEADER_LINE = re.compile(r"^\s*([^\W\d_][^:\n]{0,20}?)\s*:\s*(.*?)\s*$")
_SEPARATOR = re.compile(rb"^\s*(?:-{3,}|={3,})\s*$")
_CALLER_LINE = re.compile(r"^\s*(?:caller|المتصل)\s*:", re.I)
_TIME_LINE = re.compile(r"^\s*(?:time|received(?: at)?|date|created(?: at)?|timestamp|الوقت|التاريخ)\s*:", re.I)


def sniff(head: Head) -> int:
    """Confidence from content: JSON objects with a caller and a transcript, or text with Caller:/Time: headers."""
    if head.kind in ("json", "jsonl"):
        return 90 if _json_prefix(head) is not None else 0
    if head.kind in ("text", "delimited"):
        lines = [ln for ln in head.text.lstrip("\ufeff").splitlines()[:40] if ln.strip()][:12]
        caller = any(_CALLER_LINE.match(ln) for ln in lines)
        when = any(_TIME_LINE.match(ln) for ln in lines)
        return 90 if caller and when else 0
    return 0


def _json_prefix(head: Head) -> str | None:
    """The ijson prefix of the transcript objects (``""``, ``"item"``, ``"voicemails.item"``) if it has them."""
    candidates = ["", "item", *sorted(p for p in head.keys if p.endswith(".item") and p.count(".") == 1)]
    for prefix in candidates:
        keys = head.keys.get(prefix)
        if not keys:
            continue
        if keys & _STRONG_CALLER and keys & {*_TEXT_KEYS}:
            return prefix
        if "from" in keys and keys & _TRANSCRIPT_KEYS:  # "from" + "text" alone is a chat message, not a call
            return prefix
    return None


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield a Message per transcript; rejects for those without text or with an unreadable time."""
    from .detect import read_head, summarise  # the same head detection saw, to pick JSON vs text

    if not fp.seekable() and getattr(fp, "peek", None) is None:
        fp = io.BufferedReader(_RawAdapter(fp), buffer_size=HEAD_BYTES * 2)
    head = summarise(ctx.path, read_head(fp))
    source = ctx.source_or(DEFAULT_SOURCE)

    def convert(obj: Any) -> Message:
        return _from_json(obj, ctx, source)

    if head.kind == "jsonl":
        yield from convert_records(jsonl_records(fp, ctx), ctx, convert)
    elif head.kind == "json":
        prefix = _json_prefix(head)
        if prefix is None:
            prefix = "item" if head.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[" else ""
        yield from convert_records(iter_json_items(fp, ctx, prefix), ctx, convert)
    elif head.kind in ("empty", "binary"):
        yield ctx.reject("empty file" if head.kind == "empty" else "binary data, not a transcript",
                         raw=head.data[:256])
    else:
        yield from _read_text(fp, ctx, source)


class _RawAdapter(io.RawIOBase):
    """Lets a bare ``read()``-only stream be wrapped in a peekable :class:`io.BufferedReader`."""

    def __init__(self, fp: BinaryIO) -> None:
        self._fp = fp

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fp.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- JSON -------------------------------------------------------------------------------------------------


def _from_json(obj: Any, ctx: ReadContext, source: str) -> Message:
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object for a transcript, got {type(obj).__name__}")
    text = _json_text(obj)
    if not text:
        raise RecordError("missing transcript: none of 'transcript', 'transcription', 'text' holds any text")
    when_key = next((k for k in _TIME_KEYS if obj.get(k) not in (None, "")), None)
    if when_key is None:
        raise RecordError("missing time: expected one of 'time', 'received_at', 'created_at', 'timestamp'")
    created = _parse_time(obj[when_key], when_key)
    author, author_name = _json_caller(obj)
    native = _json_id(obj) or stable_hash(author or author_name, created.isoformat())
    lang_value = next((obj[k] for k in _LANG_KEYS if isinstance(obj.get(k), str)), None)
    return Message(
        id=make_id(source, native),
        source=source,
        format=ctx.format or NAME,
        native_id=native,
        created_at=created,
        text=text,
        author=author,
        author_name=author_name,
        lang=declared_lang(lang_value, text),
        raw=orjson.dumps(obj, default=str).decode("utf-8"),
    )


def _json_text(obj: Mapping[str, Any]) -> str:
    for key in _TEXT_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return clean_text(value)
        if isinstance(value, list):  # speech-to-text segments: [{"start": 0.0, "text": "..."}, ...] or strings
            parts = [seg if isinstance(seg, str) else seg.get("text") if isinstance(seg, dict) else None
                     for seg in value]
            joined = clean_text(" ".join(p.strip() for p in parts if isinstance(p, str) and p.strip()))
            if joined:
                return joined
    return ""


def _json_caller(obj: Mapping[str, Any]) -> tuple[str, str]:
    """``(author, author_name)``: the number (or the name when there is no number) and the name."""
    name = obj.get("caller_name")
    author_name = clean_text(name) if isinstance(name, str) else ""
    for key in _CALLER_KEYS:
        value = obj.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            return str(value), author_name
        if isinstance(value, str) and value.strip():
            return clean_text(value), author_name
        if isinstance(value, dict):
            number = next((value[k] for k in ("number", "phone", "id") if isinstance(value.get(k), str | int)
                           and not isinstance(value.get(k), bool)), None)
            inner = value.get("name")
            inner_name = clean_text(inner) if isinstance(inner, str) else ""
            if number is not None and str(number).strip():
                return clean_text(str(number)), inner_name or author_name
            if inner_name:
                return inner_name, inner_name
    return "", author_name


def _json_id(obj: Mapping[str, Any]) -> str:
    for key in _ID_KEYS:
        value = obj.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _parse_time(value: Any, key: str, line: int | None = None) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        shown = value[:60] if isinstance(value, str) else value
        raise RecordError(f"unparsable {key} {shown!r} (expected ISO-8601, RFC 2822 or Unix seconds)",
                          line=line) from None


# --- text -------------------------------------------------------------------------------------------------


def _read_text(fp: BinaryIO, ctx: ReadContext, source: str) -> Iterator[Message | Reject]:
    """Stream blocks of a text file; each block is bounded by ``MAX_RECORD_BYTES`` and checked on its own."""
    block = _Block(start=1)
    lineno = 0
    prev_blank = True
    readline = fp.readline
    while True:
        raw = readline(MAX_RECORD_BYTES + 1)
        if not raw:
            break
        lineno += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while True:  # drop the rest of an overlong line without holding it
                more = readline(MAX_RECORD_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            block.overlong = True
            continue
        if _SEPARATOR.match(raw):
            yield from block.finish(ctx, source)
            block = _Block(start=lineno + 1)
            prev_blank = True
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            block.bad_utf8 = block.bad_utf8 or (lineno, exc.start)
            line = raw.decode("utf-8", "replace")
        if lineno == 1:
            line = line.lstrip("\ufeff")
        line = line.rstrip("\r\n")
        if prev_blank and block.has_body and _CALLER_LINE.match(line):
            yield from block.finish(ctx, source)  # a new transcript without a --- separator
            block = _Block(start=lineno)
        block.add(lineno, line, len(raw))
        prev_blank = not line.strip()
    yield from block.finish(ctx, source)


class _Block:
    """The lines of one text transcript, bounded in size, and what went wrong while collecting them."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.lines: list[tuple[int, str]] = []
        self.size = 0
        self.overlong = False
        self.bad_utf8: tuple[int, int] | None = None
        self.has_body = False
        self._in_headers = True
        self._seen_text = False

    def add(self, lineno: int, line: str, nbytes: int) -> None:
        self.size += nbytes
        if self.size > MAX_RECORD_BYTES:
            self.overlong = True
            self.lines.clear()  # keep memory bounded; the block is rejected whole at its end
            return
        if not self.overlong:
            self.lines.append((lineno, line))
        if not line.strip():
            if self._seen_text:
                self._in_headers = False  # the blank line that ends the header lines
            return
        self._seen_text = True
        found = _header(line) if self._in_headers else None
        if found is None or found[0] == "transcript":
            self._in_headers = False
            self.has_body = True

    def finish(self, ctx: ReadContext, source: str) -> Iterator[Message | Reject]:
        text = "\n".join(t for _, t in self.lines)
        raw = text[:MAX_RAW_BYTES].encode("utf-8", "replace")  # rejects keep no more than this anyway
        if self.overlong:
            yield ctx.reject(f"transcript longer than {MAX_RECORD_BYTES} bytes; skipped", line=self.start)
            return
        if not text.strip():
            return
        if self.bad_utf8 is not None:
            bad_line, byte = self.bad_utf8
            yield ctx.reject(f"invalid UTF-8 at byte {byte} of line {bad_line}; save the file as UTF-8",
                             line=bad_line, raw=raw)
            return
        try:
            yield _from_block(self.lines, ctx, source, text)
        except RecordError as exc:
            yield ctx.reject(exc.reason, line=exc.line or self.start, raw=raw)


def _header(line: str) -> tuple[str, str] | None:
    match = _HEADER_LINE.match(line)
    if match is None:
        return None
    field = _HEADERS.get(match.group(1).strip().lower())
    return (field, match.group(2)) if field is not None else None


def _join_paragraphs(lines: list[str]) -> str:
    """Paragraphs split at blank lines, hard-wrapped lines inside one joined by a space."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return clean_text("\n\n".join(paragraphs))


def _from_block(lines: list[tuple[int, str]], ctx: ReadContext, source: str, raw: str) -> Message:
    headers: dict[str, tuple[int, str]] = {}
    body: list[str] = []
    i = 0
    while i < len(lines) and not lines[i][1].strip():
        i += 1
    while i < len(lines):
        lineno, line = lines[i]
        if not line.strip():
            break
        found = _header(line)
        if found is None:
            break
        field, value = found
        if field == "transcript":  # "Transcript: text ..." starts the body on the header line itself
            body.append(value)
            i += 1
            break
        headers.setdefault(field, (lineno, value))
        i += 1
    body.extend(t for _, t in lines[i:])
    text = _join_paragraphs(body)
    if not text:
        raise RecordError("transcript block has headers but no transcript text after them",
                          line=lines[0][0] if lines else None)
    if "time" not in headers:
        raise RecordError("missing time: expected a 'Time:' or 'Received:' header line",
                          line=lines[0][0] if lines else None)
    time_line, time_value = headers["time"]
    created = _parse_time(time_value, "time", line=time_line)
    caller = clean_text(headers.get("caller", (0, ""))[1])
    native = headers["id"][1].strip() if "id" in headers else stable_hash(caller, created.isoformat())
    return Message(
        id=make_id(source, native),
        source=source,
        format=ctx.format or NAME,
        native_id=native,
        created_at=created,
        text=text,
        author=caller,
        lang=declared_lang(headers.get("lang", (0, ""))[1], text),
        raw=raw,
    )
