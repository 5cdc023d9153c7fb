"""The demo: the bundled siege scenario replayed at accelerated speed, so the dashboard comes to life.

:class:`SimClock` runs the scenario's time ``speed`` times faster than the wall clock (and stops at the
scenario's end). :class:`DemoReplay` reads every message of the scenario once, in time order, and hands the
live pipeline each message whose time has come, so stages, watchers, alerts and the dashboard see the ten
days unfold as they would have live. The server's clock *is* the simulated clock: "now" on the dashboard,
the silence board and the alerts is the replayed time.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from ..message import Message
from ..readers import iter_input_files, open_binary, read_stream
from ..store import Store
from ..watch.watchlist import import_watchlist, parse_utc_offset
from .pipeline import Pipeline

__all__ = ["DemoReplay", "SimClock", "load_messages", "prepare_demo", "scenario_meta"]


class SimClock:
    """Scenario time: ``start + (wall seconds since started) × speed``, frozen at ``end``.

    >>> c = SimClock(datetime(2025, 2, 1, tzinfo=UTC), speed=3600, end=datetime(2025, 2, 2, tzinfo=UTC))
    >>> c() >= datetime(2025, 2, 1, tzinfo=UTC)
    True
    """

    def __init__(self, start: datetime, *, speed: float, end: datetime | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.start = start
        self.monotonic = monotonic
        self.speed = speed
        self.end = end
        self._t0: float | None = None
        self._lock = threading.Lock()

    def begin(self) -> None:
        """Start the clock (until then it shows ``start``)."""
        with self._lock:
            if self._t0 is None:
                self._t0 = self.monotonic()

    def __call__(self) -> datetime:
        if self._t0 is None:
            return self.start
        now = self.start + timedelta(seconds=(self.monotonic() - self._t0) * self.speed)
        return min(now, self.end) if self.end is not None else now


def scenario_meta(data_dir: Path) -> dict[str, object]:
    """``truth.json``'s scenario block (start, end, local time), or an empty dict."""
    truth = data_dir.parent / "truth.json"
    if not truth.exists():
        return {}
    meta = orjson.loads(truth.read_bytes()).get("scenario", {})
    return meta if isinstance(meta, dict) else {}


def load_messages(data_dir: Path) -> list[Message]:
    """Every message of the scenario, sorted by time (duplicates across files kept once)."""
    seen: dict[str, Message] = {}
    for path in iter_input_files([str(data_dir)]):
        with open_binary(path) as fp:
            _, records = read_stream(fp, path)
            for record in records:
                if isinstance(record, Message):
                    seen.setdefault(record.id, record)
    return sorted(seen.values(), key=lambda m: (m.created_at, m.id))


class DemoReplay:
    """Feeds the scenario into the pipeline as the simulated clock passes each message's time.

    Args:
        pipeline: the live pipeline (its clock should be ``clock``).
        messages: the scenario's messages, sorted by time.
        clock: the simulated clock.
    """

    def __init__(self, pipeline: Pipeline, messages: list[Message], clock: SimClock) -> None:
        self.pipeline = pipeline
        self.messages = messages
        self.clock = clock
        self._times = [m.created_at for m in messages]
        self.sent = 0

    @property
    def done(self) -> bool:
        """True once every message was handed over."""
        return self.sent >= len(self.messages)

    def step(self, max_batch: int = 2000) -> int:
        """Hand over the messages whose time has come; return how many were stored."""
        self.clock.begin()
        due = bisect_right(self._times, self.clock())
        batch = self.messages[self.sent:min(due, self.sent + max_batch)]
        self.sent += len(batch)
        return self.pipeline.process(batch) if batch else 0

    def stats(self) -> dict[str, object]:
        """Progress, for ``/api/health``."""
        return {"demo": True, "sent": self.sent, "total": len(self.messages), "clock": self.clock().isoformat(),
                "speed": self.clock.speed}


def prepare_demo(store: Store, data_dir: Path, *, speed: float) -> tuple[list[Message], SimClock]:
    """Load the scenario, import its watch-list (with its local time) and make its clock."""
    meta = scenario_meta(data_dir)
    offset_text = str(meta.get("local_time", "UTC+0")).removeprefix("UTC") or "+0"
    offset = parse_utc_offset(offset_text)
    watchlist = data_dir.parent / "watchlist.csv"
    if watchlist.exists():
        import_watchlist(store, watchlist, by="demo", utc_offset=offset)
    messages = load_messages(data_dir)
    start = datetime.fromisoformat(str(meta["start"])) if "start" in meta else messages[0].created_at
    end = datetime.fromisoformat(str(meta["end"])) if "end" in meta else messages[-1].created_at
    return messages, SimClock(start.astimezone(UTC), speed=speed, end=end.astimezone(UTC))
