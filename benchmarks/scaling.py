"""Scaling: messages/s end to end through Redis Streams into PostgreSQL, with 1 and 2 workers, stages on and off.

Standalone: ``python benchmarks/scaling.py [--plain 30000] [--enriched 3000]``. It starts its own redis-server
and PostgreSQL (tests/servers.py: loopback, temporary data directories; ``make services-install`` provides the
binaries). For each case the workers (real ``vigil worker`` processes) are started and consuming first; the
clock runs from the first published message to the last one committed in PostgreSQL, so it covers publish
(an in-process :class:`~vigil.broker.Publisher`), transport, enrichment, storage and acknowledgement.
Messages are synthetic X posts (12-25 words, English and Arabic, with their raw JSON).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import psycopg
import redis

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from ingest import tweet  # noqa: E402  (benchmarks/ingest.py: the same synthetic posts)

from servers import PostgresServer, RedisServer  # noqa: E402
from vigil.broker import BrokerConfig, Publisher  # noqa: E402
from vigil.message import Message  # noqa: E402
from vigil.stages import default_stages  # noqa: E402

TARGET = 6000  # posts/s: the X firehose average


def posts(n: int) -> list[Message]:
    t0 = datetime(2025, 2, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        t = tweet(i)
        out.append(Message(id=f"x:{t['id']}", source="x", format="twitter-v2", native_id=str(t["id"]),
                           created_at=t0 + timedelta(seconds=i), text=str(t["text"]), author=f"user_{t['author_id']}",
                           lang=str(t["lang"]), raw=orjson.dumps(t).decode()))
    return out


def _consumers(client: redis.Redis, config: BrokerConfig) -> set[str]:
    try:
        return {c["name"].decode() for c in client.xinfo_consumers(config.stream, config.group)}  # type: ignore[union-attr]
    except redis.ResponseError:
        return set()


def _drained(client: redis.Redis, config: BrokerConfig) -> bool:
    r: Any = client
    pipe = r.pipeline(transaction=True)
    pipe.xpending(config.stream, config.group)
    pipe.xinfo_groups(config.stream)
    pipe.xinfo_stream(config.stream)
    pending, groups, stream = pipe.execute()
    return bool(pending["pending"] == 0 and groups[0]["last-delivered-id"] == stream["last-generated-id"])


def _count(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM messages").fetchone()[0])  # type: ignore[index]
        except psycopg.errors.UndefinedTable:
            return 0


def _cpu(pid: int, *, children: bool = False) -> float:
    """CPU seconds of a process (and of its exited children, for the PostgreSQL postmaster's backends)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(rs: RedisServer, pg: PostgresServer, messages: list[Message], workers: int,
            stages: str) -> tuple[float, dict[str, float]]:
    """Messages/s from the first publish to the last commit with ``workers`` worker processes, and the CPU
    seconds per 1,000 messages spent by the workers, Redis and PostgreSQL (immune to other load)."""
    config = BrokerConfig(stream=f"bench:{workers}:{stages}:{time.monotonic_ns()}")
    url = pg.new_schema_url()
    client = redis.Redis.from_url(rs.url)
    Publisher(client, config).close()  # creates the group, so workers can join before the first message
    procs = []
    names = [f"bench-{i}" for i in range(workers)]
    for name in names:
        cmd = [sys.executable, "-m", "vigil", "worker", "--broker", rs.url, "--db", url, "--stream", config.stream,
               "--stages", stages, "--batch", "500", "--name", name]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        deadline = time.monotonic() + 120
        while not set(names) <= _consumers(client, config):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("workers did not start")
            time.sleep(0.05)
        assert rs.proc is not None and pg.proc is not None
        cpu0 = {"workers": resource.getrusage(resource.RUSAGE_CHILDREN), "redis": _cpu(rs.proc.pid),
                "postgres": _cpu(pg.proc.pid, children=True)}
        started = time.perf_counter()
        with Publisher(client, config, batch_size=1000) as pub:
            pub.publish(messages)
        # completion is watched in Redis (everything delivered and acknowledged), not by polling PostgreSQL,
        # whose CPU is being measured
        while not _drained(client, config):
            if time.monotonic() > deadline + 1800:
                raise RuntimeError("benchmark flow did not complete")
            time.sleep(0.05)
        rate = len(messages) / (time.perf_counter() - started)
        if _count(url) != len(messages):
            raise RuntimeError(f"stored {_count(url)} of {len(messages)}")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
        client.close()
    time.sleep(0.5)  # the postmaster reaps the workers' backends
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = cpu0["workers"]
    assert isinstance(before, resource.struct_rusage)
    k = len(messages) / 1000
    cpu = {"workers": (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / k,
           "redis": (_cpu(rs.proc.pid) - float(cpu0["redis"])) / k,  # type: ignore[arg-type]
           "postgres": (_cpu(pg.proc.pid, children=True) - float(cpu0["postgres"])) / k}  # type: ignore[arg-type]
    return rate, cpu


def serial_caps(pg: PostgresServer, n: int = 6000) -> dict[str, float]:
    """Milliseconds per message spent inside the two sections all workers take turns on: the message insert
    (PostgresStore's write lock) and the near-duplicate index update (its lock row). Their inverse bounds the
    throughput of any number of workers."""
    from vigil.store import open_store, postgres
    from vigil.watch import neardup

    msgs = posts(n)
    with open_store(pg.new_schema_url()) as store:
        clustering = writing = outside = 0.0
        for k in range(0, n, 500):
            batch = msgs[k:k + 500]
            t0 = time.perf_counter()
            neardup._Batch(batch)  # the signatures: computed before the lock is taken
            t1 = time.perf_counter()
            neardup.assign_clusters(store, batch)
            t2 = time.perf_counter()
            orjson.dumps([postgres._row(m, "") for m in batch])  # the rows: built before the lock is taken
            t3 = time.perf_counter()
            store.write_messages(batch)
            t4 = time.perf_counter()
            outside += t1 - t0
            clustering += t2 - t1
            writing += (t4 - t3) - (t3 - t2)
    return {"neardup": max(clustering - outside, 0.0) / n * 1000, "insert": writing / n * 1000}


def _failing_stages(names: list[str]) -> list[str]:
    """Stages that fail on sample posts here (e.g. a model artifact not built yet): their cost is not measured."""
    import logging

    from vigil.stages import StageFailure, run_stages

    failures: list[StageFailure] = []
    logging.disable(logging.WARNING)
    try:
        run_stages(posts(20), names, failures)
    finally:
        logging.disable(logging.NOTSET)
    return sorted({f.stage for f in failures})


def run(plain: int = 30_000, enriched: int = 4_000, repeat: int = 3) -> str:
    """Measure the four cases and return the markdown section."""
    root = Path(tempfile.mkdtemp(prefix="vigil-bench-"))
    rs, pg = RedisServer(root), PostgresServer()
    rs.start()
    pg.start()
    try:
        stage_names = default_stages()
        broken = _failing_stages(stage_names)
        results: dict[tuple[str, int], float] = {}
        cpu: dict[tuple[str, int], dict[str, float]] = {}
        load = os.getloadavg()[0]
        for stages, n in (("none", plain), ("default", enriched)):
            msgs = posts(n)
            for _ in range(repeat):  # best of `repeat`, interleaved: other work on a shared machine only slows
                for workers in (1, 2):
                    rate, used = measure(rs, pg, msgs, workers, stages)
                    if rate > results.get((stages, workers), 0.0):
                        results[(stages, workers)], cpu[(stages, workers)] = rate, used
        caps = serial_caps(pg)
        load = max(load, os.getloadavg()[0])
    finally:
        rs.stop()
        pg.cleanup()
    return _report(results, cpu, caps, plain, enriched, stage_names, load, broken)


def _report(r: dict[tuple[str, int], float], cpu: dict[tuple[str, int], dict[str, float]],
            caps: dict[str, float], plain: int, enriched: int, stage_names: list[str], load: float,
            broken: list[str]) -> str:
    cores = os.cpu_count() or 1
    worker_ms = cpu[("default", 1)]["workers"]  # CPU seconds per 1,000 messages = ms per message
    plain_ms = cpu[("none", 1)]["workers"]
    redis_ms = max(c["redis"] for c in cpu.values())
    pg_ms = max(c["postgres"] for c in cpu.values())
    need = math.ceil(TARGET * worker_ms / 1000)

    def row(stages: str, label: str, n: int) -> str:
        c = cpu[(stages, 1)]
        return (f"| {label} | {n:,} | {r[(stages, 1)]:,.0f}/s | {r[(stages, 2)]:,.0f}/s | "
                f"{r[(stages, 2)] / r[(stages, 1)]:.2f} | {c['workers']:.2f} / {c['redis']:.2f} / "
                f"{c['postgres']:.2f} ms |")

    lines = [
        "## Scaling: Redis Streams workers into PostgreSQL",
        "",
        "Command: `python benchmarks/scaling.py` (real redis-server and PostgreSQL on loopback; workers are "
        "`vigil worker --batch 500` processes; the clock runs from the first message published to the last "
        "committed; best of 3 interleaved runs per case). CPU per message is measured from the kernel's "
        "accounting of each process, so it does not "
        "depend on what else the machine runs; the rates do.",
        f"Machine: {platform.machine()}, {cores} cores shared by the producer, the workers, Redis and PostgreSQL; "
        f"load average up to {load:.1f} during the run (other sessions were using the machine).",
        "",
        "| stages | messages | 1 worker | 2 workers | ratio 2/1 | CPU per message: worker / Redis / PostgreSQL |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        row("none", "none", plain),
        row("default", f"default ({', '.join(stage_names) or 'none registered'})", enriched),
        "",
        *([f"Failing on this machine, so not costed: {', '.join(broken)} (each failure is recorded and the "
           "message stored without that result; a model artifact missing is the usual cause). The projection "
           "below is low by their cost.", ""] if broken else []),
        "### Projection for 6,000 posts/s (the X firehose average)",
        "",
        f"Enrichment dominates: a worker spends **{worker_ms:.2f} ms of CPU per post** with the default stages "
        f"(against {plain_ms:.2f} ms without them), so 6,000 posts/s needs **{need} worker cores** "
        f"(6,000 x {worker_ms:.2f} ms); a worker is one Python process, bounded by one core, so run {need} "
        f"workers, and plan **{math.ceil(need * 1.3)}** for 30% headroom (bursts, catching up after an outage). "
        f"Redis needs {TARGET * redis_ms / 1000:.2f} cores at 6,000 posts/s ({redis_ms:.3f} ms per post) and "
        f"PostgreSQL {TARGET * pg_ms / 1000:.2f} cores ({pg_ms:.3f} ms per post: the insert with its search "
        "index, and the near-duplicate index the neardup stage keeps in the store); one publisher process "
        "keeps up (pipelined batches of 1,000, about 12,000 posts/s when it has a core).",
        "",
        f"Two sections are taken in turn by all workers, so they cap the total whatever the worker count: the "
        f"message insert ({caps['insert']:.3f} ms per post under PostgresStore's write lock: at most "
        f"{1000 / caps['insert']:,.0f} posts/s) and the near-duplicate index update of the neardup stage "
        f"({caps['neardup']:.3f} ms per post under its lock row: at most {1000 / caps['neardup']:,.0f} posts/s). "
        f"{'Both are above' if min(1000 / caps['insert'], 1000 / caps['neardup']) > TARGET else 'NOT both above'} "
        f"the 6,000 posts/s target; the {'insert' if caps['insert'] > caps['neardup'] else 'neardup'} section is "
        "the tighter. These are wall-clock times on this shared, loaded machine (a busy core stretches them), so "
        "they are pessimistic; the remedies if the target grows are known: partition the near-duplicate index "
        "by band key, and drop the insert lock for stores whose readers do not keep rowid high-water marks.",
        "",
        f"The 2-worker ratio on this machine ({r[('default', 2)] / r[('default', 1)]:.2f} with stages) is below 2 "
        f"because the two workers share {cores} cores with the producer, Redis and PostgreSQL (and with other "
        "work); on machines of their own, workers add throughput linearly until a shared service or one of the "
        "two serial sections saturates. Without stages a worker needs so little CPU that the one publisher, "
        "on the same cores, sets the pace of both runs.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plain", type=int, default=30_000, help="messages for the runs without stages")
    parser.add_argument("--enriched", type=int, default=4_000, help="messages for the runs with default stages")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is reported")
    args = parser.parse_args()
    print(run(args.plain, args.enriched, args.repeat))
