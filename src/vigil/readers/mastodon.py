"""Mastodon API statuses: a JSON array (a timeline page), JSON Lines, or a search response.

Ids. A status's ``id`` is local to the instance it was fetched from, while its ``uri`` is global but long; the
native id is ``"<host>/<id>"`` with the host and id taken from the ``uri`` (or ``url``), so that the same post
gets the same id whichever instance served it (for a post native to the serving instance this is exactly its
host and ``id``). Authors are ``user@host`` for the same reason: the API writes local accounts without a host.

Limitation: ``in_reply_to_id`` is the *serving* instance's local id of the parent and the API gives no URI for
it, so ``reply_to`` (``"<host of the reply>/<in_reply_to_id>"``) matches the parent's id exactly only when
reply and parent are native to the instance the dump came from; it always marks the status as a reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, html_to_text, parse_datetime
from ._statuses import raw_text, status_records
from .base import Head, ReadContext, convert_records, require_str

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "NAME", "read", "sniff"]

NAME = "mastodon"
DESCRIPTION = "Mastodon API statuses (JSON array, JSON Lines or search response); boosts and content warnings kept"
DEFAULT_SOURCE = "mastodon"

_STATUS_KEYS = frozenset({"id", "uri", "url", "content", "account", "created_at"})
_LANG = re.compile(r"[a-z]{2,3}")


def sniff(head: Head) -> int:
    """Confidence that ``head`` holds Mastodon statuses: ``account`` + ``content`` + ``uri``/``visibility``."""
    if head.kind not in ("json", "jsonl"):
        return 0
    best = 0
    for prefix in ("item", "statuses.item", "", "item.statuses.item"):
        keys = head.keys.get(prefix)
        if not keys or "account" not in keys or "content" not in keys:
            continue
        score = 60
        if keys & {"uri", "visibility"}:
            score += 20
        if "acct" in head.keys.get(f"{prefix}.account", ()):
            score += 15
        best = max(best, score)
    return best


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Stream Mastodon statuses from ``fp``; malformed records become rejects and reading goes on."""
    source = ctx.source_or(DEFAULT_SOURCE)
    records = status_records(fp, ctx, container="statuses", record_keys=_STATUS_KEYS)
    yield from convert_records(records, ctx, partial(_convert, source=source))


def _convert(obj: Any, source: str) -> Message:
    if not isinstance(obj, dict):
        raise RecordError(f"expected a status object, got {_type(obj)}")
    host, native = _native_id(obj)
    account = obj.get("account")
    if not isinstance(account, dict):
        what = "missing 'account' object" if account is None else f"'account' must be an object, got {_type(account)}"
        raise RecordError(f"status {native}: {what}")
    acct = require_str(account, "acct", what="account.acct").strip().lstrip("@")
    if "@" not in acct:  # a local account: qualify it so that it is unique across instances
        acct_host = _host(account.get("url")) or host
        if acct_host:
            acct = f"{acct}@{acct_host}"
    created_at = _created_at(obj, native)

    retweet_of: str | None = None
    original = obj.get("reblog")
    if original is None:
        text = _status_text(obj, native)
        lang = _lang(obj.get("language"))
    elif isinstance(original, dict):
        try:
            original_native = _native_id(original)[1]
            text = _status_text(original, original_native)
        except RecordError as exc:
            raise RecordError(f"status {native}: boosted status: {exc.reason}") from None
        retweet_of = make_id(source, original_native)
        lang = _lang(obj.get("language")) or _lang(original.get("language"))
    else:
        raise RecordError(f"status {native}: 'reblog' must be an object or null, got {_type(original)}")

    display_name = account.get("display_name")
    return Message(
        id=make_id(source, native),
        source=source,
        format=NAME,
        native_id=native,
        created_at=created_at,
        text=text,
        author=acct,
        author_name=clean_text(display_name) if isinstance(display_name, str) else "",
        lang=lang,
        reply_to=_reply_to(obj.get("in_reply_to_id"), host, source),
        retweet_of=retweet_of,
        quote_of=_quote_of(obj.get("quote"), source),
        url=_url(obj, original),
        raw=raw_text(obj),
    )


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _host(link: Any) -> str | None:
    if not isinstance(link, str) or "//" not in link:
        return None
    try:
        return urlsplit(link.strip()).hostname or None
    except ValueError:  # e.g. an invalid IPv6 literal
        return None


