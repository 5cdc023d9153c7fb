"""``vigil worker``, ``vigil publish``, ``vigil dead-letters``: the Redis Streams transport from the command line."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import click
import orjson

from ..broker import BrokerConfig, Worker, dead_letters, publish_paths, requeue_dead_letter, stream_info
from ..broker.streams import DEFAULT_STREAM, connect
from ..readers import READERS
from ..store import open_store
from . import cli
from .ingest_cmds import resolve_stages
from .options import db_option

F = TypeVar("F", bound=Callable[..., Any])
_DEFAULTS = BrokerConfig()


def _broker_options(fn: F) -> F:
    """``--broker`` (env VIGIL_BROKER), ``--stream`` and ``--group``, shared by the transport commands."""
    fn = click.option("--group", default=_DEFAULTS.group, show_default=True, help="Consumer group of the workers.")(fn)
    fn = click.option("--stream", default=DEFAULT_STREAM, show_default=True, help="Redis stream key.")(fn)
    return click.option("--broker", envvar="VIGIL_BROKER", required=True, metavar="URL",
                        help="Redis URL, e.g. redis://127.0.0.1:6379/0; env VIGIL_BROKER.")(fn)


@cli.command("worker")
@_broker_options
@db_option
@click.option("--stages", "stage_spec", default="default", show_default=True, metavar="default|none|A,B",
              help="Enrichment stages to run before storing.")
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Entries read, stored and acknowledged together.")
@click.option("--claim-idle", type=click.FloatRange(min=0), default=_DEFAULTS.claim_idle_ms / 1000,
              show_default=True, metavar="SECONDS",
              help="Claim entries a worker has held unacknowledged this long (it died). Above your slowest batch.")
@click.option("--max-message-bytes", type=click.IntRange(min=1024), default=_DEFAULTS.max_message_bytes,
              show_default=True, help="Larger entries go to the dead-letter stream.")
@click.option("--name", "consumer", default=None, help="Consumer name in the group (default: host-pid).")
@click.option("--exit-when-idle", is_flag=True, help="Stop once the stream is drained (batch jobs, benchmarks).")
@click.option("--json", "as_json", is_flag=True, help="Print the final counts as one JSON object.")
@click.option("-v", "--verbose", is_flag=True, help="Log claims, retries and dead letters as they happen.")
def worker_cmd(broker: str, stream: str, group: str, db: str, stage_spec: str, batch_size: int, claim_idle: float,
               max_message_bytes: int, consumer: str | None, exit_when_idle: bool, as_json: bool,
               verbose: bool) -> None:
    """Consume the stream, enrich, store, and acknowledge after the store committed.

    Run as many as you like, on any machines, against one PostgreSQL: entries of a worker that dies are
    claimed by the others after --claim-idle; writes are idempotent, so nothing is stored twice. Poison
    messages go to the dead-letter stream (see `vigil dead-letters`). SIGTERM finishes the batch in hand.

    \b
    Example:
      vigil worker --broker redis://10.0.0.5:6379/0 --db postgresql://vigil@10.0.0.6/vigil
      vigil worker --broker redis://127.0.0.1:6379/0 --db vigil.db --stages none --exit-when-idle
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stages = resolve_stages(stage_spec)
    config = BrokerConfig(stream=stream, group=group, claim_idle_ms=int(claim_idle * 1000),
                          max_message_bytes=max_message_bytes)
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():  # SIGTERM: finish the batch in hand, then exit
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        with open_store(db) as store:
            worker = Worker(broker, store, config, consumer=consumer, stages=stages, batch_size=batch_size)
            logging.getLogger("vigil.broker").info("worker %s consuming %s (group %s) into %s", worker.consumer,
                                                   stream, group, db)
            report = worker.run(stop, exit_when_idle=exit_when_idle)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if as_json:
        click.echo(orjson.dumps(report.to_dict()).decode())
    else:
        click.echo(f"worker {worker.consumer}: {report.entries} entries, stored {report.stored}, duplicates "
                   f"{report.duplicates}, rejects {report.rejects}, dead-lettered {report.dead_lettered}, "
                   f"claimed {report.claimed}")


