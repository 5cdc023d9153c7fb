"""The serving layer's one door into the other features' libraries (watchers, sitrep).

The API never re-implements a watcher or a report: each endpoint calls the library function that the
command line calls too. Features that are optional or still being built are imported lazily; when one is
missing the endpoint answers ``503`` with a message saying so, and the rest of the server works.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..errors import NotFoundError
from ..store import Store
from .envelope import ApiError

__all__ = ["ack_alerts", "feature", "list_alerts", "run_watchers", "silence_report", "sitrep"]


def feature(module: str, name: str, what: str) -> Callable[..., Any]:
    """``module.name``, or a 503 :class:`ApiError` naming the missing feature.

    Args:
        module: dotted module path under ``vigil``.
        name: the function's name.
        what: what the feature is, for the message (``"the alert store"``).
    """
    try:
        return getattr(importlib.import_module(f"vigil.{module}"), name)  # type: ignore[no-any-return]
    except (ImportError, AttributeError):
        raise ApiError(503, f"{what} is not available in this build of vigil (vigil.{module}.{name})") from None


def available(module: str, name: str) -> bool:
    """True when ``vigil.module.name`` can be imported."""
    try:
        return hasattr(importlib.import_module(f"vigil.{module}"), name)
    except ImportError:
        return False


def silence_report(store: Store, *, at: datetime, area: str | None = None) -> dict[str, Any]:
    """``vigil silence --json`` as of ``at``."""
    fn = feature("watch.silence", "evaluate_silence", "the silence watcher")
    return fn(store, at=at, area=area).to_dict()  # type: ignore[no-any-return]


def sitrep(store: Store, *, since: datetime | None, until: datetime | None, now: datetime, fmt: str) -> str:
    """``vigil sitrep --db --format fmt`` over the stored messages of the period."""
    build = feature("sitrep", "sitrep_from_store", "the situation report")
    render = feature("sitrep", "render", "the situation report")
    return render(build(store, since=since, until=until, now=now), fmt)  # type: ignore[no-any-return]


def list_alerts(store: Store, *, limit: int = 100, state: str | None = None,
                kind: str | None = None) -> list[dict[str, Any]]:
    """Stored alerts (the watchers' records), newest first, as dicts."""
    fn = feature("watch.alerts", "list_alerts", "the alert store")
    return [a.to_dict() for a in fn(store, state=state, kind=kind, limit=limit)]


def ack_alerts(store: Store, alert_id: str) -> None:
    """Raise :class:`~vigil.errors.NotFoundError` unless the alert exists (acknowledgements are the API's)."""
    feature("watch.alerts", "list_alerts", "the alert store")
    try:
        found = store.query("SELECT 1 FROM alerts WHERE alert_id = ?", (int(alert_id),))
    except ValueError:
        found = []
    if not found:
        raise NotFoundError(f"no alert {alert_id!r} (see GET /api/alerts)")


def run_watchers(store: Store, *, now: datetime) -> list[Any]:
    """Run every registered watcher once as of ``now``; return the alerts raised."""
    fn = feature("watch.watchers", "run_once", "the watcher loop")
    return list(fn(store, now=now).alerts)
