"""X/Twitter API v1.1 status objects: a JSON array, JSON Lines, or a search response ``{"statuses": [...]}``.

The text is the fullest one the record carries (``extended_tweet.full_text`` > ``full_text`` > ``text``), so a
140-character truncation never wins over the full text. A retweet gets its original's full text, prefixed
``RT @author: `` as X shows it, and points at the original in ``retweet_of``. ``t.co`` links are replaced by
the URLs they stand for (from ``entities``), so the text keeps real URLs. Stream-API service notices
(``delete``, ``limit`` ...) are not messages and are skipped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any, BinaryIO

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from ._statuses import raw_text, status_records
from .base import Head, ReadContext, convert_records, require_str

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "NAME", "read", "sniff"]

NAME = "twitter-v1"
DESCRIPTION = "X/Twitter API v1.1 statuses (JSON array, JSON Lines or search response)"
DEFAULT_SOURCE = "x"

# Notices the streaming API interleaves with statuses; they carry no message.
_SERVICE_KEYS = frozenset({"delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
                           "warning", "event", "friends", "friends_str", "control"})
_STATUS_KEYS = frozenset({"id_str", "id", "text", "full_text", "created_at", "user"})
_V1_DATE = re.compile(r'"created_at"\s*:\s*"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}"')
_TCO = re.compile(r"https?://t\.co/[A-Za-z0-9]+")
_LANG = re.compile(r"[a-z]{2,3}")
# "und" undetermined, "zxx" no linguistic content, "art" artificial, and X's private-use codes (qme media
# only, qht hashtags only, qam mentions only ...): none of them is a language.
_NOT_LANGS = frozenset({"und", "zxx", "art", "mis", "mul"})
_LEGACY_LANGS = {"in": "id", "iw": "he", "ji": "yi"}  # X still emits the withdrawn ISO 639 codes


def sniff(head: Head) -> int:
    """Confidence that ``head`` holds v1.1 statuses: a ``user`` object with ``screen_name``, ``id_str``...

    X API v2 tweets (``author_id``, no ``user``) and Mastodon statuses (``account``) score 0.
    """
    if head.kind not in ("json", "jsonl"):
        return 0
    best = 0
    for prefix in ("item", "statuses.item", "", "item.statuses.item"):
        keys = head.keys.get(prefix)
        if not keys or "user" not in keys:
            continue
        score = 0
        if "screen_name" in head.keys.get(f"{prefix}.user", ()):
            score += 40
        if "id_str" in keys:
            score += 20
        if keys & {"text", "full_text", "extended_tweet"}:
            score += 15
        if "created_at" in keys:
            score += 10
        best = max(best, score)
    has_v1_date = _V1_DATE.search(head.text) is not None
    if best and has_v1_date:
        best += 10
    elif not best and has_v1_date and '"screen_name"' in head.text and '"id_str"' in head.text:
        best = 60  # e.g. a stream dump that opens with delete notices before the first status
    return min(best, 95)


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Stream v1.1 statuses from ``fp``; malformed records become rejects and reading goes on."""
    source = ctx.source_or(DEFAULT_SOURCE)
    records = status_records(fp, ctx, container="statuses", record_keys=_STATUS_KEYS,
                             hint="; if this is an X API v2 response, try --format twitter-v2")
    yield from convert_records(records, ctx, partial(_convert, source=source))


def _convert(obj: Any, source: str) -> Message | None:
    if not isinstance(obj, dict):
        raise RecordError(f"expected a status object, got {_type(obj)}")
    if "id_str" not in obj and "id" not in obj and obj.keys() & _SERVICE_KEYS:
        return None
    native = _status_id(obj)
    user = obj.get("user")
    if not isinstance(user, dict):
        if user is None:
            v2 = "author_id" in obj or "edit_history_tweet_ids" in obj
            hint = "; it looks like an X API v2 tweet, try --format twitter-v2" if v2 else ""
            raise RecordError(f"status {native}: missing 'user' object{hint}")
        raise RecordError(f"status {native}: 'user' must be an object, got {_type(user)}")
    screen_name = require_str(user, "screen_name", what="user.screen_name").strip().lstrip("@")
    created_at = _created_at(obj, native)

    text: str | None = None
    retweet_of: str | None = None
    original = obj.get("retweeted_status")
    if isinstance(original, dict):
        original_id = _maybe_id(original)
        if original_id is not None:
            retweet_of = make_id(source, original_id)
        text = _retweet_text(original)
    if text is None:
        text = _render(*_best_text(obj, native))
    text = clean_text(text, unescape=False)
    if not text:
        raise RecordError(f"status {native}: text is empty")

    name = user.get("name")
    return Message(
        id=make_id(source, native),
        source=source,
        format=NAME,
        native_id=native,
        created_at=created_at,
        text=text,
        author=screen_name,
        author_name=clean_text(name) if isinstance(name, str) else "",
        lang=_lang(obj.get("lang")) or (_lang(original.get("lang")) if isinstance(original, dict) else None),
        reply_to=_related(source, obj.get("in_reply_to_status_id_str"), obj.get("in_reply_to_status_id")),
        retweet_of=retweet_of,
        quote_of=_quote_of(obj, source),
        url=f"https://x.com/{screen_name}/status/{native}",
        raw=raw_text(obj),
    )


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _maybe_id(obj: dict[str, Any]) -> str | None:
    id_str = obj.get("id_str")
    if isinstance(id_str, str) and id_str.strip():
        return id_str.strip()
    number = obj.get("id")
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number)
    return None


