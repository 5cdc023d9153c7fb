"""Phrase families on real SQLite files: competing variants found without being named, trends, first users,
bounded n-gram counting, ``vigil phrases``, and the demo's farewell families."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import Cli
from vigil.errors import UsageError
from vigil.ingest import ingest
from vigil.message import Message, make_id
from vigil.store import SQLiteStore, open_store
from vigil.watch.phrases import mine_ngrams, phrase_families
from vigil.watch.terms import segments

T0 = datetime(2025, 2, 7, 6, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[1] / "examples" / "siege"
FILLER = ["Bread queues again this morning.", "No power since noon.", "Shelling near the mill tonight.",
          "The clinic needs insulin.", "Water came back for an hour."]


def msg(n: int, text: str, hours: float, author: str = "", source: str = "x", **kw: object) -> Message:
    return Message(id=make_id(source, str(n)), source=source, format="twitter-v2", native_id=str(n),
                   created_at=T0 + timedelta(hours=hours), text=text, author=author or f"user{n % 13}",
                   **kw)  # type: ignore[arg-type]


def farewell_posts() -> list[Message]:
    """'goodbye to' for two days, then 'goodbye forever from' takes over; Arabic the same way; filler around."""
    out: list[Message] = []
    n = 0
    for day in range(4):
        old, new = [(8, 0), (6, 2), (2, 6), (0, 8)][day]
        for k in range(old):
            n += 1
            out.append(msg(n, f"Packing tonight. Goodbye to Qasr al-Nahr! {FILLER[k % 5]}", day * 24 + k))
        for k in range(new):
            n += 1
            out.append(msg(n, f"GOODBYE FOREVER FROM QASR AL-NAHR. {FILLER[(k + 2) % 5]} #GoodbyeQasr", day * 24 + k))
        for k in range(old // 2):
            n += 1
            out.append(msg(n, f"وداعاً قصر النهر. {FILLER[k % 5]}", day * 24 + k + 0.5))
        for k in range(new // 2):
            n += 1
            out.append(msg(n, f"وَداعاً إلى الأبد من قصرِ النهر. {FILLER[k % 5]}", day * 24 + k + 0.5))
    # copies are counted, never mined: a retweet storm of one variant does not make it rise
    for k in range(20):
        n += 1
        out.append(msg(n, "RT @user1: Packing tonight. Goodbye to Qasr al-Nahr!", 90 + k * 0.1,
                       retweet_of=make_id("x", "1")))
    return out


def test_segments_fold_and_stop_at_punctuation_and_hashtags() -> None:
    assert list(segments("Goodbye FOREVER from Qasr al-Nahr, friends. #GoodbyeQasr @lina https://t.co/x")) == [
        ["goodbye", "forever", "from", "qasr", "al", "nahr"], ["friends"]]
    assert list(segments("وَداعاً إلى الأبد من قصرِ النهر")) == [["وداعا", "الي", "الابد", "من", "قصر", "النهر"]]


def test_mine_ngrams_counts_once_per_original_and_stays_bounded() -> None:
    posts = [msg(1, "goodbye to qasr, goodbye to qasr", 0), msg(2, "goodbye to qasr", 1),
             msg(3, "RT @a: goodbye to qasr", 2, retweet_of="x:1")]
    counts, scanned, level = mine_ngrams(posts)
    assert (counts["goodbye to qasr"], counts["goodbye to"], scanned, level) == (2, 2, 2, 0)
    many = [msg(i, f"alpha{i} beta{i} gamma{i} common words here", i) for i in range(200)]
    bounded, _, level = mine_ngrams(many, max_ngrams=300)
    assert len(bounded) <= 300 and level >= 1
    assert bounded["common words here"] >= 190  # frequent n-grams survive the pruning


def test_families_rise_fall_and_first_users(store: SQLiteStore) -> None:
    store.write_messages(farewell_posts())
    report = phrase_families(store, min_count=4)
    by_frame = {f.frame: f for f in report.families}
    en = by_frame["goodbye … qasr al nahr"]
    variants = {v.phrase: v for v in en.variants}
    up, down = variants["goodbye forever from qasr al nahr"], variants["goodbye to qasr al nahr"]
    assert (up.trend, down.trend) == ("rising", "falling")
    assert (en.rising, en.falling) == (up.phrase, down.phrase)
    assert up.share_first < 0.3 < 0.7 < up.share_last
    assert (down.originals, down.count - down.originals) == (16, 20)  # the retweets are counted apart
    assert down.first_seen == "2025-02-07T06:00:00.000000Z" and down.first_author == "user1"
    assert up.first_source == "x" and up.slot == "forever from"
    ar = by_frame["وداعا … قصر النهر"]
    trends = {v.phrase: v.trend for v in ar.variants}
    assert trends == {"وداعا الي الابد من قصر النهر": "rising", "وداعا قصر النهر": "falling"}
    assert report.families[0] is en  # most uses, evenly split
    assert sum(sum(row["counts"].values()) for row in en.series) == en.volume
    assert [row["start"][:10] for row in en.series] == ["2025-02-07", "2025-02-08", "2025-02-09", "2025-02-10"]


def test_window_and_arguments(store: SQLiteStore) -> None:
    store.write_messages(farewell_posts())
    early = phrase_families(store, until=T0 + timedelta(hours=30), min_count=3)
    assert all("forever" not in v.phrase for f in early.families for v in f.variants
               if f.frame == "goodbye … qasr al nahr")
    with pytest.raises(UsageError):
        phrase_families(store, bucket="2h")
    with pytest.raises(UsageError):
        phrase_families(store, min_count=1)
    assert phrase_families(store, since=T0 + timedelta(days=30)).families == ()


def test_phrases_command(vigil: Cli, db_path: Path) -> None:
    with open_store(db_path) as store:
        store.write_messages(farewell_posts())
    data = json.loads(vigil("phrases", "--json", "--min-count", "4").output)
    family = data["families"][0]
    assert family["frame"] == "goodbye … qasr al nahr"
    assert {"phrase", "count", "originals", "first_seen", "first_source", "first_author", "trend", "share_first",
            "share_last"} <= set(family["variants"][0])
    table = vigil("phrases", "--min-count", "4").output
    assert "rising" in table and "falling" in table
    assert "no phrase family" in vigil("phrases", "--since", "2030-01-01T00:00:00Z").output


@pytest.mark.skipif(not (DEMO / "truth.json").is_file(), reason="demo scenario not generated")
def test_demo_farewell_families(tmp_path: Path) -> None:
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["farewell_phrasings"]["counts"]
    with open_store(tmp_path / "demo.db") as store:
        ingest([str(DEMO / "data")], store, stages=[])
        report = phrase_families(store)
    families = {f.frame: {v.phrase: v for v in f.variants} for f in report.families}
    en = families["goodbye … qasr al nahr"]
    assert en["goodbye forever from qasr al nahr"].trend == "rising"
    assert en["goodbye to qasr al nahr"].trend == "falling"
    assert en["goodbye to qasr al nahr"].first_seen == truth["goodbye to Qasr al-Nahr"]["first"].replace(
        "Z", ".000000Z")
    ar = families["وداعا … قصر النهر"]
    assert ar["وداعا الي الابد من قصر النهر"].trend == "rising" and ar["وداعا قصر النهر"].trend == "falling"
    # per-day originals follow the scenario's ground truth (which counts X and Mastodon posts only)
    for phrase, name in (("goodbye to qasr al nahr", "goodbye to Qasr al-Nahr"),
                         ("goodbye forever from qasr al nahr", "goodbye forever from Qasr al-Nahr")):
        assert abs(en[phrase].originals - truth[name]["total"]) <= 2
    assert Counter(f.frame for f in report.families[:2]) == Counter(["goodbye … qasr al nahr", "وداعا … قصر النهر"])
