"""The Mastodon reader: API-shaped fixtures, HTML to text, boosts, detection by content, broken input."""

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
from vigil.readers import READERS, detect_format, mastodon
from vigil.readers.base import ReadContext
from vigil.readers.detect import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
TWITTER = Path(__file__).parent / "fixtures" / "twitter_v1"

NORMAL = "example.social/112233445566778899"
REMOTE = "other.example/998877"


def read_bytes(data: bytes, name: str = "input.json", source: str | None = None) -> list[Message | Reject]:
    ctx = ReadContext(path=name, source=source, format=mastodon.NAME)
    return list(mastodon.read(io.BytesIO(data), ctx))


def split(items: list[Message | Reject]) -> tuple[list[Message], list[Reject]]:
    return [i for i in items if isinstance(i, Message)], [i for i in items if isinstance(i, Reject)]


def status(n: int, **changes: Any) -> dict[str, Any]:
    """A small valid Mastodon status, numbered ``n``, native to ``demo.social``."""
    sid = str(113000000000000000 + n)
    rec: dict[str, Any] = {
        "id": sid,
        "created_at": "2024-03-02T08:00:00.000Z",
        "in_reply_to_id": None,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://demo.social/users/dana/statuses/{sid}",
        "url": f"https://demo.social/@dana/{sid}",
        "content": f"<p>Status number {n} from the shelter</p>",
        "reblog": None,
        "account": {"id": "1", "username": "dana", "acct": "dana", "display_name": "Dana (demo)",
                    "url": "https://demo.social/@dana"},
        "media_attachments": [],
    }
    rec.update(changes)
    return rec


def line(rec: Any) -> bytes:
    return json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n"


def one_message(rec: dict[str, Any]) -> Message:
    (msg,) = read_bytes(line(rec))
    assert isinstance(msg, Message), msg
    return msg


@pytest.fixture(scope="module")
def toots() -> dict[str, Message]:
    messages, rejects = split(read_bytes((FIXTURES / "timeline.json").read_bytes(), "timeline.json"))
    assert rejects == []
    return {m.native_id: m for m in messages}


# --------------------------------------------------------------------------------------------- good records

def test_array_fixture_yields_every_status(toots: dict[str, Message]) -> None:
    assert len(toots) == 8
    for msg in toots.values():
        assert msg.id == f"mastodon:{msg.native_id}"
        assert msg.source == "mastodon" and msg.format == "mastodon"
        assert json.loads(msg.raw)["content"] is not None


def test_jsonl_gives_the_same_messages_as_the_array() -> None:
    array, _ = split(read_bytes((FIXTURES / "timeline.json").read_bytes()))
    lines, rejects = split(read_bytes((FIXTURES / "timeline.jsonl").read_bytes(), "timeline.jsonl"))
    assert rejects == []
    assert [m.to_dict(raw=True) for m in lines] == [m.to_dict(raw=True) for m in array]


def test_search_response_reads_its_statuses() -> None:
    messages, rejects = split(read_bytes((FIXTURES / "search.json").read_bytes()))
    assert rejects == []
    assert [m.native_id for m in messages] == [NORMAL, "example.social/112233445566780000"]


def test_normal_status_fields_and_html_to_text(toots: dict[str, Message]) -> None:
    msg = toots[NORMAL]
    assert msg.author == "alice@example.social"  # local account qualified with its instance
    assert msg.author_name == "Alice (demo) 🌊"
    assert msg.created_at == datetime(2024, 3, 1, 10, 15, 30, tzinfo=UTC)
    assert msg.lang == "en"
    assert msg.url == "https://example.social/@alice/112233445566778899"
    # Hashtag and mention keep their text; the link's invisible and ellipsis spans join into the whole URL;
    # paragraphs become separate lines.
    assert msg.text == ("Bridge on #RiverRoad is closed. Details: "
                        "https://example.org/closures/river-road-2024?from=north&to=south\n\ncc @bob")
    assert msg.reply_to is None and msg.retweet_of is None and msg.quote_of is None


def test_remote_status_gets_its_origin_id_and_author(toots: dict[str, Message]) -> None:
    msg = toots[REMOTE]
    assert msg.author == "bob@other.example"
    assert msg.text == "Evacuation buses leave from the town hall at 14:00 & 16:00."
    assert msg.url == "https://other.example/@bob/998877"


