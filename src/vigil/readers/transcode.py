"""Read a file written in a legacy encoding as UTF-8, streaming.

Readers expect UTF-8 (it is what every API and export vigil knows writes). Older crisis datasets are not
always UTF-8: CrisisNLP's volunteer files, for one, hold Mac Roman / cp1252 bytes. ``vigil ingest --encoding
mac_roman`` decodes the file chunk by chunk (:class:`Transcoder`) into a temporary UTF-8 file and hands the
readers that, so detection (which peeks and seeks), line numbers and rejects work as for any other file, in
constant memory. Bytes the named encoding cannot decode are passed through unchanged: the record holding them
is quarantined by its reader, like any invalid text.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import UsageError

__all__ = ["Transcoder", "check_encoding", "transcoded"]

_CHUNK = 1024 * 1024


def check_encoding(name: str) -> str:
    """The codec's canonical name, or a :class:`UsageError` naming a few that exist."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"unknown encoding {name!r}; try utf-8, cp1252, mac_roman, latin-1 or cp1256 "
                         "(Arabic Windows)") from None


class Transcoder:
    """Decode ``source`` (in ``encoding``) chunk by chunk and yield its UTF-8 bytes."""

    def __init__(self, source: BinaryIO, encoding: str) -> None:
        self._source = source
        # surrogateescape both ways: a byte the codec cannot map comes out as itself (invalid UTF-8), to be
        # quarantined with its record rather than stop the whole file
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunk = self._source.read(_CHUNK)
            text = self._decoder.decode(chunk, final=not chunk)
            if text:
                yield text.encode("utf-8", "surrogateescape")
            if not chunk:
                return


def transcoded(source: BinaryIO, encoding: str) -> BinaryIO:
    """``source`` as a seekable UTF-8 file (a temporary one, deleted when closed; readers peek and seek)."""
    out = tempfile.TemporaryFile(prefix="vigil-utf8-")  # noqa: SIM115 - handed to the caller, who closes it
    for block in Transcoder(source, encoding):
        out.write(block)
    out.seek(0)
    return out
