"""X API v2 reader: responses, paginated JSONL, flattened tweets, and malformed variants."""

from __future__ import annotations

import io
import json
from pathlib import Path

from vigil.message import Message, Reject
from vigil.readers import READERS, detect_format, read_stream

FIX = Path(__file__).parent / "fixtures" / "twitter_v2"


def read_all(path: Path, fmt: str = "auto") -> tuple[list[Message], list[Reject]]:
    with path.open("rb") as fp:
        _, records = read_stream(fp, str(path), fmt=fmt)
        items = list(records)
    return [m for m in items if isinstance(m, Message)], [r for r in items if isinstance(r, Reject)]


def test_response_document_resolves_users_and_full_texts() -> None:
    msgs, rejects = read_all(FIX / "search_page.json")
    assert rejects == []
    by_id = {m.native_id: m for m in msgs}
    first = by_id["1880000000000000001"]
    assert first.id == "x:1880000000000000001"
    assert first.author == "nour_qn" and first.author_name == "Nour"
    assert first.created_at.isoformat() == "2025-02-08T21:14:05+00:00"
    assert "https://example.org/qasr/live" in first.text and "t.co" not in first.text  # URLs kept, expanded
    assert first.url == "https://x.com/nour_qn/status/1880000000000000001"
    assert first.lang == "en"


def test_retweet_points_to_original_and_carries_its_full_text() -> None:
    msgs, _ = read_all(FIX / "search_page.json")
    rt = next(m for m in msgs if m.native_id == "1880000000000000002")
    assert rt.retweet_of == "x:1880000000000000001"
    assert rt.text.startswith("RT @nour_qn: Goodbye forever from Qasr al-Nahr.")
    assert "example.org/qasr/live" in rt.text


def test_long_tweet_note_text_wins_over_truncated_text() -> None:
    msgs, _ = read_all(FIX / "search_page.json")
    long = next(m for m in msgs if m.native_id == "1880000000000000004")
    assert long.text.endswith("under the blue door next to the mosque.")
    assert "…" not in long.text


def test_arabic_emoji_and_entities() -> None:
    msgs, _ = read_all(FIX / "search_page.json")
    ar = next(m for m in msgs if m.lang == "ar")
    assert "وداعاً قصر النهر" in ar.text and "💔" in ar.text and ar.author_name == "هدى"
    reply = next(m for m in msgs if m.native_id == "1880000000000000005")
    assert "& your family" in reply.text and reply.reply_to == "x:1880000000000000001"


def test_paginated_jsonl_and_flattened_tweets() -> None:
    msgs, rejects = read_all(FIX / "pages.jsonl")
    assert len(msgs) == 6 and rejects == []
    assert {m.author for m in msgs} == {"baker_qn", "Lina_QN"}
    flat, rejects = read_all(FIX / "flat.jsonl")
    assert len(flat) == 50 and rejects == [] and flat[0].author == "water_watch"


def test_detected_by_content_not_extension(tmp_path: Path) -> None:
    target = tmp_path / "download.txt"
    target.write_bytes((FIX / "search_page.json").read_bytes())
    with target.open("rb") as fp:
        assert detect_format(fp, str(target)).name == "twitter-v2"
    with (FIX / "flat.jsonl").open("rb") as fp:
        assert detect_format(fp, "x").name == "twitter-v2"


def test_three_broken_lines_among_fifty(tmp_path: Path) -> None:
    lines = (FIX / "flat.jsonl").read_bytes().splitlines(keepends=True)
    lines[4] = b'{"id": "broken", "text": "cut in the mid\n'  # truncated JSON
    lines[20] = b'{"id": "1900000000000000020", "text": "bad \xff\xfe bytes", "created_at": "2025-02-03T00:00:00Z"}\n'
    obj = json.loads(lines[33])
    obj["created_at"] = "yesterday-ish"
    lines[33] = json.dumps(obj).encode() + b"\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    msgs, rejects = read_all(bad)
    assert len(msgs) == 47
    assert sorted(r.line for r in rejects if r.line) == [5, 21, 34]
    reasons = " | ".join(r.reason for r in rejects)
    assert "broken JSON" in reasons and "invalid UTF-8" in reasons and "created_at" in reasons


def test_wrong_types_and_missing_text_are_rejected_individually(tmp_path: Path) -> None:
    doc = {"data": [
        {"id": "1", "text": "fine", "author_id": "9", "created_at": "2025-02-01T00:00:00Z"},
        {"id": "2", "text": 12345, "author_id": "9", "created_at": "2025-02-01T00:00:00Z"},
        {"id": "3", "author_id": "9", "created_at": "2025-02-01T00:00:00Z"},
        ["not", "a", "tweet"],
        {"id": "5", "text": "also fine", "author_id": "9", "created_at": "2025-02-01T01:00:00Z"},
    ], "includes": {"users": [{"id": "9", "username": "u9", "name": "U"}]}}
    path = tmp_path / "types.json"
    path.write_text(json.dumps(doc))
    msgs, rejects = read_all(path)
    assert [m.native_id for m in msgs] == ["1", "5"]
    assert len(rejects) == 3
    assert any("'text' must be a string" in r.reason for r in rejects)
    assert any("missing 'text'" in r.reason for r in rejects)


def test_truncated_document_keeps_the_complete_tweets_before_the_cut(tmp_path: Path) -> None:
    data = (FIX / "search_page.json").read_bytes()
    path = tmp_path / "cut.json"
    cut = data.index(b'{"id": "1880000000000000004"')  # three whole tweets, then the file ends mid-record
    path.write_bytes(data[: cut + 40])
    msgs, rejects = read_all(path, fmt="twitter-v2")
    assert [m.native_id[-1] for m in msgs] == ["1", "2", "3"]
    assert msgs[0].author == "id:101"  # includes.users was never reached
    assert len(rejects) == 1 and "stops being readable after record 3" in rejects[0].reason


def test_deeply_nested_json_is_rejected_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    good = (FIX / "flat.jsonl").read_bytes().splitlines(keepends=True)[:2]
    path.write_bytes(good[0] + b'{"id": "1", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n" + good[1])
    msgs, rejects = read_all(path, fmt="twitter-v2")
    assert len(msgs) == 2 and len(rejects) == 1


def test_deeply_nested_document(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    msgs, rejects = read_all(path, fmt="twitter-v2")
    assert msgs == [] and len(rejects) >= 1


def test_stream_reading_from_non_seekable_input() -> None:
    raw = (FIX / "pages.jsonl").read_bytes()
    fp = io.BufferedReader(io.BytesIO(raw))  # type: ignore[arg-type]
    _, records = read_stream(fp, "-")
    assert sum(isinstance(r, Message) for r in records) == 6
    assert "twitter-v2" in READERS
