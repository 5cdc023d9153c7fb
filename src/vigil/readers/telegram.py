"""Telegram Desktop JSON exports (``result.json``).

Two shapes are read, both streamed message by message:

* one chat or channel: ``{"name": ..., "type": "public_channel", "id": 123, "messages": [...]}``;
* a full account export: ``{"personal_information": ..., "chats": {"list": [{"name": ..., "id": ...,
  "messages": [...]}, ...]}, "left_chats": {"list": [...]}}``.

A message's native id is ``"<chat id>/<message id>"`` (message ids are only unique within a chat). The chat's
name, type and id come before ``messages`` in real exports, so they are read from the head of the file (single
chat) or picked up from the event stream as each chat begins (full export); a missing chat id falls back to
the file stem. Service entries (joins, pins, calls) are not posts and are skipped silently.

Example::

    with open("result.json", "rb") as fp:
        for item in read(fp, ReadContext(path="result.json")):
            ...
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any, BinaryIO

import ijson
import orjson

from ..errors import RecordError
from ..message import Message, Reject, make_id
from ..text import clean_text, parse_datetime
from .base import Head, ReadContext, convert_records, iter_json_items, raw_bytes
from .detect import read_head
from .jsonguard import DepthGuard

__all__ = ["DEFAULT_SOURCE", "DESCRIPTION", "NAME", "read", "sniff"]

NAME = "telegram"
DESCRIPTION = "Telegram Desktop JSON export (result.json) of a chat or channel, or of a whole account"
DEFAULT_SOURCE = "telegram"

_MESSAGE_KEYS = frozenset({"from_id", "date_unixtime", "text_entities", "forwarded_from"})
_FULL_EXPORT_KEYS = frozenset({"personal_information", "chats", "left_chats", "frequent_contacts"})
_CHAT_PREFIXES = ("chats.list.item", "left_chats.list.item")
_CHANNEL_TYPES = frozenset({"public_channel", "private_channel"})
_HEAD_EVENTS = 20_000

# Placeholders for messages whose content is media; a caption, if any, follows the placeholder.
_MEDIA_TYPES = {
    "video_file": "[video]",
    "voice_message": "[voice message]",
    "video_message": "[video message]",
    "audio_file": "[audio]",
    "animation": "[animation]",
    "sticker": "[sticker]",
    "photo": "[photo]",
}


def sniff(head: Head) -> int:
    """Confidence that ``head`` is a Telegram Desktop JSON export."""
    if head.kind != "json":
        return 0
    top = head.keys.get("", set())
    if "messages" in top:
        if head.any("messages.item", *_MESSAGE_KEYS):
            return 95
        if {"name", "type", "id"} <= top:
            return 85
        if head.has("messages.item", "id", "type", "date"):
            return 60
        return 0
    if any(head.has(p, "messages") for p in _CHAT_PREFIXES):
        return 95
    if "personal_information" in top and len(top & _FULL_EXPORT_KEYS) >= 2:
        return 80  # full export whose contact list pushes the chats past the head
    return 0


@dataclass(slots=True)
class _Chat:
    """What a message needs to know about the chat it belongs to."""

    id: str
    name: str = ""
    type: str = ""
    username: str = ""


@dataclass(slots=True)
class _HeadInfo:
    full_export: bool = False
    saw_messages: bool = False
    name: str = ""
    type: str = ""
    id: str = ""
    username: str = ""


def read(fp: BinaryIO, ctx: ReadContext) -> Iterator[Message | Reject]:
    """Yield a :class:`Message` per chat message and a :class:`Reject` per unreadable one.

    Never raises for bad content: a truncated export yields every message before the cut, then one reject.
    """
    source = ctx.source_or(DEFAULT_SOURCE)
    info = _scan_head(fp)
    fallback_id = _stem(ctx.path)
    if info.full_export:
        state = _Chat(id=fallback_id)
        records = _full_export_records(fp, ctx, state, fallback_id)
        yield from convert_records(records, ctx, lambda v: _convert(v, state, source))
        return
    chat = _Chat(id=info.id or fallback_id, name=info.name, type=info.type, username=info.username)
    count = 0
    for item in convert_records(iter_json_items(fp, ctx, "messages.item", multiple=False), ctx,
                                lambda v: _convert(v, chat, source)):
        count += 1
        yield item
    if count == 0 and not info.saw_messages:
        yield ctx.reject("no Telegram messages found: expected a JSON object with a 'messages' list (a chat "
                         "export) or 'chats.list' (a full export) — is this a Telegram Desktop result.json?",
                         line=1)


def _stem(path: str) -> str:
    stem = PurePath(path).stem
    return stem if stem and stem != "-" else "stdin"


def _scan_head(fp: BinaryIO) -> _HeadInfo:
    """Read the chat's metadata from the head of the file, which real exports write before ``messages``."""
    info = _HeadInfo()
    try:
        data = read_head(fp)
    except (TypeError, OSError, ValueError):
        return info  # neither seekable nor peekable: fall back to the file stem for the chat id
    events = 0
    try:
        # guarded: ijson's prefixes cost memory quadratic in nesting depth
        for prefix, event, value in ijson.parse(DepthGuard(io.BytesIO(data.lstrip(b"\xef\xbb\xbf")))):
            events += 1
            if prefix == "" and event == "map_key":
                if value == "messages":
                    info.saw_messages = True
                    return info
                if value in _FULL_EXPORT_KEYS:
                    info.full_export = True
                    return info
            elif prefix in ("name", "type", "username") and event == "string":
                setattr(info, prefix, value)
            elif prefix == "id" and event in ("number", "string"):
                info.id = _id_str(value) or ""
            if events > _HEAD_EVENTS:
                break
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError):
        pass  # a head cut mid-value, or not JSON at all: keep what was seen
    return info


