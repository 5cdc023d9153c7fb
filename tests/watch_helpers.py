"""Helpers for the watcher tests: synthetic posts with known rhythms, written to a real store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np

from vigil.message import Message
from vigil.store import Store

T0 = datetime(2025, 1, 6, tzinfo=UTC)  # a Monday


def post(author: str, when: datetime, text: str = "still here", *, source: str = "x", fmt: str = "twitter-v2",
         n: int = 0, retweet_of: str | None = None) -> Message:
    native = f"{author}-{int(when.timestamp())}-{n}"
    return Message(id=f"{source}:{native}", source=source, format=fmt, native_id=native, created_at=when, text=text,
                   author=author, retweet_of=retweet_of)


def regular_times(per_day: float, days: float, *, seed: int = 0, start: datetime = T0,
                  utc_offset_h: float = 0.0) -> list[datetime]:
    """Poisson posts with a day/night cycle in local time (few at night), like a person."""
    rng = np.random.default_rng(seed)
    out = []
    t = 0.0
    while t < days * 86400:
        t += rng.exponential(86400 / (per_day * 1.6))
        local_hour = ((start.timestamp() + t) / 3600 + utc_offset_h) % 24
        if 7 <= local_hour < 23 or rng.random() < 0.1:
            out.append(start + timedelta(seconds=t))
    return [x for x in out if x < start + timedelta(days=days)]


def write_posts(store: Store, author: str, times: Iterable[datetime], **kw: object) -> int:
    msgs = [post(author, t, n=i, **kw) for i, t in enumerate(times)]  # type: ignore[arg-type]
    return store.write_messages(msgs).stored
