"""API load and live end-to-end latency of ``vigil run`` on this machine, loopback only.

Standalone: ``python benchmarks/serve.py [--messages 1000000] [--clients 200] [--duration 30]``.

1. **Load**: a database of 1,000,000 messages (written directly in batches through the store, then indexed
   by the serving layer's facet indexer), served by uvicorn in a separate process; 200 concurrent clients
   (one bounded asyncio ``httpx`` client, loopback only, fixed duration) on the main read endpoints: the
   newest page, urgent-first, a signal filter, full-text search, one message, the hourly chart data, the alert
   feed, health. Two runs: clients that poll like dashboards (a think time of about a second between two
   requests of one client), and clients that never pause (saturation). Latency is measured per request by the
   client, so it includes queueing.
2. **Live**: ``vigil run``'s follower tails a JSONL file while a writer appends 1,000 messages per second
   (default stages, watchers after every batch); a poller records when each message becomes visible through
   ``GET /api/messages``, and when watched people who had gone silent post again, how long until the
   ``silence.back`` alert is visible through ``GET /api/alerts``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from _machine import cpu_name, load_average

HERE = Path(__file__).resolve().parent
CACHE = HERE.parent / "build" / "bench"
WORDS = ["bread", "queue", "shelling", "hospital", "convoy", "ceasefire", "water", "power", "children", "basement",
         "trapped", "help", "goodbye", "forever", "from", "Qasr", "al-Nahr", "please", "evacuate", "buses", "reached",
         "halted", "Al-Bustan", "Tal", "al-Zaytun", "Al-Jisr", "الحصار", "قصف", "مستشفى", "خبز", "ماء", "وداعاً",
         "سامحونا", "محاصرون"]
TYPES = ("requests_or_urgent_needs", "infrastructure_and_utility_damage", "injured_or_dead_people",
         "caution_and_advice", "sympathy_and_support", "other_relevant_information", "not_humanitarian",
         "rescue_volunteering_or_donation_effort", "displaced_people_and_evacuations", "missing_or_found_people")
SIGNALS = ("plea", "trapped", "farewell", "hunger", "medical", "death_injury", "evacuation", "ceasefire")
URGENCY = ("low", "low", "low", "medium", "medium", "high", "critical")
PASSWORD = "benchmark passphrase 2025"
SERVER = """
import sys, uvicorn
from vigil.serve.app import create_app
from vigil.serve.settings import Settings
app = create_app(sys.argv[1], Settings.load(), stages=())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False, backlog=4096,
            limit_concurrency=4000)
