"""A seeded replay to measure the silence watcher: realistic posting rhythms with planted stops and outages.

:func:`generate` builds a population of accounts in areas (rates from one a week to 60 a day, a day/night
cycle in local time, self-exciting bursts, day-to-day and city-wide rate swings, natural quiet spells of two
to three days that are not incidents, accounts that stop for good, and district outages).
:func:`evaluate_personal` replays every gap between posts against the rhythm model and two baselines (a
fixed threshold, and a multiple of the account's 99th-percentile gap) and sweeps their thresholds so they
can be compared at matched false-alarm rates; :func:`evaluate_outages` replays the outage detector on a
10-minute grid. ``benchmarks/silence.py`` turns the results into the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .outage import RECENT_WINDOW_S, find_outages
from .rhythm import DAY, HOUR, SESSION_GAP_S, Rhythm, RhythmTable, default_profile, fit_rhythm, sessions

__all__ = ["MethodResult", "OutageResult", "Scenario", "evaluate_outages", "evaluate_personal", "generate",
           "last_on_grid", "sweep"]

Array = npt.NDArray[np.float64]
T_START = 1735689600.0  # 2025-01-01 00:00 UTC


@dataclass
class Scenario:
    """A generated replay. Times are epoch seconds; ``stops[i]`` is NaN for accounts that never stop."""

    times: list[Array]
    areas: list[str]
    rates: Array
    offset_min: int
    start: float
    eval_start: float
    end: float
    stops: Array
    outages: list[tuple[str, float, float]]
    quiet_spells: list[tuple[int, float, float]] = field(default_factory=list)


def generate(seed: int = 1, *, n_areas: int = 20, warmup_days: int = 28, eval_days: int = 56,
             stop_share: float = 0.3, n_outages: int = 6, quiet_per_month: float = 0.25,
             offset_min: int = 180) -> Scenario:
    """Generate a replay population (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    start, eval_start = T_START, T_START + warmup_days * DAY
    end = eval_start + eval_days * DAY
    n_days = warmup_days + eval_days
    sizes = rng.integers(5, 21, n_areas)
    areas = [f"district-{a:02d}" for a in range(n_areas) for _ in range(sizes[a])]
    n = len(areas)
    slow = rng.random(n) < 0.1
    rates = np.where(slow, np.exp(rng.uniform(np.log(1 / 7), 0.0, n)), np.exp(rng.uniform(0.0, np.log(60.0), n)))
    city_day = rng.gamma(10.0, 0.1, n_days)
    base_day = default_profile()[:24]
    hours = start + HOUR * np.arange(n_days * 24)
    local_hour = ((hours - start) / HOUR + offset_min / 60.0) % 24
    times: list[Array] = []
    for i in range(n):
        eta = rng.uniform(0.2, 0.6)
        shift = rng.integers(-2, 3)
        curve = np.roll(base_day, shift) ** 1.5
        curve /= curve.mean()
        day_mult = rng.gamma(5.0, 0.2, n_days) * city_day
        lam = rates[i] * (1 - eta) / 24.0 * curve[local_hour.astype(int)] * np.repeat(day_mult, 24)
        counts = rng.poisson(lam)
        parents = np.repeat(hours, counts) + rng.uniform(0, HOUR, counts.sum())
        events = [parents]
        gen = parents
        while gen.size:
            kids = rng.poisson(eta, gen.size)
            gen = np.repeat(gen, kids) + rng.exponential(15 * 60.0, kids.sum())
            events.append(gen)
        t = np.sort(np.concatenate(events))
        t = t[t < end]
        n_quiet = rng.poisson(quiet_per_month * n_days / 30.0)
        for q0 in rng.uniform(start, end, n_quiet):
            t = t[(t < q0) | (t >= q0 + rng.uniform(48, 72) * HOUR)]
        times.append(t)
    stops = np.full(n, np.nan)
    stoppers = rng.random(n) < stop_share
    stops[stoppers] = rng.uniform(eval_start + 2 * DAY, end - 8 * DAY, int(stoppers.sum()))
    for j in np.flatnonzero(stoppers):
        times[j] = times[j][times[j] < stops[j]]
    big = [a for a in range(n_areas) if sizes[a] >= 5]
    outages = []
    for a in rng.choice(big, size=min(n_outages, len(big)), replace=False):
        day = rng.integers(0, eval_days - 3)
        local_start = rng.uniform(8.0, 18.0)  # outages that start at night cannot be seen within hours
        o0 = eval_start + day * DAY + (local_start - offset_min / 60.0) * HOUR
        o1 = o0 + rng.uniform(6.0, 24.0) * HOUR
        name = f"district-{a:02d}"
        outages.append((name, float(o0), float(o1)))
        for i in (i for i in range(n) if areas[i] == name):
            times[i] = times[i][(times[i] < o0) | (times[i] >= o1)]
    return Scenario(times, areas, rates, offset_min, start, eval_start, end, stops, outages)


def _fits(sc: Scenario, refit_days: float) -> tuple[list[Rhythm], npt.NDArray[np.int64], Array]:
    """Rhythms of every account at every refit time; ``index[i, d]`` is the row of account i at refit d."""
    refits = np.arange(sc.eval_start, sc.end, refit_days * DAY)
    rhythms: list[Rhythm] = []
    index = np.zeros((len(sc.times), refits.size), dtype=np.int64)
    for i, t in enumerate(sc.times):
        for d, at in enumerate(refits):
            index[i, d] = len(rhythms)
            rhythms.append(fit_rhythm(t, at=float(at), utc_offset_min=sc.offset_min))
    return rhythms, index, refits


@dataclass
class _Gaps:
    """Every gap between posts that starts in the evaluation period (and each account's final silence)."""

    account: npt.NDArray[np.int64]
    start: Array
    end: Array  # next post, or the end of the replay
    terminal: npt.NDArray[np.bool_]  # the final silence of an account that stops
    fit_row: npt.NDArray[np.int64]
    p99: Array


def _gaps(sc: Scenario, index: npt.NDArray[np.int64], refits: Array, refit_days: float) -> _Gaps:
    acc, st, en, term, row, p99 = [], [], [], [], [], []
    for i, t in enumerate(sc.times):
        if t.size == 0:
            continue
        nxt = np.append(t[1:], sc.end)
        sel = (t >= sc.eval_start) | (nxt > sc.eval_start)
        ts, ns = t[sel], nxt[sel]
        d = np.clip(((ts - sc.eval_start) // (refit_days * DAY)).astype(np.int64), 0, refits.size - 1)
        is_term = np.zeros(ts.size, dtype=bool)
        if not np.isnan(sc.stops[i]):
            is_term[-1] = True
        # the baseline's 99th-percentile post gap, from history before each refit time
        q = np.array([np.percentile(np.diff(t[t <= r]), 99) if (t <= r).sum() > 2 else DAY for r in refits])
        acc.append(np.full(ts.size, i))
        st.append(ts)
        en.append(ns)
        term.append(is_term)
        row.append(index[i, d])
        p99.append(q[d])
    return _Gaps(np.concatenate(acc), np.concatenate(st), np.concatenate(en), np.concatenate(term),
                 np.concatenate(row), np.concatenate(p99))


@dataclass(frozen=True)
class MethodResult:
    """One method at one threshold. Delays run from the stop; a stop not found within 7 days counts as an
    infinite delay in the medians and the 90th percentile (``median_delay_found_h`` is over found stops only)."""

    method: str
    threshold: float
    false_alarms_per_account_month: float
    stops: int
    detected_7d: float
    median_delay_h: float
    median_delay_gaps: float
    p90_delay_h: float
    missed: int
    median_delay_found_h: float = float("nan")


def _result(sc: Scenario, g: _Gaps, alarm: Array, method: str, threshold: float) -> MethodResult:
    alarm = np.maximum(alarm, g.start + SESSION_GAP_S)
    fired = alarm < g.end
    in_outage = np.zeros(g.start.size, dtype=bool)
    areas = np.asarray(sc.areas)
    for name, o0, o1 in sc.outages:
        in_outage |= (areas[g.account] == name) & (alarm >= o0) & (alarm <= o1 + 12 * HOUR)
    false = fired & ~g.terminal & ~in_outage
    exposure = 0.0
    for i, _t in enumerate(sc.times):
        last = sc.end if np.isnan(sc.stops[i]) else sc.stops[i]
        exposure += max(last - sc.eval_start, 0.0) / (30 * DAY)
    term = np.flatnonzero(g.terminal)
    stop_at = sc.stops[g.account[term]]
    delay = np.where(fired[term], np.maximum(alarm[term] - stop_at, 0.0), np.inf)
    mean_gap = DAY / sc.rates[g.account[term]]
    found = delay <= 7 * DAY
    finite = delay[found]
    return MethodResult(method, threshold, float(false.sum() / max(exposure, 1e-9)), int(term.size),
                        float(found.mean()) if term.size else float("nan"),
                        _median(np.where(found, delay, np.inf)) / HOUR,
                        _median(np.where(found, delay / mean_gap, np.inf)),
                        _quantile(np.where(found, delay, np.inf), 0.9) / HOUR,
                        int((~found).sum()), float(np.median(finite) / HOUR) if finite.size else float("inf"))


def _median(values: Array) -> float:
    """Median where a missed stop (inf) counts as the worst delay."""
    return _quantile(values, 0.5)


def _quantile(values: Array, q: float) -> float:
    """Lower empirical quantile; works with infinite values (missed stops)."""
    return float(np.sort(values)[int(q * (values.size - 1))]) if values.size else float("inf")


def evaluate_personal(sc: Scenario, *, refit_days: float = 2.0,
                      alarm_rates: Sequence[float] = tuple(np.geomspace(0.01, 30, 36)),
                      fixed_hours: Sequence[float] = tuple(np.geomspace(4, 400, 48)),
                      p99_multiples: Sequence[float] = tuple(np.geomspace(0.3, 30, 48)),
                      ) -> dict[str, list[MethodResult]]:
    """Sweep each method's threshold; return the results per method."""
    rhythms, index, refits = _fits(sc, refit_days)
    g = _gaps(sc, index, refits, refit_days)
    table = RhythmTable.from_rhythms(rhythms).subset(g.fit_row)
    out: dict[str, list[MethodResult]] = {"rhythm": [], "fixed": [], "p99": []}
    for rate in alarm_rates:
        out["rhythm"].append(_result(sc, g, table.alarm_silence(g.start, alarm_rate=float(rate)), "rhythm",
                                     float(rate)))
    for h in fixed_hours:
        out["fixed"].append(_result(sc, g, g.start + h * HOUR, "fixed", float(h)))
    for m in p99_multiples:
        out["p99"].append(_result(sc, g, g.start + m * g.p99, "p99", float(m)))
    return out


def sweep(results: Sequence[MethodResult], max_fa: float) -> MethodResult | None:
    """The most sensitive operating point whose false-alarm rate is at most ``max_fa``."""
    ok = [r for r in results if r.false_alarms_per_account_month <= max_fa]
    return max(ok, key=lambda r: r.false_alarms_per_account_month) if ok else None


@dataclass(frozen=True)
class OutageResult:
    """The outage detector over the whole replay."""

    outages: int
    found: int
    delays_h: tuple[float, ...]
    spurious: int
    spurious_areas: tuple[str, ...]


def last_on_grid(sc: Scenario, grid: Array, *,
                 window_s: float = RECENT_WINDOW_S) -> tuple[Array, npt.NDArray[np.float64]]:
    """Each account's last post at each grid time (NaN before its first), and its sessions in the ``window_s``
    before its area's last post (what :func:`vigil.watch.outage.recent_sessions` gives at one time)."""
    n = len(sc.times)
    last = np.full((n, grid.size), np.nan)
    for i, t in enumerate(sc.times):
        k = np.searchsorted(t, grid, side="right") - 1
        last[i] = np.where(k >= 0, t[np.maximum(k, 0)], np.nan)
    names, codes = np.unique(np.asarray(sc.areas), return_inverse=True)
    area_last = np.full((names.size, grid.size), -np.inf)
    for i in range(n):
        area_last[codes[i]] = np.fmax(area_last[codes[i]], np.nan_to_num(last[i], nan=-np.inf))
    recent = np.zeros((n, grid.size))
    for i, t in enumerate(sc.times):
        starts, _ = sessions(t)
        end = area_last[codes[i]]
        recent[i] = np.searchsorted(starts, end, side="right") - np.searchsorted(starts, end - window_s, side="right")
    return last, recent


def evaluate_outages(sc: Scenario, *, step_s: float = 600.0, refit_days: float = 2.0) -> OutageResult:
    """Run the outage detector every ``step_s`` over the evaluation period."""
    rhythms, index, refits = _fits(sc, refit_days)
    table = RhythmTable.from_rhythms(rhythms)
    grid = np.arange(sc.eval_start, sc.end, step_s)
    last, recent = last_on_grid(sc, grid)
    hits: dict[str, list[float]] = {}
    tables = [table.subset(index[:, d]) for d in range(refits.size)]
    for j, at in enumerate(grid):
        d = min(int((at - sc.eval_start) // (refit_days * DAY)), refits.size - 1)
        for f in find_outages(tables[d], last[:, j], sc.areas, float(at), recent=recent[:, j]):
            hits.setdefault(f.area, []).append(float(at))
    episodes: list[tuple[str, float, float]] = []
    for area, ts in hits.items():
        s0 = prev = ts[0]
        for x in ts[1:]:
            if x - prev > 2 * step_s:
                episodes.append((area, s0, prev))
                s0 = x
            prev = x
        episodes.append((area, s0, prev))
    delays, matched = [], set()
    for name, o0, o1 in sc.outages:
        first = [e0 for a, e0, e1 in episodes if a == name and e1 >= o0 and e0 <= o1]
        for e, (a, e0, e1) in enumerate(episodes):
            if a == name and e1 >= o0 and e0 <= o1 + 6 * HOUR:
                matched.add(e)
        if first:
            delays.append((min(first) - o0) / HOUR)
    spurious = [episodes[e][0] for e in range(len(episodes)) if e not in matched]
    return OutageResult(len(sc.outages), len(delays), tuple(delays), len(spurious), tuple(spurious))
