"""The one exception tree of vigil.

Library code raises these; only the CLI and the API boundary turn them into exit codes or JSON envelopes::

    VigilError                      every error vigil raises on purpose
     ├── UsageError                 the caller asked for something impossible (bad flag value, missing consent)
     ├── InputError                 an input as a whole cannot be read
     │    ├── UnknownFormatError    no reader recognises the file; lists the formats vigil knows
     │    └── RecordError           one record is malformed (file, line, reason) -> quarantined, reading goes on
     ├── StoreError                 the database cannot be opened, migrated or written
     ├── BrokerError                the message broker (Redis) cannot be reached, or refuses more messages
     ├── ModelError                 a model artifact is missing or cannot be loaded
     └── NotFoundError              a requested object (message, alert, user) does not exist

Messages say what, where, and what to do next.
"""

from __future__ import annotations

__all__ = [
    "BrokerError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "RecordError",
    "StoreError",
    "UnknownFormatError",
    "UsageError",
    "VigilError",
]


class VigilError(Exception):
    """Base class of every error vigil raises on purpose."""

    exit_code = 1


class UsageError(VigilError):
    """The caller asked for something that cannot be done as asked."""

    exit_code = 2


class InputError(VigilError):
    """An input (file, stream, URL) cannot be read as a whole."""


class UnknownFormatError(InputError):
    """No registered reader recognises the input."""

    def __init__(self, path: str, known: list[str], detail: str = "") -> None:
        self.path = path
        self.known = known
        hint = f" ({detail})" if detail else ""
        super().__init__(
            f"{path}: not a format vigil recognises{hint}. Known formats: {', '.join(known)}. "
            f"If you know the format, pass it with --format NAME (see `vigil formats`)."
        )


class RecordError(InputError):
    """One record of an input is malformed; it is quarantined and reading continues."""

    def __init__(self, reason: str, *, line: int | None = None, offset: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.offset = offset
        super().__init__(reason)


class StoreError(VigilError):
    """The store cannot be opened, migrated or written."""


class BrokerError(VigilError):
    """The message broker cannot be reached, or its stream stays full past the producer's patience."""


class ModelError(VigilError):
    """A model artifact is missing, corrupt or incompatible."""


class NotFoundError(VigilError):
    """The requested object does not exist."""

    exit_code = 1
