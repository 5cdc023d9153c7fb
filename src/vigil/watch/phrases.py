"""Phrase families: competing variants of one phrase, found automatically, with who used which first and
which one is taking over.

**Mining.** Every original message (retweets, boosts, forwards and "RT @" copies excluded; they are counted
apart afterwards) is cut into folded word runs (:mod:`vigil.watch.terms`: case, accents, Arabic harakat and
letter variants folded; runs end at punctuation, hashtags, mentions and links), and each distinct 2- to
6-word n-gram is counted once per message. Memory is bounded: past ``max_ngrams`` distinct n-grams the rarest
are dropped (lossy counting), and the survivors are recounted exactly in a second pass.

**Families.** A frequent n-gram is split every way into *prefix + slot + suffix*, with a slot of 0 to 3 words and
non-empty prefix and suffix that each hold a content word (not only function words). Phrases sharing the
prefix and suffix and differing in the slot form a family: ``goodbye [to | forever from] qasr al nahr``,
``وداعا [ | الي الابد من] قصر النهر``. The same family found through shorter anchors, and families whose phrases
are all sub-phrases of a larger family's with about the same counts, are dropped.

**Trends.** For each variant, the share it has among its family's uses is regressed on time, one observation
per use (a Cochran-Armitage test for trend; no bucket size to choose): ``rising`` when the share grows by at
least 0.15 over the family's span and the slope is at least 2 standard errors from zero, ``falling``
likewise, else ``steady``. ``share_first``/``share_last`` are its shares among the first and last quarter of
the family's uses. Families are ranked by ``volume x competition`` (uses of all variants times how evenly they
split, 0 for one dominant variant to 1 for an even split).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import UsageError
from ..message import Message, format_ts
from ..store import MessageQuery, Store
from .terms import STOPWORDS, is_copy, message_text, segments

__all__ = ["BUCKETS", "Family", "PhraseReport", "Variant", "mine_ngrams", "phrase_families"]

BUCKETS = {"1h": timedelta(hours=1), "6h": timedelta(hours=6), "1d": timedelta(days=1)}
MIN_N, MAX_N = 2, 6
MAX_SLOT = 3
TREND_CHANGE = 0.15
TREND_Z = 2.0


@dataclass
class _Tally:
    """Exact counts of one phrase over the window (second pass)."""

    count: int = 0
    originals: int = 0
    first: Message | None = None
    sources: Counter[str] = field(default_factory=Counter)
    authors: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Variant:
    """One phrasing of a family (the ``variants`` items of ``vigil phrases --json``)."""

    phrase: str
    slot: str
    count: int
    originals: int
    first_seen: str | None
    first_source: str | None
    first_author: str | None
    first_id: str | None
    authors: int
    sources: dict[str, int]
    trend: str
    share_first: float
    share_last: float
    slope_per_day: float
    z: float

    def to_dict(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "slot": self.slot, "count": self.count, "originals": self.originals,
                "copies": self.count - self.originals, "first_seen": self.first_seen,
                "first_source": self.first_source, "first_author": self.first_author, "first_id": self.first_id,
                "authors": self.authors, "sources": self.sources, "trend": self.trend,
                "share_first": self.share_first, "share_last": self.share_last,
                "slope_per_day": self.slope_per_day, "z": self.z}


@dataclass(frozen=True)
class Family:
    """Competing phrasings that share a frame (prefix ... suffix) and differ in the slot."""

    frame: str
    prefix: str
    suffix: str
    variants: tuple[Variant, ...]
    volume: int
    competition: float
    score: float
    start: str | None
    end: str | None
    series: tuple[dict[str, Any], ...]

    @property
    def rising(self) -> str | None:
        """The phrase gaining most share, if any variant is rising."""
        up = [v for v in self.variants if v.trend == "rising"]
        return max(up, key=lambda v: v.share_last - v.share_first).phrase if up else None

    @property
    def falling(self) -> str | None:
        """The phrase losing most share, if any variant is falling."""
        down = [v for v in self.variants if v.trend == "falling"]
        return min(down, key=lambda v: v.share_last - v.share_first).phrase if down else None

    def to_dict(self) -> dict[str, Any]:
        return {"frame": self.frame, "prefix": self.prefix, "suffix": self.suffix,
                "variants": [v.to_dict() for v in self.variants], "volume": self.volume,
                "competition": self.competition, "score": self.score, "rising": self.rising,
                "falling": self.falling, "start": self.start, "end": self.end, "series": list(self.series)}


@dataclass(frozen=True)
class PhraseReport:
    """``vigil phrases --json``: ``{"families": [...]}`` plus what was scanned."""

    families: tuple[Family, ...]
    since: str | None
    until: str | None
    bucket: str
    originals_scanned: int
    ngrams_pruned_below: int

    def to_dict(self) -> dict[str, Any]:
        return {"families": [f.to_dict() for f in self.families], "since": self.since, "until": self.until,
                "bucket": self.bucket, "originals_scanned": self.originals_scanned,
                "ngrams_pruned_below": self.ngrams_pruned_below}


def _grams(msg: Message) -> set[str]:
    out: set[str] = set()
    for seg in segments(message_text(msg)):
        n_tokens = len(seg)
        for n in range(MIN_N, min(MAX_N, n_tokens) + 1):
            for i in range(n_tokens - n + 1):
                out.add(" ".join(seg[i:i + n]))
    return out


def mine_ngrams(messages: Iterable[Message], *, max_ngrams: int = 500_000) -> tuple[Counter[str], int, int]:
    """Count 2-6-word n-grams of original messages, once per message, in bounded memory.

    Returns:
        (counts, originals scanned, prune level): counts below the prune level may have been dropped, and
        kept counts may be low by up to that level (lossy counting); recount what matters exactly.
    """
    counts: Counter[str] = Counter()
    scanned = 0
    level = 0
    for msg in messages:
        if is_copy(msg):
            continue
        scanned += 1
        counts.update(_grams(msg))
        if len(counts) > max_ngrams:
            # lossy counting: raise the floor until the table is back under half its budget
            while len(counts) > max_ngrams // 2:
                level += 1
                for gram in [g for g, c in counts.items() if c <= level]:
                    del counts[gram]
    return counts, scanned, level


def _content(tokens: Sequence[str]) -> bool:
    return any(t not in STOPWORDS and not t.isdigit() for t in tokens)


def _frames(frequent: Iterable[str]) -> dict[tuple[str, str], dict[str, str]]:
    """(prefix, suffix) -> {slot: phrase} for every way of cutting each frequent n-gram."""
    frames: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for phrase in frequent:
        t = phrase.split(" ")
        n = len(t)
        for i in range(1, n):
            prefix = t[:i]
            if not _content(prefix):
                continue
            for j in range(i, min(i + MAX_SLOT, n - 1) + 1):
                suffix = t[j:]
                if _content(suffix):
                    frames[(" ".join(prefix), " ".join(suffix))][" ".join(t[i:j])] = phrase
    return frames


@dataclass
class _Candidate:
    prefix: str
    suffix: str
    slots: dict[str, str]  # slot -> phrase

    @property
    def anchor_len(self) -> int:
        return len(self.prefix.split()) + len(self.suffix.split())

    @property
    def phrases(self) -> frozenset[str]:
        return frozenset(self.slots.values())


def _candidates(counts: Counter[str], min_count: int) -> list[_Candidate]:
    frequent = [g for g, c in counts.items() if c >= min_count]
    by_phrases: dict[frozenset[str], _Candidate] = {}
    for (prefix, suffix), slots in _frames(frequent).items():
        if len(slots) < 2:
            continue
        cand = _Candidate(prefix, suffix, slots)
        other = by_phrases.get(cand.phrases)
        # the same phrases cut with longer anchors (shorter slots) say more precisely what varies
        if other is None or (cand.anchor_len, cand.prefix) > (other.anchor_len, other.prefix):
            by_phrases[cand.phrases] = cand
    # drop families whose every phrase sits inside a phrase of a larger family with about the same count
    ordered = sorted(by_phrases.values(), key=lambda c: (-sum(len(p.split()) for p in c.phrases),
                                                         -sum(counts[p] for p in c.phrases), c.prefix, c.suffix))
    inside: dict[str, list[tuple[int, int]]] = defaultdict(list)  # sub-phrase -> [(kept family, its count)]
    kept: list[_Candidate] = []
    for cand in ordered:
        holders: set[int] | None = None
        for p in cand.phrases:
            ok = {k for k, c in inside.get(p, ()) if c >= 0.8 * counts[p]}
            holders = ok if holders is None else holders & ok
            if not holders:
                break
        if holders:
            continue
        k = len(kept)
        kept.append(cand)
        for p in cand.phrases:
            words = p.split()
            for a in range(len(words)):
                for b in range(a + MIN_N, len(words) + 1):
                    inside[" ".join(words[a:b])].append((k, counts[p]))
    # the same slots with longer anchors ("shelling … district" / "shelling … district of al jisr") are one
    # competition seen twice: keep the general frame, which has the most uses
    by_slots: dict[frozenset[str], list[_Candidate]] = defaultdict(list)
    for cand in kept:
        by_slots[frozenset(cand.slots)].append(cand)
    return [c for c in kept if not any(
        o is not c and f" {c.prefix}".endswith(f" {o.prefix}") and f"{c.suffix} ".startswith(f"{o.suffix} ")
        for o in by_slots[frozenset(c.slots)])]


def _rank_key(cand: _Candidate, counts: Counter[str]) -> float:
    shares = [counts[p] for p in cand.phrases]
    return sum(shares) * _competition(shares)


def _competition(counts: Sequence[int]) -> float:
    """Normalised Gini-Simpson diversity: 0 when one variant has every use, 1 for an even split."""
    total = sum(counts)
    k = len(counts)
    if total == 0 or k < 2:
        return 0.0
    simpson = 1.0 - sum((c / total) ** 2 for c in counts)
    return simpson / (1.0 - 1.0 / k)


def _floor(t: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((t - epoch) // step) * step


def _trend(times: Sequence[float], hits: Sequence[int]) -> tuple[str, float, float, float, float]:
    """(trend, share_first, share_last, slope per day, z) of a 0/1 series over times (days), time-sorted."""
    n = len(times)
    quarter = max(1, math.ceil(n / 4))
    share_first = sum(hits[:quarter]) / quarter
    share_last = sum(hits[-quarter:]) / quarter
    mean_t = sum(times) / n
    mean_y = sum(hits) / n
    sxx = sum((t - mean_t) ** 2 for t in times)
    if sxx <= 0 or mean_y in (0.0, 1.0):
        return "steady", share_first, share_last, 0.0, 0.0
    slope = sum((t - mean_t) * (y - mean_y) for t, y in zip(times, hits, strict=True)) / sxx
    z = slope / math.sqrt(mean_y * (1 - mean_y) / sxx)
    change = slope * (max(times) - min(times))
    trend = "steady"
    if z >= TREND_Z and change >= TREND_CHANGE:
        trend = "rising"
    elif z <= -TREND_Z and change <= -TREND_CHANGE:
        trend = "falling"
    return trend, share_first, share_last, slope, z


def phrase_families(store: Store, since: datetime | None = None, until: datetime | None = None, *,
                    min_count: int = 5, bucket: str = "1d", limit: int = 20,
                    max_ngrams: int = 500_000) -> PhraseReport:
    """Find families of competing phrasings in the stored messages of a period.

    Args:
        store: the store.
        since / until: the period (created_at, inclusive); ``None`` is open.
        min_count: uses (original messages) a phrasing needs to count as a variant.
        bucket: ``1h``, ``6h`` or ``1d``: the step of each family's ``series`` (display only; trends do not
            depend on it).
        limit: how many families, best ranked first.
        max_ngrams: memory bound of the n-gram table (see :func:`mine_ngrams`).

    Example:
        >>> report = phrase_families(store, min_count=5)  # doctest: +SKIP
        >>> report.families[0].frame, report.families[0].rising  # doctest: +SKIP
        ('goodbye … qasr al nahr', 'goodbye forever from qasr al nahr')
    """
    if bucket not in BUCKETS:
        raise UsageError(f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    if min_count < 2:
        raise UsageError("--min-count must be at least 2")
    query = MessageQuery(since=since, until=until)
    counts, scanned, level = mine_ngrams(store.messages(query), max_ngrams=max_ngrams)
    candidates = sorted(_candidates(counts, min_count), key=lambda c: -_rank_key(c, counts))
    candidates = candidates[:max(limit * 4, 40)]  # recount a margin: approximate counts may reorder them
    phrases = {p for c in candidates for p in c.phrases}
    tallies, uses = _recount(store.messages(query), phrases)
    families = [f for f in (_family(c, tallies, uses, BUCKETS[bucket], min_count) for c in candidates) if f]
    families.sort(key=lambda f: (-f.score, -f.volume, f.frame))
    return PhraseReport(tuple(families[:limit]), format_ts(since) if since else None,
                        format_ts(until) if until else None, bucket, scanned, level)


def _recount(messages: Iterator[Message], phrases: set[str]) -> tuple[dict[str, _Tally], list[tuple[datetime, str]]]:
    """Exact counts of ``phrases`` over all messages (copies too), and every original use (time, phrase)."""
    tallies = {p: _Tally() for p in phrases}
    uses: list[tuple[datetime, str]] = []
    if not phrases:
        return tallies, uses
    for msg in messages:
        hits = _grams(msg) & phrases
        if not hits:
            continue
        original = not is_copy(msg)
        for p in hits:
            t = tallies[p]
            t.count += 1
            if original:
                t.originals += 1
                t.sources[msg.source] += 1
                if msg.author:
                    t.authors.add(msg.author.lower())
                if t.first is None or msg.created_at < t.first.created_at:
                    t.first = msg
                uses.append((msg.created_at, p))
    return tallies, uses


def _family(cand: _Candidate, tallies: dict[str, _Tally], uses: list[tuple[datetime, str]], step: timedelta,
            min_count: int) -> Family | None:
    slots = {s: p for s, p in cand.slots.items() if tallies[p].originals >= min_count}
    if len(slots) < 2:
        return None
    mine = set(slots.values())
    own = sorted((t, p) for t, p in uses if p in mine)
    t0 = own[0][0]
    days = [(t - t0).total_seconds() / 86400 for t, _ in own]
    variants = []
    for slot, phrase in sorted(slots.items(), key=lambda sp: -tallies[sp[1]].originals):
        tally = tallies[phrase]
        trend, first, last, slope, z = _trend(days, [int(p == phrase) for _, p in own])
        f = tally.first
        variants.append(Variant(phrase, slot, tally.count, tally.originals,
                                format_ts(f.created_at) if f else None, f.source if f else None,
                                f.author if f else None, f.id if f else None, len(tally.authors),
                                dict(tally.sources.most_common()), trend, round(first, 3), round(last, 3),
                                round(slope, 4), round(z, 2)))
    volume = sum(v.originals for v in variants)
    competition = _competition([v.originals for v in variants])
    series: dict[datetime, Counter[str]] = defaultdict(Counter)
    for t, p in own:
        series[_floor(t, step)][p] += 1
    rows = tuple({"start": format_ts(k), "counts": {v.phrase: series[k][v.phrase] for v in variants}}
                 for k in sorted(series))
    return Family(f"{cand.prefix} … {cand.suffix}", cand.prefix, cand.suffix, tuple(variants), volume,
                  round(competition, 3), round(volume * competition, 2), format_ts(own[0][0]),
                  format_ts(own[-1][0]), rows)
