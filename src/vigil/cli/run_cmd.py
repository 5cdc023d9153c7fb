"""``vigil run``: ingest sources (or the bundled demo) and summarise the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from ..demo import demo_data_dir
from ..ingest import ingest
from ..stages import default_stages
from ..store import open_store
from . import cli
from .options import db_option


@cli.command("run")
@click.argument("sources", nargs=-1, metavar="[SOURCES]...")
@db_option
@click.option("--demo", is_flag=True, help="Load the bundled siege scenario into a fresh database.")
def run_cmd(sources: tuple[str, ...], db: str, demo: bool) -> None:
    """Ingest SOURCES (files or folders), or the bundled demo, and print a summary of the store.

    With --demo the database is recreated from scratch so the run is repeatable.

    \b
    Example:
      vigil run --demo --db vigil.db
      vigil run examples/siege/data/x_v2
    """
    if not sources and not demo:
        raise click.UsageError("give SOURCES to ingest, or --demo for the bundled scenario")
    paths = [str(demo_data_dir())] if demo else list(sources)
    if demo and "://" not in db:
        for suffix in ("", "-wal", "-shm"):
            if Path(db + suffix).exists():
                os.remove(db + suffix)
    with open_store(db) as store:
        report = ingest(paths, store, stages=default_stages())
        stats = store.stats()
    console = Console()
    console.print(f"[bold]vigil[/bold]: ingested {', '.join(paths)} into {db}")
    console.print(f"read {report.read}: stored {report.stored}, duplicates {report.duplicates}, "
                  f"rejected {report.rejected}")
    console.print(_summary_table(stats))


def _summary_table(stats: dict[str, Any]) -> Table:
    table = Table(title="store summary", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("messages", str(stats["messages"]))
    table.add_row("  of which documents (articles, feed items)", str(stats["documents"]))
    table.add_row("authors", str(stats["authors"]))
    for name, n in stats["by_format"].items():
        table.add_row(f"format {name}", str(n))
    for name, n in stats["by_lang"].items():
        table.add_row(f"language {name}", str(n))
    table.add_row("rejected records", str(stats["rejects"]))
    table.add_row("first message", str(stats["first"] or "-"))
    table.add_row("last message", str(stats["last"] or "-"))
    return table
