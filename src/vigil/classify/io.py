"""Reading the messages to classify from a file: plain lines or any format vigil's readers know."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from ..message import Message, Reject
from ..readers import open_binary as _open_binary
from ..readers import read_stream

__all__ = ["load_messages"]


def load_messages(path: str, fmt: str = "auto") -> tuple[list[Message], int]:
    """Messages of ``path`` (``-`` is stdin) in file order, and how many records were unreadable.

    ``fmt="lines"`` treats every non-empty line as one text (ids ``line:N``); otherwise the named reader, or the
    detected one for ``auto``, produces the messages with their usual ids.

    Raises:
        InputError: the file cannot be opened or its format is unknown.
    """
    with _open_binary(path) as fp:
        if fmt == "lines":
            when = datetime(1970, 1, 1, tzinfo=UTC)
            text = io.TextIOWrapper(fp, encoding="utf-8", errors="replace")
            out = [Message(id=f"line:{n}", source="line", format="lines", native_id=str(n), created_at=when,
                           text=line.strip()) for n, line in enumerate(text, start=1) if line.strip()]
            return out, 0
        _, records = read_stream(fp, path, fmt=fmt)
        messages: list[Message] = []
        rejected = 0
        for rec in records:
            if isinstance(rec, Reject):
                rejected += 1
            else:
                messages.append(rec)
        return messages, rejected
