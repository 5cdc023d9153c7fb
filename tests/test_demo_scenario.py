"""The bundled synthetic demo scenario (``examples/siege``): it regenerates byte for byte, and the committed
files really contain what ``truth.json`` says was planted."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from vigil.message import Reject
from vigil.readers import open_binary, read_stream

SIEGE = Path(__file__).resolve().parent.parent / "examples" / "siege"
DATA = SIEGE / "data"
START = datetime(2025, 2, 1, tzinfo=UTC)
END = datetime(2025, 2, 11, tzinfo=UTC)


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _files(base: Path) -> list[Path]:
    return sorted(p.relative_to(base) for p in base.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SIEGE / "truth.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def posts() -> list[dict[str, Any]]:
    """Every X and Mastodon post as ``{id, account, at, text, lang, kind}`` (X ids deduplicated)."""
    out: dict[str, dict[str, Any]] = {}
    tweets: list[tuple[dict[str, Any], dict[str, str]]] = []
    for page in sorted((DATA / "x_v2").glob("page_*.json")):
        body = json.loads(page.read_text(encoding="utf-8"))
        users = {u["id"]: u["username"] for u in body["includes"]["users"]}
        tweets += [(t, users) for t in body["data"]]
    for line in (DATA / "x_stream.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        tweets.append((item["data"], {u["id"]: u["username"] for u in item["includes"]["users"]}))
    for t, users in tweets:
        kind = t["referenced_tweets"][0]["type"] if "referenced_tweets" in t else "post"
        text = t["note_tweet"]["text"] if "note_tweet" in t else t["text"]
        out["x:" + t["id"]] = {"id": t["id"], "account": "@" + users[t["author_id"]], "at": _ts(t["created_at"]),
                               "text": text, "lang": t["lang"], "kind": kind}
    for s in json.loads((DATA / "mastodon" / "statuses.json").read_text(encoding="utf-8")):
        text = re.sub(r"<[^>]+>", "", s["content"])
        out["m:" + s["id"]] = {"id": s["id"], "account": f"@{s['account']['acct']}@qasr.social",
                               "at": _ts(s["created_at"]), "text": text, "lang": s["language"],
                               "kind": "boost" if s["reblog"] else "post"}
    return sorted(out.values(), key=lambda p: p["at"])


def _by_account(posts: list[dict[str, Any]]) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = {}
    for p in posts:
        out.setdefault(p["account"], []).append(p["at"])
    return out


def test_regenerates_byte_identical(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SIEGE / "generate.py"), "--seed", "2016", "--out",
                             str(tmp_path / "data")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "x_stream.jsonl" in result.stdout  # the summary of counts per file
    committed = [Path("truth.json"), Path("watchlist.csv"), *(Path("data") / p for p in _files(DATA))]
    assert _files(tmp_path) == sorted(committed)
    for rel in committed:
        assert (tmp_path / rel).read_bytes() == (SIEGE / rel).read_bytes(), f"{rel} differs from the committed file"


def test_another_seed_gives_other_data_with_the_same_incidents(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SIEGE / "generate.py"), "--seed", "7", "--out", str(tmp_path / "data")],
                   capture_output=True, check=True)
    assert (tmp_path / "data" / "x_stream.jsonl").read_bytes() != (DATA / "x_stream.jsonl").read_bytes()
    other = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    committed = json.loads((SIEGE / "truth.json").read_text(encoding="utf-8"))
    assert other["incidents"][1]["start"] == committed["incidents"][1]["start"]
    assert other["incidents"][0]["last_post_at"] == committed["incidents"][0]["last_post_at"]


def test_small_enough_to_commit() -> None:
    assert sum(p.stat().st_size for p in SIEGE.rglob("*") if p.is_file()) < 5 * 1024 * 1024


def test_at_least_3000_posts_in_the_window(posts: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    x = [p for p in posts if p["account"].count("@") == 1]
    assert len(x) >= 3000
    assert truth["posts_total"] >= 3000
    assert all(START <= p["at"] < END for p in posts)
    assert {p["lang"] for p in x} >= {"en", "ar"}
    kinds = Counter(p["kind"] for p in x)
    assert kinds["retweeted"] > 100 and kinds["replied_to"] > 50 and kinds["quoted"] > 10


def test_about_40_accounts_in_8_districts(posts: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    with (SIEGE / "watchlist.csv").open(encoding="utf-8", newline="") as fp:
        reader = csv.DictReader(fp)
        assert reader.fieldnames == ["account", "area", "consent", "note"]
        rows = list(reader)
    people = {a["person"] for a in truth["accounts"].values()}
    assert 38 <= len(people) <= 42
    assert len({r["area"] for r in rows}) == 8 == len(truth["districts"])
    assert all(r["consent"] for r in rows)
    assert sum("same person as" in r["note"] for r in rows) >= 4
    watched = {r["account"] for r in rows}
    outlets = {o["x"] for o in truth["outlets"]}
    assert {p["account"] for p in posts} - outlets == watched
    rates = [a["posts"] / 10 for a in truth["accounts"].values() if a["platform"] == "x"]
    assert min(rates) < 0.3 and max(rates) > 45  # from about one a week to about 60 a day


def test_silent_account_really_stops(posts: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    incident = next(i for i in truth["incidents"] if i["type"] == "account_silence")
    (account,) = incident["accounts"]
    times = _by_account(posts)[account]
    last = _ts(incident["last_post_at"])
    assert max(times) == last
    assert last.date().isoformat() == "2025-02-08"
    assert sum(t < START + timedelta(days=7) for t in times) / 7 >= 10  # a regular poster until then
    for day in range(7):  # posted every day before
        assert any(START + timedelta(days=day) <= t < START + timedelta(days=day + 1) for t in times)
    assert not [p for p in posts if p["account"] == account and p["at"] > last]


def test_blackout_district_goes_dark_for_the_stated_window(posts: list[dict[str, Any]],
                                                           truth: dict[str, Any]) -> None:
    incident = next(i for i in truth["incidents"] if i["type"] == "district_blackout")
    start, end = _ts(incident["start"]), _ts(incident["end"])
    assert end - start == timedelta(hours=14)
    assert start.date().isoformat() == "2025-02-06"
    times = _by_account(posts)
    district = next(d for d in truth["districts"] if d["key"] == incident["district_key"])
    assert set(incident["accounts"]) == set(district["accounts"])
    assert len([a for a in incident["accounts"] if a.count("@") == 1]) >= 5
    for account in incident["accounts"]:
        assert not [t for t in times[account] if start <= t < end], account
        assert any(end <= t < end + timedelta(hours=12) for t in times[account]), account
    on_x = [a for a in incident["accounts"] if a.count("@") == 1]
    for account in on_x:  # every X account of the district was active just before and is back just after
        assert any(start - timedelta(hours=3) <= t < start for t in times[account]), account
        assert any(end <= t < end + timedelta(hours=1) for t in times[account]), account
    elsewhere = [p for p in posts if start <= p["at"] < end and p["account"] not in incident["accounts"]]
    assert len(elsewhere) > 100


def test_natural_quiet_spells_are_not_incidents(posts: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    times = _by_account(posts)
    for spell in truth["natural_quiet_spells"]:
        start, end = _ts(spell["start"]), _ts(spell["end"])
        assert spell["incident"] is False
        assert timedelta(hours=24) <= end - start <= timedelta(hours=72)
        for account in spell["accounts"]:
            assert not [t for t in times[account] if start <= t < end]
        assert any(t >= end for a in spell["accounts"] for t in times[a])  # they come back


def test_farewell_phrasings_in_english_and_arabic_compete(posts: list[dict[str, Any]]) -> None:
    originals = [p for p in posts if p["kind"] not in ("retweeted", "boost")]

    def when(pattern: str) -> list[datetime]:
        rx = re.compile(pattern, re.IGNORECASE)
        return [p["at"] for p in originals if rx.search(p["text"])]

    early, late = when("goodbye to qasr al-nahr"), when("goodbye forever from qasr al-nahr")
    assert len(early) >= 20 and len(late) >= 20
    assert sorted(early)[len(early) // 2] < sorted(late)[len(late) // 2]
    assert min(early) < min(late)
    assert when("#GoodbyeQasr")
    for phrase in ("وداعاً قصر النهر", "سامحونا", "هذه قد تكون آخر تغريدة", "أنقذونا"):
        assert len(when(phrase)) >= 10, phrase
    assert when("please help us, we are trapped in")


def test_planted_near_duplicates_exist(posts: list[dict[str, Any]], truth: dict[str, Any]) -> None:
    by_id = {p["id"]: p for p in posts if p["account"].count("@") == 1}
    for group in truth["near_duplicates"]:
        assert len(group["copies"]) >= 5 and len(group["retweets"]) >= 5
        original = by_id[group["original"]["id"]]["text"]
        for copy in group["copies"]:
            text = by_id[copy["id"]]["text"]
            if copy["lang"] == "en":
                assert len(set(text.split()) & set(original.split())) >= len(original.split()) * 0.7


def test_conflicting_claims_are_in_the_articles(truth: dict[str, Any]) -> None:
    assert len(truth["conflicts"]) >= 5
    for conflict in truth["conflicts"]:
        assert len(conflict["claims"]) >= 2
        for claim in conflict["claims"]:
            for where in claim["where"]:
                if "/" in where and not where.startswith("x "):
                    assert (DATA / where).is_file(), where
    articles = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "articles").iterdir()}
    text = "\n".join(articles.values())
    for needle in ("20,000 to 35,000", "5,000 fighters", "45 people were killed", "toll at 80", "took effect",
                   "collapsed", "reached the Westgate", "reportedly", "It is claimed", "blames the other",
                   "UN envoy Marta Lindqvist said", "a spokesman for the Qasr Civil Defence told Channel 9 World",
                   "توقفت عند حاجز الصوامع"):
        assert needle in text, needle
    assert sum(name.endswith(".html") for name in articles) >= 2
    assert sum(name.endswith(".txt") for name in articles) >= 2


def test_x_files_look_like_the_api(posts: list[dict[str, Any]]) -> None:
    pages = sorted((DATA / "x_v2").glob("page_*.json"))
    for n, page in enumerate(pages):
        body = json.loads(page.read_text(encoding="utf-8"))
        assert len(body["data"]) <= 500 and body["meta"]["result_count"] == len(body["data"])
        assert ("next_token" in body["meta"]) == (n < len(pages) - 1)
        included = {t["id"] for t in body["includes"].get("tweets", [])}
        for t in body["data"]:
            for ref in t.get("referenced_tweets", []):
                assert ref["id"] in included
            if t.get("referenced_tweets", [{}])[0].get("type") == "retweeted":
                assert t["text"].startswith("RT @")
            if "note_tweet" in t:
                assert len(t["note_tweet"]["text"]) > 280 and t["text"].endswith("…")
    x = [p for p in posts if p["account"].count("@") == 1]
    ordered = sorted(x, key=lambda p: int(p["id"]))
    assert [p["at"] for p in ordered] == sorted(p["at"] for p in x)  # snowflake ids grow with time


EXPECTED_FORMAT = {"x_v2": "twitter-v2", "x_stream.jsonl": "twitter-v2", "mastodon": "mastodon",
                   "telegram": "telegram", "feeds": "feed", "articles": "article", "voicemail": "transcript"}


@pytest.mark.parametrize("rel", _files(DATA), ids=str)
def test_every_file_is_detected_and_reads_cleanly(rel: Path) -> None:
    path = str(DATA / rel)
    with open_binary(path) as fp:
        spec, records = read_stream(fp, path)
        results = list(records)
    assert spec.name == EXPECTED_FORMAT[rel.parts[0]]
    assert results and not [r for r in results if isinstance(r, Reject)]
