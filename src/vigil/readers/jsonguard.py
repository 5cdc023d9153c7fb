"""Guard streaming JSON parsing against hostile nesting.

ijson builds a prefix string per nesting level, so a document nested 100,000 deep costs quadratic memory
(tens of GB) before any record comes out. :class:`DepthGuard` wraps the byte stream and measures nesting
depth as the parser reads, with numpy over each chunk (string-aware: brackets inside strings and escaped
quotes are handled), and stops the stream with :class:`JSONTooDeep` once a limit is passed. Records read before
that point are kept by the callers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import numpy as np

__all__ = ["MAX_JSON_DEPTH", "ChainedStream", "DepthGuard", "JSONTooDeep", "ValueTooLarge", "max_depth", "split_values"]

MAX_JSON_DEPTH = 256  # real API payloads stay below ~12 levels

_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


class JSONTooDeep(ValueError):
    """The JSON nests deeper than :data:`MAX_JSON_DEPTH`."""


class _State:
    __slots__ = ("backslashes", "depth", "in_string", "peak")

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.backslashes = 0  # length of the run of backslashes ending the previous chunk
        self.peak = 0


def _scan(chunk: bytes, st: _State) -> int:
    """Update ``st`` with ``chunk``; return the peak depth reached within it."""
    if not chunk:
        return st.depth
    depth, _ = _depths(chunk, st)
    return int(depth.max())


def _depths(chunk: bytes, st: _State) -> tuple[np.ndarray, np.ndarray]:
    """Per-byte nesting depth after each byte of ``chunk`` and the structural delta at each byte."""
    arr = np.frombuffer(chunk, dtype=np.uint8)
    real = np.flatnonzero(arr == 0x22)
    if real.size:
        # A quote is escaped when an odd run of backslashes precedes it. Such quotes are rare, so only the
        # quotes right after a backslash are examined, one by one.
        after_bs = np.empty(real.size, dtype=bool)
        inner = real > 0
        after_bs[inner] = arr[real[inner] - 1] == 0x5C
        after_bs[~inner] = st.backslashes > 0
        if after_bs.any():
            keep = np.ones(real.size, dtype=bool)
            for k in np.flatnonzero(after_bs).tolist():
                j = int(real[k]) - 1
                run = 0
                while j >= 0 and chunk[j] == 0x5C:
                    run += 1
                    j -= 1
                if j < 0:
                    run += st.backslashes
                keep[k] = run % 2 == 0
            real = real[keep]
    delta = _OPEN[arr]
    if real.size:
        toggles = np.zeros(arr.size, dtype=np.int8)
        toggles[real] = 1
        in_str = (np.cumsum(toggles, dtype=np.int32) + (1 if st.in_string else 0)) & 1
        mask = in_str.astype(bool)
        mask[real] = True  # the quote characters themselves are not structural
        delta = np.where(mask, 0, delta).astype(np.int8)
        st.in_string = (int(real.size) + st.in_string) % 2 == 1
    elif st.in_string:
        delta = np.zeros(arr.size, dtype=np.int8)
    depth = st.depth + np.cumsum(delta, dtype=np.int32)
    st.depth = int(depth[-1])
    tail = arr[::-1]
    non_bs = np.flatnonzero(tail != 0x5C)
    st.backslashes = int(non_bs[0]) if non_bs.size else st.backslashes + arr.size
    return depth, delta


class ValueTooLarge(Exception):
    """A top-level value grew past the byte limit; ``head`` holds what was read of it so far."""

    def __init__(self, head: bytes) -> None:
        super().__init__(f"top-level JSON value larger than {len(head)} bytes")
        self.head = head


def split_values(fp: BinaryIO, max_value_bytes: int, limit: int = MAX_JSON_DEPTH,
                 chunk_size: int = 1 << 18) -> Iterator[bytes]:
    """Yield the bytes of each top-level JSON value of ``fp`` (one document, or several concatenated).

    Lets a caller parse each value with a fast whole-value parser (orjson) while memory stays bounded by
    ``max_value_bytes``; past that, :class:`ValueTooLarge` carries the partial value so the caller can switch
    to a streaming parser. A truncated last value is yielded as is (its parser reports the cut). Raises
    :class:`JSONTooDeep` on hostile nesting.
    """
    st = _State()
    buf = bytearray()
    while True:
        chunk = fp.read(chunk_size)
        if not chunk:
            break
        depth, delta = _depths(chunk, st)
        if int(depth.max()) > limit:
            raise JSONTooDeep(f"JSON nested deeper than {limit} levels")
        start = 0
        for end in np.flatnonzero((delta < 0) & (depth == 0)).tolist():
            buf += chunk[start:end + 1]
            yield bytes(buf)
            buf.clear()
            start = end + 1
        buf += chunk[start:]
        if len(buf) > max_value_bytes:
            raise ValueTooLarge(bytes(buf))
    if bytes(buf).strip():
        yield bytes(buf)


class ChainedStream:
    """``head`` bytes followed by the rest of ``fp``, as one readable binary stream."""

    def __init__(self, head: bytes, fp: BinaryIO) -> None:
        self._head = head
        self._pos = 0
        self._fp = fp

    def read(self, size: int = -1) -> bytes:
        if self._pos < len(self._head):
            end = len(self._head) if size < 0 else min(len(self._head), self._pos + size)
            out = self._head[self._pos:end]
            self._pos = end
            return out
        return self._fp.read(size)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


def max_depth(data: bytes) -> int:
    """The deepest nesting of ``data`` (a whole or partial JSON text)."""
    st = _State()
    return max(_scan(data, st), 0)


class DepthGuard:
    """A read-only binary stream that raises :class:`JSONTooDeep` when nesting passes ``limit``."""

    def __init__(self, fp: BinaryIO, limit: int = MAX_JSON_DEPTH) -> None:
        self._fp = fp
        self._limit = limit
        self._st = _State()

    def read(self, size: int = -1) -> bytes:
        chunk = self._fp.read(size)
        if chunk and _scan(chunk, self._st) > self._limit:
            raise JSONTooDeep(f"JSON nested deeper than {self._limit} levels")
        return chunk

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False
