"""Silence watcher: detection quality on a seeded replay against two baselines, and scoring speed.

Standalone: ``python benchmarks/silence.py [--seed 1] [--calibrate]``. The replay (``vigil.watch.replay``) has
~250 accounts in 20 districts over 28 days of warm-up and 56 evaluated days; the defaults of the personal model
were chosen on seed 0, its figures below are for seed 1. Every method's threshold is swept, and methods are
compared at the most sensitive threshold that keeps false alarms at or under the same rate per account-month.
The area-outage thresholds were calibrated on seeds 0, 2-5 and 8-11 (``--calibrate`` prints that run); the
outage figures below are for the held-out seeds 1, 6 and 7.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC, datetime

import numpy as np
from _machine import cpu_name
from _outages import CALIBRATION_SEEDS, HELD_OUT_SEEDS
from _outages import demo as outage_demo
from _outages import report as outage_report
from _outages import speed as outage_speed

from vigil.watch.replay import MethodResult, evaluate_personal, generate, sweep
from vigil.watch.rhythm import ALARM_RATE, DAY, Rhythm, RhythmTable, fit_rhythm, score_silence

COMMAND = "python benchmarks/silence.py --seed 1"


def _machine() -> str:
    return f"{cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _row(r: MethodResult | None, label: str) -> str:
    if r is None:
        return f"| {label} | - | no threshold this quiet | | | | | | |"
    def h(x: float) -> str:
        return "> 168" if not np.isfinite(x) else f"{x:.1f}"

    return (f"| {label} | {r.threshold:.3g} | {r.false_alarms_per_account_month:.2f} | {r.detected_7d:.0%} | "
            f"{h(r.median_delay_h)} | {h(r.median_delay_gaps)} | {h(r.p90_delay_h)} | {r.missed} | "
            f"{h(r.median_delay_found_h)} |")


def quality(seed: int) -> str:
    sc = generate(seed)
    started = time.perf_counter()
    res = evaluate_personal(sc)
    lines = [f"Replay seed {seed}: {len(sc.times)} accounts in {len(set(sc.areas))} districts, "
             f"{sum(t.size for t in sc.times):,} posts, {int(np.sum(~np.isnan(sc.stops)))} accounts that stop, "
             f"{len(sc.outages)} district outages, natural 2-3 day quiet spells (0.25 per account-month).", ""]
    for target in (0.5, 1.0):
        lines += [f"**At most {target} false alarm per account-month** (thresholds swept; delay from the stop):", "",
                  "| method | threshold | false alarms / account-month | stops found within 7 d | median delay (h) "
                  "| median delay (x mean gap) | p90 delay (h) | missed (> 7 d) | median delay of found stops (h) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines.append(_row(sweep(res["rhythm"], target), "rhythm model (alarm_rate)"))
        lines.append(_row(sweep(res["fixed"], target), "fixed threshold (hours)"))
        lines.append(_row(sweep(res["p99"], target), "x 99th-percentile gap"))
        lines.append("")
    default = min(res["rhythm"], key=lambda r: abs(r.threshold - ALARM_RATE))
    lines.append(f"Default `alarm_rate` {ALARM_RATE} sits near the row with threshold {default.threshold:.3g}: "
                 f"{default.false_alarms_per_account_month:.2f} false alarms per account-month, "
                 f"{default.detected_7d:.0%} of stops found within 7 days, "
                 f"median delay {default.median_delay_h:.1f} h.")
    lines += ["", f"Personal replay evaluation took {time.perf_counter() - started:.0f} s.", ""]
    started = time.perf_counter()
    lines += [outage_report(HELD_OUT_SEEDS, label="held out"), "", outage_demo(), "",
              f"Outage replay evaluation took {time.perf_counter() - started:.0f} s."]
    return "\n".join(lines)


def speed(n: int = 100_000) -> str:
    rng = np.random.default_rng(0)
    at = datetime(2025, 3, 1, tzinfo=UTC).timestamp()
    templates: list[Rhythm] = []
    for _k in range(50):
        rate = float(np.exp(rng.uniform(np.log(0.3), np.log(60))))
        t = np.sort(rng.uniform(at - 30 * DAY, at, int(rate * 30)))
        templates.append(fit_rhythm(t, at=at, utc_offset_min=180))
    rows = [templates[i % 50] for i in range(n)]
    table = RhythmTable.from_rhythms(rows)
    last = at - rng.exponential(6 * 3600, n)
    score_silence(table.subset(np.arange(100)), last[:100], at)
    best = []
    for _ in range(3):
        fresh = RhythmTable(**{k: v for k, v in table.to_arrays().items()})
        t0 = time.perf_counter()
        s = score_silence(fresh, last, at)
        best.append(time.perf_counter() - t0)
    return (f"Scoring {n:,} accounts at one time from stored rhythm parameters (`score_silence`, numpy, "
            f"activity clock + Lomax + expected next post): best of 3 {min(best) * 1000:.0f} ms "
            f"({int(s.overdue.sum()):,} overdue). Target < 1 s.")


def run(seed: int = 1) -> str:
    """The markdown section for docs/benchmarks.md."""
    with tempfile.TemporaryDirectory():
        body = quality(seed)
    return "\n".join(["## Silence watcher", "", f"Command: `{COMMAND}`  ", f"Machine: {_machine()}", "",
                      __doc__.split("\n\n", 1)[1].strip() if __doc__ else "", "", body, "", "### Speed", "",
                      speed(), "", outage_speed(), ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calibrate", action="store_true",
                        help="only the area-outage run on the calibration seeds (where the thresholds were chosen)")
    args = parser.parse_args()
    if args.calibrate:
        print(outage_report(CALIBRATION_SEEDS, label="calibration"))
    else:
        print(run(args.seed))


if __name__ == "__main__":
    main()
