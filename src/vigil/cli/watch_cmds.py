"""``vigil watch ...`` (the watch-list and the watcher loop), ``vigil silence`` and ``vigil alerts``."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import click
import orjson
from rich.console import Console
from rich.table import Table

from ..store import open_store
from ..watch.silence import SilenceReport, evaluate_silence
from ..watch.watchlist import (
    add_watch,
    format_utc_offset,
    import_watchlist,
    list_watched,
    parse_utc_offset,
    remove_watch,
    set_area_offset,
)
from . import cli
from .options import TIME, db_option, json_option


def _offset(value: str | None) -> int | None:
    return None if value is None else parse_utc_offset(value)


def _echo_json(value: Any) -> None:
    click.echo(orjson.dumps(value).decode())


@cli.group("watch")
def watch() -> None:
    """The watch-list (people watched for silence, with consent) and the watcher loop.

    \b
    Example:
      vigil watch add @rami_bustan --area "Al-Bustan" --consent "sister, by phone, 2025-01-26"
      vigil watch import examples/siege/watchlist.csv --utc-offset +03:00
      vigil watch list
    """


@watch.command("add")
@click.argument("account")
@click.option("--area", required=True, help="The person's area (district); outages are grouped by it.")
@click.option("--consent", default="", help="Who consented, how and when (required).")
@click.option("--note", default="", help="Free text for the people running the watch.")
@click.option("--person", default=None, help="Group this handle with the other handles of this person.")
@click.option("--by", default=None, help="Who is adding it (default: $VIGIL_USER or the OS user).")
@click.option("--utc-offset", default=None, metavar="+HH:MM", help="Local time of the area, e.g. +03:00.")
@db_option
def watch_add(account: str, area: str, consent: str, note: str, person: str | None, by: str | None,
              utc_offset: str | None, db: str) -> None:
    """Watch ACCOUNT (any handle, any source) for silence. Refused without --consent.

    \b
    Example:
      vigil watch add @rami_bustan --area "Al-Bustan" --consent "sister, by phone, 2025-01-26"
      vigil watch add @dana@qasr.social --person dana_writes_qn --area "Tal al-Zaytun" --consent "self"
    """
    with open_store(db) as store:
        p = add_watch(store, account, area=area, consent=consent, note=note, person=person, by=by,
                      utc_offset=_offset(utc_offset))
    click.echo(f"watching {', '.join('@' + h.handle for h in p.handles)} ({p.name}, {p.area})")


@watch.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--by", default=None, help="Who is adding them (default: $VIGIL_USER or the OS user).")
@click.option("--utc-offset", default=None, metavar="+HH:MM", help="Local time of the areas, unless a row says.")
@db_option
@json_option
def watch_import(file: str, by: str | None, utc_offset: str | None, db: str, as_json: bool) -> None:
    """Add every row of a CSV file (columns account,area,consent[,note][,person][,utc_offset]).

    A row without consent refuses the whole file. Rows noted "same person as @handle" join that person.

    \b
    Example:
      vigil watch import examples/siege/watchlist.csv --utc-offset +03:00
    """
    with open_store(db) as store:
        report = import_watchlist(store, file, by=by, utc_offset=_offset(utc_offset))
    if as_json:
        _echo_json({"rows": report.rows, "added": report.added, "updated": report.updated})
    else:
        click.echo(f"{report.rows} rows: {report.added} added, {report.updated} updated")


@watch.command("list")
@click.option("--area", default=None, help="Only this area.")
@db_option
@json_option
def watch_list(area: str | None, db: str, as_json: bool) -> None:
    """List watched people, their handles and the consent each was added on (sensitive).

    \b
    Example:
      vigil watch list --area "Al-Bustan" --json
    """
    with open_store(db, must_exist=True) as store:
        people = list_watched(store, area=area)
    if as_json:
        _echo_json({"sensitive": True, "people": [p.to_dict() for p in people]})
        return
    table = Table(title=f"watch-list ({len(people)} people) - sensitive", header_style="bold")
    for col in ("person", "area", "handles", "consent", "added by"):
        table.add_column(col)
    for p in people:
        table.add_row(p.name, p.area, " ".join("@" + h.handle for h in p.handles),
                      "; ".join(dict.fromkeys(h.consent for h in p.handles)),
                      ", ".join(dict.fromkeys(h.added_by for h in p.handles)))
    Console().print(table)


@watch.command("remove")
@click.argument("account")
@db_option
def watch_remove(account: str, db: str) -> None:
    """Stop watching ACCOUNT (a person left without handles is removed).

    \b
    Example:
      vigil watch remove @rami_bustan
    """
    with open_store(db) as store:
        remove_watch(store, account)
    click.echo(f"no longer watching @{account.lstrip('@').lower()}")


@watch.command("area")
@click.argument("area")
@click.option("--utc-offset", required=True, metavar="+HH:MM", help="Local time of the area, e.g. +03:00.")
@db_option
def watch_area(area: str, utc_offset: str, db: str) -> None:
    """Set the local time of AREA (rhythms are learned in local time).

    \b
    Example:
      vigil watch area "Al-Bustan" --utc-offset +03:00
    """
    minutes = parse_utc_offset(utc_offset)
    with open_store(db) as store:
        set_area_offset(store, area, minutes)
    click.echo(f"{area}: UTC{format_utc_offset(minutes)}")


@cli.command("silence")
@db_option
@click.option("--at", "at", type=TIME, default=None, metavar="ISO8601",
              help="Evaluate as of this time, ignoring later messages (default: now).")
@click.option("--area", default=None, help="Only this area.")
@click.option("--alarm-rate", type=click.FloatRange(min=0.001, max=100.0), default=None,
              help="Prior incidents per account-month; higher alarms sooner (default 0.3).")
@json_option
def silence_cmd(db: str, at: datetime | None, area: str | None, alarm_rate: float | None, as_json: bool) -> None:
    """Who on the watch-list is unusually silent at a time, against their own rhythm; which areas are dark.

    Output is sensitive: it names people at risk.

    \b
    Example:
      vigil silence --at 2025-02-09T14:00:00Z
      vigil silence --json | jq '.accounts[] | select(.status == "overdue")'
    """
    kwargs: dict[str, Any] = {"at": at, "area": area}
    if alarm_rate is not None:
        kwargs["alarm_rate"] = alarm_rate
    with open_store(db, must_exist=True) as store:
        report = evaluate_silence(store, **kwargs)
    if as_json:
        _echo_json(report.to_dict())
    else:
        _print_silence(report)


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds / 86400:.1f} d" if seconds >= 2 * 86400 else f"{seconds / 3600:.1f} h"


def _print_silence(report: SilenceReport) -> None:
    console = Console()
    table = Table(title=f"silence at {report.at} (sensitive)", header_style="bold")
    for col, just in (("account", "left"), ("area", "left"), ("status", "left"), ("last seen", "left"),
                      ("silent", "right"), ("usual gap", "right"), ("score", "right"), ("note", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for a in report.accounts:
        status = "[bold red]overdue[/]" if a.status == "overdue" else "ok"
        notes = [n for n in (f"outage {a.outage}" if a.outage else "", "cold start" if a.cold_start else "",
                             "never seen" if a.last_seen is None else "") if n]
        table.add_row("@" + a.account, a.area, status, (a.last_seen or "-")[:16].replace("T", " "),
                      _hours(a.silent_for_s), _hours(a.expected_gap_s), f"{a.score:.2f}", ", ".join(notes))
    console.print(table)
    for o in report.outages:
        console.print(f"[bold red]outage[/] {o.area} since {o.since[:16].replace('T', ' ')}: "
                      f"{len(o.accounts)} accounts silent ({', '.join('@' + a for a in o.accounts)})")
    if not report.outages:
        console.print("no area-wide outage")


_DURATION = {"s": 1, "m": 60, "h": 3600}


def _seconds(text: str) -> float:
    unit = text[-1:].lower()
    try:
        seconds = float(text[:-1]) * _DURATION[unit] if unit in _DURATION else float(text)
    except ValueError:
        seconds = math.nan
    # 0s would spin the loop on a live database, and nan/inf or a negative time are typos
    if not math.isfinite(seconds) or seconds <= 0:
        raise click.BadParameter(f"{text!r} is not a positive duration; write 60s, 5m or 1h", param_hint="--every")
    return seconds


@watch.command("run")
@db_option
@click.option("--every", default="60s", show_default=True, help="Time between runs: 30s, 5m, 1h.")
@click.option("--iterations", type=click.IntRange(min=1), default=None, help="Stop after this many runs.")
@click.option("--watcher", "watchers", multiple=True, help="Only these watchers (default: all registered).")
@click.option("--sink", "sinks", multiple=True, default=("stdout",), show_default=True,
              help="Where alerts go: stdout, file:PATH or webhook:URL (repeatable).")
@click.option("--secret-env", default="VIGIL_WEBHOOK_SECRET", show_default=True,
              help="Environment variable holding the webhook HMAC secret.")
def watch_run(db: str, every: str, iterations: int | None, watchers: tuple[str, ...], sinks: tuple[str, ...],
              secret_env: str) -> None:
    """Run the watchers continuously against a live database; new alerts go to the sinks as JSON lines.

    \b
    Example:
      vigil watch run --every 60s --sink file:alerts.jsonl --sink webhook:https://ops.example/hook
      vigil watch run --iterations 1
    """
    import os

    from ..watch.sinks import parse_sink
    from ..watch.watchers import WATCHERS, RunReport, watch_loop

    unknown = [w for w in watchers if w not in WATCHERS]
    if unknown:
        raise click.BadParameter(f"unknown watcher(s) {', '.join(unknown)}; known: {', '.join(WATCHERS)}",
                                 param_hint="--watcher")
    secret = os.environ.get(secret_env)
    targets = [parse_sink(s, secret=secret) for s in sinks]
    seconds = _seconds(every)
    def report(run: RunReport) -> None:
        for name, error in run.failures.items():
            click.echo(f"watcher {name} failed: {error}", err=True)

    with open_store(db) as store:
        watch_loop(store, every=seconds, iterations=iterations, watchers=list(watchers) or None, sinks=targets,
                   on_run=report)


@cli.command("alerts")
@db_option
@click.option("--state", type=click.Choice(["open", "closed"]), default=None, help="Only open or closed alerts.")
@click.option("--kind", default=None, help="Only this kind (silence, outage, silence.back ...).")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@json_option
def alerts_cmd(db: str, state: str | None, kind: str | None, limit: int, as_json: bool) -> None:
    """Alerts raised by the watchers, newest first (sensitive: they name watched people).

    \b
    Example:
      vigil alerts --state open
      vigil alerts --json --kind outage
    """
    from ..watch.alerts import list_alerts

    with open_store(db, must_exist=True) as store:
        alerts = list_alerts(store, state=state, kind=kind, limit=limit)
    if as_json:
        _echo_json({"alerts": [a.to_dict() for a in alerts]})
        return
    table = Table(title=f"alerts ({len(alerts)})", header_style="bold")
    for col in ("id", "created", "kind", "severity", "subject", "state", "watcher"):
        table.add_column(col)
    for a in alerts:
        table.add_row(str(a.alert_id), a.created_at[:16].replace("T", " "), a.kind, a.severity, a.subject, a.state,
                      a.watcher)
    Console().print(table)


@cli.command("trends")
@click.option("--phrase", "phrases", multiple=True, required=True, help="A phrase to count (repeatable).")
@click.option("--bucket", type=click.Choice(["1h", "1d"]), default="1h", show_default=True)
@click.option("--since", type=TIME, default=None, help="Only messages from this time.")
@click.option("--until", type=TIME, default=None, help="Only messages up to this time.")
@db_option
@json_option
def trends_cmd(phrases: tuple[str, ...], bucket: str, since: datetime | None, until: datetime | None, db: str,
               as_json: bool) -> None:
    """Count phrases per hour or day (case, punctuation, hashtags and Arabic spelling variants folded).

    Copies (retweets, forwards) are in the counts; originals are counted apart.

    \b
    Example:
      vigil trends --phrase "goodbye to Qasr al-Nahr" --phrase "goodbye forever from Qasr al-Nahr" --bucket 1d
      vigil trends --phrase "#GoodbyeQasr" --json
    """
    from ..watch.trends import phrase_trends

    with open_store(db, must_exist=True) as store:
        report = phrase_trends(store, phrases, bucket=bucket, since=since, until=until)
    if as_json:
        _echo_json(report.to_dict())
        return
    table = Table(title=f"phrases per {bucket}", header_style="bold")
    table.add_column("start")
    for p in report.phrases:
        table.add_column(f"{p} (originals)", justify="right")
    for item in report.series:
        cells = [f"{item['counts'][p]} ({item['originals'][p]}) {item['shares'][p]:.0%}" for p in report.phrases]
        table.add_row(item["start"][:16].replace("T", " "), *cells)
    Console().print(table)
