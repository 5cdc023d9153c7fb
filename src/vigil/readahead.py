"""Read a big file in a helper process, so that parsing and storing use both cores.

One Python process cannot parse JSON and fold text while SQLite indexes the previous batch: both need the
interpreter lock for most of their work. For a large file ingested without enrichment stages, a helper
process runs the reader and prepares each batch for the store (rows built, text folded for the full-text
index) and pipes it back; this process only writes. Results are the same as reading in-process: same
messages, same rejects with the same file and line, in the same order.

The helper is ``python -m vigil.readahead`` started with :mod:`subprocess` rather than :mod:`multiprocessing`:
it never re-imports the caller's main module (a script without a ``__main__`` guard would otherwise run
twice) and is safe when the caller has threads. Frames on its stdout are an 8-byte length and a pickle. If
this process is killed, the helper's next write hits a closed pipe and it exits; if the helper dies, the
reader here raises :class:`~vigil.errors.InputError` instead of hanging.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import InputError, VigilError
from .message import Message, Reject

__all__ = ["PreparedBatch", "read_prepared"]

Preparer = Callable[[Sequence[Message]], Any]
_LENGTH = struct.Struct("<Q")


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """One batch from the helper: the store's prepared form of ``messages`` good records, and the rejects."""

    prepared: Any
    messages: int
    rejects: list[Reject]
    position: int


def read_prepared(path: str, *, fmt: str, source: str | None, prepare: Preparer,
                  batch_size: int = 2000, encoding: str | None = None) -> Iterator[PreparedBatch]:
    """Yield prepared batches of ``path`` read with reader ``fmt`` in a helper process.

    Args:
        path: a regular file (not stdin: the helper opens it itself).
        fmt: the reader name, already chosen (detection happens in the caller so that an unknown format is
            refused before any process starts).
        source: overrides the source part of message ids.
        prepare: a module-level function turning a list of messages into the store's batch form; the helper
            imports it by name.
        batch_size: good messages per batch.
        encoding: the file's encoding when not UTF-8 (see :mod:`vigil.readers.transcode`).
    """
    spec = json.dumps({"path": path, "fmt": fmt, "source": source, "batch_size": batch_size, "encoding": encoding,
                       "prepare": f"{prepare.__module__}:{prepare.__qualname__}"})
    env = dict(os.environ)
    # the helper must import this same vigil, installed or not
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen([sys.executable, "-m", "vigil.readahead", spec], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    try:
        while True:
            frame = _read_frame(proc.stdout)
            if frame is None:
                code = proc.wait()
                raise InputError(f"{path}: the reader process stopped unexpectedly (exit code {code}); rerun the "
                                 "same command: what was stored is kept and nothing is stored twice")
            kind, payload = pickle.loads(frame)
            if kind == "batch":
                yield payload
            elif kind == "error":
                raise payload
            else:  # "done"
                break
    finally:
        if proc.poll() is None:
            proc.kill()  # the caller stopped early (an error while storing): don't leave it reading
        proc.stdout.close()
        proc.wait()


def _read_frame(stream: IO[bytes]) -> bytes | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def _helper(spec: dict[str, Any], out: IO[bytes]) -> None:
    from .readers import open_binary, read_stream

    path, fmt, source, batch_size = spec["path"], spec["fmt"], spec["source"], int(spec["batch_size"])
    module, _, name = str(spec["prepare"]).partition(":")
    prepare: Preparer = getattr(importlib.import_module(module), name)

    def send(kind: str, payload: Any) -> None:
        frame = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_LENGTH.pack(len(frame)))
        out.write(frame)
        out.flush()

    try:
        with open_binary(path, spec.get("encoding")) as fp:
            _, records = read_stream(fp, path, fmt=fmt, source=source)
            batch: list[Message] = []
            bad: list[Reject] = []
            for record in records:
                if isinstance(record, Message):
                    batch.append(record)
                    if len(batch) < batch_size:
                        continue
                else:
                    bad.append(record)
                    if len(bad) < batch_size:
                        continue
                send("batch", PreparedBatch(prepare(batch), len(batch), bad, fp.tell()))
                batch, bad = [], []
            if batch or bad:
                send("batch", PreparedBatch(prepare(batch), len(batch), bad, fp.tell()))
        send("done", None)
    except BrokenPipeError:
        return  # the ingest process is gone; nobody to report to
    except VigilError as exc:
        send("error", InputError(str(exc)))  # rebuilt as a plain InputError: it always unpickles
    except Exception as exc:  # a reader bug must reach the caller as an error, not a hang
        send("error", InputError(f"{path}: reading failed in the reader process: {type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    # Run the importable copy, not this __main__ one: pickled batches must name vigil.readahead.PreparedBatch.
    from vigil.readahead import _helper as helper

    with contextlib.suppress(BrokenPipeError):  # the ingest process went away: exit quietly
        helper(json.loads(sys.argv[1]), sys.stdout.buffer)
        sys.stdout.close()