def test_boost_points_to_the_original_and_carries_its_text(toots: dict[str, Message]) -> None:
    boost = toots["example.social/112233445566779000"]
    assert boost.retweet_of == toots[REMOTE].id == "mastodon:other.example/998877"
    assert boost.text == toots[REMOTE].text
    assert boost.author == "carol@example.social"
    assert boost.created_at == datetime(2024, 3, 1, 10, 20, tzinfo=UTC)
    assert boost.lang == "en"  # a boost has no language of its own; the original's is used
    assert boost.url == "https://other.example/@bob/998877"


def test_reply_within_the_instance_matches_the_parent_id(toots: dict[str, Message]) -> None:
    reply = toots["example.social/112233445566780000"]
    assert reply.reply_to == toots[NORMAL].id
    assert reply.text == "Update: a temporary footbridge opens tomorrow."


def test_content_warning_is_prefixed(toots: dict[str, Message]) -> None:
    msg = toots["example.social/112233445566781000"]
    assert msg.text == "CW: Injuries, blood\nField hospital needs O-negative blood donors, 3rd floor."


def test_content_warning_alone_is_text_enough() -> None:
    msg = one_message(status(1, content="", spoiler_text="Flood footage &amp; injuries"))
    assert msg.text == "CW: Flood footage & injuries"


def test_quote_points_to_the_quoted_status(toots: dict[str, Message]) -> None:
    msg = toots["other.example/998900"]
    assert msg.quote_of == toots[NORMAL].id


def test_quote_as_a_bare_status_and_unusable_quotes() -> None:
    assert one_message(status(1, quote=status(2))).quote_of == "mastodon:demo.social/113000000000000002"
    assert one_message(status(1, quote={"state": "pending", "quoted_status": None})).quote_of is None
    assert one_message(status(1, quote={"state": "accepted", "quoted_status_id": "5"})).quote_of is None
    assert one_message(status(1, quote="nope")).quote_of is None


def test_media_only_status_uses_the_alt_text(toots: dict[str, Message]) -> None:
    msg = toots["example.social/112233445566784000"]
    assert msg.text == "Flooded street with cars under water up to the doors"


def test_arabic_and_emoji_are_intact_and_nfc(toots: dict[str, Message]) -> None:
    msg = toots["sahel.example/998877665544"]  # origin id, not the serving instance's local id
    assert msg.text == "الماء مقطوع في الحي منذ ثلاثة أيام 💧🙏 & لا كهرباء\n\nنحتاج مساعدة 🚨"
    assert unicodedata.is_normalized("NFC", msg.text)
    assert msg.text.startswith("الماء")
    assert not any(ch in msg.text for ch in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
    assert msg.lang == "ar"
    assert msg.author == "layla@sahel.example"
    assert msg.author_name == "ليلى التجريبية"


def test_decomposed_text_is_composed() -> None:
    msg = one_message(status(1, content="<p>Cafe\u0301 ferme\u0301, eau potable a\u0300 la mairie</p>"))
    assert msg.text == "Café fermé, eau potable à la mairie"


def test_html_entities_tags_and_scripts() -> None:
    content = ("<p>Queue &gt; 200 &amp; growing &lt;script&gt; is text here</p>"
               "<script>alert(1)</script><p>line one<br>line two<br />line&nbsp;three</p>")
    msg = one_message(status(1, content=content))
    assert msg.text == "Queue > 200 & growing <script> is text here\n\nline one\nline two\nline\u00a0three"


def test_plain_text_content_without_tags() -> None:
    msg = one_message(status(1, content="Plain text &amp; no markup"))
    assert msg.text == "Plain text & no markup"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "en"), ("AR", "ar"), ("pt-BR", "pt"), ("zh_TW", "zh"), ("und", None), ("", None), (None, None),
    (7, None), ("english", None),
])
def test_language(language: Any, expected: str | None) -> None:
    assert one_message(status(1, language=language)).lang == expected


