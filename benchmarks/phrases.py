"""Phrase families, bursts and near-duplicates: results on the demo scenario against its ground truth, and speed.

Standalone: ``python benchmarks/phrases.py [--scale 100000]``. The demo (examples/siege) plants two viral posts
copied with small edits and retweeted, and two competing farewell phrasings in English and in Arabic whose
per-day counts are in truth.json. Speed is measured on the demo and on a larger corpus made from the demo's
texts (each copy with one word replaced, shifted by ten days per round), in 2,000-message batches as ingest
runs them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _machine import cpu_name, load_average

from vigil.ingest import ingest
from vigil.message import Message, make_id
from vigil.stages import load_builtin_stages
from vigil.store import open_store
from vigil.watch.bursts import detect_bursts, update_counts
from vigil.watch.neardup import STAGE, assign_clusters
from vigil.watch.phrases import phrase_families

COMMAND = "python benchmarks/phrases.py"
DEMO = Path(__file__).resolve().parents[1] / "examples" / "siege"
BATCH = 2000


def _machine() -> str:
    return (f"{cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load_average():.1f} at start")


def _timed(fn: object, *args: object, **kw: object) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)  # type: ignore[operator]
    return out, time.perf_counter() - wall, time.process_time() - cpu


def neardup_demo(tmp: Path, truth: dict[str, object]) -> list[str]:
    load_builtin_stages()
    with open_store(tmp / "neardup.db") as store:
        ingest([str(DEMO / "data")], store, stages=[STAGE])
        cluster = {r[0]: r[1] for r in store.query("SELECT message_id, cluster_id FROM neardup_members")}
        rows = store.query("SELECT id, author, retweet_of, text FROM messages")
        n_clusters, multi, biggest = store.query("SELECT count(*), sum(size > 1), max(size) FROM neardup_clusters")[0]
    retweet_of = {r[0]: r[2] for r in rows}
    text = {r[0]: r[3] for r in rows}
    lines = ["**Near-duplicates** (`neardup.v1` during `vigil ingest examples/siege/data`, planted groups from "
             "truth.json; a retweet of a group member counts as a member):", "",
             "| group | members | in the original's cluster | same-language copies in it | translated copies "
             "(elsewhere by design) | foreign messages merged in |", "|---|---|---|---|---|---|"]
    foreign_texts: list[str] = []
    for group in truth["near_duplicates"]:  # type: ignore[attr-defined]
        original = make_id("x", group["original"]["id"])
        copies = [make_id("x", c["id"]) for c in group["copies"]]
        same = [make_id("x", c["id"]) for c in group["copies"] if c["lang"] == "en"]
        members = {original, *copies, *(make_id("x", r) for r in group["retweets"])}
        home = cluster[original]
        inside = {m for m, c in cluster.items() if c == home and m in text}
        foreign = {m for m in inside - members if retweet_of.get(m) not in members}
        foreign_texts += [text[m][:90] for m in sorted(foreign)]
        lines.append(f"| {group['group']} | {len(members)} | {len(members & inside)} | "
                     f"{sum(m in inside for m in same)} of {len(same)} | {len(copies) - len(same)} | {len(foreign)} |")
    lines += ["", f"{n_clusters:,} clusters for {len(rows):,} messages; {multi:,} have more than one member "
              f"(largest {biggest}). The demo generator reuses sentence templates across accounts, so many "
              "clusters are template posts that are word-for-word the same: from text alone they cannot be told "
              "from copy-paste."]
    if foreign_texts:
        lines += ["", "Foreign messages in the planted clusters: " + "; ".join(f"\"{t}\"" for t in foreign_texts)]
    return lines


def phrases_demo(tmp: Path, truth: dict[str, object]) -> list[str]:
    with open_store(tmp / "plain.db") as store:
        ingest([str(DEMO / "data")], store, stages=[])
        report, wall, _ = _timed(phrase_families, store)
        bursts, bwall, _ = _timed(detect_bursts, store, limit=12)
    counts = truth["farewell_phrasings"]["counts"]  # type: ignore[index]
    names = {"goodbye to qasr al nahr": "goodbye to Qasr al-Nahr",
             "goodbye forever from qasr al nahr": "goodbye forever from Qasr al-Nahr",
             "وداعا قصر النهر": "وداعاً قصر النهر", "وداعا الي الابد من قصر النهر": "وداعاً إلى الأبد من قصر النهر"}
    expected = {"goodbye to qasr al nahr": "falling", "goodbye forever from qasr al nahr": "rising",
                "وداعا قصر النهر": "falling", "وداعا الي الابد من قصر النهر": "rising"}
    lines = ["**Phrase families** (`vigil phrases`, defaults: variants with at least 5 original posts; "
             f"{report.originals_scanned:,} originals scanned in {wall:.2f} s). Top families:", "",  # type: ignore[attr-defined]
             "| rank | frame | variant | originals (copies) | trend | share first → last | first seen, by | "
             "per day, days 7-10 | truth per day | expected trend |", "|---|---|---|---|---|---|---|---|---|---|"]
    for rank, family in enumerate(report.families[:4], 1):  # type: ignore[attr-defined]
        days = {row["start"][:10]: row["counts"] for row in family.series}
        for v in family.variants:
            per_day = [days.get(f"2025-02-{d:02d}", {}).get(v.phrase, 0) for d in range(7, 11)]
            name = names.get(v.phrase)
            want = counts[name]["per_day"][6:] if name else "-"
            lines.append(f"| {rank} | {family.frame} | {v.phrase} | {v.originals} ({v.count - v.originals}) | "
                         f"{v.trend} | {v.share_first:.0%} → {v.share_last:.0%} | {v.first_seen[:16]}, "
                         f"@{v.first_author} | {per_day} | {want} | {expected.get(v.phrase, '-')} |")
    found = {v.phrase: v.trend for f in report.families for v in f.variants}  # type: ignore[attr-defined]
    right = sum(found.get(p) == t for p, t in expected.items())
    lines += ["", f"Directions right for {right} of 4 planted variants. Counts include the feeds' items (one each); "
              "truth counts X and Mastodon posts only.", "",
              f"**Bursts** (`vigil bursts`, 1-hour buckets, s = 2, gamma = 1; {bwall:.2f} s including the first "
              "count of every message). Strongest:", "",
              "| term | start | end | strength | count | x usual | same messages as |", "|---|---|---|---|---|---|---|"]
    for b in bursts.bursts:  # type: ignore[attr-defined]
        lines.append(f"| {b.term} | {b.start[:16]} | {b.end[:16]} | {b.strength:.1f} | {b.count} | {b.ratio:.1f} | "
                     f"{', '.join(b.related[:3])} |")
    return lines


def scaled(tmp: Path, n: int) -> list[str]:
    with open_store(tmp / "plain.db") as src:
        base = list(src.messages())
    rng = random.Random(1)
    corpus: list[Message] = []
    rounds = -(-n // len(base))
    for r in range(rounds):
        for m in base:
            words = m.text.split()
            if r and words:
                words[rng.randrange(len(words))] = rng.choice(["now", "again", "today", str(r)])
            corpus.append(m.replace(id=f"{m.id}.{r}", native_id=f"{m.native_id}.{r}", text=" ".join(words),
                                    retweet_of=f"{m.retweet_of}.{r}" if m.retweet_of else None,
                                    created_at=m.created_at + timedelta(days=10 * r), enrichments={}))
    corpus = corpus[:n]
    lines = [f"**Speed** on {len(corpus):,} messages ({rounds} rounds of the demo's texts, one word changed per "
             "copy), one process, SQLite in a temporary directory:", "",
             "| what | wall time | CPU time | messages/s (wall) | messages/s (CPU) |", "|---|---|---|---|---|"]

    def row(label: str, wall: float, cpu: float, count: int) -> None:
        lines.append(f"| {label} | {wall:.1f} s | {cpu:.1f} s | {count / wall:,.0f} | {count / cpu:,.0f} |")

    with open_store(tmp / "neardup-scaled.db") as store:
        wall = cpu = 0.0
        for i in range(0, len(corpus), BATCH):
            _, w, c = _timed(assign_clusters, store, corpus[i:i + BATCH])
            wall, cpu = wall + w, cpu + c
        row("`neardup.v1` (MinHash + LSH lookups + index writes)", wall, cpu, len(corpus))
        clusters = store.query("SELECT count(*), max(size) FROM neardup_clusters")[0]
        bands = store.query("SELECT count(*) FROM neardup_bands")[0][0]
    with open_store(tmp / "scaled.db") as store:
        for i in range(0, len(corpus), BATCH):
            store.write_messages(corpus[i:i + BATCH])
        _, w, c = _timed(update_counts, store)
        row("burst counts (`update_counts`, from scratch)", w, c, len(corpus))
        _, w, c = _timed(detect_bursts, store, refresh=False)
        lines.append(f"| burst detection (counts already up to date) | {w:.1f} s | {c:.1f} s | - | - |")
        _, w, c = _timed(phrase_families, store)
        row("phrase families (two passes over the texts)", w, c, len(corpus))
    lines += ["", f"The index then holds {clusters[0]:,} clusters (largest {clusters[1]}) and {bands:,} band rows "
              "(16 per cluster that has text enough to compare)."]
    return lines


def run(scale: int = 100_000) -> str:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        parts = [f"Command: `{COMMAND}`. Machine: {_machine()} (a shared machine: wall times vary with the load; "
                 "CPU times are the process's own).", ""]
        parts += [*neardup_demo(tmp, truth), ""]
        parts += [*phrases_demo(tmp, truth), ""]
        parts += scaled(tmp, scale)
    return "## Phrase families, bursts and near-duplicates\n\n" + "\n".join(parts) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="messages in the speed corpus")
    print(run(parser.parse_args().scale))
