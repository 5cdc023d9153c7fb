"""CSV and TSV files: the labeled crisis datasets, and any delimited file with a text column.

Recognised shapes, by header (names are stripped and matched case-insensitively, so CrisisLexT26's
``" Tweet Text"`` is ``tweet_text``); the shape is also the default source of the messages:

* ``humaid``: tweet_id, tweet_text, class_label, event -> labels class_label, event.
* ``crisislex``: Tweet ID, Tweet Text, Information Source, Information Type, Informativeness -> those three.
* ``kawarith``: tweet_id, event, kawarith_split, kawarith_labels, idrisi_info_class, idrisi_splits,
  created_at, text -> every column but the text and the time.
* ``crisisnlp``: tweet_id, tweet_text, label (CrowdFlower); the volunteer files add tweet_time,
  tweet_author, tweet_language, tweet_url ... -> label.
* ``disaster_response``: id, split, message, original, genre and 0/1 category columns -> categories,
  genre, split (``original``, the untranslated text, stays in ``raw``).
* ``csv``: any header with a text column (text, message, content ...) -> the label-like columns.

Gold labels go to ``Message.labels``, never into the text. Disaster Response's 0/1 category columns become one
``labels["categories"]`` holding the categories set to ``1``, ``|``-joined. CrisisLexT26 and CrisisNLP ship
one file per event without an event column, so ``labels["event"]`` comes from their file name. Most of these
datasets carry no time: their rows get the fixed placeholder 1970-01-01T00:00:00Z and
``labels["time_unknown"] = "1"`` so later stages can tell a placeholder from a real time.

Rows are streamed with the :mod:`csv` module over :func:`~vigil.readers.base.open_text` (LF, CRLF and the
CR-only endings of CrisisNLP's volunteer files alike); a reject's ``line`` is the physical line where its row
starts. A row with undecodable bytes, an empty text or the wrong number of columns is rejected and its
neighbours are kept.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import BinaryIO

from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from .base import MAX_RECORD_BYTES, Head, ReadContext, has_bad_bytes, open_text
from .detect import read_head

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "NAME", "TIME_UNKNOWN", "read", "sniff"]

NAME = "csv"
DESCRIPTION = ("CSV/TSV crisis datasets (HumAID, CrisisLexT26, Kawarith, CrisisNLP, Disaster Response) "
               "or any delimited file with a text column")
DEFAULT_SOURCE = "csv"

TIME_UNKNOWN = datetime(1970, 1, 1, tzinfo=UTC)
"""The placeholder time of rows from datasets without one (they also get ``labels["time_unknown"] = "1"``)."""

# Column roles by normalised header name, in order of preference.
_TEXT = ("tweet_text", "text", "message", "tweet", "full_text", "content", "article_content", "body", "post")
_ID = ("tweet_id", "id", "message_id", "status_id", "post_id", "unit_id")
_TIME = ("created_at", "tweet_time", "date", "datetime", "timestamp", "time", "published", "published_at",
         "posted", "posted_at", "date_haiti")
_AUTHOR = ("tweet_author", "author", "screen_name", "user_screen_name", "username", "user")
_URL = ("tweet_url", "url", "link")
_LANG = ("tweet_language", "lang", "language")
_TITLE = ("title", "article_title", "headline")
_LABELS = frozenset({"event", "informativeness", "information_source", "information_type", "genre", "target",
                     "relevance", "relevant", "severity", "urgency", "topic", "sentiment", "stance",
                     "priority", "actionable_haiti", "choose_one"})
_LABEL_PARTS = ("label", "class", "category", "categories", "split")
# Disaster Response columns that are not one of its 0/1 categories.
_DR_NOT_CATEGORY = frozenset({"id", "split", "message", "original", "genre", "event", "actionable_haiti",
                              "date_haiti"})
_MISSING = frozenset({"", "null", "na", "n/a", "nan"})
_EVENT_SUFFIX = re.compile(r"(?i)(-tweets_labeled|_cf_labeled_data|_labeled_data)$")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LANG_CODE = re.compile(r"^[a-z]{2}$")
_LINE_END = re.compile(r"\r\n|\r|\n")


def sniff(head: Head) -> int:
    """Confidence that ``head`` is a delimited file this reader understands (a header with a text column)."""
    if head.kind != "delimited":
        return 0
    header = _split_header(_LINE_END.split(head.text.lstrip("\ufeff"), 1)[0])
    names = {_norm(n) for n in header}
    if not names & set(_TEXT):
        return 0
    return 90 if _shape(names) != "csv" else 80


def _split_header(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _norm(name: str) -> str:
    """``" Tweet Text"`` -> ``"tweet_text"``; ``"choose_one_category:confidence"`` -> ``..._confidence``."""
    return _NON_WORD.sub("_", name.strip().lower()).strip("_")


def _shape(names: set[str]) -> str:
    """The dataset a header belongs to, which is also the default source name of its messages."""
    if "class_label" in names and "tweet_text" in names:
        return "humaid"
    if "informativeness" in names or "information_type" in names:
        return "crisislex"
    if "kawarith_labels" in names or "kawarith_split" in names:
        return "kawarith"
    if {"message", "genre", "related"} <= names:
        return "disaster_response"
    if "tweet_text" in names and names & {"label", "choose_one_category"}:
        return "crisisnlp"
    return "csv"


def _first(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for want in wanted:
        if want in names:
            return names.index(want)
    return None


@dataclass(slots=True)
class _Layout:
    """Where each role lives in a header."""

    names: list[str]
    shape: str
    text: int
    id: int | None
    time: int | None
    author: int | None
    url: int | None
    lang: int | None
    title: int | None
    labels: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, header: list[str]) -> _Layout | None:
        while header and not header[-1].strip():
            header = header[:-1]  # a trailing delimiter on the header line
        names = [_norm(h) for h in header]
        text = _first(names, _TEXT)
        if text is None:
            return None
        shape = _shape(set(names))
        time = _first(names, _TIME)
        if time is None:
            time = next((i for i, n in enumerate(names) if n.startswith("date_")), None)
        layout = cls(names=names, shape=shape, text=text, id=_first(names, _ID), time=time,
                     author=_first(names, _AUTHOR), url=_first(names, _URL), lang=_first(names, _LANG),
                     title=_first(names, _TITLE))
        taken = {layout.text, layout.id, layout.time, layout.author, layout.url, layout.lang, layout.title}
        for i, name in enumerate(names):
            if i in taken or not name:
                continue
            if shape == "disaster_response" and name not in _DR_NOT_CATEGORY:
                layout.categories.append(i)
            elif name in _LABELS or any(part in name for part in _LABEL_PARTS):
                layout.labels.append(i)
        return layout


class _Lines:
    """Physical lines for :func:`csv.reader`, remembering the text and start line of the record being read.

    ``csv.reader`` pulls exactly the lines of one record before returning it, so after each row
    :meth:`take` gives that row's own lines. Lines longer than ``MAX_RECORD_BYTES`` characters are skipped
    without being held whole and reported through ``pending``.
    """

    def __init__(self, fp: BinaryIO, ctx: ReadContext) -> None:
        self._text = open_text(fp)
        self._ctx = ctx
        self.lineno = 0
        self.start = 1
        self.poisoned = False
        self.pending: list[Reject] = []
        self._buffer: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(MAX_RECORD_BYTES)
        if not line:
            raise StopIteration
        self.lineno += 1
        if not self._buffer:
            self.start = self.lineno
        if len(line) >= MAX_RECORD_BYTES and not line.endswith(("\n", "\r")):
            head = line[:200]
            while line and not line.endswith(("\n", "\r")):
                line = self._text.readline(MAX_RECORD_BYTES)
            self.pending.append(self._ctx.reject(
                f"line longer than {MAX_RECORD_BYTES} characters; its row was skipped", line=self.lineno,
                raw=head.encode("utf-8", "surrogateescape")))
            self.poisoned = True
            line = "\n"  # an empty line keeps csv's state simple; the row is dropped below
        self._buffer.append(line)
        return line

    def release(self) -> None:
        """Let go of the text layer without closing the caller's binary stream (its owner closes it)."""
        with contextlib.suppress(ValueError):  # already detached or closed
            self._text.detach()

    def take(self) -> tuple[int, str, bool]:
        """``(start line, raw text, poisoned)`` of the record just read, and start afresh."""
        raw = "".join(self._buffer)
        poisoned = self.poisoned
        self._buffer.clear()
        self.poisoned = False
        return self.start, raw, poisoned


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield a :class:`Message` per row and a :class:`Reject` per unreadable row; never raises for content."""
    delimiter, quoted = _dialect(fp)
    lines = _Lines(fp, ctx)
    try:
        yield from _rows(lines, delimiter, quoted, ctx)
    finally:
        lines.release()


def _rows(lines: _Lines, delimiter: str, quoted: bool, ctx: ReadContext) -> Iterator[Message | Reject]:
    reader = _reader(lines, delimiter, quoted)
    layout: _Layout | None = None
    source = ctx.source or DEFAULT_SOURCE
    event = ""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            start, raw, _ = lines.take()
            yield from _flush(lines)
            yield ctx.reject(f"unreadable {_kind(delimiter)} record: {exc}", line=start,
                             raw=raw.encode("utf-8", "surrogateescape"))
            reader = _reader(lines, delimiter, quoted)  # resync at the next line
            continue
        start, raw, poisoned = lines.take()
        yield from _flush(lines)
        if poisoned or not any(cell.strip() for cell in row):
            continue
        if layout is None:
            layout = _Layout.of(row)
            if layout is None:
                seen = ", ".join(repr(c.strip()[:40]) for c in row[:20])
                yield ctx.reject(f"no text column: the header has {seen}; vigil needs one of "
                                 f"{', '.join(_TEXT)}", line=start, raw=raw.encode("utf-8", "surrogateescape"))
                return
            source = ctx.source_or(layout.shape)
            event = _event_from_name(ctx.path) if layout.shape in ("crisislex", "crisisnlp") else ""
            continue
        yield _row(row, layout, start, raw, source, event, delimiter, ctx)
    yield from _flush(lines)
    if layout is None:
        yield ctx.reject("no header row: the input is empty or blank", line=1)


def _reader(lines: _Lines, delimiter: str, quoted: bool) -> Iterator[list[str]]:
    # strict: a quote left open at the end of the file, or text glued after a closing quote, is a reject
    # rather than a silently merged or mangled row
    return csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
                      strict=True)


def _flush(lines: _Lines) -> Iterator[Reject]:
    if lines.pending:
        yield from lines.pending
        lines.pending.clear()


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def _dialect(fp: BinaryIO) -> tuple[str, bool]:
    """Delimiter from the header line; for TSV, CSV-style quoting only when the head shows it is used.

    HumAID's TSV is written without quoting, so a tweet that starts with ``"`` would swallow the rows after
    it if quotes were honoured; the CrisisNLP and Kawarith TSVs quote the fields that need it, doubling inner quotes.
    Quotes are honoured when the head holds well-formed quoted cells and no cell that merely starts with one.
    """
    try:
        head = read_head(fp).decode("utf-8", "replace").lstrip("\ufeff")
    except (TypeError, OSError, ValueError):
        return ",", True
    lines = head.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "\t" not in lines[0]:
        return ",", True
    complete = lines[:-1] if len(lines) > 1 else lines  # the head's last line may be cut
    well_formed = malformed = 0
    for line in complete:
        for cell in line.split("\t"):
            if cell.startswith('"'):
                if len(cell) >= 2 and cell.endswith('"') and '"' not in cell[1:-1].replace('""', ""):
                    well_formed += 1
                else:
                    malformed += 1
    return "\t", bool(well_formed and not malformed)


def _event_from_name(path: str) -> str:
    """CrisisLexT26 and CrisisNLP name each file after its event (``2013_Alberta_floods-tweets_labeled``)."""
    stem = PurePath(path).stem
    if not stem or stem == "-":
        return ""
    return _EVENT_SUFFIX.sub("", stem).lower()


def _value(row: list[str], index: int | None) -> str:
    if index is None:
        return ""
    value = row[index].strip()
    return "" if value.lower() in _MISSING else value


def _row(row: list[str], layout: _Layout, start: int, raw: str, source: str, event: str, delimiter: str,
         ctx: ReadContext) -> Message | Reject:
    raw_b = raw.encode("utf-8", "surrogateescape")
    width = len(layout.names)
    if len(row) != width:
        if len(row) < width or any(cell.strip() for cell in row[width:]):
            return ctx.reject(f"expected {width} {_kind(delimiter)} columns as in the header, got {len(row)}",
                              line=start, raw=raw_b)
        row = row[:width]  # trailing empty cells from a trailing delimiter
    if has_bad_bytes(raw):
        return _bad_bytes(row, layout, start, raw_b, ctx)
    text = clean_text(row[layout.text])
    if not text:
        return ctx.reject(f"empty text in column {layout.names[layout.text]!r}", line=start, raw=raw_b)
    native_id = _value(row, layout.id).strip("'\"").strip()
    if not native_id:
        # no id in the file: the line number, qualified by the file name so two files do not collide
        native_id = f"{PurePath(ctx.path).name}:{start}"
    labels: dict[str, str] = {}
    for i in layout.labels:
        value = _value(row, i)
        if value:
            labels[layout.names[i]] = clean_text(value)
    if layout.shape == "disaster_response":
        labels["categories"] = "|".join(layout.names[i] for i in layout.categories if row[i].strip() == "1")
    if event and "event" not in labels:
        labels["event"] = event
    created_at = _time(_value(row, layout.time))
    if created_at is None:
        created_at = TIME_UNKNOWN
        labels["time_unknown"] = "1"
    lang = _value(row, layout.lang).lower()
    url = _value(row, layout.url)
    title = clean_text(_value(row, layout.title)) if layout.title is not None else None
    return Message(
        id=make_id(source, native_id),
        source=source,
        format=NAME,
        native_id=native_id,
        created_at=created_at,
        text=text,
        author=_value(row, layout.author).lstrip("@"),
        title=title or None,
        lang=lang if _LANG_CODE.match(lang) else None,
        url=url if url.startswith(("http://", "https://")) else None,
        labels=labels,
        raw=raw.rstrip("\r\n"),
    )


def _time(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _bad_bytes(row: list[str], layout: _Layout, start: int, raw_b: bytes, ctx: ReadContext) -> Reject:
    column = next((layout.names[i] for i, cell in enumerate(row) if has_bad_bytes(cell)), "?")
    cell = next((c for c in row if has_bad_bytes(c)), "")
    byte = next((ord(ch) - 0xDC00 for ch in cell if "\udc80" <= ch <= "\udcff"), 0)
    return ctx.reject(f"invalid UTF-8 in column {column!r} (byte 0x{byte:02x}); is the file in another "
                      f"encoding (Mac Roman, cp1252)? Pass --encoding mac_roman (or cp1252) to keep this row",
                      line=start, raw=raw_b)