@cli.command("publish")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@_broker_options
@click.option("--format", "fmt", default="auto", show_default=True, metavar="auto|NAME",
              help="Input format; `auto` detects it from the content (see `vigil formats`).")
@click.option("--source", default=None, help="Source name used in message ids (default: per format).")
@click.option("--policy", type=click.Choice(["block", "spill"]), default="block", show_default=True,
              help="When the stream is full: block (wait for workers) or spill (to --spill, drained later).")
@click.option("--spill", "spill_path", default=None, metavar="FILE", help="Spill file for --policy spill.")
@click.option("--block-timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Give up (exit 1, nothing dropped) after waiting this long for room. Default: wait.")
@click.option("--max-backlog", type=click.IntRange(min=1), default=_DEFAULTS.max_backlog, show_default=True,
              help="Bound on unacknowledged entries in the stream.")
@click.option("--max-message-bytes", type=click.IntRange(min=1024), default=_DEFAULTS.max_message_bytes,
              show_default=True, help="Larger messages are quarantined as rejects instead.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object with the counts.")
def publish_cmd(paths: tuple[str, ...], broker: str, stream: str, group: str, fmt: str, source: str | None,
                policy: str, spill_path: str | None, block_timeout: float | None, max_backlog: int,
                max_message_bytes: int, as_json: bool) -> None:
    """Read files, directories or stdin (-) and publish every record to the Redis stream for workers.

    Reads exactly like `vigil ingest`; `vigil worker` processes run the stages and store. Publishing the same
    input twice stores nothing twice.

    \b
    Example:
      vigil publish examples/siege/data --broker redis://127.0.0.1:6379/0
      tail -F feed.jsonl | vigil publish - --format twitter-v2 --policy spill --spill /var/lib/vigil/spill
    """
    if fmt != "auto" and fmt not in READERS:
        raise click.BadParameter(f"unknown format {fmt!r}; known: auto, {', '.join(READERS)}", param_hint="--format")
    config = BrokerConfig(stream=stream, group=group, max_backlog=max_backlog, max_message_bytes=max_message_bytes)
    report = publish_paths(list(paths), broker, fmt=fmt, source=source, config=config,
                           policy="spill" if policy == "spill" else "block", spill_path=spill_path,
                           block_timeout=block_timeout)
    if as_json:
        click.echo(orjson.dumps(report.to_dict()).decode())
        return
    formats = ", ".join(f"{k} {v}" for k, v in report.by_format.most_common()) or "none"
    click.echo(f"read {report.read}: published {report.published} to {stream} ({report.messages} messages, "
               f"{report.rejects} rejects, {report.oversized} oversized -> rejects; {formats})")
    if report.waited_s >= 1:
        click.echo(f"  waited {report.waited_s:.1f}s for workers to make room (max backlog {max_backlog})", err=True)


@cli.command("dead-letters")
@_broker_options
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--requeue", "requeue_id", default=None, metavar="ENTRY_ID",
              help="Put this dead letter back on the stream (after fixing its cause).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per dead letter per line.")
def dead_letters_cmd(broker: str, stream: str, group: str, limit: int, requeue_id: str | None, as_json: bool) -> None:
    """Show poison messages moved to the dead-letter stream, with their error; or requeue one.

    \b
    Example:
      vigil dead-letters --broker redis://127.0.0.1:6379/0
      vigil dead-letters --broker redis://127.0.0.1:6379/0 --requeue 1718000000000-0
    """
    config = BrokerConfig(stream=stream, group=group)
    client = connect(broker)
    try:
        if requeue_id is not None:
            new_id = requeue_dead_letter(client, config, requeue_id)
            click.echo(f"requeued {requeue_id} as {new_id} on {stream}")
            return
        letters = dead_letters(client, config, limit=limit)
        if as_json:
            for d in letters:
                click.echo(orjson.dumps(d.to_dict()).decode())
            return
        info = stream_info(client, config)
        pending = sum(g["pending"] for g in info["groups"])
        click.echo(f"{stream}: {info['length']} entries, {pending} pending, {info['dead_letters']} dead letters")
        for d in letters:
            click.echo(f"{d.entry_id}  {d.message_id or '?'}  crashes={d.crashes}  {d.error}")
    finally:
        client.close()

