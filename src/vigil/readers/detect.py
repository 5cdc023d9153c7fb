"""Format auto-detection, in one place: summarise the head of an input, then let each reader bid on it."""

from __future__ import annotations

import io
from typing import BinaryIO

import ijson
import orjson

from ..errors import UnknownFormatError
from .base import HEAD_BYTES, Head, ReaderSpec
from .jsonguard import MAX_JSON_DEPTH, max_depth

__all__ = ["detect", "read_head", "summarise"]

_MAX_KEY_EVENTS = 20_000


def read_head(fp: BinaryIO) -> bytes:
    """Return the first bytes of ``fp`` without consuming them (seek back, or peek on a buffered stream)."""
    if fp.seekable():
        pos = fp.tell()
        data = fp.read(HEAD_BYTES)
        fp.seek(pos)
        return data
    peek = getattr(fp, "peek", None)
    if peek is None:
        raise TypeError("read_head needs a seekable or peekable stream")
    peeked: bytes = peek(HEAD_BYTES)
    return peeked[:HEAD_BYTES]


def summarise(name: str, data: bytes) -> Head:
    """Classify the head bytes into a :class:`Head` (kind, JSON keys by prefix, decoded text)."""
    text = data.decode("utf-8", "replace")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return Head(name, data, "empty", text=text)
    if b"\x00" in data[:4096] and not _is_utf16(data):
        return Head(name, data, "binary", text=text)
    first = stripped[:1]
    if first in (b"{", b"["):
        kind, keys = _json_keys(stripped)
        return Head(name, data, kind, keys, text)
    if first == b"<":
        low = stripped[:2048].lower()
        is_html = b"<html" in low or b"<!doctype html" in low or b"<body" in low or b"<article" in low
        return Head(name, data, "html" if is_html else "xml", text=text)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if ("\t" in first_line or "," in first_line) and _looks_delimited(text):
        return Head(name, data, "delimited", text=text)
    return Head(name, data, "text", text=text)


def _is_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _looks_delimited(text: str) -> bool:
    lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:6] if ln.strip()]
    if len(lines) < 2:
        return False
    for sep in ("\t", ","):
        counts = [ln.count(sep) for ln in lines[:-1]]  # the last line of the head may be cut
        if counts[0] >= 1 and all(c >= 1 for c in counts):
            return True
    return False


def _json_keys(stripped: bytes) -> tuple[str, dict[str, set[str]]]:
    first_line, _, rest = stripped.partition(b"\n")
    if rest.strip() and first_line.strip()[:1] == b"{":
        try:
            value = orjson.loads(first_line)
        except orjson.JSONDecodeError:
            value = None
        if isinstance(value, dict):  # a whole object on the first line with more after it: JSON Lines
            keys: dict[str, set[str]] = {}
            _collect(io.BytesIO(first_line), keys, "item.")
            keys.setdefault("item", set(value))
            return "jsonl", keys
    keys = {}
    if max_depth(stripped) <= MAX_JSON_DEPTH:  # ijson's prefixes grow quadratically with depth: don't feed it
        _collect(io.BytesIO(stripped), keys, "")
    return "json", keys


def _collect(stream: io.BytesIO, keys: dict[str, set[str]], remap: str) -> None:
    """Record map keys per prefix from a (possibly truncated) JSON head; stop quietly at its end."""
    try:
        for n, (prefix, event, value) in enumerate(ijson.parse(stream, multiple_values=True)):
            if event == "map_key":
                path = (remap + prefix) if (remap and prefix) else (remap.rstrip(".") if remap else prefix)
                keys.setdefault(path, set()).add(value)
            if n > _MAX_KEY_EVENTS:
                return
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError):
        return


def detect(head: Head, readers: dict[str, ReaderSpec]) -> ReaderSpec:
    """Pick the reader whose ``sniff`` is most confident; refuse with the list of known formats if none is."""
    best: ReaderSpec | None = None
    best_score = 0
    for spec in readers.values():
        try:
            score = spec.sniff(head)
        except Exception:  # a reader's sniff must never break the detection of the others
            score = 0
        if score > best_score:
            best, best_score = spec, score
    if best is None:
        known = {"empty": "the file is empty", "binary": "it looks binary"}
        detail = known.get(head.kind, f"content looks like {head.kind}")
        raise UnknownFormatError(head.name, sorted(readers), detail)
    return best
