"""Reconciliation: group claims about the same subject and report where sources disagree, without merging.

* **numbers**: counts of the same subject from different sources whose figures do not overlap and differ by
  more than :data:`TOLERANCE`. The figure a source gives is compared as given: "at least 45" is 45, so 45, 62
  and 80 disagree even though "at least 45" is technically true of 80. Event counts (deaths, injured,
  evacuated ...) are compared within :data:`EVENT_WINDOW` of each other; stock counts (people trapped,
  fighters, displaced) across the whole period, since they describe the same standing population.
* **status**: opposed statuses of the same object from different sources within :data:`STATUS_WINDOW`
  (a convoy "reached" vs "halted"; a truce "holding" vs "collapsed"), and sources that give different clock
  times for the same change ("took effect at 9pm" vs "at midnight").
* **blame**: accusations about the same thing naming different parties, and "each side blames the other".

A conflict lists every claim of its group from every source, oldest first, so a reader sees the range and who
said what when.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from .model import Claim, Conflict
from .names import names_match
from .statuses import opposed

__all__ = ["EVENT_WINDOW", "STATUS_WINDOW", "TOLERANCE", "figure", "find_conflicts", "group_counts"]

TOLERANCE = 0.10
EVENT_WINDOW = timedelta(hours=36)
STATUS_WINDOW = timedelta(hours=14)
BLAME_WINDOW = timedelta(days=3)
# counts that describe a standing population rather than one incident
STOCK_SUBJECTS = {"people trapped", "fighters", "displaced", "civilians"}
# generic subjects whose numbers differ for good reasons ("three districts", "12 buses", "four children")
_NOT_COMPARED = {"civilians", "children", "districts", "buildings", "buses", "vehicles", "aid", "munitions",
                 "airstrikes", "attacks", "aircraft", "convoys"}


def _ts(claim: Claim) -> datetime:
    try:
        return datetime.fromisoformat(claim.published_at.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min


def figure(claim: Claim) -> tuple[float, float]:
    """The figure a count claim gives, as an interval (an open end collapses onto the bound given)."""
    low = claim.value_low if claim.value_low is not None else claim.value_high
    high = claim.value_high if claim.value_high is not None else claim.value_low
    return float(low or 0), float(high or 0)


def _disagree(a: Claim, b: Claim) -> bool:
    (a_lo, a_hi), (b_lo, b_hi) = figure(a), figure(b)
    if a_lo <= b_hi and b_lo <= a_hi:
        return False
    gap = max(a_lo, b_lo) - min(a_hi, b_hi)
    return gap > TOLERANCE * max(a_hi, b_hi, 1)


def _same_source(a: Claim, b: Claim) -> bool:
    return bool(a.origin and b.origin and names_match(a.origin, b.origin))


def _places_compatible(a: Claim, b: Claim) -> bool:
    return a.place is None or b.place is None or names_match(a.place, b.place)


def group_counts(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    """Count claims by subject, oldest first."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.kind == "count" and c.subject:
            groups[c.subject].append(c)
    for items in groups.values():
        items.sort(key=_ts)
    return dict(groups)


def _who(c: Claim) -> str:
    chain = " via ".join(c.attributed_to) if c.attributed_to else "unattributed"
    hedge = ", reportedly" if c.hedged else ""
    return f"{chain}{hedge}, {c.published_at[:16].replace('T', ' ')}"


def _value(c: Claim) -> str:
    lo, hi = c.value_low, c.value_high
    if lo is not None and hi is not None:
        return f"{lo:,}" if lo == hi else f"{lo:,}-{hi:,}"
    if lo is not None:
        return f"{lo:,}+"
    return f"up to {hi:,}" if hi is not None else "?"


