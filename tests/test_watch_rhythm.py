"""The rhythm model: sessions, activity time, Lomax gaps, scores; checked against known processes."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.watch.rhythm import (
    DAY,
    HOUR,
    RhythmTable,
    default_profile,
    fit_lomax,
    fit_profile,
    fit_rhythm,
    score_silence,
    sessions,
)

MONDAY = 1736121600.0  # 2025-01-06 00:00 UTC


def _diurnal_poisson(per_day: float, days: int, seed: int, offset_h: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(DAY / (per_day * 1.5), int(per_day * days * 2)))
    t = t[t < days * DAY] + MONDAY
    local_hour = ((t / HOUR) + offset_h) % 24
    keep = (local_hour >= 8) | (rng.random(t.size) < 0.05)
    return t[keep]


def test_sessions_collapse_bursts() -> None:
    starts, ends = sessions([0, 10, 20, 4000, 4005, 10_000])
    assert starts.tolist() == [0, 4000, 10_000] and ends.tolist() == [20, 4005, 10_000]
    assert sessions([])[0].size == 0


def test_profile_learns_night_in_local_time() -> None:
    t = _diurnal_poisson(20, 28, seed=1, offset_h=3)
    w = fit_profile(sessions(t)[0], float(t[0]), float(t[-1]), offset_s=3 * HOUR)
    assert w.shape == (168,) and w.mean() == pytest.approx(1.0)
    day = w.reshape(7, 24).mean(0)
    assert day[2:6].mean() < 0.5 < 1.0 < day[12:20].mean()
    assert default_profile().mean() == pytest.approx(1.0)


def test_lomax_recovers_parameters() -> None:
    rng = np.random.default_rng(3)
    # gamma-mixed exponential with shape 3 and scale 10: S(x) = (1 + x/10) ** -3
    lam = rng.gamma(3.0, 1 / 10.0, 4000)
    x = rng.exponential(1 / lam)
    scale, shape = fit_lomax(x, prior_gaps=0.0)
    assert shape == pytest.approx(3.0, rel=0.15) and scale == pytest.approx(10.0, rel=0.2)
    # a short exponential history is not trusted to have a thin tail
    _, cautious = fit_lomax(rng.exponential(5.0, 8))
    assert cautious < 10


def test_bursts_do_not_make_long_gaps_look_normal() -> None:
    base = _diurnal_poisson(6, 28, seed=2)
    bursty = np.sort(np.concatenate([base] + [b + np.arange(1, 30) * 20.0 for b in base]))
    r_base = fit_rhythm(base, at=float(base[-1]) + 60)
    r_burst = fit_rhythm(bursty, at=float(bursty[-1]) + 60)
    assert r_burst.n_posts > 20 * r_base.n_posts
    assert r_burst.sessions_per_day == pytest.approx(r_base.sessions_per_day, rel=0.15)
    tab = RhythmTable.from_rhythms([r_base, r_burst])
    last = np.array([base[-1], bursty[-1]])
    s = score_silence(tab, last, float(max(last)) + 30 * HOUR)
    assert abs(s.score[0] - s.score[1]) < 0.2


def test_silence_score_grows_and_night_counts_less() -> None:
    t = _diurnal_poisson(12, 28, seed=4)
    r = fit_rhythm(t, at=float(t[-1]))
    assert r.method == "lomax" and not r.cold_start
    tab = RhythmTable.from_rhythms([r])
    evening = MONDAY + 28 * DAY + 20 * HOUR
    scores = [float(score_silence(tab, [evening], evening + h * HOUR).score[0]) for h in (1, 6, 24, 48, 96)]
    assert scores == sorted(scores) and scores[0] < 0.05 and scores[-1] > 0.9
    # 8 hours across the night are less surprising than 8 hours across the day
    night = float(score_silence(tab, [evening + 3 * HOUR], evening + 11 * HOUR).survival[0])
    day = float(score_silence(tab, [evening + 13 * HOUR], evening + 21 * HOUR).survival[0])
    assert night > day


def test_cold_start_says_so_and_is_cautious() -> None:
    r = fit_rhythm([MONDAY, MONDAY + 3 * HOUR], at=MONDAY + DAY)
    assert r.cold_start and r.method == "prior" and r.shape == 2.0
    never = fit_rhythm([], at=MONDAY)
    assert never.last_seen is None and never.cold_start
    tab = RhythmTable.from_rhythms([r, never])
    s = score_silence(tab, [MONDAY + 3 * HOUR, np.nan], MONDAY + 2 * DAY)
    assert 0 < s.score[0] < 0.5 and s.score[1] == 0.0


def test_future_posts_are_ignored() -> None:
    t = _diurnal_poisson(10, 20, seed=5)
    cut = float(t[len(t) // 2])
    assert fit_rhythm(t, at=cut).last_seen == cut


def test_activity_clock_inverts() -> None:
    t = _diurnal_poisson(10, 20, seed=6, offset_h=3)
    r = fit_rhythm(t, at=float(t[-1]), utc_offset_min=180)
    tab = RhythmTable.from_rhythms([r, r])
    x = np.array([MONDAY + 12345.0, MONDAY + 9 * DAY + 777.0])
    assert np.allclose(tab.tau_inverse(tab.tau(x)), x, atol=1e-3)
    alarm = tab.alarm_silence(x)
    s = score_silence(tab.subset([0]), [x[0]], float(alarm[0]) + 1.0)
    assert s.overdue[0]
    assert not score_silence(tab.subset([0]), [x[0]], float(alarm[0]) - 60.0).overdue[0]
