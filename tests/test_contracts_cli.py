"""The CLI contracts the issues spell out (flags, JSON keys and types, exit codes), checked as a user runs them.

Each test names the contract it guards; the feature tests elsewhere check the behaviour behind it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import Cli
from vigil.store import open_store
from watch_helpers import T0, post, regular_times, write_posts

TWEET = ('{"data": {"id": "%d", "text": "goodbye to the old town #GoodbyeOldTown", "author_id": "1", '
         '"created_at": "2025-01-0%dT10:%02d:00Z"}, "includes": {"users": [{"id": "1", "username": "amal"}]}}\n')


def _write_tweets(path: Path, good: int, broken: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(good):
            f.write(TWEET % (1000 + i, 6 + i // 60, i % 60))
        for _ in range(broken):
            f.write('{"broken": \n')


def _no_traceback(output: str) -> None:
    assert "Traceback" not in output


# -- #2: vigil ingest / messages / rejects / formats -----------------------------------------------------------

def test_ingest_json_caps_rejects_at_100_and_counts_all(vigil: Cli, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    _write_tweets(path, good=20, broken=130)
    result = vigil("ingest", str(path), "--stages", "none", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert set(out) == {"read", "stored", "duplicates", "rejected", "by_format", "rejects"}
    assert (out["read"], out["stored"], out["duplicates"], out["rejected"]) == (150, 20, 0, 130)
    assert out["by_format"] == {"twitter-v2": 20}
    assert len(out["rejects"]) == 100
    for r in out["rejects"]:
        assert set(r) == {"file", "line", "reason"}
        assert isinstance(r["file"], str) and isinstance(r["line"], int) and isinstance(r["reason"], str)
    assert out["rejects"][0]["line"] == 21
    again = json.loads(vigil("ingest", str(path), "--stages", "none", "--json").stdout)
    assert (again["stored"], again["duplicates"]) == (0, 20)


def test_ingest_stdin_with_source_and_user_errors(vigil: Cli, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    _write_tweets(path, good=3, broken=0)
    out = json.loads(vigil("ingest", "-", "--source", "desk", "--stages", "none", "--json",
                           input=path.read_bytes()).stdout)
    assert out["stored"] == 3
    rows = [json.loads(x) for x in vigil("messages", "--json").stdout.splitlines()]
    assert [r["id"] for r in rows] == ["desk:1000", "desk:1001", "desk:1002"]
    for r in rows:
        assert {"id", "source", "format", "native_id", "author", "created_at", "text", "title", "labels"} <= set(r)
        assert r["created_at"].endswith("Z")
    for args, code in ((["ingest", str(tmp_path / "missing.jsonl")], 1),
                       (["ingest", str(path), "--format", "nosuch"], 2),
                       (["messages", "--since", "not-a-time"], 2),
                       (["messages", "--json", "--csv"], 2),
                       (["ingest", "-"], 1)):
        result = vigil(*args, input=b"" if args[-1] == "-" else None)
        assert result.exit_code == code, (args, result.output)
        _no_traceback(result.output)


def test_formats_json_lists_every_reader(vigil: Cli) -> None:
    result = vigil("formats", "--json")
    assert result.exit_code == 0
    names = [f["name"] for f in json.loads(result.stdout)]
    assert {"twitter-v2", "twitter-v1", "telegram", "mastodon", "csv", "feed", "article", "transcript"} <= set(names)
    assert "--json" in vigil("formats", "--help").output


# -- #3: vigil silence ----------------------------------------------------------------------------------------

SILENCE_KEYS = {"account", "area", "status", "last_seen", "silent_for_s", "expected_gap_s", "score"}


def test_silence_json_contract_replays_history(vigil: Cli) -> None:
    for name in ("quiet", "busy"):
        assert vigil("watch", "add", name, "--area", "West", "--consent", "family").exit_code == 0
    with open_store(vigil.db) as store:
        write_posts(store, "quiet", [t for t in regular_times(12, 21, seed=1) if t < T0 + timedelta(days=14)])
        write_posts(store, "busy", regular_times(12, 21, seed=2))
        late = T0 + timedelta(days=17)
        store.write_messages([post("quiet", late, "back online", n=999)])  # after T: must be ignored
    at = "2025-01-22T00:00:00Z"
    result = vigil("silence", "--at", at, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"at", "accounts", "outages"} <= set(data)
    assert datetime.fromisoformat(data["at"]) == datetime(2025, 1, 22, tzinfo=UTC)
    rows = {a["account"]: a for a in data["accounts"]}
    assert set(rows) == {"quiet", "busy"}
    for a in rows.values():
        assert set(a) >= SILENCE_KEYS
        assert a["status"] in ("ok", "overdue") and isinstance(a["area"], str)
        assert isinstance(a["score"], float) and 0.0 <= a["score"] <= 1.0
        assert isinstance(a["silent_for_s"], float) and isinstance(a["expected_gap_s"], float)
        assert datetime.fromisoformat(a["last_seen"]) <= datetime(2025, 1, 22, tzinfo=UTC)
    assert rows["quiet"]["status"] == "overdue" and rows["busy"]["status"] == "ok"
    assert rows["quiet"]["silent_for_s"] > 86400
    for o in data["outages"]:
        assert {"area", "since", "accounts"} <= set(o)


@pytest.mark.parametrize("at", ["yesterday", "2025-13-01T00:00:00Z", ""])
def test_silence_bad_time_is_a_usage_error(vigil: Cli, at: str) -> None:
    result = vigil("silence", "--at", at, "--json")
    assert result.exit_code == 2 and "--at" in result.output
    _no_traceback(result.output)


# -- #3: trends, phrases, bursts, alerts, watch run -----------------------------------------------------------

def test_trends_json_shape(vigil: Cli) -> None:
    with open_store(vigil.db) as store:
        store.write_messages([
            post("a", T0 + timedelta(hours=1), "Goodbye to Aleppo", n=1),
            post("b", T0 + timedelta(hours=1, minutes=5), "RT @a: Goodbye to Aleppo", n=2),
            post("c", T0 + timedelta(hours=3), "#GoodbyeForeverFromAleppo", n=3),
            post("d", T0 + timedelta(days=1), "goodbye forever from aleppo", n=4),
        ])
    phrases = ["goodbye to Aleppo", "goodbye forever from Aleppo"]
    result = vigil("trends", "--phrase", phrases[0], "--phrase", phrases[1], "--bucket", "1h",
                   "--since", "2025-01-06T00:00:00Z", "--until", "2025-01-06T23:59:59Z", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"bucket", "phrases", "series"} <= set(data)
    assert data["bucket"] == "1h" and data["phrases"] == phrases
    by_start = {datetime.fromisoformat(s["start"]): s for s in data["series"]}
    first = by_start[T0 + timedelta(hours=1)]
    assert first["counts"] == {phrases[0]: 2, phrases[1]: 0} and first["originals"] == {phrases[0]: 1, phrases[1]: 0}
    assert by_start[T0 + timedelta(hours=3)]["counts"][phrases[1]] == 1
    assert all(datetime.fromisoformat(s["start"]) < T0 + timedelta(days=1) for s in data["series"])  # --until
    daily = json.loads(vigil("trends", "--phrase", phrases[1], "--bucket", "1d", "--json").stdout)
    assert [(s["start"][:10], s["counts"][phrases[1]]) for s in daily["series"]] == [("2025-01-06", 1),
                                                                                     ("2025-01-07", 1)]
    for bad in (["--bucket", "1w"], ["--since", "soon"]):
        wrong = vigil("trends", "--phrase", "x", *bad, "--json")
        assert wrong.exit_code == 2
        _no_traceback(wrong.output)
    assert vigil("trends", "--json").exit_code == 2  # --phrase is required


def test_phrases_bursts_and_alerts_json_shapes(vigil: Cli) -> None:
    with open_store(vigil.db) as store:
        store.write_messages([post(f"u{i}", T0 + timedelta(hours=i), f"goodbye to aleppo {i}", n=i)
                              for i in range(5)])
    phrases = json.loads(vigil("phrases", "--json").stdout)
    assert isinstance(phrases["families"], list)
    bursts = json.loads(vigil("bursts", "--json").stdout)
    assert isinstance(bursts["bursts"], list)
    for b in bursts["bursts"]:
        assert {"term", "start", "end", "strength"} <= set(b)
    alerts = json.loads(vigil("alerts", "--json").stdout)
    assert alerts == {"alerts": []}
    for args in (["phrases", "--since", "soon"], ["bursts", "--bucket", "2h"], ["alerts", "--state", "shut"]):
        wrong = vigil(*args)
        assert wrong.exit_code == 2
        _no_traceback(wrong.output)


@pytest.mark.parametrize("every", ["0s", "-5s", "nan", "infs", "soon", ""])
def test_watch_run_every_must_be_a_positive_duration(vigil: Cli, every: str) -> None:
    result = vigil("watch", "run", "--iterations", "1", "--every", every)
    assert result.exit_code == 2 and "--every" in result.output
    _no_traceback(result.output)


@pytest.mark.parametrize("every", ["60s", "5m", "1h", "30"])
def test_watch_run_every_accepts_durations(vigil: Cli, every: str) -> None:
    assert vigil("watch", "run", "--iterations", "1", "--every", every).exit_code == 0


# -- #4: vigil run, vigil serve --get -------------------------------------------------------------------------

@pytest.mark.parametrize("port", ["0", "99999", "-1", "http"])
def test_run_refuses_a_port_outside_1_to_65535(vigil: Cli, port: str) -> None:
    # refused while parsing, before anything binds or serves
    result = vigil("run", "--port", port)
    assert result.exit_code == 2 and "--port" in result.output
    _no_traceback(result.output)


def test_serve_get_exit_codes_and_envelope(vigil: Cli) -> None:
    ok = vigil("serve", "--get", "/api/health")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["ok"] is True
    missing = vigil("serve", "--get", "/api/nosuch")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout) == {"ok": False, "error": "not found", "status": 404}
    anonymous = vigil("serve", "--get", "/api/watchlist")
    assert anonymous.exit_code == 1 and json.loads(anonymous.stdout)["status"] == 401


def test_api_bad_choice_names_the_choices(vigil: Cli) -> None:
    assert vigil("user", "add", "boss", "--role", "admin", "--password-stdin", input="a-long-password\n").exit_code == 0
    result = vigil("serve", "--get", "/api/alerts?state=bogus", "--as", "boss")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["status"] == 400 and "must be one of open, closed, got 'bogus'" in body["error"]


@pytest.mark.parametrize("command", [["silence", "--json"], ["messages", "--json"], ["alerts", "--json"],
                                     ["watch", "list"], ["trends", "--phrase", "help"], ["rejects"],
                                     ["sitrep", "--format", "json"]])
def test_read_only_commands_refuse_a_missing_database(vigil: Cli, tmp_path: Path, command: list[str]) -> None:
    # a mistyped --db must not read as "nobody is overdue": it is an error, and no empty file is left behind
    missing = tmp_path / "typo" / "vigil.db"
    result = vigil(*command, "--db", str(missing))
    assert result.exit_code == 2
    assert f"no database at {missing}" in result.output and "vigil ingest" in result.output
    _no_traceback(result.output)
    assert not missing.exists() and not missing.parent.exists()
