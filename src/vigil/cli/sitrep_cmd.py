"""``vigil sitrep``: a situation report over files or the store."""

from __future__ import annotations

from datetime import datetime

import click

from ..sitrep import render, sitrep_from_paths, sitrep_from_store
from ..store import open_store
from . import cli
from .options import TIME


@cli.command("sitrep")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--db", envvar="VIGIL_DB", default=None, metavar="PATH|URL",
              help="Report over this database instead of files (env VIGIL_DB is used when no PATH is given).")
@click.option("--since", type=TIME, help="Only messages published at or after this time (ISO-8601).")
@click.option("--until", type=TIME, help="Only messages published at or before this time (ISO-8601).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True,
              help="Markdown to paste into a sitrep, a standalone HTML page, or the JSON claims/conflicts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
def sitrep_cmd(paths: tuple[str, ...], db: str | None, since: datetime | None, until: datetime | None, fmt: str,
               output: str | None) -> None:
    """Report the claims of a period: figures with their sources, statuses, quotes and conflicts side by side.

    Reads PATHs (articles, feeds, transcripts, posts; folders recursively) or, without PATH, the store.

    \b
    Example:
      vigil sitrep examples/siege/data/articles --format md
      vigil sitrep --db vigil.db --since 2025-02-03 --until 2025-02-06 --format html -o sitrep.html
    """
    if paths and db:
        raise click.UsageError("give PATHs or --db, not both")
    if paths:
        report = sitrep_from_paths(list(paths), since=since, until=until)
    else:
        from ..store import DEFAULT_DB

        with open_store(db or DEFAULT_DB, must_exist=True) as store:
            report = sitrep_from_store(store, since=since, until=until)
    text = render(report, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