def _full_export_records(fp: BinaryIO, ctx: ReadContext, state: _Chat,
                         fallback_id: str) -> Iterator[tuple[int, Any] | Reject]:
    """Stream the messages of every chat of a full export, keeping ``state`` on the chat being read.

    The events of each chat's ``messages`` subtree are re-prefixed to ``messages.*`` so one
    ``ijson.items`` call builds the messages of all chats; it consumes events lazily, so when a message is
    handed on, ``state`` describes the chat it belongs to.
    """
    chats = 0

    def events() -> Iterator[tuple[str, str, Any]]:
        nonlocal chats
        for prefix, event, value in ijson.parse(DepthGuard(fp), use_float=True):
            if prefix.startswith("chats.list.item"):
                rest = prefix[15:]
            elif prefix.startswith("left_chats.list.item"):
                rest = prefix[20:]
            else:
                continue  # contacts, sessions, profile pictures: not messages
            if rest == "" and event == "start_map":
                chats += 1
                state.id, state.name, state.type, state.username = f"{fallback_id}-chat{chats}", "", "", ""
            elif rest == ".id" and event in ("number", "string"):
                state.id = _id_str(value) or state.id
            elif rest in (".name", ".type", ".username") and event == "string":
                setattr(state, rest[1:], value)
            elif rest.startswith(".messages"):
                yield rest[1:], event, value

    count = 0
    try:
        for value in ijson.items(events(), "messages.item"):
            count += 1
            yield count, value
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        yield ctx.reject(f"JSON stops being readable after record {count} (chat {state.id}): {reason}; the "
                         f"records before it were kept", line=count + 1)
        return
    if chats == 0:
        yield ctx.reject("full Telegram export without a 'chats.list': no chat messages in this file", line=1)


