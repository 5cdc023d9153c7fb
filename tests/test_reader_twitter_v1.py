"""The X/Twitter API v1.1 reader: real-shaped fixtures, detection by content, and every kind of broken input."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.message import Message, Reject
from vigil.readers import READERS, detect_format, twitter_v1
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "twitter_v1"
MASTODON = Path(__file__).parent / "fixtures" / "mastodon"

ROAD_FULL = ("Road to the clinic is blocked by debris near the bridge, ambulances are rerouted via the market "
             "street, please avoid the area until further notice. Updates at https://example.org/roads")


def read_bytes(data: bytes, name: str = "input.json", source: str | None = None) -> list[Message | Reject]:
    ctx = ReadContext(path=name, source=source, format=twitter_v1.NAME)
    return list(twitter_v1.read(io.BytesIO(data), ctx))


def split(items: list[Message | Reject]) -> tuple[list[Message], list[Reject]]:
    return [i for i in items if isinstance(i, Message)], [i for i in items if isinstance(i, Reject)]


def by_native(messages: list[Message]) -> dict[str, Message]:
    return {m.native_id: m for m in messages}


def status(n: int, **changes: Any) -> dict[str, Any]:
    """A small valid v1.1 status, numbered ``n``."""
    rec: dict[str, Any] = {
        "created_at": "Fri Oct 12 08:00:00 +0000 2018",
        "id": 1860000000000000000 + n,
        "id_str": str(1860000000000000000 + n),
        "text": f"Status number {n} from the field",
        "user": {"id_str": "900000000000000009", "screen_name": "field_team_demo", "name": "Field Team"},
        "lang": "en",
    }
    rec.update(changes)
    return rec


def line(rec: Any) -> bytes:
    return json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n"


@pytest.fixture(scope="module")
def fixture_messages() -> dict[str, Message]:
    messages, rejects = split(read_bytes((FIXTURES / "statuses.json").read_bytes(), "statuses.json"))
    assert rejects == []
    return by_native(messages)


# --------------------------------------------------------------------------------------------- good records

def test_array_fixture_yields_every_status(fixture_messages: dict[str, Message]) -> None:
    assert sorted(fixture_messages) == [f"185000000000000000{i}" for i in range(1, 9)]
    for msg in fixture_messages.values():
        assert msg.id == f"x:{msg.native_id}"
        assert msg.source == "x"
        assert msg.format == "twitter-v1"
        assert msg.created_at.tzinfo is not None
        assert json.loads(msg.raw)["id_str"] == msg.native_id


def test_jsonl_gives_the_same_messages_as_the_array() -> None:
    array, _ = split(read_bytes((FIXTURES / "statuses.json").read_bytes()))
    lines, rejects = split(read_bytes((FIXTURES / "statuses.jsonl").read_bytes(), "statuses.jsonl"))
    assert rejects == []
    assert [m.to_dict(raw=True) for m in lines] == [m.to_dict(raw=True) for m in array]


def test_search_response_reads_its_statuses() -> None:
    messages, rejects = split(read_bytes((FIXTURES / "search.json").read_bytes()))
    assert rejects == []
    assert [m.native_id for m in messages] == ["1850000000000000001", "1850000000000000005"]


def test_jsonl_of_search_pages_and_arrays_is_flattened() -> None:
    data = line({"statuses": [status(1), status(2)], "search_metadata": {}}) + line([status(3), status(4)])
    messages, rejects = split(read_bytes(data))
    assert rejects == []
    assert [m.text for m in messages] == [f"Status number {n} from the field" for n in (1, 2, 3, 4)]


def test_normal_status_fields(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000001"]
    assert msg.author == "relief_desk_demo"
    assert msg.author_name == "Relief Desk (demo)"
    assert msg.created_at == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert msg.lang == "en"
    assert msg.url == "https://x.com/relief_desk_demo/status/1850000000000000001"
    assert msg.reply_to is None and msg.retweet_of is None and msg.quote_of is None
    # &amp; decoded; the t.co link replaced by its real URL, whose "&reg=" must not become "®".
    assert msg.text == ("Shelter open at the north school & the sports hall, bring blankets "
                        "https://example.org/shelters?area=north&reg=2")


def test_extended_tweet_full_text_beats_truncated_text(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000002"]
    assert msg.text == ROAD_FULL
    assert "…" not in msg.text and "t.co" not in msg.text and "i/web/status" not in msg.text


def test_extended_mode_full_text(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000003"]
    assert msg.text.startswith("Water distribution point moved")
    assert msg.text.endswith("#WaterPoint")


@pytest.mark.parametrize("fields", [
    {"text": "Short versi… https://t.co/Aaaa", "truncated": True, "full_text": "Short version of the full text"},
    {"text": "Short versi…", "full_text": "Short version of the full text",
     "extended_tweet": {"full_text": "Short version of the full text"}},
    {"full_text": "Short versi…", "extended_tweet": {"full_text": "Short version of the full text"}},
    {"text": "", "full_text": "Short version of the full text"},
])
def test_truncated_text_never_wins(fields: dict[str, Any]) -> None:
    rec = status(1)
    del rec["text"]
    rec.update(fields)
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.text == "Short version of the full text"


def test_retweet_carries_the_original_full_text(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000004"]
    assert msg.retweet_of == "x:1850000000000000002"
    assert msg.retweet_of == fixture_messages["1850000000000000002"].id
    assert msg.text == "RT @relief_desk_demo: " + ROAD_FULL
    assert msg.author == "tom_sample"


def test_retweet_with_unusable_original_keeps_its_own_text() -> None:
    rec = status(1, text="RT @someone: the original text", retweeted_status={"id_str": "1850000000000000999"})
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.text == "RT @someone: the original text"
    assert msg.retweet_of == "x:1850000000000000999"


def test_reply(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000005"]
    assert msg.reply_to == "x:1850000000000000001"
    assert msg.text == "@relief_desk_demo Is the north school still accepting families with pets?"


def test_reply_with_integer_id_only() -> None:
    (msg,) = read_bytes(line(status(1, in_reply_to_status_id=1850000000000000001)))
    assert isinstance(msg, Message)
    assert msg.reply_to == "x:1850000000000000001"


def test_quote(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000006"]
    assert msg.quote_of == "x:1850000000000000001"
    assert msg.text == ("Confirmed by our team on the ground "
                        "https://twitter.com/relief_desk_demo/status/1850000000000000001")


def test_quote_from_embedded_quoted_status_only() -> None:
    (msg,) = read_bytes(line(status(1, quoted_status=status(2))))
    assert isinstance(msg, Message)
    assert msg.quote_of == "x:1860000000000000002"


def test_arabic_and_emoji_are_intact_and_nfc(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000007"]
    expected = "الماء مقطوع في الحي منذ ثلاثة أيام 💧🙏 & الكهرباء أيضاً <عاجل> 👨\u200d👩\u200d👧"
    assert msg.text == expected
    assert unicodedata.is_normalized("NFC", msg.text)
    assert msg.text.startswith("الماء")  # logical order kept, nothing reversed for display
    assert not any(ch in msg.text for ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
    assert msg.lang == "ar"
    assert msg.author_name == "مكتب الإغاثة التجريبي"


def test_decomposed_accents_are_composed_and_und_is_no_language(fixture_messages: dict[str, Message]) -> None:
    msg = fixture_messages["1850000000000000008"]
    assert msg.text == "Café de la gare : distribution d’eau à midi 🚰"
    assert "\u0301" not in msg.text
    assert msg.lang is None


def test_html_entities_and_invisible_characters() -> None:
    rec = status(1, text="Queue &gt; 200 people &lt;3 tom&amp;jerry\u200b &amp;amp; done")
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.text == "Queue > 200 people <3 tom&jerry &amp; done"


def test_media_links_are_expanded_and_unknown_tco_links_kept() -> None:
    rec = status(1, text="Photo of the damage https://t.co/Media00001 and https://t.co/Unknown001",
                 extended_entities={"media": [{"url": "https://t.co/Media00001",
                                               "expanded_url": "https://x.com/field_team_demo/status/1/photo/1"}]})
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.text == ("Photo of the damage https://x.com/field_team_demo/status/1/photo/1 and "
                        "https://t.co/Unknown001")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "en"), ("ar", "ar"), ("in", "id"), ("iw", "he"), ("zh-cn", "zh"), ("und", None), ("qme", None),
    ("qht", None), ("zxx", None), ("que", "que"), ("", None), (42, None), (None, None), ("english", None),
])
def test_lang_is_kept_only_when_it_is_a_language(lang: Any, expected: str | None) -> None:
    (msg,) = read_bytes(line(status(1, lang=lang)))
    assert isinstance(msg, Message)
    assert msg.lang == expected


def test_integer_id_is_used_when_id_str_is_missing() -> None:
    rec = status(1)
    del rec["id_str"]
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.native_id == "1860000000000000001"


def test_timestamp_ms_stands_in_for_missing_created_at() -> None:
    rec = status(1, timestamp_ms="1539331200000")
    del rec["created_at"]
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message)
    assert msg.created_at == datetime(2018, 10, 12, 8, 0, tzinfo=UTC)


def test_stream_notices_are_skipped_not_rejected() -> None:
    data = (line({"delete": {"status": {"id_str": "1"}}}) + line(status(1))
            + line({"limit": {"track": 12, "timestamp_ms": "1539331200000"}}))
    assert [type(i) for i in read_bytes(data)] == [Message]


def test_source_override_applies_to_related_ids_too() -> None:
    data = (FIXTURES / "statuses.jsonl").read_bytes()
    messages, _ = split(read_bytes(data, source="x-archive"))
    rt = by_native(messages)["1850000000000000004"]
    assert rt.id == "x-archive:1850000000000000004"
    assert rt.source == "x-archive"
    assert rt.retweet_of == "x-archive:1850000000000000002"


def test_reads_from_a_stream_that_cannot_seek_or_peek() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._src = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def read(self, size: int = -1) -> bytes:
            return self._src.read(size)

    data = (FIXTURES / "statuses.jsonl").read_bytes()
    ctx = ReadContext(path="-", format=twitter_v1.NAME)
    messages, rejects = split(list(twitter_v1.read(Pipe(data), ctx)))  # type: ignore[arg-type]
    assert len(messages) == 8 and rejects == []


@pytest.mark.parametrize("layout", ["array", "jsonl"])
def test_reading_streams_instead_of_loading_the_file(layout: str) -> None:
    records = [status(n, text=f"Status {n} " + "x" * 400) for n in range(20_000)]
    data = json.dumps(records).encode() if layout == "array" else b"".join(line(r) for r in records)
    assert len(data) > 8_000_000
    fp = io.BytesIO(data)
    items = twitter_v1.read(fp, ReadContext(path="big", format=twitter_v1.NAME))
    first = next(items)
    assert isinstance(first, Message)
    assert fp.tell() < 1_000_000  # only the first buffers were read


# ------------------------------------------------------------------------------------------------ detection

@pytest.mark.parametrize("fixture", ["statuses.json", "statuses.jsonl", "search.json"])
def test_detected_by_content_whatever_the_file_name(fixture: str, tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes((FIXTURES / fixture).read_bytes())
    with path.open("rb") as fp:
        assert detect_format(fp, path.name).name == "twitter-v1"
        assert fp.tell() == 0


def test_detected_when_a_stream_dump_starts_with_notices() -> None:
    data = line({"delete": {"status": {"id_str": "1"}}}) + line(status(1))
    assert detect_format(io.BytesIO(data), "stream.log").name == "twitter-v1"


def test_sniff_is_confident_on_v1() -> None:
    head = summarise("statuses.json", (FIXTURES / "statuses.json").read_bytes())
    assert twitter_v1.sniff(head) >= 90


@pytest.mark.parametrize("data", [
    (FIXTURES / "v2_response.json").read_bytes(),
    b"".join(line({"id": str(n), "text": "hi", "author_id": "9", "edit_history_tweet_ids": [str(n)],
                   "created_at": "2024-01-01T00:00:00Z"}) for n in (1, 2)),
    (MASTODON / "timeline.json").read_bytes(),
    (MASTODON / "timeline.jsonl").read_bytes(),
    b"id,text,created_at\n1,hello,2024-01-01\n2,world,2024-01-02\n",
    b"Just some plain text about a user and a screen.\n",
    b'<?xml version="1.0"?><rss><channel><item><title>t</title></item></channel></rss>',
    b"",
    b"\x00\x01\x02binary",
    b'{"name": "Channel", "type": "public_channel", "messages": []}',
])
def test_sniff_is_zero_for_other_formats(data: bytes) -> None:
    assert twitter_v1.sniff(summarise("file.json", data)) == 0


def test_v2_response_is_not_read_as_v1() -> None:
    fp = io.BytesIO((FIXTURES / "v2_response.json").read_bytes())
    assert detect_format(fp, "v2.json").name != "twitter-v1"


# ------------------------------------------------------------------------------------------------- malformed

def test_truncated_array_keeps_complete_records_and_rejects_once() -> None:
    data = (FIXTURES / "statuses.json").read_bytes()
    cut = data.index(b'"id_str": "1850000000000000004"')  # inside the 4th record
    messages, rejects = split(read_bytes(data[:cut], "cut.json"))
    assert [m.native_id for m in messages] == [f"185000000000000000{i}" for i in (1, 2, 3)]
    (reject,) = rejects
    assert reject.line == 4
    assert "after record 3" in reject.reason
    assert reject.file == "cut.json" and reject.format == "twitter-v1"


def test_invalid_utf8_line_in_jsonl_is_one_reject() -> None:
    data = line(status(1)) + b'{"id_str": "2", "text": "caf\xe9 \xff"}\n' + line(status(3))
    messages, rejects = split(read_bytes(data, "bad.jsonl"))
    assert [m.native_id for m in messages] == ["1860000000000000001", "1860000000000000003"]
    (reject,) = rejects
    assert reject.line == 2
    assert "invalid UTF-8" in reject.reason
    assert reject.raw.startswith(b'{"id_str": "2"')


@pytest.mark.parametrize(("changes", "drop", "reason"), [
    ({"text": 42}, None, "'text' must be a string, got int"),
    ({"text": ["a"]}, None, "'text' must be a string, got list"),
    ({}, "user", "missing 'user' object"),
    ({"author_id": "9", "edit_history_tweet_ids": ["1"]}, "user", "try --format twitter-v2"),
    ({"user": "field_team_demo"}, None, "'user' must be an object, got str"),
    ({"user": {"name": "No Handle"}}, None, "missing 'user.screen_name'"),
    ({"user": {"screen_name": 7}}, None, "'user.screen_name' must be a non-empty string, got int"),
    ({"created_at": "yesterday at noon"}, None, "unparsable 'created_at'"),
    ({"created_at": "Fri Oct 12 25:00:00 +0000 2018"}, None, "unparsable 'created_at'"),
    ({"created_at": True}, None, "unparsable 'created_at'"),
    ({}, "created_at", "missing 'created_at'"),
    ({}, "text", "missing text"),
    ({"text": "   "}, None, "missing text"),
    ({"text": "\u200b\u200b"}, None, "text is empty"),
    ({"id_str": None, "id": None}, None, "'id_str' must be a non-empty string"),
    ({"id_str": 3.5, "id": "x"}, None, "'id_str' must be a non-empty string"),
])
def test_wrong_or_missing_fields_become_precise_rejects(changes: dict[str, Any], drop: str | None,
                                                        reason: str) -> None:
    rec = status(2, **changes)
    if drop:
        del rec[drop]
    data = line(status(1)) + line(rec) + line(status(3))
    messages, rejects = split(read_bytes(data, "mixed.jsonl"))
    assert [m.native_id for m in messages] == ["1860000000000000001", "1860000000000000003"]
    (reject,) = rejects
    assert reason in reject.reason
    assert reject.line == 2
    assert reject.raw


def test_missing_ids_are_rejected() -> None:
    rec = status(1)
    del rec["id"], rec["id_str"]
    (reject,) = read_bytes(line(rec))
    assert isinstance(reject, Reject)
    assert "missing 'id_str'" in reject.reason


@pytest.mark.parametrize("value", [7, 1.5, "a string", None, True])
def test_records_that_are_not_objects_are_rejected(value: Any) -> None:
    (reject,) = read_bytes(json.dumps([value]).encode())
    assert isinstance(reject, Reject)
    assert reject.reason.startswith("expected a status object")
    assert reject.line == 1


def test_nested_pages_are_flattened_and_their_bad_items_rejected() -> None:
    items = read_bytes(json.dumps([status(1), [2, status(3)]]).encode())
    assert [type(i) for i in items] == [Message, Reject, Message]
    assert isinstance(items[1], Reject) and items[1].reason == "expected a status object, got int"
    assert items[1].line == 2


def test_fifty_lines_with_three_broken_ones() -> None:
    lines = [line(status(n)) for n in range(1, 51)]
    lines[6] = b'{"id_str": "7", "text": "cut off in the midd\n'              # broken JSON, line 7
    lines[22] = line(status(23))[:40] + b"\xc3\x28" + line(status(23))[40:]  # invalid UTF-8, line 23
    lines[49] = line(status(50, text=12345))                                # wrong type, line 50
    messages, rejects = split(read_bytes(b"".join(lines), "fifty.jsonl"))
    assert len(messages) == 47
    assert [r.line for r in rejects] == [7, 23, 50]
    assert rejects[0].reason.startswith("broken JSON")
    assert "invalid UTF-8" in rejects[1].reason
    assert "'text' must be a string, got int" in rejects[2].reason
    assert all(r.file == "fifty.jsonl" for r in rejects)
    assert len({m.id for m in messages}) == 47


def test_blank_lines_and_crlf_do_not_count_as_records() -> None:
    data = line(status(1)).replace(b"\n", b"\r\n") + b"\r\n\n" + line(status(2))
    messages, rejects = split(read_bytes(data))
    assert len(messages) == 2 and rejects == []


def test_a_non_status_object_is_refused_with_a_hint() -> None:
    (reject,) = read_bytes((FIXTURES / "v2_response.json").read_bytes(), "v2.json")
    assert isinstance(reject, Reject)
    assert "twitter-v2" in reject.reason
    assert "data" in reject.reason


@pytest.mark.parametrize("data", [
    b"", b"   \n", b"[", b"{", b"[]", b"{}", b"null", b"[null]", b'"text"', b"\xff\xfe\x00\x00",
    b"[" * 5000, b'{"a":' * 5000, b"[{}" + b",{}" * 100 + b"]", b'{"statuses": 5}', b'{"statuses": [1, {}]}',
    b"\xef\xbb\xbf" + line(status(1)), b'[{"id_str": "1", "user": {"screen_name": "a"}, "text": "\xff"}]',
    b'{"id_str": "1"}\n' * 3, b"not json at all\nnor this\n", b"[1e999999]",
    b'[{"id": 123456789012345678901234567890}]',
])
def test_never_raises_on_bad_input(data: bytes) -> None:
    items = read_bytes(data)
    assert all(isinstance(i, Message | Reject) for i in items)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=13_000), junk=st.binary(max_size=8))
def test_never_raises_on_damaged_fixture(cut: int, junk: bytes) -> None:
    data = (FIXTURES / "statuses.json").read_bytes()
    damaged = data[:cut] + junk + data[cut + len(junk):]
    for item in read_bytes(damaged):
        assert isinstance(item, Message | Reject)


def test_registered_under_its_name() -> None:
    spec = READERS["twitter-v1"]
    assert spec.default_source == "x"
    assert spec.read is twitter_v1.read


def test_jsonl_whose_first_line_is_longer_than_the_head_stays_line_by_line() -> None:
    first = status(1, padding="p" * 100_000)
    data = line(first) + b'{"broken\n' + line(status(3))
    messages, rejects = split(read_bytes(data, "long.jsonl"))
    assert [m.native_id for m in messages] == ["1860000000000000001", "1860000000000000003"]
    assert [r.line for r in rejects] == [2]


def test_compact_search_response_larger_than_the_head_is_streamed() -> None:
    data = json.dumps({"statuses": [status(n, text=f"Status {n} " + "y" * 500) for n in range(300)],
                       "search_metadata": {"count": 300}}).encode()
    assert b"\n" not in data and len(data) > 100_000
    messages, rejects = split(read_bytes(data))
    assert len(messages) == 300 and rejects == []
