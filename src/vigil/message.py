"""The one record that travels the whole pipeline.

Readers yield :class:`Message`, enrichment stages take one and return a new one (it is frozen), and the store
writes it. A news article is a Message too, with a ``title``. Results of enrichment stages live in
``enrichments`` keyed by the versioned stage name that produced them (``"siege_signals.v4"``), so an old row
always says which model explained it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Message", "Reject", "format_ts", "make_id"]


def make_id(source: str, native_id: str) -> str:
    """The stable id of a message: ``"{source}:{native_id}"``; re-ingesting the same record gives the same id."""
    return f"{source}:{native_id}"


def format_ts(value: datetime) -> str:
    """ISO-8601 UTC with a fixed width (microseconds, ``Z``) so that stored strings sort as times do."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True)
class Message:
    """A post, chat message, article or transcript, normalised.

    Attributes:
        id: ``"{source}:{native_id}"``, stable across re-ingests.
        source: where it came from (``"x"``, ``"telegram"``, ``"mastodon"``, a feed or dataset name).
        format: the reader that produced it (``"twitter-v2"`` ...).
        native_id: the id the source gave it.
        author: the handle (``@`` stripped); empty when the source has none.
        author_name: the display name.
        created_at: timezone-aware UTC.
        text: cleaned text (NFC, entities decoded, zero-width and control characters removed, URLs kept).
        title: for documents (news articles, feed items), else ``None``.
        lang: ISO 639-1 code, or ``None`` when not known yet.
        reply_to / forward_of / retweet_of / quote_of: ids (in this same ``source:native`` form) of related
            messages; ``forward_of`` may also hold a free-text origin such as a Telegram channel name.
        url: a link to the original, when known.
        labels: gold labels carried by a dataset (kept apart from the text).
        raw: the original record as text, for audit.
        enrichments: results of enrichment stages keyed by versioned stage name.
    """

    id: str
    source: str
    format: str
    native_id: str
    created_at: datetime
    text: str
    author: str = ""
    author_name: str = ""
    title: str | None = None
    lang: str | None = None
    reply_to: str | None = None
    forward_of: str | None = None
    retweet_of: str | None = None
    quote_of: str | None = None
    url: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    raw: str = ""
    enrichments: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError(f"{self.id}: created_at must be timezone-aware")

    @property
    def is_document(self) -> bool:
        """True for news articles and feed items (they carry a title)."""
        return self.title is not None

    def with_enrichment(self, stage: str, result: Any) -> Message:
        """Return a copy with ``result`` recorded under the versioned ``stage`` name."""
        merged = dict(self.enrichments)
        merged[stage] = result
        return dataclasses.replace(self, enrichments=merged)

    def replace(self, **changes: Any) -> Message:
        """Return a copy with ``changes`` applied (the record itself is immutable)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self, *, raw: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (``created_at`` as ISO-8601 UTC); ``raw`` only when asked, it can be large."""
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "native_id": self.native_id,
            "author": self.author,
            "author_name": self.author_name,
            "created_at": format_ts(self.created_at),
            "text": self.text,
            "title": self.title,
            "lang": self.lang,
            "reply_to": self.reply_to,
            "forward_of": self.forward_of,
            "retweet_of": self.retweet_of,
            "quote_of": self.quote_of,
            "url": self.url,
            "labels": dict(self.labels),
            "enrichments": dict(self.enrichments),
        }
        if raw:
            out["raw"] = self.raw
        return out


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not be read, quarantined with its reason instead of being lost.

    ``line`` is the 1-based line (JSONL, CSV, text) or the 1-based record number inside a JSON array;
    ``offset`` the byte offset where known.
    """

    file: str
    reason: str
    line: int | None = None
    offset: int | None = None
    raw: bytes = b""
    format: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
