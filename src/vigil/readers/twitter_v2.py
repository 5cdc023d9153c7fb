"""X/Twitter API v2: search/timeline responses, paginated files and JSON Lines.

Shapes read:

* one response ``{"data": [...], "includes": {"users": [...], "tweets": [...]}, "meta": {...}}``, or several
  such responses concatenated in one file (paginated dumps);
* JSON Lines where each line is a response (twarc2's raw output), a filtered-stream line
  ``{"data": {tweet}, "includes": ...}``, or a bare tweet object (twarc2 ``flatten`` puts the user object in
  ``author``).

Memory is bounded by one response page (the API returns at most 500 tweets per page), never by the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import ijson
import orjson

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from .base import MAX_RAW_BYTES, Head, ReadContext, convert_one, convert_records, jsonl_records, raw_bytes
from .jsonguard import ChainedStream, DepthGuard, JSONTooDeep, ValueTooLarge, split_values

NAME = "twitter-v2"
DESCRIPTION = "X/Twitter API v2 responses (data + includes.users), paginated files, and JSON Lines of tweets"
DEFAULT_SOURCE = "x"

_V2_TWEET_KEYS = ("author_id", "edit_history_tweet_ids", "conversation_id", "referenced_tweets", "note_tweet")
_NO_LANG = frozenset({"und", "qme", "qht", "qam", "qst", "zxx", "art", ""})


def sniff(head: Head) -> int:
    """Score v2 content: ``data`` (+``includes``/``meta``) responses, or tweet objects with ``author_id``."""
    if head.kind == "json":
        if head.has("", "data") and head.any("", "includes", "meta", "errors"):
            return 95
        if head.any("data.item", *_V2_TWEET_KEYS) or head.any("data", *_V2_TWEET_KEYS):
            return 90
        if head.any("item", *_V2_TWEET_KEYS) and not head.has("item", "id_str"):
            return 85
    if head.kind == "jsonl":
        if head.has("item", "data") and (head.any("item.data", "text", *_V2_TWEET_KEYS)
                                         or head.any("item.data.item", "text", *_V2_TWEET_KEYS)):
            return 95
        if head.has("item", "id", "text") and head.any("item", *_V2_TWEET_KEYS) and not head.has("item", "id_str"):
            return 90
    return 0


class _Page:
    """Users and referenced tweets of one response, for resolving authors and full retweet text."""

    __slots__ = ("tweets", "users")

    def __init__(self, includes: Any) -> None:
        self.users: dict[str, tuple[str, str]] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        if not isinstance(includes, dict):
            return
        for user in includes.get("users") or ():
            if isinstance(user, dict) and isinstance(user.get("id"), str):
                self.users[user["id"]] = (str(user.get("username") or ""), str(user.get("name") or ""))
        for tweet in includes.get("tweets") or ():
            if isinstance(tweet, dict) and isinstance(tweet.get("id"), str):
                self.tweets[tweet["id"]] = tweet


_EMPTY = _Page(None)


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield one :class:`Message` per tweet; bad tweets and broken lines become rejects."""
    source = ctx.source_or(DEFAULT_SOURCE)
    first = _first_byte(fp)
    if first == b"{" and _is_jsonl(fp):
        yield from _read_jsonl(fp, ctx, source)
    else:
        yield from _read_documents_fast(fp, ctx, source)


def _first_byte(fp: BinaryIO) -> bytes:
    peek = getattr(fp, "peek", None)
    data = peek(4096) if peek is not None else b""
    if not data and fp.seekable():
        pos = fp.tell()
        data = fp.read(4096)
        fp.seek(pos)
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def _is_jsonl(fp: BinaryIO) -> bool:
    peek = getattr(fp, "peek", None)
    data: bytes = peek(65536) if peek is not None else b""
    if fp.seekable() and len(data) < 65536:
        pos = fp.tell()
        data = fp.read(65536)
        fp.seek(pos)
    line, nl, rest = data.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    if not nl or not rest.strip():
        return False
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _read_jsonl(fp: BinaryIO, ctx: ReadContext, source: str) -> Iterator[Message | Reject]:
    single = _converter(_EMPTY, source)
    for item in jsonl_records(fp, ctx):
        if isinstance(item, Reject):
            yield item
            continue
        number, value = item
        if isinstance(value, dict) and "data" in value:
            page = _Page(value.get("includes"))
            data = value["data"]
            tweets = data if isinstance(data, list) else [data]
            yield from convert_records(((number, t) for t in tweets), ctx, _converter(page, source))
        else:  # one tweet per line: the hot path of big files, converted without a generator per record
            result = convert_one(number, value, ctx, single)
            if result is not None:
                yield result