def _origin(link: Any) -> tuple[str, str] | None:
    """``(host, id)`` from a status URI or URL (``https://h/users/a/statuses/1``, ``https://h/@a/1``)."""
    host = _host(link)
    if host is None:
        return None
    segments = [s for s in urlsplit(link.strip()).path.split("/") if s]
    if segments and segments[-1] == "activity":  # a boost's own URI: .../statuses/<id>/activity
        segments.pop()
    if not segments:
        return None
    return host, segments[-1]


def _native_id(status: dict[str, Any]) -> tuple[str | None, str]:
    """``(host, native_id)``; the host is ``None`` when the status has neither ``uri`` nor ``url``."""
    local = status.get("id")
    local_id = local.strip() if isinstance(local, str) else None
    if isinstance(local, int) and not isinstance(local, bool):
        local_id = str(local)
    for link in (status.get("uri"), status.get("url")):
        origin = _origin(link)
        if origin is not None:
            return origin[0], f"{origin[0]}/{origin[1]}"
    if local_id:
        return None, local_id
    raise RecordError(f"missing a usable 'id' (got {_type(local)}) and no 'uri' or 'url'")


def _created_at(obj: dict[str, Any], native: str) -> datetime:
    value = obj.get("created_at")
    if value is None:
        raise RecordError(f"status {native}: missing 'created_at'")
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise RecordError(f"status {native}: unparsable 'created_at': {exc}") from None


def _status_text(status: dict[str, Any], native: str) -> str:
    """Clean text of a status: ``CW: <spoiler>`` line, then the content (or media descriptions if empty)."""
    content = status.get("content")
    if content is None:
        raise RecordError(f"status {native}: missing 'content'")
    if not isinstance(content, str):
        raise RecordError(f"status {native}: 'content' must be an HTML string, got {_type(content)}")
    body = html_to_text(content)
    if not body:
        # A media-only post: its alt texts are the only words it has.
        body = "\n".join(_media_descriptions(status.get("media_attachments")))
    spoiler = status.get("spoiler_text")
    warning = clean_text(spoiler) if isinstance(spoiler, str) else ""
    if warning:
        return f"CW: {warning}\n{body}".rstrip()
    if not body:
        raise RecordError(f"status {native}: no text (empty 'content', no content warning, no media description)")
    return body


def _media_descriptions(attachments: Any) -> list[str]:
    if not isinstance(attachments, list):
        return []
    found = []
    for item in attachments:
        description = item.get("description") if isinstance(item, dict) else None
        if isinstance(description, str) and (cleaned := clean_text(description)):
            found.append(cleaned)
    return found


def _reply_to(value: Any, host: str | None, source: str) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return make_id(source, f"{host}/{value.strip()}" if host else value.strip())


def _quote_of(quote: Any, source: str) -> str | None:
    """The quoted status: Mastodon 4.4 ``{"state", "quoted_status"}``, or a bare status (older forks)."""
    if not isinstance(quote, dict):
        return None
    quoted = quote.get("quoted_status") if "state" in quote else quote
    if not isinstance(quoted, dict):
        return None
    try:
        return make_id(source, _native_id(quoted)[1])
    except RecordError:
        return None


def _url(obj: dict[str, Any], original: Any) -> str | None:
    # A boost has no page of its own (its url is null); link to the boosted post instead.
    for candidate in (obj.get("url"), original.get("url") if isinstance(original, dict) else None,
                      obj.get("uri")):
        if isinstance(candidate, str) and candidate.startswith(("https://", "http://")):
            return candidate
    return None


def _lang(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    base = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return base if _LANG.fullmatch(base) and base not in ("und", "zxx", "mis", "mul") else None
