"""News articles: one HTML page or one plain-text file is one titled :class:`~vigil.message.Message`.

HTML pages go through trafilatura, which keeps the article body and drops navigation, cookie banners, related
links and footers. It is given the page's text and never a URL, so nothing is fetched. The publication time
is read from the page's own markup first (``article:published_time``, JSON-LD ``datePublished``,
``<time datetime>``) because trafilatura reports dates to the day only.

Plain-text articles are written the way people save them::

    Families shelter in basements as shelling intensifies
    Source: The Example Times
    Published: 2016-12-13T10:05:00+02:00
    By: Samira Haddad
    URL: https://news.example.org/world/families-shelter

    First paragraph ...

    Second paragraph ...

The first non-empty line is the title; ``Key: value`` lines right after it are metadata; the rest is the
body, paragraphs separated by blank lines (hard-wrapped lines inside a paragraph are joined).

An article without a publication date is rejected with a hint rather than stamped with the file's mtime,
which would make re-ingest non-deterministic and put old news at the top of every timeline.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, BinaryIO

import orjson

from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from ._docutil import declared_lang, slugify, stable_hash
from .base import Head, ReadContext, has_bad_bytes
from .feeds import feed_root

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "MAX_ARTICLE_BYTES", "NAME", "NO_DATE_HINT", "read", "sniff"]

NAME = "article"
DESCRIPTION = ("news article: an HTML page (main text extracted, boilerplate dropped) or a text file with a "
               "title line and Source:/Published:/By:/URL: header lines")
DEFAULT_SOURCE = "news"

MAX_ARTICLE_BYTES = 20 * 1024 * 1024

NO_DATE_HINT = ("article has no publication date; add a 'Published: <ISO date>' line after the title (text) or "
                "<meta property='article:published_time' content='<ISO date>'> (HTML)")

# Header names (lower case) of plain-text articles and the field each fills. Arabic names are there because
# articles saved from Arabic sites carry them.
_TEXT_KEYS = {
    "title": "title", "headline": "title", "العنوان": "title",
    "source": "source", "site": "source", "publication": "source", "publisher": "source", "outlet": "source",
    "المصدر": "source",
    "published": "published", "published at": "published", "publication date": "published", "date": "published",
    "dateline": "published", "التاريخ": "published", "تاريخ النشر": "published",
    "updated": "updated", "last updated": "updated", "modified": "updated",
    "url": "url", "link": "url", "canonical": "url", "الرابط": "url",
    "by": "author", "author": "author", "authors": "author", "byline": "author", "writer": "author",
    "الكاتب": "author", "بقلم": "author",
    "language": "lang", "lang": "lang", "اللغة": "lang",
    "id": "id",
}
_HEADER_LINE = re.compile(r"^\s*([^\W\d_][^:\n]{0,30}?)\s*:\s*(.*?)\s*$")
_BYLINE = re.compile(r"^\s*(?:By|BY|by)\s+(\S.{0,120})$")
_PROSE_END = re.compile(r"[.!?؟…\"'»”)]\s*$")
_TRANSCRIPT_HINT = re.compile(r"^\s*(?:caller|from|phone)\s*:", re.I | re.M)

# Page metadata naming the publication time, most specific first (names compared in lower case).
_META_DATE_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
    "dcterms.created", "dc.date", "date",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def sniff(head: Head) -> int:
    """Confidence that the input is an article: any HTML page bids 70; text needs a title and headers or prose."""
    if head.kind == "html":
        text = head.text[:16384]
        root = (feed_root(text) or "").lower()
        if root in ("rss", "feed", "rdf:rdf"):
            return 0  # a feed whose entries embed HTML
        if "tgme_" in text or ('class="history"' in text and 'class="message' in text):
            return 0  # Telegram web preview or desktop export: a chat, not an article
        return 70
    if head.kind not in ("text", "delimited"):
        return 0
    return _text_score(head.text, prose_ok=head.kind == "text")


def _text_score(text: str, *, prose_ok: bool) -> int:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")[:400]
    if _TRANSCRIPT_HINT.search("\n".join(lines[:12])):
        return 10  # a voicemail transcript: its own reader is sure of it
    title, headers, body_start = _split_header(lines)
    if not title or len(title) > 300:
        return 0
    if any(key in headers for key in ("published", "source", "author", "url")):
        return 60
    if not prose_ok:
        return 0  # commas in every line of the head: only explicit header lines outweigh a CSV reading
    paragraphs = _paragraphs(lines[body_start:])
    prose = [p for p in paragraphs if len(p.split()) >= 8 and _PROSE_END.search(p)]
    if len(prose) >= 3:
        return 45
    return 0


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield one Message for the article in ``fp`` (HTML or text), or one reject saying what is missing."""
    data = fp.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        yield ctx.reject(f"article larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; is this really one "
                         f"article?", raw=data[:512])
        return
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        yield ctx.reject("empty article file")
        return
    if stripped[:1] == b"<" or (data[:2] in (b"\xff\xfe", b"\xfe\xff")
                                and data.decode("utf-16", "replace").lstrip("\ufeff \t\r\n")[:1] == "<"):
        yield _read_html(data, ctx)
    else:
        yield _read_text(data, ctx)


