"""The claim and conflict records of a situation report, and their JSON form (the ``vigil sitrep`` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CLAIM_KEYS", "KINDS", "Claim", "Conflict", "claim_from_dict"]

KINDS = ("count", "status", "quote", "statement")

# The keys every claim dict has, in this order (null where not applicable); acceptance tests rely on them.
CLAIM_KEYS = ("id", "kind", "text", "subject", "value_low", "value_high", "status", "speaker", "quote",
              "attributed_to", "document", "published_at")


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim found in one document, with who it is attributed to.

    Attributes:
        id: ``"{document}#{n}"``, stable for the same document and extractor version.
        kind: ``count``, ``status``, ``quote`` or ``statement`` (blame and accusations).
        text: the sentence as written (for quotes, the sentences that carry the quote and its speaker).
        subject: what the claim is about, normalised: ``deaths``, ``injured``, ``civilians trapped``,
            ``convoy``, ``ceasefire``, ``blame: ceasefire``; for quotes the speaker.
        value_low / value_high: counts only; a single number has ``low == high``; ``None`` is an open end.
        status: statuses only: ``reached``, ``halted``, ``took effect``, ``collapsed``, ``shelled`` ...
        speaker / role / quote: quotes only.
        attributed_to: origin first, then who passed it on (``["Syria Civil Defence", "Al Jazeera"]``).
        hedged: "reportedly", "it is claimed", "allegedly" and the like.
        document / published_at: the message id and its time (ISO-8601 UTC).
        counted: the words the number counts, as written ("civilians still inside").
        place: a place named in the sentence, when one is.
        blamed: statements only: the party blamed or accused.
        approx: the number was given as an estimate ("about", "some", "dozens").
    """

    id: str
    kind: str
    text: str
    subject: str | None
    attributed_to: tuple[str, ...]
    document: str
    published_at: str
    value_low: int | None = None
    value_high: int | None = None
    status: str | None = None
    speaker: str | None = None
    quote: str | None = None
    role: str | None = None
    hedged: bool = False
    counted: str | None = None
    place: str | None = None
    blamed: str | None = None
    approx: bool = False
    lang: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """Who the claim comes from first (the first name of ``attributed_to``)."""
        return self.attributed_to[0] if self.attributed_to else ""

    def to_dict(self) -> dict[str, Any]:
        """The contract keys (all present, ``None`` where not applicable) plus the optional extras."""
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "subject": self.subject,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "status": self.status,
            "speaker": self.speaker,
            "quote": self.quote,
            "attributed_to": list(self.attributed_to),
            "document": self.document,
            "published_at": self.published_at,
            "role": self.role,
            "hedged": self.hedged,
            "counted": self.counted,
            "place": self.place,
            "blamed": self.blamed,
            "approx": self.approx,
        }
        out.update(self.extra)
        return out


def claim_from_dict(data: dict[str, Any]) -> Claim:
    """The inverse of :meth:`Claim.to_dict` (claims stored as enrichments are read back with it)."""
    known = set(CLAIM_KEYS) | {"role", "hedged", "counted", "place", "blamed", "approx", "lang"}
    return Claim(
        id=str(data["id"]), kind=str(data["kind"]), text=str(data.get("text") or ""), subject=data.get("subject"),
        attributed_to=tuple(data.get("attributed_to") or ()), document=str(data.get("document") or ""),
        published_at=str(data.get("published_at") or ""), value_low=data.get("value_low"),
        value_high=data.get("value_high"), status=data.get("status"), speaker=data.get("speaker"),
        quote=data.get("quote"), role=data.get("role"), hedged=bool(data.get("hedged")),
        counted=data.get("counted"), place=data.get("place"), blamed=data.get("blamed"),
        approx=bool(data.get("approx")), lang=data.get("lang"),
        extra={k: v for k, v in data.items() if k not in known},
    )


@dataclass(frozen=True, slots=True)
class Conflict:
    """Claims about the same subject that disagree, kept side by side.

    Attributes:
        subject: the shared subject (``deaths``, ``convoy``, ``blame: ceasefire``).
        claim_ids: the disagreeing claims, oldest first.
        why: one line saying who said what when.
        kind: ``numbers``, ``status`` or ``blame``.
    """

    subject: str
    claim_ids: tuple[str, ...]
    why: str
    kind: str = "numbers"

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "claim_ids": list(self.claim_ids), "why": self.why, "kind": self.kind}
