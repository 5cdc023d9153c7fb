"""``vigil run`` as a library: follow sources (or replay the demo) into a store and serve the dashboard.

:func:`plan_run` builds everything (store, app, follower, demo replay, demo account) and checks the binding
rule; :func:`serve` runs it with uvicorn until Ctrl-C, which stops the follower cleanly before exiting.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from starlette.applications import Starlette

from ..demo import demo_data_dir
from ..errors import UsageError
from ..message import Message
from ..store import open_store
from .app import create_app, serve_state
from .auth import add_user, has_admin
from .live import Follower, LiveLoop, Part
from .replay import DemoReplay, SimClock, prepare_demo
from .settings import Settings

__all__ = ["DEFAULT_SPEED", "RunPlan", "is_loopback", "plan_run", "serve"]

DEFAULT_SPEED = 3600.0
"""Demo speed: one scenario hour per second, so the ten days play in under four minutes."""


@dataclass
class RunPlan:
    """What :func:`serve` will run, and what to tell the user."""

    app: Starlette
    host: str
    port: int
    url: str
    notes: list[str] = field(default_factory=list)
    replay: DemoReplay | None = None


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (``127.0.0.0/8``, ``::1``).

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("localhost")
    (True, False, True)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _WatchTick:
    """Runs the watchers on the live loop even when no message arrives (a blackout sends nothing)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def step(self) -> int:
        serve_state(self.app).pipeline.watch()
        return 0

    def stats(self) -> dict[str, object]:
        return {"watchers": serve_state(self.app).pipeline.stats()}


def _fresh(db: str) -> None:
    if "://" in db:
        raise UsageError("--demo builds a fresh SQLite file; pass a file path for --db, not a URL")
    for suffix in ("", "-wal", "-shm"):
        if Path(db + suffix).exists():
            os.remove(db + suffix)


def plan_run(db: str, sources: Sequence[str], *, settings: Settings, demo: bool = False,
             speed: float = DEFAULT_SPEED, client: httpx.Client | None = None, broker: str | None = None,
             spill: str | None = None) -> RunPlan:
    """Prepare ``vigil run``.

    Args:
        db: the database (the demo recreates it from scratch).
        sources: files, folders and feed URLs to follow.
        settings: server settings (host and port among them).
        demo: replay the bundled scenario.
        speed: demo speed (scenario seconds per wall second).
        client: HTTP client for feeds (tests pass a mock transport).
        broker: a Redis URL: publish followed records to the stream for `vigil worker` processes instead of
            storing them here (this process still serves, indexes and watches the shared store).
        spill: the spill file used when the stream is full (a live feed cannot wait; nothing is dropped).

    Raises:
        UsageError: binding beyond loopback without any admin user, or bad arguments.
    """
    if speed <= 0:
        raise UsageError("--speed must be positive (scenario seconds per second, e.g. 3600)")
    notes: list[str] = []
    clock: SimClock | None = None
    messages: list[Message] = []
    if demo:
        _fresh(db)
        data_dir = demo_data_dir()
        with open_store(db) as store:
            messages, clock = prepare_demo(store, data_dir, speed=speed)
            password = secrets.token_urlsafe(12)
            add_user(store, "demo", password, role="admin")
        notes.append(f"demo: replaying {len(messages)} messages of {data_dir} at {speed:g}x "
                     f"({clock.start:%Y-%m-%d %H:%M} to {clock.end:%Y-%m-%d %H:%M} UTC)")
        notes.append(f"log in as demo / {password}")
    with open_store(db) as store:
        if not is_loopback(settings.host) and not has_admin(store):
            raise UsageError(f"refusing to listen on {settings.host}: anyone on that network could reach vigil and "
                             "no admin user exists. Create one first (`vigil user add NAME --role admin`), or keep "
                             "the default --host 127.0.0.1")
    if demo:
        settings = Settings.load({}, **{**settings.as_dict(), "watch_seconds": max(settings.watch_seconds, speed)})
    if broker is not None:
        settings = Settings.load({}, **{**settings.as_dict(), "broker": broker})
    app = create_app(db, settings, now=clock)
    state = serve_state(app)
    if broker is not None:
        from ..broker import Publisher  # local: only broker deployments need redis

        spill_path = spill or str(Path(db).with_suffix(".spill.jsonl") if "://" not in db else "vigil.spill.jsonl")
        state.pipeline.use_broker(Publisher(broker, policy="spill", spill_path=spill_path))
        notes.append(f"publishing to {broker} (workers store into {db}); spill file {spill_path}")
    parts: list[Part] = []
    replay = None
    if clock is not None:
        replay = DemoReplay(state.pipeline, messages, clock)
        parts.append(replay)
    follower = None
    if sources:
        follower = Follower(state.writer, state.pipeline, sources, client=client,
                            tail_seconds=settings.tail_seconds, poll_seconds=settings.poll_seconds)
        parts.append(follower)
        notes.append(f"following {len(sources)} source(s): {', '.join(sources)}")
        # a typo in a path would otherwise wait silently forever for a file that never comes
        notes.extend(f"{src}: does not exist yet; vigil will read it when it appears" for src in sources
                     if "://" not in src and not Path(src).exists())
    parts.append(_WatchTick(app))
    pipeline = state.pipeline

    def on_stop() -> None:
        if follower is not None:
            follower.close()
        pipeline.close()

    state.live = LiveLoop(parts, interval=settings.tail_seconds if not demo else 0.25, on_stop=on_stop)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return RunPlan(app, settings.host, settings.port, f"http://{host}:{settings.port}/", notes, replay)


def serve(plan: RunPlan) -> None:
    """Serve until interrupted (Ctrl-C stops the live loop after its current pass, then exits)."""
    import uvicorn

    config = uvicorn.Config(plan.app, host=plan.host, port=plan.port, log_level="warning", access_log=False,
                            lifespan="on", limit_concurrency=1000, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()
