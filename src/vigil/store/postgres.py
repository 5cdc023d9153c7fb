"""PostgreSQL store: the same :class:`~vigil.store.base.Store` as SQLite, for several workers on several machines.

Selected by a URL: ``open_store("postgresql://user@host/db")`` (``--db`` / ``VIGIL_DB``).

* **Writes** are batched ``INSERT ... SELECT FROM json_to_recordset(...) ON CONFLICT (id) DO NOTHING``: one
  statement per batch, idempotent by message id, so at-least-once delivery from the broker gives exactly-once
  storage. Message writers take turns on an advisory lock so that ``rowid`` grows in commit order, as on
  SQLite: high-water marks over ``rowid`` kept by feature modules stay correct with many workers.
* **Search** is Arabic-aware the same way as SQLite's FTS5 index: the title and text are folded in Python
  (:func:`vigil.arabic.fold`: harakat, tatweel, letter variants, case, Latin accents, CamelCase hashtags),
  split into words as FTS5's ``unicode61`` does, and stored as a ``tsvector`` (GIN index) whose lexemes are
  those words verbatim — no PostgreSQL dictionary, stemmer or locale is involved, so results do not depend
  on the server's configuration. A query requires every word (a word written with ``_`` is a phrase), like
  :func:`vigil.store.sqlite.fts_query`.
* **Feature tables** use the portable ``?`` SQL of :mod:`vigil.store._pgsql`. JSON columns come back as JSON
  text (as from SQLite) and Python ``bool`` parameters are sent as integers, so feature code sees the same
  values on both backends.
* **Connections**: a lost connection (server restart, ``pg_terminate_backend``) is reopened and idempotent
  operations (writes of messages, rejects and enrichments; reads) are retried; a transaction of feature code
  is not retried (it raises :class:`~vigil.errors.StoreError`).
* **Migrations** live in ``migrations/postgres`` with the same names as the SQLite ones; concurrent workers
  starting together are serialised by an advisory lock.

PostgreSQL text cannot hold NUL characters, which SQLite can: they are stored as U+FFFD.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from typing import Any, TypeVar

import orjson
import psycopg
from psycopg.types.numeric import IntDumper
from psycopg.types.string import TextLoader

from ..arabic import fold
from ..errors import NotFoundError, StoreError
from ..message import Message, Reject, format_ts
from ._pgsql import PortableConnection, translate
from .base import MessageQuery, StoreHelpers, WriteResult, common_filters, finish_select, query_or_default

__all__ = ["PostgresStore", "search_words", "ts_query", "ts_vector"]

T = TypeVar("T")

_COLUMNS = ("id", "source", "format", "native_id", "author", "author_name", "created_at", "text", "title", "lang",
            "reply_to", "forward_of", "retweet_of", "quote_of", "url", "labels", "raw", "enrichments", "ingested_at",
            "search")
_TYPES = {"labels": "jsonb", "enrichments": "jsonb", "search": "tsvector"}
# one JSON document per batch: orjson encodes it in C and the server splits it, which beats per-value adaptation
_RECORD = ", ".join(f"{c} {_TYPES.get(c, 'text')}" for c in _COLUMNS)
# NOT EXISTS first: ON CONFLICT alone would draw (and waste) a rowid for every duplicate, and rowids would
# drift from SQLite's, where a duplicate takes none
_INSERT = (f"INSERT INTO messages ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} "
           f"FROM json_to_recordset(%s::json) AS t ({_RECORD}) "
           f"WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = t.id) ON CONFLICT (id) DO NOTHING")
_SELECT = ("SELECT m.rowid, m.id, m.source, m.format, m.native_id, m.author, m.author_name, m.created_at, m.text, "
           "m.title, m.lang, m.reply_to, m.forward_of, m.retweet_of, m.quote_of, m.url, m.labels, m.raw, "
           "m.enrichments FROM messages m")
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # FTS5 unicode61 token characters: letters and digits, not "_"
_MAX_LEXEME = 500  # characters; PostgreSQL refuses lexemes over 2047 bytes
_MAX_POSITIONS = 255  # per lexeme, PostgreSQL's own limit
_MAX_POSITION = 16383
_MAX_TSVECTOR_TEXT = 600_000  # stay well under the 1 MB tsvector limit for very long articles
_RETRIES = (0.05, 0.25, 1.0)  # backoff before each retry of an idempotent operation after a lost connection
_LOCK_KEY = 0x76696769  # advisory lock id for migrations ("vigi")
_WRITE_LOCK_KEY = 0x76696770  # advisory lock id serialising message writes


def search_words(title: str | None, text: str) -> list[str]:
    """The folded words of a message as indexed (in order, repeats kept)."""
    return _TOKEN.findall(fold(f"{title}\n{text}" if title else text))


def ts_vector(title: str | None, text: str) -> str:
    """A ``tsvector`` literal of the folded words with their positions (words are letters/digits only)."""
    positions: dict[str, list[int]] = {}
    size = 0
    for i, word in enumerate(search_words(title, text), 1):
        if len(word) > _MAX_LEXEME:
            continue
        known = positions.get(word)
        if known is None:
            size += len(word) + 8
            if size > _MAX_TSVECTOR_TEXT:
                break
            positions[word] = [min(i, _MAX_POSITION)]
        elif len(known) < _MAX_POSITIONS:
            known.append(min(i, _MAX_POSITION))
    return " ".join(f"'{w}':{','.join(map(str, p))}" for w, p in positions.items())


def ts_query(text: str) -> str | None:
    """A safe ``tsquery`` literal requiring every folded word of ``text``; ``None`` when it has no word.

    Only letters and digits reach the query, each quoted, so user text is never tsquery syntax.

    >>> ts_query("Goodbye, Qasr!")
    "'goodbye' & 'qasr'"
    >>> ts_query("nour_qn")
    "('nour' <-> 'qn')"
    """
    parts = []
    for word in _WORD.findall(fold(text)):
        tokens = [t for t in _TOKEN.findall(word) if len(t) <= _MAX_LEXEME]
        if not tokens:
            continue
        quoted = [f"'{t}'" for t in tokens]
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts) if parts else None


class _BoolAsInt(IntDumper):
    """Send Python bools as integers, as sqlite3 does (the migrations use INTEGER for flags)."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInt)
    for name in ("json", "jsonb"):  # JSON as text, as from SQLite; the store parses it with orjson
        conn.adapters.register_loader(name, TextLoader)


