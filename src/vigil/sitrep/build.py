"""Build a situation report from messages: from files (vigil's readers) or from the store.

Claims come from the ``claims.v1`` enrichment when a message carries it (ingested with the default stages),
else they are extracted on the fly, so a sitrep over files needs no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import UnknownFormatError
from ..message import Message, format_ts
from ..readers import iter_input_files, open_binary, read_stream
from ..store import MessageQuery, Store
from .extract import EXTRACTOR_VERSION, extract_claims
from .model import Claim, Conflict, claim_from_dict
from .reconcile import find_conflicts

__all__ = ["Sitrep", "UrgentMessage", "build_sitrep", "focus_claims", "messages_from_paths", "sitrep_from_paths",
           "sitrep_from_store"]

MAX_URGENT = 5


@dataclass(frozen=True, slots=True)
class UrgentMessage:
    """A message the classifier marked urgent, for the "most urgent messages" section."""

    id: str
    created_at: str
    who: str
    text: str
    type: str
    urgency: float


@dataclass
class Sitrep:
    """A situation report: its claims, their conflicts, and the most urgent messages of the period."""

    documents: int
    claims: list[Claim]
    conflicts: list[Conflict]
    since: datetime | None = None
    until: datetime | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    urgent: dict[str, list[UrgentMessage]] = field(default_factory=dict)
    classified: bool = False
    titles: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil sitrep --format json`` contract: documents, claims, conflicts."""
        return {
            "documents": self.documents,
            "claims": [c.to_dict() for c in self.claims],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def _claims_of(msg: Message) -> list[Claim]:
    stored = msg.enrichments.get(EXTRACTOR_VERSION)
    if isinstance(stored, dict) and isinstance(stored.get("claims"), list):
        try:
            return [claim_from_dict(d) for d in stored["claims"]]
        except (KeyError, TypeError, ValueError):
            pass  # written by an older or broken run: recompute
    return extract_claims(msg)


def _label(value: Any) -> tuple[str | None, float | None]:
    """``(label, score)`` from a classifier result stored as a string, a dict or a ``[label, score]`` pair."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict):
        label = value.get("label") or value.get("type") or value.get("class") or value.get("level")
        score = value.get("score") if isinstance(value.get("score"), int | float) else value.get("probability")
        return (str(label) if label is not None else None), (float(score) if isinstance(score, int | float) else None)
    if isinstance(value, list | tuple) and value and isinstance(value[0], str):
        score = value[1] if len(value) > 1 and isinstance(value[1], int | float) else None
        return value[0], (float(score) if score is not None else None)
    if isinstance(value, int | float):
        return None, float(value)
    return None, None


_URGENCY_WORDS = {"critical": 1.0, "urgent": 0.9, "high": 0.8, "medium": 0.5, "low": 0.2, "none": 0.0,
                  "not_urgent": 0.0}


def _classification(msg: Message) -> tuple[str | None, float | None]:
    """The humanitarian type and urgency score the classifier stored on ``msg``, if it did."""
    kind: str | None = None
    urgency: float | None = None
    for key in sorted(msg.enrichments, reverse=True):  # highest version first
        value = msg.enrichments[key]
        if key.startswith("humaid_type") and kind is None:
            kind, _ = _label(value)
        elif key.startswith("urgency") and urgency is None:
            label, score = _label(value)
            urgency = score if score is not None else _URGENCY_WORDS.get((label or "").lower())
    return kind, urgency


def build_sitrep(messages: Iterable[Message], *, since: datetime | None = None, until: datetime | None = None,
                 now: datetime | None = None) -> Sitrep:
    """Claims, conflicts and urgent messages of ``messages`` published in ``[since, until]``."""
    claims: list[Claim] = []
    documents = 0
    urgent: dict[str, list[UrgentMessage]] = {}
    classified = False
    titles: dict[str, str] = {}
    for msg in messages:
        if (since is not None and msg.created_at < since) or (until is not None and msg.created_at > until):
            continue
        documents += 1
        if msg.title:
            titles[msg.id] = msg.title
        claims.extend(_claims_of(msg))
        kind, score = _classification(msg)
        if kind is not None or score is not None:
            classified = True
        if kind and kind not in ("not_humanitarian", "other_relevant_information") and (score or 0) >= 0.5:
            text = " ".join(msg.text.split())
            urgent.setdefault(kind, []).append(UrgentMessage(
                msg.id, format_ts(msg.created_at), msg.author_name or (f"@{msg.author}" if msg.author else msg.source),
                text[:277] + "…" if len(text) > 280 else text, kind, score or 0.0))
    for kind in urgent:
        urgent[kind] = sorted(urgent[kind], key=lambda u: (-u.urgency, u.created_at))[:MAX_URGENT]
    claims.sort(key=lambda c: (c.published_at, c.document, int(c.id.rsplit("#", 1)[-1] or 0)))
    return Sitrep(documents, claims, find_conflicts(focus_claims(claims)), since, until, now or datetime.now(UTC),
                  urgent, classified, titles)


def focus_claims(claims: list[Claim]) -> list[Claim]:
    """The claims a report reconciles: those of documents (articles, feed items) when there are any.

    Posts report personal, local events whose numbers differ for good reasons (five injured at one clinic,
    nine at another); comparing them with each other would bury the real disagreements between outlets and
    organisations. They stay in the JSON claims, and feed the urgent-messages section. Without documents,
    the posts' claims are all there is, and are used.
    """
    docs = [c for c in claims if c.extra.get("source_type") != "post"]
    return docs or claims


def messages_from_paths(paths: Sequence[str]) -> Iterator[Message]:
    """Messages read from files or folders with vigil's readers; unreadable records are skipped.

    A file named explicitly in a format vigil does not know raises :class:`UnknownFormatError`; inside a folder
    such a file is skipped (the same rule as ``vigil ingest``).
    """
    explicit = set(paths)
    for path in iter_input_files(list(paths)):
        with open_binary(path) as fp:
            try:
                _, records = read_stream(fp, path)
            except UnknownFormatError:
                if path in explicit:
                    raise
                continue
            for record in records:
                if isinstance(record, Message):
                    yield record


def sitrep_from_paths(paths: Sequence[str], *, since: datetime | None = None, until: datetime | None = None,
                      now: datetime | None = None) -> Sitrep:
    """A sitrep over files (articles, feeds, transcripts, posts), without a database."""
    return build_sitrep(messages_from_paths(paths), since=since, until=until, now=now)


def sitrep_from_store(store: Store, *, since: datetime | None = None, until: datetime | None = None,
                      now: datetime | None = None) -> Sitrep:
    """A sitrep over the messages stored in ``store`` between ``since`` and ``until``."""
    return build_sitrep(store.messages(MessageQuery(since=since, until=until)), since=since, until=until, now=now)
