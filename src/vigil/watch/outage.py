"""Area-wide outages: many watched people of one area silent at once, relative to how many usually speak then.

For a set of look-back windows ``(T - w, T]`` and each area, the people silent through the whole window are
compared with the area's usual activity: each person's rhythm gives ``q``, the probability they would have
posted in that window (conditioned on their silence before it, in activity time, so nights and slow posters
count for little). An area is in outage when, for some window,

* the silent people would usually have said something: ``sum(q) >= MIN_EXPECTED`` with at least
  ``MIN_ACCOUNTS`` of them more likely than not to have posted;
* they are most of what the area usually says then: ``sum(q over silent) >= MIN_SHARE * sum(q over all)``;
* and their joint silence is very unlikely if all were fine: ``sum(log(1 - q)) <= LOG_ALPHA``.

The window with the strongest evidence gives the outage; its members are the silent people that mattered
(``q >= MEMBER_Q``), and ``since`` is their last sign of life. Being independent across people makes the test
optimistic; the thresholds were set on the replay benchmark, which includes city-wide quiet days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .rhythm import HOUR, RhythmTable

__all__ = ["LOG_ALPHA", "MIN_ACCOUNTS", "MIN_EXPECTED", "MIN_SHARE", "WINDOWS_S", "OutageFinding", "find_outages"]

WINDOWS_S = tuple(h * HOUR for h in (*np.arange(0.75, 12.0, 0.5), *np.arange(12.0, 24.5, 1.5)))
MIN_EXPECTED = 2.5
MIN_ACCOUNTS = 3
MIN_SHARE = 0.8
LOG_ALPHA = float(np.log(1e-4))
MEMBER_Q = 0.1
RATIO_MIN = 0.2


@dataclass(frozen=True)
class OutageFinding:
    """One area in outage at the evaluation time.

    Attributes:
        area: the area's name.
        since: epoch seconds of the last sign of life among its silent members.
        members: row indices (into the scored arrays) of the silent people grouped under it.
        window_s: the look-back window that gave the strongest evidence.
        expected: how many of the members would usually have posted in that window.
        log_p: log probability of their joint silence if all were fine.
    """

    area: str
    since: float
    members: tuple[int, ...]
    window_s: float
    expected: float
    log_p: float


def find_outages(table: RhythmTable, last_seen: npt.ArrayLike, areas: Sequence[str], at: float, *,
                 windows_s: Sequence[float] = WINDOWS_S, min_expected: float = MIN_EXPECTED,
                 min_accounts: int = MIN_ACCOUNTS, min_share: float = MIN_SHARE,
                 log_alpha: float = LOG_ALPHA) -> list[OutageFinding]:
    """Find the areas in outage at ``at`` (epoch seconds), vectorised over people and windows.

    ``last_seen`` holds each row's last post (NaN: never seen, ignored); ``areas`` each row's area.
    """
    seen = np.asarray(last_seen, dtype=np.float64)
    n = seen.size
    if n == 0:
        return []
    names, codes = np.unique(np.asarray(areas, dtype=object).astype(str), return_inverse=True)
    n_areas = names.size
    known = ~np.isnan(seen)
    ls = np.where(known, seen, at)
    tau_ls = table.tau(ls)
    tau_at = table.tau(np.full(n, float(at)))
    best: dict[int, tuple[float, int, npt.NDArray[np.bool_], npt.NDArray[np.float64], float]] = {}
    for w in windows_s:
        start = float(at) - w
        tau_start = table.tau(np.full(n, start))
        silent = known & (ls <= start)
        # P(no post in (start, at] | silent in (last_seen, start]) for the silent; from a fresh start otherwise
        x_at = np.where(silent, tau_at - tau_ls, tau_at - tau_start)
        x_start = np.where(silent, tau_start - tau_ls, 0.0)
        log_surv = -table.shape * (np.log1p(np.maximum(x_at, 0.0) / table.scale_s)
                                   - np.log1p(np.maximum(x_start, 0.0) / table.scale_s))
        # the city as a whole may be quieter than usual (a holiday, a night of shelling): scale everyone's
        # hazard by how active the *other* areas were in the same window, relative to their rhythms
        p_fresh = np.where(known, 1.0 - np.power(1.0 + np.maximum(tau_at - tau_start, 0.0) / table.scale_s,
                                                 -table.shape), 0.0)
        act_a = np.bincount(codes, weights=(known & ~silent).astype(np.float64), minlength=n_areas)
        exp_a = np.bincount(codes, weights=p_fresh, minlength=n_areas)
        ratio = np.clip((act_a.sum() - act_a + 1.0) / (exp_a.sum() - exp_a + 1.0), RATIO_MIN, 1.0)
        log_surv = log_surv * ratio[codes]
        q = np.where(known, 1.0 - np.exp(log_surv), 0.0)
        e_silent = np.bincount(codes, weights=np.where(silent, q, 0.0), minlength=n_areas)
        e_all = np.bincount(codes, weights=q, minlength=n_areas)
        strong = np.bincount(codes, weights=(silent & (q >= 0.5)).astype(np.float64), minlength=n_areas)
        log_p = np.bincount(codes, weights=np.where(silent, log_surv, 0.0), minlength=n_areas)
        hit = ((e_silent >= min_expected) & (strong >= min_accounts) & (e_silent >= min_share * e_all)
               & (log_p <= log_alpha))
        for a in (int(i) for i in np.flatnonzero(hit)):
            if a not in best or log_p[a] < best[a][0]:
                best[a] = (float(log_p[a]), a, silent & (codes == a), q, w)
    found = []
    for log_p_a, a, members_mask, q, w in best.values():
        members = np.flatnonzero(members_mask & (q >= MEMBER_Q))
        since = float(np.max(ls[members])) if members.size else float(at) - w
        found.append(OutageFinding(str(names[a]), since, tuple(int(i) for i in members), float(w),
                                   float(q[members].sum()), log_p_a))
    return sorted(found, key=lambda f: f.area)
