"""Each account's own rhythm, and how surprising its current silence is.

The model, chosen on the replay benchmark (``benchmarks/silence.py``; docs/watchers.md explains the choice):

1. **Sessions.** Posts less than :data:`SESSION_GAP_S` apart are one session: a burst of 40 posts is one sign
   of life, so bursts do not make gaps look short (the median post gap of a bursty account is seconds).
2. **Activity time.** Session starts form an inhomogeneous process whose intensity follows an hour-of-week
   profile in the area's local time (24 hour factors x 7 day factors, shrunk towards a typical human day).
   The clock of an account runs in *activity time*: an hour at 3 a.m. counts for little, an evening hour for
   more. Silences and gaps are measured on that clock, so a quiet night is not an alarm.
3. **Gaps.** Gaps between sessions, in activity time, follow a Lomax law (an exponential whose rate varies
   from day to day as a Gamma: overdispersed Poisson), ``S(x) = (1 + x/scale) ** -shape``. Its heavy tail is
   what makes a natural two-day quiet spell merely unusual rather than impossible. The dispersion
   ``1/shape`` is shrunk towards a prior, so a short history gives a cautious, heavy tail.
4. **Score.** ``S`` is the probability that a live account stays silent this long. An account has about
   ``30 * sessions_per_day`` gaps a month; with a prior rate of ``alarm_rate`` real incidents per account and
   month, the posterior that the silence is not a normal gap is ``pi / (pi + (1 - pi) S)`` with
   ``pi = alarm_rate / gaps_per_month``. It is the ``score`` (0..1); an account is overdue from 0.5 on, which
   keeps false alarms near ``alarm_rate`` per account-month whatever the account's rate.

Cold start (fewer than :data:`MIN_GAPS` gaps): the mean gap is estimated with two pseudo-gaps of a day and the
tail is heavy (``shape = 2``); the rhythm says ``cold_start=True`` and ``method="prior"``.

Scoring is vectorised over many accounts (:class:`RhythmTable`); fitting is per account and stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["ALARM_RATE", "COLD_SHAPE", "MIN_GAPS", "OVERDUE_SCORE", "SESSION_GAP_S", "Rhythm", "RhythmTable",
           "SilenceScores", "default_profile", "fit_lomax", "fit_profile", "fit_rhythm", "score_silence",
           "sessions"]

Array = npt.NDArray[np.float64]

HOUR = 3600.0
DAY = 86400.0
WEEK = 7 * DAY
MONDAY0 = 4 * DAY  # 1970-01-05 00:00 UTC was a Monday: hour-of-week bins start there

SESSION_GAP_S = 1800.0
"""Posts closer than this belong to one session (one sign of life)."""
MIN_GAPS = 5
"""Below this many gaps between sessions the rhythm is a cold start."""
COLD_SHAPE = 2.0
"""Lomax shape used for cold starts: a heavy tail, so few alarms until the rhythm is known."""
PRIOR_SHAPE = 3.0
"""Dispersion prior: ``1/shape`` is shrunk towards ``1/PRIOR_SHAPE`` ..."""
PRIOR_GAPS = 20.0
"""... with the weight of this many gaps."""
PRIOR_GAP_S = DAY
"""Cold start: the two pseudo-gaps added to a short history are this long."""
ALARM_RATE = 0.6
"""Default prior rate of real incidents per account-month (tuned on the replay: about one false alarm per
account-month or fewer)."""
OVERDUE_SCORE = 0.5
"""An account is overdue when its score reaches this."""
PROFILE_FLOOR = 0.15
"""No hour counts for less than this share of an average hour: people post at night in a siege too."""
HOUR_PSEUDO = 24.0
DAY_PSEUDO = 28.0
HISTORY_DAYS = 90.0
"""Rhythms are learned from this many days before the fit time."""

# A typical human day (local time), mean 1: little from 1 to 6 a.m., a morning rise, an evening peak.
_HUMAN_DAY = np.array([0.55, 0.35, 0.25, 0.2, 0.2, 0.3, 0.55, 0.85, 1.05, 1.15, 1.2, 1.2,
                       1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.35, 1.45, 1.5, 1.45, 1.25, 0.9])


def default_profile() -> Array:
    """The prior hour-of-week profile (168 weights, mean 1): a typical human day, every day alike."""
    day = _HUMAN_DAY / _HUMAN_DAY.mean()
    return np.tile(day, 7).astype(np.float64)


@dataclass(frozen=True)
class Rhythm:
    """The learned rhythm of one account (or person) as of ``fitted_at`` (epoch seconds).

    Attributes:
        scale_s, shape: the Lomax law of gaps between sessions, in activity seconds.
        sessions_per_day: how many sessions (signs of life) a day, on average.
        mean_gap_s: average wall-clock time between sessions (``DAY / sessions_per_day``).
        profile: 168 hour-of-week weights in local time (Monday 00:00 first), mean 1.
        cold_start: too little history; ``method`` is then ``"prior"`` instead of ``"lomax"``.
    """

    fitted_at: float
    last_seen: float | None
    n_posts: int
    n_sessions: int
    sessions_per_day: float
    scale_s: float
    shape: float
    mean_gap_s: float
    utc_offset_min: int
    cold_start: bool
    method: str
    profile: Array = field(default_factory=default_profile)


def sessions(times: npt.ArrayLike, gap_s: float = SESSION_GAP_S) -> tuple[Array, Array]:
    """Collapse sorted post times into sessions; return their start and end times.

    >>> s, e = sessions([0, 60, 120, 5000, 5030])
    >>> s.tolist(), e.tolist()
    ([0.0, 5000.0], [120.0, 5030.0])
    """
    t = np.sort(np.asarray(times, dtype=np.float64))
    if t.size == 0:
        return t, t
    breaks = np.flatnonzero(np.diff(t) > gap_s)
    starts = np.concatenate(([t[0]], t[breaks + 1]))
    ends = np.concatenate((t[breaks], [t[-1]]))
    return starts, ends


def _week_bins(t: Array, offset_s: float) -> npt.NDArray[np.int64]:
    pos = np.mod(t + offset_s - MONDAY0, WEEK)
    return np.minimum((pos // HOUR).astype(np.int64), 167)


def _exposure(start: float, end: float, offset_s: float) -> Array:
    """Hours spent in each hour-of-week bin between ``start`` and ``end``."""
    hours = max(end - start, 0.0) / HOUR
    full_weeks = np.floor(hours / 168.0)
    out = np.full(168, full_weeks, dtype=np.float64)
    rest_start = start + full_weeks * WEEK
    n_rest = int(np.ceil((end - rest_start) / HOUR))
    if n_rest > 0:
        edges = rest_start + HOUR * np.arange(n_rest + 1, dtype=np.float64)
        edges[-1] = end
        lengths = np.diff(edges) / HOUR
        np.add.at(out, _week_bins(edges[:-1], offset_s), lengths)
    return out


def fit_profile(starts: npt.ArrayLike, window_start: float, window_end: float, offset_s: float = 0.0) -> Array:
    """Hour-of-week weights (168, mean 1) from session start times, shrunk towards :func:`default_profile`.

    Hour-of-day and day-of-week factors are estimated separately (rates per hour of exposure, with
    :data:`HOUR_PSEUDO` and :data:`DAY_PSEUDO` pseudo-sessions of prior), multiplied, floored at
    :data:`PROFILE_FLOOR` and renormalised.
    """
    s = np.asarray(starts, dtype=np.float64)
    exposure = _exposure(window_start, window_end, offset_s).reshape(7, 24)
    counts = np.bincount(_week_bins(s, offset_s), minlength=168).astype(np.float64).reshape(7, 24)
    prior = default_profile()[:24]
    hour_exp, hour_cnt = exposure.sum(0), counts.sum(0)
    mean_exp = max(hour_exp.mean(), 1e-9)
    # counts scaled to a common exposure, plus pseudo-sessions spread like the prior day
    hour = np.where(hour_exp > 0, hour_cnt / np.maximum(hour_exp, 1e-9) * mean_exp, 0.0)
    hour = hour + HOUR_PSEUDO / 24.0 * prior
    hour /= hour.mean()
    day_exp, day_cnt = exposure.sum(1), counts.sum(1)
    mean_dexp = max(day_exp.mean(), 1e-9)
    day = np.where(day_exp > 0, day_cnt / np.maximum(day_exp, 1e-9) * mean_dexp, 0.0) + DAY_PSEUDO / 7.0
    day /= day.mean()
    w: Array = np.maximum(np.outer(day, hour).ravel(), PROFILE_FLOOR)
    return w / float(w.mean())


def fit_lomax(gaps: npt.ArrayLike, *, prior_shape: float = PRIOR_SHAPE,
              prior_gaps: float = PRIOR_GAPS) -> tuple[float, float]:
    """Fit ``S(x) = (1 + x/scale) ** -shape`` to positive gaps; return ``(scale, shape)``.

    Maximum likelihood on a grid of scales (the shape has a closed form for a given scale), then the
    dispersion ``1/shape`` is shrunk towards ``1/prior_shape`` with the weight of ``prior_gaps`` gaps and the
    scale refitted for that shape.
    """
    x = np.asarray(gaps, dtype=np.float64)
    x = x[x > 0]
    n = x.size
    if n == 0:
        raise ValueError("fit_lomax needs at least one positive gap")
    mean = float(x.mean())
    scales = mean * np.geomspace(0.005, 200.0, 90)
    logs = np.log1p(x[None, :] / scales[:, None]).sum(axis=1)
    shapes = n / logs
    ll = n * np.log(shapes) - n * np.log(scales) - (shapes + 1.0) * logs
    k_hat = float(min(shapes[int(np.argmax(ll))], 200.0))
    inv_k = (n / k_hat + prior_gaps / prior_shape) / (n + prior_gaps)
    k = float(np.clip(1.0 / inv_k, 0.3, 200.0))
    ll_k = -n * np.log(scales) - (k + 1.0) * logs
    return float(scales[int(np.argmax(ll_k))]), k


def fit_rhythm(times: npt.ArrayLike, *, at: float, utc_offset_min: int = 0,
               history_days: float = HISTORY_DAYS) -> Rhythm:
    """Learn a rhythm from post times (epoch seconds) seen up to ``at``; later posts are ignored.

    >>> import numpy as np
    >>> r = fit_rhythm(np.arange(0, 30 * 86400, 7200.0), at=30 * 86400.0)
    >>> r.method, round(r.sessions_per_day)
    ('lomax', 12)
    """
    t = np.sort(np.asarray(times, dtype=np.float64))
    t = t[(t <= at) & (t >= at - history_days * DAY)]
    offset_s = utc_offset_min * 60.0
    if t.size == 0:
        return Rhythm(at, None, 0, 0, 1.0 / (PRIOR_GAP_S / DAY), PRIOR_GAP_S, COLD_SHAPE, PRIOR_GAP_S,
                      utc_offset_min, True, "prior")
    starts, ends = sessions(t)
    # Exposure ends at the last post, not at ``at``: the silence still going on is what gets scored, so it must
    # not also be learned as normal (a refit during an outage would otherwise teach the model the outage).
    last = float(t[-1])
    span = max(last - float(t[0]), HOUR)
    profile = fit_profile(starts, float(t[0]), max(last, float(t[0]) + HOUR), offset_s)
    n_sessions = int(starts.size)
    gaps_op = (_tau1(profile, offset_s, starts[1:]) - _tau1(profile, offset_s, ends[:-1]))
    gaps_op = gaps_op[gaps_op > 0]
    if gaps_op.size < MIN_GAPS:
        mean_op = (span + 2.0 * PRIOR_GAP_S) / (n_sessions + 2.0)
        return Rhythm(at, float(t[-1]), int(t.size), n_sessions, DAY / mean_op, mean_op * (COLD_SHAPE - 1.0),
                      COLD_SHAPE, mean_op, utc_offset_min, True, "prior", profile)
    scale, shape = fit_lomax(gaps_op)
    spd = n_sessions / (span / DAY)
    return Rhythm(at, float(t[-1]), int(t.size), n_sessions, spd, scale, shape, DAY / spd, utc_offset_min, False,
                  "lomax", profile)


def _tau1(profile: Array, offset_s: float, t: Array) -> Array:
    """Activity time of ``t`` for one profile."""
    cum = np.concatenate(([0.0], np.cumsum(profile) * HOUR))
    local = t + offset_s - MONDAY0
    weeks = np.floor(local / WEEK)
    pos = local - weeks * WEEK
    k = np.minimum((pos // HOUR).astype(np.int64), 167)
    return weeks * WEEK + cum[k] + (pos - k * HOUR) * profile[k]


@dataclass
class SilenceScores:
    """Scores of many accounts at one time (arrays aligned with the :class:`RhythmTable` rows)."""

    silent_for_s: Array
    activity_silence_s: Array
    survival: Array
    score: Array
    overdue: npt.NDArray[np.bool_]
    expected_next: Array
    expected_gap_s: Array


@dataclass
class RhythmTable:
    """Rhythm parameters of many accounts as arrays, for vectorised scoring.

    Build it with :meth:`from_rhythms` (or from stored rows); :func:`score_silence` scores every row at once.
    """

    scale_s: Array
    shape: Array
    sessions_per_day: Array
    mean_gap_s: Array
    offset_s: Array
    profile: Array  # (n, 168)
    cold_start: npt.NDArray[np.bool_]
    _cum: Array | None = None

    def __len__(self) -> int:
        return int(self.scale_s.size)

    @classmethod
    def from_rhythms(cls, rhythms: Sequence[Rhythm]) -> RhythmTable:
        """Stack per-account rhythms."""
        n = len(rhythms)
        return cls(
            scale_s=np.array([r.scale_s for r in rhythms], dtype=np.float64),
            shape=np.array([r.shape for r in rhythms], dtype=np.float64),
            sessions_per_day=np.array([r.sessions_per_day for r in rhythms], dtype=np.float64),
            mean_gap_s=np.array([r.mean_gap_s for r in rhythms], dtype=np.float64),
            offset_s=np.array([r.utc_offset_min * 60.0 for r in rhythms], dtype=np.float64),
            profile=np.vstack([r.profile for r in rhythms]) if n else np.zeros((0, 168)),
            cold_start=np.array([r.cold_start for r in rhythms], dtype=np.bool_),
        )

    @property
    def cum(self) -> Array:
        """Cumulative activity seconds at each hour-of-week boundary, shape (n, 169)."""
        if self._cum is None:
            c = np.zeros((len(self), 169), dtype=np.float64)
            np.cumsum(self.profile * HOUR, axis=1, out=c[:, 1:])
            self._cum = c
        return self._cum

    def tau(self, t: Array) -> Array:
        """Activity time of ``t`` (one time per row) for every row."""
        local = t + self.offset_s - MONDAY0
        weeks = np.floor(local / WEEK)
        pos = local - weeks * WEEK
        k = np.minimum((pos // HOUR).astype(np.int64), 167)
        rows = np.arange(len(self))
        return weeks * WEEK + self.cum[rows, k] + (pos - k * HOUR) * self.profile[rows, k]

    def tau_inverse(self, tau: Array) -> Array:
        """Wall-clock epoch seconds at which each row's activity clock reads ``tau``."""
        weeks = np.floor(tau / WEEK)
        rem = tau - weeks * WEEK
        cum = self.cum
        k = np.minimum((cum[:, 1:] <= rem[:, None]).sum(axis=1), 167)
        rows = np.arange(len(self))
        pos = k * HOUR + (rem - cum[rows, k]) / self.profile[rows, k]
        out: Array = weeks * WEEK + pos + MONDAY0 - self.offset_s
        return out

    def subset(self, index: npt.ArrayLike) -> RhythmTable:
        """The rows at ``index``."""
        i = np.asarray(index)
        return RhythmTable(self.scale_s[i], self.shape[i], self.sessions_per_day[i], self.mean_gap_s[i],
                           self.offset_s[i], self.profile[i], self.cold_start[i])

    def alarm_silence(self, last_seen: Array, *, alarm_rate: float = ALARM_RATE) -> Array:
        """The wall-clock time at which each row becomes overdue if it stays silent after ``last_seen``."""
        pi = _prior(self.sessions_per_day, alarm_rate)
        s_star = pi / (1.0 - pi) * (1.0 - OVERDUE_SCORE) / OVERDUE_SCORE
        x = self.scale_s * (np.power(s_star, -1.0 / self.shape) - 1.0)
        return self.tau_inverse(self.tau(last_seen) + x)

    def to_arrays(self) -> dict[str, Any]:
        """Plain arrays (for storage or pickling)."""
        return {"scale_s": self.scale_s, "shape": self.shape, "sessions_per_day": self.sessions_per_day,
                "mean_gap_s": self.mean_gap_s, "offset_s": self.offset_s, "profile": self.profile,
                "cold_start": self.cold_start}


