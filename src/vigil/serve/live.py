"""The follower of ``vigil run``: tails growing files and watched folders, and polls RSS/Atom feeds.

* **Files**: JSON Lines files (``.jsonl``, ``.ndjson``, or any file whose first line is a JSON object) are
  tailed: only complete lines after the stored offset are read, so a line being written is picked up on the
  next check. Other files (a JSON array, an API response page, a feed file, an article) are re-read whole when
  their size or modification time changes; writes are idempotent by message id, so nothing is stored twice.
  A file that shrinks or is replaced (new inode) is read again from the start.
* **Folders**: every file under them (recursively, skipping hidden and partial ``.tmp``/``.part`` files) is
  followed as above, including files that appear later.
* **Feeds** (``http://``/``https://`` sources) are polled through an injected ``httpx.Client`` with timeouts,
  ``ETag``/``If-Modified-Since`` (a ``304`` costs nothing) and exponential backoff after failures.

Offsets, ETags and backoff state live in the store (``serve_follow``) and are written after each batch is
stored, so a restart resumes where it stopped and a crash in between re-reads at most one batch (harmlessly).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx
from starlette.concurrency import run_in_threadpool

from ..errors import VigilError
from ..message import format_ts
from ..readers import detect_format
from ..store import Store
from .pipeline import Pipeline

__all__ = ["MAX_CHUNK", "FollowState", "Follower", "LiveLoop", "Part"]

log = logging.getLogger("vigil.serve.live")
MAX_CHUNK = 8 * 1024 * 1024
MAX_FEED_BYTES = 16 * 1024 * 1024
_LINE_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_SKIP_SUFFIXES = (".tmp", ".part", ".swp", ".db", ".db-wal", ".db-shm", ".sqlite")


@dataclass
class FollowState:
    """The stored position of one followed file or feed."""

    key: str
    kind: str
    position: int = 0
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0
    format: str = ""
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_at: str = ""


def _load(store: Store, key: str, kind: str) -> FollowState:
    rows = store.query("SELECT position, size, mtime_ns, inode, format, etag, last_modified, failures, next_at "
                       "FROM serve_follow WHERE key = ?", (key,))
    if not rows:
        return FollowState(key, kind)
    r = rows[0]
    return FollowState(key, kind, int(r[0]), int(r[1]), int(r[2]), int(r[3]), r[4], r[5], r[6], int(r[7]), r[8])


def _save(store: Store, s: FollowState) -> None:
    store.execute("INSERT INTO serve_follow (key, kind, position, size, mtime_ns, inode, format, etag, last_modified, "
                  "failures, next_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO "
                  "UPDATE SET position = excluded.position, size = excluded.size, mtime_ns = excluded.mtime_ns, "
                  "inode = excluded.inode, format = excluded.format, etag = excluded.etag, "
                  "last_modified = excluded.last_modified, failures = excluded.failures, next_at = excluded.next_at, "
                  "updated_at = excluded.updated_at",
                  (s.key, s.kind, s.position, s.size, s.mtime_ns, s.inode, s.format, s.etag, s.last_modified,
                   s.failures, s.next_at, format_ts(datetime.now(UTC))))


def _is_lines(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in _LINE_SUFFIXES:
        return True
    first = head.lstrip()[:1]
    line, nl, _ = head.lstrip().partition(b"\n")
    return first == b"{" and bool(nl) and line.rstrip().endswith(b"}")


def _previous_line(fp: Any, position: int) -> bytes:
    """The complete line that ends at ``position`` (empty at the start of the file)."""
    if position == 0:
        return b""
    back = min(position, 1024 * 1024)
    fp.seek(position - back)
    data = fp.read(back)
    start = data.rfind(b"\n", 0, len(data) - 1) + 1
    return data[start:] if start or back == position else b""


class Follower:
    """Follows files, folders and feeds into a :class:`Pipeline`.

    Args:
        store: where positions are kept (the writer store).
        pipeline: where messages go.
        sources: file paths, folder paths and ``http(s)://`` feed URLs.
        client: the HTTP client for feeds (default: one with 10 s timeouts).
        tail_seconds: pause between two checks of files and folders.
        poll_seconds: pause between two polls of a feed when it answers.
        max_backoff_seconds: longest pause after repeated feed failures.
        clock: wall clock for feed scheduling (tests pass their own).
    """

    def __init__(self, store: Store, pipeline: Pipeline, sources: Sequence[str], *, client: httpx.Client | None = None,
                 tail_seconds: float = 0.2, poll_seconds: float = 60.0, max_backoff_seconds: float = 3600.0,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.pipeline = pipeline
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.feeds: list[str] = []
        for source in sources:
            if source.startswith(("http://", "https://")):
                self.feeds.append(source)
            elif Path(source).is_dir():
                self.folders.append(Path(source))
            else:
                self.files.append(Path(source))
        self._own_client = client is None and bool(self.feeds)
        self.client = client or (httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0), follow_redirects=True,
                                              headers={"User-Agent": "vigil-follower"}) if self.feeds else None)
        self.tail_seconds = tail_seconds
        self.poll_seconds = poll_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.clock = clock or (lambda: datetime.now(UTC))
        self.errors: dict[str, str] = {}
        self.checks = 0

    # -- one pass --------------------------------------------------------------------------------------------
    def step(self) -> int:
        """Check every source once; return how many new messages were stored."""
        self.checks += 1
        stored = 0
        for path in self._all_files():
            try:
                stored += self._follow_file(path)
                self.errors.pop(str(path), None)
            except (VigilError, OSError) as exc:
                self.errors[str(path)] = str(exc)
                log.warning("cannot follow %s: %s", path, exc)
        for url in self.feeds:
            stored += self._poll(url)
        return stored

    def _all_files(self) -> list[Path]:
        found = [p for p in self.files if p.exists()]
        for folder in self.folders:
            for root, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / n for n in sorted(names)
                          if not n.startswith(".") and not n.lower().endswith(_SKIP_SUFFIXES)]
        return found

    def _follow_file(self, path: Path) -> int:
        key = f"file:{path.resolve()}"
        st = path.stat()
        state = _load(self.store, key, "file")
        if st.st_ino != state.inode or st.st_size < state.position:
            state = FollowState(key, "file")  # replaced or truncated: from the start
        if st.st_size == 0 or (st.st_size == state.size and st.st_mtime_ns == state.mtime_ns
                               and state.position == state.size):
            return 0  # empty (a file created before its first write) or unchanged
        with path.open("rb") as fp:
            head = fp.read(65536)
            lines = _is_lines(path, head)
            if not state.format:
                # one line alone reads like a JSON document: detect on it twice, as JSON Lines
                sample = head + head if lines and head.count(b"\n") == 1 else head
                state.format = detect_format(io.BytesIO(sample), str(path)).name
            if lines:
                fp.seek(state.position)
                data = fp.read(min(MAX_CHUNK, st.st_size - state.position))
                end = data.rfind(b"\n") + 1
                if end == 0 and len(data) < MAX_CHUNK:
                    return 0  # only a partial line so far: wait for its newline
                chunk = data[:end] if end else data
                if chunk.count(b"\n") == 1:
                    # readers tell JSON Lines from a JSON document by seeing two lines: give them the line
                    # before as well (already stored, so it only counts as a duplicate)
                    before = _previous_line(fp, state.position)
                    if not before:
                        return self._single_first_line(path, state, chunk, st)
                    chunk_in = before + chunk
                else:
                    chunk_in = chunk
                report = self.pipeline.ingest_bytes(chunk_in, str(path), fmt=state.format)
                state.position += len(chunk)
            else:
                fp.seek(0)
                report = self.pipeline.ingest_stream(fp, str(path), fmt=state.format)
                state.position = st.st_size
        state.size, state.mtime_ns, state.inode = st.st_size, st.st_mtime_ns, st.st_ino
        _save(self.store, state)
        return report.stored

    def _single_first_line(self, path: Path, state: FollowState, chunk: bytes, st: os.stat_result) -> int:
        """A file with one complete line so far: store what it holds, but read it again with the next line."""
        report = self.pipeline.ingest_bytes(chunk + chunk, str(path), fmt=state.format)
        state.inode = st.st_ino
        _save(self.store, state)  # position stays 0: the next pass sees two lines
        return report.stored

    def _poll(self, url: str) -> int:
        key = f"feed:{url}"
        state = _load(self.store, key, "feed")
        now = self.clock()
        if state.next_at and now < datetime.fromisoformat(state.next_at):
            return 0
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        stored = 0
        assert self.client is not None
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    pass
                elif response.status_code >= 400:
                    raise httpx.HTTPStatusError(f"{url} answered {response.status_code}", request=response.request,
                                                response=response)
                else:
                    body = b""
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_FEED_BYTES:
                            raise VigilError(f"{url}: feed larger than {MAX_FEED_BYTES} bytes; not read")
                    stored = self.pipeline.ingest_bytes(body, url).stored
                    state.etag = response.headers.get("etag", "")
                    state.last_modified = response.headers.get("last-modified", "")
            state.failures = 0
            state.next_at = format_ts(now + timedelta(seconds=self.poll_seconds))
            self.errors.pop(url, None)
        except (httpx.HTTPError, VigilError) as exc:
            state.failures += 1
            pause = min(self.poll_seconds * 2 ** state.failures, self.max_backoff_seconds)
            state.next_at = format_ts(now + timedelta(seconds=pause))
            self.errors[url] = f"{exc} (retry in {pause:.0f} s)"
            log.warning("feed %s failed (%d in a row): %s", url, state.failures, exc)
        _save(self.store, state)
        return stored

    def close(self) -> None:
        """Close the HTTP client if the follower made it."""
        if self._own_client and self.client is not None:
            self.client.close()

    def stats(self) -> dict[str, Any]:
        """What is followed and any current errors."""
        return {"files": [str(p) for p in self.files], "folders": [str(p) for p in self.folders], "feeds": self.feeds,
                "checks": self.checks, "errors": dict(self.errors)}


class Part(Protocol):
    """Something the live loop advances: a follower, the demo replay, the watcher tick."""

    def step(self) -> int: ...

    def stats(self) -> dict[str, Any]: ...


class LiveLoop:
    """Runs each part's ``step`` every ``interval`` seconds in a worker thread until stopped.

    Stopping waits for the pass in progress, so every batch it read is stored and its offset saved: Ctrl-C
    loses nothing.
    """

    def __init__(self, parts: Sequence[Part], *, interval: float = 0.2, on_stop: Callable[[], None] = lambda: None,
                 ) -> None:
        self.parts = list(parts)
        self.interval = interval
        self.on_stop = on_stop
        self.passes = 0
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def step(self) -> int:
        """One pass over every part (isolated: one failing part does not skip the others)."""
        self.passes += 1
        stored = 0
        for part in self.parts:
            try:
                stored += part.step()
            except Exception:  # keep following: one bad pass must not end the monitor
                log.exception("live step of %s failed", type(part).__name__)
        return stored

    async def start(self) -> None:
        """Start in the background (called by the app's lifespan)."""
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(self._stop))

    async def _run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            await run_in_threadpool(self.step)
            pause = max(0.01, self.interval - (time.monotonic() - started))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=pause)

    async def stop(self) -> None:
        """Stop after the pass in progress."""
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            await self._task
        self.on_stop()

    def stats(self) -> dict[str, Any]:
        """Each part's stats."""
        return {"passes": self.passes, "parts": [p.stats() for p in self.parts]}
