"""Ingest: read inputs with the right reader, run enrichment stages, write batches to the store.

Nothing is lost: good records are stored, bad ones quarantined with their reason, and a file vigil does not
recognise is refused with the list of formats it knows. Each batch is one transaction and writes are
idempotent by message id, so a killed ingest rerun with the same command completes with nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .errors import UnknownFormatError
from .message import Message, Reject
from .readahead import PreparedBatch, read_prepared
from .readers import ReaderSpec, iter_input_files, open_binary, read_stream
from .stages import StageFailure, run_stages
from .store import Store, WriteResult
from .store.base import PreparedWriter

__all__ = ["IngestReport", "ingest", "ingest_stream"]

MAX_REPORTED_REJECTS = 100
# Below this size a file is read in-process: starting a reader process (~0.3 s) would cost more than it saves.
READAHEAD_MIN_BYTES = 16 * 1024 * 1024
ProgressFn = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What an ingest did. ``read == stored + duplicates + rejected``."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    by_format: Counter[str] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    files: int = 0
    stage_failures: list[StageFailure] = field(default_factory=list)

    def add_written(self, fmt: str, messages: int, result: WriteResult) -> None:
        """Count one stored batch of ``messages`` good records read in format ``fmt``."""
        self.stored += result.stored
        self.duplicates += result.duplicates
        self.read += messages
        if messages:
            self.by_format[fmt] += messages

    def add_rejects(self, rejects: Iterable[Reject]) -> None:
        for r in rejects:
            self.rejected += 1
            self.read += 1
            if len(self.rejects) < MAX_REPORTED_REJECTS:
                self.rejects.append(r)

    def to_dict(self) -> dict[str, Any]:
        """The ``vigil ingest --json`` contract."""
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "by_format": dict(self.by_format),
            "rejects": [{"file": r.file, "line": r.line if r.line is not None else 0, "reason": r.reason}
                        for r in self.rejects[:MAX_REPORTED_REJECTS]],
        }


def ingest(paths: Sequence[str], store: Store, *, fmt: str = "auto", source: str | None = None,
           stages: Sequence[str] = (), batch_size: int = 2000, progress: ProgressFn | None = None,
           on_batch: Callable[[list[Message]], None] | None = None,
           readahead: bool | None = None, encoding: str | None = None) -> IngestReport:
    """Ingest files, directories (their files, recursively) or ``-`` (stdin) into ``store``.

    A file named explicitly in an unknown format raises :class:`UnknownFormatError` before anything of it is
    stored; a file found inside a directory in an unknown format is quarantined as one reject instead, so one
    stray file does not stop a folder.

    Args:
        paths: files, directories or ``-``.
        store: where to write.
        fmt: ``"auto"`` (detect by content) or a reader name.
        source: overrides the source part of message ids.
        stages: names of enrichment stages to run on each batch before it is stored.
        batch_size: messages per transaction.
        progress: called as ``progress(file, bytes_done, bytes_total)``.
        on_batch: called with each stored batch (watchers, live updates).
        readahead: read in a helper process while this one writes (:mod:`vigil.readahead`); ``None`` decides
            by itself: files of at least ``READAHEAD_MIN_BYTES``, no stages, no ``on_batch``, a store that
            can take prepared batches.
        encoding: the inputs' text encoding when it is not UTF-8 (``mac_roman``, ``cp1252``...): they are
            read through :mod:`vigil.readers.transcode`; line numbers stay, byte offsets count UTF-8 bytes.
    """
    report = IngestReport()
    explicit = {p for p in paths}
    for path in iter_input_files(list(paths)):
        with open_binary(path, encoding) as fp:
            try:
                ingest_stream(fp, path, store, report, fmt=fmt, source=source, stages=stages,
                              batch_size=batch_size, progress=progress, on_batch=on_batch, readahead=readahead,
                              encoding=encoding)
            except UnknownFormatError as exc:
                if path in explicit:
                    raise
                report.add_rejects([Reject(file=path, reason=str(exc))])
                store.write_rejects([Reject(file=path, reason=str(exc))])
        report.files += 1
    return report


def ingest_stream(fp: BinaryIO, name: str, store: Store, report: IngestReport | None = None, *,
                  fmt: str = "auto", source: str | None = None, stages: Sequence[str] = (),
                  batch_size: int = 2000, progress: ProgressFn | None = None,
                  on_batch: Callable[[list[Message]], None] | None = None,
                  readahead: bool | None = None, encoding: str | None = None) -> IngestReport:
    """Ingest one open binary stream (a file or stdin) named ``name``; see :func:`ingest` for the options."""
    report = report if report is not None else IngestReport()
    spec, records = read_stream(fp, name, fmt=fmt, source=source)
    total = _size(fp)
    if isinstance(store, PreparedWriter) and name != "-" and not stages and on_batch is None and (
            readahead or (readahead is None and total >= READAHEAD_MIN_BYTES)):
        return _ingest_readahead(name, spec, store, store, report, source=source, batch_size=batch_size,
                                 progress=progress, total=total, encoding=encoding)
    batch: list[Message] = []
    bad: list[Reject] = []
    # One writer thread, double-buffered: SQLite releases the GIL while it indexes and commits, so parsing the
    # next batch overlaps with storing this one. At most one batch is in flight; its result is collected
    # before the next is handed over, so counts and callbacks stay in order.
    pending: Future[tuple[list[Message], WriteResult]] | None = None

    def store_batch(messages: list[Message], rejects: list[Reject]) -> tuple[list[Message], WriteResult]:
        enriched = (run_stages(messages, stages, report.stage_failures, store=store) if stages and messages
                    else messages)
        result = store.write_messages(enriched) if enriched else WriteResult(0, 0)
        if rejects:
            store.write_rejects(rejects)
        return enriched, result

    def collect() -> None:
        nonlocal pending
        if pending is None:
            return
        enriched, result = pending.result()
        pending = None
        report.add_written(spec.name, len(enriched), result)
        if enriched and on_batch is not None:
            on_batch(enriched)
        if progress is not None and total:
            progress(name, _position(fp, total), total)

    def flush() -> None:
        nonlocal batch, bad, pending
        collect()
        if batch or bad:
            report.add_rejects(bad)
            pending = writer.submit(store_batch, batch, bad)
        batch, bad = [], []

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigil-ingest-writer") as writer:
        try:
            for record in records:
                if isinstance(record, Message):
                    batch.append(record)
                    if len(batch) >= batch_size:
                        flush()
                else:
                    bad.append(record)
                    if len(bad) >= batch_size:
                        flush()
            flush()
        finally:
            collect()  # the batch in flight is stored (or its error raised) before we return
    return report


def _ingest_readahead(name: str, spec: ReaderSpec, store: Store, prepared_writer: PreparedWriter,
                      report: IngestReport, *,
                      source: str | None, batch_size: int, progress: ProgressFn | None, total: int,
                      encoding: str | None = None) -> IngestReport:
    """Like :func:`ingest_stream`, with the reading and batch preparation done in a helper process.

    ``store`` and ``prepared_writer`` are the same object seen through its two interfaces.
    """
    # Same double buffering as in-process: the next batch is received and unpickled while this one commits.
    pending: Future[tuple[PreparedBatch, WriteResult]] | None = None

    def store_batch(batch: PreparedBatch) -> tuple[PreparedBatch, WriteResult]:
        result = prepared_writer.write_prepared(batch.prepared) if batch.messages else WriteResult(0, 0)
        if batch.rejects:
            store.write_rejects(batch.rejects)
        return batch, result

    def collect() -> None:
        nonlocal pending
        if pending is None:
            return
        batch, result = pending.result()
        pending = None
        report.add_written(spec.name, batch.messages, result)
        if progress is not None and total:
            progress(name, min(batch.position, total), total)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vigil-ingest-writer") as writer:
        try:
            for batch in read_prepared(name, fmt=spec.name, source=source, prepare=prepared_writer.batch_preparer(),
                                       batch_size=batch_size, encoding=encoding):
                collect()
                report.add_rejects(batch.rejects)
                pending = writer.submit(store_batch, batch)
        finally:
            collect()
    return report


def _size(fp: BinaryIO) -> int:
    try:
        import os

        return os.fstat(fp.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0


def _position(fp: BinaryIO, total: int) -> int:
    try:
        return min(fp.tell(), total)
    except (OSError, ValueError):
        return total
