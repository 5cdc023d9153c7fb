"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from ..store import DEFAULT_DB
from ..text import parse_datetime

__all__ = ["TIME", "db_option", "json_option"]

F = TypeVar("F", bound=Callable[..., Any])


def db_option(fn: F) -> F:
    """``--db`` with ``VIGIL_DB`` and the default ``./vigil.db``."""
    return click.option("--db", envvar="VIGIL_DB", default=DEFAULT_DB, show_default=True, metavar="PATH|URL",
                        help="Database: a SQLite file (default ./vigil.db) or a database URL; env VIGIL_DB.")(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)


class TimeParam(click.ParamType):  # type: ignore[type-arg]
    """An ISO-8601 timestamp (or RFC 2822, or Unix seconds) as aware UTC ``datetime``."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_datetime(str(value))
        except ValueError as exc:
            self.fail(f"{exc}; example: 2025-02-06T18:00:00Z", param, ctx)


TIME = TimeParam()
