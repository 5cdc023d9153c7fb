"""The store interface every backend implements, and the query record callers pass to it.

Callers depend on :class:`Store` only; :func:`vigil.store.open_store` picks the backend from a URL, so
SQLite (the default) and PostgreSQL are interchangeable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from ..message import Message, Reject, format_ts

__all__ = ["MessageQuery", "PreparedWriter", "Store", "StoreHelpers", "WriteResult"]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """How many messages a write stored and how many it already had."""

    stored: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class MessageQuery:
    """Filters for :meth:`Store.messages`. Every field is optional; ``None`` means no filter.

    ``author`` matches case-insensitively; ``search`` is full-text (folded, every word must occur);
    ``after_rowid`` is a cursor for paging (``newest_first`` pages go downwards).
    """

    author: str | None = None
    authors: tuple[str, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None
    source: str | None = None
    format: str | None = None
    lang: str | None = None
    ids: tuple[str, ...] | None = None
    documents_only: bool = False
    limit: int | None = None
    newest_first: bool = False
    cursor: int | None = None


@runtime_checkable
class PreparedWriter(Protocol):
    """A store whose write batches can be built in another process (see :mod:`vigil.readahead`).

    ``batch_preparer()`` returns a module-level (picklable) pure function from messages to the batch form that
    ``write_prepared`` stores; ``write_messages(ms)`` must equal ``write_prepared(batch_preparer()(ms))``.
    """

    def batch_preparer(self) -> Callable[[Iterable[Message]], Any]: ...

    def write_prepared(self, batch: Any) -> WriteResult: ...


@runtime_checkable
class Store(Protocol):
    """What vigil needs from a database. Implementations: SQLite (reference), PostgreSQL."""

    url: str

    def migrate(self) -> list[str]:
        """Apply pending migrations, each in its own transaction; return the names applied."""
        ...

    def applied_migrations(self) -> list[str]: ...

    def write_messages(self, messages: Iterable[Message]) -> WriteResult:
        """Store messages in one transaction; ids already stored are counted as duplicates, not changed."""
        ...

    def write_rejects(self, rejects: Iterable[Reject]) -> int:
        """Quarantine rejects; the same reject (file, position, reason, bytes) is kept once."""
        ...

    def messages(self, query: MessageQuery | None = None) -> Iterator[Message]: ...

    def message_rows(self, query: MessageQuery | None = None) -> Iterator[tuple[int, Message]]:
        """Like :meth:`messages` with each message's row number, usable as a paging cursor."""
        ...

    def get_message(self, message_id: str) -> Message:
        """The message with this id, or :class:`~vigil.errors.NotFoundError`."""
        ...

    def count_messages(self) -> int: ...

    def stats(self) -> dict[str, Any]:
        """Counts for a summary: messages, by format, by source, authors, first/last time, rejects."""
        ...

    def rejects(self, limit: int | None = 100) -> list[Reject]: ...

    def count_rejects(self) -> int: ...

    def set_enrichments(self, updates: Iterable[tuple[str, str, Any]]) -> int:
        """Record ``(message_id, stage_name, result)`` triples; return how many messages changed."""
        ...

    # Feature modules (watch-list, alerts, classifications, claims...) keep their own tables, created by their
    # own migration files, and talk to them through these three calls in portable SQL with `?` placeholders
    # (the PostgreSQL backend translates them), plus `transaction()` for several statements at once: it yields
    # a connection-like object with execute(sql, params) -> cursor (fetchone/fetchall/rowcount) and executemany.
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int: ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def transaction(self) -> Any: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


class StoreHelpers:
    """What every backend builds the same way from its own ``transaction()`` and ``message_rows()``."""

    def transaction(self) -> Any:
        raise NotImplementedError

    def message_rows(self, query: MessageQuery | None = None) -> Iterator[tuple[int, Message]]:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one write statement (``?`` placeholders) in its own transaction; return the affected row count."""
        with self.transaction() as conn:
            return int(conn.execute(sql, params).rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one write statement for many rows in one transaction; return the affected row count."""
        with self.transaction() as conn:
            return int(conn.executemany(sql, rows).rowcount)

    def messages(self, query: MessageQuery | None = None) -> Iterator[Message]:
        """The messages matching ``query`` (see :class:`MessageQuery`)."""
        for _, msg in self.message_rows(query):
            yield msg


def common_filters(q: MessageQuery, ph: str, where: list[str], params: list[Any]) -> None:
    """Append the filters both SQL dialects spell alike (time window, columns, documents, cursor).

    ``ph`` is the dialect's placeholder (``?`` or ``%s``); search, authors and id lists differ by dialect and
    are added by each backend.
    """
    if q.since is not None:
        where.append(f"m.created_at >= {ph}")
        params.append(format_ts(q.since))
    if q.until is not None:
        where.append(f"m.created_at <= {ph}")
        params.append(format_ts(q.until))
    for column, value in (("source", q.source), ("format", q.format), ("lang", q.lang)):
        if value is not None:
            where.append(f"m.{column} = {ph}")
            params.append(value)
    if q.documents_only:
        where.append("m.title IS NOT NULL")
    if q.cursor is not None:
        where.append(f"m.rowid < {ph}" if q.newest_first else f"m.rowid > {ph}")
        params.append(q.cursor)


def finish_select(sql: str, q: MessageQuery, ph: str, where: list[str], params: list[Any]) -> tuple[str, list[Any]]:
    """Add WHERE, the time order (row number breaks ties, so paging is stable) and LIMIT."""
    if where:
        sql += " WHERE " + " AND ".join(where)
    order = "DESC" if q.newest_first else "ASC"
    sql += f" ORDER BY m.created_at {order}, m.rowid {order}"
    if q.limit is not None:
        sql += f" LIMIT {ph}"
        params.append(q.limit)
    return sql, params


def query_or_default(query: MessageQuery | None) -> MessageQuery:
    return query if query is not None else MessageQuery()


def messages_from_rows(rows: Iterator[tuple[int, Message]]) -> Iterator[Message]:
    for _, msg in rows:
        yield msg
