"""Area-wide outages: the watched people of one area falling silent together, against what they usually say.

The question asked at time ``T`` for each area: *since the area's last sign of life ``L`` (the newest post of
any of its people), how unlikely is it that none of them posted, given how much each usually posts then?*
Each person's rhythm (:mod:`vigil.watch.rhythm`) gives a hazard of posting after a silence
(:func:`post_hazard`: the rate of new sessions once the 30-minute session dead time is over, on the person's
activity clock, so nights weigh little), scaled by today's level (a Gamma posterior from the person's sessions in
the day before the area went quiet, prior weight :data:`LEVEL_PRIOR`). ``S_i`` is the probability of no post in
``(L, T]`` under it, mixed with the chance that the person was already silent for their own reasons (the prior
of the personal score, updated by their silence before ``L``). The area's evidence is

    ``evidence = ratio x sum_i -log S_i``   (natural log: ``-log`` of the joint silence probability)

where ``ratio`` (at most 1) is how active the *other* areas were over about the same stretch, relative to their
own rhythms: a city-wide quiet night or a platform outage makes everyone quiet and is not a district outage.

An area is in outage when its evidence reaches the threshold for the length of its silence
(:data:`THRESHOLDS`), at least :data:`MIN_ACCOUNTS` people would each have been reasonably likely to post
(``1 - S_i >= MEMBER_Q``; they are the outage's members), and the evidence without the single most surprising
person still reaches :data:`LOO_THRESHOLD` (one heavy poster going quiet is a personal silence, not a
district going dark). Starting the window at the area's newest post makes the evidence grow while the area
stays dark, so an outage does not flicker; it ends (``back``) as soon as anyone of the area posts again.
``since`` is that last sign of life.

Limits, measured (``benchmarks/silence.py``, docs/benchmarks/silence.md): only silence is evidence, and
independent people's silences add up slowly. Scanning twenty districts every ten minutes for eight weeks,
chance alone produces joint silences of evidence 11-12.5, so an outage is declared only around that level,
which a district of a few moderate posters reaches hours after it goes dark, not within three. The thresholds
were calibrated on replay seeds 0, 2-5 and 8-11 (the lowest half-units above every chance silence there),
never on the reported seeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .rhythm import ALARM_RATE, DAY, HOUR, SESSION_GAP_S, RhythmTable, sessions

__all__ = ["LEVEL_PRIOR", "LOO_THRESHOLD", "MEMBER_Q", "MIN_ACCOUNTS", "RATIO_WINDOWS_S", "RECENT_WINDOW_S",
           "THRESHOLDS", "AreaEvidence", "OutageFinding", "area_evidence", "find_outages", "in_outage",
           "post_hazard", "recent_sessions", "threshold_for"]

Array = npt.NDArray[np.float64]

THRESHOLDS = ((0.0, 12.5), (6 * HOUR, 12.0), (12 * HOUR, 10.5))
"""Evidence (``-log`` of the joint silence probability, city-adjusted) needed to declare an outage, by how long
the area has been silent: ``(from_s, evidence)``. Short silences are tested far more often than long ones
(every ten minutes, a new short window opens), so they need more evidence to keep chance findings out."""
LOO_THRESHOLD = 6.0
"""Evidence still needed after removing the area's most surprising person."""
MIN_ACCOUNTS = 3
"""At least this many people of the area must each have been reasonably likely to post."""
MEMBER_Q = 0.1
"""A silent person counts as a member of the outage when they would have posted with at least this chance."""
RATIO_WINDOWS_S = tuple(h * HOUR for h in (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 24.0))
"""Windows on which the rest of the city's activity is measured (the longest one within an area's silence)."""
RECENT_WINDOW_S = 24 * HOUR
"""Window before the area's last sign of life on which each person's level of the day is measured."""
LEVEL_PRIOR = 3.0
"""Prior weight (in sessions) of a person's usual level against what they did in the recent window."""
RATIO_MIN = 0.02
RATIO_PSEUDO = 1.0
"""Pseudo-count added to the other areas' observed and expected activity: few accounts, little adjustment."""