class PostgresStore(StoreHelpers):
    """The PostgreSQL :class:`~vigil.store.base.Store`.

    Example:
        >>> from vigil.store import open_store
        >>> store = open_store("postgresql://vigil@127.0.0.1/vigil")  # doctest: +SKIP
        >>> store.write_messages(messages)  # doctest: +SKIP
        WriteResult(stored=2000, duplicates=0)
    """

    def __init__(self, url: str, *, migrate: bool = True, application_name: str = "vigil") -> None:
        self.url = url
        self.application_name = application_name
        self._lock = threading.RLock()
        self._identity: dict[str, str | None] = {}
        self._identity_lock = threading.Lock()
        self._conn: psycopg.Connection[Any] | None = None
        self._connection()
        if migrate:
            self.migrate()

    # -- connections -----------------------------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(self.url, autocommit=True, application_name=self.application_name,
                                   connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redact(self.url)}: {_first_line(exc)}") from None
        _configure(conn)
        return conn

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._conn = self._connect()
        return self._conn

    def _retrying(self, what: str, fn: Callable[[psycopg.Connection[Any]], T]) -> T:
        """Run an idempotent operation, reconnecting and retrying when the connection is lost."""
        for delay in (*_RETRIES, None):
            with self._lock:
                try:
                    return fn(self._connection())
                except (psycopg.OperationalError, psycopg.InterfaceError, StoreError) as exc:
                    lost = self._conn is None or self._conn.closed or self._conn.broken
                    if not lost or delay is None:
                        raise _store_error(what, self.url, exc) from exc
                except psycopg.Error as exc:
                    raise _store_error(what, self.url, exc) from exc
            time.sleep(delay)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[PortableConnection]:
        """``with store.transaction() as conn:`` runs the body as one transaction (rolled back on error)."""
        with self._lock:
            conn, tx = self._begin()
            try:
                yield PortableConnection(conn, self._identity, self._identity_lock)
            except BaseException as exc:
                with suppress(psycopg.Error):  # a failed rollback means the connection, and the transaction, are gone
                    tx.__exit__(type(exc), exc, exc.__traceback__)
                if isinstance(exc, psycopg.Error):
                    raise _store_error("transaction", self.url, exc) from exc
                raise
            try:
                tx.__exit__(None, None, None)  # commits
            except psycopg.Error as exc:
                raise _store_error("commit", self.url, exc) from exc

    def _begin(self) -> tuple[psycopg.Connection[Any], AbstractContextManager[Any]]:
        """BEGIN on a live connection: a connection found dead at BEGIN is reopened (nothing was sent yet)."""
        for attempt in range(len(_RETRIES) + 1):
            conn = self._connection()
            tx = conn.transaction()
            try:
                tx.__enter__()
                return conn, tx
            except psycopg.OperationalError as exc:
                if not conn.broken or attempt == len(_RETRIES):
                    raise _store_error("transaction", self.url, exc) from exc
                time.sleep(_RETRIES[attempt])
        raise AssertionError("unreachable")

    # -- portable SQL for feature modules ---------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read statement (``?`` placeholders) and return all rows as tuples."""
        text, args = translate(sql), tuple(params)
        return self._retrying("query", lambda c: [tuple(r) for r in c.execute(text, args).fetchall()])

    # -- migrations ------------------------------------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        def run(c: psycopg.Connection[Any]) -> list[str]:
            c.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            return [r[0] for r in c.execute("SELECT name FROM _migrations ORDER BY name")]

        with self._lock:
            conn = self._connection()
            with conn.transaction():
                # CREATE TABLE IF NOT EXISTS races with itself across processes; the lock makes it safe
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                return run(conn)

    def migrate(self) -> list[str]:
        """Apply pending migrations in name order, each in one transaction under an advisory lock."""
        done = set(self.applied_migrations())
        applied = []
        for name, sql in migration_files():
            if name in done:
                continue
            with self._lock:
                conn = self._connection()
                try:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                        if conn.execute("SELECT 1 FROM _migrations WHERE name = %s", (name,)).fetchone():
                            continue  # another worker applied it meanwhile
                        conn.execute(sql.encode())  # no parameters: the whole file runs as one script
                        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (%s, %s)",
                                     (name, format_ts(datetime.now(UTC))))
                except psycopg.Error as exc:
                    raise StoreError(f"migration {name} failed on {_redact(self.url)}: {_first_line(exc)}") from exc
            applied.append(name)
        return applied

    # -- writes ----------------------------------------------------------------------------------------------
    def write_messages(self, messages: Iterable[Message]) -> WriteResult:
        """Store messages in one statement; ids already stored count as duplicates and are left unchanged."""
        now = format_ts(datetime.now(UTC))
        seen: set[str] = set()
        rows = []
        given = 0
        for m in messages:
            given += 1
            if m.id not in seen:  # the first of the same id in a batch wins, as with INSERT OR IGNORE
                seen.add(m.id)
                rows.append(_row(m, now))
        if not rows:
            return WriteResult(0, given)
        payload = orjson.dumps(rows).decode()

        def run(c: psycopg.Connection[Any]) -> int:
            with c.transaction():
                # Writers take turns (as on SQLite), so rowids are allocated in commit order: a reader that
                # remembers "everything up to rowid N is done" (bursts, the facet index) never misses a row
                # committed late by a slower worker. One batch holds the lock for a few milliseconds.
                c.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK_KEY,))
                return int(c.execute(_INSERT, (payload,)).rowcount)

        stored = self._retrying("write", run)
        return WriteResult(stored, given - stored)

    def write_rejects(self, rejects: Iterable[Reject]) -> int:
        """Quarantine rejects; the same reject (file, position, reason, bytes) is kept once."""
        rows = []
        for r in rejects:
            key = hashlib.sha1(f"{r.file}\0{r.line}\0{r.offset}\0{r.reason}\0".encode() + r.raw).hexdigest()
            rows.append((key, _clean(r.file), r.line, r.offset, r.format, _clean(r.reason), r.raw, format_ts(r.at)))
        if not rows:
            return 0

        def run(c: psycopg.Connection[Any]) -> int:
            cur = c.cursor()
            cur.executemany('INSERT INTO rejects (key, file, line, "offset", format, reason, raw, at) '
                            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING", rows)
            return int(cur.rowcount)

        return self._retrying("write rejects", run)

    def set_enrichments(self, updates: Iterable[tuple[str, str, Any]]) -> int:
        """Record ``(message_id, stage_name, result)`` triples; return how many of them found their message."""
        triples = [(mid, stage, _json(result)) for mid, stage, result in updates]
        if not triples:
            return 0
        ids, stages, results = (list(x) for x in zip(*triples, strict=True))
        # one statement; for the same (message, stage) the last triple wins, as with sequential updates
        sql = ("UPDATE messages m SET enrichments = m.enrichments || u.patch FROM ("
               "SELECT id, jsonb_object_agg(stage, result::jsonb ORDER BY n) AS patch "
               "FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t (id, stage, result, n) "
               "GROUP BY id) u WHERE m.id = u.id RETURNING m.id")

        def run(c: psycopg.Connection[Any]) -> set[str]:
            return {r[0] for r in c.execute(sql, (ids, stages, results)).fetchall()}

        found = self._retrying("set enrichments", run)
        return sum(1 for mid in ids if mid in found)

    # -- reads -----------------------------------------------------------------------------------------------
    def message_rows(self, query: MessageQuery | None = None) -> Iterator[tuple[int, Message]]:
        """Messages with their row numbers (a paging cursor); unbounded queries stream from the server."""
        q = query_or_default(query)
        sql, params = _build_select(q)
        if q.limit is not None:
            rows = self._retrying("query", lambda c: c.execute(sql, params).fetchall())
            for row in rows:
                yield row[0], _message(row)
            return
        # unbounded: a server-side cursor on a connection of its own, so memory stays flat and the main
        # connection stays free for writes meanwhile
        conn = self._connect()
        try:
            with conn.transaction(), conn.cursor(name="vigil_messages") as cur:
                cur.itersize = 2000
                cur.execute(sql, params)
                for row in cur:
                    yield row[0], _message(row)
        except psycopg.Error as exc:
            raise _store_error("query", self.url, exc) from exc
        finally:
            conn.close()

    def get_message(self, message_id: str) -> Message:
        rows = self._retrying("query", lambda c: c.execute(_SELECT + " WHERE m.id = %s", (message_id,)).fetchall())
        if not rows:
            raise NotFoundError(f"no message with id {message_id!r}")
        return _message(rows[0])

    def count_messages(self) -> int:
        return int(self._scalar("SELECT count(*) FROM messages"))

    def count_rejects(self) -> int:
        return int(self._scalar("SELECT count(*) FROM rejects"))

    def _scalar(self, sql: str) -> Any:
        return self._retrying("query", lambda c: c.execute(sql).fetchall()[0][0])

    def rejects(self, limit: int | None = 100) -> list[Reject]:
        sql = 'SELECT file, reason, line, "offset", raw, format, at FROM rejects ORDER BY rowid'
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT %s"
            params = (limit,)
        rows = self._retrying("query", lambda c: c.execute(sql, params).fetchall())
        return [Reject(file=r[0], reason=r[1], line=r[2], offset=r[3], raw=bytes(r[4]), format=r[5],
                       at=datetime.fromisoformat(r[6])) for r in rows]

    def stats(self) -> dict[str, Any]:
        def run(c: psycopg.Connection[Any]) -> dict[str, Any]:
            total, authors, first, last = c.execute(
                "SELECT count(*), count(DISTINCT author), min(created_at), max(created_at) FROM messages").fetchall()[0]
            by_format = dict(c.execute("SELECT format, count(*) FROM messages GROUP BY format ORDER BY 2 DESC"))
            by_source = dict(c.execute("SELECT source, count(*) FROM messages GROUP BY source ORDER BY 2 DESC"))
            by_lang = dict(c.execute("SELECT coalesce(lang, '?'), count(*) FROM messages GROUP BY 1 ORDER BY 2 DESC"))
            documents = c.execute("SELECT count(*) FROM messages WHERE title IS NOT NULL").fetchall()[0][0]
            rejects = c.execute("SELECT count(*) FROM rejects").fetchall()[0][0]
            return {"messages": total, "documents": documents, "authors": authors, "first": first, "last": last,
                    "by_format": by_format, "by_source": by_source, "by_lang": by_lang, "rejects": rejects}

        return self._retrying("stats", run)


def migration_files() -> list[tuple[str, str]]:
    """``(name, sql)`` of the PostgreSQL migrations, in name order."""
    folder = resources.files("vigil.store").joinpath("migrations", "postgres")
    files = sorted((p.name, p) for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for name, p in files]


def _clean(value: str | None) -> str | None:
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value


def _json(value: Any) -> str:
    text = orjson.dumps(value, default=str).decode()
    if "\\u0000" in text:  # jsonb refuses NUL; rare enough to re-encode the cleaned structure
        text = orjson.dumps(_strip_nul(value), default=str).decode()
    return text


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_strip_nul(str(k)): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strip_nul(v) for v in value]
    return value