# --- plain text -------------------------------------------------------------------------------------------


def _read_text(data: bytes, ctx: ReadContext) -> Message | Reject:
    text = data.decode("utf-8-sig", "surrogateescape")
    if has_bad_bytes(text):
        try:
            data.decode("utf-8")
            where = ""
        except UnicodeDecodeError as exc:
            where = f" at byte {exc.start}"
        return ctx.reject(f"invalid UTF-8{where}; save the article as UTF-8", raw=data[:512])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    title, headers, body_start = _split_header(lines)
    title = clean_text(title)
    if not title:
        return ctx.reject("article has no title (the first non-empty line is the title)", raw=data[:512])
    body = "\n\n".join(_paragraphs(lines[body_start:]))
    if not body:
        return ctx.reject("article has a title but no body text after its header lines", raw=data[:512],
                          line=body_start + 1)
    date_value = headers.get("published") or headers.get("updated")
    if not date_value:
        return ctx.reject(NO_DATE_HINT, raw=data[:512])
    try:
        created = parse_datetime(date_value)
    except ValueError as exc:
        return ctx.reject(f"Published date: {exc}", raw=data[:512])
    given_url = headers.get("url", "")
    url = given_url if given_url.startswith(("http://", "https://")) else None
    source = ctx.source_or(slugify(headers.get("source", "")) or DEFAULT_SOURCE)
    native = headers.get("id") or url or stable_hash(title, created.isoformat(), body[:200])
    return Message(
        id=make_id(source, native),
        source=source,
        format=ctx.format or NAME,
        native_id=native,
        created_at=created,
        text=body,
        title=title,
        author=clean_text(headers.get("author", "")),
        lang=declared_lang(headers.get("lang"), f"{title}\n{body}"),
        url=url,
        raw=text,
    )


def _split_header(lines: list[str]) -> tuple[str, dict[str, str], int]:
    """``(title, headers, index of the first body line)`` of a text article.

    The title is the first non-empty line unless that line is itself a known header (then a ``Title:`` header
    or the first line after the headers is used). Blank lines may separate the title from the headers.
    """
    headers: dict[str, str] = {}
    title = ""
    i = 0
    n = len(lines)
    while i < n and not lines[i].strip():
        i += 1
    if i < n and _header(lines[i]) is None:
        title = lines[i].strip().lstrip("\ufeff")
        i += 1
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        found = _header(line)
        if found is None:
            break
        key, value = found
        headers.setdefault(key, value)
        i += 1
    title = title or headers.get("title", "")
    if not title:  # headers first and no Title: header: the first body line is the title
        while i < n and not lines[i].strip():
            i += 1
        if i < n:
            title = lines[i].strip()
            i += 1
    return title, headers, i


