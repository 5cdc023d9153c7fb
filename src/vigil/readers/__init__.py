"""Readers: one module per input format, collected in :data:`READERS`.

Each reader streams its input and yields :class:`~vigil.message.Message` or
:class:`~vigil.message.Reject`. :func:`open_input` and :func:`read_path` pick a reader by content.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, UnknownFormatError
from ..message import Message, Reject
from . import base
from .base import Head, ReadContext, ReaderSpec
from .detect import detect, read_head, summarise
from .transcode import transcoded

__all__ = ["READERS", "Head", "ReadContext", "ReaderSpec", "detect_format", "iter_input_files", "read_stream",
           "register_reader"]

READERS: dict[str, ReaderSpec] = {}


def register_reader(spec: ReaderSpec) -> ReaderSpec:
    """Add a reader to :data:`READERS` (built-ins use this too)."""
    if spec.name in READERS and READERS[spec.name] is not spec:
        raise ValueError(f"reader {spec.name!r} already registered")
    READERS[spec.name] = spec
    return spec


def _load_builtins() -> None:
    # Imported here, not at module top, so that each reader module stays independent of the registry.
    from . import article, csvdata, feeds, mastodon, telegram, transcript, twitter_v1, twitter_v2

    for module in (twitter_v2, twitter_v1, telegram, mastodon, csvdata, feeds, article, transcript):
        register_reader(ReaderSpec(module.NAME, module.DESCRIPTION, module.DEFAULT_SOURCE, module.sniff,
                                   module.read))


_load_builtins()


def detect_format(fp: BinaryIO, name: str) -> ReaderSpec:
    """The reader for ``fp`` by content (the stream is not consumed)."""
    return detect(summarise(name, read_head(fp)), READERS)


def read_stream(fp: BinaryIO, name: str, *, fmt: str = "auto",
                source: str | None = None) -> tuple[ReaderSpec, Iterator[Message | Reject]]:
    """Choose the reader (``fmt`` or by content) and return it with its record iterator."""
    if fmt == "auto":
        spec = detect_format(fp, name)
    else:
        if fmt not in READERS:
            raise UnknownFormatError(name, sorted(READERS), f"--format {fmt} is not one of them")
        spec = READERS[fmt]
    ctx = ReadContext(path=name, source=source, format=spec.name)
    return spec, spec.read(fp, ctx)


@contextmanager
def open_binary(path: str, encoding: str | None = None) -> Iterator[BinaryIO]:
    """Open a path (``-`` is stdin) as a peekable binary stream, as UTF-8 if ``encoding`` names another one."""
    with _open_raw(path) as fp:
        if encoding is None or codecs.lookup(encoding).name == "utf-8":
            yield fp
            return
        utf8 = transcoded(fp, encoding)
        try:
            yield utf8
        finally:
            utf8.close()


@contextmanager
def _open_raw(path: str) -> Iterator[BinaryIO]:
    if path == "-":
        # a fresh buffered reader over the raw fd so that detection can peek a full head without consuming it
        raw = getattr(sys.stdin.buffer, "raw", None)
        yield io.BufferedReader(raw, buffer_size=base.HEAD_BYTES * 2) if raw is not None else sys.stdin.buffer
        return
    try:
        fp = open(path, "rb", buffering=1024 * 1024)  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    try:
        yield fp
    finally:
        fp.close()


def iter_input_files(paths: list[str]) -> Iterator[str]:
    """Expand directories into their files (sorted, hidden files skipped); ``-`` stays stdin."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield str(Path(root) / f)
        elif path.exists():
            yield str(path)
        else:
            raise InputError(f"{p}: no such file or directory")


def formats() -> list[tuple[str, str]]:
    """``(name, description)`` of every registered reader."""
    return [(s.name, s.description) for s in READERS.values()]


# Head is re-exported for readers' type hints
_ = Head
