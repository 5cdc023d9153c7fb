"""Settings of the server, declared once as a table that drives validation, ``--help`` text and the docs.

Precedence: explicit value (a flag) > environment (``VIGIL_*``) > default. The environment is read through a
parameter, so tests pass a dict. Secrets are wrapped in :class:`Secret` so they never print.

Example:
    >>> s = Settings.load({"VIGIL_PAGE_SIZE_MAX": "50"})
    >>> s.page_size_max
    50
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from ..errors import UsageError

__all__ = ["SETTINGS", "Setting", "Settings"]


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        """The environment variable: ``VIGIL_`` + the upper-case name."""
        return "VIGIL_" + self.name.upper()


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {text!r}")


def _areas(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", "Address to bind; anything but loopback needs an admin user."),
    Setting("port", 8000, "TCP port.", int),
    Setting("page_size_default", 50, "Messages per page when the caller does not say.", int),
    Setting("page_size_max", 200, "Largest page a caller may ask for.", int),
    Setting("export_max_rows", 100_000, "Largest export (rows).", int),
    Setting("body_max_bytes", 5 * 1024 * 1024, "Largest request body (POST /api/ingest and forms).", int),
    Setting("query_max_chars", 500, "Longest query-string parameter value.", int),
    Setting("session_hours", 12, "How long a dashboard login lasts.", int),
    Setting("secure_cookies", False, "Send cookies with the Secure flag (set when served over HTTPS).", _bool),
    Setting("cache_seconds", 1.0, "How long read responses are reused while no new data arrives.", float),
    Setting("areas", (), "Extra area (district) names recognised in message text, comma-separated.", _areas),
    Setting("poll_seconds", 60.0, "How often RSS/Atom sources are polled (before backoff).", float),
    Setting("tail_seconds", 0.2, "How often followed files and folders are checked for new data.", float),
    Setting("watch_seconds", 60.0, "How often the watchers run in `vigil run` (clock seconds).", float),
    Setting("read_connections", 40, "Database connections kept for concurrent reads (one per worker thread).", int),
    Setting("broker", "", "Redis URL of the message stream (set by `vigil run --broker`); enables /api/dead-letters."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings (see :data:`SETTINGS` for the meaning of each field)."""

    host: str = "127.0.0.1"
    port: int = 8000
    page_size_default: int = 50
    page_size_max: int = 200
    export_max_rows: int = 100_000
    body_max_bytes: int = 5 * 1024 * 1024
    query_max_chars: int = 500
    session_hours: int = 12
    secure_cookies: bool = False
    cache_seconds: float = 1.0
    areas: tuple[str, ...] = ()
    poll_seconds: float = 60.0
    tail_seconds: float = 0.2
    watch_seconds: float = 60.0
    read_connections: int = 40
    broker: str = ""

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``VIGIL_*`` variables from ``env`` (default ``os.environ``), then ``overrides``.

        Raises:
            UsageError: a variable does not parse, or an override names no setting.
        """
        environ = os.environ if env is None else env
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.env in environ:
                try:
                    values[setting.name] = setting.parse(environ[setting.env])
                except ValueError as exc:
                    raise UsageError(f"{setting.env}={environ[setting.env]!r}: {exc}") from None
        for name, value in overrides.items():
            if name not in _BY_NAME:
                raise UsageError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}")
            if value is not None:
                values[name] = value
        return replace(cls(), **values)

    def as_dict(self) -> dict[str, Any]:
        """Every setting and its value (for the docs and ``/api/health``)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
