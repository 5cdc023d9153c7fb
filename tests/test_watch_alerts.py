"""Alerts: de-duplication and "back" events, sinks (stdout, file, signed webhook with retries), the loop."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from conftest import Cli
from vigil.store import SQLiteStore
from vigil.watch import add_watch
from vigil.watch.alerts import Condition, list_alerts, reconcile
from vigil.watch.sinks import FileSink, StdoutSink, WebhookSink, deliver, parse_sink, sign
from vigil.watch.watchers import WATCHERS, run_once, watch_loop
from watch_helpers import T0, regular_times, write_posts


def test_reconcile_raises_once_then_back(store: SQLiteStore) -> None:
    c = Condition("silence:rami", "silence", "high", "rami", {"area": "Al-Bustan", "lat": 36.2, "score": 0.9})
    first = reconcile(store, "silence.v1", [c], now=T0)
    assert [(a.kind, a.state, a.subject) for a in first] == [("silence", "open", "rami")]
    assert first[0].evidence == {"area": "Al-Bustan", "score": 0.9}  # no precise location, ever
    assert reconcile(store, "silence.v1", [c], now=T0 + timedelta(hours=1)) == []
    back = reconcile(store, "silence.v1", [], now=T0 + timedelta(hours=2))
    assert [(a.kind, a.state) for a in back] == [("silence.back", "closed")]
    assert back[0].evidence["since"] == first[0].created_at
    assert [a.state for a in list_alerts(store, kind="silence")] == ["closed"]
    again = reconcile(store, "silence.v1", [c], now=T0 + timedelta(hours=3))
    assert len(again) == 1 and again[0].alert_id != first[0].alert_id
    with pytest.raises(ValueError, match="severity"):
        reconcile(store, "x.v1", [Condition("k", "k", "urgent!", "s")], now=T0)


def test_stdout_and_file_sinks(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "alerts" / "a.jsonl"
    assert deliver([{"id": 1, "kind": "silence"}, {"id": 2, "kind": "outage"}], [StdoutSink(out), FileSink(path)]) == []
    assert [json.loads(x)["id"] for x in out.getvalue().splitlines()] == [1, 2]
    assert [json.loads(x)["kind"] for x in path.read_text().splitlines()] == ["silence", "outage"]
    assert isinstance(parse_sink("file:x.jsonl"), FileSink) and isinstance(parse_sink("stdout"), StdoutSink)


def test_webhook_signs_and_retries_with_backoff() -> None:
    seen: list[httpx.Request] = []
    answers = iter([503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(next(answers))

    sleeps: list[float] = []
    sink = WebhookSink("https://hooks.test/vigil", secret="s3cret", retries=3, backoff_s=0.5, sleep=sleeps.append,
                       client=httpx.Client(transport=httpx.MockTransport(handler)))
    sink.send({"id": 7, "kind": "silence"})
    assert len(seen) == 2 and sleeps == [0.5]
    body = seen[-1].content
    assert json.loads(body) == {"id": 7, "kind": "silence"}
    assert seen[-1].headers["X-Vigil-Signature"] == sign(body, "s3cret")


def test_a_dead_webhook_never_blocks_the_others() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    sleeps: list[float] = []
    dead = WebhookSink("https://down.test", retries=2, backoff_s=1.0, sleep=sleeps.append,
                       client=httpx.Client(transport=httpx.MockTransport(down)))
    out = io.StringIO()
    failures = deliver([{"id": 1}], [dead, StdoutSink(out)])
    assert len(failures) == 1 and "ConnectError" in failures[0] and sleeps == [1.0, 2.0]
    assert json.loads(out.getvalue()) == {"id": 1}
    refused = WebhookSink("https://x.test", sleep=sleeps.append,
                          client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(400))))
    with pytest.raises(RuntimeError, match="HTTP 400 after 1 attempt"):
        refused.send({"id": 2})


class _Broken:
    def check(self, store: object, now: datetime) -> Iterable[Condition]:
        raise RuntimeError("feed parser exploded")


def test_loop_runs_watchers_isolates_failures_and_alerts_once(store: SQLiteStore) -> None:
    add_watch(store, "quiet", area="West", consent="family")
    times = regular_times(12, 21, seed=1)
    write_posts(store, "quiet", [t for t in times if t < T0 + timedelta(days=14)])
    WATCHERS.add("broken.v1", _Broken())
    try:
        clock = iter([T0 + timedelta(days=16, seconds=10 * k) for k in range(100)])
        out = io.StringIO()
        sleeps: list[float] = []
        reports = []
        runs = watch_loop(store, every=60, iterations=3, clock=lambda: next(clock), sleep=sleeps.append,
                          sinks=[StdoutSink(out)], on_run=reports.append)
    finally:
        WATCHERS._items.pop("broken.v1")
    assert runs == 3 and len(sleeps) == 2 and all(0 < s <= 60 for s in sleeps)
    assert all("broken.v1" in r.failures for r in reports)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [(a["kind"], a["subject"], a["watcher"]) for a in lines] == [("silence", "quiet", "silence.v1")]
    assert "lat" not in lines[0]["evidence"] and lines[0]["evidence"]["area"] == "West"
    assert store.query("SELECT count(*) FROM watcher_failures WHERE watcher = 'broken.v1'") == [(3,)]
    # the account posts again: the alert closes with a "back" event
    write_posts(store, "quiet", [T0 + timedelta(days=16, hours=2)], text="back online")
    back = run_once(store, now=T0 + timedelta(days=16, hours=3), watchers=["silence.v1"])
    assert [a.kind for a in back.alerts] == ["silence.back"]


def test_watch_run_and_alerts_commands(vigil: Cli, tmp_path: Path) -> None:
    assert vigil("watch", "add", "quiet", "--area", "West", "--consent", "family").exit_code == 0
    from vigil.store import open_store

    with open_store(vigil.db) as store:
        write_posts(store, "quiet", regular_times(12, 5, seed=3, start=datetime.now(T0.tzinfo) - timedelta(days=9)))
    path = tmp_path / "alerts.jsonl"
    result = vigil("watch", "run", "--iterations", "1", "--sink", f"file:{path}")
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["kind"] for x in path.read_text().splitlines()] == ["silence"]
    data = json.loads(vigil("alerts", "--json").output)
    assert [a["subject"] for a in data["alerts"]] == ["quiet"]
    assert "quiet" in vigil("alerts").output
    bad = vigil("watch", "run", "--iterations", "1", "--every", "soon")
    assert bad.exit_code == 2
    for args in (["watch", "run"], ["alerts"]):
        assert "Example:" in vigil(*args, "--help", db=False).output


def test_builtin_watchers_are_registered_like_plugins() -> None:
    from vigil.watch.bursts import BurstWatcher
    from vigil.watch.watchers import SilenceWatcher, Watcher

    assert isinstance(WATCHERS.get("silence.v1"), SilenceWatcher)
    assert isinstance(WATCHERS.get("bursts.v1"), BurstWatcher)
    assert all(isinstance(WATCHERS.get(name), Watcher) for name in WATCHERS.names())