_MAX_PAGE_BYTES = 64 * 1024 * 1024
_IJSON_ERRORS = (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError)


def _read_documents_fast(fp: BinaryIO, ctx: ReadContext, source: str) -> Iterator[Message | Reject]:
    """Split the file into its response documents and parse each with orjson (pages are small; this is ~2x
    faster than an event parser). A document over 64 MB switches to :func:`_read_documents` streaming."""
    count = docs = 0
    try:
        for raw in split_values(fp, _MAX_PAGE_BYTES):
            docs += 1
            try:
                doc = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                salvaged = 0
                try:  # a broken or cut page: its complete tweets are still worth keeping
                    for tweet in ijson.items(DepthGuard(io.BytesIO(raw)), "data.item", use_float=True):
                        salvaged += 1
                        yield from convert_records(iter([(count + salvaged, tweet)]), ctx, _converter(_EMPTY, source))
                except _IJSON_ERRORS:
                    pass
                count += salvaged
                reason = str(exc).split(": line", 1)[0]
                yield ctx.reject(f"JSON stops being readable after record {count}: {reason}; the records before it "
                                 f"were kept", line=count + 1, raw=raw[:MAX_RAW_BYTES])
                continue
            if not isinstance(doc, dict) or "data" not in doc:
                what = f"keys {sorted(doc)[:8]}" if isinstance(doc, dict) else type(doc).__name__
                yield ctx.reject(f"document {docs} is not an X API v2 response (expected 'data', got {what})",
                                 line=count + 1, raw=raw[:MAX_RAW_BYTES])
                continue
            data = doc["data"]
            tweets = data if isinstance(data, list) else [data]
            page = _Page(doc.get("includes"))
            numbered = [(count + i, t) for i, t in enumerate(tweets, start=1)]
            count += len(tweets)
            yield from convert_records(iter(numbered), ctx, _converter(page, source))
    except ValueTooLarge as big:
        yield from _read_documents(ChainedStream(big.head, fp), ctx, source, start=count)  # type: ignore[arg-type]
    except JSONTooDeep as exc:
        yield ctx.reject(f"JSON stops being readable after record {count}: {exc}; the records before it were kept",
                         line=count + 1)
    if docs == 0:
        yield ctx.reject("no X API v2 response found (expected a top-level object with 'data')", line=1)


def _read_documents(fp: BinaryIO, ctx: ReadContext, source: str, start: int = 0) -> Iterator[Message | Reject]:
    """Walk top-level keys of one or more response documents with an event parser, one page in memory at a
    time (the fallback for documents too large to parse whole)."""
    data: list[Any] | None = None
    includes: Any = None
    seen: set[str] = set()
    count = start

    def flush() -> Iterator[Message | Reject]:
        nonlocal count
        if data is None:
            return
        page = _Page(includes)
        numbered = []
        for tweet in data:
            count += 1
            numbered.append((count, tweet))
        yield from convert_records(iter(numbered), ctx, _converter(page, source))

    try:
        for key, value in ijson.kvitems(DepthGuard(fp), "", use_float=True, multiple_values=True):
            if key in seen:  # a key repeats: the previous document ended, a new page starts
                yield from flush()
                data, includes, seen = None, None, set()
            seen.add(key)
            if key == "data":
                data = value if isinstance(value, list) else [value]
            elif key == "includes":
                includes = value
            elif key == "errors" and data is None and isinstance(value, list):
                pass  # API-level partial errors (deleted tweets...) carry no tweets to keep
        yield from flush()
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        yield from flush()  # tweets of the page read so far are kept
        for item in _salvage_page(fp, ctx, source, count):
            count += 1
            yield item
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        yield ctx.reject(f"JSON stops being readable after record {count}: {reason}; the records before it "
                         f"were kept", line=count + 1)
        return


