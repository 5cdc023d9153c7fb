"""Storage: the :class:`Store` interface and :func:`open_store`, which picks a backend from a URL.

``vigil.db``, ``./data/x.db``, ``sqlite:///rel.db``, ``sqlite:////abs/path.db`` and ``:memory:`` open SQLite
(the default); ``postgresql://...`` opens PostgreSQL once that backend is installed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import UsageError
from .base import MessageQuery, Store, WriteResult
from .sqlite import SQLiteStore

__all__ = ["DEFAULT_DB", "MessageQuery", "SQLiteStore", "Store", "WriteResult", "open_store", "resolve_db"]

DEFAULT_DB = "vigil.db"


def resolve_db(flag: str | None, env: Mapping[str, str] | None = None) -> str:
    """The database to use: ``--db`` flag, else ``VIGIL_DB``, else ``./vigil.db``."""
    environ = os.environ if env is None else env
    return flag or environ.get("VIGIL_DB") or DEFAULT_DB


def open_store(url: str | Path, *, migrate: bool = True, must_exist: bool = False) -> Store:
    """Open (and by default migrate) the store named by ``url``.

    ``must_exist`` is for read-only commands: a SQLite path with no file behind it is then an error instead of a
    new empty database, so a mistyped ``--db`` cannot look like "nothing to report" (nobody overdue, no alerts).
    """
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        try:
            from .postgres import PostgresStore  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            raise UsageError("PostgreSQL support is not installed in this build; use a SQLite path for --db") from None
        store: Store = PostgresStore(text, migrate=migrate)
        return store
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")  # sqlite:///rel.db is relative, sqlite:////abs.db absolute
    elif "://" in text:
        raise UsageError(f"unsupported database URL {text!r}: use a file path, sqlite:///path or postgresql://...")
    if must_exist and text != ":memory:" and not Path(text).exists():
        raise UsageError(f"no database at {text}: check --db (or VIGIL_DB); `vigil ingest FILE --db {text}` "
                         "creates one")
    return SQLiteStore(text, migrate=migrate)
