"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, parsed with feedparser.

Each entry becomes a document :class:`~vigil.message.Message` (it has a ``title``). Feeds are small, so the
file is read into memory up to :data:`MAX_FEED_BYTES`; a larger one is refused with one reject rather than
risking memory. feedparser never fetches anything here: it is handed an in-memory stream, never a string it
could take for a URL or a path.

Malformed XML is common in the wild. feedparser then falls back to a lenient parser (``bozo``); the entries it
recovered are kept, and only a feed that yields no entry at all becomes a reject carrying the parser's reason.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, html_to_text, parse_datetime
from ._docutil import declared_lang, slugify, stable_hash
from .base import Head, ReadContext, convert_records

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "MAX_FEED_BYTES", "NAME", "feed_root", "read", "sniff"]

NAME = "feed"
DESCRIPTION = "RSS 2.0, RSS 1.0 (RDF) or Atom feed; each entry becomes a titled document"
DEFAULT_SOURCE = "feed"

MAX_FEED_BYTES = 50 * 1024 * 1024

_ATOM_NS = "http://www.w3.org/2005/Atom"
_RSS1_NS = "http://purl.org/rss/1.0/"
# The first element of an XML document, skipping the declaration, comments, processing instructions and a
# DOCTYPE (which may carry an internal subset in brackets).
_ROOT = re.compile(
    r"\A\ufeff?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)\s*)*<([A-Za-z_][\w:.-]*)",
    re.S | re.I,
)
_XML_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def feed_root(text: str) -> str | None:
    """The root element name of an XML head (``"rss"``, ``"feed"``, ``"rdf:RDF"``, ``"html"``), if any.

    >>> feed_root('<?xml version="1.0"?>\\n<!-- hi -->\\n<rss version="2.0">')
    'rss'
    """
    match = _ROOT.match(text)
    return match.group(1) if match else None


def sniff(head: Head) -> int:
    """Confidence that the input is a feed: the root element decides; a mention deeper in XML scores lower."""
    if head.kind not in ("xml", "html"):
        return 0
    root = (feed_root(head.text) or "").lower()
    text = head.text[:8192]
    if root == "rss":
        return 95
    if root == "feed":
        return 95 if _ATOM_NS in text else 50
    if root == "rdf:rdf":
        return 95 if _RSS1_NS in text else 30
    if head.kind == "xml" and ("<rss" in text or ("<feed" in text and _ATOM_NS in text)):
        return 60  # wrapped in something else, or after odd prologue the regex did not skip
    return 0


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield one Message per feed entry; rejects for entries without content or date, or an unreadable feed."""
    data = fp.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        yield ctx.reject(f"feed larger than {MAX_FEED_BYTES // (1024 * 1024)} MB; feeds are read whole, split "
                         f"it into smaller files", raw=data[:512])
        return
    if not data.strip():
        yield ctx.reject("empty feed file")
        return
    data, repaired = _repair_utf8(data)
    try:
        parsed = _parse(data)
    except Exception as exc:  # a third-party parser on hostile input; keep reading other files
        yield ctx.reject(f"feed could not be parsed: {type(exc).__name__}: {str(exc)[:200]}", raw=data[:512])
        return
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            yield ctx.reject(f"malformed feed, no entry could be recovered: {_bozo_reason(parsed)}",
                             line=_bozo_line(parsed), raw=data[:512])
        elif not parsed.get("version"):
            yield ctx.reject("no RSS or Atom feed found in this XML (root element "
                             f"{feed_root(data[:4096].decode('utf-8', 'replace')) or 'unknown'!r})",
                             raw=data[:512])
        return  # a well-formed feed with no entries is simply empty
    feed_title = _plain(feed.get("title"), feed.get("title_detail"))
    source = ctx.source_or(slugify(feed_title) or DEFAULT_SOURCE)
    feed_date = _first_date(feed, ("updated", "published"))
    feed_lang = feed.get("language")
    convert = _entry_converter(ctx, source, feed_date, feed_lang, repaired)
    yield from convert_records(iter(enumerate(entries, start=1)), ctx, convert)


def _repair_utf8(data: bytes) -> tuple[bytes, bool]:
    """Replace invalid bytes in a UTF-8 feed so one bad byte does not turn the whole feed into mojibake.

    Left alone, feedparser falls back to windows-1252 for the entire document when UTF-8 decoding fails,
    which garbles every Arabic entry. Feeds declaring another encoding (or UTF-16) are left to feedparser.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data, False
    declared = _XML_ENCODING.match(data[:512])
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return data, False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8"), True
    return data, False


def _parse(data: bytes) -> Any:
    import feedparser  # local: only feeds pay the import

    # An in-memory stream, never bytes or str: feedparser treats a string as a URL or a path to open.
    return feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)


def _bozo_reason(parsed: Mapping[str, Any]) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "unknown XML error"
    text = str(exc).strip() or type(exc).__name__
    return text[:300]