def _status_id(obj: dict[str, Any]) -> str:
    native = _maybe_id(obj)
    if native is not None:
        return native
    if "id_str" not in obj and "id" not in obj:
        raise RecordError("missing 'id_str' (and no integer 'id')")
    raise RecordError(f"'id_str' must be a non-empty string (got {_type(obj.get('id_str'))}) or 'id' an "
                      f"integer (got {_type(obj.get('id'))})")


def _created_at(obj: dict[str, Any], native: str) -> datetime:
    value = obj.get("created_at")
    if value is None:
        value = obj.get("timestamp_ms")  # stream payloads carry both; accept either
        if value is None:
            raise RecordError(f"status {native}: missing 'created_at'")
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise RecordError(f"status {native}: unparsable 'created_at': {exc}") from None


def _best_text(obj: dict[str, Any], native: str) -> tuple[str, dict[str, str]]:
    """The fullest text of a status with its t.co -> URL map; a truncated ``text`` comes last."""
    extended = obj.get("extended_tweet")
    candidates: list[tuple[str, Any, dict[str, Any]]] = []
    if isinstance(extended, dict):
        candidates.append(("extended_tweet.full_text", extended.get("full_text"), extended))
    candidates.append(("full_text", obj.get("full_text"), obj))
    candidates.append(("text", obj.get("text"), obj))
    wrong: list[str] = []
    for label, value, holder in candidates:
        if isinstance(value, str) and value.strip():
            return value, _links(holder)
        if value is not None and not isinstance(value, str):
            wrong.append(f"{label!r} must be a string, got {_type(value)}")
    if wrong:
        raise RecordError(f"status {native}: {'; '.join(wrong)}")
    raise RecordError(f"status {native}: missing text (no 'extended_tweet.full_text', 'full_text' or 'text')")


def _retweet_text(original: dict[str, Any]) -> str | None:
    """``RT @author: `` + the original's full text, or ``None`` when the original is too broken to use."""
    user = original.get("user")
    author = user.get("screen_name") if isinstance(user, dict) else None
    if not isinstance(author, str) or not author.strip():
        return None
    try:
        text, links = _best_text(original, _maybe_id(original) or "?")
    except RecordError:
        return None
    return f"RT @{author.strip().lstrip('@')}: {_render(text, links)}"


def _links(holder: dict[str, Any]) -> dict[str, str]:
    """Map each t.co link of a status (or its ``extended_tweet``) to the URL it stands for."""
    links: dict[str, str] = {}
    for group in (holder.get("entities"), holder.get("extended_entities")):
        if not isinstance(group, dict):
            continue
        for kind in ("urls", "media"):
            entries = group.get(kind)
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if not isinstance(entry, dict):
                    continue
                short, full = entry.get("url"), entry.get("expanded_url")
                if isinstance(short, str) and isinstance(full, str) and short and full.strip():
                    links.setdefault(short, full.strip())
    return links


def _render(text: str, links: dict[str, str]) -> str:
    # v1.1 escapes &, < and > in texts. Unescape BEFORE putting expanded URLs in, so that a query string
    # such as "?a=1&reg=2" is not mangled into "?a=1®=2"; clean_text is then called with unescape=False.
    if "&" in text:
        text = html.unescape(text)
    if links and "t.co/" in text:
        text = _TCO.sub(lambda m: links.get(m.group(0), m.group(0)), text)
    return text


def _related(source: str, id_str: Any, number: Any) -> str | None:
    if isinstance(id_str, str) and id_str.strip():
        return make_id(source, id_str.strip())
    if isinstance(number, int) and not isinstance(number, bool):
        return make_id(source, str(number))
    return None


def _quote_of(obj: dict[str, Any], source: str) -> str | None:
    related = _related(source, obj.get("quoted_status_id_str"), obj.get("quoted_status_id"))
    if related is None:
        quoted = obj.get("quoted_status")
        if isinstance(quoted, dict):
            native = _maybe_id(quoted)
            related = make_id(source, native) if native is not None else None
    return related


def _lang(value: Any) -> str | None:
    """The language code X gave, or ``None`` for its non-language codes (``und``, ``zxx``, ``qme`` ...)."""
    if not isinstance(value, str):
        return None
    base = value.strip().lower().split("-", 1)[0]
    base = _LEGACY_LANGS.get(base, base)
    if not _LANG.fullmatch(base) or base in _NOT_LANGS or _is_private_use(base):
        return None
    return base


def _is_private_use(code: str) -> bool:
    # ISO 639 reserves qaa-qtz for local use; real codes such as "que" (Quechua) lie outside that range.
    return len(code) == 3 and code[0] == "q" and code[1] <= "t"