@dataclass(frozen=True)
class OutageFinding:
    """One area in outage at the evaluation time.

    Attributes:
        area: the area's name.
        since: epoch seconds of the area's last sign of life (its newest post).
        members: row indices (into the scored arrays) of the silent people grouped under it.
        window_s: how long the area has been silent (``at - since``).
        expected: how many of the members would usually have posted in that time.
        log_p: log probability of their joint silence if all were fine (city-adjusted; ``-evidence``).
    """

    area: str
    since: float
    members: tuple[int, ...]
    window_s: float
    expected: float
    log_p: float


@dataclass(frozen=True)
class AreaEvidence:
    """Per-area outage evidence at one time (arrays aligned with ``names``).

    Attributes:
        names: area names (sorted).
        since: each area's last sign of life (NaN: nobody of the area ever seen).
        evidence: city-adjusted ``-log`` probability of the joint silence since then.
        loo: the same without the area's most surprising person.
        ratio: the city adjustment (other areas' observed / expected activity, at most 1).
        n_members: people who would each have posted with at least :data:`MEMBER_Q` chance.
        expected: their expected number of posting people.
        codes: each row's index into ``names``.
        q: each row's probability of having posted since its area's last sign of life.
    """

    names: npt.NDArray[np.str_]
    since: Array
    evidence: Array
    loo: Array
    ratio: Array
    n_members: npt.NDArray[np.int64]
    expected: Array
    codes: npt.NDArray[np.int64]
    q: Array


def post_hazard(table: RhythmTable) -> Array:
    """Each row's rate of new sessions once a silence has lasted :data:`SESSION_GAP_S` (per activity second).

    The Lomax law was fitted to gaps measured from a session's end, and no session starts within
    :data:`SESSION_GAP_S` of a post, so its mean gap includes that dead time; the rate after it is
    ``1 / (mean - dead)``. For a heavy poster this is several times the sessions-per-day rate: they are busy most
    of the day, and when they are not, they come back quickly. Very heavy tails (no finite mean) fall back to
    the sessions-per-day rate.
    """
    k = table.shape
    mean = table.scale_s / np.maximum(k - 1.0, 1e-9)
    mean_after = np.maximum(mean - SESSION_GAP_S, 0.05 * mean)
    out: Array = np.where(k > 1.05, 1.0 / mean_after, table.sessions_per_day / DAY)
    return out


def recent_sessions(times: Sequence[Array], last_seen: npt.ArrayLike, areas: Sequence[str], *,
                    window_s: float = RECENT_WINDOW_S) -> Array:
    """Each row's number of sessions in the ``window_s`` before its area's last sign of life.

    Args:
        times: each row's sorted post times (epoch seconds) up to the evaluation time; at least the last
            ``window_s`` before its area's last sign of life.
        last_seen: each row's last post (NaN: never seen).
        areas: each row's area.
        window_s: the window length.
    """
    seen = np.asarray(last_seen, dtype=np.float64)
    names, codes = np.unique(np.asarray(areas, dtype=object).astype(str), return_inverse=True)
    since = np.full(names.size, -np.inf)
    np.maximum.at(since, codes, np.where(np.isnan(seen), -np.inf, seen))
    out = np.zeros(seen.size)
    for i, t in enumerate(times):
        end = since[codes[i]]
        if t.size and np.isfinite(end):
            starts, _ = sessions(t[(t > end - window_s - SESSION_GAP_S) & (t <= end)])
            out[i] = np.count_nonzero(starts > end - window_s)
    return out


def _log_surv(table: RhythmTable, x: Array) -> Array:
    """Lomax log survival of activity-time silences ``x`` (one per row)."""
    return _log_surv_at(table.scale_s, table.shape, x)


def _log_surv_at(scale: Array, shape: Array, x: Array) -> Array:
    out: Array = -shape * np.log1p(np.maximum(x, 0.0) / scale)
    return out


