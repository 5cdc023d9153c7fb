"""``vigil ingest``, ``vigil messages``, ``vigil rejects``, ``vigil formats``."""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from typing import Any

import click
import orjson

from ..ingest import IngestReport, ingest
from ..message import Message
from ..readers import READERS
from ..readers.transcode import check_encoding
from ..stages import STAGES, default_stages, load_builtin_stages
from ..store import MessageQuery, open_store
from . import cli
from .options import TIME, db_option


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@click.option("--format", "fmt", default="auto", show_default=True, metavar="auto|NAME",
              help="Input format; `auto` detects it from the content (see `vigil formats`).")
@click.option("--source", default=None, help="Source name used in message ids (default: per format, e.g. x).")
@click.option("--stages", "stage_spec", default="default", show_default=True, metavar="default|none|A,B",
              help="Enrichment stages to run before storing: the default pipeline, none, or named stages.")
@click.option("--encoding", default=None, metavar="NAME",
              help="The inputs' text encoding when not UTF-8 (e.g. mac_roman, cp1252, cp1256); line numbers stay.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object with the counts.")
def ingest_cmd(paths: tuple[str, ...], db: str, fmt: str, source: str | None, stage_spec: str, encoding: str | None,
               as_json: bool) -> None:
    """Read files, directories or stdin (-) into the store.

    Bad records are quarantined (see `vigil rejects`), good ones around them kept; re-ingesting the same
    input stores nothing twice.

    \b
    Example:
      vigil ingest examples/siege/data --db vigil.db
      cat tweets.jsonl | vigil ingest - --format twitter-v2 --json
      vigil ingest old_volunteers.csv --encoding mac_roman
    """
    if encoding is not None:
        encoding = check_encoding(encoding)
    if fmt != "auto" and fmt not in READERS:
        raise click.BadParameter(f"unknown format {fmt!r}; known: auto, {', '.join(READERS)}", param_hint="--format")
    stages = resolve_stages(stage_spec)
    with open_store(db) as store:
        if sys.stderr.isatty() and not as_json:
            report = _ingest_with_progress(list(paths), store, fmt, source, stages, encoding)
        else:
            report = ingest(list(paths), store, fmt=fmt, source=source, stages=stages, encoding=encoding)
    if as_json:
        click.echo(orjson.dumps(report.to_dict()).decode())
    else:
        _print_report(report)


def resolve_stages(spec: str) -> list[str]:
    """``default`` -> the default pipeline, ``none`` -> no stages, else a comma-separated list of names."""
    if spec == "default":
        return default_stages()
    if spec == "none":
        return []
    load_builtin_stages()
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        raise click.BadParameter(f"unknown stage(s) {', '.join(unknown)}; known: {', '.join(STAGES) or 'none'}",
                                 param_hint="--stages")
    return names


def _ingest_with_progress(paths: list[str], store: Any, fmt: str, source: str | None,
                          stages: list[str], encoding: str | None) -> IngestReport:
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name[-40:], total=total)
            bar.update(tasks[name], completed=done)

        return ingest(paths, store, fmt=fmt, source=source, stages=stages, progress=progress, encoding=encoding)


def _print_report(report: IngestReport) -> None:
    formats = ", ".join(f"{k} {v}" for k, v in report.by_format.most_common()) or "none"
    click.echo(f"read {report.read}: stored {report.stored}, duplicates {report.duplicates}, "
               f"rejected {report.rejected} ({formats})")
    for r in report.rejects[:10]:
        where = f"{r.file}:{r.line}" if r.line else r.file
        click.echo(f"  rejected {where}: {r.reason}", err=True)
    if report.rejected > 10:
        click.echo(f"  ... {report.rejected - 10} more; see `vigil rejects`", err=True)


_CSV_FIELDS = ["id", "source", "format", "native_id", "author", "author_name", "created_at", "lang", "title", "text",
               "url", "reply_to", "retweet_of", "quote_of", "forward_of"]


@cli.command("messages")
@db_option
@click.option("--author", help="Only this author (handle, case-insensitive).")
@click.option("--since", type=TIME, help="Only messages created at or after this time (ISO-8601).")
@click.option("--until", type=TIME, help="Only messages created at or before this time (ISO-8601).")
@click.option("--search", help="Full-text search (Arabic and English; diacritics and letter variants folded).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many messages.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message per line (JSONL).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
def messages_cmd(db: str, author: str | None, since: datetime | None, until: datetime | None, search: str | None,
                 limit: int | None, as_json: bool, as_csv: bool) -> None:
    """List stored messages, oldest first.

    \b
    Example:
      vigil messages --search "goodbye forever" --limit 20
      vigil messages --author nour_qn --since 2025-02-05 --json
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    query = MessageQuery(author=author, since=since, until=until, search=search, limit=limit)
    out = sys.stdout
    with open_store(db, must_exist=True) as store:
        if as_csv:
            writer = csv.DictWriter(out, fieldnames=[*_CSV_FIELDS, "labels"], extrasaction="ignore")
            writer.writeheader()
            for m in store.messages(query):
                row = m.to_dict()
                row["labels"] = orjson.dumps(row["labels"]).decode()
                writer.writerow(row)
            return
        for m in store.messages(query):
            if as_json:
                out.write(orjson.dumps(m.to_dict()).decode() + "\n")
            else:
                out.write(_line(m) + "\n")


def _line(m: Message) -> str:
    when = m.created_at.strftime("%Y-%m-%d %H:%M")
    body = (f"[{m.title}] " if m.title else "") + m.text.replace("\n", " ")
    if len(body) > 140:
        body = body[:139] + "…"
    return f"{when}  {m.source}:@{m.author or '-'}  {body}"


@cli.command("rejects")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per reject per line.")
def rejects_cmd(db: str, limit: int, as_json: bool) -> None:
    """Show quarantined records: file, line, reason and the start of the raw bytes.

    \b
    Example:
      vigil rejects --json
    """
    with open_store(db, must_exist=True) as store:
        for r in store.rejects(limit=limit):
            if as_json:
                click.echo(orjson.dumps({"file": r.file, "line": r.line, "offset": r.offset, "format": r.format,
                                         "reason": r.reason, "raw": r.raw[:500].decode("utf-8", "replace")}).decode())
            else:
                where = f"{r.file}:{r.line}" if r.line else r.file
                click.echo(f"{where}: {r.reason}")


@cli.command("formats")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of {name, description}.")
def formats_cmd(as_json: bool) -> None:
    """List the input formats vigil reads (names accepted by --format).

    \b
    Example:
      vigil formats
      vigil formats --json
    """
    if as_json:
        click.echo(orjson.dumps([{"name": s.name, "description": s.description} for s in READERS.values()]).decode())
        return
    width = max(len(n) for n in READERS)
    for spec in READERS.values():
        click.echo(f"{spec.name.ljust(width)}  {spec.description}")