def _row(m: Message, now: str) -> dict[str, Any]:
    return {"id": m.id, "source": m.source, "format": m.format, "native_id": m.native_id, "author": _clean(m.author),
            "author_name": _clean(m.author_name), "created_at": format_ts(m.created_at), "text": _clean(m.text),
            "title": _clean(m.title), "lang": m.lang, "reply_to": m.reply_to, "forward_of": m.forward_of,
            "retweet_of": m.retweet_of, "quote_of": m.quote_of, "url": m.url,
            "labels": orjson.Fragment(_json(dict(m.labels))) if m.labels else _EMPTY,
            "raw": _clean(m.raw),
            "enrichments": orjson.Fragment(_json(dict(m.enrichments))) if m.enrichments else _EMPTY,
            "ingested_at": now, "search": ts_vector(m.title, m.text)}


_EMPTY = orjson.Fragment(b"{}")


def _message(row: Any) -> Message:
    return Message(id=row[1], source=row[2], format=row[3], native_id=row[4], author=row[5], author_name=row[6],
                   created_at=datetime.fromisoformat(row[7]), text=row[8], title=row[9], lang=row[10],
                   reply_to=row[11], forward_of=row[12], retweet_of=row[13], quote_of=row[14], url=row[15],
                   labels=orjson.loads(row[16]), raw=row[17], enrichments=orjson.loads(row[18]))


def _build_select(q: MessageQuery) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if q.search is not None:
        match = ts_query(q.search)
        if match is None:
            return _SELECT + " WHERE false", []
        where.append("m.search @@ %s::tsquery")
        params.append(match)
    if q.author is not None:
        where.append("lower(m.author) = lower(%s)")
        params.append(q.author.lstrip("@"))
    if q.authors is not None:
        where.append("lower(m.author) = ANY(%s::text[])")
        params.append([a.lstrip("@").lower() for a in q.authors])
    if q.ids is not None:
        where.append("m.id = ANY(%s::text[])")
        params.append(list(q.ids))
    common_filters(q, "%s", where, params)
    return finish_select(_SELECT, q, "%s", where, params)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _store_error(what: str, url: str, exc: BaseException) -> StoreError:
    if isinstance(exc, StoreError):
        return exc
    return StoreError(f"{what} on {_redact(url)} failed: {_first_line(exc)}")
