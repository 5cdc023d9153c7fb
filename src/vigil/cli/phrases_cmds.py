"""``vigil phrases`` (competing phrasings), ``vigil bursts`` (terms whose rate jumps) and ``vigil clusters``
(near-duplicates: one message forwarded N times)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click
import orjson
from rich.console import Console
from rich.table import Table

from ..store import open_store
from . import cli
from .options import TIME, db_option, json_option


def _echo_json(value: Any) -> None:
    click.echo(orjson.dumps(value).decode())


def _when(ts: str | None) -> str:
    return (ts or "-")[:16].replace("T", " ")


@cli.command("phrases")
@db_option
@click.option("--since", type=TIME, default=None, help="Only messages from this time.")
@click.option("--until", type=TIME, default=None, help="Only messages up to this time.")
@click.option("--min-count", type=click.IntRange(min=2), default=5, show_default=True,
              help="Original messages a phrasing needs to count as a variant.")
@click.option("--bucket", type=click.Choice(["1h", "6h", "1d"]), default="1d", show_default=True,
              help="Step of each family's counts series.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many families.")
@json_option
def phrases_cmd(db: str, since: datetime | None, until: datetime | None, min_count: int, bucket: str, limit: int,
                as_json: bool) -> None:
    """Families of competing phrasings: which variant rises, which falls, and who used each first.

    Phrases that share a frame and differ in a slot ("goodbye to X" / "goodbye forever from X") are found
    automatically in English and Arabic, over original posts (copies are counted apart).

    \b
    Example:
      vigil phrases --min-count 5
      vigil phrases --since 2025-02-07T00:00:00Z --json | jq '.families[0].variants'
    """
    from ..watch.phrases import phrase_families

    with open_store(db, must_exist=True) as store:
        report = phrase_families(store, since=since, until=until, min_count=min_count, bucket=bucket, limit=limit)
    if as_json:
        _echo_json(report.to_dict())
        return
    console = Console()
    if not report.families:
        console.print(f"no phrase family with at least {min_count} uses per variant "
                      f"({report.originals_scanned} original messages scanned)")
        return
    for family in report.families:
        table = Table(title=f"{family.frame}  ({family.volume} uses, competition {family.competition:.2f})",
                      header_style="bold", title_justify="left")
        for col, just in (("variant", "left"), ("originals", "right"), ("copies", "right"), ("trend", "left"),
                          ("share first→last", "right"), ("first seen", "left"), ("first by", "left")):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for v in family.variants:
            arrow = {"rising": "[green]rising[/]", "falling": "[red]falling[/]"}.get(v.trend, "steady")
            table.add_row(v.phrase, str(v.originals), str(v.count - v.originals), arrow,
                          f"{v.share_first:.0%} → {v.share_last:.0%}", _when(v.first_seen),
                          f"@{v.first_author} ({v.first_source})" if v.first_author else (v.first_source or "-"))
        console.print(table)


@cli.command("bursts")
@db_option
@click.option("--since", type=TIME, default=None, help="Start of the window (also the history rates are measured on).")
@click.option("--until", type=TIME, default=None, help="End of the window.")
@click.option("--bucket", type=click.Choice(["1h", "6h", "1d"]), default="1h", show_default=True)
@click.option("--originals", is_flag=True, help="Count original messages only (retweet storms do not burst).")
@click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
              help="Uses in the window a term needs to be considered.")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True)
@json_option
def bursts_cmd(db: str, since: datetime | None, until: datetime | None, bucket: str, originals: bool, min_count: int,
               limit: int, as_json: bool) -> None:
    """Terms, hashtags and short phrases whose share of messages jumped against their own rate (Kleinberg).

    Strength is the log-likelihood gain of the burst (higher: longer and sharper); ratio is the count in the
    burst over what the term's usual rate predicts.

    \b
    Example:
      vigil bursts --bucket 1h
      vigil bursts --since 2025-02-07T00:00:00Z --json | jq '.bursts[:5]'
    """
    from ..watch.bursts import detect_bursts

    with open_store(db, must_exist=True) as store:
        report = detect_bursts(store, since=since, until=until, bucket=bucket, originals_only=originals,
                               min_count=min_count, limit=limit)
    if as_json:
        _echo_json(report.to_dict())
        return
    table = Table(title=f"bursts per {bucket} ({report.terms_scanned} terms)", header_style="bold")
    for col, just in (("term", "left"), ("start", "left"), ("end", "left"), ("strength", "right"),
                      ("count", "right"), ("x usual", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for b in report.bursts:
        term = b.term + (f" [dim](+{', '.join(b.related[:3])})[/]" if b.related else "")
        table.add_row(term, _when(b.start), _when(b.end), f"{b.strength:.1f}", str(b.count), f"{b.ratio:.1f}")
    Console().print(table)


@cli.command("clusters")
@db_option
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many clusters.")
@json_option
def clusters_cmd(db: str, top: int, as_json: bool) -> None:
    """The biggest near-duplicate clusters: one message forwarded N times by M accounts.

    Retweets, forwards and copy-paste with small edits join the first poster's cluster (MinHash/LSH).
    Messages stored without the neardup.v1 stage are clustered first.

    \b
    Example:
      vigil clusters --top 10
      vigil clusters --json | jq '.clusters[0]'
    """
    from ..watch.neardup import top_clusters

    with open_store(db, must_exist=True) as store:
        clusters = top_clusters(store, top)
    if as_json:
        _echo_json({"clusters": [c.to_dict() for c in clusters]})
        return
    table = Table(title=f"near-duplicate clusters (top {top})", header_style="bold")
    for col, just in (("cluster", "right"), ("first", "left"), ("first seen", "left"), ("spread", "left"),
                      ("text", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for c in clusters:
        spread = (f"forwarded {c.size - 1} times by {c.accounts} accounts "
                  f"({c.copies} retweets/forwards, {c.near_copies} copies)")
        table.add_row(str(c.cluster), f"@{c.first_author}" if c.first_author else c.first_id, _when(c.first_seen),
                      spread, c.text[:80])
    Console().print(table)
