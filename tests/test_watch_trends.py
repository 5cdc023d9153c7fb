"""`vigil trends`: phrases matched through case, punctuation, hashtags and Arabic variants; copies apart."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import Cli
from vigil.errors import UsageError
from vigil.store import SQLiteStore, open_store
from vigil.watch.trends import phrase_trends
from watch_helpers import T0, post

EN, AR = "goodbye to Aleppo", "وداعا حلب"


def _fill(store: SQLiteStore) -> None:
    msgs = [
        post("a", T0 + timedelta(minutes=5), "Goodbye, to ALEPPO!!"),
        post("b", T0 + timedelta(minutes=10), "#GoodbyeToAleppo tonight"),
        post("c", T0 + timedelta(minutes=20), "RT @a: Goodbye, to ALEPPO!!"),
        post("d", T0 + timedelta(minutes=30), "copy", retweet_of="x:1"),
        post("e", T0 + timedelta(minutes=40), "وَدَاعاً حَلَب"),  # harakat and alef variant
        post("f", T0 + timedelta(hours=1, minutes=5), "وداعا حلب", n=1),
        post("g", T0 + timedelta(hours=1, minutes=6), "nothing to see"),
    ]
    msgs[3] = msgs[3].replace(text="goodbye to aleppo")
    store.write_messages(msgs)


def test_counts_originals_and_shares(store: SQLiteStore) -> None:
    _fill(store)
    report = phrase_trends(store, [EN, AR], bucket="1h").to_dict()
    assert report["bucket"] == "1h" and report["phrases"] == [EN, AR]
    first, second = report["series"]
    assert first["start"] == "2025-01-06T00:00:00.000000Z"
    assert first["counts"] == {EN: 4, AR: 1} and first["originals"] == {EN: 2, AR: 1}
    assert first["shares"] == {EN: 0.8, AR: 0.2}
    assert second["counts"] == {EN: 0, AR: 1}
    daily = phrase_trends(store, [EN], bucket="1d", until=T0 + timedelta(minutes=15)).to_dict()
    assert daily["series"] == [{"start": "2025-01-06T00:00:00.000000Z", "counts": {EN: 2}, "originals": {EN: 2},
                                "shares": {EN: 1.0}}]
    with pytest.raises(UsageError):
        phrase_trends(store, [EN], bucket="1w")
    with pytest.raises(UsageError):
        phrase_trends(store, ["!!!"])


def test_every_bucket_in_the_range_is_listed_zeros_included(store: SQLiteStore) -> None:
    _fill(store)
    store.write_messages([post("h", T0 + timedelta(hours=4, minutes=1), "goodbye to aleppo", n=2)])
    report = phrase_trends(store, [EN], bucket="1h").to_dict()
    assert [s["counts"][EN] for s in report["series"]] == [4, 0, 0, 0, 1]  # first match .. last match
    assert report["series"][2] == {"start": "2025-01-06T02:00:00.000000Z", "counts": {EN: 0}, "originals": {EN: 0},
                                   "shares": {EN: 0.0}}
    window = phrase_trends(store, [EN], bucket="1h", since=T0 - timedelta(hours=2),
                           until=T0 + timedelta(hours=6, minutes=30)).to_dict()
    assert len(window["series"]) == 9 and window["series"][0]["start"] == "2025-01-05T22:00:00.000000Z"
    assert phrase_trends(store, ["never said"], bucket="1d").to_dict()["series"] == []
    with pytest.raises(UsageError, match="buckets"):
        phrase_trends(store, [EN], bucket="1h", since=T0 - timedelta(days=5000), until=T0)


def test_trends_command(vigil: Cli) -> None:
    with open_store(vigil.db) as store:
        _fill(store)
    out = vigil("trends", "--phrase", EN, "--phrase", AR, "--json")
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)["series"]) == 2
    assert "goodbye to Aleppo" in vigil("trends", "--phrase", EN, "--bucket", "1d").output
    assert "Example:" in vigil("trends", "--help", db=False).output