def _city_ratio(table: RhythmTable, known: npt.NDArray[np.bool_], ls: Array, tau_ls: Array, tau_at: Array,
                codes: npt.NDArray[np.int64], n_areas: int, at: float,
                windows_s: Sequence[float]) -> Array:
    """Observed / expected active people in the *other* areas, per (window, area)."""
    n = ls.size
    out = np.ones((len(windows_s), n_areas))
    log_at = _log_surv(table, tau_at - tau_ls)
    for k, w in enumerate(windows_s):
        tau_start = table.tau(np.full(n, at - w))
        silent = known & (ls <= at - w)
        active = known & (ls > at - w)
        # silent people: chance of a post in the window given their silence so far; active ones: from scratch
        p_silent = 1.0 - np.exp(log_at - _log_surv(table, tau_start - tau_ls))
        p_fresh = 1.0 - np.exp(_log_surv(table, tau_at - tau_start))
        expected = np.bincount(codes, weights=np.where(silent, p_silent, np.where(active, p_fresh, 0.0)),
                               minlength=n_areas)
        observed = np.bincount(codes, weights=active.astype(np.float64), minlength=n_areas)
        out[k] = ((observed.sum() - observed + RATIO_PSEUDO) / (expected.sum() - expected + RATIO_PSEUDO))
    clipped: Array = np.clip(out, RATIO_MIN, 1.0)
    return clipped


def area_evidence(table: RhythmTable, last_seen: npt.ArrayLike, areas: Sequence[str], at: float, *,
                  recent: npt.ArrayLike | None = None, recent_window_s: float = RECENT_WINDOW_S,
                  level_prior: float = LEVEL_PRIOR, ratio_windows_s: Sequence[float] = RATIO_WINDOWS_S,
                  off_rate: float = ALARM_RATE) -> AreaEvidence:
    """Each area's evidence of an outage at ``at`` (epoch seconds), vectorised over people.

    Args:
        table: the people's rhythms, one row each.
        last_seen: each row's last post up to ``at`` (NaN: never seen; such rows are ignored).
        areas: each row's area.
        at: the evaluation time.
        recent: each row's number of sessions in the ``recent_window_s`` before its area's last sign of life
            (:func:`recent_sessions`); ``None`` when unknown (the prior spread of a day's level is used).
        recent_window_s: the window ``recent`` was counted on.
        level_prior: weight, in sessions, of the prior on a person's level of the day (Gamma, mean 1).
        ratio_windows_s: windows on which the rest of the city's activity is measured.
        off_rate: prior rate per account-month of a personal silence (the personal watch's ``alarm_rate``).

    Returns:
        An :class:`AreaEvidence`; thresholds are applied by :func:`find_outages`.
    """
    seen = np.asarray(last_seen, dtype=np.float64)
    n = seen.size
    names, codes = np.unique(np.asarray(areas, dtype=object).astype(str), return_inverse=True)
    codes = codes.astype(np.int64)
    n_areas = names.size
    known = ~np.isnan(seen)
    ls = np.where(known, seen, -np.inf)
    since = np.full(n_areas, -np.inf)
    np.maximum.at(since, codes, ls)
    since = np.where(np.isfinite(since), since, np.nan)
    ls = np.where(known, seen, at)
    start = np.where(np.isnan(since[codes]), at, since[codes])
    tau_ls = table.tau(ls)
    tau_at = table.tau(np.full(n, float(at)))
    tau_start = table.tau(start)
    h = post_hazard(table)
    # today's level of each person relative to their rhythm (Gamma posterior from their sessions in the day
    # before the area went quiet); without that information, the prior spread of a day's level
    if recent is None:
        a = b = np.full(n, level_prior)
    else:
        counts = np.asarray(recent, dtype=np.float64)
        expected_recent = table.sessions_per_day / DAY * (tau_start - table.tau(start - recent_window_s))
        a, b = level_prior + counts, level_prior + expected_recent
    # P(no post in (L, at] | no post in (last_seen, L]): a person's posts arrive at least at the rate of new
    # sessions after a silence (the burst part of their posting only adds to it), so the hazard applies from
    # their last post on -- a person who posted just before the area went quiet counts fully.
    lam = h * np.maximum(tau_at - np.maximum(tau_start, tau_ls), 0.0)
    log_s = -a * np.log1p(lam / b)
    q = np.where(known, -np.expm1(log_s), 0.0)
    if off_rate > 0:
        # someone already overdue before the area went quiet was probably silent for their own reasons
        pi = np.clip(off_rate / np.maximum(table.sessions_per_day * 30.0, 1e-9), 1e-9, 0.5)
        log_before = -level_prior * np.log1p(h * np.maximum(tau_start - tau_ls, 0.0) / level_prior)
        on = (1.0 - pi) * np.exp(log_before)
        q = q * on / (on + pi)
    term = -np.log1p(-np.minimum(q, 1.0 - 1e-15))
    raw = np.bincount(codes, weights=term, minlength=n_areas)
    top = np.zeros(n_areas)
    np.maximum.at(top, codes, term)
    member = known & (q >= MEMBER_Q)
    n_members = np.bincount(codes, weights=member.astype(np.float64), minlength=n_areas).astype(np.int64)
    expected = np.bincount(codes, weights=np.where(member, q, 0.0), minlength=n_areas)
    silent_for = np.where(np.isnan(since), 0.0, at - np.nan_to_num(since, nan=at))
    windows = np.asarray(ratio_windows_s, dtype=np.float64)
    ratios = _city_ratio(table, known, ls, tau_ls, tau_at, codes, n_areas, float(at), tuple(windows.tolist()))
    # the longest window within the area's silence: a longer one would count the others' activity from before
    pick = np.maximum((windows[None, :] <= silent_for[:, None]).sum(axis=1) - 1, 0)
    ratio = ratios[pick, np.arange(n_areas)]
    # within a session (the newest post less than SESSION_GAP_S ago) silence is no evidence yet
    fresh = silent_for < SESSION_GAP_S
    evidence = np.where(fresh, 0.0, ratio * raw)
    loo = np.where(fresh, 0.0, ratio * (raw - top))
    return AreaEvidence(names, since, evidence, loo, ratio, n_members, expected.astype(np.float64), codes, q)