def _prior(sessions_per_day: Array, alarm_rate: float) -> Array:
    return np.clip(alarm_rate / np.maximum(sessions_per_day * 30.0, 1e-9), 1e-9, 0.5)


def score_silence(table: RhythmTable, last_seen: npt.ArrayLike, at: float, *,
                  alarm_rate: float = ALARM_RATE) -> SilenceScores:
    """Score the silence of every row of ``table`` at time ``at`` (epoch seconds), vectorised.

    ``last_seen`` holds each row's last post (NaN: never seen; such rows score 0). Returns the wall-clock and
    activity-time silence, the survival probability ``S``, the score, overdue flags, the expected time of
    the next post (conditional median given the silence so far) and the mean gap.
    """
    seen = np.asarray(last_seen, dtype=np.float64)
    known = ~np.isnan(seen)
    ls = np.where(known, seen, at)
    now = np.full(ls.shape, float(at))
    silent = np.maximum(now - ls, 0.0)
    tau_now = table.tau(now)
    x = np.maximum(tau_now - table.tau(ls), 0.0)
    # within a session, silence is no evidence of anything
    x = np.where(silent < SESSION_GAP_S, 0.0, x)
    surv = np.power(1.0 + x / table.scale_s, -table.shape)
    pi = _prior(table.sessions_per_day, alarm_rate)
    score = np.where(known, pi / (pi + (1.0 - pi) * surv), 0.0)
    residual = (table.scale_s + x) * (np.power(2.0, 1.0 / table.shape) - 1.0)
    expected_next = table.tau_inverse(tau_now + residual)
    return SilenceScores(silent, x, surv, score, score >= OVERDUE_SCORE, expected_next, table.mean_gap_s.copy())