def _header(line: str) -> tuple[str, str] | None:
    """A known ``Key: value`` or ``By Name`` header line as ``(field, value)``, else ``None``."""
    match = _HEADER_LINE.match(line)
    if match:
        field = _TEXT_KEYS.get(match.group(1).strip().lower())
        if field is not None and match.group(2):
            return field, match.group(2)
        return None
    by = _BYLINE.match(line)
    if by and len(by.group(1).split()) <= 8:
        return "author", by.group(1).strip()
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of ``lines`` (split at blank lines), each with its hard-wrapped lines joined by a space."""
    out: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            para = clean_text(" ".join(current))
            if para:
                out.append(para)
            current = []
    return out


# --- HTML ---------------------------------------------------------------------------------------------------


def _read_html(data: bytes, ctx: ReadContext) -> Message | Reject:
    html, bad_bytes = _decode_html(data)
    try:
        doc = _extract(html)
    except Exception as exc:  # trafilatura and lxml on arbitrary bytes; one bad page must not stop a batch
        return ctx.reject(f"HTML page could not be parsed: {type(exc).__name__}: {str(exc)[:200]}",
                          raw=data[:512])
    meta = _page_meta(html)
    if doc is None or not isinstance(getattr(doc, "text", None), str) or not doc.text.strip():
        return ctx.reject("no article text could be extracted from this HTML page (is it an index page, a "
                          "paywall or a page built by JavaScript?)", raw=data[:512])
    title = clean_text(_str(meta.get("title")) or _str(doc.title))
    paragraphs = [p for p in (clean_text(line) for line in doc.text.split("\n")) if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # trafilatura repeats the headline as the first line
    body = "\n\n".join(paragraphs)
    if not body:
        return ctx.reject("the HTML page has a title but no article text", raw=data[:512])
    if not title:
        title = paragraphs[0][:200]
    created = _page_date(meta, doc)
    if isinstance(created, str):
        return ctx.reject(created, raw=data[:512])
    url = _str(meta.get("url")) or _str(doc.url) or None
    if url and not url.startswith(("http://", "https://")):
        url = None
    sitename = _str(meta.get("sitename")) or _str(doc.sitename)
    source = ctx.source_or(slugify(sitename) or DEFAULT_SOURCE)
    native = url or stable_hash(title, created.isoformat(), body[:200])
    raw = html
    if bad_bytes:
        # The text was decoded with U+FFFD replacements, as a browser would; say so in the audit copy.
        raw = f"<!-- vigil: invalid bytes for {bad_bytes} replaced with U+FFFD -->\n{html}"
    return Message(
        id=make_id(source, native),
        source=source,
        format=ctx.format or NAME,
        native_id=native,
        created_at=created,
        text=body,
        title=title,
        author=clean_text(_str(meta.get("author")) or _str(doc.author)),
        lang=declared_lang(meta.get("lang"), f"{title}\n{body}"),
        url=url,
        raw=raw,
    )


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _decode_html(data: bytes) -> tuple[str, str]:
    """The page as text in its declared charset (UTF-8 by default), and the charset name if bytes were bad."""
    if data[:3] == b"\xef\xbb\xbf":
        encoding = "utf-8"
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                encoding = "utf-8"
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError:
        return data.decode(encoding, "replace"), encoding


_CONFIG: Any = None


def _trafilatura_config() -> Any:
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        config = use_config()
        # Our own size bound applies (trafilatura's default is 20 MB of *characters*, silently returning None);
        # the CLI-only timeout relies on signals, which are not ours to take.
        config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_ARTICLE_BYTES * 4))
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
        config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
        _CONFIG = config
    return _CONFIG


def _extract(html: str) -> Any:
    import trafilatura  # local: only HTML articles pay the import

    return trafilatura.bare_extraction(
        html,
        with_metadata=True,
        favor_precision=True,  # a cookie banner or a menu must not pass for an article
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        # Dates from the markup only: free-text guesses pick up copyright years and "updated 3 hours ago".
        date_extraction_params={"extensive_search": False, "original_date": True},
        config=_trafilatura_config(),
    )


def _page_meta(html: str) -> dict[str, str]:
    """Publication time, canonical URL, site name, title, author and language from the page's markup."""
    from selectolax.lexbor import LexborHTMLParser  # local: only HTML inputs pay the import

    tree = LexborHTMLParser(html)
    out: dict[str, str] = {}
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), content.strip())
    for key in _META_DATE_KEYS:
        if key in metas:
            out["published"] = metas[key]
            break
    if "published" not in out:
        ld_date = _jsonld_date(tree)
        if ld_date:
            out["published"] = ld_date
    if "published" not in out:
        for selector in ("time[itemprop='datePublished']", "time[pubdate]", "article time[datetime]"):
            found = tree.css_first(selector)
            value = found.attributes.get("datetime") if found is not None else None
            if value and value.strip():
                out["published"] = value.strip()
                break
    canonical = tree.css_first("link[rel='canonical']")
    href = canonical.attributes.get("href") if canonical is not None else None
    out["url"] = (href or metas.get("og:url") or "").strip()
    out["sitename"] = metas.get("og:site_name", "")
    out["title"] = metas.get("og:title", "")
    out["author"] = metas.get("author", "")
    root = tree.css_first("html")
    out["lang"] = (root.attributes.get("lang") or "") if root is not None else ""
    out["lang"] = out["lang"] or metas.get("og:locale", "") or metas.get("content-language", "")
    return out


def _jsonld_date(tree: Any) -> str:
    for node in tree.css("script[type='application/ld+json']"):
        try:
            data = orjson.loads(node.text(strip=True) or "null")
        except orjson.JSONDecodeError:
            continue
        stack: list[Any] = [data]
        seen = 0
        while stack and seen < 200:  # bounded walk: JSON-LD can nest @graph lists arbitrarily
            item = stack.pop()
            seen += 1
            if isinstance(item, dict):
                value = item.get("datePublished") or item.get("dateCreated")
                if isinstance(value, str) and value.strip():
                    return value.strip()
                stack.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                stack.extend(item)
    return ""


def _page_date(meta: dict[str, str], doc: Any) -> datetime | str:
    """The publication time, or the reason there is none (as a string)."""
    if meta.get("published"):
        try:
            return parse_datetime(meta["published"])
        except ValueError:
            pass  # a malformed meta tag; trafilatura may still find a usable date elsewhere in the markup
    value = _str(getattr(doc, "date", None))
    if value:
        try:
            return parse_datetime(value)
        except ValueError as exc:
            return f"publication date: {exc}"
    if meta.get("published"):
        return f"publication date {meta['published'][:60]!r} is not a date (expected ISO-8601)"
    return NO_DATE_HINT
