"""Helpers shared by the sitrep pattern tests: one invented article, and its claims of one kind."""

from __future__ import annotations

from datetime import UTC, datetime

from vigil.message import Message
from vigil.sitrep import Claim, extract_claims


def article(text: str, *, source: str = "example-times") -> Message:
    return Message(f"{source}:1", source, "article", "1", datetime(2024, 3, 12, 9, tzinfo=UTC), text,
                   title="Headline", lang="en", raw=f"Headline\nSource: Example Times\n\n{text}")


def claims(text: str, kind: str) -> list[Claim]:
    return [c for c in extract_claims(article(text)) if c.kind == kind]


def counts(text: str) -> list[tuple[int | None, int | None, list[str]]]:
    return [(c.value_low, c.value_high, list(c.attributed_to)) for c in claims(text, "count")]
