"""SQLite store: WAL mode, named migrations, batched idempotent writes, FTS5 search with Arabic folding.

Durability: every write is one transaction; WAL with ``synchronous=NORMAL`` survives a killed process (kill -9)
with the last committed batch intact. A power cut may lose the last commits but never corrupts the file.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from ..arabic import fold
from ..errors import NotFoundError, StoreError
from ..message import Message, Reject, format_ts
from .base import MessageQuery, StoreHelpers, WriteResult, common_filters, finish_select, query_or_default

__all__ = ["PreparedRows", "SQLiteStore", "fts_query", "prepare_rows"]

_COLUMNS = ("id", "source", "format", "native_id", "author", "author_name", "created_at", "text", "title", "lang",
            "reply_to", "forward_of", "retweet_of", "quote_of", "url", "labels", "raw", "enrichments", "ingested_at")
_INSERT = (f"INSERT OR IGNORE INTO messages ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in _COLUMNS)})")
_SELECT = ("SELECT m.rowid, m.id, m.source, m.format, m.native_id, m.author, m.author_name, m.created_at, m.text, "
           "m.title, m.lang, m.reply_to, m.forward_of, m.retweet_of, m.quote_of, m.url, m.labels, m.raw, "
           "m.enrichments FROM messages m")
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold_for_index(title: str | None, text: str) -> str:
    return fold(f"{title}\n{text}" if title else text)


def fts_query(text: str) -> str | None:
    """Turn user text into a safe FTS5 query: folded words, each quoted, all required.

    Quoting every token means no user input is ever parsed as FTS syntax (``NEAR``, ``*``, ``:``...).
    Returns ``None`` when the text has no searchable word.
    """
    words = _WORD.findall(fold(text))
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


class SQLiteStore(StoreHelpers):
    """The reference :class:`~vigil.store.base.Store`, one SQLite file in WAL mode.

    Example:
        >>> from vigil.store import open_store
        >>> with open_store(":memory:") as store:
        ...     store.count_messages()
        0
    """

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        try:
            fresh = self.path == ":memory:" or not Path(self.path).exists() or Path(self.path).stat().st_size == 0
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT) so each batch is atomic
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30.0)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        self._lock = threading.RLock()
        try:
            if fresh:
                # 16 KiB pages (default 4): a message row with its raw record is ~1 KB, so B-trees are shallower
                # and a 1M-post ingest makes half the page reads; must be set before WAL mode, on an empty file
                self.conn.execute("PRAGMA page_size=16384")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # Checkpoints are where WAL mode pays its fsyncs: every 20,000 pages (~80 MB of WAL) instead of the
            # default 1,000 lifts ingest from ~13k to ~20k messages/s here, with the same durability.
            self.conn.execute("PRAGMA wal_autocheckpoint=20000")
            self.conn.execute("PRAGMA cache_size=-65536")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable SQLite database ({exc}); pass another --db") from None
        if migrate:
            self.migrate()

    # -- lifecycle -------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        """``with store.transaction() as conn:`` runs the body as one IMMEDIATE transaction."""
        return _Transaction(self)

    # -- portable SQL for feature modules ---------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read statement and return all rows as tuples."""
        with self._lock:
            try:
                return [tuple(r) for r in self.conn.execute(sql, params).fetchall()]
            except sqlite3.Error as exc:
                raise StoreError(f"query on {self.path} failed: {exc}") from None

    # -- migrations ------------------------------------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        self.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        return [r[0] for r in self.conn.execute("SELECT name FROM _migrations ORDER BY name")]

    def migrate(self) -> list[str]:
        done = set(self.applied_migrations())
        applied = []
        for name, sql in _migration_files():
            if name in done:
                continue
            with self.transaction() as conn:
                # re-check inside the lock: a concurrent process may have applied it meanwhile
                if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                    continue
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                             (name, format_ts(datetime.now(UTC))))
            applied.append(name)
        return applied

    # -- writes ----------------------------------------------------------------------------------------------
    def write_messages(self, messages: Iterable[Message]) -> WriteResult:
        return self.write_prepared(prepare_rows(messages))

    def batch_preparer(self) -> Callable[[Iterable[Message]], PreparedRows]:
        """:func:`prepare_rows`, for building batches in a reader process (:mod:`vigil.readahead`)."""
        return prepare_rows

    def write_prepared(self, batch: PreparedRows) -> WriteResult:
        """Store a batch built by :func:`prepare_rows` (possibly in another process) in one transaction."""
        rows, bodies = batch.rows, batch.bodies
        if not rows:
            return WriteResult(0, batch.duplicates)
        with self.transaction() as conn:
            before = conn.execute("SELECT coalesce(max(rowid), 0) FROM messages").fetchone()[0]
            stored = conn.executemany(_INSERT, rows).rowcount
            after = conn.execute("SELECT coalesce(max(rowid), 0) FROM messages").fetchone()[0]
            if stored == len(rows) and after == before + stored:
                # every row was new, so they took consecutive rowids in batch order: no lookups needed
                conn.executemany("INSERT INTO messages_fts (rowid, body) VALUES (?, ?)",
                                 zip(range(before + 1, after + 1), bodies, strict=True))
            elif stored:
                conn.executemany("INSERT INTO messages_fts (rowid, body) SELECT rowid, ? FROM messages "
                                 "WHERE id = ? AND rowid > ?",
                                 ((body, row[0], before) for row, body in zip(rows, bodies, strict=True)))
        return WriteResult(stored, len(rows) - stored + batch.duplicates)

    def write_rejects(self, rejects: Iterable[Reject]) -> int:
        rows = []
        for r in rejects:
            key = hashlib.sha1(f"{r.file}\0{r.line}\0{r.offset}\0{r.reason}\0".encode() + r.raw).hexdigest()
            rows.append((key, r.file, r.line, r.offset, r.format, r.reason, r.raw, format_ts(r.at)))
        if not rows:
            return 0
        with self.transaction() as conn:
            cur = conn.executemany("INSERT OR IGNORE INTO rejects (key, file, line, offset, format, reason, raw, at) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            return cur.rowcount

    def set_enrichments(self, updates: Iterable[tuple[str, str, Any]]) -> int:
        changed = 0
        with self.transaction() as conn:
            for message_id, stage, result in updates:
                cur = conn.execute("UPDATE messages SET enrichments = json_set(enrichments, '$.' || json_quote(?), "
                                   "json(?)) WHERE id = ?", (stage, orjson.dumps(result), message_id))
                changed += cur.rowcount
        return changed

    # -- reads -----------------------------------------------------------------------------------------------
    def message_rows(self, query: MessageQuery | None = None) -> Iterator[tuple[int, Message]]:
        q = query_or_default(query)
        sql, params = _build_select(q)
        with self._lock:
            rows = self.conn.execute(sql, params).fetchall() if q.limit is not None else None
        if rows is None:  # unbounded: stream with a dedicated cursor so memory stays flat
            cursor = self.conn.cursor()
            cursor.execute(sql, params)
            try:
                for row in cursor:
                    yield row[0], _message(row)
            finally:
                cursor.close()
            return
        for row in rows:
            yield row[0], _message(row)

    def get_message(self, message_id: str) -> Message:
        with self._lock:
            row = self.conn.execute(_SELECT + " WHERE m.id = ?", (message_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no message with id {message_id!r}")
        return _message(row)

    def count_messages(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM messages").fetchone()[0])

    def count_rejects(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM rejects").fetchone()[0])

    def rejects(self, limit: int | None = 100) -> list[Reject]:
        sql = "SELECT file, reason, line, offset, raw, format, at FROM rejects ORDER BY rowid"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        with self._lock:
            rows = self.conn.execute(sql, params).fetchall()
        return [Reject(file=r[0], reason=r[1], line=r[2], offset=r[3], raw=bytes(r[4]), format=r[5],
                       at=datetime.fromisoformat(r[6])) for r in rows]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            c = self.conn
            total, authors, first, last = c.execute(
                "SELECT count(*), count(DISTINCT author), min(created_at), max(created_at) FROM messages").fetchone()
            by_format = dict(c.execute("SELECT format, count(*) FROM messages GROUP BY format ORDER BY 2 DESC"))
            by_source = dict(c.execute("SELECT source, count(*) FROM messages GROUP BY source ORDER BY 2 DESC"))
            by_lang = dict(c.execute("SELECT coalesce(lang, '?'), count(*) FROM messages GROUP BY 1 ORDER BY 2 DESC"))
            documents = c.execute("SELECT count(*) FROM messages WHERE title IS NOT NULL").fetchone()[0]
            rejects = c.execute("SELECT count(*) FROM rejects").fetchone()[0]
        return {"messages": total, "documents": documents, "authors": authors, "first": first, "last": last,
                "by_format": by_format, "by_source": by_source, "by_lang": by_lang, "rejects": rejects}


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error; serialised across threads sharing the connection."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        self.store._lock.acquire()
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self.store._lock.release()
            raise StoreError(f"cannot start a write on {self.store.path}: {exc}") from None
        return self.store.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.store.conn.execute("COMMIT")
            else:
                self.store.conn.execute("ROLLBACK")
        finally:
            self.store._lock.release()
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"write to {self.store.path} failed: {exc}") from exc


def _migration_files() -> list[tuple[str, str]]:
    folder = resources.files("vigil.store").joinpath("migrations", "sqlite")
    files = sorted((p.name, p) for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for name, p in files]


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3 runs one per execute; executescript would COMMIT)."""
    statements, buf = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--"):
            continue
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


@dataclass(frozen=True, slots=True)
class PreparedRows:
    """A batch ready for :meth:`SQLiteStore.write_prepared`: table rows and their folded full-text bodies.

    Building it is pure Python work (serialising, folding Arabic and case), so an ingest can do it in another
    process while this one writes; it pickles compactly (plain tuples and strings).
    """

    rows: list[tuple[Any, ...]]
    bodies: list[str]
    duplicates: int = 0


def prepare_rows(messages: Iterable[Message]) -> PreparedRows:
    """Turn messages into rows for the ``messages`` table; the first of a repeated id wins, as on insert."""
    now = format_ts(datetime.now(UTC))
    rows: list[tuple[Any, ...]] = []
    bodies: list[str] = []
    seen: set[str] = set()
    duplicates = 0
    for m in messages:
        if m.id in seen:
            duplicates += 1
            continue
        seen.add(m.id)
        rows.append(_row(m, now))
        bodies.append(_fold_for_index(m.title, m.text))
    return PreparedRows(rows, bodies, duplicates)


def _row(m: Message, now: str) -> tuple[Any, ...]:
    return (m.id, m.source, m.format, m.native_id, m.author, m.author_name, format_ts(m.created_at), m.text, m.title,
            m.lang, m.reply_to, m.forward_of, m.retweet_of, m.quote_of, m.url,
            orjson.dumps(dict(m.labels)).decode() if m.labels else "{}", m.raw,
            orjson.dumps(dict(m.enrichments), default=str).decode() if m.enrichments else "{}", now)


def _message(row: Any) -> Message:
    return Message(id=row[1], source=row[2], format=row[3], native_id=row[4], author=row[5], author_name=row[6],
                   created_at=datetime.fromisoformat(row[7]), text=row[8], title=row[9], lang=row[10],
                   reply_to=row[11], forward_of=row[12], retweet_of=row[13], quote_of=row[14], url=row[15],
                   labels=orjson.loads(row[16]), raw=row[17], enrichments=orjson.loads(row[18]))


def _build_select(q: MessageQuery) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    sql = _SELECT
    if q.search is not None:
        match = fts_query(q.search)
        if match is None:
            return _SELECT + " WHERE 0", []
        sql += " JOIN messages_fts f ON f.rowid = m.rowid"
        where.append("messages_fts MATCH ?")
        params.append(match)
    if q.author is not None:
        where.append("m.author = ? COLLATE NOCASE")
        params.append(q.author.lstrip("@"))
    if q.authors is not None:
        where.append(f"m.author COLLATE NOCASE IN ({', '.join('?' for _ in q.authors)})")
        params.extend(a.lstrip("@") for a in q.authors)
    if q.ids is not None:
        where.append(f"m.id IN ({', '.join('?' for _ in q.ids)})")
        params.extend(q.ids)
    common_filters(q, "?", where, params)
    return finish_select(sql, q, "?", where, params)