def threshold_for(silent_for_s: npt.ArrayLike,
                  thresholds: Sequence[tuple[float, float]] = THRESHOLDS) -> Array:
    """The evidence needed after ``silent_for_s`` seconds of area-wide silence (vectorised).

    >>> threshold_for([3600.0, 7 * 3600.0, 86400.0]).tolist()
    [12.5, 12.0, 10.5]
    """
    d = np.asarray(silent_for_s, dtype=np.float64)
    out = np.full(d.shape, np.inf)
    for from_s, needed in sorted(thresholds):
        out = np.where(d >= from_s, needed, out)
    return out


def in_outage(ev: AreaEvidence, at: float, *, thresholds: Sequence[tuple[float, float]] = THRESHOLDS,
              loo_threshold: float = LOO_THRESHOLD, min_accounts: int = MIN_ACCOUNTS) -> npt.NDArray[np.bool_]:
    """Which areas of ``ev`` (computed at ``at``) are in outage: the test :func:`find_outages` applies."""
    needed = threshold_for(at - np.nan_to_num(ev.since, nan=at), thresholds)
    hit: npt.NDArray[np.bool_] = (ev.evidence >= needed) & (ev.loo >= loo_threshold) & (ev.n_members >= min_accounts)
    return hit


def find_outages(table: RhythmTable, last_seen: npt.ArrayLike, areas: Sequence[str], at: float, *,
                 recent: npt.ArrayLike | None = None, thresholds: Sequence[tuple[float, float]] = THRESHOLDS,
                 loo_threshold: float = LOO_THRESHOLD, min_accounts: int = MIN_ACCOUNTS) -> list[OutageFinding]:
    """Find the areas in outage at ``at`` (epoch seconds).

    Args:
        table: the people's rhythms, one row each.
        last_seen: each row's last post up to ``at`` (NaN: never seen, ignored).
        areas: each row's area.
        at: the evaluation time.
        recent: each row's sessions in the day before its area's last sign of life (:func:`recent_sessions`).
        thresholds: evidence needed by length of the area's silence (see :data:`THRESHOLDS`).
        loo_threshold: evidence needed without the area's most surprising person.
        min_accounts: people that must each have been reasonably likely to post.

    Returns:
        One :class:`OutageFinding` per area in outage, sorted by area; :func:`area_evidence` gives the evidence
        of every area without thresholds.
    """
    if np.asarray(last_seen).size == 0:
        return []
    ev = area_evidence(table, last_seen, areas, at, recent=recent)
    hit = in_outage(ev, at, thresholds=thresholds, loo_threshold=loo_threshold, min_accounts=min_accounts)
    found = []
    for a in (int(i) for i in np.flatnonzero(hit)):
        members = np.flatnonzero((ev.codes == a) & (ev.q >= MEMBER_Q))
        found.append(OutageFinding(str(ev.names[a]), float(ev.since[a]), tuple(int(i) for i in members),
                                   float(at - ev.since[a]), float(ev.expected[a]), -float(ev.evidence[a])))
    return sorted(found, key=lambda f: f.area)