def test_native_id_falls_back_to_the_url_then_the_bare_id() -> None:
    by_url = one_message(status(1, uri="tag:demo.social,2024:objectId=1:objectType=Status"))
    assert by_url.native_id == "demo.social/113000000000000001"
    bare = one_message(status(1, uri=None, url=None))
    assert bare.native_id == "113000000000000001"
    assert bare.url is None
    assert one_message(status(1, id=42, uri=None, url=None)).native_id == "42"


def test_other_fediverse_uris() -> None:
    msg = one_message(status(1, uri="https://notes.example/notes/9k2abc", url="https://notes.example/notes/9k2abc"))
    assert msg.native_id == "notes.example/9k2abc"


def test_reply_to_accepts_integers_and_ignores_blanks() -> None:
    assert one_message(status(1, in_reply_to_id=5)).reply_to == "mastodon:demo.social/5"
    assert one_message(status(1, in_reply_to_id="  ")).reply_to is None


def test_source_override() -> None:
    messages, _ = split(read_bytes((FIXTURES / "timeline.jsonl").read_bytes(), source="fedi-archive"))
    boost = next(m for m in messages if m.retweet_of)
    assert boost.id == "fedi-archive:example.social/112233445566779000"
    assert boost.retweet_of == "fedi-archive:other.example/998877"


@pytest.mark.parametrize("layout", ["array", "jsonl"])
def test_reading_streams_instead_of_loading_the_file(layout: str) -> None:
    records = [status(n, content=f"<p>Status {n} " + "x" * 400 + "</p>") for n in range(15_000)]
    data = json.dumps(records).encode() if layout == "array" else b"".join(line(r) for r in records)
    assert len(data) > 8_000_000
    fp = io.BytesIO(data)
    first = next(mastodon.read(fp, ReadContext(path="big", format=mastodon.NAME)))
    assert isinstance(first, Message)
    assert fp.tell() < 1_000_000


# ------------------------------------------------------------------------------------------------ detection