def _bozo_line(parsed: Mapping[str, Any]) -> int | None:
    get_line = getattr(parsed.get("bozo_exception"), "getLineNumber", None)
    if get_line is None:
        return None
    try:
        line = get_line()
    except Exception:  # SAX locators can fail once the parser is gone; the line is optional
        return None
    return line if isinstance(line, int) and line > 0 else None


def _entry_converter(ctx: ReadContext, source: str, feed_date: datetime | None, feed_lang: Any,
                     repaired: bool) -> Callable[[Any], Message]:
    def convert(entry: Any) -> Message:
        if not isinstance(entry, Mapping):
            raise RecordError(f"entry is not a mapping ({type(entry).__name__})")
        title = _plain(entry.get("title"), entry.get("title_detail"))
        body = _body(entry)
        if not title and not body:
            raise RecordError("entry has neither a title nor any text")
        if repaired and ("\ufffd" in title or "\ufffd" in body):
            raise RecordError("entry contains bytes that are not valid UTF-8 (the feed declares UTF-8); the "
                              "other entries were kept")
        created = _first_date(entry, ("published", "updated", "created")) or feed_date
        if created is None:
            raise RecordError("entry has no date (no published/updated/pubDate, and the feed itself has no "
                              "updated date)")
        link = entry.get("link")
        url = link if isinstance(link, str) and link.startswith(("http://", "https://")) else None
        native = _native_id(entry, url, title, created)
        author_detail = entry.get("author_detail")
        author_name = author_detail.get("name") if isinstance(author_detail, Mapping) else None
        return Message(
            id=make_id(source, native),
            source=source,
            format=ctx.format or NAME,
            native_id=native,
            created_at=created,
            # A titled item without a body still says something: classifiers read text, so the title stands in.
            text=body or title,
            title=title or None,
            author=clean_text(entry["author"]) if isinstance(entry.get("author"), str) else "",
            author_name=clean_text(author_name) if isinstance(author_name, str) else "",
            lang=_entry_lang(entry, feed_lang, f"{title}\n{body}"),
            url=url,
            raw=_raw(entry),
        )

    return convert


def _plain(value: Any, detail: Any) -> str:
    """A title as clean text; feedparser has already decoded entities of plain-text titles."""
    if not isinstance(value, str) or not value.strip():
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    if "html" in kind:
        return html_to_text(value).replace("\n\n", " ").replace("\n", " ")
    return clean_text(value, unescape=False)


def _body(entry: Mapping[str, Any]) -> str:
    """The longest of the entry's contents and summary, as text (feeds often truncate one of them)."""
    candidates: list[tuple[str, str]] = []
    contents = entry.get("content")
    if isinstance(contents, list):
        for item in contents:
            if isinstance(item, Mapping) and isinstance(item.get("value"), str):
                candidates.append((item["value"], str(item.get("type", ""))))
    summary = entry.get("summary")
    if isinstance(summary, str):
        detail = entry.get("summary_detail")
        kind = detail.get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
        candidates.append((summary, str(kind)))
    best = ""
    for value, kind in candidates:
        is_html = "html" in kind or (not kind and "<" in value)
        text = html_to_text(value) if is_html else clean_text(value, unescape=False)
        if len(text) > len(best):
            best = text
    return best


def _first_date(obj: Mapping[str, Any], keys: tuple[str, ...]) -> datetime | None:
    """The first usable date among ``keys``: the raw string first, else feedparser's parsed struct (UTC)."""
    for key in keys:
        raw = obj.get(key)
        if isinstance(raw, str) and raw.strip():
            try:
                return parse_datetime(raw)
            except ValueError:
                pass
        parsed = obj.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, OSError, ValueError):
                continue
    return None


def _native_id(entry: Mapping[str, Any], url: str | None, title: str, created: datetime) -> str:
    guid = entry.get("id")
    if isinstance(guid, str) and guid.strip():
        return guid.strip()
    if url:
        return url
    return stable_hash(title, created.isoformat())


def _entry_lang(entry: Mapping[str, Any], feed_lang: Any, text: str) -> str | None:
    """The entry's declared language (xml:lang on its parts), else the feed's, if the text's script agrees."""
    contents = entry.get("content")
    details = [*(contents if isinstance(contents, list) else []), entry.get("summary_detail"),
               entry.get("title_detail")]
    for detail in details:
        if isinstance(detail, Mapping) and detail.get("language"):
            return declared_lang(detail.get("language"), text)
    return declared_lang(feed_lang, text)


def _raw(entry: Mapping[str, Any]) -> str:
    # feedparser's *_parsed struct_time values repeat the raw date strings; leave them out of the audit copy.
    plain = {k: v for k, v in entry.items() if not k.endswith("_parsed")}
    return orjson.dumps(plain, default=str).decode("utf-8")
