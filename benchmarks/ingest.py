"""Ingest throughput and peak memory: generated X API v2 files (paginated JSON and JSONL) into SQLite.

Standalone: ``python benchmarks/ingest.py [--posts 1000000]``. Each run is a fresh ``vigil ingest`` process
(``--stages none``: reading, normalising and storing, without the classifier), timed end to end, with peak RSS
read from the kernel (``ru_maxrss`` of the child). Memory is compared between a 100k and a 1M-post file: it
must not grow with file size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

_VOCABULARY = ("bread queue shelling hospital convoy ceasefire water power children basement Old Souk trapped help "
               "goodbye forever from Qasr al-Nahr please evacuate buses reached halted الحصار قصف مستشفى خبز ماء "
               "وداعاً سامحونا")
WORDS = _VOCABULARY.split(" ")


def tweet(i: int) -> dict[str, object]:
    text = " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12 + i % 14))
    return {"id": str(1_880_000_000_000_000_000 + i), "text": f"{text} #{i % 97}", "author_id": str(i % 5000),
            "created_at": f"2025-02-{1 + (i // 86400) % 28:02d}T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:"
                          f"{i % 60:02d}.000Z",
            "lang": "ar" if i % 3 == 0 else "en", "conversation_id": str(1_880_000_000_000_000_000 + i),
            "edit_history_tweet_ids": [str(1_880_000_000_000_000_000 + i)],
            "public_metrics": {"retweet_count": i % 13, "reply_count": i % 5, "like_count": i % 31}}


def users(ids: set[int]) -> list[dict[str, str]]:
    return [{"id": str(u), "username": f"user_{u}", "name": f"User {u}"} for u in sorted(ids)]


def write_files(folder: Path, posts: int) -> tuple[Path, Path]:
    pages, lines = folder / f"v2_pages_{posts}.json", folder / f"v2_{posts}.jsonl"
    with pages.open("wb") as fp, lines.open("wb") as fl:
        for start in range(0, posts, 500):
            data = [tweet(i) for i in range(start, min(start + 500, posts))]
            ids = {int(str(t["author_id"])) for t in data}
            page = {"data": data, "includes": {"users": users(ids)}, "meta": {"result_count": len(data)}}
            fp.write(orjson.dumps(page, option=orjson.OPT_INDENT_2) + b"\n")
            for t in data:
                t = dict(t, author={"id": t["author_id"], "username": f"user_{t['author_id']}", "name": "U"})
                fl.write(orjson.dumps(t) + b"\n")
    return pages, lines


def _rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (the readahead helper), from /proc; 0 once it is gone."""
    total = 0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def ingest_once(path: Path, db: Path) -> tuple[float, float, int]:
    """One fresh ``vigil ingest`` process: wall time, peak RSS of it plus its helper (MiB), messages stored."""
    cmd = [sys.executable, "-m", "vigil", "ingest", str(path), "--db", str(db), "--stages", "none", "--json"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak_kib = 0
    while proc.poll() is None:  # sampled 20 times a second: both processes together, as the machine sees them
        peak_kib = max(peak_kib, _rss_kib(proc.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    assert proc.stdout is not None and proc.returncode == 0
    stored = orjson.loads(proc.stdout.read())["stored"]
    return elapsed, peak_kib / 1024, stored


def run(posts: int = 1_000_000) -> str:
    rows = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("VIGIL_BENCH_DIR")) as tmp:
        folder = Path(tmp)
        small_pages, small_lines = write_files(folder, posts // 10)
        big_pages, big_lines = write_files(folder, posts)
        for label, path in (("X v2 JSONL", small_lines), ("X v2 JSON pages", small_pages),
                            ("X v2 JSONL", big_lines), ("X v2 JSON pages", big_pages)):
            db = folder / f"{path.stem}.db"
            elapsed, peak_mib, stored = ingest_once(path, db)
            size_mb = path.stat().st_size / 1e6
            rows.append(f"| {label} | {stored:,} | {size_mb:,.0f} MB | {elapsed:.1f} s | {stored / elapsed:,.0f} | "
                        f"{peak_mib:,.0f} MiB |")
    return "\n".join([
        "## Ingest throughput (foundation)",
        "",
        f"Command: `python benchmarks/ingest.py --posts {posts}` (each row is one fresh "
        "`vigil ingest FILE --db NEW.db --stages none --json` process: read, normalise, store with FTS index). "
        "Files of 16 MB or more are parsed in a reader process (`vigil.readahead`) while the ingest process "
        "writes. Peak RSS is the sum of both processes' resident memory, sampled 20 times a second "
        "(a flat column means memory does not grow with file size). Target: ≥ 20,000 messages/s, flat memory.",
        "",
        "| input | messages | file | wall time | messages/s | peak RSS (ingest + reader) |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
    ])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    print(run(parser.parse_args().posts))
