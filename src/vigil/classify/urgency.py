"""Urgency levels (TREC Incident Streams: critical / high / medium / low) from type, signals and cues.

A transparent additive score, so an analyst can see why a message ranks where it does::

    score = type prior (probability-weighted) + signal weights + eyewitness bonus (only with a need or danger)

Thresholds turn the score into the level. The weights were set by reading what each class and signal means
for someone who must act (a farewell or a plea from inside is critical; sympathy is low), not fitted to the
evaluation data; ``benchmarks/classify.py`` measures how well the score ranks Disaster Response Messages that
annotators marked as requests, search and rescue, medical help or deaths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LEVELS", "TYPE_PRIOR", "Urgency", "urgency"]

LEVELS: tuple[str, ...] = ("critical", "high", "medium", "low")

#: How urgent each HumAID class is on its own (0..1).
TYPE_PRIOR: dict[str, float] = {
    "requests_or_urgent_needs": 0.55,
    "injured_or_dead_people": 0.45,
    "missing_or_found_people": 0.45,
    "displaced_people_and_evacuations": 0.35,
    "infrastructure_and_utility_damage": 0.30,
    "caution_and_advice": 0.25,
    "rescue_volunteering_or_donation_effort": 0.15,
    "other_relevant_information": 0.12,
    "sympathy_and_support": 0.05,
    "not_humanitarian": 0.0,
}

#: What each siege signal adds.
SIGNAL_WEIGHT: dict[str, float] = {
    "farewell": 0.7, "plea": 0.45, "trapped": 0.35, "medical": 0.3, "death_injury": 0.15, "hunger": 0.2,
    "evacuation": 0.1, "ceasefire": 0.05,
}
_THRESHOLDS = ((0.95, "critical"), (0.6, "high"), (0.3, "medium"))


@dataclass(frozen=True)
class Urgency:
    """An urgency judgement.

    Attributes:
        level: one of :data:`LEVELS`.
        score: the additive score it came from (ranks messages within a level).
        reasons: what contributed, for display.
    """

    level: str
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored as the ``urgency.v1`` enrichment."""
        return {"level": self.level, "score": round(self.score, 4), "reasons": list(self.reasons)}


def urgency(type_scores: Mapping[str, float], signals: Sequence[str], eyewitness: bool) -> Urgency:
    """Urgency of one message from its type probabilities, siege signals and first-person cues.

    >>> urgency({"requests_or_urgent_needs": 0.9}, ["plea", "trapped"], True).level
    'critical'
    >>> urgency({"sympathy_and_support": 0.95}, [], False).level
    'low'
    """
    score = sum(TYPE_PRIOR.get(c, 0.0) * p for c, p in type_scores.items())
    reasons = [f"type {max(type_scores, key=lambda c: type_scores[c])}"] if type_scores else []
    for s in signals:
        score += SIGNAL_WEIGHT.get(s, 0.0)
        reasons.append(f"signal {s}")
    needy = {"plea", "trapped", "medical", "farewell", "hunger"} & set(signals)
    if eyewitness and (needy or type_scores.get("requests_or_urgent_needs", 0.0) > 0.4):
        # the writer is there and in need or danger: the most actionable kind of report
        score += 0.2
        reasons.append("first-person")
    level = next((lvl for t, lvl in _THRESHOLDS if score >= t), "low")
    return Urgency(level, score, tuple(reasons))