def _salvage_page(fp: BinaryIO, ctx: ReadContext, source: str, done: int) -> Iterator[Message | Reject]:
    """After a cut or broken page, re-stream its complete tweets one by one (their users were never reached,
    so authors stay as ``id:<author_id>``). Only possible when the input can be re-read."""
    if not fp.seekable():
        return
    try:
        fp.seek(0)
        items = ijson.items(DepthGuard(fp), "data.item", use_float=True, multiple_values=True)
        for number, tweet in enumerate(items, start=1):
            if number > done:
                yield from convert_records(iter([(number, tweet)]), ctx, _converter(_EMPTY, source))
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError, OSError):
        return


def _converter(page: _Page, source: str) -> Callable[[Any], Message]:
    def convert(tweet: Any) -> Message:
        return _to_message(tweet, page, source)

    return convert


def _full_text(tweet: dict[str, Any]) -> str:
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str) and note["text"]:
        return str(note["text"])
    text = tweet.get("text")
    if not isinstance(text, str):
        raise RecordError("missing 'text'" if text is None else f"'text' must be a string, got {type(text).__name__}")
    return text


def _expand_urls(text: str, tweet: dict[str, Any]) -> str:
    entities = tweet.get("entities")
    if not isinstance(entities, dict) or "t.co/" not in text:
        return text
    for url in entities.get("urls") or ():
        if isinstance(url, dict):
            short, full = url.get("url"), url.get("expanded_url")
            if isinstance(short, str) and isinstance(full, str) and short:
                text = text.replace(short, full)
    return text


def _to_message(tweet: Any, page: _Page, source: str) -> Message:
    if not isinstance(tweet, dict):
        raise RecordError(f"expected a tweet object, got {type(tweet).__name__}")
    native = tweet.get("id")
    if isinstance(native, int) and not isinstance(native, bool):
        native = str(native)
    if not isinstance(native, str) or not native:
        raise RecordError("missing tweet 'id'")
    text = _full_text(tweet)
    created_raw = tweet.get("created_at")
    if created_raw is None:
        raise RecordError("missing 'created_at'")
    try:
        created = parse_datetime(created_raw)
    except ValueError as exc:
        raise RecordError(f"created_at: {exc}") from None

    author_id = tweet.get("author_id")
    username, name = "", ""
    embedded = tweet.get("author")
    if isinstance(embedded, dict):  # twarc2 flatten
        username, name = str(embedded.get("username") or ""), str(embedded.get("name") or "")
    elif isinstance(author_id, str) and author_id in page.users:
        username, name = page.users[author_id]
    author = username or (f"id:{author_id}" if isinstance(author_id, str | int) and author_id else "")

    reply_to = retweet_of = quote_of = None
    for ref in tweet.get("referenced_tweets") or ():
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str | int):
            continue
        ref_id = make_id(source, str(ref["id"]))
        kind = ref.get("type")
        if kind == "retweeted":
            retweet_of = ref_id
            original = page.tweets.get(str(ref["id"]))
            if original is not None:  # the RT's own text is truncated; the original's is whole
                orig_user = page.users.get(str(original.get("author_id")), ("", ""))[0]
                prefix = f"RT @{orig_user}: " if orig_user else text.split(": ", 1)[0] + ": "
                text = prefix + _expand_urls(_full_text(original), original)
        elif kind == "quoted":
            quote_of = ref_id
        elif kind == "replied_to":
            reply_to = ref_id
    text = clean_text(_expand_urls(text, tweet))
    if not text:
        raise RecordError("empty text")
    lang = tweet.get("lang")
    return Message(
        id=make_id(source, native),
        source=source,
        format=NAME,
        native_id=native,
        created_at=created,
        text=text,
        author=username or author,
        author_name=name,
        lang=lang if isinstance(lang, str) and lang not in _NO_LANG else None,
        reply_to=reply_to,
        retweet_of=retweet_of,
        quote_of=quote_of,
        url=f"https://x.com/{username}/status/{native}" if username else f"https://x.com/i/status/{native}",
        raw=raw_bytes(tweet).decode("utf-8", "replace"),
    )
