"""``vigil trends``: how often each phrase is used, per hour or day, originals apart from copies.

Matching is robust to case, punctuation, Latin accents, Arabic diacritics and letter variants, and hashtags
(``#GoodbyeAleppo`` and ``#goodbyealeppo`` both match "goodbye aleppo"), through :func:`vigil.arabic.fold`.
A message counts once per phrase. Retweets, boosts, forwards and "RT @" copies are counted in ``counts`` but
not in ``originals``, so "one message forwarded 50 times" and "50 voices" can be told apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..arabic import fold
from ..errors import UsageError
from ..message import Message, format_ts
from ..store import MessageQuery, Store

__all__ = ["BUCKETS", "TrendReport", "is_copy", "phrase_matcher", "phrase_trends"]

BUCKETS = {"1h": timedelta(hours=1), "1d": timedelta(days=1)}
MAX_BUCKETS = 100_000  # about 11 years of hours: beyond that a request is a typo, not a chart
_WORD = re.compile(r"\w+")


def phrase_matcher(phrase: str) -> re.Pattern[str]:
    """A regex over folded text matching ``phrase`` as whole words, or as one hashtag-like token.

    >>> m = phrase_matcher("Goodbye Aleppo")
    >>> bool(m.search(fold("#GoodbyeAleppo"))), bool(m.search(fold("goodbye, ALEPPO!"))), bool(m.search("aleppo"))
    (True, True, False)
    """
    words = _WORD.findall(fold(phrase))
    if not words:
        raise UsageError(f"phrase {phrase!r} has no words to match")
    spaced = r"\W+".join(re.escape(w) for w in words)
    joined = re.escape("".join(words))
    return re.compile(rf"(?<!\w)(?:{spaced}|#?{joined})(?!\w)")


def is_copy(msg: Message) -> bool:
    """True for retweets, boosts, forwards and manual "RT @" copies."""
    return bool(msg.retweet_of or msg.forward_of or msg.text.lstrip().startswith("RT @"))


@dataclass(frozen=True)
class TrendReport:
    """Counts per bucket and phrase (the ``vigil trends --json`` contract)."""

    bucket: str
    phrases: tuple[str, ...]
    series: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"bucket": self.bucket, "phrases": list(self.phrases), "series": list(self.series)}


def _floor(t: datetime, bucket: str) -> datetime:
    t = t.astimezone(UTC)
    return t.replace(minute=0, second=0, microsecond=0) if bucket == "1h" else t.replace(
        hour=0, minute=0, second=0, microsecond=0)


def phrase_trends(store: Store, phrases: Sequence[str], *, bucket: str = "1h", since: datetime | None = None,
                  until: datetime | None = None) -> TrendReport:
    """Count each phrase per bucket (all messages and originals only), with its share among the phrases.

    Every bucket from ``since`` (else the first match) to ``until`` (else the last match) is listed, zeros
    included, so that a chart shows a phrase falling silent. ``shares`` are over ``counts`` in the same bucket
    (all 0.0 in a bucket with no match).
    """
    if bucket not in BUCKETS:
        raise UsageError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    if not phrases:
        raise UsageError("give at least one --phrase")
    names = tuple(dict.fromkeys(phrases))
    matchers = [(p, phrase_matcher(p)) for p in names]
    counts: dict[datetime, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    originals: dict[datetime, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for msg in store.messages(MessageQuery(since=since, until=until)):
        text = fold(f"{msg.title}\n{msg.text}" if msg.title else msg.text)
        hits = [p for p, m in matchers if m.search(text)]
        if not hits:
            continue
        key = _floor(msg.created_at, bucket)
        copy = is_copy(msg)
        for p in hits:
            counts[key][p] += 1
            if not copy:
                originals[key][p] += 1
    first = _floor(since, bucket) if since is not None else min(counts, default=None)
    last = _floor(until, bucket) if until is not None else max(counts, default=None)
    if first is None or last is None or first > last:
        return TrendReport(bucket, names, ())
    step = BUCKETS[bucket]
    if (last - first) / step >= MAX_BUCKETS:
        raise UsageError(f"{(last - first) // step + 1} buckets of {bucket} between {format_ts(first)} and "
                         f"{format_ts(last)}: narrow --since/--until or use --bucket 1d")
    series = []
    key = first
    while key <= last:
        counts.setdefault(key, dict.fromkeys(names, 0))
        originals.setdefault(key, dict.fromkeys(names, 0))
        total = sum(counts[key].values())
        series.append({"start": format_ts(key), "counts": counts[key], "originals": originals[key],
                       "shares": {p: round(n / total, 4) if total else 0.0 for p, n in counts[key].items()}})
        key += step
    return TrendReport(bucket, names, tuple(series))