@pytest.mark.parametrize("fixture", ["timeline.json", "timeline.jsonl", "search.json"])
def test_detected_by_content_whatever_the_file_name(fixture: str, tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes((FIXTURES / fixture).read_bytes())
    with path.open("rb") as fp:
        assert detect_format(fp, path.name).name == "mastodon"
        assert fp.tell() == 0


def test_sniff_is_confident_on_mastodon() -> None:
    assert mastodon.sniff(summarise("t.json", (FIXTURES / "timeline.json").read_bytes())) >= 90


@pytest.mark.parametrize("data", [
    (TWITTER / "statuses.json").read_bytes(),
    (TWITTER / "statuses.jsonl").read_bytes(),
    (TWITTER / "search.json").read_bytes(),
    (TWITTER / "v2_response.json").read_bytes(),
    b"id,content,account\n1,hello,a\n2,world,b\n",
    b"<html><body><p>account content</p></body></html>",
    b"",
    b'{"name": "Channel", "type": "public_channel", "messages": [{"id": 1, "text": "hi"}]}',
])
def test_sniff_is_zero_for_other_formats(data: bytes) -> None:
    assert mastodon.sniff(summarise("file.json", data)) == 0


# ------------------------------------------------------------------------------------------------- malformed

def test_truncated_array_keeps_complete_records_and_rejects_once() -> None:
    data = (FIXTURES / "timeline.json").read_bytes()
    cut = data.index(b'"id": "112233445566780000"')  # inside the 4th status
    messages, rejects = split(read_bytes(data[:cut], "cut.json"))
    assert len(messages) == 3
    (reject,) = rejects
    assert reject.line == 4 and "after record 3" in reject.reason
    assert reject.file == "cut.json" and reject.format == "mastodon"


def test_invalid_utf8_line_in_jsonl_is_one_reject() -> None:
    data = line(status(1)) + b'{"id": "2", "content": "<p>caf\xe9</p>"}\n' + line(status(3))
    messages, rejects = split(read_bytes(data, "bad.jsonl"))
    assert len(messages) == 2
    (reject,) = rejects
    assert reject.line == 2 and "invalid UTF-8" in reject.reason


@pytest.mark.parametrize(("changes", "drop", "reason"), [
    ({"content": 42}, None, "'content' must be an HTML string, got int"),
    ({}, "content", "missing 'content'"),
    ({"content": "<p> </p>"}, None, "no text"),
    ({"content": ""}, None, "no text"),
    ({}, "account", "missing 'account' object"),
    ({"account": ["dana"]}, None, "'account' must be an object, got list"),
    ({"account": {"display_name": "No handle"}}, None, "missing 'account.acct'"),
    ({"created_at": "the day before yesterday"}, None, "unparsable 'created_at'"),
    ({"created_at": "2024-02-30T10:00:00Z"}, None, "unparsable 'created_at'"),
    ({"created_at": None}, None, "missing 'created_at'"),
    ({"reblog": "112233"}, None, "'reblog' must be an object or null, got str"),
    ({"reblog": {"id": "9", "account": {}}}, None, "boosted status: status 9: missing 'content'"),
    ({"id": None, "uri": None, "url": None}, None, "missing a usable 'id'"),
    ({"id": [], "uri": 5, "url": "not a url"}, None, "missing a usable 'id'"),
])
def test_wrong_or_missing_fields_become_precise_rejects(changes: dict[str, Any], drop: str | None,
                                                        reason: str) -> None:
    rec = status(2, **changes)
    if drop:
        del rec[drop]
    data = line(status(1)) + line(rec) + line(status(3))
    messages, rejects = split(read_bytes(data, "mixed.jsonl"))
    assert [m.native_id for m in messages] == ["demo.social/113000000000000001", "demo.social/113000000000000003"]
    (reject,) = rejects
    assert reason in reject.reason
    assert reject.line == 2
    assert reject.raw


@pytest.mark.parametrize("value", [7, "a string", None, False])
def test_records_that_are_not_objects_are_rejected(value: Any) -> None:
    (reject,) = read_bytes(json.dumps([value]).encode())
    assert isinstance(reject, Reject)
    assert reject.reason.startswith("expected a status object")


def test_fifty_lines_with_three_broken_ones() -> None:
    lines = [line(status(n)) for n in range(1, 51)]
    lines[0] = b'{"id": "1", "content": "<p>cut off\n'                        # broken JSON, line 1
    lines[29] = line(status(30))[:30] + b"\xff" + line(status(30))[30:]     # invalid UTF-8, line 30
    lines[40] = line(status(41, content=None))                              # missing content, line 41
    messages, rejects = split(read_bytes(b"".join(lines), "fifty.jsonl"))
    assert len(messages) == 47
    assert [r.line for r in rejects] == [1, 30, 41]
    assert rejects[0].reason.startswith("broken JSON")
    assert "invalid UTF-8" in rejects[1].reason
    assert "missing 'content'" in rejects[2].reason
    assert len({m.id for m in messages}) == 47


def test_an_object_that_is_not_a_status_is_refused() -> None:
    (reject,) = read_bytes(b'{\n  "ancestors": [],\n  "descendants": []\n}\n', "context.json")
    assert isinstance(reject, Reject)
    assert "ancestors" in reject.reason


@pytest.mark.parametrize("data", [
    b"", b"[", b"{", b"[]", b"{}", b"null", b"[null]", b"\xff\xfe\x00\x00", b"[" * 5000, b'{"a":' * 5000,
    b'{"statuses": "x"}', b'[{"content": "<p>' + b"<b>" * 3000 + b'</p>"}]', b"garbage\n{\n}\n",
    b'[{"id": "1", "uri": "https://[::1/x", "content": "<p>x</p>", "account": {"acct": "a"},'
    b' "created_at": "2024-01-01T00:00:00Z"}]',
])
def test_never_raises_on_bad_input(data: bytes) -> None:
    assert all(isinstance(i, Message | Reject) for i in read_bytes(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=12_900), junk=st.binary(max_size=8))
def test_never_raises_on_damaged_fixture(cut: int, junk: bytes) -> None:
    data = (FIXTURES / "timeline.json").read_bytes()
    for item in read_bytes(data[:cut] + junk + data[cut + len(junk):]):
        assert isinstance(item, Message | Reject)


def test_registered_under_its_name() -> None:
    spec = READERS["mastodon"]
    assert spec.default_source == "mastodon"
    assert spec.read is mastodon.read