"""


def machine() -> str:
    return (f"{cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, load average {load_average():.1f} when the run started")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- the 1M database -----------------------------------------------------------------------------------------
def build_db(path: Path, n: int) -> tuple[str, float]:
    """Write ``n`` messages with classifier-like enrichments and index them; reuse a previous build."""
    from vigil.message import Message
    from vigil.serve.auth import add_user, create_token
    from vigil.serve.facets import AreaMatcher, index_pending
    from vigil.store import open_store

    token_file = path.with_suffix(".token")
    if path.exists() and token_file.exists():
        with open_store(path) as store:
            if store.query("SELECT count(*) FROM serve_facets")[0][0] == n:
                return token_file.read_text().strip(), 0.0
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    rng = random.Random(7)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    step = timedelta(days=40) / n
    with open_store(path) as store:
        batch: list[Message] = []
        for i in range(n):
            words = " ".join(WORDS[rng.randrange(len(WORDS))] for _ in range(8 + i % 17))
            enr: dict[str, Any] = {"humaid_type.v1": {"type": TYPES[i % len(TYPES)]},
                                   "urgency.v1": {"level": URGENCY[rng.randrange(len(URGENCY))]}}
            if i % 9 == 0:
                enr["siege_signals.v4"] = {"signals": [SIGNALS[i % len(SIGNALS)]]}
            batch.append(Message(id=f"x:{i}", source="x", format="twitter-v2", native_id=str(i),
                                 created_at=t0 + step * i, text=f"{words} #{i % 97}", author=f"user_{i % 20000}",
                                 lang="ar" if i % 3 == 0 else "en", enrichments=enr))
            if len(batch) == 20000:
                store.write_messages(batch)
                batch = []
        store.write_messages(batch)
        index_pending(store, AreaMatcher(["Al-Bustan", "Tal al-Zaytun", "Al-Jisr", "Qasr al-Nahr"]), batch=20000)
        add_user(store, "bench", PASSWORD, role="analyst")
        token = create_token(store, "bench", "benchmark")
    token_file.write_text(token)
    return token, time.perf_counter() - started


def start_server(db: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)], env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def _endpoints(n: int, rng: random.Random) -> list[str]:
    words = ["trapped", "bread", "convoy", "وداعاً", "hospital"]
    return [
        "/api/messages?limit=50",
        "/api/messages?order=urgent&urgency=high&limit=15&since=2025-02-09T00:00:00Z",
        f"/api/messages?signal={rng.choice(SIGNALS)}&limit=50",
        f"/api/messages?q={rng.choice(words)}&limit=50",
        f"/api/messages/x:{rng.randrange(n)}",
        "/api/stats/hourly",
        "/api/alerts?limit=20",
        "/api/health",
    ]


async def _load(base: str, token: str, n: int, clients: int, duration: float, think: float) -> dict[str, Any]:
    lat: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        deadline = time.monotonic() + duration

        async def user(seed: int) -> None:
            rng = random.Random(seed)
            await asyncio.sleep(rng.uniform(0, think or 0.05))
            while time.monotonic() < deadline:
                url = rng.choice(_endpoints(n, rng))
                name = url.split("?")[0] if not url.startswith("/api/messages/x:") else "/api/messages/{id}"
                if "q=" in url:
                    name = "/api/messages?q="
                elif "signal=" in url:
                    name = "/api/messages?signal="
                elif "order=urgent" in url:
                    name = "/api/messages?order=urgent"
                started = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.setdefault(name, []).append(time.perf_counter() - started)
                if not ok:
                    errors[name] = errors.get(name, 0) + 1
                if think:
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))

        started = time.monotonic()
        await asyncio.gather(*(user(i) for i in range(clients)))
        elapsed = time.monotonic() - started
    every = [v for vs in lat.values() for v in vs]
    return {"requests": len(every), "rps": len(every) / elapsed, "p50": _pct(every, 0.5), "p99": _pct(every, 0.99),
            "errors": sum(errors.values()),
            "by_endpoint": {k: (len(v), _pct(v, 0.5), _pct(v, 0.99), errors.get(k, 0)) for k, v in sorted(lat.items())}}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to tell server cost from waiting for a core."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_test(db: Path, token: str, n: int, clients: int, duration: float) -> list[tuple[str, dict[str, Any]]]:
    proc, base = start_server(db)
    try:
        out = []
        for label, think in (("dashboards (think ~1 s)", 1.0), ("no pause (saturation)", 0.0)):
            cpu0, load0 = _cpu_seconds(proc.pid), os.getloadavg()[0]
            result = asyncio.run(_load(base, token, n, clients, duration, think))
            result["server_cpu_ms"] = (_cpu_seconds(proc.pid) - cpu0) * 1000 / max(result["requests"], 1)
            result["load"] = max(load0, os.getloadavg()[0])
            out.append((label, result))
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- live end to end -----------------------------------------------------------------------------------------
def _line(i: int, author: str, when: datetime, text: str) -> bytes:
    return orjson.dumps({"id": f"bench{i}", "text": text, "author_id": author, "created_at":
                         when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                         "author": {"id": author, "username": author, "name": author}}) + b"\n"


def e2e(workdir: Path, rate: int, seconds: float, watched: int = 20) -> dict[str, Any]:
    """Follow a JSONL file being appended at ``rate`` messages/s; measure visibility and alert latency."""
    import uvicorn

    from vigil.message import Message
    from vigil.serve.run import plan_run
    from vigil.serve.settings import Settings
    from vigil.store import open_store
    from vigil.watch.watchlist import add_watch

    db = workdir / "live.db"
    stream = workdir / "stream.jsonl"
    stream.write_bytes(b"")
    now = datetime.now(UTC)
    with open_store(db) as store:
        history = []
        for p in range(watched):  # regular posters (every 2.5 h for 12 days) who went quiet 30 hours ago
            # one area each: many people of one area falling silent together would be one outage instead
            add_watch(store, f"@quiet_{p}", area=f"Bench area {p}", consent="benchmark", by="bench")
            last = now - timedelta(hours=30)
            history += [Message(id=f"h:{p}:{k}", source="h", format="twitter-v2", native_id=f"{p}:{k}",
                                created_at=last - timedelta(minutes=150 * k + 7 * p), text="still here",
                                author=f"quiet_{p}") for k in range(120)]
        store.write_messages(history)
        from vigil.serve.auth import add_user, create_token

        add_user(store, "bench", PASSWORD, role="analyst")
        token = create_token(store, "bench")
    settings = Settings.load({}, port=_free_port(), watch_seconds=0.0, tail_seconds=0.05, cache_seconds=0.0)
    plan = plan_run(str(db), [str(stream)], settings=settings)
    server = uvicorn.Server(uvicorn.Config(plan.app, host="127.0.0.1", port=plan.port, log_level="warning",
                                           access_log=False, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    headers = {"Authorization": f"Bearer {token}"}
    base = plan.url.rstrip("/")
    client = httpx.Client(base_url=base, headers=headers, timeout=30)
    # let the watchers open a silence alert for each quiet person before the stream starts
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        open_alerts = client.get("/api/alerts?state=open&limit=500").json()["data"]["items"]
        if sum(1 for a in open_alerts if a["kind"] == "silence") >= watched:
            break
        time.sleep(0.2)
    written: dict[str, float] = {}
    back_written: dict[str, float] = {}
    seen: dict[str, float] = {}
    back_seen: dict[str, float] = {}
    stop = threading.Event()

    def writer() -> None:
        total = int(rate * seconds)
        tick = 0.01
        per_tick = max(1, int(rate * tick))
        start = time.monotonic()
        comebacks = {int(total * (k + 1) / (watched + 1)): k for k in range(watched)}
        i = 0
        with stream.open("ab", buffering=0) as fp:
            while i < total:
                due = min(total, int((time.monotonic() - start) * rate) + per_tick)
                chunk = []
                stamp = time.monotonic()
                while i < due:
                    if i in comebacks:
                        who = f"quiet_{comebacks[i]}"
                        chunk.append(_line(i, who, datetime.now(UTC), "we are back, phone was dead"))
                        back_written[who] = stamp
                    else:
                        chunk.append(_line(i, f"voice_{i % 500}", datetime.now(UTC), f"bread queue update {i}"))
                    written[f"x:bench{i}"] = stamp
                    i += 1
                fp.write(b"".join(chunk))
                time.sleep(tick)

    def poller() -> None:
        while not stop.is_set():
            t = time.monotonic()
            items = client.get("/api/messages?limit=200").json()["data"]["items"]
            for m in items:
                seen.setdefault(m["id"], t)
            for a in client.get("/api/alerts?kind=silence.back&limit=200").json()["data"]["items"]:
                back_seen.setdefault(a["subject"], time.monotonic())
            time.sleep(0.05)

    poll = threading.Thread(target=poller, daemon=True)
    poll.start()
    write = threading.Thread(target=writer)
    write.start()
    write.join()
    end = time.monotonic() + 15
    while time.monotonic() < end and (len(seen) < len(written) or len(back_seen) < watched):
        time.sleep(0.1)
    stop.set()
    poll.join(timeout=10)
    server.should_exit = True
    thread.join(timeout=30)
    client.close()
    visible = [seen[k] - written[k] for k in written if k in seen]
    alerts = [back_seen[k] - back_written[k] for k in back_written if k in back_seen]
    return {"messages": len(written), "visible": len(visible), "p50": _pct(visible, 0.5), "p99": _pct(visible, 0.99),
            "max": max(visible, default=float("nan")), "alerts": len(alerts), "alerts_expected": watched,
            "alert_p50": _pct(alerts, 0.5), "alert_p99": _pct(alerts, 0.99),
            "alert_max": max(alerts, default=float("nan")), "rate": rate, "seconds": seconds}


def _ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


def run(messages: int = 1_000_000, clients: int = 200, duration: float = 30.0, rate: int = 1000,
        seconds: float = 20.0) -> str:
    """Both measurements as a markdown section."""
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"serve-{messages}.db"
    token, built = build_db(db, messages)
    size = db.stat().st_size / 2**20
    loads = load_test(db, token, messages, clients, duration)
    with tempfile.TemporaryDirectory() as tmp:
        live = e2e(Path(tmp), rate, seconds)
    lines = ["## Serving: API under load, live end-to-end latency", "",
             f"Command: `python benchmarks/serve.py --messages {messages} --clients {clients} --duration {duration:g}`"
             f" · machine: {machine()}", "",
             f"Database: {messages:,} messages ({size:,.0f} MiB SQLite"
             + (f", built and indexed in {built:.0f} s" if built else ", reused from build/bench") + "). "
             f"Server: uvicorn, one process, default settings (1 s answer cache). Client: one asyncio httpx "
             f"client with {clients} concurrent users for {duration:g} s each run, on loopback, on the same 2 cores.",
             "", "| run | requests | req/s | p50 | p99 | errors | server CPU per request | load average |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in loads:
        lines.append(f"| {label} | {r['requests']:,} | {r['rps']:.0f} | {_ms(r['p50'])} | {_ms(r['p99'])} | "
                     f"{r['errors']} | {r['server_cpu_ms']:.1f} ms | {r['load']:.1f} |")
    lines += ["", "Per endpoint (dashboards run): requests, p50, p99, errors", "",
              "| endpoint | requests | p50 | p99 | errors |", "|---|---:|---:|---:|---:|"]
    for name, (count, p50, p99, errs) in loads[0][1]["by_endpoint"].items():
        lines.append(f"| `{name}` | {count:,} | {_ms(p50)} | {_ms(p99)} | {errs} |")
    lines += ["", f"Live: a JSONL file appended at {live['rate']:,} messages/s for {live['seconds']:g} s "
              f"({live['messages']:,} messages), followed by `vigil run` (default stages, watchers after each batch, "
              f"follower pass every 50 ms). The poller reads the newest 200 messages per pass, so a message "
              f"overtaken by 200 newer ones between two passes is stored but never timed: n counts the timed ones.",
              "",
              "| measure | n | p50 | p99 | max |", "|---|---:|---:|---:|---:|",
              f"| line written → message visible in `GET /api/messages` | {live['visible']:,} of "
              f"{live['messages']:,} | "
              f"{_ms(live['p50'])} | {_ms(live['p99'])} | {_ms(live['max'])} |",
              f"| silent person posts → `silence.back` alert visible in `GET /api/alerts` | {live['alerts']} of "
              f"{live['alerts_expected']} | {_ms(live['alert_p50'])} | {_ms(live['alert_p99'])} | "
              f"{_ms(live['alert_max'])} |",
              "", "Targets (issue 4): p99 < 200 ms with 0 errors under 200 clients; live p99 < 1 s."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(run(args.messages, args.clients, args.duration, args.rate, args.seconds))