def _id_str(value: Any) -> str | None:
    """An id as the export writes it (an integer, sometimes a digit string), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return value.strip()
    return None


def _convert(value: Any, chat: _Chat, source: str) -> Message | None:
    if not isinstance(value, dict):
        raise RecordError(f"expected a message object, got {type(value).__name__}")
    kind = value.get("type", "message")
    if kind == "service":
        return None
    msg_id = _id_str(value.get("id"))
    if msg_id is None:
        got = value.get("id")
        raise RecordError("missing message 'id'" if got is None
                          else f"message 'id' must be an integer, got {type(got).__name__}")
    native_id = f"{chat.id}/{msg_id}"
    text = _text(value)
    media = _media(value)
    if media:
        text = f"{media} {text}" if text else media
    if not text:
        raise RecordError(f"message {msg_id}: missing text (no text, caption or media)")
    from_id = value.get("from_id")
    author = _id_like(from_id)
    from_name = value.get("from")
    author_name = clean_text(from_name) if isinstance(from_name, str) else ""
    if not author and chat.type in _CHANNEL_TYPES:
        author = f"channel{chat.id}"  # channel posts are authored by the channel itself
        author_name = author_name or chat.name
    forwarded = value.get("forwarded_from")
    reply = _id_str(value.get("reply_to_message_id"))
    return Message(
        id=make_id(source, native_id),
        source=source,
        format=NAME,
        native_id=native_id,
        created_at=_created_at(value, msg_id),
        text=text,
        author=author,
        author_name=author_name,
        reply_to=make_id(source, f"{chat.id}/{reply}") if reply is not None else None,
        forward_of=(clean_text(forwarded) or None) if isinstance(forwarded, str) else None,
        url=f"https://t.me/{chat.username}/{msg_id}" if chat.username else None,
        raw=_dump(value),
    )


def _id_like(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return _id_str(value) or ""


def _created_at(value: dict[str, Any], msg_id: str) -> datetime:
    unix = value.get("date_unixtime")
    if unix is not None:
        try:
            return parse_datetime(unix)
        except ValueError:
            pass  # fall back to the local-time ``date`` below
    date = value.get("date")
    if date is None and unix is None:
        raise RecordError(f"message {msg_id}: missing 'date_unixtime' and 'date'")
    try:
        # ``date`` is the exporting machine's local time without an offset; exports since 2021 also carry
        # the exact ``date_unixtime`` (preferred above). Without it, UTC is the least wrong assumption.
        return parse_datetime(date)
    except ValueError as exc:
        raise RecordError(f"message {msg_id}: unparsable date ({exc})") from None


def _text(value: dict[str, Any]) -> str:
    """The message text: a string, or a list of strings and entity objects whose visible text is joined."""
    text = value.get("text")
    if text is None or text == "" or text == []:
        entities = value.get("text_entities")
        if isinstance(entities, list) and entities:
            text = entities
    if text is None:
        return ""
    if isinstance(text, str):
        return clean_text(text)
    if isinstance(text, list):
        parts: list[str] = []
        for part in text:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict):
                # text_link keeps its visible text only; a URL that IS the text stays as written
                visible = part.get("text")
                if isinstance(visible, str):
                    parts.append(visible)
                elif visible is not None:
                    raise RecordError(f"text entity 'text' must be a string, got {type(visible).__name__}")
            else:
                raise RecordError(f"'text' list holds a {type(part).__name__}; expected strings and entities")
        return clean_text("".join(parts))
    raise RecordError(f"'text' must be a string or a list, got {type(text).__name__}")


def _media(value: dict[str, Any]) -> str:
    """A placeholder for the message's media, or ``""`` when it has none."""
    if "photo" in value:
        return "[photo]"
    media_type = value.get("media_type")
    if isinstance(media_type, str) and media_type in _MEDIA_TYPES:
        return _MEDIA_TYPES[media_type]
    if "file" in value or media_type is not None:
        return "[file]"
    poll = value.get("poll")
    if isinstance(poll, dict):
        question = poll.get("question")
        return f"[poll] {clean_text(question)}".strip() if isinstance(question, str) else "[poll]"
    if "location_information" in value or "place_name" in value:
        return "[location]"
    if "contact_information" in value:
        return "[contact]"
    return ""


def _dump(value: Any) -> str:
    try:
        return orjson.dumps(value).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return raw_bytes(value).decode("utf-8", "replace")
