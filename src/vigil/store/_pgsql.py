"""Portable SQL for PostgreSQL: ``?`` placeholders, a sqlite3-like connection for feature modules.

Feature modules write SQL once, with ``?`` placeholders, and run it on either backend. This module turns such
a statement into what psycopg expects and wraps a psycopg connection so that ``execute()`` returns a cursor
with the sqlite3 surface feature code uses (``fetchone``, ``fetchall``, iteration, ``rowcount``,
``lastrowid``).

Translations (and only these; anything else must already be portable):

* ``?`` outside string literals, quoted identifiers and comments becomes ``%s``; every ``%`` is doubled.
* ``INSERT OR IGNORE INTO ...`` becomes ``INSERT INTO ... ON CONFLICT DO NOTHING``.
* ``INSERT OR REPLACE`` is refused with the portable alternative (``ON CONFLICT (...) DO UPDATE``), which
  SQLite understands too.
* ``lastrowid`` after an INSERT into a table with an identity column: ``RETURNING <column>`` is appended and
  the value kept on the cursor (the returned rows are hidden, as sqlite3 shows none for an INSERT).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg

from ..errors import StoreError

__all__ = ["PortableConnection", "PortableCursor", "translate"]

_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\"[^\"]+\"|[A-Za-z_][\w.]*)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """SQLite-flavoured portable SQL -> psycopg SQL (see the module docstring).

    >>> translate("SELECT * FROM t WHERE a = ? AND b LIKE '50%?'")
    "SELECT * FROM t WHERE a = %s AND b LIKE '50%%?'"
    """
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in ("'", '"'):  # literal or quoted identifier: copy to the closing quote ('' escapes one)
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1].replace("%", "%%"))
            i = j + 1
        elif c == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif c == "/" and sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j].replace("%", "%%"))
            i = j
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == "%":
            out.append("%%")
            i += 1
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    m = _INSERT_OR.match(text)
    if m:
        if m.group(1).upper() == "REPLACE":
            raise StoreError("INSERT OR REPLACE is SQLite-only: write INSERT ... ON CONFLICT (key) DO UPDATE SET ..., "
                             "which both SQLite and PostgreSQL run")
        text = "INSERT INTO" + text[m.end():]
        text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return text


class PortableCursor:
    """The sqlite3.Cursor surface feature modules use, over a psycopg cursor."""

    def __init__(self, cursor: psycopg.Cursor[Any], *, lastrowid: int | None = None, hide_rows: bool = False) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self._hidden = hide_rows
        self.rowcount = cursor.rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._hidden or self._cursor.description is None:
            return None
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._hidden or self._cursor.description is None:
            return []
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self._hidden or self._cursor.description is None:
            return iter(())
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()


class PortableConnection:
    """What ``store.transaction()`` yields on PostgreSQL: ``execute``/``executemany`` with ``?`` SQL."""

    def __init__(self, conn: psycopg.Connection[Any], identity_cache: dict[str, str | None],
                 cache_lock: threading.Lock) -> None:
        self._conn = conn
        self._identity = identity_cache
        self._identity_lock = cache_lock

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PortableCursor:
        """Run one statement; INSERTs into identity tables record ``lastrowid`` like sqlite3 does."""
        text = translate(sql)
        column = self._identity_column(text)
        try:
            if column is not None:
                cur = self._conn.execute(f"{text.rstrip().rstrip(';')} RETURNING {column}", tuple(params))
                rows = cur.fetchall()
                result = PortableCursor(cur, lastrowid=int(rows[-1][0]) if rows else None, hide_rows=True)
                result.rowcount = len(rows)
                return result
            return PortableCursor(self._conn.execute(text, tuple(params)))
        except psycopg.Error as exc:
            raise StoreError(f"SQL failed on PostgreSQL: {exc}".strip()) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PortableCursor:
        """Run one statement for many rows; ``rowcount`` is the total."""
        cur = self._conn.cursor()
        try:
            cur.executemany(translate(sql), [tuple(r) for r in rows])
        except psycopg.Error as exc:
            raise StoreError(f"SQL failed on PostgreSQL: {exc}".strip()) from exc
        return PortableCursor(cur)

    def _identity_column(self, text: str) -> str | None:
        if _RETURNING.search(text):
            return None
        m = _INSERT_INTO.match(text)
        if m is None:
            return None
        table = m.group(1).strip('"')
        with self._identity_lock:
            if table in self._identity:
                return self._identity[table]
        # the single-column identity (or serial) primary key, if the table has one
        row = self._conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(%s) AND i.indisprimary "
            "AND i.indnatts = 1 AND (a.attidentity <> '' OR pg_get_serial_sequence(%s, a.attname) IS NOT NULL)",
            (table, table)).fetchone()
        column = f'"{row[0]}"' if row else None
        with self._identity_lock:
            self._identity[table] = column
        return column
