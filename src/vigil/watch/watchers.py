"""The watcher registry and the loop that runs watchers against a live database.

A watcher has one method: ``check(store, now) -> Iterable[Condition]``, the conditions it sees now. Built-in
watchers register in :data:`WATCHERS` exactly as an outside plugin would::

    class MyWatch:
        def check(self, store, now): return [Condition("k", "thing", "low", "subject")]

    WATCHERS.add("my_watch.v1", MyWatch())

:func:`run_once` runs every watcher (a failing one is recorded in ``watcher_failures`` and skipped),
reconciles their conditions into stored alerts (:mod:`vigil.watch.alerts`) and delivers the new alerts to
the sinks. :func:`watch_loop` repeats that every ``every`` seconds with an injected clock and sleep.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from ..message import format_ts
from ..registry import Registry
from ..store import Store
from .alerts import Alert, Condition, reconcile
from .bursts import BurstWatcher
from .rhythm import ALARM_RATE
from .silence import evaluate_silence
from .sinks import Sink, deliver

__all__ = ["WATCHERS", "RunReport", "SilenceWatcher", "Watcher", "run_once", "watch_loop"]

log = logging.getLogger(__name__)


@runtime_checkable
class Watcher(Protocol):
    """The extension contract: report the conditions seen at ``now``."""

    def check(self, store: Store, now: datetime) -> Iterable[Condition]: ...


WATCHERS: Registry[Watcher] = Registry("watcher")


class SilenceWatcher:
    """Overdue watched people (one alert each until they post again) and area outages (one per area).

    People inside an outage are grouped under it instead of alerting one by one. Evidence names the area,
    never a place.
    """

    def __init__(self, alarm_rate: float = ALARM_RATE) -> None:
        self.alarm_rate = alarm_rate

    def check(self, store: Store, now: datetime) -> list[Condition]:
        report = evaluate_silence(store, at=now, alarm_rate=self.alarm_rate)
        out = []
        for o in report.outages:
            out.append(Condition(f"outage:{o.area}", "outage", "high", o.area,
                                 {"area": o.area, "since": o.since, "accounts": list(o.accounts),
                                  "expected_posts": round(o.expected, 2)}))
        for a in report.accounts:
            if a.status != "overdue" or a.outage is not None:
                continue
            out.append(Condition(f"silence:{a.account}", "silence", "high" if a.score >= 0.9 else "medium",
                                 a.account, {"area": a.area, "last_seen": a.last_seen, "silent_for_s": a.silent_for_s,
                                             "expected_gap_s": round(a.expected_gap_s), "score": round(a.score, 3),
                                             "handles": list(a.handles), "cold_start": a.cold_start}))
        return out


WATCHERS.add("silence.v1", SilenceWatcher())
WATCHERS.add("bursts.v1", BurstWatcher())


@dataclass
class RunReport:
    """One pass over the watchers."""

    at: str
    alerts: list[Alert] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    delivery_failures: list[str] = field(default_factory=list)


def run_once(store: Store, *, now: datetime, watchers: Sequence[str] | None = None,
             sinks: Sequence[Sink] = ()) -> RunReport:
    """Run the watchers once at ``now``: store new alerts and "back" events, deliver them to ``sinks``."""
    report = RunReport(format_ts(now))
    for name in watchers if watchers is not None else WATCHERS.names():
        watcher = WATCHERS.get(name)
        try:
            conditions = list(watcher.check(store, now))
        except Exception as exc:  # one broken watcher must not silence the others
            log.warning("watcher %s failed: %s", name, exc, exc_info=True)
            report.failures[name] = f"{type(exc).__name__}: {exc}"
            store.execute("INSERT INTO watcher_failures (watcher, at, error) VALUES (?, ?, ?)",
                          (name, format_ts(now), report.failures[name]))
            continue
        report.alerts.extend(reconcile(store, name, conditions, now=now))
    report.delivery_failures = deliver([a.to_dict() for a in report.alerts], sinks)
    return report


def watch_loop(store: Store, *, every: float = 60.0, iterations: int | None = None,
               clock: Callable[[], datetime] = lambda: datetime.now(UTC),
               sleep: Callable[[float], None] = time.sleep, watchers: Sequence[str] | None = None,
               sinks: Sequence[Sink] = (), on_run: Callable[[RunReport], None] | None = None) -> int:
    """Run :func:`run_once` every ``every`` seconds (``iterations`` times, or forever); return the runs made."""
    runs = 0
    while iterations is None or runs < iterations:
        started = clock()
        report = run_once(store, now=started, watchers=watchers, sinks=sinks)
        runs += 1
        if on_run is not None:
            on_run(report)
        if iterations is not None and runs >= iterations:
            break
        spent = (clock() - started).total_seconds()
        sleep(max(every - spent, 0.0))
    return runs
