"""``vigil run``: follow sources live (or replay the bundled demo) and serve the API and dashboard."""

from __future__ import annotations

import click

from ..serve.run import DEFAULT_SPEED, plan_run, serve
from ..serve.settings import Settings
from . import cli
from .options import db_option


@cli.command("run")
@click.argument("sources", nargs=-1, metavar="[SOURCES]...")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar="VIGIL_HOST",
              help="Address to listen on; anything but loopback needs an admin user (env VIGIL_HOST).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), envvar="VIGIL_PORT",
              help="Port (env VIGIL_PORT).")
@click.option("--demo", is_flag=True, help="Replay the bundled siege scenario into a fresh database.")
@click.option("--speed", default=DEFAULT_SPEED, show_default=True, type=float,
              help="Demo speed: scenario seconds per second (3600 = one hour per second).")
@click.option("--broker", envvar="VIGIL_BROKER", default=None, metavar="redis://...",
              help="Publish followed records to this Redis stream for `vigil worker` processes instead of storing "
                   "them here (env VIGIL_BROKER).")
@click.option("--spill", default=None, metavar="PATH", help="With --broker: file that holds records while the stream "
              "is full (default: next to the database).")
def run_cmd(sources: tuple[str, ...], db: str, host: str, port: int, demo: bool, speed: float, broker: str | None,
            spill: str | None) -> None:
    """Follow SOURCES live and serve the API and dashboard; Ctrl-C stops cleanly with nothing lost.

    SOURCES are growing JSON/JSONL files, folders (new files are picked up) and RSS/Atom URLs. Every new
    message runs through all enrichment stages and watchers and is stored; alerts appear on the dashboard.
    Messages can also be pushed to POST /api/ingest. With --demo the bundled scenario is replayed at
    accelerated speed into a fresh database, with a one-time admin login printed below the URL.

    \b
    Example:
      vigil run --demo
      vigil run data/stream.jsonl inbox/ https://example.org/feed.rss --db live.db
      vigil run --host 0.0.0.0 --port 8080     # needs an admin: vigil user add NAME --role admin
      vigil run feeds/ --broker redis://10.0.0.5:6379 --db postgresql://vigil@db/vigil
    """
    settings = Settings.load(host=host, port=port)
    plan = plan_run(db, list(sources), settings=settings, demo=demo, speed=speed, broker=broker, spill=spill)
    click.echo(f"vigil: serving {db} at {plan.url}")
    for note in plan.notes:
        click.echo(f"  {note}")
    click.echo("  Ctrl-C to stop", err=True)
    serve(plan)
