"""The ``vigil`` command line: thin commands over the library.

Each command parses its arguments, calls one library function and renders the result. Library errors
(:class:`~vigil.errors.VigilError`) become a one-line message on stderr and a non-zero exit, never a
traceback. Command groups live in their own modules and register on :data:`cli`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import VigilError

__all__ = ["cli", "load_commands", "main"]


class _VigilErrorExit(click.ClickException):
    """A library error rendered by click: ``error: <message>`` on stderr, the error's exit code."""

    def __init__(self, error: VigilError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # per-instance: each error kind has its own code

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class _Group(click.Group):
    """Converts library errors at the boundary, so every entry point (console script, tests) behaves alike."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VigilError as exc:
            raise _VigilErrorExit(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="vigil", prog_name="vigil")
def cli() -> None:
    """vigil: a crisis-message monitor.

    Reads posts, chats, feeds, news articles and voicemail transcripts (English and Arabic) into one store,
    and keeps watch over them.

    \b
    Example:
      vigil ingest examples/siege/data --db vigil.db
      vigil messages --search "goodbye" --limit 5
    """


def load_commands() -> None:
    """Import every command module of this package (``*_cmd.py`` / ``*_cmds.py``); each registers on ``cli``.

    Done by main(), not at import, so that `import vigil.cli` stays cheap and free of side effects.
    """
    package = Path(__file__).parent
    for path in sorted(package.glob("*_cmd*.py")):
        importlib.import_module(f"{__name__}.{path.stem}")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``vigil`` console script and ``python -m vigil``."""
    load_commands()
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="vigil")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `vigil messages | head`: the reader left, nothing to report
        sys.stderr.close()
        sys.exit(0)