def _components(items: list[Claim], linked: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in linked:
        parent[find(i)] = find(j)
    comps: dict[int, list[int]] = defaultdict(list)
    for i, j in linked:
        comps[find(i)].extend((i, j))
    return [sorted(set(v)) for v in comps.values()]


def _count_conflicts(claims: Sequence[Claim]) -> list[Conflict]:
    out: list[Conflict] = []
    for subject, items in group_counts(claims).items():
        if subject in _NOT_COMPARED:
            continue
        window = None if subject in STOCK_SUBJECTS else EVENT_WINDOW
        linked = []
        for i, a in enumerate(items):
            for j in range(i + 1, len(items)):
                b = items[j]
                if window is not None and abs(_ts(a) - _ts(b)) > window:
                    continue
                if _same_source(a, b) or not _places_compatible(a, b):
                    continue
                if _disagree(a, b):
                    linked.append((i, j))
        for comp in _components(items, linked):
            lo_t, hi_t = _ts(items[comp[0]]), _ts(items[comp[-1]])
            # everything said about the subject in the same span, agreeing or not, stands side by side
            members = [k for k, c in enumerate(items)
                       if k in comp or (window is None or lo_t - window <= _ts(c) <= hi_t + window)]
            chosen = [items[k] for k in sorted(set(members))]
            lows = [figure(c)[0] for c in chosen]
            highs = [figure(c)[1] for c in chosen]
            why = (f"{subject}: sources disagree, {min(lows):,.0f} to {max(highs):,.0f} — "
                   + "; ".join(f"{_value(c)} ({_who(c)})" for c in chosen))
            out.append(Conflict(subject, tuple(c.id for c in chosen), why, "numbers"))
    return out


def _status_conflicts(claims: Sequence[Claim]) -> list[Conflict]:
    by_subject: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.kind == "status" and c.subject and c.status:
            by_subject[c.subject].append(c)
    out: list[Conflict] = []
    for subject, items in by_subject.items():
        items.sort(key=_ts)
        linked = []
        timing = []
        for i, a in enumerate(items):
            for j in range(i + 1, len(items)):
                b = items[j]
                if abs(_ts(a) - _ts(b)) > STATUS_WINDOW or _same_source(a, b) or not _places_compatible(a, b):
                    continue
                if a.status and b.status and opposed(a.status, b.status):
                    linked.append((i, j))
                ha, hb = a.extra.get("hour"), b.extra.get("hour")
                if a.status == b.status and ha is not None and hb is not None and ha != hb:
                    timing.append((i, j))
        for comp in _components(items, linked):
            chosen = [items[k] for k in comp]
            statuses = sorted({c.status or "" for c in chosen})
            why = (f"{subject}: contradictory statuses ({' vs '.join(statuses)}) — "
                   + "; ".join(f"{c.status} ({_who(c)})" for c in chosen))
            out.append(Conflict(subject, tuple(c.id for c in chosen), why, "status"))
        for comp in _components(items, timing):
            chosen = [items[k] for k in comp]
            why = (f"{subject}: sources disagree on when it {chosen[0].status} — "
                   + "; ".join(f"{c.extra.get('hour'):02d}:00 ({_who(c)})" for c in chosen))
            out.append(Conflict(f"{subject} ({chosen[0].status})", tuple(c.id for c in chosen), why, "timing"))
    return out


def _blame_conflicts(claims: Sequence[Claim]) -> list[Conflict]:
    by_subject: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.kind == "statement" and c.subject and c.blamed:
            by_subject[c.subject].append(c)
    out: list[Conflict] = []
    for subject, items in by_subject.items():
        items.sort(key=_ts)
        linked = []
        for i, a in enumerate(items):
            for j in range(i + 1, len(items)):
                b = items[j]
                if abs(_ts(a) - _ts(b)) <= BLAME_WINDOW and not names_match(a.blamed or "", b.blamed or ""):
                    linked.append((i, j))
        mutual = [i for i, c in enumerate(items) if c.blamed == "each other"]
        # every "each side blames the other" about the same thing in the window is one conflict
        linked += [(a, b) for a, b in itertools.pairwise(mutual)
                   if abs(_ts(items[a]) - _ts(items[b])) <= BLAME_WINDOW]
        comps = _components(items, linked)
        covered = {k for comp in comps for k in comp}
        comps += [[i] for i in mutual if i not in covered]
        for comp in comps:
            chosen = [items[k] for k in comp]
            why = (f"{subject}: blame assigned to different parties — "
                   + "; ".join(f"{c.blamed} ({_who(c)})" if c.blamed != "each other"
                               else f"each side blames the other ({_who(c)})" for c in chosen))
            out.append(Conflict(subject, tuple(c.id for c in chosen), why, "blame"))
    return out


def find_conflicts(claims: Sequence[Claim]) -> list[Conflict]:
    """Every conflict among ``claims``: numbers, then statuses, then blame."""
    return _count_conflicts(claims) + _status_conflicts(claims) + _blame_conflicts(claims)
